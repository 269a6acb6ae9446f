"""A form sent after the session ended is kept through sign-in (core/middleware.py): only forms an app
registered, only their fields, for half an hour, and only for the person who was signed in before."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from actionplans import rag, services
from core.middleware import KEPT_FORM
from core.periods import today

from ..factories import MilestoneFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def session_ends(client, user, page):
    """`user` has `page` open, then their session ends (the last-user cookie stays, as in a browser)."""
    client.force_login(user)
    client.get(page)
    client.session.flush()
    client.cookies.pop("sessionid", None)


def sign_in(client, user, next_url):
    response = client.post(reverse("login"), {"username": user.get_username(), "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def progress(action, narrative="Typed for twenty minutes"):
    day = today()
    return {
        "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": narrative, "status": rag.AT_RISK,
        "version": action.version, "seen_update_id": 0,
    }


def test_a_password_form_is_never_kept(client, olivia):
    session_ends(client, olivia, reverse("password_change"))
    client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "x" * 12, "new_password2": "x" * 12})
    assert KEPT_FORM not in client.session
    client.post("/admin/auth/user/1/password/", {"password1": "secret", "password2": "secret"})
    assert KEPT_FORM not in client.session


def test_only_the_forms_fields_are_kept_and_never_much(client, olivia, action):
    url = reverse("action_progress", args=[action.pk])
    session_ends(client, olivia, url)
    client.post(url, {**progress(action), "x" * 500: "", "csrfmiddlewaretoken": "t"})
    assert set(client.session[KEPT_FORM]["data"]) == {"date_0", "date_1", "date_2", "narrative", "status", "version", "seen_update_id"}
    session_ends(client, olivia, url)
    client.post(url, progress(action, narrative="x" * 12_001))
    assert KEPT_FORM not in client.session


def test_nothing_is_kept_when_nobody_was_signed_in_on_the_browser(client, action):
    client.post(reverse("action_progress", args=[action.pk]), progress(action))
    assert KEPT_FORM not in client.session


def test_the_next_person_to_sign_in_on_the_browser_never_sees_it(client, olivia, mandy, action):
    url = reverse("action_progress", args=[action.pk])
    session_ends(client, olivia, url)
    client.post(url, progress(action, narrative="Olivia's words"))
    sign_in(client, mandy, url)
    page = client.get(url).content.decode()
    assert "Olivia&#x27;s words" not in page and "Olivia's words" not in page and 'id="restored"' not in page
    assert KEPT_FORM not in client.session


def test_what_was_kept_goes_after_half_an_hour(client, olivia, action):
    url = reverse("action_progress", args=[action.pk])
    session_ends(client, olivia, url)
    client.post(url, progress(action, narrative="Old words"))
    sign_in(client, olivia, url)
    with time_machine.travel(datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=31)):
        client.force_login(olivia)
        assert "Old words" not in client.get(url).content.decode()


def test_a_form_kept_for_one_action_is_not_offered_on_anothers_page(client, olivia, action, lead, plan):
    from ..factories import ActionFactory

    other = ActionFactory(area=action.area, number="2", leads=[lead])
    url = reverse("action_progress", args=[action.pk])
    session_ends(client, olivia, url)
    client.post(url, progress(action, narrative="For action 1"))
    sign_in(client, olivia, url)
    assert "For action 1" not in client.get(reverse("action_progress", args=[other.pk])).content.decode()
    assert "For action 1" in client.get(url).content.decode()


@pytest.mark.parametrize("form", ["propose", "sign_off", "milestone"])
def test_the_action_pages_forms_are_restored_there(client, olivia, mandy, action, form):
    milestone = MilestoneFactory(action=action, activity="Agree the procedures")
    day = today()
    if form == "propose":
        user, url = olivia, reverse("action_propose_completion", args=[action.pk])
        data = {"finished_on_0": day.day, "finished_on_1": day.month, "finished_on_2": day.year,
                "narrative": "Evidence typed before the session ended", "version": action.version, "seen_update_id": 0}
        typed = "Evidence typed before the session ended"
    elif form == "sign_off":
        services.propose_completion(action=action, author=olivia, narrative="Done")
        action.refresh_from_db()
        user, url = mandy, reverse("action_sign_off", args=[action.pk])
        data = {"decision": "return", "comment": "Comment typed before the session ended", "version": action.version,
                "seen_update_id": 0}
        typed = "Comment typed before the session ended"
    else:
        user, url = olivia, reverse("milestone_done", args=[milestone.pk])
        data = {"completed_on_0": "17", "completed_on_1": "3", "completed_on_2": "2010"}
        typed = 'value="17"'
    session_ends(client, user, action.get_absolute_url())
    response = client.post(url, data)
    assert response.url == f"{reverse('login')}?next={url}"
    signed_in = sign_in(client, user, url)
    back = client.get(signed_in.url, follow=True)
    assert back.redirect_chain[-1][0] == action.get_absolute_url()
    page = back.content.decode()
    assert 'id="restored"' in page and typed in page


def test_signing_out_after_the_session_ended_keeps_nothing_and_goes_to_sign_in(client, olivia):
    session_ends(client, olivia, reverse("home"))
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert KEPT_FORM not in client.session
    assert "what you typed is kept" not in client.get(reverse("login")).content.decode()


def test_the_page_promises_what_was_typed_only_when_it_shows_it(client, olivia, oscar, action):
    # Kept for a form the page no longer shows (the completion was proposed meanwhile): no promise.
    url = reverse("action_propose_completion", args=[action.pk])
    session_ends(client, olivia, action.get_absolute_url())
    day = today()
    client.post(url, {"finished_on_0": day.day, "finished_on_1": day.month, "finished_on_2": day.year,
                      "narrative": "Kept words", "version": action.version, "seen_update_id": 0})
    services.propose_completion(action=action, author=olivia, narrative="Proposed from another tab")
    sign_in(client, olivia, url)
    page = client.get(url, follow=True).content.decode()
    assert 'id="restored"' not in page and "Kept words" not in page


def test_a_form_sent_after_an_hour_idle_is_kept_through_signing_in_again(client, olivia, action):
    url = reverse("action_progress", args=[action.pk])
    started = datetime.datetime.now(datetime.timezone.utc)
    with time_machine.travel(started, tick=False):
        client.force_login(olivia)
        assert client.get(url).status_code == 200
    # She types for an hour and five minutes, then presses Save: the session timed out meanwhile.
    with time_machine.travel(started + datetime.timedelta(minutes=65), tick=False):
        response = client.post(url, progress(action, narrative="Typed while the session timed out"))
        assert response.status_code == 302 and response.url == f"{reverse('login')}?next={url}"
        sign_in(client, olivia, url)
        page = client.get(url).content.decode()
    assert 'id="restored"' in page and "Typed while the session timed out" in page
