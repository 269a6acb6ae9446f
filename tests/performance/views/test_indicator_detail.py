"""The indicator page (/performance/indicators/<pk>/): who may see it (404 otherwise), its definition, the
chart with its data table, readings, targets, benchmarking with ranks, linked actions, a bad month as an
error, and a fixed number of queries whatever the length of its history."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.periods import Month
from performance import state
from performance.models import Benchmark, Reading

from ...factories import (
    ActionFactory, AreaFactory, BenchmarkFactory, ComparatorFactory, IndicatorFactory, LeadFactory,
    TargetFactory,
)
from ..test_selectors import monthly, rated

pytestmark = pytest.mark.django_db

# Session, user, profile, units below the user's, the indicator, months (2), readings, targets, figures,
# benchmarks and linked actions: a fixed number, whatever the length of the history.
INDICATOR_QUERIES = 13  # +1: the menu asks whether the user sees a safeguarding team


def url(indicator, query=""):
    return reverse("indicator_detail", args=[indicator.pk]) + query


@pytest.fixture
def indicator(division, plan, lead, settings):
    settings.COUNCIL_NAME = "Kent County Council"
    made = IndicatorFactory(
        code="OPPD 02", name="Clients starting an enablement service", unit_owner=division, unit="count",
        aggregation="sum", rated_figure="ytd", decimal_places=0, domain="Enablement",
        definition="New clients starting an enablement service in the month.", strategic_link="Priority 1: Prevention",
        accountable=LeadFactory(name="Director of Older People and Physical Disability", initials=""),
    )
    TargetFactory(indicator=made, financial_year=2013, target=1200, minimum_standard=1000)
    monthly(made, [100, 100, 100, 100, 100, 90])
    Reading.objects.filter(indicator=made, period_start=datetime.date(2013, 9, 1)).update(
        provisional=True, note="Awaiting the <b>September</b> return"
    )
    for name, value in [("East Sussex", 1100), ("Hampshire", 1300)]:
        BenchmarkFactory(indicator=made, comparator=ComparatorFactory(name=name), period_start=datetime.date(2013, 4, 1),
                         value=value)
    action = ActionFactory(area=AreaFactory(plan=plan), number="2.8", timescale="March 2011", leads=[lead],
                           text="Increase enablement capacity")
    made.actions.add(action)
    state.refresh()
    return made


def test_the_url_is_named(indicator):
    assert url(indicator) == f"/performance/indicators/{indicator.pk}/"


def test_anonymous_is_sent_to_sign_in(client, indicator):
    response = client.get(url(indicator))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "person, status",
    [("olivia", 200), ("oscar", 200), ("mandy", 200), ("maurice", 404), ("dmitri", 200), ("ada", 200)],
)
def test_who_may_see_it(client, indicator, everyone, person, status):
    client.force_login(everyone[person])
    assert client.get(url(indicator)).status_code == status


@pytest.mark.parametrize("person, status", [("mandy", 404), ("olivia", 404), ("dmitri", 200), ("ada", 200)])
def test_an_indicator_with_no_unit_is_for_admins_and_directorate_managers(client, everyone, person, status):
    unowned = rated("U 1", 27)
    state.refresh()
    client.force_login(everyone[person])
    assert client.get(url(unowned)).status_code == status


def test_an_absent_indicator_is_404(client, ada):
    client.force_login(ada)
    assert client.get("/performance/indicators/999999/").status_code == 404


def test_the_page_shows_the_definition_and_the_figures_as_at_the_month(client, indicator, mandy):
    client.force_login(mandy)
    response = client.get(url(indicator, "?period=2013-09"))
    content = response.content.decode()
    assert '<span class="govuk-caption-l">Enablement</span>' in content
    assert "New clients starting an enablement service in the month." in content
    assert "Director of Older People and Physical Disability" in content and "Priority 1: Prevention" in content
    assert "Higher is better" in content and "Year to date" in content
    assert 'href="/performance/" aria-current="page">' not in content  # the menu item is current, not the page
    assert "govuk-service-navigation__item--active" in content
    current = re.search(r'<dl class="govuk-summary-list" id="current-figures">(.*?)</dl>', content, re.S).group(1)
    assert (
        '<strong class="app-rag app-rag--amber">Amber</strong><span class="app-rag-reason">year to date 590 is below '
        "the target for the year to date of 600 (6 of 12 months of 1,200) and at or above the minimum standard for "
        "the year to date of 500 (6 of 12 months of 1,000)</span>"
    ) in current
    assert "600 (year to date: 6 of 12 months of 1,200)" in current
    assert "worse than August 2013" in current


def test_the_chart_has_its_data_table_beneath(client, indicator, mandy):
    client.force_login(mandy)
    content = client.get(url(indicator, "?period=2013-09")).content.decode()
    chart = re.search(r"<svg[^>]*app-line-chart.*?</svg>", content, re.S).group(0)
    assert 'role="img"' in chart
    assert "aria-label=\"OPPD 02 Clients starting an enablement service: year to date by period. 6 periods from 2013-04 to 2013-09" in chart
    assert "Target (dashed line)" in chart and "Minimum standard (dotted line)" in chart
    assert content.index("app-line-chart") < content.index('id="figures-by-period"')
    table = re.search(r'<table class="govuk-table" id="figures-by-period">(.*?)</table>', content, re.S).group(1)
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Year to date</th>' in table
    september = re.search(r'data-period="2013-09">(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', september, re.S)
    assert cells[:4] == ["90", "590", "600", "500"]
    assert '<strong class="app-rag app-rag--amber">Amber</strong><span class="govuk-visually-hidden">: year to date 590' in cells[4]
    april = re.search(r'data-period="2013-04">(.*?)</tr>', table, re.S).group(1)
    assert "100" in april and "Green" in april  # 100 meets April's share of 1,200


def test_readings_targets_benchmarks_and_actions(client, indicator, mandy):
    client.force_login(mandy)
    content = client.get(url(indicator)).content.decode()
    readings = re.search(r'<table class="govuk-table" id="readings">(.*?)</table>', content, re.S).group(1)
    assert re.findall(r'data-period="([^"]+)"', readings) == [f"2013-{m:02d}" for m in range(4, 10)]
    assert '<strong class="govuk-tag govuk-tag--yellow">Provisional</strong>' in readings
    assert "Awaiting the &lt;b&gt;September&lt;/b&gt; return" in readings  # escaped
    targets = re.search(r'<table class="govuk-table" id="targets">(.*?)</table>', content, re.S).group(1)
    assert "2013/14" in targets and "1,200" in targets and "1,000" in targets and "Evenly" in targets
    benchmarks = re.search(r'<table class="govuk-table" id="benchmarks">(.*?)</table>', content, re.S).group(1)
    assert "Comparator councils, April 2013, best first (higher is better)" in benchmarks
    ranked = re.findall(r'numeric">(\d+)</td>\s*<th scope="row" class="govuk-table__header">([^<]+)</th>', benchmarks)
    assert ranked == [("1", "Hampshire"), ("2", "East Sussex"), ("3", "Kent County Council (this council)")]
    actions = re.search(r'<table class="govuk-table" id="linked-actions">(.*?)</table>', content, re.S).group(1)
    action = indicator.actions.get()
    assert f'<a class="govuk-link" href="/actions/{action.pk}/">Action 2.8</a>' in actions
    assert f'app-rag--{action.rag_colour}' in actions and "Sefton improvement plan" in actions


@pytest.mark.parametrize("period", ["nonsense", "2014-01", "2013/14"])
def test_a_bad_month_is_an_error_on_the_field(client, indicator, mandy, period):
    client.force_login(mandy)
    response = client.get(url(indicator), {"period": period})
    assert response.status_code == 400
    content = response.content.decode()
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in content
    assert 'id="period-error"' in content and 'href="#period"' in content
    assert 'id="figures-by-period"' not in content


def test_an_indicator_with_nothing_yet_says_so(client, ada, division):
    empty = IndicatorFactory(code="E 1", unit_owner=division)
    client.force_login(ada)
    content = client.get(url(empty)).content.decode()
    for marker in ("no-periods", "no-targets", "no-readings", "no-benchmarks", "no-actions"):
        assert f'id="{marker}"' in content


def grow(indicator, plan, lead, months=24, comparators=8, actions=10):
    """Two years of readings and targets, benchmarks of several years and councils, and linked actions."""
    Reading.objects.filter(indicator=indicator).delete()
    first = Month(2011, 10)
    Reading.objects.bulk_create(
        Reading(indicator=indicator, period_start=first.shift(m).start, value=80 + m % 30, note=f"Reading {m}")
        for m in range(months)
    )
    for year in (2011, 2012):
        TargetFactory(indicator=indicator, financial_year=year, target=1100, minimum_standard=900)
    Benchmark.objects.bulk_create(
        Benchmark(indicator=indicator, comparator=ComparatorFactory(name=f"Council {c}"),
                  period_start=datetime.date(year, 4, 1), value=Decimal(1000 + c))
        for c in range(comparators) for year in (2011, 2012, 2013)
    )
    area = AreaFactory(plan=plan)
    for n in range(actions):
        indicator.actions.add(ActionFactory(area=area, number=f"9.{n}", timescale="March 2011", leads=[lead]))
    state.refresh()


@pytest.mark.parametrize("query", ["", "?period=2013-09"])
def test_a_fixed_number_of_queries_whatever_the_history(
    client, indicator, plan, lead, mandy, query, django_assert_max_num_queries
):
    client.force_login(mandy)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(indicator, query)).status_code == 200
        return len(captured)

    small = queries()
    Benchmark.objects.filter(indicator=indicator).delete()  # none at all is the same number of queries too
    indicator.actions.clear()
    assert queries() == small
    grow(indicator, plan, lead)
    assert queries() == small
    with django_assert_max_num_queries(INDICATOR_QUERIES):
        client.get(url(indicator, query))
