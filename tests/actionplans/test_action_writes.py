"""Every write view, for each role: who may, who may not (403, nothing changes)."""

import datetime

import pytest
from django.urls import reverse

from actionplans import rag
from core.periods import today
from actionplans.models import Action, ProgressUpdate

from ..factories import ActionFactory, AreaFactory

pytestmark = pytest.mark.django_db

ALLOWED_TO_UPDATE = {"olivia": True, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}
ALLOWED_TO_SIGN_OFF = {"olivia": False, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}


def progress_data(action, **overrides):
    day = today()
    data = {
        "date_0": str(day.day),
        "date_1": str(day.month),
        "date_2": str(day.year),
        "narrative": "Audit tool agreed with the board.",
        "status": rag.AT_RISK,
        "version": str(action.version),
        "seen_update_id": "0",
    }
    return data | overrides


def propose(client, user, action, narrative="All done"):
    client.force_login(user)
    return client.post(
        reverse("action_propose_completion", args=[action.pk]),
        {"narrative": narrative, "version": action.version, "seen_update_id": 0},
    )


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_UPDATE.items())
def test_progress_update_permission_matrix(client, everyone, action, name, allowed):
    client.force_login(everyone[name])
    response = client.post(reverse("action_progress", args=[action.pk]), progress_data(action))
    if allowed:
        assert response.status_code == 302
        assert action.progress_updates.get().narrative == "Audit tool agreed with the board."
    else:
        assert response.status_code == 403
        assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_UPDATE.items())
def test_propose_completion_permission_matrix(client, everyone, action, name, allowed):
    response = propose(client, everyone[name], action)
    action.refresh_from_db()
    assert (response.status_code, action.completion_proposed) == ((302, True) if allowed else (403, False))


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_SIGN_OFF.items())
@pytest.mark.parametrize("decision", ["confirm", "return"])
def test_sign_off_permission_matrix(client, everyone, action, name, allowed, decision):
    propose(client, everyone["olivia"], action)
    action.refresh_from_db()
    client.force_login(everyone[name])
    response = client.post(
        reverse("action_sign_off", args=[action.pk]),
        {"decision": decision, "comment": "Evidence seen", "version": action.version, "seen_update_id": 0},
    )
    action.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert not action.completion_proposed
        assert (action.current_status == rag.COMPLETED) == (decision == "confirm")
    else:
        assert response.status_code == 403
        assert action.completion_proposed
        assert action.current_status != rag.COMPLETED


def test_forms_are_shown_only_to_those_who_may_use_them(client, everyone, action):
    for name, allowed in ALLOWED_TO_UPDATE.items():
        client.force_login(everyone[name])
        page = client.get(reverse("action_detail", args=[action.pk])).content.decode()
        assert ('action="/actions/%d/progress/"' % action.pk in page) == allowed, name


def test_anonymous_writes_redirect_to_login_and_change_nothing(client, action):
    response = client.post(reverse("action_progress", args=[action.pk]), progress_data(action))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not ProgressUpdate.objects.exists()


def test_writes_need_post(client, olivia, action):
    client.force_login(olivia)
    assert client.get(reverse("action_progress", args=[action.pk])).status_code == 405


def test_absent_action_is_404(client, olivia):
    client.force_login(olivia)
    assert client.post(reverse("action_progress", args=[999999]), {}).status_code == 404


def test_csrf_is_enforced(olivia, action):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(olivia)
    response = client.post(reverse("action_progress", args=[action.pk]), progress_data(action))
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_progress_update_sets_status_and_rag(client, olivia, plan, lead):
    area = AreaFactory(plan=plan)
    action = ActionFactory(area=area, number="2", timescale=f"December {today().year + 1}", leads=[lead])
    client.force_login(olivia)
    client.post(reverse("action_progress", args=[action.pk]), progress_data(action))
    action = Action.objects.with_rag_inputs().get(pk=action.pk)
    assert action.current_status == rag.AT_RISK
    assert action.rag_on(today()) == rag.Rag(rag.AMBER, "At risk, as reported by the lead")
    page = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "At risk, as reported by the lead" in page
    assert "Audit tool agreed with the board." in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"narrative": ""}, "Enter what progress has been made"),
        ({"date_0": "31", "date_1": "2", "date_2": "2025"}, "Date must be a real date"),
        ({"date_0": "", "date_1": "", "date_2": ""}, "Enter the date of this update"),
        ({"date_2": "25"}, "Year must include 4 numbers"),
        ({"status": ""}, "Select the status of the action"),
        ({"status": rag.COMPLETED}, "Select a valid choice"),
    ],
)
def test_progress_update_errors_are_specific_and_save_nothing(client, olivia, action, overrides, message):
    client.force_login(olivia)
    response = client.post(reverse("action_progress", args=[action.pk]), progress_data(action, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert not ProgressUpdate.objects.exists()


def test_progress_update_cannot_be_dated_in_the_future(client, olivia, action):
    client.force_login(olivia)
    tomorrow = today() + datetime.timedelta(days=1)
    data = progress_data(action, date_0=str(tomorrow.day), date_1=str(tomorrow.month), date_2=str(tomorrow.year))
    response = client.post(reverse("action_progress", args=[action.pk]), data)
    assert "must be today or in the past" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_completion_counts_only_once_confirmed(client, olivia, mandy, action):
    propose(client, olivia, action)
    action = Action.objects.with_rag_inputs().get(pk=action.pk)
    assert action.completion_proposed and action.current_status != rag.COMPLETED
    assert "Completion proposed" in action.rag_on(today()).reason
    summary = action.plan.summary_on(today())
    assert summary.completed == 0

    client.force_login(mandy)
    client.post(
        reverse("action_sign_off", args=[action.pk]),
        {"decision": "confirm", "comment": "", "version": action.version, "seen_update_id": 0},
    )
    action = Action.objects.with_rag_inputs().get(pk=action.pk)
    assert action.current_status == rag.COMPLETED
    assert action.rag_on(today()).colour == rag.BLUE
    confirmation = action.progress_updates.last()
    assert confirmation.author == mandy and confirmation.source == ProgressUpdate.SIGN_OFF


def test_returning_a_completion_needs_a_comment_and_keeps_the_action_open(client, olivia, mandy, action):
    propose(client, olivia, action)
    action.refresh_from_db()
    client.force_login(mandy)
    url = reverse("action_sign_off", args=[action.pk])
    response = client.post(url, {"decision": "return", "comment": "", "version": action.version, "seen_update_id": 0})
    assert "Enter a comment saying why the completion is returned" in response.content.decode()
    action.refresh_from_db()
    assert action.completion_proposed

    client.post(url, {"decision": "return", "comment": "No evidence of the audit yet", "version": action.version, "seen_update_id": 0})
    action.refresh_from_db()
    assert not action.completion_proposed
    assert action.progress_updates.last().narrative == "Completion returned: No evidence of the audit yet"


def test_second_save_does_not_silently_overwrite_the_first(client, olivia, mandy, action):
    """Both open the form at the same version; the second is shown what changed and can resubmit."""
    seen_version = action.version
    client.force_login(olivia)
    first = client.post(reverse("action_progress", args=[action.pk]), progress_data(action, status=rag.ON_TRACK))
    assert first.status_code == 302

    client.force_login(mandy)
    stale = progress_data(action, narrative="Board has not met yet.", status=rag.OFF_TRACK, version=str(seen_version))
    second = client.post(reverse("action_progress", args=[action.pk]), stale)
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this action while you were editing it" in page
    assert "Olivia Officer" in page and "Audit tool agreed with the board." in page
    assert "Board has not met yet." in page  # what they typed is kept
    assert action.progress_updates.count() == 1
    assert Action.objects.with_rag_inputs().get(pk=action.pk).current_status == rag.ON_TRACK

    action.refresh_from_db()
    assert f'name="version" value="{action.version}"' in page
    resubmitted = client.post(
        reverse("action_progress", args=[action.pk]),
        stale | {"version": str(action.version), "seen_update_id": str(action.progress_updates.get().pk)},
    )
    assert resubmitted.status_code == 302
    assert Action.objects.with_rag_inputs().get(pk=action.pk).current_status == rag.OFF_TRACK


def test_history_records_who_changed_what(client, olivia, action):
    client.force_login(olivia)
    client.post(reverse("action_progress", args=[action.pk]), progress_data(action))
    record = ProgressUpdate.history.get()
    assert record.history_user == olivia and record.history_type == "+"

    action.text = "Streamline and clarify risk assessment documentation."
    action.save()
    page = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "Change history" in page
    assert "Streamline and clarify risk assessment documentation." in page
    assert "Progress update of" in page and "created" in page


def test_history_covers_plans_recommendations_milestones_and_leads(plan, action, lead):
    from actionplans.models import Lead, Milestone, Plan

    from ..factories import LeadFactory, MilestoneFactory

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

    from actionplans.history import action_changes

    changes = action_changes(action)
    fields = {(change.what.split(" ")[0], change.field) for change in changes}
    assert ("Milestone", "Completed") in fields
    assert any(change.field == "Leads" and "DSVAB" in change.new for change in changes)
