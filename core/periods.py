"""Days, months, quarters and financial years (DOMAIN.md "Periods and figures").

A financial year runs 1 April to 31 March and is written `2013/14`; quarter 1 is
April to June. Pure functions, except `today()`, the one place the app asks the
clock what day it is (tests move it with time-machine).

`Month`, `Quarter` and `FinancialYear` answer the same questions (`start`, `end`,
`label`, `name`, `financial_year`, `kind`, `shift(n)`), so figures code can treat
the period of a monthly, quarterly or annual indicator alike.
"""

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

FIRST_MONTH = 4  # April
# Read once: calendar.month_name formats a date each time it is asked, and pages name hundreds of months.
MONTH_NAMES = tuple(calendar.month_name)

# How often an indicator is reported (DOMAIN.md glossary, "monitoring frequency").
MONTHLY, QUARTERLY, ANNUAL = "monthly", "quarterly", "annual"


def today():
    return timezone.localdate()


@functools.lru_cache(maxsize=4096)  # figures ask it for every period of every indicator's history
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
    kind = "year"  # a class attribute, not a field: what sort of period this is

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

    @property
    def name(self):
        return self.label

    @property
    def financial_year(self):
        return self

    def quarter(self, number):
        return Quarter(self, number)

    def quarters(self):
        return [Quarter(self, number) for number in (1, 2, 3, 4)]

    def months(self):
        """April to March."""
        return list(_months_of_year(self.first_year))

    def periods(self, kind):
        """The year's periods of `kind` ("month", "quarter" or "year"), in time order."""
        if kind == Month.kind:
            return list(_months_of_year(self.first_year))
        if kind == Quarter.kind:
            return self.quarters()
        if kind == FinancialYear.kind:
            return [self]
        raise ValueError(f"A period is a month, a quarter or a year, not {kind!r}")

    def shift(self, n):
        return FinancialYear(self.first_year + n)

    def __str__(self):
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter `number` (1 = April–June … 4 = January–March) of a financial year."""

    year: FinancialYear
    number: int
    kind = "quarter"  # a class attribute, not a field: what sort of period this is

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

    @property
    def name(self):
        return self.label

    @property
    def financial_year(self):
        return self.year

    def months(self):
        first = Month(self.start.year, self.start.month)
        return [first, first.shift(1), first.shift(2)]

    def shift(self, n):
        first_year, index = divmod(self.year.first_year * 4 + self.number - 1 + n, 4)
        return Quarter(FinancialYear(first_year), index + 1)

    def __str__(self):
        return self.label


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month; monthly figures are stored per calendar month (DOMAIN.md, "Periods and figures")."""

    year: int
    month: int
    kind = "month"  # a class attribute, not a field: what sort of period this is

    def __post_init__(self):
        if self.month not in range(1, 13):
            raise ValueError(f"A year has months 1 to 12, not {self.month}")

    @classmethod
    def of(cls, day):
        return cls(day.year, day.month)

    @property
    def start(self):
        return date(self.year, self.month, 1)

    @property
    def end(self):
        return month_end(self.year, self.month)

    @property
    def label(self):
        return f"{self.year}-{self.month:02d}"

    @property
    def name(self):
        return f"{MONTH_NAMES[self.month]} {self.year}"

    @property
    def financial_year(self):
        return FinancialYear.of(self.start)

    @property
    def quarter(self):
        return Quarter.of(self.start)

    # Written out rather than generated: a county's stored figures look months up in dicts millions of times,
    # and the generated methods build a tuple each call.
    def __hash__(self):
        return self.year * 12 + self.month

    def __eq__(self, other):
        if other.__class__ is Month:
            return self.year == other.year and self.month == other.month
        return NotImplemented

    # Cached: an indicator's figures step through its history month by month, many times over.
    @functools.lru_cache(maxsize=65536)
    def shift(self, n):
        year, index = divmod(self.year * 12 + self.month - 1 + n, 12)
        return Month(year, index + 1)

    def __str__(self):
        return self.label


@functools.lru_cache(maxsize=1024)
def _months_of_year(first_year):
    # A tuple, so that the cached answer cannot be changed by whoever asked for it.
    return tuple(Month(first_year, FIRST_MONTH).shift(n) for n in range(12))


def months_elapsed_in_financial_year(day):
    """How many months of its financial year have begun by `day`: 1 in April, 12 in March."""
    return (day.month - FIRST_MONTH) % 12 + 1


PERIOD_FORMS = "a month as 2013-09, a quarter as Q2 2013/14 or 2013/14 Q2, or a financial year as 2013/14"
_YEAR = r"(\d{4})\s*/\s*(\d{2})"
_MONTH_RE = re.compile(r"(\d{4})\s*-\s*(\d{1,2})")
_QUARTER_FIRST_RE = re.compile(r"q\s*(\d+)\s*" + _YEAR, re.IGNORECASE)
_QUARTER_LAST_RE = re.compile(_YEAR + r"\s*q\s*(\d+)", re.IGNORECASE)
_YEAR_RE = re.compile(_YEAR)


def parse_period(text):
    """The Month, Quarter or FinancialYear that `text` names; ValueError, never a guess, for anything else."""
    written = text.strip() if isinstance(text, str) else ""
    if found := _MONTH_RE.fullmatch(written):
        year, month = int(found[1]), int(found[2])
        if not 1 <= month <= 12:
            raise ValueError(f"Cannot read {text!r} as a month: months run 01 to 12. Write {PERIOD_FORMS}.")
        return Month(year, month)
    if found := _QUARTER_FIRST_RE.fullmatch(written):
        number, first, second = found[1], found[2], found[3]
    elif found := _QUARTER_LAST_RE.fullmatch(written):
        first, second, number = found[1], found[2], found[3]
    elif found := _YEAR_RE.fullmatch(written):
        return _financial_year(text, found[1], found[2])
    else:
        raise ValueError(f"Cannot read {text!r} as a period. Write {PERIOD_FORMS}.")
    year = _financial_year(text, first, second)
    if int(number) not in (1, 2, 3, 4):
        raise ValueError(f"Cannot read {text!r} as a quarter: a financial year has quarters Q1 to Q4. Write {PERIOD_FORMS}.")
    return Quarter(year, int(number))


def _financial_year(text, first, second):
    # DOMAIN.md glossary: written 2013/14, the second part always the year after the first.
    year = FinancialYear(int(first))
    if int(second) != (year.first_year + 1) % 100:
        raise ValueError(
            f"Cannot read {text!r}: a financial year is written with the year after the first, "
            f"so {first} is {year.label}. Write {PERIOD_FORMS}."
        )
    return year


def period_for(frequency, month):
    """The period of an indicator reported `frequency` that answers when asked about `month`.

    Monthly: the month itself. Quarterly and annual: the latest quarter or financial
    year that has ended by the end of `month`, since a quarter's or a year's figure is
    only known once it is over (asked about September 2013, a quarterly indicator
    answers for Q2 2013/14, an annual one for 2012/13).
    """
    if frequency == MONTHLY:
        return month
    if frequency == QUARTERLY:
        quarter = month.quarter
        return quarter if quarter.end <= month.end else quarter.shift(-1)
    if frequency == ANNUAL:
        year = month.financial_year
        return year if year.end <= month.end else year.shift(-1)
    raise ValueError(f"An indicator is reported {MONTHLY}, {QUARTERLY} or {ANNUAL}, not {frequency!r}")
