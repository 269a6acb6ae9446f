"""Cases found in review: each was a crash, a wrong answer or a silent overwrite."""

import datetime

import pytest
from django.urls import reverse

from actionplans import rag, services
from core.periods import today
from actionplans.models import Action, ProgressUpdate

from ..factories import ActionFactory, AreaFactory, PlanFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_search_of_many_words_stays_one_query_per_plan_list(client, mandy, division, lead, django_assert_max_num_queries):
    plan = PlanFactory(title="Safeguarding adults plan", unit=division)
    area = AreaFactory(plan=plan)
    recommendation = RecommendationFactory(plan=plan, area=area, text="Improve the practice of risk assessment")
    for n in range(30):
        ActionFactory(area=area, recommendation=recommendation, number=str(n + 1), text="the audit of the risk tool")
    client.force_login(mandy)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("plan_list") + "?q=the+the+the+risk+audit+tool")
    assert [p.title for p, _, _ in response.context["rows"]] == ["Safeguarding adults plan"]
    assert response.context["rows"] and client.get(reverse("plan_list") + "?q=risk+nowhere").context["rows"] == []


@pytest.mark.parametrize(
    "day, month, year, message",
    [(" ", " ", " ", "Enter the date of this update"), ("1", " ", "2020", "Enter the date of this update"),
     ("1", "1", "0001", "Year must be 1990 or later")],
)
def test_blank_or_ancient_dates_are_form_errors_not_crashes(client, olivia, action, day, month, year, message):
    client.force_login(olivia)
    data = {"date_0": day, "date_1": month, "date_2": year, "narrative": "Note", "status": rag.ON_TRACK,
            "version": action.version, "seen_update_id": 0}
    response = client.post(reverse("action_progress", args=[action.pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_as_at_rates_the_old_timescale_against_its_old_due_date(client, mandy, plan, action):
    from actionplans.models import Action as ActionModel

    # Loaded as "March 2011"; the history row is backdated so that the edit below is "later".
    first = ActionModel.history.filter(id=action.pk).earliest("history_date")
    first.history_date = first.history_date.replace(year=2010)
    first.save()
    action.timescale = "March 2012"
    action.save()
    client.force_login(mandy)
    row = client.get(reverse("plan_detail", args=[plan.pk]) + "?as_at=2011-06-01").context["sections"][0]["actions"][0]
    assert row["action"].timescale == "March 2011"
    assert row["rag"].colour == rag.RED and "31 Mar 2011" in row["rag"].reason


def test_admin_refuses_a_save_made_over_someone_elses(client, ada, action):
    client.force_login(ada)
    url = reverse("admin:actionplans_action_change", args=[action.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({
        "plan": action.plan_id, "area": action.area_id, "number": action.number, "text": "Mine",
        "timescale": action.timescale, "leads": [lead.pk for lead in action.leads.all()],
        "seen_version": action.version,
        "milestones-TOTAL_FORMS": 0, "milestones-INITIAL_FORMS": 0,
        "progress_updates-TOTAL_FORMS": 0, "progress_updates-INITIAL_FORMS": 0,
    })
    data.pop("recommendation", None), data.pop("cross_reference", None), data.pop("completion_proposed_by", None)
    data.pop("due_date_set", None), data.pop("completion_proposed_on", None), data.pop("unit", None)
    action.text = "Theirs"
    action.save()  # someone else saves first
    response = client.post(url, data)
    assert response.status_code == 200
    assert "while you were editing it" in response.content.decode()
    action.refresh_from_db()
    assert action.text == "Theirs"


def test_an_action_added_under_a_recommendation_takes_its_plan(plan):
    area = AreaFactory(plan=plan)
    recommendation = RecommendationFactory(plan=plan, area=area)
    action = Action(area=area, recommendation=recommendation, number="9", text="Added from the admin inline")
    action.full_clean(exclude=["plan"])
    action.save()
    assert action.plan_id == plan.pk


def test_an_action_cannot_mix_plans(plan):
    from django.core.exceptions import ValidationError

    other_area = AreaFactory(plan=PlanFactory())
    action = Action(plan=plan, area=other_area, number="9", text="Wrong area")
    with pytest.raises(ValidationError, match="area must belong to the action's plan"):
        action.full_clean()


def test_a_note_on_a_completed_action_does_not_reopen_it(client, olivia, action):
    ProgressUpdate.objects.create(action=action, date=datetime.date(2011, 1, 1), status=rag.COMPLETED)
    client.force_login(olivia)
    page = client.get(reverse("action_detail", args=[action.pk]))
    assert "status" not in page.context["progress_form"].fields
    day = today()
    client.post(reverse("action_progress", args=[action.pk]), {
        "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": "Embedded in practice",
        "status": rag.ON_TRACK, "version": Action.objects.get(pk=action.pk).version, "seen_update_id": 0,
    })
    action = Action.objects.with_rag_inputs().get(pk=action.pk)
    assert action.progress_updates.last().narrative == "Embedded in practice"
    assert action.current_status == rag.COMPLETED


def test_a_manager_cannot_sign_off_their_own_proposal(client, mandy, dmitri, action):
    services.propose_completion(action=action, author=mandy, narrative="Done")
    client.force_login(mandy)
    url = reverse("action_sign_off", args=[action.pk])
    data = {"decision": "confirm", "comment": "", "version": Action.objects.get(pk=action.pk).version, "seen_update_id": 0}
    assert client.post(url, data).status_code == 403
    client.force_login(dmitri)
    assert client.post(url, data).status_code == 302
    assert Action.objects.with_rag_inputs().get(pk=action.pk).current_status == rag.COMPLETED


def test_the_action_page_shows_plan_and_lead_changes(client, olivia, plan, action, lead):
    plan.title = "Sefton improvement plan (revised)"
    plan.save()
    lead.name = "Olivia Officer-Smith"
    lead.save()
    client.force_login(olivia)
    changes = client.get(reverse("action_detail", args=[action.pk])).context["changes"]
    assert any(c.what == "Plan" and c.new == "Sefton improvement plan (revised)" for c in changes)
    assert any(c.what.startswith("Lead") and c.new == "Olivia Officer-Smith" for c in changes)


def test_officer_updates_from_my_actions_and_comes_back(client, olivia, action):
    client.force_login(olivia)
    home = client.get(reverse("home"))
    form = home.context["rows"][0]["form"]
    assert f'id="id_action-{action.pk}-narrative"' in home.content.decode()
    day = today()
    response = client.post(reverse("action_progress", args=[action.pk]), {
        "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": "Quick note from home",
        "status": rag.AT_RISK, "version": form.initial["version"], "seen_update_id": form.initial["seen_update_id"],
        "next": reverse("home"),
    })
    assert response.status_code == 302 and response.url == reverse("home")
    assert action.progress_updates.get().narrative == "Quick note from home"
    evil = client.post(reverse("action_progress", args=[action.pk]), {"next": "https://evil.example/"})
    assert evil.status_code == 200  # invalid form: shown again, never redirected off-site
