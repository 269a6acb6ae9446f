"""Indicator figures and RAG (performance.figures): tables of cases, no database.

The rules are DOMAIN.md "RAG rules > Indicators" (seed 001, 4.3) and "Periods and figures".
"""

from decimal import Decimal

import pytest

from core.periods import ANNUAL, MONTHLY, QUARTERLY, FinancialYear, Month, Quarter
from core.rag import AMBER, GREEN, GREY, RED
from performance.figures import (
    BETTER,
    COUNT,
    DAYS,
    HIGHER,
    LATEST,
    LOWER,
    MEAN,
    MONEY,
    NUMBER,
    PERCENT,
    RATE_PER_1000,
    RATE_PER_10000,
    RATIO,
    ROLLING12,
    SAME,
    SUM,
    UNIT_CHOICES,
    VALUE,
    WORSE,
    YTD,
    IndicatorSpec,
    Reading,
    TargetSpec,
    combine,
    direction,
    figures_for,
    format_figure,
    out_turn,
    pro_rate,
    rate,
    rolling_12_months,
    trend,
    trend_months,
    year_to_date,
)

FY12, FY13 = FinancialYear(2012), FinancialYear(2013)


def d(number):
    return None if number is None else Decimal(str(number))


def r(value, numerator=None, denominator=None):
    return Reading(d(value), d(numerator), d(denominator))


def ratio(numerator, denominator):
    """A percentage reading with its numerator and denominator, value as reported."""
    return Reading(d(numerator) * 100 / d(denominator) if denominator else None, d(numerator), d(denominator))


def monthly(first, values):
    """A monthly series from month `first` (a Month) on; None leaves the month out."""
    return {first.shift(n): (value if isinstance(value, Reading) else r(value)) for n, value in enumerate(values) if value is not None}


def Q(first_year, number):
    return Quarter(FinancialYear(first_year), number)


APR13 = Month(2013, 4)
# 2012/13 and 2013/14: April 2012 is 1, May 2012 is 2, ... March 2014 is 24.
TWO_YEARS = monthly(Month(2012, 4), range(1, 25))


# combine ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "readings, aggregation, unit, expected",
    [
        ([r(1), r(2), r(3)], SUM, COUNT, 6),
        ([r(5)], SUM, COUNT, 5),
        ([r("1.5"), r("2.25")], SUM, NUMBER, "3.75"),
        ([r(1), r(2), r(6)], MEAN, DAYS, 3),
        ([r(1), r(2)], MEAN, NUMBER, "1.5"),
        ([r(7), r(3), r(9)], LATEST, COUNT, 9),
        ([r(27, 27, 100)], RATIO, PERCENT, 27),  # a percentage: x 100
        ([r(None, 27, 100)], RATIO, PERCENT, 27),  # the ratio needs only the numerator and denominator
        ([r(50, 1, 2), r(10, 1, 10)], RATIO, PERCENT, "16.66666666666666666666666667"),  # 2 / 12, not the mean of 50 and 10
        ([r(None, 3, 1000)], RATIO, RATE_PER_1000, 3),
        ([r(None, 34, 100000)], RATIO, RATE_PER_10000, "3.4"),
        ([r(None, 1, 4)], RATIO, NUMBER, "0.25"),  # a plain ratio
        ([r(None, 1, 4), r(None, 1, 4)], RATIO, COUNT, "0.25"),
        ([], SUM, COUNT, None),
        ([], RATIO, PERCENT, None),
        ([r(1), None, r(3)], SUM, COUNT, None),  # a missing period
        ([r(1), r(None)], SUM, COUNT, None),
        ([r(1), r(None)], MEAN, COUNT, None),
        ([r(1), None, r(3)], LATEST, COUNT, None),
        ([r(1), r(None)], LATEST, COUNT, None),
        ([r(None), r(3)], LATEST, COUNT, None),  # any missing period, as for the others
        ([r(None, 0, 0)], RATIO, PERCENT, None),  # the denominators add up to 0
        ([r(None, 0, 0), r(None, 0, 0)], RATIO, PERCENT, None),
        ([r(None, 0, 5), r(None, 0, 0)], RATIO, PERCENT, 0),  # only the sum matters
        ([r(27)], RATIO, PERCENT, None),  # a percentage with no numerator and denominator cannot be combined
        ([r(27, 27, 100), r(30, 30, None)], RATIO, PERCENT, None),
    ],
)
def test_combine(readings, aggregation, unit, expected):
    assert combine(readings, aggregation, unit) == d(expected)


def test_combine_an_unknown_aggregation():
    with pytest.raises(ValueError, match="not 'median'"):
        combine([r(1)], "median")


# year to date, rolling 12 months, out-turn ----------------------------------------------


@pytest.mark.parametrize(
    "series, period, aggregation, expected",
    [
        (TWO_YEARS, Month(2013, 4), SUM, 13),  # April: the year so far is April
        (TWO_YEARS, Month(2013, 5), SUM, 13 + 14),
        (TWO_YEARS, Month(2013, 9), SUM, sum(range(13, 19))),
        (TWO_YEARS, Month(2013, 12), SUM, sum(range(13, 22))),
        (TWO_YEARS, Month(2014, 1), SUM, sum(range(13, 23))),  # January is still 2013/14
        (TWO_YEARS, Month(2014, 3), SUM, sum(range(13, 25))),  # March: the whole year
        (TWO_YEARS, Month(2013, 3), SUM, sum(range(1, 13))),
        (TWO_YEARS, Month(2013, 9), MEAN, "15.5"),
        (TWO_YEARS, Month(2013, 9), LATEST, 18),
        (monthly(APR13, [1, None, 3]), Month(2013, 6), SUM, None),  # May is missing
        (monthly(APR13, [1, None, 3]), Month(2013, 6), MEAN, None),
        (monthly(APR13, [None, 2, 3]), Month(2013, 6), SUM, None),  # April is missing
        (monthly(APR13, [1, 2, None]), Month(2013, 6), SUM, None),  # the month itself is missing
        (monthly(APR13, [1, 2, 3, None]), Month(2013, 6), SUM, 6),  # a later month does not matter
        (monthly(Month(2013, 3), [None, 2, 3]), Month(2013, 5), SUM, 5),  # nor does last March
        (monthly(APR13, [None, None, 3]), Month(2013, 6), LATEST, 3),  # a snapshot needs only its month
        (monthly(APR13, [1, 2, None]), Month(2013, 6), LATEST, None),
        (monthly(APR13, [ratio(10, 50), ratio(20, 50)]), Month(2013, 5), RATIO, 30),  # 30 / 100
        (monthly(APR13, [ratio(1, 4), ratio(0, 0)]), Month(2013, 5), RATIO, 25),  # a month with nothing to count
        (monthly(APR13, [ratio(0, 0), ratio(0, 0)]), Month(2013, 5), RATIO, None),
        (monthly(APR13, [r(20), ratio(20, 50)]), Month(2013, 5), RATIO, None),  # April has no numerator
        ({Q(2013, 1): r(10), Q(2013, 2): r(20)}, Q(2013, 2), SUM, 30),
        ({Q(2013, 1): r(10), Q(2013, 2): r(20)}, Q(2013, 1), SUM, 10),
        ({Q(2013, 2): r(20)}, Q(2013, 2), SUM, None),
        ({Q(2012, 4): r(9), Q(2013, 1): r(10)}, Q(2013, 1), SUM, 10),  # Q4 belongs to the year before
        ({Q(2013, n): r(n) for n in (1, 2, 3, 4)}, Q(2013, 4), SUM, 10),
        ({FY13: r(27)}, FY13, SUM, 27),  # an annual indicator: the year's own value
        ({FY13: r(27)}, FY13, RATIO, 27),
        ({FY12: r(27)}, FY13, SUM, None),
    ],
)
def test_year_to_date(series, period, aggregation, expected):
    assert year_to_date(series, period, aggregation, PERCENT if aggregation == RATIO else COUNT) == d(expected)


@pytest.mark.parametrize(
    "series, period, aggregation, expected",
    [
        (TWO_YEARS, Month(2013, 3), SUM, sum(range(1, 13))),  # April to March
        (TWO_YEARS, Month(2013, 9), SUM, sum(range(7, 19))),  # October 2012 to September 2013
        (TWO_YEARS, Month(2014, 3), SUM, sum(range(13, 25))),
        (TWO_YEARS, Month(2013, 4), SUM, sum(range(2, 14))),  # May 2012 to April 2013
        (TWO_YEARS, Month(2013, 2), SUM, None),  # there is no March 2012
        (TWO_YEARS, Month(2013, 9), MEAN, "12.5"),
        (TWO_YEARS, Month(2013, 9), LATEST, 18),
        ({**TWO_YEARS, Month(2012, 10): r(None)}, Month(2013, 9), SUM, None),
        ({m: v for m, v in TWO_YEARS.items() if m != Month(2012, 10)}, Month(2013, 9), SUM, None),  # the oldest month
        ({m: v for m, v in TWO_YEARS.items() if m != Month(2012, 10)}, Month(2013, 9), LATEST, None),
        ({m: v for m, v in TWO_YEARS.items() if m != Month(2012, 9)}, Month(2013, 9), SUM, sum(range(7, 19))),
        ({m: v for m, v in TWO_YEARS.items() if m != Month(2013, 9)}, Month(2013, 9), SUM, None),
        (monthly(Month(2012, 10), [ratio(1, 10)] * 12), Month(2013, 9), RATIO, 10),
        (monthly(Month(2012, 10), [ratio(1, 10)] * 11 + [ratio(0, 0)]), Month(2013, 9), RATIO, 10),
        (monthly(Month(2012, 10), [ratio(0, 0)] * 12), Month(2013, 9), RATIO, None),
        ({Q(2012, 3): r(1), Q(2012, 4): r(2), Q(2013, 1): r(3), Q(2013, 2): r(4)}, Q(2013, 2), SUM, 10),
        ({Q(2012, 4): r(2), Q(2013, 1): r(3), Q(2013, 2): r(4)}, Q(2013, 2), SUM, None),
        ({Q(2013, n): r(n) for n in (1, 2, 3, 4)}, Q(2013, 4), SUM, 10),
        ({FY13: r(27)}, FY13, SUM, 27),
        ({}, FY13, SUM, None),
    ],
)
def test_rolling_12_months(series, period, aggregation, expected):
    assert rolling_12_months(series, period, aggregation, PERCENT if aggregation == RATIO else COUNT) == d(expected)


@pytest.mark.parametrize(
    "series, frequency, aggregation, expected",
    [
        (TWO_YEARS, MONTHLY, SUM, sum(range(13, 25))),
        (TWO_YEARS, MONTHLY, MEAN, "18.5"),
        (TWO_YEARS, MONTHLY, LATEST, 24),  # March's snapshot
        (monthly(APR13, range(1, 12)), MONTHLY, SUM, None),  # no March yet
        (monthly(APR13, [1, None] + [1] * 10), MONTHLY, SUM, None),
        (monthly(APR13, [1, None] + [1] * 10), MONTHLY, LATEST, None),  # a snapshot too waits for the whole year
        (monthly(APR13, [ratio(1, 10)] * 12), MONTHLY, RATIO, 10),
        ({Q(2013, n): r(n) for n in (1, 2, 3, 4)}, QUARTERLY, SUM, 10),
        ({Q(2013, n): r(n) for n in (1, 2, 3)}, QUARTERLY, SUM, None),
        ({FY13: r(27)}, ANNUAL, RATIO, 27),
        ({FY12: r(27)}, ANNUAL, SUM, None),
    ],
)
def test_out_turn(series, frequency, aggregation, expected):
    assert out_turn(series, FY13, frequency, aggregation, PERCENT if aggregation == RATIO else COUNT) == d(expected)


# pro-rating -------------------------------------------------------------------------------

PROFILE = (1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2)  # twice as much due October to March


@pytest.mark.parametrize(
    "annual, months, profile, expected",
    [
        (3000, 6, None, 1500),
        (3000, 1, None, 250),  # April
        (3000, 12, None, 3000),  # March: the whole target
        (1000, 7, None, "583.3333333333333333333333333"),
        ("30.5", 6, None, "15.25"),
        (1800, 6, PROFILE, 600),  # 6 of 18 parts
        (1800, 7, PROFILE, 800),
        (1800, 12, PROFILE, 1800),
        (1800, 1, PROFILE, 100),
        (1200, 3, [0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 120),  # weights may be 0
        (None, 6, None, None),
        (None, 6, PROFILE, None),
        (0, 6, None, 0),
    ],
)
def test_pro_rate(annual, months, profile, expected):
    assert pro_rate(d(annual), months, profile) == d(expected)


@pytest.mark.parametrize("months", [0, 13, -1])
def test_pro_rate_needs_one_to_twelve_months(months):
    with pytest.raises(ValueError, match=f"months 1 to 12, not {months}"):
        pro_rate(d(3000), months)


@pytest.mark.parametrize("profile", [(1,) * 11, (1,) * 13, (0,) * 12, (1,) * 11 + (-1,), (1,) * 11 + (None,)])
def test_a_monthly_profile_is_twelve_weights(profile):
    with pytest.raises(ValueError, match="12 weights"):
        pro_rate(d(3000), 6, profile)
    with pytest.raises(ValueError, match="12 weights"):
        TargetSpec(d(3000), monthly_profile=profile)


# direction of travel ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "current, previous, polarity, decimal_places, expected",
    [
        (30, 27, HIGHER, None, BETTER),
        (27, 30, HIGHER, None, WORSE),
        (27, 27, HIGHER, None, SAME),
        (30, 27, LOWER, None, WORSE),
        (27, 30, LOWER, None, BETTER),
        (27, 27, LOWER, None, SAME),
        ("27.04", "27.01", HIGHER, None, BETTER),
        ("27.04", "27.01", HIGHER, 1, SAME),  # both read 27.0
        ("27.05", "27.01", HIGHER, 1, BETTER),  # 27.1 against 27.0
        ("27.05", "27.01", LOWER, 1, WORSE),
        (0, 0, HIGHER, 0, SAME),
        (None, 27, HIGHER, None, None),
        (27, None, HIGHER, None, None),
        (None, None, LOWER, None, None),
    ],
)
def test_direction(current, previous, polarity, decimal_places, expected):
    assert direction(d(current), d(previous), polarity, decimal_places) == expected


# formatting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, unit, decimal_places, expected",
    [
        (27, PERCENT, 1, "27.0%"),
        ("27.25", PERCENT, 1, "27.3%"),  # half up, not to even
        ("27.35", PERCENT, 1, "27.4%"),
        ("27.349", PERCENT, 1, "27.3%"),
        ("99.95", PERCENT, 1, "100.0%"),
        (27, PERCENT, 0, "27%"),
        ("-0.04", PERCENT, 1, "0.0%"),  # never "-0.0%"
        (1234, COUNT, 0, "1,234"),
        (0, COUNT, 0, "0"),
        ("1234.5", COUNT, 0, "1,235"),
        (1234567, COUNT, 0, "1,234,567"),
        (-1234, COUNT, 0, "-1,234"),
        (1234, MONEY, 0, "£1,234"),
        ("1234.5", MONEY, 2, "£1,234.50"),
        ("1234.505", MONEY, 2, "£1,234.51"),
        ("-1234.5", MONEY, 2, "-£1,234.50"),
        ("2500000", MONEY, 0, "£2,500,000"),
        ("12.5", DAYS, 1, "12.5 days"),
        (12, DAYS, 0, "12 days"),
        (1, DAYS, 0, "1 day"),
        ("1.2", DAYS, 0, "1 day"),
        (1, DAYS, 1, "1.0 days"),
        (0, DAYS, 0, "0 days"),
        (2, DAYS, 0, "2 days"),
        ("3.4", RATE_PER_1000, 1, "3.4 per 1,000"),
        ("3.45", RATE_PER_1000, 1, "3.5 per 1,000"),
        ("3.4", RATE_PER_10000, 1, "3.4 per 10,000"),
        ("1234.5", RATE_PER_10000, 1, "1,234.5 per 10,000"),
        ("1234.5", NUMBER, 1, "1,234.5"),
        ("1234.5", NUMBER, 0, "1,235"),
        ("0.125", NUMBER, 2, "0.13"),
        (None, PERCENT, 1, "no value"),
        (None, MONEY, 2, "no value"),
    ],
)
def test_format_figure(value, unit, decimal_places, expected):
    assert format_figure(d(value), unit, decimal_places) == expected


def test_format_figure_takes_plain_numbers_too():
    assert (format_figure(27, PERCENT, 1), format_figure(0.1, NUMBER, 1)) == ("27.0%", "0.1")


def test_every_unit_can_be_formatted():
    assert all(format_figure(Decimal(1), unit) for unit, _ in UNIT_CHOICES)
    with pytest.raises(ValueError, match="Unknown unit 'furlongs'"):
        format_figure(Decimal(1), "furlongs")


# RAG ---------------------------------------------------------------------------------------------

# Higher is better: a percentage with a target of 30% and a minimum standard of 25%.
# Lower is better: days, with a target of 10 days and a minimum standard of 12 days.


@pytest.mark.parametrize(
    "value, target, minimum_standard, polarity, colour",
    [
        ("35", 30, 25, HIGHER, GREEN),  # exceeded
        ("30.1", 30, 25, HIGHER, GREEN),  # just above the target
        ("30", 30, 25, HIGHER, GREEN),  # at the target
        ("29.96", 30, 25, HIGHER, AMBER),  # short of the target, however it is rounded for show
        ("29.94", 30, 25, HIGHER, AMBER),  # reads 29.9%
        ("29.9", 30, 25, HIGHER, AMBER),  # just short of the target
        ("25.1", 30, 25, HIGHER, AMBER),  # just above the minimum standard
        ("25", 30, 25, HIGHER, AMBER),  # at the minimum standard
        ("24.96", 30, 25, HIGHER, RED),  # short of the minimum standard
        ("24.9", 30, 25, HIGHER, RED),  # just short of the minimum standard
        ("0", 30, 25, HIGHER, RED),
        ("30", 30, None, HIGHER, GREEN),  # no minimum standard: at the target
        ("30.1", 30, None, HIGHER, GREEN),
        ("29.9", 30, None, HIGHER, RED),  # no minimum standard: short of the target is Red
        ("25", 30, None, HIGHER, RED),
        ("27", None, 25, HIGHER, GREY),  # no target
        ("27", None, None, HIGHER, GREY),
        (None, 30, 25, HIGHER, GREY),  # no value
        (None, None, None, HIGHER, GREY),
        ("30", 30, 30, HIGHER, GREEN),  # target and minimum standard the same
        ("29.9", 30, 30, HIGHER, RED),
        ("8", 10, 12, LOWER, GREEN),
        ("9.9", 10, 12, LOWER, GREEN),  # just under (better than) the target
        ("10", 10, 12, LOWER, GREEN),  # at the target
        ("10.1", 10, 12, LOWER, AMBER),  # just over (worse than) the target
        ("11.9", 10, 12, LOWER, AMBER),
        ("12", 10, 12, LOWER, AMBER),  # at the minimum standard
        ("12.1", 10, 12, LOWER, RED),  # just over (worse than) the minimum standard
        ("30", 10, 12, LOWER, RED),
        ("10", 10, None, LOWER, GREEN),
        ("10.1", 10, None, LOWER, RED),  # no minimum standard
        ("9", None, 12, LOWER, GREY),
        (None, 10, 12, LOWER, GREY),
        ("0", 0, None, LOWER, GREEN),  # a target of 0 is a target
        ("0", 0, None, HIGHER, GREEN),
    ],
)
def test_rate_colour(value, target, minimum_standard, polarity, colour):
    assert rate(d(value), d(target), d(minimum_standard), polarity, NUMBER, 1).colour == colour


@pytest.mark.parametrize(
    "value, target, minimum_standard, polarity, unit, decimal_places, expected",
    [
        (27, 30, 25, HIGHER, PERCENT, 1,
         "Amber: 27.0% is below the target of 30.0% and at or above the minimum standard of 25.0%"),
        (25, 30, 25, HIGHER, PERCENT, 1,
         "Amber: 25.0% is below the target of 30.0% and at or above the minimum standard of 25.0%"),
        (27, 27, 25, HIGHER, PERCENT, 1, "Green: 27.0% meets the target of 27.0%"),
        (31, 30, 25, HIGHER, PERCENT, 1, "Green: 31.0% is above the target of 30.0%"),
        (20, 30, 25, HIGHER, PERCENT, 1,
         "Red: 20.0% is below the target of 30.0% and below the minimum standard of 25.0%"),
        (27, 30, None, HIGHER, PERCENT, 1, "Red: 27.0% is below the target of 30.0% and no minimum standard is set"),
        (12, 10, 11, LOWER, DAYS, 0,
         "Red: 12 days is above (worse than) the target of 10 days and above (worse than) the minimum standard of 11 days"),
        (11, 10, 12, LOWER, DAYS, 0,
         "Amber: 11 days is above (worse than) the target of 10 days "
         "and at or below (no worse than) the minimum standard of 12 days"),
        (9, 10, 12, LOWER, DAYS, 0, "Green: 9 days is below (better than) the target of 10 days"),
        (10, 10, 12, LOWER, DAYS, 0, "Green: 10 days meets the target of 10 days"),
        (11, 10, None, LOWER, DAYS, 0,
         "Red: 11 days is above (worse than) the target of 10 days and no minimum standard is set"),
        ("1500.4", 1500, None, HIGHER, MONEY, 0, "Green: £1,500.4 is above the target of £1,500.0"),
        ("29.6", 30, 25, HIGHER, PERCENT, 0, "Amber: 29.6% is below the target of 30.0% and at or above the minimum standard of 25.0%"),
        ("3.45", "3.4", "3.6", LOWER, RATE_PER_1000, 1,
         "Amber: 3.5 per 1,000 is above (worse than) the target of 3.4 per 1,000 "
         "and at or below (no worse than) the minimum standard of 3.6 per 1,000"),
        (27, None, 25, HIGHER, PERCENT, 1, "Not rated: no target is set"),
        (None, 30, 25, HIGHER, PERCENT, 1, "Not rated: no value has been reported"),
        (None, None, None, HIGHER, PERCENT, 1, "Not rated: no value has been reported and no target is set"),
    ],
)  # fmt: skip
def test_rate_says_why_in_words(value, target, minimum_standard, polarity, unit, decimal_places, expected):
    assert str(rate(d(value), d(target), d(minimum_standard), polarity, unit, decimal_places)) == expected


def test_rate_says_when_the_figure_is_a_year_to_date_and_the_target_was_pro_rated():
    rag = rate(
        d(1234), d(1500), d(1200), HIGHER, COUNT, 0,
        figure_label="year to date",
        target_label="the target for the year to date",
        target_note="6 of 12 months of 3,000",
        minimum_standard_label="the minimum standard for the year to date",
        minimum_standard_note="6 of 12 months of 2,400",
    )  # fmt: skip
    assert str(rag) == (
        "Amber: year to date 1,234 is below the target for the year to date of 1,500 (6 of 12 months of 3,000) "
        "and at or above the minimum standard for the year to date of 1,200 (6 of 12 months of 2,400)"
    )


def test_rate_names_the_period_when_it_cannot_rate():
    reasons = {"no_value_reason": "no value has been reported for September 2013", "no_target_reason": "no target is set for 2013/14"}
    assert rate(None, d(30), None, HIGHER, PERCENT, 1, **reasons).reason == "no value has been reported for September 2013"
    assert rate(d(27), None, None, HIGHER, PERCENT, 1, **reasons).reason == "no target is set for 2013/14"


# figures_for --------------------------------------------------------------------------------------

MONTHLY_COUNT_YTD = IndicatorSpec(HIGHER, MONTHLY, SUM, YTD, COUNT, 0)
MONTHLY_PERCENT = IndicatorSpec(HIGHER, MONTHLY, RATIO, VALUE, PERCENT, 1)
# 2013/14, April to September: 1,234 so far.
SO_FAR = monthly(APR13, [200, 200, 200, 200, 200, 234])
TARGETS = {FY13: TargetSpec(d(3000), d(2800))}


def test_a_sum_rated_on_its_year_to_date_against_the_pro_rated_target():
    figures = figures_for(MONTHLY_COUNT_YTD, SO_FAR, TARGETS, Month(2013, 9))
    assert (figures.period, figures.value, figures.ytd, figures.rated_value) == (Month(2013, 9), 234, 1234, 1234)
    assert (figures.target, figures.minimum_standard) == (1500, 1400)
    assert (figures.annual_target, figures.annual_minimum_standard) == (3000, 2800)
    assert str(figures.rag) == (
        "Red: year to date 1,234 is below the target for the year to date of 1,500 (6 of 12 months of 3,000) "
        "and below the minimum standard for the year to date of 1,400 (6 of 12 months of 2,800)"
    )
    assert (figures.rolling_12, figures.out_turn) == (None, None)  # no figures before April, and the year is not over


def test_a_pro_rated_target_by_monthly_profile():
    targets = {FY13: TargetSpec(d(3600), d(3000), monthly_profile=PROFILE)}  # 6 of 18 parts by September
    figures = figures_for(MONTHLY_COUNT_YTD, SO_FAR, targets, Month(2013, 9))
    assert (figures.target, figures.minimum_standard) == (1200, 1000)
    assert str(figures.rag) == (
        "Green: year to date 1,234 is above the target for the year to date of 1,200 "
        "(6 of 12 months of 3,600, by the monthly profile)"
    )
    assert figures.target_note == "6 of 12 months of 3,600, by the monthly profile"


def test_a_profile_with_the_whole_year_due_leaves_the_target_unexplained():
    targets = {FY13: TargetSpec(d(3600), d(3000), monthly_profile=(1,) + (0,) * 11)}  # all due in April
    figures = figures_for(MONTHLY_COUNT_YTD, SO_FAR, targets, Month(2013, 9))
    assert (figures.target, figures.target_note) == (3600, "")


@pytest.mark.parametrize(
    "month, months_so_far, target, colour",
    [
        (Month(2013, 4), 1, 250, AMBER),  # April: 240 against a target of 250 and a minimum of 233.33
        (Month(2013, 5), 2, 500, AMBER),  # 480 against 500 and 466.67
        (Month(2013, 9), 6, 1500, RED),  # 1,300 against 1,500 and 1,400
        (Month(2014, 3), 12, 3000, GREEN),  # March: the whole year, 3,100, against the whole target
    ],
)
def test_pro_rating_runs_from_april_to_the_month_asked_about(month, months_so_far, target, colour):
    series = monthly(APR13, [240] * 5 + [100] + [300] * 6)
    figures = figures_for(MONTHLY_COUNT_YTD, series, TARGETS, month)
    assert (figures.target, figures.rag.colour) == (d(target), colour)
    assert figures.minimum_standard == pro_rate(d(2800), months_so_far)


def test_in_march_the_year_to_date_is_the_out_turn_and_the_target_is_not_pro_rated():
    series = monthly(APR13, [250] * 12)
    figures = figures_for(MONTHLY_COUNT_YTD, series, TARGETS, Month(2014, 3))
    assert (figures.ytd, figures.out_turn, figures.target) == (3000, 3000, 3000)
    assert str(figures.rag) == "Green: year to date 3,000 meets the target of 3,000"
    assert figures.target_note == ""


@pytest.mark.parametrize(
    "rated_figure, aggregation, expected_target",
    [(VALUE, SUM, 3000), (ROLLING12, SUM, 3000), (YTD, MEAN, 3000), (YTD, LATEST, 3000), (YTD, RATIO, 3000)],
)
def test_only_a_sum_rated_on_its_year_to_date_is_pro_rated(rated_figure, aggregation, expected_target):
    spec = IndicatorSpec(HIGHER, MONTHLY, aggregation, rated_figure, COUNT)
    figures = figures_for(spec, SO_FAR, TARGETS, Month(2013, 9))
    assert (figures.target, figures.target_note) == (expected_target, "")


def test_a_percentage_with_numerators_and_denominators():
    series = {
        **monthly(Month(2012, 10), [ratio(30, 100)] * 6),
        **monthly(APR13, [ratio(24, 100), ratio(30, 100), ratio(25, 100), ratio(30, 100), ratio(31, 100), ratio(27, 100)]),
    }
    figures = figures_for(MONTHLY_PERCENT, series, {FY13: TargetSpec(d(30), d(25))}, Month(2013, 9))
    assert (figures.value, figures.ytd, figures.rolling_12) == (27, d("27.83333333333333333333333333"), d("28.91666666666666666666666667"))
    assert str(figures.rag) == "Amber: 27.0% is below the target of 30.0% and at or above the minimum standard of 25.0%"
    assert (figures.previous_period, figures.previous_value, figures.direction) == (Month(2013, 8), 31, WORSE)


def test_a_ratio_rated_on_its_year_to_date_with_a_zero_denominator():
    spec = IndicatorSpec(HIGHER, MONTHLY, RATIO, YTD, PERCENT, 1)
    series = monthly(APR13, [ratio(0, 0), ratio(0, 0)])
    figures = figures_for(spec, series, {FY13: TargetSpec(d(30))}, Month(2013, 5))
    assert (figures.ytd, figures.rag.colour) == (None, GREY)
    assert figures.rag.reason == "no year to date figure for May 2013: the denominators add up to 0"


def test_a_ratio_rated_on_its_year_to_date_with_a_month_lacking_its_numerator():
    spec = IndicatorSpec(HIGHER, MONTHLY, RATIO, YTD, PERCENT, 1)
    series = monthly(APR13, [r(27), ratio(30, 100)])
    figures = figures_for(spec, series, {FY13: TargetSpec(d(30))}, Month(2013, 5))
    assert figures.rag.reason == "no year to date figure for May 2013: no numerator and denominator have been reported for April 2013"


@pytest.mark.parametrize(
    "spec, series, reason",
    [
        (MONTHLY_PERCENT, monthly(APR13, [ratio(27, 100)] * 5), "no value has been reported for September 2013"),
        (MONTHLY_COUNT_YTD, monthly(APR13, [1, None, 1, 1, 1, 1]),
         "no year to date figure for September 2013: no value has been reported for May 2013"),
        (MONTHLY_COUNT_YTD, monthly(APR13, [1, None, None, 1, 1, 1]),
         "no year to date figure for September 2013: no value has been reported for May 2013 and June 2013"),
        (MONTHLY_COUNT_YTD, monthly(APR13, [None] * 5 + [1]),
         "no year to date figure for September 2013: no value has been reported for "
         "April 2013, May 2013, June 2013 and 2 more"),
        (IndicatorSpec(HIGHER, MONTHLY, SUM, ROLLING12, COUNT), monthly(Month(2012, 11), [1] * 11),
         "no rolling 12 months figure for September 2013: no value has been reported for October 2012"),
        (IndicatorSpec(HIGHER, MONTHLY, LATEST, YTD, COUNT), monthly(APR13, [1] * 5),
         "no value has been reported for September 2013"),
        (IndicatorSpec(HIGHER, QUARTERLY, SUM, YTD, COUNT), {Q(2013, 2): r(5)},
         "no year to date figure for Q2 2013/14: no value has been reported for Q1 2013/14"),
        (IndicatorSpec(HIGHER, ANNUAL, SUM, YTD, COUNT), {FY13: r(5)}, "no value has been reported for 2012/13"),
    ],
)  # fmt: skip
def test_no_value_is_not_rated_and_the_reason_names_what_is_missing(spec, series, reason):
    targets = {FY12: TargetSpec(d(30)), FY13: TargetSpec(d(30))}
    figures = figures_for(spec, series, targets, Month(2013, 9))
    assert (figures.rated_value, figures.rag.colour, figures.rag.reason) == (None, GREY, reason)


@pytest.mark.parametrize(
    "targets",
    [{}, {FY12: TargetSpec(d(30), d(25))}, {FY13: TargetSpec(None, d(25))}],
    ids=["no targets", "only last year's", "only a minimum standard"],
)
def test_no_target_for_the_year_is_not_rated(targets):
    figures = figures_for(MONTHLY_PERCENT, monthly(APR13, [ratio(27, 100)] * 6), targets, Month(2013, 9))
    assert str(figures.rag) == "Not rated: no target is set for 2013/14"
    assert figures.target is None


def test_a_quarterly_indicator_asked_about_a_month_answers_for_the_last_quarter_ended():
    spec = IndicatorSpec(LOWER, QUARTERLY, MEAN, VALUE, DAYS, 0)
    series = {Q(2012, 1): r(14), Q(2012, 4): r(12), Q(2013, 1): r(11), Q(2013, 2): r(9)}
    targets = {FY13: TargetSpec(d(10), d(12))}
    august = figures_for(spec, series, targets, Month(2013, 8))
    assert (august.period, august.value, august.rag.colour) == (Q(2013, 1), 11, AMBER)
    assert (august.previous_period, august.previous_value, august.direction) == (Q(2012, 4), 12, BETTER)
    assert (august.last_year_period, august.last_year_value, august.direction_on_last_year) == (Q(2012, 1), 14, BETTER)
    september = figures_for(spec, series, targets, Month(2013, 9))
    assert (september.period, september.value, str(september.rag)) == (
        Q(2013, 2), 9, "Green: 9 days is below (better than) the target of 10 days"
    )  # fmt: skip
    assert (september.ytd, september.rolling_12) == (10, None)  # no Q3 2012/13


def test_a_quarterly_sum_pro_rates_its_year_to_date_by_the_quarters_months():
    spec = IndicatorSpec(HIGHER, QUARTERLY, SUM, YTD, COUNT, 0)
    figures = figures_for(spec, {Q(2013, 1): r(700), Q(2013, 2): r(800)}, TARGETS, Month(2013, 11))
    assert (figures.period, figures.ytd, figures.target, figures.rag.colour) == (Q(2013, 2), 1500, 1500, GREEN)


def test_an_annual_indicator_asked_about_a_month_answers_for_the_last_year_ended():
    spec = IndicatorSpec(HIGHER, ANNUAL, RATIO, YTD, PERCENT, 1)
    series = {FinancialYear(2011): r(26), FY12: r(28), FY13: r(31)}
    targets = {FY12: TargetSpec(d(30), d(25)), FY13: TargetSpec(d(35), d(30))}
    september = figures_for(spec, series, targets, Month(2013, 9))
    assert (september.period, september.value, september.ytd, september.rolling_12, september.out_turn) == (FY12, 28, 28, 28, 28)
    assert (september.target, september.rag.colour) == (30, AMBER)  # 2012/13's target, not 2013/14's
    assert (september.previous_period, september.previous_value, september.direction) == (FinancialYear(2011), 26, BETTER)
    assert (september.last_year_period, september.direction_on_last_year) == (FinancialYear(2011), BETTER)
    march = figures_for(spec, series, targets, Month(2014, 3))
    assert (march.period, march.value, march.target, march.rag.colour) == (FY13, 31, 35, AMBER)


def test_out_turn_waits_for_the_whole_year():
    spec = IndicatorSpec(HIGHER, MONTHLY, SUM, VALUE, COUNT)
    # TWO_YEARS runs to March 2014, but asked about September 2013 the year is not over.
    assert figures_for(spec, TWO_YEARS, TARGETS, Month(2013, 9)).out_turn is None
    assert figures_for(spec, TWO_YEARS, TARGETS, Month(2013, 3)).out_turn == sum(range(1, 13))
    assert figures_for(spec, TWO_YEARS, TARGETS, Month(2014, 3)).out_turn == sum(range(13, 25))


@pytest.mark.parametrize(
    "polarity, now, before, expected",
    [(HIGHER, 31, 27, BETTER), (HIGHER, 27, 31, WORSE), (LOWER, 31, 27, WORSE), (LOWER, 27, 31, BETTER), (LOWER, 27, 27, SAME)],
)
def test_direction_on_the_previous_month_and_on_last_year(polarity, now, before, expected):
    spec = IndicatorSpec(polarity, MONTHLY, RATIO, VALUE, PERCENT, 1)
    series = {Month(2012, 9): ratio(before, 100), Month(2013, 8): ratio(before, 100), Month(2013, 9): ratio(now, 100)}
    figures = figures_for(spec, series, TARGETS, Month(2013, 9))
    assert (figures.direction, figures.direction_on_last_year) == (expected, expected)
    assert (figures.last_year_period, figures.last_year_value) == (Month(2012, 9), before)


def test_april_compares_with_march_of_the_year_before():
    spec = IndicatorSpec(HIGHER, MONTHLY, MEAN, YTD, DAYS, 0)
    figures = figures_for(spec, TWO_YEARS, TARGETS, Month(2013, 4))
    assert (figures.ytd, figures.previous_period, figures.previous_value) == (13, Month(2013, 3), d("6.5"))
    assert (figures.direction, figures.compared_figure) == (BETTER, YTD)


def test_a_running_total_is_compared_by_its_months_own_values():
    # Year to date of a sum grows every month and restarts in April; its direction uses the months' values.
    series = monthly(Month(2012, 9), [100] + [0] * 10 + [150, 120])  # September 2012 ... September 2013
    figures = figures_for(MONTHLY_COUNT_YTD, series, TARGETS, Month(2013, 9))
    assert (figures.compared_figure, figures.value, figures.previous_value, figures.direction) == (VALUE, 120, 150, WORSE)
    assert (figures.ytd, figures.last_year_value, figures.direction_on_last_year) == (270, None, None)  # 2012/13 lacks April to August


def test_figures_are_as_they_stood_at_the_end_of_the_month_asked_about():
    spec = IndicatorSpec(HIGHER, MONTHLY, SUM, VALUE, COUNT)
    whole_year = monthly(APR13, [10] * 12)
    september = figures_for(spec, whole_year, TARGETS, Month(2013, 9))
    assert (september.ytd, september.out_turn) == (60, None)  # October onwards is not known yet
    assert figures_for(spec, whole_year, TARGETS, Month(2014, 3)).out_turn == 120


def test_direction_is_none_without_the_previous_figure():
    figures = figures_for(MONTHLY_PERCENT, monthly(Month(2013, 9), [ratio(27, 100)]), TARGETS, Month(2013, 9))
    assert (figures.previous_value, figures.direction, figures.last_year_value, figures.direction_on_last_year) == (None, None, None, None)


def test_a_rolling_12_months_figure_says_so():
    spec = IndicatorSpec(LOWER, MONTHLY, SUM, ROLLING12, COUNT)
    series = monthly(Month(2012, 10), [300] * 12)
    figures = figures_for(spec, series, {FY13: TargetSpec(d(3000), d(4000))}, Month(2013, 9))
    assert str(figures.rag) == (
        "Amber: rolling 12 months 3,600 is above (worse than) the target of 3,000 "
        "and at or below (no worse than) the minimum standard of 4,000"
    )


@pytest.mark.parametrize(
    "field, value",
    [("polarity", "up"), ("frequency", "weekly"), ("aggregation", "median"), ("rated_figure", "best"), ("unit", "furlongs")],
)
def test_an_indicator_spec_refuses_unknown_choices(field, value):
    fields = {"polarity": HIGHER, "frequency": MONTHLY, "aggregation": SUM, "rated_figure": VALUE, "unit": COUNT, field: value}
    with pytest.raises(ValueError, match=f"{field} is one of .*, not '{value}'"):
        IndicatorSpec(**fields)


# --- The trend a dashboard's sparkline draws ---------------------------------------------------


def month_starts(first, count):
    return tuple(Month.of(first.start).shift(n).start for n in range(count))


@pytest.mark.parametrize(
    "frequency, month, groups",
    [
        # Monthly: each of the 12 months to September 2013 is a point of its own.
        (MONTHLY, Month(2013, 9), tuple((start,) for start in month_starts(Month(2012, 10), 12))),
        # Quarterly: October 2012 to September 2013 are answered by Q2 2012/13 (October, November: the last quarter
        # ended) to Q2 2013/14 (September): five points, the first and last of fewer months.
        (QUARTERLY, Month(2013, 9), (month_starts(Month(2012, 10), 2), month_starts(Month(2012, 12), 3),
                                     month_starts(Month(2013, 3), 3), month_starts(Month(2013, 6), 3),
                                     month_starts(Month(2013, 9), 1))),
        # Annual: April 2012 to March 2013 answer for 2011/12, except March 2013, which answers for 2012/13.
        (ANNUAL, Month(2013, 3), (month_starts(Month(2012, 4), 11), month_starts(Month(2013, 3), 1))),
    ],
)
def test_trend_months_groups_the_12_months_by_the_period_answering_for_them(frequency, month, groups):
    assert trend_months(frequency, month) == groups


def test_a_trend_takes_each_period_from_the_last_of_its_months_with_a_figure_and_leaves_gaps():
    september = Month(2013, 9)
    # A quarterly indicator's figures from December 2012 (the first month after its first quarter ended).
    rated = {start: Decimal(20) for start in month_starts(Month(2012, 12), 3)}
    rated |= {start: Decimal(22) for start in month_starts(Month(2013, 3), 3)}
    rated |= {start: None for start in month_starts(Month(2013, 6), 3)}  # a figure, but nothing to rate
    rated[Month(2013, 9).start] = Decimal(26)
    assert trend(rated, QUARTERLY, september) == (None, Decimal(20), Decimal(22), None, Decimal(26))
    assert trend({}, MONTHLY, september) == (None,) * 12
