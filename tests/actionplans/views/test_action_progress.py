"""Adding progress to an action: GET shows the short update page that My actions links to,
POST saves (from that page or from the action page)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from actionplans import rag, selectors, services
from actionplans.models import Action, ProgressUpdate
from core.periods import today

from ...factories import ActionFactory, AreaFactory

pytestmark = pytest.mark.django_db

ALLOWED_TO_UPDATE = {"olivia": True, "oscar": False, "mandy": True, "maurice": False, "dmitri": True, "ada": True}


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


def url_of(action):
    return reverse("action_progress", args=[action.pk])


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_UPDATE.items())
def test_who_may_open_the_update_page(client, everyone, action, name, allowed):
    client.force_login(everyone[name])
    response = client.get(url_of(action))
    assert response.status_code == (200 if allowed else 403)


def test_the_update_page_shows_the_action_and_goes_back_where_it_came_from(client, olivia, action):
    client.force_login(olivia)
    response = client.get(url_of(action) + "?next=/")
    page = response.content.decode()
    assert response.templates[0].name == "actionplans/progress_form.html"
    assert "Add a progress update to action 1" in page and action.text[:30] in page
    assert "Past its due date of 31 Mar 2011" in page
    assert '<a href="/" class="govuk-back-link">Back</a>' in page
    assert '<input type="hidden" name="page" value="progress">' in page
    assert response.context["form"].initial["version"] == action.version


def test_the_update_page_never_links_back_off_site(client, olivia, action):
    client.force_login(olivia)
    page = client.get(url_of(action) + "?next=https://evil.example/").content.decode()
    assert "evil.example" not in page
    assert f'<a href="{action.get_absolute_url()}" class="govuk-back-link">Back</a>' in page


@pytest.mark.parametrize("name, allowed", ALLOWED_TO_UPDATE.items())
def test_who_may_save_progress(client, everyone, action, name, allowed):
    client.force_login(everyone[name])
    response = client.post(url_of(action), progress_data(action))
    if allowed:
        assert response.status_code == 302
        assert action.progress_updates.get().narrative == "Audit tool agreed with the board."
    else:
        assert response.status_code == 403
        assert not ProgressUpdate.objects.exists()


def test_anonymous_goes_to_login_and_nothing_changes(client, action):
    response = client.post(url_of(action), progress_data(action))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not ProgressUpdate.objects.exists()
    assert client.get(url_of(action))["Location"].startswith(reverse("login"))
    # Even for an action that does not exist: the login comes first.
    response = client.post("/actions/1/progress/", {})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_absent_action_is_404(client, olivia):
    client.force_login(olivia)
    assert client.post(reverse("action_progress", args=[999999]), {}).status_code == 404
    assert client.get(reverse("action_progress", args=[999999])).status_code == 404


def test_only_get_and_post(client, olivia, action):
    client.force_login(olivia)
    assert client.put(url_of(action)).status_code == 405


def test_csrf_is_enforced(olivia, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(olivia)
    response = client.post(url_of(action), progress_data(action))
    assert response.status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_progress_update_sets_status_and_rag(client, olivia, plan, lead):
    area = AreaFactory(plan=plan)
    action = ActionFactory(area=area, number="2", timescale=f"December {today().year + 1}", leads=[lead])
    client.force_login(olivia)
    client.post(url_of(action), progress_data(action))
    action = selectors.action_for_page(action.pk)
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
        # Found in review: blank-looking and ancient dates were crashes, not form errors.
        ({"date_0": " ", "date_1": " ", "date_2": " "}, "Enter the date of this update"),
        ({"date_0": "1", "date_1": " ", "date_2": "2020"}, "Enter the date of this update"),
        ({"date_0": "1", "date_1": "1", "date_2": "0001"}, "Year must be 1990 or later"),
    ],
)
def test_a_wrong_update_is_said_specifically_and_saves_nothing(client, olivia, action, overrides, message):
    client.force_login(olivia)
    response = client.post(url_of(action), progress_data(action, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert not ProgressUpdate.objects.exists()


def test_progress_update_cannot_be_dated_in_the_future(client, olivia, action):
    client.force_login(olivia)
    tomorrow = today() + datetime.timedelta(days=1)
    data = progress_data(action, date_0=str(tomorrow.day), date_1=str(tomorrow.month), date_2=str(tomorrow.year))
    response = client.post(url_of(action), data)
    assert "must be today or in the past" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_second_save_does_not_silently_overwrite_the_first(client, olivia, mandy, action):
    """Both open the form at the same version; the second is shown what changed and can resubmit."""
    seen_version = action.version
    client.force_login(olivia)
    first = client.post(url_of(action), progress_data(action, status=rag.ON_TRACK))
    assert first.status_code == 302

    client.force_login(mandy)
    stale = progress_data(action, narrative="Board has not met yet.", status=rag.OFF_TRACK, version=str(seen_version))
    second = client.post(url_of(action), stale)
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this action while you were editing it" in page
    assert "Olivia Officer" in page and "Audit tool agreed with the board." in page
    assert "Board has not met yet." in page  # what they typed is kept
    assert action.progress_updates.count() == 1
    assert selectors.action_for_page(action.pk).current_status == rag.ON_TRACK

    action.refresh_from_db()
    assert f'name="version" value="{action.version}"' in page
    resubmitted = client.post(
        url_of(action),
        stale | {"version": str(action.version), "seen_update_id": str(action.progress_updates.get().pk)},
    )
    assert resubmitted.status_code == 302
    assert selectors.action_for_page(action.pk).current_status == rag.OFF_TRACK


def test_a_note_on_a_completed_action_does_not_reopen_it(client, olivia, action):
    ProgressUpdate.objects.create(action=action, date=datetime.date(2011, 1, 1), status=rag.COMPLETED)
    client.force_login(olivia)
    page = client.get(reverse("action_detail", args=[action.pk]))
    assert "status" not in page.context["progress_form"].fields
    day = today()
    client.post(url_of(action), {
        "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": "Embedded in practice",
        "status": rag.ON_TRACK, "version": Action.objects.get(pk=action.pk).version, "seen_update_id": 0,
    })
    action = selectors.action_for_page(action.pk)
    assert action.progress_updates.last().narrative == "Embedded in practice"
    assert action.current_status == rag.COMPLETED


def test_officer_updates_from_my_actions_and_comes_back(client, olivia, action):
    client.force_login(olivia)
    url = url_of(action)
    page = client.get(url + "?next=/")
    assert page.status_code == 200 and 'name="next" value="/"' in page.content.decode()
    form = page.context["form"]
    day = today()
    data = {
        "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": "Quick note from home",
        "status": rag.AT_RISK, "version": form.initial["version"], "seen_update_id": form.initial["seen_update_id"],
        "next": reverse("home"), "page": "progress",
    }
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("home")
    assert action.progress_updates.get().narrative == "Quick note from home"
    # A mistake shows the same short page again, with the error and what was typed.
    again = client.post(url, {**data, "narrative": "", "version": action.version + 1})
    assert again.status_code == 200 and again.templates[0].name == "actionplans/progress_form.html"
    assert "Enter what progress has been made" in again.content.decode()
    evil = client.post(url, {"next": "https://evil.example/"})
    assert evil.status_code == 200  # invalid form: shown again, never redirected off-site


def test_a_saved_update_never_redirects_off_site(client, olivia, action):
    client.force_login(olivia)
    response = client.post(url_of(action), progress_data(action, next="https://evil.example/"))
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert action.progress_updates.count() == 1


def test_saving_says_so_on_the_next_page(client, olivia, action):
    client.force_login(olivia)
    response = client.post(url_of(action), progress_data(action), follow=True)
    assert "Progress update saved." in response.content.decode()


def test_a_conflict_on_the_short_update_page_shows_that_page_again_with_the_changes(client, olivia, mandy, action):
    client.force_login(olivia)
    url = reverse("action_progress", args=[action.pk])
    seen = client.get(url + "?next=/").context["form"].initial
    services.add_progress_update(action=action, author=mandy, date=today(), narrative="Manager's note", status=rag.AT_RISK)
    day = today()
    response = client.post(url, {
        "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": "My own note", "status": rag.ON_TRACK,
        "version": seen["version"], "seen_update_id": seen["seen_update_id"], "page": "progress", "next": "/",
    })
    assert response.status_code == 409
    assert response.templates[0].name == "actionplans/progress_form.html"
    page = response.content.decode()
    assert "Someone else changed this action" in page and "Manager&#x27;s note" in page
    assert "My own note" in page and 'name="next" value="/"' in page
    assert action.progress_updates.count() == 1


# --- Nothing typed is lost ---------------------------------------------------------------------


def test_an_update_sent_after_the_session_ended_is_there_to_save_after_signing_in_again(client, olivia, action):
    from django.contrib.auth import SESSION_KEY

    client.force_login(olivia)
    page = url_of(action) + "?next=/"
    client.get(page)
    # The session ends while the officer types (timed out, or the server restarted).
    client.session.flush()
    client.cookies.pop("sessionid", None)
    narrative = "Line one of a long update.\r\nLine two, typed over twenty minutes."
    response = client.post(url_of(action), progress_data(action, narrative=narrative, page="progress", next="/"))
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={url_of(action)}"
    assert SESSION_KEY not in client.session
    login = client.get(response.url).content.decode()
    assert "Your session had ended, so nothing was saved" in login
    # Signing in again goes back to the form (a GET), never to a bare 405, with the text as typed.
    signed_in = client.post(reverse("login"), {"username": "olivia", "password": "correct horse battery staple", "next": url_of(action)})
    assert signed_in.status_code == 302 and signed_in.url == url_of(action)
    form_page = client.get(signed_in.url)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert 'id="restored"' in html and "Line two, typed over twenty minutes." in html
    assert form_page.context["form"].data["narrative"] == narrative
    assert not action.progress_updates.exists()  # nothing saved behind their back
    # Saved from there, it is saved once; opening the form again shows a fresh one.
    client.post(url_of(action), form_page.context["form"].data)
    assert list(action.progress_updates.values_list("narrative", flat=True)) == [narrative]
    assert 'id="restored"' not in client.get(url_of(action)).content.decode()


def test_a_put_or_delete_gets_a_page_not_a_bare_405(client, olivia, action):
    client.force_login(olivia)
    response = client.delete(url_of(action))
    assert response.status_code == 405 and "GET" in response["Allow"]
    assert "This address cannot be opened on its own" in response.content.decode()


def test_a_narrative_longer_than_the_limit_is_refused_with_the_limit(client, olivia, action):
    client.force_login(olivia)
    response = client.post(url_of(action), progress_data(action, narrative="x" * 10_001))
    assert response.status_code == 200
    assert "What progress has been made must be 10,000 characters or fewer" in response.content.decode()
    assert not action.progress_updates.exists()
    client.post(url_of(action), progress_data(action, narrative="x" * 10_000))
    assert len(action.progress_updates.get().narrative) == 10_000
