"""Password guessing is slowed (django-axes, issue 12 finding 6): after 5 failures for one username, or from one
address, signing in is refused for 15 minutes with a page that says so, whatever the password; an admin can unlock."""

import datetime

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory


def attempt(client, username, password="wrong", address="192.0.2.1", url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client):
    return SESSION_KEY in client.session


def test_a_hundred_wrong_passwords_then_the_right_one_does_not_sign_in(client, ada):
    for _ in range(100):
        attempt(client, "ada")
    response = attempt(client, "ada", PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_four_wrong_passwords_are_errors_and_the_fifth_locks(client, olivia):
    for _ in range(4):
        response = attempt(client, "olivia")
        assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert attempt(client, "olivia").status_code == 429


def test_one_address_trying_many_usernames_is_locked_out_for_every_username(client, olivia, mandy):
    for name in ["ada", "admin", "root", "mandy", "nobody"]:
        attempt(client, name, address="198.51.100.7")
    assert attempt(client, "olivia", PASSWORD, address="198.51.100.7").status_code == 429
    assert not signed_in(client)
    # Olivia's own username has no failures: from her own desk she signs in.
    assert attempt(client, "olivia", PASSWORD, address="192.0.2.50").status_code == 302
    assert signed_in(client)


def test_one_username_tried_from_many_addresses_is_locked_out_from_every_address(client, ada, olivia):
    for host in range(1, 6):
        attempt(client, "ada", address=f"203.0.113.{host}")
    assert attempt(client, "ada", PASSWORD, address="192.0.2.99").status_code == 429
    assert not signed_in(client)
    # The addresses themselves are not locked out: other people there still sign in.
    assert attempt(client, "olivia", PASSWORD, address="203.0.113.1").status_code == 302


def test_the_lockout_page_says_how_long_and_who_can_unlock(client, olivia):
    for _ in range(5):
        response = attempt(client, "olivia")
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many attempts to sign in" in page
    assert "15 minutes" in page
    assert "administrator" in page and "unlock" in page
    assert 'class="govuk-heading-xl"' in page and "govuk-template__body" in page  # the service's own page
    assert "wrong" not in page  # the password typed is never echoed


def test_the_admins_sign_in_page_is_throttled_too(client, ada):
    for _ in range(5):
        response = attempt(client, "ada", url="/admin/login/")
    assert response.status_code == 429
    assert attempt(client, "ada", PASSWORD, url="/admin/login/").status_code == 429
    assert not signed_in(client)


def test_signing_in_works_again_after_the_cool_off(client, olivia):
    for _ in range(5):
        attempt(client, "olivia")
    locked = datetime.datetime.now(datetime.timezone.utc)
    with time_machine.travel(locked + datetime.timedelta(minutes=14), tick=False):
        assert attempt(client, "olivia", PASSWORD).status_code == 429
    # Each attempt while locked out starts the 15 minutes again.
    with time_machine.travel(locked + datetime.timedelta(minutes=20), tick=False):
        assert attempt(client, "olivia", PASSWORD).status_code == 429
    with time_machine.travel(locked + datetime.timedelta(minutes=20 + 16), tick=False):
        assert attempt(client, "olivia", PASSWORD).status_code == 302
        assert signed_in(client)


def test_behind_the_proxy_the_address_it_saw_is_counted_not_its_own_nor_what_the_client_made_up(client, olivia):
    with override_settings(AXES_CLIENT_IP_CALLABLE="core.signin.address_behind_proxy"):
        for made_up in range(5):
            client.post(
                reverse("login"), {"username": f"guess{made_up}", "password": "wrong"},
                REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{made_up}, 198.51.100.7",
            )
        guesser = client.post(
            reverse("login"), {"username": "olivia", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.200, 198.51.100.7",
        )
        assert guesser.status_code == 429
        # Everyone else comes through the same proxy and is not locked out with the guesser.
        colleague = client.post(
            reverse("login"), {"username": "olivia", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.40",
        )
        assert colleague.status_code == 302


def test_an_admin_unlocks_a_username(client, olivia):
    for host in range(1, 6):
        attempt(client, "olivia", address=f"203.0.113.{host}")
    assert attempt(client, "olivia", PASSWORD).status_code == 429
    call_command("axes_reset_username", "olivia")
    assert attempt(client, "olivia", PASSWORD).status_code == 302


def test_an_admin_unlocks_an_address(client, olivia):
    for name in ["a", "b", "c", "d", "e"]:
        attempt(client, name, address="198.51.100.7")
    assert attempt(client, "olivia", PASSWORD, address="198.51.100.7").status_code == 429
    call_command("axes_reset_ip", "198.51.100.7")
    assert attempt(client, "olivia", PASSWORD, address="198.51.100.7").status_code == 302


def test_a_successful_sign_in_does_not_wipe_the_failures_counted_against_others(client, ada, olivia):
    # A guesser with an account of their own: signing in as themselves between guesses buys no more guesses,
    # neither for the address they guess from nor for the username they guess.
    for _ in range(4):
        attempt(client, "ada", address="198.51.100.7")
    assert attempt(client, "olivia", PASSWORD, address="198.51.100.7").status_code == 302
    client.post(reverse("logout"))
    assert attempt(client, "ada", address="192.0.2.80").status_code == 429
    assert attempt(client, "someone", address="198.51.100.7").status_code == 429


def test_the_admin_lists_the_attempts_to_unlock_them(client, ada):
    attempt(client, "olivia", address="198.51.100.7")
    client.force_login(ada)
    page = client.get("/admin/axes/accessattempt/").content.decode()
    assert "198.51.100.7" in page and "olivia" in page
