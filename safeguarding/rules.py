"""The rules of safeguarding figures, pure: what makes a quarter's figures consistent, the share of audits rated
good or excellent against its target, and the 14-day rule for serious exceptions (seed 004, Annex B,
Improvement Area 1, action 5). They take values and return values, touch no database, and are table-tested.
"""

import math
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from core.rag import GREEN, GREY, RED, Rag
from performance import figures

# --- Case-file audits ----------------------------------------------------------------------------------

EXCELLENT, GOOD, ADEQUATE, POOR, UNACCEPTABLE = "excellent", "good", "adequate", "poor", "unacceptable"
SCORE_CHOICES = [(EXCELLENT, "Excellent"), (GOOD, "Good"), (ADEQUATE, "Adequate"), (POOR, "Poor"),
                 (UNACCEPTABLE, "Unacceptable")]
GOOD_SCORES = {EXCELLENT, GOOD}
# "Poor/unacceptable": serious exceptions, reported to DMT within 14 days (seed 004, Annex B, action 5).
SERIOUS_SCORES = {POOR, UNACCEPTABLE}
AUDIT_TARGET_PERCENT = 70  # seed 004, Annex B, actions 1, 2, 7 and 10: "70% achieve a 'good/excellent' score"
SERIOUS_EXCEPTION_TARGET_PERCENT = 5  # action 5: "fewer than 5% of audited cases in this category"
DMT_DAYS = 14


@dataclass(frozen=True)
class AuditResult:
    """How a set of audits scored: how many, how many good or excellent, their share against the target."""

    audited: int
    good_or_excellent: int
    serious: int
    target_percent: int
    rag: Rag

    @property
    def percent(self):
        return None if not self.audited else Decimal(self.good_or_excellent) * 100 / self.audited

    @property
    def serious_percent(self):
        return None if not self.audited else Decimal(self.serious) * 100 / self.audited


def audit_result(scores, target_percent=AUDIT_TARGET_PERCENT):
    """The share of `scores` rated good or excellent, rated against `target_percent`: Green when it meets the
    target, Red when short of it (the plan sets no minimum standard), not rated when nothing was audited."""
    scores = list(scores)
    good = sum(1 for score in scores if score in GOOD_SCORES)
    serious = sum(1 for score in scores if score in SERIOUS_SCORES)
    if not scores:
        rag = Rag(GREY, "no case files were audited")
    else:
        rag = figures.rate(
            Decimal(good) * 100 / len(scores), Decimal(target_percent), None, figures.HIGHER, figures.PERCENT,
            figure_label=f"{good} of {len(scores)} good or excellent,", target_label="the target",
        )
        if rag.colour == RED:  # no minimum standard exists for audits: short of the target is all there is to say
            rag = Rag(RED, rag.reason.removesuffix(" and no minimum standard is set"))
    return AuditResult(len(scores), good, serious, target_percent, rag)


def serious_exception_rag(audited, serious, target_percent=SERIOUS_EXCEPTION_TARGET_PERCENT):
    """Serious exceptions against "fewer than 5% of audited cases": strictly fewer, so 5% itself is Red."""
    if not audited:
        return Rag(GREY, "no case files were audited")
    share = Decimal(serious) * 100 / audited
    shown = f"{serious} of {audited} ({figures.format_figure(share, figures.PERCENT, 1)})"
    if share < target_percent:
        return Rag(GREEN, f"{shown} poor or unacceptable, fewer than the target of {target_percent}%")
    return Rag(RED, f"{shown} poor or unacceptable, not fewer than the target of {target_percent}%")


@dataclass(frozen=True)
class DmtReport:
    """Where a serious exception stands against the 14-day rule."""

    due: object  # the last day it may reach DMT
    late: bool  # reported, or still unreported, more than 14 days after the audit
    words: str


def dmt_report(audit_date, reported_on, today, days=DMT_DAYS):
    """A serious exception is reported to DMT within `days` of its audit (seed 004, Annex B, action 5).

    Reported on day 14 is in time; on day 15 late. Not reported yet: late once the 14 days have passed,
    otherwise it says when it is due."""
    due = audit_date + timedelta(days=days)
    if reported_on is not None:
        after = (reported_on - audit_date).days
        when = f"{after} day{'s' if after != 1 else ''} after the audit"
        if reported_on > due:
            return DmtReport(due, True, f"Reported to DMT {when}: more than {days} days")
        return DmtReport(due, False, f"Reported to DMT {when}")
    if today > due:
        waited = (today - audit_date).days
        return DmtReport(due, True, f"Not reported to DMT {waited} days after the audit: it was due by {due:%-d %B %Y}")
    return DmtReport(due, False, f"Not reported to DMT yet: due by {due:%-d %B %Y}")


# --- A quarter's figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """What is wrong with a quarter's figures: the breakdown (and category) it is about, and why."""

    breakdown: str  # "" for the quarter itself
    category: str  # a category's name, "" for a breakdown as a whole or a total
    message: str


def quarter_problems(quarter, this_month_end):
    """A quarter's figures are known once it has ended: never for a quarter still to come or under way."""
    if quarter.end > this_month_end:
        state = "has not begun yet" if quarter.start > this_month_end else "has not ended yet"
        return [Problem("", "", f"{quarter.name} {state}: figures are entered once a quarter has ended")]
    return []


def figure_problems(totals, lists, *, total="total", multiple="multiple_abuse", summing=("source", "gender"),
                    abuse_type="abuse_type", names=None):
    """The problems of a quarter's figures (DOMAIN.md glossary, "Safeguarding adults"; issue 15):

    - no count is negative;
    - the breakdowns in `summing` (by source, by gender) add up to the total of concerns, when they are given;
    - no type of abuse, and not the cases with multiple abuse, is more than the total;
    - the types of abuse add up to more than the total only through multiple abuse: each case with multiple
      abuse is counted under at most every type given, so the excess is at most (types given - 1) per case.

    `totals`: {breakdown: count or None}; `lists`: {breakdown: {category name: count or None}}; `names`: each
    breakdown's name in words.
    """
    names = names or {}
    problems = []
    for breakdown, count in totals.items():
        if count is not None and count < 0:
            problems.append(Problem(breakdown, "", "Cannot be negative"))
    for breakdown, counts in lists.items():
        for category, count in counts.items():
            if count is not None and count < 0:
                problems.append(Problem(breakdown, category, "Cannot be negative"))
    if problems:
        return problems  # sums of negative numbers say nothing useful
    concerns = totals.get(total)
    for breakdown in summing:
        given = [count for count in lists.get(breakdown, {}).values() if count is not None]
        if not given:
            continue
        what = names.get(breakdown, breakdown).lower()
        if concerns is None:
            problems.append(Problem(total, "", f"Give the total of concerns: the counts by {what} need it"))
        elif sum(given) != concerns:
            problems.append(Problem(breakdown, "", f"The counts by {what} add up to {sum(given):,}, not the "
                                                   f"{concerns:,} concerns: they must add up to the total"))
    abuse = {category: count for category, count in lists.get(abuse_type, {}).items() if count}
    several = totals.get(multiple)
    if concerns is None:
        if abuse or several:
            problems.append(Problem(total, "", "Give the total of concerns: the counts by type of abuse need it"))
        return problems
    for category, count in abuse.items():
        if count > concerns:
            problems.append(Problem(abuse_type, category, f"{count:,} is more than the {concerns:,} concerns"))
    if several is not None and several > concerns:
        problems.append(Problem(multiple, "", f"{several:,} is more than the {concerns:,} concerns"))
    excess = sum(abuse.values()) - concerns
    if excess > 0 and len(abuse) > 1:
        most = (several or 0) * (len(abuse) - 1)
        if excess > most:
            needed = math.ceil(excess / (len(abuse) - 1))
            problems.append(Problem(multiple, "", (
                f"The types of abuse add up to {sum(abuse.values()):,}, {excess:,} more than the {concerns:,} concerns: "
                f"only cases with multiple abuse are counted under more than one type, so at least {needed:,} cases "
                f"had multiple abuse, not {several or 0:,}"
            )))
    return problems


# --- Timeliness measures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelinessSpec:
    """A timeliness measure as a performance indicator: the five strategic indicators of seed 004 (Annex B,
    Improvement Area 3, action 11) and the cases open more than six months."""

    number: int  # its code is the team's prefix and this: SG 01
    name: str
    definition: str
    unit: str
    polarity: str
    aggregation: str
    numerator: str = ""  # what the numerator and the denominator count, for a ratio
    denominator: str = ""
    decimal_places: int = 1

    @property
    def is_ratio(self):
        return self.aggregation == figures.RATIO


TIMELINESS = {
    "referral_24_hours": TimelinessSpec(
        1, "% referrals responded to within 24 hours",
        "Referrals (alerts) given a response within 24 hours of being received, as a share of referrals received.",
        figures.PERCENT, figures.HIGHER, figures.RATIO, "Responded to within 24 hours", "Referrals",
    ),
    "strategy_meeting_5_days": TimelinessSpec(
        2, "% strategy meetings within 5 days",
        "Strategy meetings held within 5 working days of the referral, as a share of strategy meetings held.",
        figures.PERCENT, figures.HIGHER, figures.RATIO, "Held within 5 days", "Strategy meetings",
    ),
    "protection_plan_28_days": TimelinessSpec(
        3, "% protection plans reviewed within 28 days",
        "Protection plans reviewed within 28 days, as a share of protection plans due a review. Seed 004, Annex B, "
        "action 2: a target of 70% for 2010/11, monitored from March 2010.",
        figures.PERCENT, figures.HIGHER, figures.RATIO, "Reviewed within 28 days", "Protection plans due a review",
    ),
    "alerter_9_days": TimelinessSpec(
        4, "% alerters informed of the outcome within 9 days",
        "Alerters told the outcome within 9 days of the decision, as a share of concluded referrals.",
        figures.PERCENT, figures.HIGHER, figures.RATIO, "Alerters informed within 9 days", "Concluded referrals",
    ),
    "median_case_length": TimelinessSpec(
        5, "Median length of a case",
        "The median number of days from referral to closure of the cases closed in the quarter.",
        figures.DAYS, figures.LOWER, figures.LATEST, decimal_places=0,
    ),
    "open_over_6_months": TimelinessSpec(
        6, "% open cases open more than six months",
        "Cases open more than six months at the quarter's end, as a share of all open cases.",
        figures.PERCENT, figures.LOWER, figures.RATIO, "Open more than six months", "Open cases",
    ),
    "awaiting_closure": TimelinessSpec(
        7, "Cases open more than six months awaiting closure",
        "Of the cases open more than six months at the quarter's end, those awaiting closure.",
        figures.COUNT, figures.LOWER, figures.LATEST, decimal_places=0,
    ),
}
