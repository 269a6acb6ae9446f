"""Publishing the performance report for a meeting (POST /performance/report/publish/): managers and admins only,
kept byte for byte, and the next report names the indicators that changed colour since."""

import pytest
from django.urls import reverse

from core.models import PublishedReport
from core.periods import Month
from performance import state

from ..test_selectors import monthly
from .test_dashboard import indicators  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/performance/report/publish/"


def publish(client, period="2013-09", meeting="Cabinet Committee, 5 December 2013"):
    return client.post(f"{URL}?period={period}", {"meeting": meeting})


def test_the_url_is_named():
    assert reverse("performance_publish") == URL


@pytest.mark.parametrize(
    "person, allowed", [("olivia", False), ("oscar", False), ("mandy", True), ("dmitri", True), ("ada", True)]
)
def test_who_may_publish(client, everyone, indicators, person, allowed):
    client.force_login(everyone[person])
    assert publish(client).status_code == (302 if allowed else 403)
    assert PublishedReport.objects.filter(kind=PublishedReport.PERFORMANCE).count() == (1 if allowed else 0)
    page = client.get("/performance/", {"period": "2013-09"}).content.decode()
    assert ('id="publish"' in page) == allowed


def test_kept_unchanged_and_the_next_report_says_what_changed_colour(client, indicators, mandy, olivia):
    client.force_login(mandy)
    publish(client)
    published = PublishedReport.objects.get()
    assert sorted(published.files.values_list("file_format", flat=True)) == ["docx", "html", "pdf", "xlsx"]
    kept = {file.file_format: bytes(file.content) for file in published.files.all()}
    # October: the Amber one falls to Red.
    monthly(indicators["amber"], [20], first=Month(2013, 10))
    state.refresh()
    for file_format, content in kept.items():
        assert client.get(reverse("published_file", args=[published.pk, file_format])).content == content
    october = client.get("/performance/report/", {"period": "2013-10"}).content.decode()
    assert "Changes since the report for Cabinet Committee, 5 December 2013" in october
    assert "Indicators that changed colour since September 2013" in october and "<strong>A 1</strong>" in october
    dashboard = client.get("/performance/", {"period": "2013-10"}).content.decode()
    assert "Cabinet Committee, 5 December 2013" in dashboard
    # Officers see only their own unit's indicators: a published report is for managers and admins.
    client.force_login(olivia)
    assert client.get(reverse("published_file", args=[published.pk, "pdf"])).status_code == 403
