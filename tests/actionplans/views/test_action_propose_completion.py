"""Proposing that an action is complete: the lead (or a manager) says so; a manager confirms it later."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from actionplans import rag, services
from actionplans.models import Action, ProgressUpdate
from core.periods import today

pytestmark = pytest.mark.django_db

ALLOWED_TO_UPDATE = {"olivia": True, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}


def url_of(action):
    return reverse("action_propose_completion", args=[action.pk])


def propose(client, user, action, narrative="All done", version=None):
    client.force_login(user)
    return client.post(url_of(action), proposal(action, narrative, version))


def proposal(action, narrative="All done", version=None, finished_on=None):
    finished_on = finished_on or today()
    return {
        "narrative": narrative, "version": action.version if version is None else version, "seen_update_id": 0,
        "finished_on_0": finished_on.day, "finished_on_1": finished_on.month, "finished_on_2": finished_on.year,
    }


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_UPDATE.items())
def test_who_may_propose_completion(client, everyone, action, name, allowed):
    response = propose(client, everyone[name], action)
    action.refresh_from_db()
    assert (response.status_code, action.completion_proposed) == ((302, True) if allowed else (403, False))


def test_a_get_goes_to_the_action_page_that_holds_the_form(client, olivia, action):
    client.force_login(olivia)
    response = client.get(url_of(action))
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert client.put(url_of(action)).status_code == 405


def test_anonymous_goes_to_login_and_nothing_changes(client, action):
    response = client.post(url_of(action), {"narrative": "", "version": action.version, "seen_update_id": 0})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post("/actions/1/propose-completion/", {}).url.startswith(reverse("login"))
    action.refresh_from_db()
    assert not action.completion_proposed


def test_absent_action_is_404(client, olivia):
    client.force_login(olivia)
    assert client.post(reverse("action_propose_completion", args=[999999]), {}).status_code == 404


def test_csrf_is_enforced(olivia, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(olivia)
    response = client.post(url_of(action), {"narrative": "", "version": action.version, "seen_update_id": 0})
    assert response.status_code == 403
    action.refresh_from_db()
    assert not action.completion_proposed


def test_proposing_records_the_evidence_and_awaits_a_manager(client, olivia, action):
    response = propose(client, olivia, action, narrative="Audit report to the board in May")
    assert response.url == action.get_absolute_url()
    page = client.get(response.url).content.decode()
    assert "Completion proposed. A manager will confirm it or return it to you." in page
    assert "Completion proposed. Audit report to the board in May" in page
    action = Action.objects.get(pk=action.pk)
    assert action.completion_proposed_by == olivia and action.current_status != rag.COMPLETED


def test_a_second_proposal_is_refused_with_a_message(client, olivia, mandy, action):
    services.propose_completion(action=action, author=mandy, narrative="Done")
    action.refresh_from_db()
    client.force_login(olivia)
    response = client.post(url_of(action), proposal(action, "Again"), follow=True)
    assert "Completion has already been proposed" in response.content.decode()
    assert ProgressUpdate.objects.count() == 1 and Action.objects.get(pk=action.pk).completion_proposed_by == mandy


def test_a_proposal_over_someone_elses_update_is_shown_what_changed(client, olivia, mandy, action):
    seen_version = action.version
    services.add_progress_update(action=action, author=mandy, date=action.plan.source_date, narrative="Checked by Mandy")
    response = propose(client, olivia, action, narrative="All done", version=seen_version)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed this action while you were editing it" in page and "Checked by Mandy" in page
    assert not Action.objects.get(pk=action.pk).completion_proposed


def test_the_lead_gives_the_day_the_work_finished_and_confirmation_counts_from_it(client, olivia, mandy, action):
    from actionplans.models import ProgressUpdate as Update
    from actionplans.selectors import plan_report

    Update.objects.create(action=action, date=today() - datetime.timedelta(days=30), status=rag.ON_TRACK, narrative="Going")
    finished = today() - datetime.timedelta(days=10)
    client.force_login(olivia)
    client.post(url_of(action), proposal(Action.objects.get(pk=action.pk), finished_on=finished))
    action.refresh_from_db()
    assert action.completion_finished_on == finished
    assert f"The work was finished on {finished:%-d %b %Y}" in action.progress_updates.last().narrative
    client.force_login(mandy)
    page = client.get(action.get_absolute_url()).content.decode()
    assert f"the work having finished on {finished:%-d %B %Y}".replace("  ", " ") in page
    services.confirm_completion(action=action, manager=mandy)
    action.refresh_from_db()
    assert action.current_status == rag.COMPLETED and action.completion_finished_on is None
    # "As at" a day after the work finished and before the confirmation, the action was completed.
    day_between = finished + datetime.timedelta(days=1)
    row = next(plan_report(action.plan, day_between).rows)
    assert row.status == rag.COMPLETED


@pytest.mark.parametrize(
    ("days_ago", "message"),
    [
        (-1, "The date the work was finished must be today or in the past"),
        (40, "The date the work was finished must be on or after the latest status reported"),
    ],
)
def test_a_wrong_finish_date_is_said_and_nothing_changes(client, olivia, action, days_ago, message):
    ProgressUpdate.objects.create(
        action=action, date=today() - datetime.timedelta(days=30), status=rag.ON_TRACK, narrative="Going"
    )
    client.force_login(olivia)
    response = client.post(url_of(action), proposal(action, finished_on=today() - datetime.timedelta(days=days_ago)))
    assert response.status_code == 200 and message in response.content.decode()
    action.refresh_from_db()
    assert not action.completion_proposed


def test_a_returned_completion_can_be_proposed_again_with_the_day_the_work_really_finished(client, olivia, mandy, action):
    # Notes with no status (the proposal, the manager's return, "finished last Friday") never stand in the way.
    ProgressUpdate.objects.create(action=action, date=today() - datetime.timedelta(days=20), status=rag.ON_TRACK)
    ProgressUpdate.objects.create(action=action, date=today(), narrative="Finished a week ago")
    finished = today() - datetime.timedelta(days=7)
    client.force_login(olivia)
    client.post(url_of(action), proposal(Action.objects.get(pk=action.pk), finished_on=finished))
    services.return_completion(action=Action.objects.get(pk=action.pk), manager=mandy, comment="Send the evidence")
    response = client.post(url_of(action), proposal(Action.objects.get(pk=action.pk), finished_on=finished))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.completion_proposed and action.completion_finished_on == finished


def test_the_service_refuses_a_finish_before_the_latest_status_whoever_calls_it(olivia, action):
    ProgressUpdate.objects.create(action=action, date=today() - datetime.timedelta(days=5), status=rag.AT_RISK)
    with pytest.raises(services.NotAllowed, match="before the latest status reported"):
        services.propose_completion(
            action=action, author=olivia, narrative="", finished_on=today() - datetime.timedelta(days=6)
        )
