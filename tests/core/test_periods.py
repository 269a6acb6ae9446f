"""Financial years, quarters and months (core.periods): tables of cases, no database."""

import datetime

import pytest
import time_machine

from core.periods import FinancialYear, Quarter, add_months, month_end, months_elapsed_in_financial_year, today

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
