"""Publishing a plan's report for a meeting (POST /plans/<id>/publish/): who may, what is kept (every format and the
read model), that it never changes when the data does, and what the next report says changed since."""

import datetime
import hashlib
import io

import pytest
from django.urls import reverse
from docx import Document

from actionplans import rag
from core.models import PublishedReport

from ...factories import ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def publish(client, plan, meeting="DMT, 5 December 2010", query="?as_at=2010-12-01"):
    return client.post(reverse("plan_publish", args=[plan.pk]) + query, {"meeting": meeting})


@pytest.mark.parametrize(
    "person, allowed",
    [("olivia", False), ("oscar", False), ("mandy", True), ("maurice", False), ("dmitri", True), ("ada", True)],
)
def test_who_may_publish(client, everyone, plan, action, person, allowed):
    client.force_login(everyone[person])
    response = publish(client, plan)
    assert response.status_code == (302 if allowed else 403)
    assert PublishedReport.objects.count() == (1 if allowed else 0)
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert ('id="publish"' in page) == allowed


def test_anonymous_and_a_get_publish_nothing(client, mandy, plan, action):
    response = publish(client, plan)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(mandy)
    assert client.get(reverse("plan_publish", args=[plan.pk])).status_code == 302
    assert not PublishedReport.objects.exists()


def test_a_publish_needs_the_meeting_and_a_csrf_token(mandy, plan, action):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(mandy)
    assert publish(strict, plan).status_code == 403
    relaxed = Client()
    relaxed.force_login(mandy)
    response = publish(relaxed, plan, meeting="  ")
    assert response.status_code == 302 and not PublishedReport.objects.exists()


def test_every_format_and_the_read_model_are_kept_and_listed(client, mandy, plan, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=rag.AT_RISK, narrative="Draft ready")
    client.force_login(mandy)
    publish(client, plan)
    published = PublishedReport.objects.get()
    assert (published.meeting, published.as_at, published.published_by) == ("DMT, 5 December 2010", datetime.date(2010, 12, 1), mandy)
    assert sorted(published.files.values_list("file_format", flat=True)) == ["csv", "docx", "html", "pdf", "xlsx"]
    (row,) = [row for area in published.read_model["areas"] for group in area["recommendations"] + [{"actions": area["actions"]}] for row in group["actions"]]
    assert row["rag"]["colour"] == rag.AMBER and row["latest_progress"] == {"date": "2010-06-30", "narrative": "Draft ready"}
    page = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "DMT, 5 December 2010" in page and reverse("published_file", args=[published.pk, "pdf"]) in page


def test_a_published_report_never_changes_when_the_data_does(client, mandy, oscar, plan, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=rag.AT_RISK, narrative="Draft ready")
    client.force_login(mandy)
    publish(client, plan)
    published = PublishedReport.objects.get()
    kept = {file.file_format: bytes(file.content) for file in published.files.all()}
    action.text = "Reworded later"
    action.save()
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 11, 1), status=rag.OFF_TRACK, narrative="Slipped badly")
    client.force_login(oscar)  # anyone signed in may read a plan's published report
    for file_format, content in kept.items():
        response = client.get(reverse("published_file", args=[published.pk, file_format]))
        assert response.status_code == 200 and response.content == content
        assert response["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    assert b"Slipped badly" not in kept["html"] and b"Reworded later" not in kept["html"]
    assert client.get(reverse("published_file", args=[published.pk, "odt"])).status_code == 404


def test_the_next_report_says_what_changed_since_the_last_published(client, mandy, plan, action):
    ProgressUpdateFactory(action=action, date=datetime.date(2010, 6, 30), status=rag.AT_RISK, narrative="Draft ready")
    client.force_login(mandy)
    publish(client, plan, meeting="DMT, 5 December 2010")
    ProgressUpdateFactory(action=action, date=datetime.date(2011, 1, 10), status=rag.OFF_TRACK, narrative="Slipped badly")
    page = client.get(reverse("plan_detail", args=[plan.pk]), {"format": "html", "as_at": "2011-01-31"}).content.decode()
    assert "Changes since the report for DMT, 5 December 2010" in page
    assert "Amber (At risk)" in page and "Red (Off track)" in page and "Slipped badly" in page
    word = Document(io.BytesIO(client.get(reverse("plan_detail", args=[plan.pk]), {"format": "docx", "as_at": "2011-01-31"}).content))
    assert "Changes since the report for DMT, 5 December 2010" in [p.text for p in word.paragraphs]
    # A report of a day before the one published compares with nothing later than itself.
    earlier = client.get(reverse("plan_detail", args=[plan.pk]), {"format": "html", "as_at": "2010-09-30"}).content.decode()
    assert "Changes since" not in earlier
