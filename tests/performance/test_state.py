"""The stored figures (performance/state.py) always equal what figures.figures_for says from the history."""

import datetime
from decimal import Decimal

import pytest

from core.periods import Month
from performance import charts, figures, state
from performance.models import Figure, Reading, Target, trend_points

from ..factories import IndicatorFactory, ReadingFactory, TargetFactory

pytestmark = pytest.mark.django_db


def months(first, count):
    month = Month.of(first)
    return [month.shift(n) for n in range(count)]


def computed(indicator, month):
    series = {
        reading.period: figures.Reading(reading.value, reading.numerator, reading.denominator)
        for reading in Reading.objects.filter(indicator=indicator)
    }
    targets = {target.year: target.spec for target in Target.objects.filter(indicator=indicator)}
    return figures.figures_for(indicator.spec, series, targets, month)


def assert_stored_equals_computed(indicator):
    stored = list(Figure.objects.filter(indicator=indicator).order_by("month"))
    rated = {}  # the rated figure of each month with a figure, for the trends
    for figure in stored:
        expected = computed(indicator, Month.of(figure.month))
        assert (figure.rag_colour, figure.rag_reason) == (expected.rag.colour, expected.rag.reason[:1000])
        assert figure.value == expected.value and figure.ytd == expected.ytd and figure.rolling_12 == expected.rolling_12
        assert figure.target == expected.target and figure.direction == (expected.direction or "")
        assert figure.target_note == expected.target_note
        rated[figure.month] = expected.rated_value
    for figure in stored:
        assert trend_points(figure.trend) == figures.trend(rated, indicator.frequency, Month.of(figure.month))
        # The sparkline's geometry is kept with the trend it is drawn from.
        assert figure.sparkline == charts.sparkline_geometry(trend_points(figure.trend))


def test_every_month_from_the_first_reading_to_the_horizon():
    indicator = IndicatorFactory(aggregation="sum", unit="count", rated_figure="ytd", decimal_places=0)
    TargetFactory(indicator=indicator, financial_year=2013, target=1200, minimum_standard=1000)
    for month in months(datetime.date(2013, 4, 1), 6):
        ReadingFactory(indicator=indicator, period_start=month.start, value=100)
    written = state.refresh([indicator.pk])
    assert written == 6
    stored = list(Figure.objects.filter(indicator=indicator).values_list("month", "ytd"))
    assert stored[0] == (datetime.date(2013, 4, 1), Decimal(100))
    assert stored[-1] == (datetime.date(2013, 9, 1), Decimal(600))
    assert_stored_equals_computed(indicator)


def test_the_horizon_moving_on_adds_months_to_indicators_nobody_touched():
    quiet = IndicatorFactory()
    busy = IndicatorFactory()
    TargetFactory(indicator=quiet)
    ReadingFactory(indicator=quiet, period_start=datetime.date(2013, 8, 1), value=31)
    ReadingFactory(indicator=busy, period_start=datetime.date(2013, 8, 1), value=31)
    state.refresh()
    ReadingFactory(indicator=busy, period_start=datetime.date(2013, 10, 1), value=33)
    state.refresh([busy.pk])
    quiet_months = list(Figure.objects.filter(indicator=quiet).values_list("month", "rag_colour"))
    assert quiet_months == [
        (datetime.date(2013, 8, 1), "green"), (datetime.date(2013, 9, 1), "grey"), (datetime.date(2013, 10, 1), "grey")
    ]
    assert_stored_equals_computed(quiet)
    assert_stored_equals_computed(busy)


def test_a_quarterly_indicator_answers_each_month_with_the_last_quarter_ended():
    indicator = IndicatorFactory(frequency="quarterly")
    TargetFactory(indicator=indicator)
    ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 4, 1), value=31)
    ReadingFactory(indicator=IndicatorFactory(), period_start=datetime.date(2013, 8, 1), value=1)
    state.refresh()
    stored = dict(Figure.objects.filter(indicator=indicator).values_list("month", "period_start"))
    assert stored == {datetime.date(2013, 6, 1): datetime.date(2013, 4, 1), datetime.date(2013, 7, 1): datetime.date(2013, 4, 1),
                      datetime.date(2013, 8, 1): datetime.date(2013, 4, 1)}


def test_deleting_the_latest_readings_pulls_the_horizon_back():
    indicator = IndicatorFactory()
    ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 8, 1))
    latest = ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 9, 1))
    state.refresh()
    latest.delete()
    state.refresh([indicator.pk])
    assert list(Figure.objects.values_list("month", flat=True)) == [datetime.date(2013, 8, 1)]
    Reading.objects.all().delete()
    state.refresh([indicator.pk])
    assert not Figure.objects.exists()


def test_the_latest_month_a_page_shows_is_the_horizon_as_stored():
    assert state.latest_month() is None
    ReadingFactory(indicator=IndicatorFactory(frequency="quarterly"), period_start=datetime.date(2013, 4, 1))
    ReadingFactory(indicator=IndicatorFactory(), period_start=datetime.date(2013, 5, 1))
    state.refresh()
    assert state.latest_month() == state.horizon() == Month(2013, 6)  # the quarter ends in June


def test_a_reading_saved_as_counts_gets_its_value():
    reading = ReadingFactory(indicator=IndicatorFactory(unit="rate_per_1000", aggregation="ratio"), value=None,
                             numerator=3, denominator=400)
    assert reading.value == Decimal("7.5")


@pytest.mark.parametrize("frequency, first", [("annual", datetime.date(2011, 4, 1)), ("quarterly", datetime.date(2012, 4, 1)),
                                              ("monthly", datetime.date(2012, 4, 1))])
def test_adding_months_to_an_untouched_indicator_gives_what_working_it_out_whole_gives(frequency, first):
    """The months added when the horizon moves read far enough back: an annual indicator asked about a February
    compares the year that answers with the one before, begun 34 months earlier."""
    quiet = IndicatorFactory(frequency=frequency, aggregation="latest", rated_figure="value")
    periods = {"annual": 3, "quarterly": 8, "monthly": 24}[frequency]
    start = quiet.period_of(first)
    for n in range(periods):
        ReadingFactory(indicator=quiet, period_start=start.shift(n).start, value=20 + n)
    clock = IndicatorFactory()
    ReadingFactory(indicator=clock, period_start=datetime.date(2014, 4, 1))
    state.refresh()
    for month in range(5, 13):  # the horizon moves on month by month, nobody touching `quiet`
        ReadingFactory(indicator=clock, period_start=datetime.date(2014, month, 1))
        state.refresh([clock.pk])
    added = list(Figure.objects.filter(indicator=quiet).order_by("month").values_list(*FIELDS))
    state.refresh([quiet.pk])
    assert added == list(Figure.objects.filter(indicator=quiet).order_by("month").values_list(*FIELDS))


FIELDS = [
    "month", "value", "ytd", "rolling_12", "previous_value", "direction", "last_year_value", "rag_reason", "trend",
    "target_note",
]


def test_no_figures_for_months_still_to_come(settings):
    import time_machine

    with time_machine.travel(datetime.datetime(2013, 12, 5, 12, 0), tick=False):
        indicator = IndicatorFactory(frequency="annual")
        Reading.objects.create(indicator=indicator, period_start=datetime.date(2014, 4, 1), value=1)  # past any check
        state.refresh()
        assert state.horizon() == Month(2013, 12)
        assert not Figure.objects.filter(month__gt=datetime.date(2013, 12, 1)).exists()


@pytest.mark.parametrize("frequency", ["monthly", "quarterly", "annual"])
def test_each_month_keeps_the_trend_of_the_rated_figures_before_it_as_the_history_changes(frequency):
    indicator = IndicatorFactory(frequency=frequency, unit="count", aggregation="sum", rated_figure="ytd")
    TargetFactory(indicator=indicator, financial_year=2012, target=1200, minimum_standard=1000)
    start = indicator.period_of(datetime.date(2011, 4, 1))
    periods = [start.shift(n) for n in range({"monthly": 30, "quarterly": 10, "annual": 3}[frequency])]
    readings = [ReadingFactory(indicator=indicator, period_start=period.start, value=100 + n)
                for n, period in enumerate(periods) if n != 4]  # a gap
    clock = IndicatorFactory()
    ReadingFactory(indicator=clock, period_start=datetime.date(2014, 4, 1))
    state.refresh()
    assert_stored_equals_computed(indicator)
    readings[1].value = 7
    readings[1].save()
    state.refresh([indicator.pk])
    assert_stored_equals_computed(indicator)
    Target.objects.filter(indicator=indicator).update(target=600)  # 50 a month: stored exactly
    state.refresh([indicator.pk])
    assert_stored_equals_computed(indicator)
    ReadingFactory(indicator=clock, period_start=datetime.date(2014, 6, 1))  # the horizon moves on, two months
    state.refresh([clock.pk])
    assert_stored_equals_computed(indicator)
