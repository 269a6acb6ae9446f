"""Timescales as written in plans, and the due dates they name.

Plans write timescales as free text ("End March 2010", "Q3 2010/11", "Ongoing",
"See 12.1"). The text is always kept as written; this module reads it and says
what it names. The rules are DOMAIN.md "Timescales as written":

- a named period gives its last day as the due date ("March 2011" -> 31 Mar 2011);
- a range gives its end, and its start ("January – March 2011");
- several dates give the last of them; text in brackets is a note, not a date;
- phrases such as "Ongoing" give no due date; "Completed" and "In place" mean done,
  also when only a date follows ("Completed March 2010");
- a date named as a start ("Starting Sept 2010", "from 1.10.09") is a start, not a
  due date: with no end written there is no due date;
- a cross-reference ("See 12.1") points at another action;
- anything else is kept, flagged for a person to read, and never guessed; so is
  text with a date-shaped part that is no date ("Q5 2010", "30 February 2010").

Quarters are financial-year quarters (quarter 1 is April–June). "Q3 2010/11"
names the financial year; "Quarter 3 2010" names the calendar year the quarter's
months fall in, so "Q4 2011" is January–March 2011. A financial year is written
"2010/11", "2010-11" or "2010-2011", the second year always the year after the first.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from core.periods import FinancialYear, month_end

# What the text names.
EMPTY = "empty"  # no timescale written
DATED = "dated"  # names a date: due_date is set
NO_DATE = "no_date"  # the work is ongoing or recurring, with no date ("Ongoing", "Quarterly")
STARTS = "starts"  # a start and no end ("Starting Sept 2010"): no due date, and not said to be ongoing
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
            return "No due date: the timescale says the work is ongoing"
        if self.kind == STARTS:
            return f"Starts {self.start_date:%-d %b %Y}; no end is written: set a due date by hand"
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
# "Completed March 2010": done, and when. A plan is written before its work, so a
# date after "Completed" says when it was done, not when it is due; read as due, the
# action would show overdue once that day passed. Only a single date may follow:
# "Completed" above paragraphs of further dated work is a history, read for its dates.
# Only the past tense and "in place" count, and no "by"/"before" between: "Complete March 2011"
# and "Complete by March 2011" are targets as often as records.
COMPLETED_WITH_DATE_RE = re.compile(
    r"^\s*(?:draft\s+)?(?:completed|in place)\b\s*[:,\-–—]?\s*(?:(?:in|on|since)\s+)?"
    r"(?:(?:the\s+)?end\s+(?:of\s+)?)?(?P<date>.+?)\s*[.!]?\s*$",
    re.IGNORECASE | re.DOTALL,
)
# "Starting Sept 2010", "from 1.10.09", "since April 2010": the date that follows is when the work
# starts. With no end written there is no due date, as with "Ongoing from March 2010".
STARTS_BEFORE_RE = re.compile(
    r"\b(?:start(?:s|ed|ing)?|from|since|beginning|commencing)(?:\s+(?:in|on))?\s*$", re.IGNORECASE
)
# "June 2010 and over the following 9 months": the date before is a start, and the
# length is not an end. Counting the months on would be a guess (is the first month
# one of the nine? "following" from its start or its end?), so no due date is read.
OVER_FOLLOWING_RE = re.compile(
    r"\bover\s+(?:the\s+)?(?:following|next|subsequent)\s+(?:\d+|[a-z]+)\s+(?:weeks?|months?|years?)\b",
    re.IGNORECASE,
)
# What may stand between a date and "over the following N months": ", And ".
JOINING_RE = re.compile(r"[\s,;.&–—-]*(?:and\b)?[\s,;.]*", re.IGNORECASE)
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


def _full_year(text):
    year = int(text)
    return year + 2000 if year < 100 else year


def _quarter(number, first_year):
    """Financial-year quarter `number` of the year that starts in April of `first_year`."""
    quarter = FinancialYear(first_year).quarter(number)
    return quarter.start, quarter.end


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
    return date(first_year, first, 1), month_end(year, last)


def _read_month_year(m):
    month, year = MONTHS[m["month"].lower()], int(m["year"])
    return date(year, month, 1), month_end(year, month)


def _read_financial_quarter(m):
    number, first = int(m["q"]), int(m["y1"])
    if not 1 <= number <= 4 or _full_year(m["y2"]) != first + 1:
        return None
    return _quarter(number, first)


def _read_calendar_year_quarter(m):
    number, year = int(m["q"]), int(m["year"])
    if not 1 <= number <= 4:
        return None
    # Quarter 4 (January–March) of a financial year falls in the next calendar year.
    return _quarter(number, year - 1 if number == 4 else year)


def _read_season(m):
    first, last = SEASONS[m["season"].lower()]
    year = int(m["year"])
    # A season is named by the year it starts in: "Winter 2010" (and "Winter
    # 2010/11") is December 2010 to February 2011, the winter after the plan is written.
    last_year = year + 1 if first > last else year
    return date(year, first, 1), month_end(last_year, last)


def _read_financial_year(m):
    first = int(m["y1"])
    second = _full_year(m["y2"])
    # "2010/12" is not a financial year, nor December 2010; "2010-11-5" is no year at all.
    if second != first + 1 or m.groupdict().get("more"):
        return None
    year = FinancialYear(first)
    return year.start, year.end


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
        # The quarter number is any number, so that "Q5 2010" is seen (and flagged)
        # rather than left for its year to be read alone.
        re.compile(
            r"\b(?:q|quarter)\s*(?P<q>\d+)\s*(?:of\s+)?(?P<y1>(?:19|20)\d\d)\s*[/\-–—]\s*(?P<y2>(?:19|20)?\d\d)\b",
            re.IGNORECASE,
        ),
        _read_financial_quarter,
    ),
    (
        re.compile(r"\b(?:q|quarter)\s*(?P<q>\d+)\s*(?:of\s+)?(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
        _read_calendar_year_quarter,
    ),
    (re.compile(_pattern(r"\b{month}\s*,?\s*{year}\b", month=MONTH, year=YEAR), re.IGNORECASE), _read_month_year),
    (
        re.compile(r"\b(?P<season>spring|summer|autumn|winter)\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
        _read_season,
    ),
    # "2010/11", and "2010-11" or "2010-2011": financial years, not 2010 (nor 2011)
    # alone. A further "/12" or "-5" written on makes it something else ("2010-11-5"),
    # seen here so that its years are not read alone.
    (
        re.compile(
            r"\b(?P<y1>(?:19|20)\d\d)\s*[/–—-]\s*(?P<y2>\d\d|(?:19|20)\d\d)(?P<more>[/.–—-]\d+)?\b"
        ),
        _read_financial_year,
    ),
    (re.compile(r"\b(?P<year>(?:19|20)\d\d)\b"), _read_year),
]

BRACKETS_RE = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class _Found:
    """A period the text names, and where."""

    start: int
    end: int
    period: tuple
    is_range: bool


def _find_periods(text):
    """The periods the text names, in the order they are written, and whether any
    part shaped like a date ("Q5 2010", "30/02/2010") could not be read as one."""
    found = []
    unread = False
    remaining = text
    for pattern, reader in READERS:
        for match in pattern.finditer(remaining):
            period = reader(match)
            if period is None:
                unread = True
            else:
                found.append(_Found(match.start(), match.end(), period, reader is _read_month_range))
        # Blank out what was read so a looser pattern does not read it again.
        remaining = pattern.sub(lambda m: " " * len(m.group(0)), remaining)
    return sorted(found, key=lambda f: f.start), unread


def _is_single_date(text):
    for pattern, reader in READERS:
        match = pattern.fullmatch(text)
        if match and reader(match) is not None:
            return True
    return False


def _named_as_start(found, text):
    """Whether a period is named as the start of the work, not its end: after
    "starting"/"from", or before "over the following N months". A range has its own
    end ("from April 2010 to March 2011"), so it is never only a start."""
    if found.is_range:
        return False
    if STARTS_BEFORE_RE.search(text[: found.start]):
        return True
    over = OVER_FOLLOWING_RE.search(text, found.end)
    return bool(over) and bool(JOINING_RE.fullmatch(text[found.end : over.start()]))


LINES_RE = re.compile(r"\s*\n\s*")


def _dated_lines(text):
    """A timescale of several lines where one says how the work recurs ("reported to DMT monthly")
    and the others name dates (Sefton 2): the dates still say when the work is due.

    None unless some line is dated. Unreadable when reading the dates would be a guess: a recurring
    line that names an end of its own ("Monthly until March 2012"), or a line that is no date at all
    ("Completed", "See 12.1", "Q5 2010", a start with no end)."""
    lines = [line for line in LINES_RE.split(text) if line]
    recurring = [line for line in lines if NO_DATE_RE.search(line)]
    read = [parse_timescale(line) for line in lines if not NO_DATE_RE.search(line)]
    if len(lines) < 2 or not any(line.kind == DATED for line in read):
        return None
    if any(line.kind != DATED for line in read) or any(_names_an_end(line) for line in recurring):
        return Timescale(text, UNREADABLE)
    dated = [line for line in read if line.kind == DATED]
    start = dated[0].start_date if len(dated) == 1 else None
    return Timescale(text, DATED, due_date=max(line.due_date for line in dated), start_date=start)


def _names_an_end(line):
    """Whether a line names a period that is not just where the work starts ("from March 2010")."""
    unbracketed = BRACKETS_RE.sub(" ", line)
    periods, unread = _find_periods(unbracketed)
    return unread or any(not _named_as_start(found, unbracketed) for found in periods)


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
    completed = COMPLETED_WITH_DATE_RE.match(text)
    if completed and _is_single_date(completed["date"]):
        # The date is when it was done; DOMAIN.md gives a completed action no due
        # date, and the text keeps the date for anyone who wants it.
        return Timescale(text, COMPLETED)
    # Text in brackets is a note ("(for 2010/11 & 2011/12)"), not a date.
    unbracketed = BRACKETS_RE.sub(" ", text)
    periods, unread = _find_periods(unbracketed)
    if unread:
        # A date that is no date ("Q5 2010", "29/02/2011") may be the one that
        # matters: reading the others, or its year alone, would be a guess.
        return Timescale(text, UNREADABLE)
    if NO_DATE_RE.search(text):
        dated = _dated_lines(text)
        if dated:
            return dated
        # "Ongoing from March 2010": no due date, but the work has a start.
        start = periods[0].period[0] if periods else None
        return Timescale(text, NO_DATE, start_date=start)
    if not periods or VAGUE_RE.search(unbracketed):
        return Timescale(text, UNREADABLE)
    starts = [found for found in periods if _named_as_start(found, unbracketed)]
    ends = [found for found in periods if not any(found is start for start in starts)]
    if not ends:
        # "Starting Sept 2010, And over following 9 months": a start and no end. Not said to be
        # ongoing either, so the action is not rated until someone sets a due date.
        return Timescale(text, STARTS, start_date=starts[0].period[0])
    due = max(found.period[1] for found in ends)
    if any(found.period[0] > due for found in starts):
        # "June 2010, then from March 2011": the last work has no end written, and
        # the earlier end is not its due date; a person decides.
        return Timescale(text, UNREADABLE)
    # A named month or year means "by then"; only a written range, or a date
    # named as the start before a single end, gives a start.
    if len(ends) == 1 and ends[0].is_range and not starts:
        start = ends[0].period[0]
    elif len(ends) == 1 and len(starts) == 1 and starts[0].period[0] <= due:
        start = starts[0].period[0]
    else:
        start = None
    return Timescale(text, DATED, due_date=due, start_date=start)
