"""Signing off a proposed completion: a manager of the action's unit (or an admin) confirms it,
or returns it to the lead with a comment. Nobody but an admin signs off their own proposal."""

import pytest
from django.test import Client
from django.urls import reverse

from actionplans import rag, selectors, services
from actionplans.models import Action, ProgressUpdate
from actionplans.selectors import summaries_of
from core.periods import today

pytestmark = pytest.mark.django_db

ALLOWED_TO_SIGN_OFF = {"olivia": False, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}


def url_of(action):
    return reverse("action_sign_off", args=[action.pk])


def propose(client, user, action, narrative="All done"):
    client.force_login(user)
    day = today()
    return client.post(
        reverse("action_propose_completion", args=[action.pk]),
        {
            "narrative": narrative, "version": action.version, "seen_update_id": 0,
            "finished_on_0": day.day, "finished_on_1": day.month, "finished_on_2": day.year,
        },
    )


def decision(action, decision="confirm", comment=""):
    return {"decision": decision, "comment": comment, "version": Action.objects.get(pk=action.pk).version, "seen_update_id": 0}


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_SIGN_OFF.items())
@pytest.mark.parametrize("decision", ["confirm", "return"])
def test_who_may_sign_off(client, everyone, action, name, allowed, decision):
    propose(client, everyone["olivia"], action)
    action.refresh_from_db()
    client.force_login(everyone[name])
    response = client.post(
        url_of(action),
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


def test_a_get_goes_to_the_action_page_that_holds_the_form(client, olivia, action):
    client.force_login(olivia)
    response = client.get(url_of(action))
    assert response.status_code == 302 and response.url == action.get_absolute_url()


def test_anonymous_goes_to_login_and_nothing_changes(client, olivia, action):
    services.propose_completion(action=action, author=olivia, narrative="Done")
    response = client.post(url_of(action), decision(action))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.post("/actions/1/sign-off/", {}).url.startswith(reverse("login"))
    assert Action.objects.get(pk=action.pk).completion_proposed


def test_absent_action_is_404(client, mandy):
    client.force_login(mandy)
    assert client.post(reverse("action_sign_off", args=[999999]), {}).status_code == 404


def test_csrf_is_enforced(olivia, mandy, action):
    services.propose_completion(action=action, author=olivia, narrative="Done")
    client = Client(enforce_csrf_checks=True)
    client.force_login(mandy)
    assert client.post(url_of(action), decision(action)).status_code == 403
    assert Action.objects.get(pk=action.pk).current_status != rag.COMPLETED


def test_completion_counts_only_once_confirmed(client, olivia, mandy, action):
    propose(client, olivia, action)
    action = selectors.action_for_page(action.pk)
    assert action.completion_proposed and action.current_status != rag.COMPLETED
    assert "Completion proposed" in action.rag_on(today()).reason
    # Still past its due date: proposed is not completed, in the plan's counts either.
    assert action.rag_colour == rag.RED
    assert summaries_of([action.plan])[action.plan_id].completed == 0

    client.force_login(mandy)
    client.post(url_of(action), {"decision": "confirm", "comment": "", "version": action.version, "seen_update_id": 0})
    action = selectors.action_for_page(action.pk)
    assert action.current_status == rag.COMPLETED
    assert action.rag_on(today()).colour == rag.BLUE
    confirmation = action.progress_updates.last()
    assert confirmation.author == mandy and confirmation.source == ProgressUpdate.SIGN_OFF
    assert summaries_of([action.plan])[action.plan_id].completed == 1


def test_returning_a_completion_needs_a_comment_and_keeps_the_action_open(client, olivia, mandy, action):
    propose(client, olivia, action)
    action.refresh_from_db()
    client.force_login(mandy)
    url = url_of(action)
    response = client.post(url, {"decision": "return", "comment": "", "version": action.version, "seen_update_id": 0})
    assert "Enter a comment saying why the completion is returned" in response.content.decode()
    action.refresh_from_db()
    assert action.completion_proposed

    client.post(url, {"decision": "return", "comment": "No evidence of the audit yet", "version": action.version, "seen_update_id": 0})
    action.refresh_from_db()
    assert not action.completion_proposed
    assert action.progress_updates.last().narrative == "Completion returned: No evidence of the audit yet"


def test_a_decision_must_be_chosen(client, olivia, mandy, action):
    services.propose_completion(action=action, author=olivia, narrative="Done")
    client.force_login(mandy)
    response = client.post(url_of(action), decision(action, decision=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Select whether the action is complete" in page
    assert Action.objects.get(pk=action.pk).completion_proposed


def test_a_manager_cannot_sign_off_their_own_proposal(client, mandy, dmitri, action):
    services.propose_completion(action=action, author=mandy, narrative="Done")
    client.force_login(mandy)
    url = url_of(action)
    data = {"decision": "confirm", "comment": "", "version": Action.objects.get(pk=action.pk).version, "seen_update_id": 0}
    assert client.post(url, data).status_code == 403
    client.force_login(dmitri)
    assert client.post(url, data).status_code == 302
    assert selectors.action_for_page(action.pk).current_status == rag.COMPLETED


def test_nothing_proposed_is_said_and_nothing_changes(client, mandy, action):
    client.force_login(mandy)
    response = client.post(url_of(action), decision(action), follow=True)
    assert "No completion has been proposed for this action." in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_a_decision_over_someone_elses_is_shown_what_changed(client, olivia, mandy, dmitri, action):
    services.propose_completion(action=action, author=olivia, narrative="Done")
    seen = decision(action)
    services.return_completion(action=action, manager=dmitri, comment="Where is the audit report?")
    client.force_login(mandy)
    response = client.post(url_of(action), seen)
    assert response.status_code == 409
    assert "Where is the audit report?" in response.content.decode()
    assert Action.objects.get(pk=action.pk).current_status != rag.COMPLETED
