"""/healthz: for load balancers and monitoring. Public, never cached, 503 when the database is down."""

from unittest import mock

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_is_public_and_says_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert reverse("healthz") == "/healthz"


def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch("core.views.connection.cursor", side_effect=Exception("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
