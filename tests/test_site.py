"""Site-wide rules: login everywhere but the login page and /healthz; health check; deploy checks."""

import os
import subprocess
import sys
from unittest import mock

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", "/plans/", "/plans/1/", "/plans/1/?format=csv", "/actions/1/", "/accessibility/"]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


@pytest.mark.parametrize("url", ["/actions/1/progress/", "/actions/1/propose-completion/", "/actions/1/sign-off/"])
def test_anonymous_posts_are_refused(client, url):
    response = client.post(url, {})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_login_page_and_healthz_are_public(client):
    assert client.get(reverse("login")).status_code == 200
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch("core.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_wrong_password_shows_an_error_summary(client, olivia):
    response = client.post(reverse("login"), {"username": "olivia", "password": "wrong"})
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_username"' in page


def test_login_then_home(client, olivia):
    response = client.post(reverse("login"), {"username": "olivia", "password": "correct horse battery staple"})
    assert response.status_code == 302 and response.url == reverse("home")


def test_admin_is_for_staff_only(client, olivia, ada):
    client.force_login(olivia)
    assert client.get("/admin/").status_code == 302
    client.force_login(ada)
    assert client.get("/admin/").status_code == 200


def test_header_shows_the_council_name_from_settings(client, olivia, settings):
    settings.COUNCIL_NAME = "Sefton Council"
    client.force_login(olivia)
    page = client.get(reverse("accessibility")).content.decode()
    assert "Sefton Council" in page
    assert "GOV.UK" not in page


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": "k" * 20 + "a-real-secret-key-of-plenty-of-characters-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "plans.example.gov.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr
