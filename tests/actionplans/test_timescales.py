"""Timescales as written (DOMAIN.md "Timescales as written"): what each text names.

Pure tests: no database. The first table holds every phrase DOMAIN.md lists, then
forms found in real plans. Quarters are financial-year quarters (quarter 1 is
April–June); "Quarter 3 2010" names the calendar year the quarter's months fall
in, so "Q4 2011" is January–March 2011.
"""

import random
from datetime import date

import pytest

from actionplans.timescales import (
    COMPLETED,
    DATED,
    EMPTY,
    NO_DATE,
    STARTS,
    REFERENCE,
    UNREADABLE,
    Timescale,
    parse_timescale,
)

KINDS = {EMPTY, DATED, NO_DATE, STARTS, COMPLETED, REFERENCE, UNREADABLE}

# (text, kind, due_date, start_date, reference)
CASES = [
    # --- Every phrase DOMAIN.md lists ---
    ("End March 2010", DATED, date(2010, 3, 31), None, None),
    ("March 2011", DATED, date(2011, 3, 31), None, None),
    ("Dec 2009", DATED, date(2009, 12, 31), None, None),
    ("End 2010", DATED, date(2010, 12, 31), None, None),
    ("January – March 2011", DATED, date(2011, 3, 31), date(2011, 1, 1), None),
    ("1.10.09", DATED, date(2009, 10, 1), None, None),  # UK day-first
    ("Quarter 3 2010", DATED, date(2010, 12, 31), None, None),  # October–December 2010
    ("Q3 2010/11", DATED, date(2010, 12, 31), None, None),
    ("September 2010 (for 2010/11 & 2011/12)", DATED, date(2010, 9, 30), None, None),
    ("Ongoing", NO_DATE, None, None, None),
    ("Commenced and ongoing", NO_DATE, None, None, None),
    ("In progress", NO_DATE, None, None, None),
    ("Quarterly", NO_DATE, None, None, None),
    ("Annually", NO_DATE, None, None, None),
    ("Completed", COMPLETED, None, None, None),
    ("In place", COMPLETED, None, None, None),
    ("See 12.1", REFERENCE, None, None, "12.1"),
    ("Refer to 13.1", REFERENCE, None, None, "13.1"),
    ("cf. 9.1", REFERENCE, None, None, "9.1"),
    # --- Months written other ways ---
    ("Sept 2010", DATED, date(2010, 9, 30), None, None),
    ("Sep. 2010", DATED, date(2010, 9, 30), None, None),
    ("SEPTEMBER 2010", DATED, date(2010, 9, 30), None, None),
    ("march, 2011", DATED, date(2011, 3, 31), None, None),
    ("By end of June 2010", DATED, date(2010, 6, 30), None, None),
    ("Feb 2012", DATED, date(2012, 2, 29), None, None),  # leap year month end
    ("Feb 2011", DATED, date(2011, 2, 28), None, None),
    # --- Days ---
    ("31st March 2011", DATED, date(2011, 3, 31), None, None),
    ("1st of April 2011", DATED, date(2011, 4, 1), None, None),
    ("22nd June 2010", DATED, date(2010, 6, 22), None, None),
    ("3rd Dec 2010", DATED, date(2010, 12, 3), None, None),
    ("2011-03-31", DATED, date(2011, 3, 31), None, None),
    ("01/10/2009", DATED, date(2009, 10, 1), None, None),  # 1 October, not 10 January
    ("1/4/2011", DATED, date(2011, 4, 1), None, None),
    ("31.03.11", DATED, date(2011, 3, 31), None, None),
    ("29/02/2012", DATED, date(2012, 2, 29), None, None),  # leap day
    # --- Quarters ---
    ("Q4 2011", DATED, date(2011, 3, 31), None, None),  # January–March 2011
    ("Quarter 1 2011", DATED, date(2011, 6, 30), None, None),  # April–June 2011
    ("Q2 2010", DATED, date(2010, 9, 30), None, None),
    ("Q4 of 2010", DATED, date(2010, 3, 31), None, None),
    ("Q1 2011/12", DATED, date(2011, 6, 30), None, None),
    ("Q4 2010/11", DATED, date(2011, 3, 31), None, None),
    ("Quarter 4 2010/2011", DATED, date(2011, 3, 31), None, None),
    ("q2 2009/10", DATED, date(2009, 9, 30), None, None),
    ("Q4 2010-11", DATED, date(2011, 3, 31), None, None),  # of the financial year, not calendar 2010
    ("Quarter 4 2010-2011", DATED, date(2011, 3, 31), None, None),
    # --- Financial years and calendar years ---
    ("2010/11", DATED, date(2011, 3, 31), None, None),
    ("2010/2011", DATED, date(2011, 3, 31), None, None),
    ("2010-11", DATED, date(2011, 3, 31), None, None),  # not 2010 alone
    ("2010-2011", DATED, date(2011, 3, 31), None, None),  # not 2011 alone
    ("2010 – 11", DATED, date(2011, 3, 31), None, None),
    ("2009-10", DATED, date(2010, 3, 31), None, None),
    ("2010/11 / 2011/12", DATED, date(2012, 3, 31), None, None),
    ("2011", DATED, date(2011, 12, 31), None, None),
    ("End of 2010", DATED, date(2010, 12, 31), None, None),
    # --- Seasons: named by the year they start in ---
    ("Spring 2011", DATED, date(2011, 5, 31), None, None),
    ("Summer 2010", DATED, date(2010, 8, 31), None, None),
    ("Autumn 2010", DATED, date(2010, 11, 30), None, None),
    ("Winter 2010", DATED, date(2011, 2, 28), None, None),  # December 2010 – February 2011
    ("Winter 2010/11", DATED, date(2011, 2, 28), None, None),
    ("Winter 2011", DATED, date(2012, 2, 29), None, None),
    # --- Ranges: the end is due, and the range has a start ---
    ("December 2010 – March 2011", DATED, date(2011, 3, 31), date(2010, 12, 1), None),
    ("April 2010 - March 2011", DATED, date(2011, 3, 31), date(2010, 4, 1), None),
    ("March 2011 to June 2011", DATED, date(2011, 6, 30), date(2011, 3, 1), None),
    ("March to June 2011", DATED, date(2011, 6, 30), date(2011, 3, 1), None),
    ("December – March 2011", DATED, date(2011, 3, 31), date(2010, 12, 1), None),  # crosses the year
    ("Sept—Dec 2010", DATED, date(2010, 12, 31), date(2010, 9, 1), None),
    ("From April 2010 to March 2011", DATED, date(2011, 3, 31), date(2010, 4, 1), None),  # a range has its end
    # --- A start named before an end: the end is due, from the start ---
    ("Starting Sept 2010, ending March 2011", DATED, date(2011, 3, 31), date(2010, 9, 1), None),
    (
        "Starting Sept 2010 and over the following 9 months to June 2011",
        DATED,
        date(2011, 6, 30),
        date(2010, 9, 1),
        None,
    ),
    # --- Several dates: the latest is due; a named month or year has no start ---
    (
        "Completed\n\nSeptember and November 2010\n\nJune 2010\n\nMarch 2011",
        DATED,
        date(2011, 3, 31),
        None,
        None,
    ),
    ("Quarter 3 2010 and Q4 2011 reports to be produced.", DATED, date(2011, 3, 31), None, None),
    ("March 2011, June 2010", DATED, date(2011, 3, 31), None, None),
    ("June 2010 and March 2011", DATED, date(2011, 3, 31), None, None),
    ("Report to Cabinet 1.10.09, review March 2010", DATED, date(2010, 3, 31), None, None),
    ("Mid-year review, September 2011", DATED, date(2011, 9, 30), None, None),  # "mid-year" is no date
    ("Early years strategy March 2011", DATED, date(2011, 3, 31), None, None),
    ("September 2010 (mid 2011 review)", DATED, date(2010, 9, 30), None, None),  # brackets are a note
    # --- No date, sometimes with a start ---
    ("April 2010 and throughout the year", NO_DATE, None, date(2010, 4, 1), None),
    ("Ongoing from March 2010", NO_DATE, None, date(2010, 3, 1), None),
    ("March 2011 onwards", NO_DATE, None, date(2011, 3, 1), None),
    ("Commenced April 2010", NO_DATE, None, date(2010, 4, 1), None),
    # A date named as a start is not a due date; "over the following 9 months" is
    # not counted on to an end (which month would be the ninth is a guess).
    ("Starting Sept 2010, And over following 9 months.", STARTS, None, date(2010, 9, 1), None),  # Sefton 27
    ("Starting Sept 2010", STARTS, None, date(2010, 9, 1), None),
    ("From April 2010", STARTS, None, date(2010, 4, 1), None),
    ("from 1.10.09", STARTS, None, date(2009, 10, 1), None),
    ("Started April 2010", STARTS, None, date(2010, 4, 1), None),
    ("Since April 2010", STARTS, None, date(2010, 4, 1), None),
    ("Beginning April 2011", STARTS, None, date(2011, 4, 1), None),  # "Beginning of 2011" is vague
    ("June 2010 and over the following 9 months", STARTS, None, date(2010, 6, 1), None),
    ("June 2010 over the next six months", STARTS, None, date(2010, 6, 1), None),
    ("From 2010/11", STARTS, None, date(2010, 4, 1), None),
    ("Completed / ongoing", NO_DATE, None, None, None),  # Sefton 38: "ongoing", so not done
    ("On-going", NO_DATE, None, None, None),
    ("ongoing", NO_DATE, None, None, None),
    ("Monthly", NO_DATE, None, None, None),
    ("Annually in April", NO_DATE, None, None, None),
    ("As required", NO_DATE, None, None, None),
    ("Rolling programme", NO_DATE, None, None, None),
    # Several lines: dates in some, how the work recurs in another. The dates say when it is due.
    (
        "New documentation completed June 2010\n\nStaff begin use of new procedures July 2010\n\n"
        "First audit report to Departmental Management Team September 2010\n\n"
        "Review target monitored from March 2010 and reported to DMT monthly.",
        DATED, date(2010, 9, 30), None, None,
    ),  # Sefton 2, like Sefton 1 whose last line is not there
    ("First meeting May 2010\n\nStrategy will be updated annually", DATED, date(2010, 5, 31), None, None),  # Sefton 46
    ("Ongoing\nOngoing", NO_DATE, None, None, None),  # Kent 4
    ("Completed\n\nQuarterly to DMT, Yearly to Cabinet", NO_DATE, None, None, None),  # Sefton 36
    ("June 2010\n\nQ5 2010\n\nreported monthly", UNREADABLE, None, None, None),
    ("Monthly until March 2012\nMarch 2011", UNREADABLE, None, None, None),  # the 2012 end is not dropped
    ("Completed\nMarch 2011\nquarterly", UNREADABLE, None, None, None),  # "Completed" is not a date to skip
    ("Quarterly\nJanuary – March 2011", DATED, date(2011, 3, 31), date(2011, 1, 1), None),
    ("Reported monthly from April 2010\nSeptember 2010", DATED, date(2010, 9, 30), None, None),
    ("March 2011\n\nStarting Sept 2010\n\nreported monthly", UNREADABLE, None, None, None),
    # --- Done ---
    ("Completed.", COMPLETED, None, None, None),
    ("Complete", COMPLETED, None, None, None),
    ("COMPLETED", COMPLETED, None, None, None),
    ("Done", COMPLETED, None, None, None),
    ("in place", COMPLETED, None, None, None),
    ("Achieved", COMPLETED, None, None, None),
    # Followed only by a date: when it was done, not a due date (it would show overdue).
    ("Completed March 2010", COMPLETED, None, None, None),
    ("Complete March 2010", DATED, date(2010, 3, 31), None, None),  # a target as often as a record
    ("In place March 2010", COMPLETED, None, None, None),
    ("Completed: 1.10.09", COMPLETED, None, None, None),
    ("Completed in March 2010.", COMPLETED, None, None, None),
    ("Completed on 22nd June 2010", COMPLETED, None, None, None),
    ("Completed end of March 2010", COMPLETED, None, None, None),
    ("Completed - March 2010", COMPLETED, None, None, None),
    ("Completed 2010/11", COMPLETED, None, None, None),
    ("Draft completed March 2010", COMPLETED, None, None, None),
    ("In place since 2009", COMPLETED, None, None, None),
    # ... but not a target, nor more than a date.
    ("Complete by March 2011", DATED, date(2011, 3, 31), None, None),
    ("In place by April 2011", DATED, date(2011, 4, 30), None, None),
    ("Completed\n\nNext meeting is in May 2010.", DATED, date(2010, 5, 31), None, None),  # Sefton 23
    # --- Cross-references ---
    ("See action 4.2", REFERENCE, None, None, "4.2"),
    ("see 12", REFERENCE, None, None, "12"),
    ("Referred to 3.2", REFERENCE, None, None, "3.2"),
    ("Refer to 13.1a", REFERENCE, None, None, "13.1a"),
    ("cf 9.1", REFERENCE, None, None, "9.1"),
    ("As per 5.1.2", REFERENCE, None, None, "5.1.2"),
    ("Covered in 7.3", REFERENCE, None, None, "7.3"),
    ("See 12.1 (March 2011)", REFERENCE, None, None, "12.1"),  # the other action's timescale applies
    # --- Nothing written ---
    ("", EMPTY, None, None, None),
    ("   ", EMPTY, None, None, None),
    ("\n\t\n", EMPTY, None, None, None),
    # --- Unreadable: kept, flagged, never guessed ---
    ("Soon", UNREADABLE, None, None, None),
    ("TBC", UNREADABLE, None, None, None),
    ("ASAP", UNREADABLE, None, None, None),
    ("Next year", UNREADABLE, None, None, None),
    ("32/13/2010", UNREADABLE, None, None, None),  # not a day, and its year is not read alone
    ("29/02/2011", UNREADABLE, None, None, None),  # 2011 is not a leap year
    ("30 February 2010", UNREADABLE, None, None, None),
    ("2011-02-30", UNREADABLE, None, None, None),
    ("2010/12", UNREADABLE, None, None, None),  # not a financial year, and not guessed as December
    ("Mid 2011", UNREADABLE, None, None, None),  # not the end of 2011
    ("mid-2011", UNREADABLE, None, None, None),
    ("Early 2011", UNREADABLE, None, None, None),
    ("mid-March 2011", UNREADABLE, None, None, None),
    ("Beginning of 2011", UNREADABLE, None, None, None),
    ("Start of April 2011", UNREADABLE, None, None, None),
    ("Middle of 2011", UNREADABLE, None, None, None),
    ("September", UNREADABLE, None, None, None),  # which year?
    ("Q3", UNREADABLE, None, None, None),
    # No such quarter: flagged, and its year is not read alone.
    ("Q5 2010", UNREADABLE, None, None, None),
    ("Quarter 0 2010", UNREADABLE, None, None, None),
    ("Q10 2010", UNREADABLE, None, None, None),
    ("Q5 2010/11", UNREADABLE, None, None, None),
    ("Q0 2010/11", UNREADABLE, None, None, None),
    ("Q3 2010/12", UNREADABLE, None, None, None),  # no such financial year
    ("Completed Q5 2010", UNREADABLE, None, None, None),
    # A date that is no date may be the one that matters: the others are not read instead.
    ("Q5 2010 and March 2011", UNREADABLE, None, None, None),
    ("March 2011 and Q5 2010", UNREADABLE, None, None, None),
    ("Ongoing from 30 February 2010", UNREADABLE, None, None, None),
    # Years joined by a dash are a financial year only when the second follows the first.
    ("2010-12", UNREADABLE, None, None, None),  # nor December 2010
    ("2010-2012", UNREADABLE, None, None, None),
    ("2011-10", UNREADABLE, None, None, None),
    ("2010-11-5", UNREADABLE, None, None, None),  # not the financial year 2010/11
    ("2010/11/12", UNREADABLE, None, None, None),
    # A start with no end, then an earlier end: which is due is for a person to say.
    ("June 2010, then from March 2011", UNREADABLE, None, None, None),
    ("Over the following 9 months", UNREADABLE, None, None, None),  # following what?
    ("Starting mid 2011", UNREADABLE, None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "due_date", "start_date", "reference"), CASES, ids=[repr(c[0]) for c in CASES])
def test_parse_timescale(text, kind, due_date, start_date, reference):
    timescale = parse_timescale(text)
    assert (timescale.kind, timescale.due_date, timescale.start_date, timescale.reference) == (
        kind,
        due_date,
        start_date,
        reference,
    )
    # The text is kept as written (only the surrounding space goes).
    assert timescale.text == text.strip()


def test_table_covers_every_phrase_domain_md_lists():
    listed = {
        "End March 2010", "March 2011", "Dec 2009", "End 2010", "January – March 2011", "1.10.09",
        "Quarter 3 2010", "Q3 2010/11", "September 2010 (for 2010/11 & 2011/12)", "Ongoing",
        "Commenced and ongoing", "In progress", "Quarterly", "Annually", "Completed", "In place",
        "See 12.1", "Refer to 13.1", "cf. 9.1",
    }  # fmt: skip
    assert listed <= {text for text, *_ in CASES}


def test_none_is_empty():
    assert parse_timescale(None) == Timescale("", EMPTY)


def test_surrounding_space_is_dropped_but_the_reading_is_the_same():
    assert parse_timescale("  March 2011\n") == Timescale("March 2011", DATED, due_date=date(2011, 3, 31))


@pytest.mark.parametrize("text", [text for text, kind, *_ in CASES if kind == UNREADABLE])
def test_unreadable_is_flagged_and_never_given_a_date(text):
    timescale = parse_timescale(text)
    assert timescale.needs_review is True
    assert timescale.is_completed is False
    assert timescale.due_date is None and timescale.start_date is None


@pytest.mark.parametrize(
    ("text", "is_completed", "needs_review"),
    [
        ("Completed", True, False),
        ("In place", True, False),
        ("Done", True, False),
        ("Completed March 2010", True, False),
        ("Q5 2010", False, True),
        ("March 2011", False, False),
        ("Ongoing", False, False),
        ("See 12.1", False, False),
        ("", False, False),
        ("TBC", False, True),
        ("Mid 2011", False, True),
        # A history of dates under "Completed" is read for its dates, not as done.
        ("Completed\n\nJune 2010\n\nMarch 2011", False, False),
    ],
)
def test_is_completed_and_needs_review(text, is_completed, needs_review):
    timescale = parse_timescale(text)
    assert (timescale.is_completed, timescale.needs_review) == (is_completed, needs_review)


@pytest.mark.parametrize(
    ("text", "explanation"),
    [
        ("", "No timescale written"),
        ("March 2011", "Due 31 Mar 2011"),
        ("1.10.09", "Due 1 Oct 2009"),
        ("January – March 2011", "Due 31 Mar 2011, starting 1 Jan 2011"),
        ("December 2010 – March 2011", "Due 31 Mar 2011, starting 1 Dec 2010"),
        ("Ongoing", "No due date: the timescale says the work is ongoing"),
            ("Starting Sept 2010", "Starts 1 Sep 2010; no end is written: set a due date by hand"),
        ("Ongoing from March 2010", "No due date: the timescale says the work is ongoing"),
        ("Completed", "The timescale says the action is complete"),
        ("Completed March 2010", "The timescale says the action is complete"),
        ("Starting Sept 2010, And over following 9 months.", "Starts 1 Sep 2010; no end is written: set a due date by hand"),
        ("In place", "The timescale says the action is complete"),
        ("See 12.1", "Refers to action 12.1"),
        ("cf. 9.1", "Refers to action 9.1"),
        ("Soon", "Timescale not understood: check it and set a due date by hand"),
        ("Mid 2011", "Timescale not understood: check it and set a due date by hand"),
    ],
)
def test_explanation(text, explanation):
    assert parse_timescale(text).explanation == explanation


AWKWARD = [
    "\x00",
    "\u00a0",
    "(",
    ")",
    "((March 2011",
    "March 2011)",
    "()",
    "( )",
    "Q5 2010",
    "Q0 2010/11",
    "Quarter 9 2010/11",
    "0/0/00",
    "00.00.0000",
    "99.99.99",
    "9999-99-99",
    "0000-00-00",
    "01/10/0009",
    "1.1.1",
    "2010/11/12",
    "1/2/3/4/5",
    "Q3 2010/11/12",
    "2010/2012",
    "See",
    "see .",
    "cf.",
    "Refer to",
    "—",
    "–",
    "to",
    "March –",
    " – March 2011",
    "December 2010 – January 2010",
    "Winter 1999",
    "Q4 1900",
    "1900/01",
    "31/12/1999",
    "Completed Completed",
    "End End End",
    "٢٠١١",
    "March ٢٠١١",
    "🗓️ March 2011",
    ".*+?[](){}|\\^$",
    "March 2011 " * 500,
    "a" * 10_000,
    "\r\n".join(["June 2010", "", "TBC", "March 2011"]),
]

VOCABULARY = [
    "March", "Sept", "Dec", "Winter", "Autumn", "Q4", "Q5", "Quarter 3", "2010", "2011", "2010/11", "2010-11", "11",
    "1.10.09", "29/02/2011", "31st", "of", "–", "-", "to", "and", "(", ")", "&", "See", "12.1", "cf.",
    "Ongoing", "Completed", "In place", "mid", "early", "End", "onwards", "TBC", "\n", ",", ".", "/",
    "Starting", "from", "over the following 9 months", "by",
]  # fmt: skip


def _random_texts(count=500, seed=20100331):
    generator = random.Random(seed)
    for _ in range(count):
        yield " ".join(generator.choice(VOCABULARY) for _ in range(generator.randint(1, 8)))


def _check_invariants(text):
    timescale = parse_timescale(text)
    assert isinstance(timescale, Timescale)
    assert timescale.kind in KINDS
    assert isinstance(timescale.explanation, str) and timescale.explanation
    # Only a dated timescale has a due date; only a cross-reference has a reference.
    assert (timescale.due_date is not None) == (timescale.kind == DATED)
    assert (timescale.reference is not None) == (timescale.kind == REFERENCE)
    if timescale.start_date is not None:
        assert timescale.kind in {DATED, NO_DATE, STARTS}
    assert timescale.needs_review == (timescale.kind == UNREADABLE)
    assert timescale.is_completed == (timescale.kind == COMPLETED)
    # Reading the kept text again gives the same reading.
    assert parse_timescale(timescale.text) == timescale


@pytest.mark.parametrize("text", AWKWARD, ids=range(len(AWKWARD)))
def test_never_raises_on_awkward_text(text):
    _check_invariants(text)


def test_never_raises_on_random_mixtures_of_plan_words():
    for text in _random_texts():
        _check_invariants(text)
