"""The performance read models (performance/selectors.py): who sees which indicators, the months a page can
show, the dashboard as at a month (RAG counts, rows, sparklines, filters, pages), the indicator page and the
home page counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.periods import Month
from core.rag import AMBER, GREEN, GREY, RED
from performance import selectors, state

from ..factories import (
    ActionFactory, AreaFactory, BenchmarkFactory, ComparatorFactory, IndicatorFactory, LeadFactory, ProfileFactory,
    ReadingFactory, TargetFactory, UserFactory,
)

pytestmark = pytest.mark.django_db

SEPTEMBER = Month(2013, 9)


def monthly(indicator, values, first=Month(2013, 4)):
    """Readings of `indicator` for consecutive months from `first` (None leaves a month out)."""
    for n, value in enumerate(values):
        if value is not None:
            ReadingFactory(indicator=indicator, period_start=first.shift(n).start, value=value)
    return indicator


def rated(code, value, unit_owner=None, target=30, minimum_standard=25, **fields):
    """A monthly percentage with readings April to September 2013 ending at `value`, target 30, minimum 25."""
    indicator = IndicatorFactory(code=code, unit_owner=unit_owner, **fields)
    if target is not None:
        TargetFactory(indicator=indicator, financial_year=2013, target=target, minimum_standard=minimum_standard)
    return monthly(indicator, [24, 25, 26, 26, 26, value])


@pytest.fixture
def board(division, other_division):
    """One indicator of each colour in `division`, one in `other_division`, one with no unit, and one with
    readings only after September (no figure then); figures worked out up to October 2013."""
    indicators = {
        "green": rated("G 1", 31, division, domain="Carers"),
        "amber": rated("A 1", 27, division, domain="Personalisation"),
        "red": rated("R 1", 20, division, domain="Personalisation"),
        "grey": rated("N 1", 27, division, target=None, domain="Carers"),
        "other": rated("O 1", 31, other_division),
        "unowned": rated("U 1", 31),
    }
    indicators["later"] = monthly(IndicatorFactory(code="L 1", unit_owner=division), [40], first=Month(2013, 10))
    state.refresh()
    return indicators


def codes(dashboard):
    return [row.code for group in dashboard.groups for row in group.rows]


# --- Who sees what -------------------------------------------------------------------------------


def visible_codes(user):
    return sorted(selectors.visible_indicators(user).values_list("code", flat=True))


def test_who_sees_which_indicators(board, everyone, client):
    mine = ["A 1", "G 1", "L 1", "N 1", "R 1"]
    assert visible_codes(everyone["ada"]) == sorted([*mine, "O 1", "U 1"])
    # A manager of the directorate sees every unit below it, and the indicators with no unit.
    assert visible_codes(everyone["dmitri"]) == sorted([*mine, "O 1", "U 1"])
    assert visible_codes(everyone["mandy"]) == mine
    assert visible_codes(everyone["olivia"]) == mine
    assert visible_codes(everyone["maurice"]) == ["O 1"]


def test_the_accountable_officer_sees_their_indicator_wherever_it_sits(board, olivia, other_division):
    IndicatorFactory(code="X 1", unit_owner=other_division, accountable=LeadFactory(user=olivia))
    IndicatorFactory(code="X 2", accountable=LeadFactory(user=olivia))
    assert {"X 1", "X 2"} <= set(visible_codes(olivia))
    assert "O 1" not in visible_codes(olivia)


def test_someone_with_no_unit_sees_only_what_they_are_accountable_for(board):
    nobody = UserFactory(username="nobody")
    ProfileFactory(user=nobody, role="manager", unit=None)
    assert visible_codes(nobody) == []


# --- Months ----------------------------------------------------------------------------------


def test_the_months_run_from_the_first_figure_to_the_horizon(board):
    months = selectors.available_months()
    assert months[0] == Month(2013, 10) and months[-1] == Month(2013, 4)
    assert len(months) == 7


@pytest.mark.parametrize(
    "text, month, error",
    [
        ("", Month(2013, 10), ""),
        ("2013-09", SEPTEMBER, ""),
        (" 2013-9 ", SEPTEMBER, ""),
        ("September", None, "Enter a month as a year and month, like 2013-09 (you entered “September”)"),
        ("2013-13", None, "Enter a month as a year and month, like 2013-09 (you entered “2013-13”)"),
        ("Q2 2013/14", None, "Enter a month, like 2013-09, not a quarter or a year (you entered “Q2 2013/14”)"),
        ("2013-11", None, "Choose a month from April 2013 to October 2013: there are no figures for November 2013"),
        ("2013-03", None, "Choose a month from April 2013 to October 2013: there are no figures for March 2013"),
    ],
)
def test_choosing_a_month_is_never_a_silent_fall_back(board, text, month, error):
    choice = selectors.choose_month(text)
    assert (choice.month, choice.error) == (month, error)
    assert len(choice.months) == 7


def test_with_no_figures_there_is_no_month(db):
    assert selectors.choose_month("") == selectors.MonthChoice(None, ())
    assert selectors.choose_month("2013-09").error == "There are no figures yet, so there are none for September 2013"
    assert selectors.dashboard(None, None).groups == ()
    assert selectors.summary_for_home(None) is None


# --- The dashboard ---------------------------------------------------------------------------


def test_the_tiles_count_each_colour_and_no_figure_is_not_rated(board, mandy):
    dashboard = selectors.dashboard(mandy, SEPTEMBER)
    # Green, Amber, Red; no target and no figure in September (L 1 starts in October) are Not rated.
    assert dashboard.counts == selectors.RagCounts(red=1, amber=1, green=1, grey=2)
    assert dashboard.counts.total == 5
    assert [(colour, count) for colour, _, count in dashboard.counts.tiles] == [
        (RED, 1), (AMBER, 1), (GREEN, 1), (GREY, 2)
    ]
    assert selectors.dashboard(mandy, Month(2013, 10)).counts.grey == 5  # no October readings but L 1's


def test_rows_are_grouped_by_domain_in_code_order(board, mandy):
    dashboard = selectors.dashboard(mandy, SEPTEMBER)
    assert [(group.name, [row.code for row in group.rows]) for group in dashboard.groups] == [
        ("Carers", ["G 1", "N 1"]),
        ("Personalisation", ["A 1", "L 1", "R 1"]),
    ]


def test_a_row_shows_the_figures_the_rag_with_its_reason_and_the_direction_in_words(board, mandy):
    rows = {row.code: row for group in selectors.dashboard(mandy, SEPTEMBER).groups for row in group.rows}
    amber = rows["A 1"]
    assert (amber.value_text, amber.rated_text, amber.rated_label) == ("27.0%", "27.0%", "value")
    assert (amber.target_text, amber.minimum_standard_text, amber.pro_rated) == ("30.0%", "25.0%", "")
    assert amber.rag.colour == AMBER
    assert amber.rag.reason == "27.0% is below the target of 30.0% and at or above the minimum standard of 25.0%"
    assert (amber.arrow, amber.direction_words) == ("↑", "better than August 2013")
    red = rows["R 1"]
    assert (red.arrow, red.direction_words) == ("↓", "worse than August 2013")
    assert rows["N 1"].rag.reason == "no target is set for 2013/14"
    assert rows["N 1"].target_text == "no target"
    later = rows["L 1"]
    assert (later.period, later.value_text, later.rag.colour) == (None, "no value", GREY)
    assert later.rag.reason == "no value has been reported by September 2013"
    assert later.direction_words == "no earlier figure to compare"


def test_the_dashboard_draws_each_sparkline_with_the_geometry_kept_as_it_would_from_the_trend(board, mandy):
    from performance import charts

    rows = [row for group in selectors.dashboard(mandy, SEPTEMBER).groups for row in group.rows]
    assert any(row.sparkline_geometry for row in rows)  # kept with the stored figures
    assert any(row.sparkline_geometry is None for row in rows)  # L 1 has no figure in September
    for row in rows:
        assert row.sparkline == charts.sparkline(row.trend, row.polarity, unit=row.unit, decimal_places=row.decimal_places)


def test_the_sparkline_is_the_rated_figure_of_each_period_in_the_last_12_months(board, mandy):
    rows = {row.code: row for group in selectors.dashboard(mandy, SEPTEMBER).groups for row in group.rows}
    # October 2012 to March 2013 have no figure: gaps; then April to September 2013.
    assert rows["A 1"].trend == (None,) * 6 + tuple(Decimal(v) for v in (24, 25, 26, 26, 26, 27))
    assert 'aria-label="Trend over 12 months: 24.0% to 27.0%, better (6 of 12 periods with no figure)"' in rows["A 1"].sparkline
    assert rows["L 1"].trend == (None,) * 12


def test_a_quarterly_indicator_has_one_sparkline_point_a_quarter(division, mandy):
    indicator = IndicatorFactory(code="Q 1", frequency="quarterly", unit_owner=division)
    for start, value in [(datetime.date(2012, 10, 1), 20), (datetime.date(2013, 1, 1), 22),
                         (datetime.date(2013, 4, 1), 24), (datetime.date(2013, 7, 1), 26)]:
        ReadingFactory(indicator=indicator, period_start=start, value=value)
    state.refresh()
    (row,) = [row for group in selectors.dashboard(mandy, SEPTEMBER).groups for row in group.rows]
    # The 12 months to September 2013 are answered by Q2 2012/13 (no figure yet) to Q2 2013/14.
    assert row.trend == (None, Decimal(20), Decimal(22), Decimal(24), Decimal(26))
    assert row.period.label == "Q2 2013/14"
    assert row.direction_words == "better than Q1 2013/14"


def test_a_sum_rated_on_its_year_to_date_shows_the_pro_rated_target(division, mandy):
    indicator = IndicatorFactory(
        code="S 1", unit_owner=division, unit="count", aggregation="sum", rated_figure="ytd", decimal_places=0
    )
    TargetFactory(indicator=indicator, financial_year=2013, target=1200, minimum_standard=1000)
    monthly(indicator, [100, 100, 100, 100, 100, 90])
    state.refresh()
    (row,) = [row for group in selectors.dashboard(mandy, SEPTEMBER).groups for row in group.rows]
    assert (row.value_text, row.rated_text, row.rated_label) == ("90", "590", "YTD")
    assert (row.target_text, row.minimum_standard_text) == ("600", "500")
    assert row.pro_rated == "year to date: 6 of 12 months of 1,200"
    assert row.rag.reason == (
        "year to date 590 is below the target for the year to date of 600 (6 of 12 months of 1,200) and at or "
        "above the minimum standard for the year to date of 500 (6 of 12 months of 1,000)"
    )


def test_filters_by_unit_domain_and_colour(board, ada, division, other_division):
    assert codes(selectors.dashboard(ada, SEPTEMBER, unit=other_division.pk)) == ["O 1"]
    # The directorate takes every unit below it, but not the indicator with no unit.
    assert set(codes(selectors.dashboard(ada, SEPTEMBER, unit=division.parent_id))) == {
        "G 1", "N 1", "O 1", "A 1", "L 1", "R 1"
    }
    assert codes(selectors.dashboard(ada, SEPTEMBER, domain="Carers")) == ["G 1", "N 1"]
    assert codes(selectors.dashboard(ada, SEPTEMBER, rag=RED)) == ["R 1"]
    assert codes(selectors.dashboard(ada, SEPTEMBER, rag=GREY)) == ["N 1", "L 1"]
    # The tiles count the unit and domain whatever the colour asked for, so each tile links to its colour.
    filtered = selectors.dashboard(ada, SEPTEMBER, domain="Personalisation", rag=RED)
    assert filtered.counts == selectors.RagCounts(red=1, amber=1, green=2, grey=1)  # O 1 and U 1 are Personalisation too
    assert filtered.count == 1


def counted_by_orm(indicators, month=SEPTEMBER):
    """`indicators` counted by colour at `month` with the ORM: what the compiled counts must say."""
    from django.db.models import Count

    by_colour = dict(selectors.with_figure_at(indicators, month).order_by().values_list("colour").annotate(Count("pk")))
    return selectors.RagCounts(**{colour: by_colour.get(colour, 0) for colour in selectors.INDICATOR_COLOURS})


def test_the_compiled_dashboard_shows_what_the_filtered_indicators_are_for_everyone_and_every_filter(
    board, everyone, division, other_division, olivia
):
    """The dashboard's reads are compiled once for each kind of user and set of filters (core.queries); the
    downloads and the report filter with the ORM (`filtered_indicators`). Both say the same, whoever asks."""
    from django.db.models import Max

    from core.models import Profile
    from performance.models import Figure

    IndicatorFactory(code="X 1", unit_owner=other_division, accountable=LeadFactory(user=olivia), domain="Carers")
    inactive = UserFactory(username="gone", is_active=False)
    ProfileFactory(user=inactive, role=Profile.MANAGER, unit=division)
    people = {**everyone, "gone": inactive}
    for name, user in people.items():
        visible = selectors.visible_indicators(user)
        assert selectors.domains_of(user) == sorted(set(visible.values_list("domain", flat=True))), name
        assert selectors.domain_counts(user) == [
            (domain, visible.filter(domain=domain).count()) for domain in selectors.domains_of(user)
        ], name
        # The view hands the dashboard the domains it read for the filter: the tiles count the same with them.
        assert selectors.dashboard(user, SEPTEMBER, domains=selectors.domain_counts(user)).counts == counted_by_orm(
            selectors.filtered_indicators(user)
        ), name
        latest = Figure.objects.filter(indicator__in=visible, value__isnull=False).aggregate(last=Max("month"))["last"]
        assert selectors.latest_reported_month(user) == (Month.of(latest) if latest else None), name
        summary = selectors.summary_for_home(user)
        assert (summary and summary.counts) == (latest and counted_by_orm(visible, Month.of(latest))), name
        for unit in (None, division.pk, other_division.pk, division.parent_id):
            for domain in ("", "Carers", "Personalisation"):
                indicators = selectors.filtered_indicators(user, unit, domain)
                assert selectors.dashboard(user, SEPTEMBER, unit, domain).counts == counted_by_orm(indicators), (
                    name, unit, domain
                )
                for colour in ("", RED, AMBER, GREEN, GREY):
                    expected = selectors.filtered_indicators(user, unit, domain, colour, SEPTEMBER)
                    assert codes(selectors.dashboard(user, SEPTEMBER, unit, domain, colour)) == list(
                        expected.order_by("domain", "code").values_list("code", flat=True)
                    ), (name, unit, domain, colour)


def test_a_hundred_indicators_a_page_paginated_in_sql(division, ada):
    for n in range(selectors.INDICATORS_PER_PAGE + 5):
        indicator = IndicatorFactory(code=f"P {n:03d}", unit_owner=division)
        if n == 0:
            monthly(indicator, [30], first=SEPTEMBER)
    state.refresh()
    first = selectors.dashboard(ada, SEPTEMBER)
    assert first.count == 105 and len(codes(first)) == 100 and first.page.has_next()
    second = selectors.dashboard(ada, SEPTEMBER, page=2)
    assert codes(second) == [f"P {n:03d}" for n in range(100, 105)]
    assert first.counts.total == 105


def test_the_dashboard_reads_a_fixed_number_of_queries(division, ada):
    def queries():
        ada_fresh = type(ada).objects.get(pk=ada.pk)
        with CaptureQueriesContext(connection) as captured:
            selectors.dashboard(ada_fresh, SEPTEMBER)
        return len(captured)

    rated("F 1", 27, division)
    state.refresh()
    small = queries()
    for n in range(30):
        rated(f"F {n + 2}", 20 + n % 12, division)
    state.refresh()
    assert queries() == small


# --- The home page ---------------------------------------------------------------------------


def test_the_home_page_counts_the_latest_month(board, mandy, maurice):
    summary = selectors.summary_for_home(mandy)
    assert summary.month == Month(2013, 10)
    assert summary.counts == selectors.RagCounts(grey=5)  # only L 1 has an October reading, with no target
    assert selectors.summary_for_home(maurice).counts.total == 1


# --- One indicator's page ----------------------------------------------------------------------


def test_the_indicator_page_lists_readings_targets_and_figures_by_period(board):
    indicator = board["amber"]
    TargetFactory(indicator=indicator, financial_year=2012, target=28, minimum_standard=None, monthly_profile=None)
    page = selectors.indicator_page(indicator, SEPTEMBER)
    assert [row.period.label for row in page.readings] == [f"2013-{m:02d}" for m in range(4, 10)]
    assert [(row.year.label, row.target_text, row.minimum_standard_text) for row in page.targets] == [
        ("2012/13", "28.0%", "not set"), ("2013/14", "30.0%", "25.0%")
    ]
    assert [(row.period.label, row.rated_text, row.target_text, row.rag.label) for row in page.periods] == [
        ("2013-04", "24.0%", "30.0%", "Red"), ("2013-05", "25.0%", "30.0%", "Amber"),
        ("2013-06", "26.0%", "30.0%", "Amber"), ("2013-07", "26.0%", "30.0%", "Amber"),
        ("2013-08", "26.0%", "30.0%", "Amber"), ("2013-09", "27.0%", "30.0%", "Amber"),
    ]
    assert page.current.rag.colour == AMBER and page.current.direction_words == "better than August 2013"
    chart = page.chart
    assert 'role="img"' in chart and "6 periods from 2013-04 to 2013-09" in chart
    # As at an earlier month the later readings are not known yet.
    assert len(selectors.indicator_page(indicator, Month(2013, 6)).periods) == 3
    assert len(selectors.indicator_page(indicator).periods) == 7  # to the horizon, October


def test_a_quarterly_indicator_has_one_figure_a_quarter_and_unfinished_quarters_are_left_out(division):
    indicator = IndicatorFactory(frequency="quarterly", unit_owner=division)
    ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 4, 1), value=24)
    ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 7, 1), value=26)
    ReadingFactory(indicator=IndicatorFactory(), period_start=datetime.date(2013, 11, 1), value=1)
    state.refresh()
    page = selectors.indicator_page(indicator, Month(2013, 8))
    assert [row.period.label for row in page.periods] == ["Q1 2013/14"]
    assert [row.period.label for row in page.readings] == ["Q1 2013/14"]


def test_benchmarks_rank_the_councils_best_first_by_polarity(division, settings):
    settings.COUNCIL_NAME = "Kent County Council"
    indicator = IndicatorFactory(code="C72", frequency="annual", polarity="lower", unit="rate_per_10000")
    for name, value in [("East Sussex", "82.3"), ("Hampshire", "74.7"), ("Suffolk", "82.30"), ("Oxfordshire", "60")]:
        BenchmarkFactory(indicator=indicator, comparator=ComparatorFactory(name=name),
                         period_start=datetime.date(2007, 4, 1), value=Decimal(value))
    BenchmarkFactory(indicator=indicator, comparator=ComparatorFactory(name="Hampshire"),
                     period_start=datetime.date(2006, 4, 1), value=1)
    ReadingFactory(indicator=indicator, period_start=datetime.date(2007, 4, 1), value=Decimal("72.3"))
    state.refresh()
    table = selectors.indicator_page(indicator).benchmarks
    assert table.period.label == "2007/08"
    assert [(row.rank, row.name, row.value_text, row.is_home) for row in table.rows] == [
        (1, "Oxfordshire", "60.0 per 10,000", False),
        (2, "Kent County Council", "72.3 per 10,000", True),
        (3, "Hampshire", "74.7 per 10,000", False),
        (4, "East Sussex", "82.3 per 10,000", False),  # equal as shown: the same rank, then 6th would follow
        (4, "Suffolk", "82.3 per 10,000", False),
    ]


def test_benchmarks_without_the_councils_own_reading_list_it_unranked(division):
    indicator = IndicatorFactory(frequency="annual", polarity="higher")
    BenchmarkFactory(indicator=indicator, period_start=datetime.date(2007, 4, 1), value=50)
    BenchmarkFactory(indicator=indicator, period_start=datetime.date(2007, 4, 1), value=70)
    table = selectors.indicator_page(indicator).benchmarks
    assert [(row.rank, row.value) for row in table.rows] == [(1, Decimal(70)), (2, Decimal(50)), (None, None)]
    assert selectors.indicator_page(IndicatorFactory()).benchmarks is None


def test_linked_actions_show_their_stored_rag_and_link(plan, lead):
    action = ActionFactory(area=AreaFactory(plan=plan), number="2.1", timescale="March 2011", leads=[lead])
    indicator = IndicatorFactory()
    indicator.actions.add(action)
    action.refresh_from_db()
    (row,) = selectors.indicator_page(indicator).actions
    assert (row.number, row.plan, row.url) == ("2.1", plan.title, f"/actions/{action.pk}/")
    assert (row.rag.colour, row.rag.reason) == (action.rag_colour, action.rag_reason)


def test_the_default_month_is_the_latest_with_data_for_the_user(mandy, division, other_division):
    import datetime

    from core.periods import Month
    from performance import selectors, state

    from ..factories import IndicatorFactory, ReadingFactory

    ReadingFactory(indicator=IndicatorFactory(unit_owner=division), period_start=datetime.date(2010, 3, 1))
    ReadingFactory(indicator=IndicatorFactory(unit_owner=other_division), period_start=datetime.date(2013, 9, 1))
    state.refresh()
    assert selectors.choose_month("", mandy).month == Month(2010, 3)
    assert selectors.choose_month("").month == Month(2013, 9)
    assert selectors.summary_for_home(mandy).month == Month(2010, 3)
