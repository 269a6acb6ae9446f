"""Proposing that an action is complete: the lead (or a manager) says so; a manager confirms it later."""

import pytest
from django.test import Client
from django.urls import reverse

from actionplans import rag, services
from actionplans.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db

ALLOWED_TO_UPDATE = {"olivia": True, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}


def url_of(action):
    return reverse("action_propose_completion", args=[action.pk])


def propose(client, user, action, narrative="All done", version=None):
    client.force_login(user)
    return client.post(
        url_of(action), {"narrative": narrative, "version": action.version if version is None else version, "seen_update_id": 0}
    )


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_UPDATE.items())
def test_who_may_propose_completion(client, everyone, action, name, allowed):
    response = propose(client, everyone[name], action)
    action.refresh_from_db()
    assert (response.status_code, action.completion_proposed) == ((302, True) if allowed else (403, False))


def test_needs_post(client, olivia, action):
    client.force_login(olivia)
    assert client.get(url_of(action)).status_code == 405


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
    response = client.post(url_of(action), {"narrative": "Again", "version": action.version, "seen_update_id": 0}, follow=True)
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
