"""Signing in: the login page is public, every other page (but /healthz) needs a login,
and the admin is for staff only."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory


def test_login_page_is_public(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Sign in" in response.content.decode()


# The pages of each view file say it for themselves (home, plan list, plan page, action
# page, accessibility statement, the writes); the plan's exports are said here.
@pytest.mark.parametrize("url", ["/plans/1/?format=csv", "/plans/1/?format=xlsx"])
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_wrong_password_shows_an_error_summary(client, olivia):
    response = client.post(reverse("login"), {"username": "olivia", "password": "wrong"})
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_username"' in page


def test_login_then_home(client, olivia):
    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")


def test_login_goes_back_to_the_page_asked_for(client, olivia):
    asked = client.get(reverse("plan_list"))["Location"]
    assert 'name="next" value="/plans/"' in client.get(asked).content.decode()
    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD, "next": "/plans/"})
    assert response.url == "/plans/"


def test_a_switched_off_account_cannot_sign_in(client, olivia):
    olivia.is_active = False
    olivia.save()
    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_logout_goes_back_to_the_login_page(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_admin_is_for_staff_only(client, olivia, ada):
    client.force_login(olivia)
    assert client.get("/admin/").status_code == 302
    client.force_login(ada)
    assert client.get("/admin/").status_code == 200


def test_a_signed_in_user_comes_with_their_profile_in_one_query(client, olivia, django_assert_num_queries):
    """core.signin.UserBackend: the user and their profile and unit are one query, the session another."""
    from django.contrib.auth import SESSION_KEY, get_user
    from core import roles

    client.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert client.session["_auth_user_backend"] == "core.signin.UserBackend"
    request = client.get(reverse("login")).wsgi_request  # a request carrying the session
    with django_assert_num_queries(2):
        user = get_user(request)
        assert str(user.pk) == client.session[SESSION_KEY]
        assert roles.profile_of(user).unit.name == olivia.profile.unit.name
        assert not roles.is_manager(user)


def test_an_account_with_no_profile_and_a_switched_off_one(client, ada, olivia):
    from core import roles
    from core.signin import UserBackend

    backend = UserBackend()
    admin = backend.get_user(ada.pk)
    assert admin == ada and roles.profile_of(admin) is None and roles.is_admin(admin)
    olivia.is_active = False
    olivia.save()
    assert backend.get_user(olivia.pk) is None
    assert backend.get_user(0) is None


def test_the_signed_in_user_is_loaded_whole_with_their_profile_and_its_unit(olivia, ada, django_assert_num_queries):
    """The compiled query of core.signin gives what Django's own would: every field, as the database holds it."""
    from django.contrib.auth import get_user_model

    from core.models import Profile
    from core.signin import UserBackend

    expected = get_user_model().objects.get(pk=olivia.pk)
    with django_assert_num_queries(1):
        user = UserBackend().get_user(olivia.pk)
        assert [getattr(user, f.attname) for f in user._meta.concrete_fields] == [
            getattr(expected, f.attname) for f in user._meta.concrete_fields
        ]
        assert user.last_login is None or user.last_login.tzinfo is not None
        assert user.profile.user is user and user.profile.role == Profile.OFFICER
        assert user.profile.unit == olivia.profile.unit and user.profile.unit.name == olivia.profile.unit.name
        assert not user._state.adding and user._state.db == "default"

    Profile.objects.filter(user=olivia).update(unit=None)
    with django_assert_num_queries(1):
        assert UserBackend().get_user(olivia.pk).profile.unit is None
    with django_assert_num_queries(1):
        admin = UserBackend().get_user(ada.pk)
        assert not hasattr(admin, "profile")
