"""The change history on an action page (actionplans.history over core.history).

Who changed what and when, for the action and what surrounds it (plan, recommendation,
milestones, progress, leads), with a fixed number of queries however long the history.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import rag, services
from actionplans.history import action_changes
from actionplans.models import Action, Lead, Milestone, Plan, ProgressUpdate
from core.periods import today

from ..factories import ActionFactory, AreaFactory, LeadFactory, MilestoneFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


def test_history_records_who_changed_what(client, olivia, action):
    client.force_login(olivia)
    day = today()
    client.post(reverse("action_progress", args=[action.pk]), {
        "date_0": str(day.day), "date_1": str(day.month), "date_2": str(day.year),
        "narrative": "Audit tool agreed with the board.", "status": rag.AT_RISK,
        "version": str(action.version), "seen_update_id": "0",
    })
    record = ProgressUpdate.history.get()
    assert record.history_user == olivia and record.history_type == "+"

    action.text = "Streamline and clarify risk assessment documentation."
    action.save()
    page = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "Change history" in page
    assert "Streamline and clarify risk assessment documentation." in page
    assert "Progress update of" in page and "created" in page


def test_history_covers_plans_recommendations_milestones_and_leads(plan, action, lead):
    plan.title = "Renamed plan"
    plan.save()
    assert Plan.history.filter(id=plan.pk).count() == 2
    milestone = MilestoneFactory(action=action)
    milestone.completed = True
    milestone.save()
    assert Milestone.history.filter(id=milestone.pk).count() == 2
    lead.name = "Olivia Officer-Smith"
    lead.save()
    assert Lead.history.filter(id=lead.pk).count() == 2
    action.leads.add(LeadFactory(name="DSVAB", kind=Lead.BODY))
    assert Action.history.filter(id=action.pk).count() >= 2

    changes = action_changes(action)
    fields = {(change.what.split(" ")[0], change.field) for change in changes}
    assert ("Milestone", "Completed") in fields
    assert any(change.field == "Leads" and "DSVAB" in change.new for change in changes)


def test_the_action_page_shows_plan_and_lead_changes(client, olivia, plan, action, lead):
    plan.title = "Sefton improvement plan (revised)"
    plan.save()
    lead.name = "Olivia Officer-Smith"
    lead.save()
    client.force_login(olivia)
    changes = client.get(reverse("action_detail", args=[action.pk])).context["changes"]
    assert any(c.what == "Plan" and c.new == "Sefton improvement plan (revised)" for c in changes)
    assert any(c.what.startswith("Lead") and c.new == "Olivia Officer-Smith" for c in changes)


def test_changes_are_newest_first_and_name_who_made_them(olivia, action):
    services.propose_completion(action=action, author=olivia, narrative="Done")  # outside a request: no user known
    action = Action.objects.get(pk=action.pk)
    action.text = "Second wording"
    action._history_user = olivia
    action.save()
    changes = action_changes(action)
    assert [change.when for change in changes] == sorted((change.when for change in changes), reverse=True)
    newest = changes[0]
    assert (newest.who, newest.field, newest.new) == ("Olivia Officer", "Text", "Second wording")
    assert any(change.who == "System (import or command)" for change in changes)


def edit(action, times, leads, users):
    """`times` edits of `action` and what surrounds it: wording, leads, milestones, progress, lead names."""
    milestone = MilestoneFactory(action=action, activity="Audit the risk tool", date_text="June 2011")
    for n in range(times):
        kind = n % 5
        if kind == 0:
            action.text = f"Wording {n}"
            action._history_user = users[n % len(users)]
            action.save()
        elif kind == 1:
            action.leads.set(leads[: n % len(leads) + 1])
        elif kind == 2:
            milestone.completed = not milestone.completed
            milestone.date_text = f"June {2011 + n}"
            milestone.save()
        elif kind == 3:
            services.add_progress_update(
                action=action, author=users[n % len(users)], date=datetime.date(2010, 6, 30) + datetime.timedelta(days=n),
                narrative=f"Progress {n}", status=[rag.ON_TRACK, rag.AT_RISK, rag.OFF_TRACK][n % 3],
            )
        else:
            lead = leads[0]
            lead.name = f"Olivia Officer ({n})"
            lead.save()
    return Action.objects.get(pk=action.pk)


@pytest.fixture
def action_with_history(plan, everyone):
    """An action (with a recommendation and a milestone) edited `times` times, its own leads each time."""

    def make(number, times):
        area = AreaFactory(plan=plan, title=f"Area {number}")
        recommendation = RecommendationFactory(plan=plan, area=area, number=number)
        leads = [LeadFactory(name=f"Olivia Officer {number}", user=everyone["olivia"]),
                 LeadFactory(name=f"Head of Safeguarding {number}"), LeadFactory(name=f"DSVAB {number}", kind=Lead.BODY)]
        action = ActionFactory(area=area, recommendation=recommendation, number=f"{number}.1", leads=leads[:1])
        return edit(action, times, leads, [everyone["olivia"], everyone["mandy"], everyone["ada"]])

    return make


def test_the_history_runs_a_fixed_number_of_queries(client, mandy, action_with_history, django_assert_max_num_queries):
    few = action_with_history("1", 3)
    many = action_with_history("2", 40)
    client.force_login(mandy)

    def queries(action):
        url = reverse("action_detail", args=[action.pk])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured), response

    few_queries, few_page = queries(few)
    many_queries, many_page = queries(many)
    assert len(many_page.context["changes"]) > 4 * len(few_page.context["changes"])
    assert many_queries == few_queries
    with django_assert_max_num_queries(14):
        client.get(reverse("action_detail", args=[many.pk]))

    # The lead changes are still shown by name, not by id.
    lead_changes = [change for change in many_page.context["changes"] if change.field == "Leads"]
    assert len(lead_changes) >= 5
    assert any(
        "Head of Safeguarding 2" in change.new and "DSVAB 2" in change.new and "DSVAB 2" not in change.old
        for change in lead_changes
    )
    page = many_page.content.decode()
    history = page.split('id="change-history"')[1]
    assert "Head of Safeguarding 2" in history
    assert not re.search(r"\blead \d+", history)  # core.history's label for a lead it could not name


def test_history_names_what_foreign_keys_point_to_never_their_ids(olivia, mandy, action, division, directorate):
    plan = action.plan
    plan.unit = None
    plan.save()
    plan.unit = division
    plan.save()
    services.propose_completion(action=action, author=olivia, narrative="Done")
    services.return_completion(action=action, manager=mandy, comment="Not yet")
    action.refresh_from_db()
    action.unit = directorate
    action.save()
    changes = {(change.what, change.field, change.old, change.new) for change in action_changes(action)}
    assert ("Plan", "Owning unit", "(blank)", "Older People and Physical Disability") in changes
    assert (f"Action {action.number}", "Completion proposed by", "(blank)", "Olivia Officer") in changes
    assert (f"Action {action.number}", "Completion proposed by", "Olivia Officer", "(blank)") in changes
    assert (f"Action {action.number}", "Unit", "(blank)", "Adult Social Care") in changes


def test_history_says_when_what_a_foreign_key_pointed_to_is_gone(mandy, olivia, action):
    from core.models import OrganisationUnit

    unit = OrganisationUnit.objects.create(name="Short-lived team")
    action.unit = unit
    action.save()
    action.unit = None
    action.save()
    unit.delete()
    changes = [change for change in action_changes(action) if change.field == "Unit"]
    assert {(change.old, change.new) for change in changes} == {
        ("(blank)", "(deleted organisation unit)"), ("(deleted organisation unit)", "(blank)")
    }


def test_milestone_names_are_cut_at_a_word_never_mid_word(action):
    milestone = MilestoneFactory(
        action=action, activity="Agree the procedures for safeguarding referrals with the adult safeguarding board"
    )
    labels = {change.what for change in action_changes(action) if change.what.startswith("Milestone")}
    assert labels == {"Milestone “Agree the procedures for safeguarding referrals with the…” created"}


def test_foreign_key_names_cost_one_query_per_kind_however_many_changes(django_assert_max_num_queries, action, division, directorate):
    plan = action.plan
    for _ in range(2):
        plan.unit = directorate
        plan.save()
        plan.unit = division
        plan.save()
    with CaptureQueriesContext(connection) as few:
        action_changes(action)
    for _ in range(10):
        plan.unit = directorate
        plan.save()
        plan.unit = division
        plan.save()
    with CaptureQueriesContext(connection) as many:
        action_changes(action)
    assert len(many) == len(few)
