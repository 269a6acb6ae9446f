"""Sessions end after an hour unused (SESSION_IDLE_TIMEOUT_MINUTES) and when the browser closes; using the
service keeps one alive, without a database write on every request (core/middleware.py)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db

NOW = datetime.datetime.now(datetime.timezone.utc)


def at(minutes):
    return time_machine.travel(NOW + datetime.timedelta(minutes=minutes), tick=False)


def stored_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_by_default_a_session_lasts_an_hour_idle_and_ends_with_the_browser():
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_the_session_cookie_ends_with_the_browser(client, olivia):
    response = client.post(reverse("login"), {"username": "olivia", "password": "correct horse battery staple"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value and not cookie["max-age"] and not cookie["expires"]


def test_an_hour_unused_ends_the_session(client, olivia):
    with at(0):
        client.force_login(olivia)
        assert client.get(reverse("home")).status_code == 200
    with at(61):
        response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_using_the_service_keeps_the_session_alive(client, olivia):
    with at(0):
        client.force_login(olivia)
    for minutes in [50, 100, 150, 200]:
        with at(minutes):
            assert client.get(reverse("home")).status_code == 200, f"signed out at {minutes} minutes"
    with at(261):
        assert client.get(reverse("home")).status_code == 302


def test_a_busy_minute_saves_the_session_once(client, olivia):
    with at(0):
        client.force_login(olivia)
        client.get(reverse("home"))
        saved = stored_expiry(client)
    for seconds in [10, 30, 50]:
        with time_machine.travel(NOW + datetime.timedelta(seconds=seconds), tick=False):
            client.get(reverse("home"))
        assert stored_expiry(client) == saved
    with at(2):
        client.get(reverse("home"))
    assert stored_expiry(client) == saved + datetime.timedelta(minutes=2)


def test_signing_out_is_not_undone_by_the_keep_alive(client, olivia):
    with at(0):
        client.force_login(olivia)
        client.get(reverse("home"))
    with at(5):
        client.post(reverse("logout"))
        assert client.get(reverse("home")).status_code == 302


def test_visitors_who_are_not_signed_in_get_no_session_stored(client):
    client.get(reverse("login"))
    client.get(reverse("accessibility"))
    assert Session.objects.count() == 0


def test_a_session_is_read_in_one_query_and_an_expired_one_reads_as_none(client, olivia, django_assert_num_queries):
    from core.sessions import SessionStore

    client.force_login(olivia)
    key = client.session.session_key
    with django_assert_num_queries(1):
        assert SessionStore(key).load()["_auth_user_id"] == str(olivia.pk)
    Session.objects.filter(session_key=key).update(expire_date=NOW - datetime.timedelta(seconds=1))
    expired = SessionStore(key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("no-such-session-key-0123456789").load() == {}
    assert client.get(reverse("home")).status_code == 302  # the expired session signs no one in
