"""Signing out is a button; opening /logout/ shows that button, never a bare 405."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_page_has_a_sign_out_button_not_a_link(client, olivia):
    client.force_login(olivia)
    page = client.get(reverse("home")).content.decode()
    assert f'<form class="app-inline-form" method="post" action="{reverse("logout")}">' in page
    assert f'href="{reverse("logout")}"' not in page


def test_opening_the_sign_out_address_shows_the_button(client, olivia):
    client.force_login(olivia)
    response = client.get(reverse("logout"))
    assert response.status_code == 200 and "<h1 class=\"govuk-heading-xl\">Sign out</h1>" in response.content.decode()
    assert SESSION_KEY in client.session  # a GET signs nobody out (a link in an email could)


def test_the_button_signs_out(client, olivia):
    client.force_login(olivia)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert SESSION_KEY not in client.session


def test_opening_it_signed_out_goes_to_sign_in(client):
    response = client.get(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
