"""The stored state of each action always equals the state computed from its history.

Random sequences of what changes an action (progress updates, proposals, sign-offs,
imports that change a timescale or report a status, time passing overnight with
`rerate_actions`) are played, and after each step every action's stored state is
compared with what `Action.state_on` computes from the history for that day.
"""

import datetime
import random

import pytest
import time_machine
from django.core.management import call_command

from actionplans import rag, services, spreadsheet, state
from actionplans.models import Action, ActionTally, Plan
from core.periods import today

from ..factories import ActionFactory, AreaFactory, PlanFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2011, 1, 10)
TIMESCALES = ["March 2011", "Ongoing", "Q1 2011/12", "End 2011", "Completed", "", "Soon", "1.2.11"]
STATUSES = [rag.NOT_STARTED, rag.ON_TRACK, rag.AT_RISK, rag.OFF_TRACK, ""]


def assert_stored_equals_history():
    day = today()
    for action in Action.objects.select_related("plan").prefetch_related("progress_updates"):
        expected = state.as_fields(action.state_on(day), day)
        assert state.stored(action) == expected, f"action {action.number} on {day}"
    # Each plan's tally counts its actions' stored state as it now stands.
    for plan in Plan.objects.all():
        counted = next(iter(Action.objects.filter(plan=plan).counts_by_plan()), {})
        tally = ActionTally.objects.filter(plan=plan).values(*ActionTally.COUNTS).first()
        assert tally == {name: counted.get(name, 0) for name in ActionTally.COUNTS}, f"{plan} on {day}"


def import_row(plan, action, timescale, status, day):
    columns = ["Plan", "Area", "Action No", "Action", "Timescale", "Status", "Progress date"]
    values = [plan.title, action.area.title, action.number, action.text, timescale, rag.STATUS_LABELS.get(status, ""), day.isoformat() if status else ""]
    text = ",".join(columns) + "\n" + ",".join(f'"{value}"' for value in values) + "\n"
    spreadsheet.import_plan_file(text.encode(), "plan.csv")


@pytest.mark.parametrize("seed", range(8))
def test_stored_state_follows_every_change(seed, olivia, mandy, division, lead):
    chance = random.Random(seed)
    with time_machine.travel(datetime.datetime(START.year, START.month, START.day, 12), tick=False) as traveller:
        plan = PlanFactory(title="Random plan", unit=division, source_date=datetime.date(2010, 3, 31))
        area = AreaFactory(plan=plan, title="Safeguarding adults")
        actions = [
            ActionFactory(area=area, number=str(n + 1), timescale=chance.choice(TIMESCALES), leads=[lead])
            for n in range(5)
        ]
        assert_stored_equals_history()
        for _ in range(25):
            action = Action.objects.get(pk=chance.choice(actions).pk)
            step = chance.choice(["update", "update", "propose", "decide", "import", "overnight", "interval"])
            if step == "update" and action.status_on(today()) != rag.COMPLETED:
                day = today() - datetime.timedelta(days=chance.randrange(0, 400))
                services.add_progress_update(
                    action=action, author=olivia, date=day, narrative=chance.choice(["", "Progress"]),
                    status=chance.choice(STATUSES),
                )
            elif step == "propose" and not action.completion_proposed and action.status_on(today()) != rag.COMPLETED:
                services.propose_completion(action=action, author=olivia, narrative="Done")
            elif step == "decide" and action.completion_proposed:
                decide = chance.choice([services.confirm_completion, services.return_completion])
                decide(action=action, manager=mandy, comment="Checked")
            elif step == "import":
                day = today() - datetime.timedelta(days=chance.randrange(0, 200))
                import_row(plan, action, chance.choice(TIMESCALES), chance.choice(STATUSES), day)
            elif step == "overnight":
                traveller.shift(datetime.timedelta(days=chance.randrange(1, 60)))
                call_command("rerate_actions", verbosity=0)
            elif step == "interval":
                plan.update_interval_months = chance.choice([1, 3, 6])
                plan.save()
                state.refresh(Action.objects.filter(plan=plan))
            assert_stored_equals_history()


def test_rerate_is_idempotent_and_turns_what_passed_its_due_date_red(olivia, action):
    with time_machine.travel(datetime.datetime(2011, 3, 31, 12), tick=False) as traveller:
        state.refresh_action(action)
        assert action.rag_colour == rag.GREEN
        traveller.shift(datetime.timedelta(days=1))
        assert state.refresh() == 1
        assert state.refresh() == 0
        action.refresh_from_db()
        assert (action.rag_colour, action.overdue, action.rated_on) == (rag.RED, True, datetime.date(2011, 4, 1))
        assert "Past its due date of 31 Mar 2011" in action.rag_reason


def test_lists_rate_what_the_night_missed_before_they_read(client, olivia, action):
    with time_machine.travel(datetime.datetime(2011, 3, 31, 12), tick=False) as traveller:
        state.refresh_action(action)
        assert Action.objects.get(pk=action.pk).rag_colour == rag.GREEN
        traveller.shift(datetime.timedelta(days=1))  # no rerate_actions last night
        client.force_login(olivia)
        (row,) = client.get("/").context["rows"]
        assert row.rag.colour == rag.RED and row.overdue
        assert Action.objects.get(pk=action.pk).rated_on == datetime.date(2011, 4, 1)


def test_an_admin_edit_of_an_action_under_a_recommendation_is_rated_at_once(client, ada, plan, lead):
    from ..factories import RecommendationFactory

    recommendation = RecommendationFactory(plan=plan, area=AreaFactory(plan=plan))
    action = ActionFactory(area=recommendation.area, recommendation=recommendation, number="1", timescale="Ongoing")
    client.force_login(ada)
    page = client.get(f"/admin/actionplans/recommendation/{recommendation.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)}
    data |= {"area": recommendation.area_id, "plan": plan.pk}
    inline = page.context["inline_admin_formsets"][0].formset
    data |= {f"{inline.prefix}-{key}": value for key, value in inline.management_form.initial.items()}
    data |= {
        f"{inline.prefix}-0-id": action.pk, f"{inline.prefix}-0-recommendation": recommendation.pk,
        f"{inline.prefix}-0-number": "1", f"{inline.prefix}-0-area": action.area_id, f"{inline.prefix}-0-text": action.text,
        f"{inline.prefix}-0-timescale": "March 2010", f"{inline.prefix}-0-leads": [lead.pk],
    }
    response = client.post(f"/admin/actionplans/recommendation/{recommendation.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    action.refresh_from_db()
    assert action.timescale == "March 2010" and action.rag_colour == rag.RED and action.overdue
