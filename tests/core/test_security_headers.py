"""Content-Security-Policy (django-csp) and Permissions-Policy on every page (issue 12 finding 11). GOV.UK
Frontend's inline scripts run by a nonce that changes with every response; no other inline script runs.
The browser tests check that no page breaks the policy (tests/browser/test_content_security_policy.py)."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")([^>]*)>", re.I)
INLINE_STYLE = re.compile(r"<style([^>]*)>", re.I)


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def nonce_of(response, directive="script-src"):
    [nonce] = [value[len("'nonce-"):-1] for value in policy(response)[directive] if value.startswith("'nonce-")]
    return nonce


def test_the_policy_allows_the_services_own_files_only(client, olivia):
    client.force_login(olivia)
    directives = policy(client.get(reverse("home")))
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"][0] == "'self'" and len(directives["script-src"]) == 2
    assert "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


def test_every_inline_script_and_style_carries_this_responses_nonce(client, olivia, plan, action):
    client.force_login(olivia)
    for url in [reverse("home"), plan.get_absolute_url(), action.get_absolute_url()]:
        response = client.get(url)
        page = response.content.decode()
        scripts = INLINE_SCRIPT.findall(page)
        assert scripts, f"{url}: GOV.UK Frontend's inline scripts are gone"
        nonce = nonce_of(response)
        for attributes in scripts + INLINE_STYLE.findall(page):
            assert f'nonce="{nonce}"' in attributes, f"{url}: an inline script or style without the nonce"


def test_the_nonce_is_new_every_time(client):
    assert nonce_of(client.get(reverse("login"))) != nonce_of(client.get(reverse("login")))


@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/actionplans/plan/", "/admin/actionplans/action/add/", "/admin/actionplans/plan/import/"]
)
def test_the_admin_works_under_the_policy(client, ada, plan, url):
    # The admin's scripts are files ('self'); its JSON data blocks are not run; an inline style needs the nonce.
    client.force_login(ada)
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    directives = policy(response)
    assert "'unsafe-inline'" not in directives.get("script-src", [])
    assert not INLINE_SCRIPT.findall(page), f"{url}: an inline script the policy blocks"
    for attributes in INLINE_STYLE.findall(page):
        assert f'nonce="{nonce_of(response, "style-src")}"' in attributes, f"{url}: an inline style the policy blocks"


@pytest.mark.parametrize("url", ["/login/", "/healthz", "/accessibility/", "/no-such-page/"])
def test_permissions_policy_turns_off_what_the_service_never_uses(client, url):
    features = dict(item.strip().split("=") for item in client.get(url)["Permissions-Policy"].split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert features[feature] == "()"


def test_the_lockout_page_runs_under_the_policy_too(client, olivia):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "olivia", "password": "wrong"})
    assert response.status_code == 429
    nonce = nonce_of(response)
    assert all(f'nonce="{nonce}"' in attributes for attributes in INLINE_SCRIPT.findall(response.content.decode()))


def test_a_form_refused_for_its_csrf_token_gets_a_page_of_the_service_under_the_policy(olivia):
    """Django's own page carries an inline style, which the policy blocks: it showed unstyled."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(olivia)
    response = client.post(reverse("password_change"), {"old_password": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "That form had expired" in page and "Nothing was saved" in page
    assert "<style" not in page
