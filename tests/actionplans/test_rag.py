"""RAG for actions (DOMAIN.md "RAG rules > Actions"), statuses as written, and roll-ups.

Pure tests: no database. `on` is the day the plan is shown as at.
"""

from datetime import date, timedelta

import pytest

from actionplans import rag, timescales
from actionplans.rag import (
    AMBER,
    AT_RISK,
    BLUE,
    BUSINESS,
    CANCELLED,
    COMPLETED,
    DELAYED,
    GREEN,
    GREY,
    IMPROVEMENT,
    NOT_STARTED,
    OFF_TRACK,
    ON_COURSE,
    ON_TRACK,
    RED,
    Rag,
    Summary,
    action_rag,
    is_overdue,
    normalise_status,
    summarise,
)

ON = date(2011, 3, 31)
PAST = date(2011, 3, 1)  # "1 Mar 2011"
YESTERDAY = ON - timedelta(days=1)
FUTURE = date(2011, 6, 30)  # "30 Jun 2011"


def test_schemes_have_the_statuses_domain_md_names():
    labels = {scheme: [rag.STATUS_LABELS[s] for s in statuses] for scheme, statuses in rag.SCHEME_STATUSES.items()}
    assert labels == {
        IMPROVEMENT: ["Not started", "On track", "At risk", "Off track", "Completed"],
        BUSINESS: ["On course", "Delayed", "Completed", "Cancelled"],
    }


def test_colours_are_listed_worst_first():
    assert rag.COLOUR_ORDER == [RED, AMBER, GREEN, BLUE, GREY]


# --- Improvement plan scheme (BRAG) ------------------------------------------

# (status, due_date, colour, exact reason or None, fragments the reason must contain)
BRAG_CASES = [
    # Blue = completed, whatever the date.
    (COMPLETED, PAST, BLUE, "Completed", []),
    (COMPLETED, None, BLUE, "Completed", []),
    (COMPLETED, FUTURE, BLUE, "Completed", []),
    # Past its due date and not completed: Red whatever the lead chose, and the reason says so.
    (ON_TRACK, PAST, RED, None, ["Past its due date of 1 Mar 2011", "not completed", "the lead reported on track"]),
    (NOT_STARTED, PAST, RED, None, ["Past its due date of 1 Mar 2011", "the lead reported not started"]),
    (AT_RISK, PAST, RED, None, ["Past its due date of 1 Mar 2011", "the lead reported at risk"]),
    (OFF_TRACK, PAST, RED, None, ["Past its due date of 1 Mar 2011", "the lead reported off track"]),
    (ON_TRACK, YESTERDAY, RED, None, ["Past its due date of 30 Mar 2011", "the lead reported on track"]),
    ("", PAST, RED, "Past its due date of 1 Mar 2011 and not completed", []),
    # Off track = Red, at risk = Amber, as the lead reported.
    (OFF_TRACK, FUTURE, RED, None, ["Off track", "lead"]),
    (OFF_TRACK, None, RED, None, ["Off track", "lead"]),
    (OFF_TRACK, ON, RED, None, ["Off track"]),
    (AT_RISK, FUTURE, AMBER, None, ["At risk", "lead"]),
    (AT_RISK, None, AMBER, None, ["At risk", "lead"]),
    (AT_RISK, ON, AMBER, None, ["At risk"]),
    # On track = Green.
    (ON_TRACK, FUTURE, GREEN, None, ["On track", "due 30 Jun 2011"]),
    (ON_TRACK, None, GREEN, None, ["On track", "no due date"]),
    # Not started while its due date has not passed = Green.
    (NOT_STARTED, FUTURE, GREEN, None, ["Not started", "30 Jun 2011", "has not passed"]),
    (NOT_STARTED, None, GREEN, None, ["Not started", "no due date"]),
    # No status and no due date: not rated (the timescale does not say ongoing; see the ongoing tests).
    ("", None, GREY, rag.NOT_RATED_REASON, []),
    ("", FUTURE, GREEN, None, ["No status reported", "30 Jun 2011", "has not passed"]),
    # Due on the day itself is not yet past.
    (ON_TRACK, ON, GREEN, None, ["On track", "due 31 Mar 2011"]),
    (NOT_STARTED, ON, GREEN, None, ["Not started", "31 Mar 2011", "has not passed"]),
    ("", ON, GREEN, None, ["31 Mar 2011", "has not passed"]),
]


@pytest.mark.parametrize(("status", "due_date", "colour", "reason", "fragments"), BRAG_CASES)
def test_improvement_scheme(status, due_date, colour, reason, fragments):
    result = action_rag(IMPROVEMENT, status, due_date, ON)
    assert result.colour == colour
    if reason is not None:
        assert result.reason == reason
    for fragment in fragments:
        assert fragment in result.reason


@pytest.mark.parametrize("status", [NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, ""])
def test_date_rule_overrides_the_leads_status_only_once_the_date_has_passed(status):
    assert action_rag(IMPROVEMENT, status, YESTERDAY, ON).colour == RED
    assert not action_rag(IMPROVEMENT, status, ON, ON).reason.startswith("Past its due date")
    # The same action, shown as at its due date and the day after.
    assert action_rag(IMPROVEMENT, status, ON, ON + timedelta(days=1)).reason.startswith("Past its due date")


# --- Business plan scheme (seed 001, 5.3) ------------------------------------

BUSINESS_CASES = [
    (COMPLETED, None, GREEN, ["Completed"]),
    (COMPLETED, PAST, GREEN, ["Completed"]),
    (ON_COURSE, None, AMBER, ["On course", "partially complete"]),
    (ON_COURSE, FUTURE, AMBER, ["On course"]),
    (DELAYED, None, AMBER, ["Delayed", "partially complete"]),
    (CANCELLED, None, RED, ["Cancelled", "will not be delivered"]),
    (CANCELLED, PAST, RED, ["Cancelled"]),
    ("", None, GREY, ["Not rated", "no due date could be read", "no status has been reported"]),
    # The business scheme keeps the lead's colour past the date, and says the date has passed.
    (ON_COURSE, PAST, AMBER, ["On course", "past its due date of 1 Mar 2011"]),
    (DELAYED, PAST, AMBER, ["Delayed", "past its due date of 1 Mar 2011"]),
    ("", PAST, AMBER, ["No status reported", "past its due date of 1 Mar 2011"]),
]


@pytest.mark.parametrize(("status", "due_date", "colour", "fragments"), BUSINESS_CASES)
def test_business_scheme(status, due_date, colour, fragments):
    result = action_rag(BUSINESS, status, due_date, ON)
    assert result.colour == colour
    for fragment in fragments:
        assert fragment in result.reason


@pytest.mark.parametrize("status", [ON_COURSE, DELAYED, ""])
def test_business_scheme_due_on_the_day_is_not_past(status):
    assert "past its due date" not in action_rag(BUSINESS, status, ON, ON).reason


# --- Completion proposed -----------------------------------------------------

PROPOSED_CASES = [
    (IMPROVEMENT, ON_TRACK, FUTURE, GREEN),
    (IMPROVEMENT, ON_TRACK, PAST, RED),
    (IMPROVEMENT, AT_RISK, FUTURE, AMBER),
    (IMPROVEMENT, OFF_TRACK, None, RED),
    (IMPROVEMENT, NOT_STARTED, FUTURE, GREEN),
    (IMPROVEMENT, "", None, GREY),
    (BUSINESS, ON_COURSE, None, AMBER),
    (BUSINESS, DELAYED, PAST, AMBER),
    (BUSINESS, CANCELLED, None, RED),
    (BUSINESS, "", None, GREY),
]


@pytest.mark.parametrize(("scheme", "status", "due_date", "colour"), PROPOSED_CASES)
def test_completion_proposed_keeps_the_colour_and_says_so(scheme, status, due_date, colour):
    before = action_rag(scheme, status, due_date, ON)
    proposed = action_rag(scheme, status, due_date, ON, completion_proposed=True)
    assert before.colour == proposed.colour == colour
    assert proposed.reason.startswith(before.reason)
    assert "Completion proposed" in proposed.reason
    assert "sign-off" in proposed.reason
    assert "Completion proposed" not in before.reason


@pytest.mark.parametrize(("scheme", "colour"), [(IMPROVEMENT, BLUE), (BUSINESS, GREEN)])
def test_an_action_already_completed_has_no_completion_to_propose(scheme, colour):
    assert action_rag(scheme, COMPLETED, PAST, ON, completion_proposed=True) == Rag(colour, "Completed")


@pytest.mark.parametrize("scheme", [IMPROVEMENT, BUSINESS])
@pytest.mark.parametrize("proposed", [False, True])
def test_every_rag_has_a_reason(scheme, proposed):
    statuses = ["", *rag.SCHEME_STATUSES[scheme]]
    for status in statuses:
        for due_date in [None, PAST, YESTERDAY, ON, FUTURE]:
            result = action_rag(scheme, status, due_date, ON, completion_proposed=proposed)
            assert result.colour in {BLUE, GREEN, AMBER, RED} or (result.colour == GREY and not status and not due_date)
            assert result.reason.strip(), (status, due_date)
            assert str(result) == f"{result.label}: {result.reason}"


# --- Ongoing work, and actions that need a due date (DOMAIN.md "Actions") ----------

# (scheme, status, due date, ongoing, colour, needs a due date)
ONGOING_CASES = [
    (IMPROVEMENT, "", None, True, GREEN, False),  # "Ongoing": Green, "ongoing, no due date"
    (IMPROVEMENT, "", None, False, GREY, True),  # nothing readable, nothing reported: never Green
    (IMPROVEMENT, ON_TRACK, None, False, GREEN, True),  # the lead says on track, but a due date is wanted
    (IMPROVEMENT, ON_TRACK, None, True, GREEN, False),
    (IMPROVEMENT, "", FUTURE, False, GREEN, False),
    (IMPROVEMENT, COMPLETED, None, False, BLUE, False),  # closed: no date needed
    (BUSINESS, "", None, True, AMBER, False),
    (BUSINESS, "", None, False, GREY, True),
    (BUSINESS, CANCELLED, None, False, RED, False),
    (BUSINESS, ON_COURSE, None, False, AMBER, True),
]


@pytest.mark.parametrize(("scheme", "status", "due_date", "ongoing", "colour", "needs_date"), ONGOING_CASES)
def test_ongoing_work_and_actions_needing_a_due_date(scheme, status, due_date, ongoing, colour, needs_date):
    assert action_rag(scheme, status, due_date, ON, ongoing=ongoing).colour == colour
    assert rag.needs_due_date(status, due_date, ongoing) is needs_date


def test_an_action_whose_timescale_refers_to_anothers_is_not_rated_nor_said_to_need_a_due_date():
    state = rag.action_state(scheme=IMPROVEMENT, updates=[], due_date=None, on=ON, timescale_kind=timescales.REFERENCE)
    assert state.rag == Rag(GREY, rag.REFERENCE_NOT_RATED_REASON) and not state.needs_due_date
    reported = rag.action_state(
        scheme=IMPROVEMENT, updates=[(PAST, ON_TRACK)], due_date=None, on=ON, timescale_kind=timescales.REFERENCE
    )
    assert reported.rag.colour == GREEN and not reported.needs_due_date


@pytest.mark.parametrize(
    ("kind", "colour", "needs_date"),
    [
        (timescales.EMPTY, GREY, True),
        (timescales.UNREADABLE, GREY, True),
        (timescales.STARTS, GREY, True),
        (timescales.NO_DATE, GREEN, False),
        (timescales.REFERENCE, GREY, False),
        (timescales.COMPLETED, BLUE, False),
    ],
)
def test_what_each_kind_of_timescale_means_for_an_action_with_no_status_and_no_due_date(kind, colour, needs_date):
    state = rag.action_state(scheme=IMPROVEMENT, updates=[], due_date=None, on=ON, timescale_kind=kind)
    assert (state.rag.colour, state.needs_due_date) == (colour, needs_date)


def test_ongoing_work_with_no_status_says_so():
    assert action_rag(IMPROVEMENT, "", None, ON, ongoing=True) == Rag(GREEN, "Ongoing, no due date")


def test_not_rated_actions_are_counted_apart_and_as_needing_a_due_date():
    states = [
        rag.action_state(scheme=IMPROVEMENT, updates=[], due_date=None, on=ON),
        rag.action_state(scheme=IMPROVEMENT, updates=[], due_date=None, on=ON, timescale_kind=timescales.NO_DATE),
        rag.action_state(scheme=IMPROVEMENT, updates=[(PAST, ON_TRACK)], due_date=FUTURE, on=ON),
    ]
    summary = summarise(IMPROVEMENT, states)
    assert summary.counts == {GREY: 1, GREEN: 2}
    assert summary.needs_due_date == 1
    assert (GREY, "Not rated", 1) in summary.rows


def test_only_the_improvement_scheme_uses_blue():
    business = {action_rag(BUSINESS, s, d, ON).colour for s in rag.SCHEME_STATUSES[BUSINESS] for d in [None, PAST]}
    assert BLUE not in business


@pytest.mark.parametrize(
    ("colour", "label"), [(BLUE, "Blue"), (GREEN, "Green"), (AMBER, "Amber"), (RED, "Red"), (GREY, "Not rated")]
)
def test_rag_label_and_str(colour, label):
    result = Rag(colour, "why")
    assert result.label == label
    assert str(result) == f"{label}: why"


# --- Statuses as written -----------------------------------------------------

NORMALISE_CASES = [
    # Scheme names and labels, in any case and spacing.
    ("Not started", IMPROVEMENT, NOT_STARTED),
    ("not_started", IMPROVEMENT, NOT_STARTED),
    ("NOT STARTED", IMPROVEMENT, NOT_STARTED),
    ("  not   started ", IMPROVEMENT, NOT_STARTED),
    ("Not-started", IMPROVEMENT, NOT_STARTED),
    ("On track", IMPROVEMENT, ON_TRACK),
    ("on_track", IMPROVEMENT, ON_TRACK),
    ("ON TRACK", IMPROVEMENT, ON_TRACK),
    ("On-track", IMPROVEMENT, ON_TRACK),
    ("At risk", IMPROVEMENT, AT_RISK),
    ("at_risk", IMPROVEMENT, AT_RISK),
    ("Off track", IMPROVEMENT, OFF_TRACK),
    ("\toff\ttrack\n", IMPROVEMENT, OFF_TRACK),
    ("Completed", IMPROVEMENT, COMPLETED),
    ("completed", BUSINESS, COMPLETED),
    ("On course", BUSINESS, ON_COURSE),
    ("on_course", BUSINESS, ON_COURSE),
    ("ON COURSE", BUSINESS, ON_COURSE),
    ("Delayed", BUSINESS, DELAYED),
    ("delayed ", BUSINESS, DELAYED),
    ("Cancelled", BUSINESS, CANCELLED),
    ("CANCELLED", BUSINESS, CANCELLED),
    # Loose forms meaning completed, in both schemes.
    ("Complete", IMPROVEMENT, COMPLETED),
    ("Complete", BUSINESS, COMPLETED),
    ("Done", IMPROVEMENT, COMPLETED),
    ("DONE", BUSINESS, COMPLETED),
    ("In place", IMPROVEMENT, COMPLETED),
    ("in place", BUSINESS, COMPLETED),
    ("In-place", IMPROVEMENT, COMPLETED),
    # Loose forms meaning under way: on track in BRAG, on course in the business scheme.
    ("Ongoing", IMPROVEMENT, ON_TRACK),
    ("Ongoing", BUSINESS, ON_COURSE),
    ("On going", IMPROVEMENT, ON_TRACK),
    ("In progress", IMPROVEMENT, ON_TRACK),
    ("in progress", BUSINESS, ON_COURSE),
    ("Commenced", IMPROVEMENT, ON_TRACK),
    ("COMMENCED", BUSINESS, ON_COURSE),
    # Blank means no status reported.
    ("", IMPROVEMENT, ""),
    ("   ", BUSINESS, ""),
    (None, IMPROVEMENT, ""),
]


@pytest.mark.parametrize(("text", "scheme", "expected"), NORMALISE_CASES)
def test_normalise_status(text, scheme, expected):
    assert normalise_status(text, scheme) == expected


UNKNOWN_CASES = [
    ("Rubbish", IMPROVEMENT),
    ("Green", IMPROVEMENT),
    ("Completion proposed", IMPROVEMENT),
    ("Delayed", IMPROVEMENT),  # a business plan status
    ("Cancelled", IMPROVEMENT),
    ("Not started", BUSINESS),  # an improvement plan status
    ("At risk", BUSINESS),
    ("  ???  ", BUSINESS),
]


@pytest.mark.parametrize(("text", "scheme"), UNKNOWN_CASES)
def test_unknown_status_is_refused_and_the_message_lists_the_allowed_ones(text, scheme):
    with pytest.raises(ValueError) as error:
        normalise_status(text, scheme)
    message = str(error.value)
    assert f"'{text.strip()}'" in message
    assert rag.SCHEME_LABELS[scheme].lower() in message
    offered = message.split("use one of", 1)[1]
    for status in rag.SCHEME_STATUSES[scheme]:
        assert rag.STATUS_LABELS[status] in offered
    # The other scheme's own statuses are not offered.
    other = BUSINESS if scheme == IMPROVEMENT else IMPROVEMENT
    for status in set(rag.SCHEME_STATUSES[other]) - set(rag.SCHEME_STATUSES[scheme]):
        assert rag.STATUS_LABELS[status] not in offered


@pytest.mark.parametrize(("status", "label"), [(ON_TRACK, "On track"), (CANCELLED, "Cancelled"), ("", "No status reported")])
def test_status_label(status, label):
    assert rag.status_label(status) == label


# --- Overdue -----------------------------------------------------------------

OVERDUE_CASES = [
    (ON_TRACK, YESTERDAY, True),
    (ON_TRACK, PAST, True),
    (NOT_STARTED, PAST, True),
    (AT_RISK, PAST, True),
    (OFF_TRACK, PAST, True),
    (ON_COURSE, PAST, True),
    (DELAYED, PAST, True),
    ("", PAST, True),
    (COMPLETED, PAST, False),
    (CANCELLED, PAST, False),
    (ON_TRACK, ON, False),  # due today is not overdue
    ("", ON, False),
    (ON_TRACK, FUTURE, False),
    (ON_TRACK, None, False),
    ("", None, False),
]


@pytest.mark.parametrize(("status", "due_date", "overdue"), OVERDUE_CASES)
def test_is_overdue(status, due_date, overdue):
    assert is_overdue(status, due_date, ON) is overdue


@pytest.mark.parametrize("status", ["", *rag.SCHEME_STATUSES[IMPROVEMENT]])
@pytest.mark.parametrize("due_date", [None, PAST, YESTERDAY, ON, FUTURE])
def test_overdue_agrees_with_the_improvement_date_rule(status, due_date):
    result = action_rag(IMPROVEMENT, status, due_date, ON)
    assert is_overdue(status, due_date, ON) == result.reason.startswith("Past its due date")


# --- Roll-ups ----------------------------------------------------------------

# Seed 001, 5.3 "Directorate Mid-Year Monitoring – Business Plan Dashboard":
# (division, total actions, completed, on course, delayed or cancelled, overall RAG)
SEED_001_TABLE_5_3 = [
    ("SCS", 18, 1, 17, 0, AMBER),
    ("OPPD", 20, 2, 18, 0, AMBER),
    ("LDMH", 19, 11, 8, 0, AMBER),
    ("SC", 48, 11, 37, 0, AMBER),
]
SEED_001_DIRECTORATE = ("Directorate Totals", 105, 25, 80, 0, AMBER)


def _rated(scheme, statuses, due_date=None):
    return [(action_rag(scheme, status, due_date, ON), status) for status in statuses]


def _division_statuses(completed, on_course):
    return [COMPLETED] * completed + [ON_COURSE] * on_course


def _row(name, summary):
    return (
        name,
        summary.total,
        summary.completed,
        summary.on_course,
        summary.delayed_or_cancelled,
        summary.overall.colour,
    )


@pytest.mark.parametrize("row", SEED_001_TABLE_5_3, ids=[row[0] for row in SEED_001_TABLE_5_3])
def test_seed_001_table_5_3_division_rows(row):
    name, _, completed, on_course, _, _ = row
    summary = summarise(BUSINESS, _rated(BUSINESS, _division_statuses(completed, on_course)))
    assert _row(name, summary) == row
    assert summary.overall.label == "Amber"
    assert summary.overall.reason == f"{on_course} of {completed + on_course} actions not yet completed"
    # Green = completed, Amber = partially complete / on course, Red = none here.
    assert summary.rows == [(RED, "Red", 0), (AMBER, "Amber", on_course), (GREEN, "Green", completed)]


def test_seed_001_table_5_3_directorate_totals():
    statuses = [s for _, _, completed, on_course, _, _ in SEED_001_TABLE_5_3 for s in _division_statuses(completed, on_course)]
    summary = summarise(BUSINESS, _rated(BUSINESS, statuses))
    assert _row("Directorate Totals", summary) == SEED_001_DIRECTORATE
    assert summary.rows == [(RED, "Red", 0), (AMBER, "Amber", 80), (GREEN, "Green", 25)]


def test_seed_001_table_5_3_still_amber_when_actions_are_past_their_dates():
    # The business scheme has no date rule: past-due actions on course stay Amber.
    summary = summarise(BUSINESS, _rated(BUSINESS, _division_statuses(1, 17), due_date=PAST))
    assert _row("SCS", summary) == SEED_001_TABLE_5_3[0]


def test_delayed_or_cancelled_counts_both():
    statuses = [COMPLETED, ON_COURSE, ON_COURSE, ON_COURSE, DELAYED, DELAYED, CANCELLED]
    summary = summarise(BUSINESS, _rated(BUSINESS, statuses))
    assert (summary.total, summary.completed, summary.on_course) == (7, 1, 3)
    assert (summary.delayed, summary.cancelled, summary.delayed_or_cancelled) == (2, 1, 3)
    assert summary.counts == {GREEN: 1, AMBER: 5, RED: 1}
    assert summary.overall == Rag(RED, "1 of 7 actions cancelled")


OVERALL_CASES = [
    ([COMPLETED, COMPLETED, COMPLETED], Rag(GREEN, "All 3 actions completed")),
    ([COMPLETED], Rag(GREEN, "All 1 actions completed")),
    ([COMPLETED, ON_COURSE], Rag(AMBER, "1 of 2 actions not yet completed")),
    ([COMPLETED, DELAYED], Rag(AMBER, "1 of 2 actions not yet completed")),
    ([DELAYED, DELAYED], Rag(AMBER, "2 of 2 actions not yet completed")),
    ([COMPLETED, ""], Rag(AMBER, "1 of 2 actions not yet completed")),
    ([COMPLETED, CANCELLED], Rag(RED, "1 of 2 actions cancelled")),
    ([CANCELLED], Rag(RED, "1 of 1 actions cancelled")),
    ([ON_COURSE, DELAYED, CANCELLED, CANCELLED, COMPLETED], Rag(RED, "2 of 5 actions cancelled")),
    ([], None),  # nothing to roll up
]


@pytest.mark.parametrize(("statuses", "overall"), OVERALL_CASES)
def test_business_overall(statuses, overall):
    assert summarise(BUSINESS, _rated(BUSINESS, statuses)).overall == overall


@pytest.mark.parametrize(
    "statuses",
    [[COMPLETED, COMPLETED], [ON_TRACK, AT_RISK, OFF_TRACK], [NOT_STARTED], []],
)
def test_improvement_scheme_has_no_overall(statuses):
    assert summarise(IMPROVEMENT, _rated(IMPROVEMENT, statuses)).overall is None


def test_improvement_rows_count_by_colour_worst_first_with_blue():
    statuses = [COMPLETED, COMPLETED, ON_TRACK, AT_RISK, OFF_TRACK, NOT_STARTED, ""]
    summary = summarise(IMPROVEMENT, _rated(IMPROVEMENT, statuses, due_date=FUTURE))
    assert summary.rows == [(RED, "Red", 1), (AMBER, "Amber", 1), (GREEN, "Green", 3), (BLUE, "Blue", 2)]
    # Past the date every action not completed is Red.
    summary = summarise(IMPROVEMENT, _rated(IMPROVEMENT, statuses, due_date=PAST))
    assert summary.rows == [(RED, "Red", 5), (AMBER, "Amber", 0), (GREEN, "Green", 0), (BLUE, "Blue", 2)]


def test_a_summary_from_counts_equals_one_from_ratings():
    # The plans list builds its summaries from counts SQL made: the same numbers must give the same summary.
    rated = _rated(BUSINESS, [COMPLETED, ON_COURSE, DELAYED, CANCELLED])
    built = Summary(BUSINESS, counts={GREEN: 1, AMBER: 2, RED: 1}, completed=1, cancelled=1, delayed=1)
    assert built == summarise(BUSINESS, rated)
    assert built.overall == Rag(RED, "1 of 4 actions cancelled")
