"""The business plan monitoring page (/performance/business-plan/): seed 001's table 5.3, its drill-down
to the actions behind each number, its CSV, who may see it, and a fixed number of queries."""

import csv
import datetime
import html
import io
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans import rag, state
from actionplans.models import Plan
from core.models import OrganisationUnit

from ...factories import ActionFactory, AreaFactory, PlanFactory, ProgressUpdateFactory, UnitFactory

pytestmark = pytest.mark.django_db

URL = "/performance/business-plan/"


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def row_html(response, division):
    """The markup of one line of the table."""
    found = re.search(rf'<tr class="govuk-table__row" data-division="{re.escape(division)}">(.*?)</tr>', response.content.decode(), re.S)
    return found.group(1)


def links(markup):
    """{what the number counts: (the number, its link's query)} of one line."""
    return {
        name: (int(number), parse_qs(urlparse(html.unescape(href)).query))
        for name, href, number in re.findall(r'data-count="(\w+)" href="([^"]+)">(\d+)<', markup)
    }


def test_the_url_is_named():
    assert reverse("business_plan") == URL


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(URL + "?format=csv").status_code == 302


def test_the_page_shows_seed_001_table_5_3_from_the_demo_data(client, demo, olivia):
    client.force_login(olivia)
    response = client.get(URL)
    assert response.status_code == 200
    lines = [
        [division, *(number for number, _ in links(row_html(response, division)).values())]
        + [re.search(r'class="app-rag app-rag--\w+">(\w+)<', row_html(response, division)).group(1)]
        for division in ("SCS", "OPPD", "LDMH", "SC", "Directorate totals")
    ]
    # Each number is linked twice for priorities and actions (both open the division's actions).
    assert lines == [
        ["SCS", 5, 18, 1, 17, 0, "Amber"],
        ["OPPD", 6, 20, 2, 18, 0, "Amber"],
        ["LDMH", 6, 19, 11, 8, 0, "Amber"],
        ["SC", 14, 48, 11, 37, 0, "Amber"],
        ["Directorate totals", 31, 105, 25, 80, 0, "Amber"],
    ]
    content = response.content.decode()
    assert content.index('data-division="SCS"') < content.index('data-division="OPPD"') < content.index('data-division="LDMH"')
    # The colour is never alone: its word and its reason are beside it; the division's full name too.
    assert '<strong class="app-rag app-rag--amber">Amber</strong><span class="app-rag-reason">17 of 18 actions not yet completed</span>' in row_html(response, "SCS")
    assert "Specialist Children&#x27;s Services" in row_html(response, "SCS")
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Delayed or cancelled</th>' in content
    assert 'href="/performance/business-plan/" aria-current="page">Business plan</a>' in content


def test_each_number_links_to_the_actions_behind_it(client, demo, olivia):
    client.force_login(olivia)
    response = client.get(URL)
    oppd = str(OrganisationUnit.objects.get(short_name="OPPD", parent__short_name="FSC").pk)
    base = {"source": ["business_plan"], "unit": [oppd]}
    assert {name: query for name, (_, query) in links(row_html(response, "OPPD")).items()} == {
        "priorities": base,
        "actions": base,
        "completed": base | {"status": ["completed"]},
        "on_course": base | {"status": ["on_course_or_none"]},
        "delayed_or_cancelled": base | {"status": ["delayed_or_cancelled"]},
    }
    totals = links(row_html(response, "Directorate totals"))
    assert totals["completed"][1] == {"source": ["business_plan"], "status": ["completed"]}
    # Following each link lists as many actions as the number says, on every line of the table.
    for division in ("SCS", "OPPD", "LDMH", "SC", "Directorate totals"):
        for name, (number, query) in links(row_html(response, division)).items():
            if name == "priorities":
                continue
            listed = client.get(reverse("action_list"), {key: values[0] for key, values in query.items()})
            assert listed.context["page"].paginator.count == number, (division, name)


def test_the_csv_is_the_table(client, demo, olivia):
    client.force_login(olivia)
    response = client.get(URL + "?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="business-plan-monitoring-')
    assert response.content.decode("utf-8-sig").splitlines() == [
        "Division,Priorities,Actions,Completed,On course,Delayed or cancelled,Overall RAG",
        "SCS,5,18,1,17,0,Amber",
        "OPPD,6,20,2,18,0,Amber",
        "LDMH,6,19,11,8,0,Amber",
        "SC,14,48,11,37,0,Amber",
        "Directorate totals,31,105,25,80,0,Amber",
    ]


def test_an_unknown_format_is_refused(client, demo, olivia):
    client.force_login(olivia)
    assert client.get(URL + "?format=pdf").status_code == 400
    assert client.get(URL + "?format=xlsx").status_code == 200


def test_with_no_business_plans_the_page_says_so(client, olivia):
    client.force_login(olivia)
    response = client.get(URL)
    assert response.status_code == 200
    assert b"There are no business plans yet" in response.content
    rows = list(csv.reader(io.StringIO(client.get(URL + "?format=csv").content.decode("utf-8-sig"))))
    assert rows[-1] == ["Directorate totals", "0", "0", "0", "0", "0", ""]


def business_plan(unit, size):
    plan = PlanFactory(source=Plan.BUSINESS_PLAN, unit=unit, source_date=datetime.date(2013, 4, 1))
    areas = [AreaFactory(plan=plan, title=f"Priority {n}") for n in range(3)]
    statuses = [rag.ON_COURSE, rag.COMPLETED, rag.DELAYED, rag.CANCELLED, ""]
    for n in range(size):
        action = ActionFactory(area=areas[n % 3], number=str(n + 1), timescale="March 2014")
        if statuses[n % 5]:
            ProgressUpdateFactory(action=action, date=datetime.date(2013, 9, 30), status=statuses[n % 5])


@pytest.mark.parametrize("query", ["", "?format=csv"])
def test_a_fixed_number_of_queries_whatever_the_number_of_actions(client, olivia, django_assert_max_num_queries, query):
    directorate = UnitFactory(level=OrganisationUnit.DIRECTORATE)
    divisions = [UnitFactory(parent=directorate, short_name=f"D{n}") for n in range(2)]
    business_plan(divisions[0], 5)
    client.force_login(olivia)
    state.ensure_rated_today()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL + query).status_code == 200
        return len(captured)

    small = queries()
    for division in divisions:
        business_plan(division, 60)
    business_plan(UnitFactory(parent=divisions[1], level=OrganisationUnit.TEAM), 30)
    state.ensure_rated_today()
    assert queries() == small
    with django_assert_max_num_queries(8):
        client.get(URL + query)
