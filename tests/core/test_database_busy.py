"""A write that could not get the database in time answers a GOV.UK "busy" page, 503, never a 500
(core.middleware.DatabaseBusyMiddleware; issue 12, finding 9)."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from actionplans import rag, services
from actionplans.models import ProgressUpdate
from core.periods import today

pytestmark = pytest.mark.django_db


class PostgresError(Exception):
    """What psycopg2 raises, as far as the middleware reads it: Django's OperationalError wraps it."""

    def __init__(self, pgcode):
        super().__init__(pgcode)
        self.pgcode = pgcode


def raised_from(message, pgcode=None):
    error = OperationalError(message)
    error.__cause__ = PostgresError(pgcode) if pgcode else None
    return error


def post_progress(client, action):
    day = today()
    return client.post(reverse("action_progress", args=[action.pk]), {
        "date_0": day.day, "date_1": day.month, "date_2": day.year, "narrative": "Audit tool agreed.",
        "status": rag.ON_TRACK, "version": action.version, "seen_update_id": 0,
    })


@pytest.mark.parametrize(
    "error",
    [
        raised_from("database is locked"),  # SQLite: another writer held it past the busy timeout
        raised_from("deadlock detected", "40P01"),
        raised_from("could not serialize access due to concurrent update", "40001"),
        raised_from("canceling statement due to lock timeout", "55P03"),
    ],
    ids=["sqlite locked", "deadlock", "serialization failure", "lock timeout"],
)
def test_a_write_that_finds_the_database_busy_gets_a_page_saying_so(client, monkeypatch, olivia, action, error):
    def busy(**kwargs):
        raise error

    monkeypatch.setattr(services, "add_progress_update", busy)
    client.force_login(olivia)
    response = post_progress(client, action)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert [template.name for template in response.templates][0] == "503.html"
    page = response.content.decode()
    assert "Sorry, the service is busy" in page and "yours was not saved" in page
    assert not ProgressUpdate.objects.filter(narrative="Audit tool agreed.").exists()


def test_any_other_database_error_is_still_an_error(client, monkeypatch, olivia, action):
    def broken(**kwargs):
        raise raised_from("no such table: actionplans_progressupdate")

    monkeypatch.setattr(services, "add_progress_update", broken)
    client.force_login(olivia)
    with pytest.raises(OperationalError, match="no such table"):
        post_progress(client, action)
