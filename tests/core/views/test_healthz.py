"""/healthz: for load balancers and monitoring. Public, never cached, 503 when the database is down, and within
a few seconds even when the database accepts connections and never answers (issue 12 finding 10)."""

import socket
import threading
import time
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def silent_database():
    """The port of a server that accepts connections and never says a word, as a hung database host does."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted = []
    closing = threading.Event()

    def accept():
        server.settimeout(0.1)
        while not closing.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    listener = threading.Thread(target=accept, daemon=True)
    listener.start()
    yield server.getsockname()[1]
    closing.set()
    listener.join()
    for conversation in accepted:
        conversation.close()  # the probe waiting on it gets its answer at last (an error) and ends
    server.close()
    for thread in threading.enumerate():
        if thread.name == "healthz-database-probe":
            thread.join(10)  # the next test's /healthz must not find it still waiting


def database_at(port):
    """/healthz's new connections go to PostgreSQL on `port` (the connection of the test itself is untouched)."""
    elsewhere = {
        **connections.settings[DEFAULT_DB_ALIAS],
        "ENGINE": "django.db.backends.postgresql",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "NAME": "plans",
        "USER": "plans",
        "PASSWORD": "",
        "OPTIONS": {},  # no connect_timeout: the deadline must hold even without one
    }
    return mock.patch.dict(connections.settings, {DEFAULT_DB_ALIAS: elsewhere})


def test_is_public_and_says_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert reverse("healthz") == "/healthz"


def test_healthz_is_503_when_the_database_refuses_connections(client):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with database_at(port):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_is_503_within_seconds_when_the_database_accepts_and_never_answers(client, silent_database):
    with database_at(silent_database):
        started = time.monotonic()
        first = client.get("/healthz")
        second = client.get("/healthz")  # while the first probe still waits
        took = time.monotonic() - started
    assert (first.status_code, second.status_code) == (503, 503)
    assert first.json() == {"status": "error", "database": "unavailable"}
    assert took < 10
    # One probe waits on the silent database at a time, not one more for each load balancer's call.
    assert sum(thread.name == "healthz-database-probe" for thread in threading.enumerate()) <= 1


def test_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
