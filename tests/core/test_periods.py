"""Financial years, quarters and months (core.periods): tables of cases, no database."""

import datetime

import pytest
import time_machine

from core.periods import (
    ANNUAL,
    MONTHLY,
    QUARTERLY,
    FinancialYear,
    Month,
    Quarter,
    add_months,
    month_end,
    months_elapsed_in_financial_year,
    parse_period,
    period_for,
    today,
)

D = datetime.date


@pytest.mark.parametrize(
    "day, first_year",
    [
        (D(2013, 3, 31), 2012),  # the last day of 2012/13
        (D(2013, 4, 1), 2013),  # the first day of 2013/14
        (D(2013, 12, 31), 2013),
        (D(2014, 1, 1), 2013),
        (D(2014, 3, 31), 2013),
        (D(2000, 2, 29), 1999),
    ],
)
def test_financial_year_of_a_day(day, first_year):
    assert FinancialYear.of(day) == FinancialYear(first_year)


@pytest.mark.parametrize(
    "first_year, label, start, end",
    [
        (2013, "2013/14", D(2013, 4, 1), D(2014, 3, 31)),
        (2009, "2009/10", D(2009, 4, 1), D(2010, 3, 31)),
        (1999, "1999/00", D(1999, 4, 1), D(2000, 3, 31)),
    ],
)
def test_financial_year_label_start_and_end(first_year, label, start, end):
    year = FinancialYear(first_year)
    assert (year.label, str(year), year.start, year.end) == (label, label, start, end)


@pytest.mark.parametrize(
    "number, start, end",
    [
        (1, D(2013, 4, 1), D(2013, 6, 30)),
        (2, D(2013, 7, 1), D(2013, 9, 30)),
        (3, D(2013, 10, 1), D(2013, 12, 31)),
        (4, D(2014, 1, 1), D(2014, 3, 31)),
    ],
)
def test_quarters_of_a_financial_year(number, start, end):
    quarter = FinancialYear(2013).quarter(number)
    assert (quarter.start, quarter.end, quarter.label, str(quarter)) == (start, end, f"Q{number} 2013/14", f"Q{number} 2013/14")


@pytest.mark.parametrize(
    "day, label",
    [
        (D(2013, 4, 1), "Q1 2013/14"),
        (D(2013, 6, 30), "Q1 2013/14"),
        (D(2013, 7, 1), "Q2 2013/14"),
        (D(2013, 12, 31), "Q3 2013/14"),
        (D(2014, 1, 1), "Q4 2013/14"),
        (D(2014, 3, 31), "Q4 2013/14"),
    ],
)
def test_quarter_of_a_day(day, label):
    assert Quarter.of(day).label == label


@pytest.mark.parametrize("number", [0, 5, -1])
def test_a_financial_year_has_quarters_one_to_four_only(number):
    with pytest.raises(ValueError, match=f"quarters 1 to 4, not {number}"):
        FinancialYear(2013).quarter(number)


def test_years_and_quarters_sort_in_time_order():
    assert FinancialYear(2012) < FinancialYear(2013)
    assert sorted([Quarter.of(D(2014, 2, 1)), Quarter.of(D(2013, 5, 1))]) == [
        FinancialYear(2013).quarter(1),
        FinancialYear(2013).quarter(4),
    ]


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2011, 1, 15), 1, D(2011, 2, 15)),
        (D(2011, 1, 31), 1, D(2011, 2, 28)),  # kept inside February
        (D(2012, 1, 31), 1, D(2012, 2, 29)),  # a leap year
        (D(2012, 2, 29), 12, D(2013, 2, 28)),
        (D(2012, 2, 29), 48, D(2016, 2, 29)),
        (D(2011, 3, 31), -1, D(2011, 2, 28)),
        (D(2011, 5, 31), -3, D(2011, 2, 28)),
        (D(2011, 12, 15), 1, D(2012, 1, 15)),  # across a year end
        (D(2011, 1, 15), -1, D(2010, 12, 15)),
        (D(2011, 8, 31), 1, D(2011, 9, 30)),
        (D(2011, 6, 30), 0, D(2011, 6, 30)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    "year, month, expected",
    [(2011, 2, D(2011, 2, 28)), (2012, 2, D(2012, 2, 29)), (2000, 2, D(2000, 2, 29)), (1900, 2, D(1900, 2, 28)),
     (2011, 12, D(2011, 12, 31)), (2011, 4, D(2011, 4, 30))],
)
def test_month_end(year, month, expected):
    assert month_end(year, month) == expected


@pytest.mark.parametrize(
    "day, months",
    [(D(2013, 4, 1), 1), (D(2013, 4, 30), 1), (D(2013, 5, 1), 2), (D(2013, 12, 31), 9), (D(2014, 1, 1), 10),
     (D(2014, 3, 31), 12)],
)
def test_months_elapsed_in_financial_year(day, months):
    assert months_elapsed_in_financial_year(day) == months


def test_today_is_the_day_in_london_not_in_utc():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (British Summer Time).
    with time_machine.travel(datetime.datetime(2011, 6, 30, 23, 30, tzinfo=datetime.UTC), tick=False):
        assert today() == D(2011, 7, 1)


FY13 = FinancialYear(2013)


def Q(first_year, number):
    return Quarter(FinancialYear(first_year), number)


@pytest.mark.parametrize(
    "day, year, month",
    [(D(2013, 9, 1), 2013, 9), (D(2013, 9, 30), 2013, 9), (D(2014, 1, 1), 2014, 1), (D(2012, 2, 29), 2012, 2)],
)
def test_month_of_a_day(day, year, month):
    assert Month.of(day) == Month(year, month)


@pytest.mark.parametrize(
    "month, start, end, label, name",
    [
        (Month(2013, 9), D(2013, 9, 1), D(2013, 9, 30), "2013-09", "September 2013"),
        (Month(2013, 4), D(2013, 4, 1), D(2013, 4, 30), "2013-04", "April 2013"),
        (Month(2014, 3), D(2014, 3, 1), D(2014, 3, 31), "2014-03", "March 2014"),
        (Month(2012, 2), D(2012, 2, 1), D(2012, 2, 29), "2012-02", "February 2012"),
        (Month(2013, 12), D(2013, 12, 1), D(2013, 12, 31), "2013-12", "December 2013"),
    ],
)
def test_month_start_end_label_and_name(month, start, end, label, name):
    assert (month.start, month.end, month.label, str(month), month.name) == (start, end, label, label, name)


@pytest.mark.parametrize(
    "month, financial_year, quarter",
    [
        (Month(2013, 4), FY13, Q(2013, 1)),  # April starts the year
        (Month(2013, 6), FY13, Q(2013, 1)),
        (Month(2013, 7), FY13, Q(2013, 2)),
        (Month(2013, 9), FY13, Q(2013, 2)),
        (Month(2013, 12), FY13, Q(2013, 3)),
        (Month(2014, 1), FY13, Q(2013, 4)),  # January to March belong to the year that began the April before
        (Month(2014, 2), FY13, Q(2013, 4)),
        (Month(2014, 3), FY13, Q(2013, 4)),
        (Month(2013, 3), FinancialYear(2012), Q(2012, 4)),
    ],
)
def test_month_financial_year_and_quarter(month, financial_year, quarter):
    assert (month.financial_year, month.quarter) == (financial_year, quarter)


@pytest.mark.parametrize("month", [0, 13, -1])
def test_a_year_has_months_one_to_twelve_only(month):
    with pytest.raises(ValueError, match=f"months 1 to 12, not {month}"):
        Month(2013, month)


@pytest.mark.parametrize(
    "period, n, expected",
    [
        (Month(2013, 9), 1, Month(2013, 10)),
        (Month(2013, 12), 1, Month(2014, 1)),
        (Month(2014, 1), -1, Month(2013, 12)),
        (Month(2013, 9), -11, Month(2012, 10)),
        (Month(2013, 9), -12, Month(2012, 9)),
        (Month(2013, 9), 0, Month(2013, 9)),
        (Month(2014, 3), 1, Month(2014, 4)),
        (Q(2013, 2), 1, Q(2013, 3)),
        (Q(2013, 4), 1, Q(2014, 1)),  # Q4 is followed by Q1 of the next financial year
        (Q(2013, 1), -1, Q(2012, 4)),
        (Q(2013, 2), -4, Q(2012, 2)),
        (Q(2013, 2), -3, Q(2012, 3)),
        (Q(2013, 2), 0, Q(2013, 2)),
        (FY13, 1, FinancialYear(2014)),
        (FY13, -1, FinancialYear(2012)),
        (FY13, 0, FY13),
    ],
)
def test_shift(period, n, expected):
    assert period.shift(n) == expected


def test_a_financial_year_lists_its_months_april_to_march():
    months = FY13.months()
    assert [month.label for month in months] == [
        "2013-04", "2013-05", "2013-06", "2013-07", "2013-08", "2013-09",
        "2013-10", "2013-11", "2013-12", "2014-01", "2014-02", "2014-03",
    ]  # fmt: skip
    assert months == sorted(months)


def test_a_financial_year_lists_its_quarters():
    assert FY13.quarters() == [Q(2013, 1), Q(2013, 2), Q(2013, 3), Q(2013, 4)]


@pytest.mark.parametrize(
    "number, months",
    [
        (1, [Month(2013, 4), Month(2013, 5), Month(2013, 6)]),
        (2, [Month(2013, 7), Month(2013, 8), Month(2013, 9)]),
        (3, [Month(2013, 10), Month(2013, 11), Month(2013, 12)]),
        (4, [Month(2014, 1), Month(2014, 2), Month(2014, 3)]),
    ],
)
def test_a_quarter_lists_its_months(number, months):
    assert Q(2013, number).months() == months


@pytest.mark.parametrize(
    "kind, expected",
    [("month", FY13.months()), ("quarter", FY13.quarters()), ("year", [FY13])],
)
def test_the_periods_of_a_year_by_kind(kind, expected):
    assert FY13.periods(kind) == expected


def test_a_year_has_no_periods_of_an_unknown_kind():
    with pytest.raises(ValueError, match="not 'week'"):
        FY13.periods("week")


@pytest.mark.parametrize(
    "period, kind, financial_year, start, end, label, name",
    [
        (Month(2014, 2), "month", FY13, D(2014, 2, 1), D(2014, 2, 28), "2014-02", "February 2014"),
        (Q(2013, 4), "quarter", FY13, D(2014, 1, 1), D(2014, 3, 31), "Q4 2013/14", "Q4 2013/14"),
        (FY13, "year", FY13, D(2013, 4, 1), D(2014, 3, 31), "2013/14", "2013/14"),
    ],
)
def test_every_kind_of_period_answers_the_same_questions(period, kind, financial_year, start, end, label, name):
    assert (period.kind, period.financial_year, period.start, period.end, period.label, str(period), period.name) == (
        kind, financial_year, start, end, label, label, name
    )  # fmt: skip


def test_periods_are_equal_by_value_so_they_can_key_a_series():
    series = {Month(2013, 9): "m", Q(2013, 2): "q", FY13: "y"}
    assert (series[Month(2013, 9)], series[FinancialYear(2013).quarter(2)], series[FinancialYear(2013)]) == ("m", "q", "y")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2013-09", Month(2013, 9)),
        ("2014-01", Month(2014, 1)),
        ("2013-9", Month(2013, 9)),
        (" 2013 - 09 ", Month(2013, 9)),
        ("2013-12", Month(2013, 12)),
        ("Q2 2013/14", Q(2013, 2)),
        ("q2 2013/14", Q(2013, 2)),
        ("Q2  2013 / 14", Q(2013, 2)),
        ("Q 4 2013/14", Q(2013, 4)),
        ("Q22013/14", Q(2013, 2)),
        ("2013/14 Q2", Q(2013, 2)),
        ("2013/14 q1", Q(2013, 1)),
        ("  2013/14Q3  ", Q(2013, 3)),
        ("2013/14", FY13),
        ("2013 / 14", FY13),
        ("1999/00", FinancialYear(1999)),  # across a century
        ("2009/10", FinancialYear(2009)),
    ],
)
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("2013/15", "Cannot read '2013/15': a financial year is written with the year after the first, so 2013 is 2013/14"),
        ("2013/13", "so 2013 is 2013/14"),
        ("Q2 2013/15", "so 2013 is 2013/14"),
        ("2013-13", "Cannot read '2013-13' as a month: months run 01 to 12"),
        ("2013-00", "as a month: months run 01 to 12"),
        ("Q5 2013/14", "Cannot read 'Q5 2013/14' as a quarter: a financial year has quarters Q1 to Q4"),
        ("2013/14 Q0", "quarters Q1 to Q4"),
        ("September 2013", "Cannot read 'September 2013' as a period"),
        ("2013", "Cannot read '2013' as a period"),
        ("2013/2014", "Cannot read '2013/2014' as a period"),
        ("Q2", "Cannot read 'Q2' as a period"),
        ("", "Cannot read '' as a period"),
        (None, "Cannot read None as a period"),
    ],
)
def test_parse_period_refuses_what_it_cannot_read_and_says_what_it_accepts(text, message):
    with pytest.raises(ValueError) as raised:
        parse_period(text)
    assert message in str(raised.value)
    assert "a month as 2013-09, a quarter as Q2 2013/14 or 2013/14 Q2, or a financial year as 2013/14" in str(raised.value)


@pytest.mark.parametrize(
    "frequency, month, expected",
    [
        (MONTHLY, Month(2013, 9), Month(2013, 9)),
        (MONTHLY, Month(2014, 3), Month(2014, 3)),
        (QUARTERLY, Month(2013, 9), Q(2013, 2)),  # mid-year: Q2 has just ended
        (QUARTERLY, Month(2013, 8), Q(2013, 1)),  # Q2 is not over yet
        (QUARTERLY, Month(2013, 7), Q(2013, 1)),
        (QUARTERLY, Month(2013, 6), Q(2013, 1)),
        (QUARTERLY, Month(2013, 5), Q(2012, 4)),  # Q4 of the year before
        (QUARTERLY, Month(2013, 4), Q(2012, 4)),
        (QUARTERLY, Month(2013, 12), Q(2013, 3)),
        (QUARTERLY, Month(2014, 1), Q(2013, 3)),
        (QUARTERLY, Month(2014, 2), Q(2013, 3)),
        (QUARTERLY, Month(2014, 3), Q(2013, 4)),
        (ANNUAL, Month(2013, 9), FinancialYear(2012)),
        (ANNUAL, Month(2014, 3), FY13),  # March ends the year
        (ANNUAL, Month(2014, 2), FinancialYear(2012)),
        (ANNUAL, Month(2013, 4), FinancialYear(2012)),
        (ANNUAL, Month(2013, 3), FinancialYear(2012)),
    ],
)
def test_period_for(frequency, month, expected):
    assert period_for(frequency, month) == expected


def test_period_for_an_unknown_frequency():
    with pytest.raises(ValueError, match="not 'weekly'"):
        period_for("weekly", Month(2013, 9))
