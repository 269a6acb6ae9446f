"""The accessibility statement: for everyone, signed in or not (a person the login page fails must be able
to read how to report it), in the council's name."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["olivia", "oscar", "mandy", "maurice", "dmitri", "ada"])
def test_everyone_signed_in_may_read_it(client, everyone, name):
    client.force_login(everyone[name])
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "Accessibility statement for" in response.content.decode()


def test_anyone_may_read_it_without_signing_in(client):
    response = client.get("/accessibility/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Accessibility statement for" in page and "Sign out" not in page


def test_header_shows_the_council_name_from_settings(client, olivia, settings):
    settings.COUNCIL_NAME = "Sefton Council"
    client.force_login(olivia)
    page = client.get(reverse("accessibility")).content.decode()
    assert "Sefton Council" in page
    assert "GOV.UK" not in page


def test_names_the_service_and_who_to_contact_from_settings(client, olivia, settings):
    settings.SERVICE_NAME = "Improvement plans"
    settings.ACCESSIBILITY_CONTACT = "accessibility@sefton.example"
    client.force_login(olivia)
    page = client.get(reverse("accessibility")).content.decode()
    assert "Accessibility statement for improvement plans" in page
    assert "contact accessibility@sefton.example" in page


def test_the_sign_in_page_links_to_it_and_the_link_does_not_loop_back(client):
    page = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("accessibility")}"' in page
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200 and "Accessibility statement" in response.content.decode()
