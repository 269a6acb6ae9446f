"""RAG (red, amber, green) for actions, always with its reason in words.

The rules are DOMAIN.md "Actions". A plan uses one of two schemes:

- the improvement plan scheme (BRAG), the default for inspection plans;
- the business plan scheme (seed 001, 5.3), the default for business plans.

Everything here is pure: values in, a `Rag` out. The models call it with the
status and due date an action had on a given day; the templates show
`Rag.colour` and `Rag.reason` (the `Rag` value lives in `core.rag`) through `includes/rag_badge.html`, and the
indicator rules of `performance/` return the same `Rag`.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from core.periods import add_months
from core.rag import AMBER, BLUE, COLOUR_LABELS, COLOUR_ORDER, GREEN, GREY, RED, Rag  # noqa: F401 (the app's names)

from . import timescales


IMPROVEMENT = "improvement"
BUSINESS = "business"
SCHEME_LABELS = {IMPROVEMENT: "Improvement plan (BRAG)", BUSINESS: "Business plan"}

NOT_STARTED = "not_started"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
COMPLETED = "completed"
ON_COURSE = "on_course"
DELAYED = "delayed"
CANCELLED = "cancelled"

STATUS_LABELS = {
    NOT_STARTED: "Not started",
    ON_TRACK: "On track",
    AT_RISK: "At risk",
    OFF_TRACK: "Off track",
    COMPLETED: "Completed",
    ON_COURSE: "On course",
    DELAYED: "Delayed",
    CANCELLED: "Cancelled",
}
SCHEME_STATUSES = {
    IMPROVEMENT: [NOT_STARTED, ON_TRACK, AT_RISK, OFF_TRACK, COMPLETED],
    BUSINESS: [ON_COURSE, DELAYED, COMPLETED, CANCELLED],
}

# How real plans write statuses (DOMAIN.md): each loose form and what it means.
_LOOSE_COMPLETED = {"complete", "completed", "done", "in place", "achieved"}
_LOOSE_UNDER_WAY = {"ongoing", "on going", "in progress", "commenced", "underway", "under way"}


def status_label(status):
    return STATUS_LABELS.get(status, "No status reported") if status else "No status reported"


def _key(text):
    return re.sub(r"[\s_\-]+", " ", (text or "").strip().lower())


def normalise_status(text, scheme):
    """The scheme's status for `text` as written, or "" for a blank; ValueError if unknown."""
    key = _key(text)
    if not key:
        return ""
    for status in SCHEME_STATUSES[scheme]:
        if key in {_key(status), _key(STATUS_LABELS[status])}:
            return status
    if key in _LOOSE_COMPLETED:
        return COMPLETED
    if key in _LOOSE_UNDER_WAY:
        return ON_TRACK if scheme == IMPROVEMENT else ON_COURSE
    allowed = ", ".join(STATUS_LABELS[s] for s in SCHEME_STATUSES[scheme])
    raise ValueError(
        f"'{text.strip()}' is not a status of the {SCHEME_LABELS[scheme].lower()} scheme; "
        f"use one of {allowed} (or Complete, Done, In place, Ongoing, In progress, Commenced)"
    )


def _day(value):
    return f"{value:%-d %b %Y}"


NOT_RATED_REASON = "Not rated: no due date could be read from the timescale and no status has been reported"


REFERENCE_NOT_RATED_REASON = (
    "Not rated: its timescale is that of the action it refers to, and no status has been reported"
)


def action_rag(scheme, status, due_date, on, completion_proposed=False, ongoing=False, reference=False):
    """The colour of an action on day `on`, and why.

    `status` is the status reported on or before `on` ("" when none was);
    `due_date` may be None; `ongoing`: the timescale says the work is ongoing ("Ongoing", "Quarterly");
    `reference`: the timescale refers to another action's ("See 12.1").
    With neither a status nor a due date, only ongoing work is Green: a colour is a claim about
    progress, never made for what nobody has looked at (DOMAIN.md "Actions").
    """
    if not status and not due_date and not ongoing:
        rag = Rag(GREY, REFERENCE_NOT_RATED_REASON if reference else NOT_RATED_REASON)
    elif scheme == BUSINESS:
        rag = _business_rag(status, due_date, on)
    else:
        rag = _improvement_rag(status, due_date, on)
    if completion_proposed and status != COMPLETED:
        return Rag(rag.colour, f"{rag.reason}. Completion proposed, awaiting a manager's sign-off")
    return rag


def _improvement_rag(status, due_date, on):
    if status == COMPLETED:
        return Rag(BLUE, "Completed")
    if due_date and due_date < on:
        reported = f" (the lead reported {status_label(status).lower()})" if status else ""
        return Rag(RED, f"Past its due date of {_day(due_date)} and not completed{reported}")
    if status == OFF_TRACK:
        return Rag(RED, "Off track, as reported by the lead")
    if status == AT_RISK:
        return Rag(AMBER, "At risk, as reported by the lead")
    due = f"due {_day(due_date)}" if due_date else "no due date"
    if status == ON_TRACK:
        return Rag(GREEN, f"On track, as reported by the lead; {due}")
    if status == NOT_STARTED:
        if due_date:
            return Rag(GREEN, f"Not started; its due date of {_day(due_date)} has not passed")
        return Rag(GREEN, "Not started; no due date")
    if not due_date:
        return Rag(GREEN, "Ongoing, no due date")
    return Rag(GREEN, f"No status reported; its due date of {_day(due_date)} has not passed")


def _business_rag(status, due_date, on):
    # Seed 001, 5.3: Green = completed, Amber = partially complete/on course,
    # Red = stopped or will not be delivered.
    overdue = f"; past its due date of {_day(due_date)}" if due_date and due_date < on else ""
    if status == COMPLETED:
        return Rag(GREEN, "Completed")
    if status == CANCELLED:
        return Rag(RED, "Cancelled: stopped or will not be delivered")
    if status == DELAYED:
        return Rag(AMBER, f"Delayed: partially complete{overdue}")
    if status == ON_COURSE:
        return Rag(AMBER, f"On course: partially complete{overdue}")
    return Rag(AMBER, f"No status reported; not yet completed{overdue}")


def needs_due_date(status, due_date, ongoing, reference=False):
    """An open action with no due date whose timescale neither says the work is ongoing nor refers to
    another action's: someone must set one. (So it counts more than the Not rated: an action on track
    with no due date needs one too.)"""
    return not due_date and not ongoing and not reference and status not in {COMPLETED, CANCELLED}


def is_overdue(status, due_date, on):
    return bool(due_date and due_date < on and status not in {COMPLETED, CANCELLED})


def status_on(updates, on, timescale_kind=timescales.EMPTY):
    """(status, the day it was reported) on day `on` (DOMAIN.md "As at").

    `updates` are (date, status) pairs oldest first; a blank status reports none.
    A timescale of "Completed" or "In place" with no status reported means completed,
    from no particular day.
    """
    timescale_completed = timescale_kind == timescales.COMPLETED
    status, reported_on = "", None
    for day, reported in updates:
        if day > on:
            break
        if reported:
            status, reported_on = reported, day
    if not status and timescale_completed:
        return COMPLETED, None
    return status, reported_on


def is_update_overdue(status, latest_update_on, source_date, interval_months, on):
    """DOMAIN.md "Update freshness": not closed, and no progress update within the plan's interval
    on day `on` (an action with none counts from the plan's source date; with neither, nothing to count)."""
    if status in {COMPLETED, CANCELLED}:
        return False
    since = freshness_since(latest_update_on, source_date)
    return bool(since and since < add_months(on, -interval_months))


def freshness_since(latest_update_on, source_date):
    """The day update freshness counts from: the latest update, else the plan's source date."""
    return latest_update_on or source_date


@dataclass(frozen=True)
class ActionState:
    """What an action's row shows on one day: stored on the action for today, computed for other days."""

    status: str
    status_reported_on: date | None
    rag: Rag
    overdue: bool
    latest_update_on: date | None
    update_overdue: bool
    # The day freshness counts from: the latest update, else the plan's source date.
    update_overdue_since: date | None = None
    completion_proposed: bool = False  # on the day, awaiting a manager's sign-off
    needs_due_date: bool = False

    @property
    def status_label(self):
        return status_label(self.status)


def action_state(*, scheme, updates, due_date, on, timescale_kind=timescales.EMPTY, completion_proposed_on=None,
                 source_date=None, update_interval_months=3):
    """Every derived fact of an action on day `on`, from its progress updates as (date, status) pairs, oldest
    first, and what its timescale says (`timescales.parse_timescale`'s kind)."""
    ongoing, reference = timescale_kind == timescales.NO_DATE, timescale_kind == timescales.REFERENCE
    status, reported_on = status_on(updates, on, timescale_kind)
    latest = None
    for day, _ in updates:
        if day > on:
            break
        latest = day
    proposed = bool(completion_proposed_on and completion_proposed_on <= on)
    return ActionState(
        update_overdue_since=freshness_since(latest, source_date),
        completion_proposed=proposed,
        status=status,
        status_reported_on=reported_on,
        rag=action_rag(scheme, status, due_date, on, completion_proposed=proposed, ongoing=ongoing, reference=reference),
        needs_due_date=needs_due_date(status, due_date, ongoing, reference),
        overdue=is_overdue(status, due_date, on),
        latest_update_on=latest,
        update_overdue=is_update_overdue(status, latest, source_date, update_interval_months, on),
    )


@dataclass(frozen=True)
class Summary:
    """Actions counted by colour, as a plan, an area or a division shows them.

    Made by `summarise` from ratings, or from counts the database made
    (`selectors.summaries_of`): the same numbers either way.
    """

    scheme: str
    counts: dict = field(default_factory=dict)  # colour: how many actions
    completed: int = 0
    cancelled: int = 0
    delayed: int = 0
    overdue: int = 0
    update_overdue: int = 0
    needs_due_date: int = 0

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def rows(self):
        """(colour, label, count) for every colour the scheme uses, worst first; Not rated when there are any."""
        colours = [RED, AMBER, GREEN] + ([BLUE] if self.scheme == IMPROVEMENT else [])
        if self.counts.get(GREY):
            colours.append(GREY)
        return [(colour, COLOUR_LABELS[colour], self.counts.get(colour, 0)) for colour in colours]

    @property
    def delayed_or_cancelled(self):
        # Seed 001's "Total actions delayed or cancelled" counts both.
        return self.delayed + self.cancelled

    @property
    def on_course(self):
        return self.total - self.completed - self.delayed_or_cancelled

    @property
    def overall(self):
        """The roll-up colour. Only the business plan scheme defines one (seed 001, 5.3)."""
        if self.scheme != BUSINESS or not self.total:
            return None
        if self.cancelled:
            return Rag(RED, f"{self.cancelled} of {self.total} actions cancelled")
        not_completed = self.total - self.completed
        if not_completed:
            return Rag(AMBER, f"{not_completed} of {self.total} actions not yet completed")
        return Rag(GREEN, f"All {self.total} actions completed")


def summarise(scheme, rated):
    """Count `(rag, status)` pairs, or ActionStates, into a Summary."""
    counts = Counter()
    completed = cancelled = delayed = overdue = update_overdue = needs_date = 0
    for item in rated:
        if isinstance(item, ActionState):
            rating, status = item.rag, item.status
            overdue += item.overdue
            update_overdue += item.update_overdue
            needs_date += item.needs_due_date
        else:
            rating, status = item
        counts[rating.colour] += 1
        completed += status == COMPLETED
        cancelled += status == CANCELLED
        delayed += status == DELAYED
    return Summary(scheme, dict(counts), completed, cancelled, delayed, overdue, update_overdue, needs_date)


