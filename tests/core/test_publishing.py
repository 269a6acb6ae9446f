"""core.publishing.published: the list of reports published for meetings, newest first, as the pages show it."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import publishing
from core.models import PublishedReport

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@dataclasses.dataclass(frozen=True)
class ReadModel:
    title: str = "Report"


def _publish(kind, subject_id, meeting, user, formats, published_at):
    report = publishing.publish(
        kind=kind, subject_id=subject_id, title="Report", meeting=meeting, as_at=datetime.date(2013, 9, 30), user=user,
        read_model=ReadModel(), files=[(file_format, f"report.{file_format}", "application/octet-stream", b"x") for file_format in formats],
    )
    PublishedReport.objects.filter(pk=report.pk).update(published_at=published_at)
    return report


def test_newest_first_with_the_publishers_name_and_the_files_formats_of_that_subject_only():
    mandy = UserFactory(username="mandy", first_name="Mandy", last_name="Manager")
    nameless = UserFactory(username="anon7", first_name="", last_name="")
    at = datetime.datetime(2013, 10, 1, 9, 30, tzinfo=datetime.timezone.utc)
    older = _publish(PublishedReport.PLAN, 4, "DMT, 1 October 2013", mandy, ["pdf", "docx"], at)
    newer = _publish(PublishedReport.PLAN, 4, "Cabinet, 2 October 2013", nameless, ["xlsx"], at + datetime.timedelta(days=1))
    _publish(PublishedReport.PLAN, 5, "Another plan's", mandy, ["pdf"], at)
    _publish(PublishedReport.PERFORMANCE, None, "The dashboard's", mandy, ["pdf"], at)
    rows = publishing.published(PublishedReport.PLAN, 4)
    assert [(row.pk, row.meeting, row.published_by, row.formats) for row in rows] == [
        (newer.pk, "Cabinet, 2 October 2013", "anon7", ("xlsx",)),
        (older.pk, "DMT, 1 October 2013", "Mandy Manager", ("docx", "pdf")),
    ]
    assert rows[1].published_at == at and rows[1].as_at == datetime.date(2013, 9, 30)
    assert [row.meeting for row in publishing.published(PublishedReport.PERFORMANCE)] == ["The dashboard's"]


def test_a_publisher_whose_account_is_gone_and_none_published_in_at_most_two_queries():
    user = UserFactory()
    _publish(PublishedReport.PERFORMANCE, None, "DMT", user, ["pdf"], datetime.datetime(2013, 10, 1, tzinfo=datetime.timezone.utc))
    user.delete()
    [row] = publishing.published(PublishedReport.PERFORMANCE)
    assert row.published_by == "" and row.formats == ("pdf",)
    with CaptureQueriesContext(connection) as captured:
        assert publishing.published(PublishedReport.PLAN, 1) == []
    assert len(captured) == 1  # no reports: their files are not looked for
