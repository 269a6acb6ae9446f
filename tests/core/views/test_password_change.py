"""Users change their own password."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"


def test_linked_from_every_page_and_needs_a_login(client, olivia):
    assert client.get(reverse("password_change")).url.startswith(reverse("login"))
    client.force_login(olivia)
    assert f'href="{reverse("password_change")}"' in client.get(reverse("home")).content.decode()


def test_changing_the_password(client, olivia):
    client.force_login(olivia)
    response = client.post(
        reverse("password_change"),
        {"old_password": OLD, "new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert response.status_code == 302 and response.url == reverse("password_change_done")
    assert "Password changed" in client.get(response.url).content.decode()
    olivia.refresh_from_db()
    assert olivia.check_password("a new long passphrase")
    # Still signed in on this device (Django updates the session's hash).
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"old_password": "wrong", "new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
         "Your old password was entered incorrectly"),
        ({"old_password": OLD, "new_password1": "a new long passphrase", "new_password2": "another one"},
         "The two password fields didn"),
        ({"old_password": OLD, "new_password1": "12345678", "new_password2": "12345678"}, "This password is too common"),
    ],
)
def test_a_wrong_change_is_said_and_changes_nothing(client, olivia, data, message):
    client.force_login(olivia)
    response = client.post(reverse("password_change"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in page and message in page
    olivia.refresh_from_db()
    assert olivia.check_password(OLD)


def test_several_errors_of_one_field_share_one_message_and_one_id(client, olivia):
    client.force_login(olivia)
    page = client.post(
        reverse("password_change"), {"old_password": OLD, "new_password1": "1234", "new_password2": "1234"}
    ).content.decode()
    assert page.count('id="id_new_password2-error"') == 1
    assert "This password is too short" in page and "This password is too common" in page
