"""The actions list across plans (/actions/): filters, search, order, pages, downloads, a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actionplans import rag, services
from actionplans.views import ACTIONS_PER_PAGE
from core.periods import today

from ...factories import ActionFactory, AreaFactory, LeadFactory, PlanFactory, ProgressUpdateFactory, UnitFactory
from ..conftest import LARGE, SMALL

pytestmark = pytest.mark.django_db


def numbers(response):
    return [f"{row.plan_title}/{row.number}" for row in response.context["rows"]]


@pytest.fixture
def two_plans(plan, lead, division, other_division, olivia):
    """Sefton (owned by OPPD) and Kent (owned by LDMH), with actions of every kind the filters tell apart."""
    year = today().year
    sefton = AreaFactory(plan=plan, title="Safeguarding")
    kent_plan = PlanFactory(title="Kent plan", unit=other_division, source_date=datetime.date(2010, 3, 31))
    kent = AreaFactory(plan=kent_plan, title="Leadership")
    tidmarsh = LeadFactory(name="Lynne Tidmarsh", initials="LT")
    made = {
        "overdue": ActionFactory(area=sefton, number="1", text="Audit case files", timescale="March 2011", leads=[lead]),
        "future": ActionFactory(area=sefton, number="2", text="Train staff", timescale=f"December {year + 1}", leads=[lead]),
        "no date": ActionFactory(area=sefton, number="3", text="Review the policy", timescale="As soon as we can"),
        "ongoing": ActionFactory(area=kent, number="1", text="Quarterly report to DMT", timescale="Ongoing", leads=[tidmarsh]),
        "kent soon": ActionFactory(area=kent, number="2", text="Publish the strategy", timescale=f"June {year + 1}", leads=[tidmarsh]),
    }
    ProgressUpdateFactory(action=made["future"], date=today(), status=rag.AT_RISK, narrative="Behind")
    ProgressUpdateFactory(action=made["kent soon"], date=today(), status=rag.ON_TRACK, narrative="Fine")
    services.propose_completion(action=made["future"], author=olivia, narrative="Done")
    return made


CASES = [
    ("", ["Sefton improvement plan/1", "Kent plan/2", "Sefton improvement plan/2", "Sefton improvement plan/3", "Kent plan/1"]),
    ("?rag=red", ["Sefton improvement plan/1"]),
    ("?rag=amber", ["Sefton improvement plan/2"]),
    ("?rag=grey", ["Sefton improvement plan/3"]),
    ("?status=at_risk", ["Sefton improvement plan/2"]),
    ("?status=none", ["Sefton improvement plan/1", "Sefton improvement plan/3", "Kent plan/1"]),
    ("?overdue=true", ["Sefton improvement plan/1"]),
    ("?needs_due_date=true", ["Sefton improvement plan/3"]),
    ("?update_overdue=true", ["Sefton improvement plan/1", "Sefton improvement plan/3", "Kent plan/1"]),
    ("?awaiting_sign_off=true", ["Sefton improvement plan/2"]),
    ("?q=Tidmarsh", ["Kent plan/2", "Kent plan/1"]),  # a lead's name finds the actions they lead
    ("?q=audit+files", ["Sefton improvement plan/1"]),
    ("?q=strategy+tidmarsh", ["Kent plan/2"]),
    (f"?due_before={today().year + 1}-07-01", ["Sefton improvement plan/1", "Kent plan/2"]),
]


# Undated last; actions due the same day (or undated) by plan, then number.
@pytest.mark.parametrize(("query", "expected"), CASES)
def test_filters_search_and_sorting_by_due_date(client, mandy, two_plans, query, expected):
    client.force_login(mandy)
    assert numbers(client.get(reverse("action_list") + query)) == expected


def test_filters_by_plan_unit_and_lead(client, mandy, two_plans, plan, lead, division, directorate):
    client.force_login(mandy)
    by_plan = numbers(client.get(reverse("action_list") + f"?plan={plan.pk}"))
    assert by_plan == ["Sefton improvement plan/1", "Sefton improvement plan/2", "Sefton improvement plan/3"]
    assert numbers(client.get(reverse("action_list") + f"?unit={division.pk}")) == by_plan
    # A unit takes in the units below it; an action's own unit counts before its plan's.
    assert len(numbers(client.get(reverse("action_list") + f"?unit={directorate.pk}"))) == 5
    team = UnitFactory(name="Safeguarding team", parent=directorate)
    two_plans["ongoing"].unit = team
    two_plans["ongoing"].save()
    assert numbers(client.get(reverse("action_list") + f"?unit={team.pk}")) == ["Kent plan/1"]
    by_lead = numbers(client.get(reverse("action_list") + f"?lead={lead.pk}"))
    assert by_lead == ["Sefton improvement plan/1", "Sefton improvement plan/2"]


def test_a_bad_filter_is_a_clear_error_not_a_guess(client, mandy, two_plans):
    client.force_login(mandy)
    response = client.get(reverse("action_list") + "?due_before=2010-02-31")
    page = response.content.decode()
    assert "There is a problem" in page and "Due before must be a real date" in page
    assert response.context["rows"] == []


def test_pages_of_fifty_in_due_date_order(client, mandy, plan, lead):
    area = AreaFactory(plan=plan)
    for n in range(ACTIONS_PER_PAGE + 5):
        ActionFactory(area=area, number=str(n + 1), timescale=f"{n % 28 + 1}/1/{today().year + 1}", leads=[lead])
    client.force_login(mandy)
    first, second = client.get(reverse("action_list")), client.get(reverse("action_list") + "?page=2")
    assert len(first.context["rows"]) == ACTIONS_PER_PAGE and len(second.context["rows"]) == 5
    due = [row.due_date for row in first.context["rows"] + second.context["rows"]]
    assert due == sorted(due)
    assert f"{ACTIONS_PER_PAGE + 5} actions found" in first.content.decode()


def test_csv_and_xlsx_of_the_filtered_list(client, mandy, two_plans):
    client.force_login(mandy)
    response = client.get(reverse("action_list") + "?q=Tidmarsh&format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="actions-as-at-')
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(row["Plan"], row["Action No"]) for row in rows] == [("Kent plan", "2"), ("Kent plan", "1")]
    assert rows[0]["Leads"] == "Lynne Tidmarsh" and rows[0]["RAG"] == "Green" and rows[0]["Latest progress"] == "Fine"
    response = client.get(reverse("action_list") + "?needs_due_date=true&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("Plan", "Action No", "Action")
    assert [row[1] for row in values[1:]] == ["3"]
    assert values[1][7] == "Not rated" and values[1][11] == "Yes"
    assert client.get(reverse("action_list") + "?format=pdf").status_code == 400


def test_the_page_links_its_downloads_with_the_filters(client, mandy, two_plans):
    client.force_login(mandy)
    page = client.get(reverse("action_list") + "?rag=red&page=1").content.decode()
    assert 'href="?rag=red&amp;format=csv"' in page and 'href="?rag=red&amp;format=xlsx"' in page


def test_everything_typed_is_escaped(client, mandy, plan):
    ActionFactory(area=AreaFactory(plan=plan), number="1", text="<script>alert(1)</script>")
    client.force_login(mandy)
    page = client.get(reverse("action_list")).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("who", ["olivia", "mandy", "maurice", "ada"])
def test_everyone_signed_in_may_read_it(client, everyone, two_plans, who):
    client.force_login(everyone[who])
    assert client.get(reverse("action_list")).status_code == 200


def test_signed_out_goes_to_sign_in(client):
    response = client.get(reverse("action_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("query", ["", "?rag=red", "?q=Audit+case&unit=1", "?update_overdue=true&page=2"])
def test_query_count_does_not_grow(client, mandy, division, lead, plan_of, queries_of, django_assert_max_num_queries, query):
    plan_of(SMALL, division, lead, title="Small")
    client.force_login(mandy)
    small = queries_of(reverse("action_list") + query)
    plan_of(LARGE * 2, division, lead, title="Large")
    assert queries_of(reverse("action_list") + query) == small
    with django_assert_max_num_queries(11):
        client.get(reverse("action_list") + query)


@pytest.mark.parametrize(
    "query, tallied",
    [
        ("?rag=red", True), ("?rag=grey", True), ("?rag=green&plan={kent}", True), ("?overdue=true", True),
        ("?update_overdue=true&source=cqc_inspection", True), ("?needs_due_date=true", True), ("?status=completed", True),
        ("?status=on_track", False), ("?rag=red&overdue=true", False), ("?rag=red&q=Audit", False), ("", True), ("?plan={kent}", True),
        ("?rag=red&unit={division}", False), ("?rag=purple", False),
    ],
)
def test_a_list_of_one_stored_state_is_counted_from_the_plans_tallies(
    client, mandy, two_plans, division, query, tallied, django_assert_max_num_queries
):
    from actionplans.filters import ActionFilter
    from actionplans.models import Action, Plan

    query = query.format(kent=Plan.objects.get(title="Kent plan").pk, division=division.pk)
    client.force_login(mandy)
    response = client.get(reverse("action_list") + query)
    action_filter = ActionFilter(response.wsgi_request.GET, queryset=Action.objects.all())
    counted = action_filter.qs.count() if action_filter.is_valid() else 0
    assert response.context["page"].paginator.count == counted
    assert (action_filter.tallied_count() is not None) == tallied
    if tallied:
        assert action_filter.tallied_count() == counted
        # The sum over the tallies takes the place of counting the actions (a chosen plan is looked up too).
        with django_assert_max_num_queries(12 if "plan=" in query else 11) as captured:
            client.get(reverse("action_list") + query)
        counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"]]
        assert counts == []
