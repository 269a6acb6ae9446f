"""Days, months, quarters and financial years (DOMAIN.md "Periods and figures").

A financial year runs 1 April to 31 March and is written `2013/14`; quarter 1 is
April to June. Pure functions, except `today()`, the one place the app asks the
clock what day it is (tests move it with time-machine).
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

FIRST_MONTH = 4  # April


def today():
    return timezone.localdate()


def month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day, months):
    """The same day `months` later (or earlier), kept inside the month it lands in: 31 Jan + 1 = 28/29 Feb."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True, order=True)
class FinancialYear:
    """The financial year that starts in April of `first_year`."""

    first_year: int

    @classmethod
    def of(cls, day):
        return cls(day.year if day.month >= FIRST_MONTH else day.year - 1)

    @property
    def start(self):
        return date(self.first_year, FIRST_MONTH, 1)

    @property
    def end(self):
        return date(self.first_year + 1, FIRST_MONTH - 1, 31)

    @property
    def label(self):
        return f"{self.first_year}/{(self.first_year + 1) % 100:02d}"

    def quarter(self, number):
        return Quarter(self, number)

    def __str__(self):
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter `number` (1 = April–June … 4 = January–March) of a financial year."""

    year: FinancialYear
    number: int

    def __post_init__(self):
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"A financial year has quarters 1 to 4, not {self.number}")

    @classmethod
    def of(cls, day):
        year = FinancialYear.of(day)
        return cls(year, (day.month - FIRST_MONTH) % 12 // 3 + 1)

    @property
    def start(self):
        month = (FIRST_MONTH - 1 + 3 * (self.number - 1)) % 12 + 1
        return date(self.year.first_year + (self.number == 4), month, 1)

    @property
    def end(self):
        start = self.start
        return month_end(start.year, start.month + 2)

    @property
    def label(self):
        return f"Q{self.number} {self.year.label}"

    def __str__(self):
        return self.label


def months_elapsed_in_financial_year(day):
    """How many months of its financial year have begun by `day`: 1 in April, 12 in March."""
    return (day.month - FIRST_MONTH) % 12 + 1
