"""Timescales as written in plans, and the due dates they name.

Plans write timescales as free text ("End March 2010", "Q3 2010/11", "Ongoing",
"See 12.1"). The text is always kept as written; this module reads it and says
what it names. The rules are DOMAIN.md "Timescales as written":

- a named period gives its last day as the due date ("March 2011" -> 31 Mar 2011);
- a range gives its end, and its start ("January – March 2011");
- several dates give the last of them; text in brackets is a note, not a date;
- phrases such as "Ongoing" give no due date; "Completed" and "In place" mean done;
- a cross-reference ("See 12.1") points at another action;
- anything else is kept, flagged for a person to read, and never guessed.

Quarters are financial-year quarters (quarter 1 is April–June). "Q3 2010/11"
names the financial year; "Quarter 3 2010" names the calendar year the quarter's
months fall in, so "Q4 2011" is January–March 2011.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

# What the text names.
EMPTY = "empty"  # no timescale written
DATED = "dated"  # names a date: due_date is set
NO_DATE = "no_date"  # a phrase with no date ("Ongoing", "Quarterly")
COMPLETED = "completed"  # "Completed", "In place"
REFERENCE = "reference"  # "See 12.1": the other action's timescale applies
UNREADABLE = "unreadable"  # kept as written and flagged for a person


@dataclass(frozen=True)
class Timescale:
    text: str
    kind: str
    due_date: date | None = None
    start_date: date | None = None
    reference: str | None = None

    @property
    def is_completed(self):
        return self.kind == COMPLETED

    @property
    def needs_review(self):
        return self.kind == UNREADABLE

    @property
    def explanation(self):
        """Says in words what was read from the text, for the page and the import preview."""
        if self.kind == EMPTY:
            return "No timescale written"
        if self.kind == DATED:
            due = f"Due {self.due_date:%-d %b %Y}"
            return f"{due}, starting {self.start_date:%-d %b %Y}" if self.start_date else due
        if self.kind == NO_DATE:
            return "No due date: the timescale names no date"
        if self.kind == COMPLETED:
            return "The timescale says the action is complete"
        if self.kind == REFERENCE:
            return f"Refers to action {self.reference}"
        return "Timescale not understood: check it and set a due date by hand"


MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    }
}
MONTHS["sept"] = 9
MONTH = r"(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
YEAR = r"(?P<{name}>(?:19|20)\d\d)"
DASH = r"\s*(?:-|–|—|to|until)\s*"

# Seasons as councils use them in plans.
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 2)}

REFERENCE_RE = re.compile(
    r"^\s*(?:see|refer(?:red)? to|cf\.?|as per|covered (?:in|by))\s+(?:action\s+)?(?P<ref>\d+(?:\.\d+)*[a-z]?)\b",
    re.IGNORECASE,
)
COMPLETED_RE = re.compile(
    r"^\s*(?:(?:draft\s+)?complet(?:e|ed)|done|in place|achieved)\s*[.!]?\s*$", re.IGNORECASE
)
# "Mid 2011", "Early March 2011": part of a period, with no end written. Reading
# the end of the whole period would be a guess, so these go to a person.
VAGUE_RE = re.compile(
    r"\b(?:mid(?:dle of)?|early|beginning of|start of)\s*-?\s*(?:the\s+)?"
    r"(?:(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b|(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
NO_DATE_RE = re.compile(
    r"\b(?:on-?going|in progress|commenced|throughout|continuous(?:ly)?|quarterly|annually|"
    r"monthly|weekly|yearly|each year|every year|as required|rolling|onwards)\b",
    re.IGNORECASE,
)


def _month_end(year, month):
    return date(year, month, calendar.monthrange(year, month)[1])


def _full_year(text):
    year = int(text)
    return year + 2000 if year < 100 else year


def _quarter(number, first_year):
    """Financial-year quarter `number` of the year that starts in April of `first_year`."""
    start_month = 4 + 3 * (number - 1)
    year = first_year + (start_month - 1) // 12
    start_month = (start_month - 1) % 12 + 1
    return date(year, start_month, 1), _month_end(year, start_month + 2)


def _pattern(template, **names):
    return template.format(**{key: value.format(name=key) for key, value in names.items()})


# Each reader turns a match into (start, end) dates. Order matters: the more
# specific patterns consume their text before the looser ones see it.
def _read_day_month_year(m):
    day, month, year = int(m["day"]), int(m["month"]), _full_year(m["year"])
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found, found


def _read_iso(m):
    try:
        found = date(int(m["year"]), int(m["month"]), int(m["day"]))
    except ValueError:
        return None
    return found, found


def _read_day_monthname_year(m):
    try:
        found = date(int(m["year"]), MONTHS[m["month"].lower()], int(m["day"]))
    except ValueError:
        return None
    return found, found


def _read_month_range(m):
    first, last, year = MONTHS[m["m1"].lower()], MONTHS[m["m2"].lower()], int(m["y2"])
    first_year = int(m["y1"]) if m["y1"] else (year if first <= last else year - 1)
    return date(first_year, first, 1), _month_end(year, last)


def _read_month_year(m):
    month, year = MONTHS[m["month"].lower()], int(m["year"])
    return date(year, month, 1), _month_end(year, month)


def _read_financial_quarter(m):
    return _quarter(int(m["q"]), int(m["y1"]))


def _read_calendar_year_quarter(m):
    number, year = int(m["q"]), int(m["year"])
    # Quarter 4 (January–March) of a financial year falls in the next calendar year.
    return _quarter(number, year - 1 if number == 4 else year)


def _read_season(m):
    first, last = SEASONS[m["season"].lower()]
    year = int(m["year"])
    # A season is named by the year it starts in: "Winter 2010" (and "Winter
    # 2010/11") is December 2010 to February 2011, the winter after the plan is written.
    last_year = year + 1 if first > last else year
    return date(year, first, 1), _month_end(last_year, last)


def _read_financial_year(m):
    first = int(m["y1"])
    second = _full_year(m["y2"])
    if second != first + 1:
        return None
    return date(first, 4, 1), date(second, 3, 31)


def _read_year(m):
    year = int(m["year"])
    return date(year, 1, 1), date(year, 12, 31)


READERS = [
    (re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"), _read_iso),
    (
        re.compile(r"\b(?P<day>\d{1,2})[./](?P<month>\d{1,2})[./](?P<year>\d{2}|\d{4})\b"),
        _read_day_month_year,
    ),
    (
        re.compile(
            _pattern(r"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{month}\s+{year}\b", month=MONTH, year=YEAR),
            re.IGNORECASE,
        ),
        _read_day_monthname_year,
    ),
    (
        re.compile(
            _pattern(r"\b{m1}(?:\s+{y1})?" + DASH + r"{m2}\s+{y2}\b", m1=MONTH, m2=MONTH, y1=YEAR, y2=YEAR),
            re.IGNORECASE,
        ),
        _read_month_range,
    ),
    (
        re.compile(r"\b(?:q|quarter)\s*(?P<q>[1-4])\s*(?:of\s+)?(?P<y1>(?:19|20)\d\d)\s*/\s*(?:19|20)?\d\d\b", re.IGNORECASE),
        _read_financial_quarter,
    ),
    (
        re.compile(r"\b(?:q|quarter)\s*(?P<q>[1-4])\s*(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
        _read_calendar_year_quarter,
    ),
    (re.compile(_pattern(r"\b{month}\s*,?\s*{year}\b", month=MONTH, year=YEAR), re.IGNORECASE), _read_month_year),
    (
        re.compile(r"\b(?P<season>spring|summer|autumn|winter)\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
        _read_season,
    ),
    (re.compile(r"\b(?P<y1>(?:19|20)\d\d)\s*/\s*(?P<y2>\d\d|(?:19|20)\d\d)\b"), _read_financial_year),
    (re.compile(r"\b(?P<year>(?:19|20)\d\d)\b"), _read_year),
]

BRACKETS_RE = re.compile(r"\([^)]*\)")


def _find_periods(text):
    """All the periods the text names, in the order they are written."""
    found = []
    remaining = text
    for pattern, reader in READERS:
        for match in pattern.finditer(remaining):
            period = reader(match)
            if period is not None:
                found.append((match.start(), period, reader is _read_month_range))
        # Blank out what was read so a looser pattern does not read it again.
        remaining = pattern.sub(lambda m: " " * len(m.group(0)), remaining)
    return [(period, is_range) for _, period, is_range in sorted(found)]


def parse_timescale(text):
    """Read a timescale as written and say what it names."""
    text = (text or "").strip()
    if not text:
        return Timescale(text, EMPTY)
    reference = REFERENCE_RE.match(text)
    if reference:
        return Timescale(text, REFERENCE, reference=reference["ref"])
    if COMPLETED_RE.match(text):
        return Timescale(text, COMPLETED)
    # Text in brackets is a note ("(for 2010/11 & 2011/12)"), not a date.
    unbracketed = BRACKETS_RE.sub(" ", text)
    periods = _find_periods(unbracketed)
    if NO_DATE_RE.search(text):
        # "Ongoing from March 2010": no due date, but the work has a start.
        start = periods[0][0][0] if periods else None
        return Timescale(text, NO_DATE, start_date=start)
    if not periods or VAGUE_RE.search(unbracketed):
        return Timescale(text, UNREADABLE)
    due = max(end for (_, end), _ in periods)
    # A named month or year means "by then"; only a written range has a start.
    (first_start, _), first_is_range = periods[0]
    start = first_start if len(periods) == 1 and first_is_range else None
    return Timescale(text, DATED, due_date=due, start_date=start)
