"""The reads of the safeguarding pages, each a frozen read model built in a fixed number of queries whatever the
number of quarters, audits or training sessions a team has:

- `overview(team, quarter)`: the quarter against the one before and the same quarter last year, the timeliness
  measures from the performance app's stored figures, audits against their targets, serious exceptions and
  training totals;
- `quarterly_report(team, quarter)`: the report to the Cabinet Member (seed 004, agenda item 7), which the page
  and `manage.py safeguarding_report` render, and which a Word or PDF writer can render as it is.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from core.periods import Month, QUARTERLY, Quarter, parse_period, period_for, today
from core.rag import GREY, Rag
from performance import charts, figures
from performance.models import Figure, Reading

from . import rules
from .models import (
    ABUSE_TYPE, BREAKDOWN_NAMES, ENQUIRIES, GENDER, LIST_KEYS, LISTS, MULTIPLE_ABUSE, SOURCE, TOTAL, AuditType,
    CaseFileAudit, Category, QuarterlyReturn, TimelinessMeasure, TrainingSession,
)

TREND_QUARTERS = 8
COMPARED = ("latest", "previous", "last_year")


# --- Choosing the quarter ------------------------------------------------------------------------------


def last_quarter_ended():
    return period_for(QUARTERLY, Month.of(today()))


def read_quarter(text):
    """(the Quarter `text` names, None) or (None, the error in words): never a guess, never a quarter to come."""
    text = (text or "").strip()
    shown = text if len(text) <= 20 else text[:20] + "…"
    try:
        quarter = parse_period(text)
    except ValueError:
        return None, f"Enter a quarter like 2009/10 Q4 (you entered “{shown}”)"
    if not isinstance(quarter, Quarter):
        return None, f"Enter a quarter like 2009/10 Q4, not a month or a year (you entered “{shown}”)"
    problems = rules.quarter_problems(quarter, Month.of(today()).end)
    if problems:
        return None, problems[0].message
    return quarter, None


def quarters_with_figures(team):
    """The quarters a team has figures for, newest first (one query)."""
    starts = QuarterlyReturn.objects.filter(team=team).order_by("-quarter_start").values_list("quarter_start", flat=True)
    return tuple(Quarter.of(start) for start in starts)


# --- Counts ---------------------------------------------------------------------------------------------


def _change(now, before):
    if now is None or before is None:
        return ""
    difference = now - before
    return f"{difference:+,}" if difference else "no change"


@dataclass(frozen=True)
class CountRow:
    """A category's (or a total's) count in each quarter compared: the quarter, the one before, a year before."""

    name: str
    counts: tuple  # an int or None (not counted) per quarter compared

    @property
    def latest(self):
        return self.counts[0]

    @property
    def texts(self):
        """Each count as shown: "1,234", or "not counted"."""
        return tuple("not counted" if count is None else f"{count:,}" for count in self.counts)

    @property
    def change_on_previous(self):
        return _change(self.counts[0], self.counts[1]) if len(self.counts) > 1 else ""

    @property
    def change_on_last_year(self):
        return _change(self.counts[0], self.counts[2]) if len(self.counts) > 2 else ""


@dataclass(frozen=True)
class BreakdownTable:
    key: str
    name: str
    quarters: tuple
    rows: tuple  # CountRow per category counted in any of the quarters, in the list's order

    @property
    def counted(self):
        return bool(self.rows)

    def chart(self, chart_id):
        series = [(quarter.name, [row.counts[index] for row in self.rows]) for index, quarter in enumerate(self.quarters)]
        return charts.bar_chart(f"{self.name} in {self.quarters[0].name}", [row.name for row in self.rows], series,
                                chart_id=chart_id)

    @property
    def svg(self):
        return self.chart(f"chart-{self.key}")


def _counts_by_quarter(team, quarters):
    """({quarter: QuarterlyReturn}, {quarter: {(breakdown, category id): count}}) in two queries."""
    returns = {
        quarterly_return.quarter: quarterly_return
        for quarterly_return in QuarterlyReturn.objects.for_quarters(team, quarters).prefetch_related("counts")
    }
    counts = {
        quarter: {(count.breakdown, count.category_id): count.count for count in quarterly_return.counts.all()}
        for quarter, quarterly_return in returns.items()
    }
    return returns, counts


def _tables(quarters, counts, lists, keys=LIST_KEYS):
    tables = []
    for key in keys:
        rows = []
        for category in lists.get(key, []):
            found = tuple(counts.get(quarter, {}).get((key, category.pk)) for quarter in quarters)
            if any(count is not None for count in found):
                rows.append(CountRow(category.name, found))
        tables.append(BreakdownTable(key, BREAKDOWN_NAMES[key], tuple(quarters), tuple(rows)))
    return tuple(tables)


# --- Timeliness -----------------------------------------------------------------------------------------

DIRECTION_WORDS = {figures.BETTER: "better", figures.WORSE: "worse", figures.SAME: "no change"}


@dataclass(frozen=True)
class TimelinessRow:
    """A timeliness measure in a quarter, as the performance app stores its figures: value, target, RAG and
    direction against the quarter before and the same quarter last year, with its recent trend."""

    indicator_pk: int
    code: str
    name: str
    unit: str
    decimal_places: int
    polarity: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    target: Decimal | None
    rag: Rag
    previous_value: Decimal | None
    direction: str
    last_year_value: Decimal | None
    direction_on_last_year: str
    trend: tuple = ()

    def _text(self, value, missing="no value"):
        return missing if value is None else figures.format_figure(value, self.unit, self.decimal_places)

    @property
    def value_text(self):
        return self._text(self.value)

    @property
    def counts_text(self):
        if self.numerator is None or self.denominator is None:
            return ""
        return f"{int(self.numerator):,} of {int(self.denominator):,}"

    @property
    def target_text(self):
        return self._text(self.target, "not set")

    @property
    def previous_text(self):
        words = DIRECTION_WORDS.get(self.direction, "")
        return self._text(self.previous_value) + (f" ({words})" if words else "")

    @property
    def last_year_text(self):
        words = DIRECTION_WORDS.get(self.direction_on_last_year, "")
        return self._text(self.last_year_value) + (f" ({words})" if words else "")

    @property
    def sparkline(self):
        return charts.sparkline(self.trend, self.polarity, unit=self.unit, decimal_places=self.decimal_places,
                                months=len(self.trend) or TREND_QUARTERS, width=120)


def _timeliness(team, quarter):
    """Three queries: the measures, their stored figures over the trend's quarters, their readings of the quarter."""
    measures = list(TimelinessMeasure.objects.filter(team=team).select_related("indicator"))
    indicators = [measure.indicator for measure in measures]
    trend_quarters = [quarter.shift(-n) for n in reversed(range(TREND_QUARTERS))]
    month_of = {Month.of(q.end).start: q for q in trend_quarters}
    stored = defaultdict(dict)
    for figure in Figure.objects.filter(indicator__in=indicators, month__in=list(month_of)):
        stored[figure.indicator_id][month_of[figure.month]] = figure
    readings = {
        reading.indicator_id: reading
        for reading in Reading.objects.filter(indicator__in=indicators, period_start=quarter.start)
    }
    rows = []
    for indicator in sorted(indicators, key=lambda indicator: indicator.code):
        own = stored.get(indicator.pk, {})
        figure = own.get(quarter)
        reading = readings.get(indicator.pk)
        trend = tuple(own[q].value if q in own else None for q in trend_quarters)
        if figure is None:
            rag = Rag(GREY, f"no value has been reported for {quarter.name}")
        else:
            rag = figure.rag
        rows.append(TimelinessRow(
            indicator.pk, indicator.code, indicator.name, indicator.unit, indicator.decimal_places, indicator.polarity,
            value=figure.value if figure else (reading.value if reading else None),
            numerator=reading.numerator if reading else None, denominator=reading.denominator if reading else None,
            target=figure.target if figure else None, rag=rag,
            previous_value=figure.previous_value if figure else None, direction=figure.direction if figure else "",
            last_year_value=figure.last_year_value if figure else None,
            direction_on_last_year=figure.direction_on_last_year if figure else "",
            trend=trend,
        ))
    return tuple(rows)


# --- Audits -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditLine:
    name: str
    result: rules.AuditResult


@dataclass(frozen=True)
class SeriousException:
    case_reference: str
    audit_type: str
    audit_date: object
    score: str
    auditor: str
    reported_to_dmt: object
    dmt: rules.DmtReport


@dataclass(frozen=True)
class AuditSummary:
    by_type: tuple
    overall: rules.AuditResult
    serious_rag: Rag
    exceptions: tuple

    @property
    def late_exceptions(self):
        return sum(1 for exception in self.exceptions if exception.dmt.late)


def _audits(team, quarter, day):
    """Two queries: the quarter's audits and the audit types with their targets."""
    audits = list(CaseFileAudit.objects.filter(team=team).in_quarter(quarter).select_related("audit_type")
                  .order_by("audit_date", "case_reference"))
    by_type = defaultdict(list)
    for audit in audits:
        by_type[audit.audit_type_id].append(audit.score)
    lines = tuple(
        AuditLine(audit_type.name, rules.audit_result(by_type[audit_type.pk], audit_type.target_percent))
        for audit_type in AuditType.objects.all() if by_type.get(audit_type.pk)
    )
    overall = rules.audit_result([audit.score for audit in audits], rules.AUDIT_TARGET_PERCENT)
    scores = dict(rules.SCORE_CHOICES)
    exceptions = tuple(
        SeriousException(audit.case_reference, audit.audit_type.name, audit.audit_date, scores[audit.score],
                         audit.auditor, audit.reported_to_dmt, rules.dmt_report(audit.audit_date, audit.reported_to_dmt, day))
        for audit in audits if audit.is_serious_exception
    )
    return AuditSummary(lines, overall, rules.serious_exception_rag(overall.audited, overall.serious), exceptions)


# --- Training -------------------------------------------------------------------------------------------


def _training_totals(team, quarters):
    """CountRows of attendees by course in each quarter, and the total row (one query)."""
    first, last = min(q.start for q in quarters), max(q.end for q in quarters)
    attended = defaultdict(int)
    courses = {}
    for date, course, order, attendees in (
        TrainingSession.objects.filter(team=team, date__range=(first, last))
        .values_list("date", "course__name", "course__order", "attendees")
    ):
        quarter = Quarter.of(date)
        if quarter in quarters:
            attended[(course, quarter)] += attendees
            courses[course] = order
    rows = tuple(
        CountRow(course, tuple(attended.get((course, quarter)) for quarter in quarters))
        for course in sorted(courses, key=lambda name: (courses[name], name))
    )
    total = CountRow("All courses", tuple(
        sum(attended.get((course, quarter), 0) for course in courses) for quarter in quarters
    ))
    return rows, total


# --- The overview -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    team: object
    quarter: Quarter
    quarters: tuple  # the quarter, the one before, the same quarter last year
    has_figures: tuple  # whether each of `quarters` has figures entered
    note: str
    totals: tuple  # CountRows: concerns, Section 42 enquiries, cases with multiple abuse
    breakdowns: tuple  # BreakdownTables, the lists' order
    timeliness: tuple
    audits: AuditSummary
    training: tuple
    training_total: CountRow

    def breakdown(self, key):
        return next(table for table in self.breakdowns if table.key == key)

    @property
    def sources(self):
        return self.breakdown(SOURCE)

    @property
    def abuse_types(self):
        return self.breakdown(ABUSE_TYPE)

    @property
    def other_breakdowns(self):
        """The other lists counted in any of the quarters compared."""
        return tuple(table for table in self.breakdowns if table.key not in (SOURCE, ABUSE_TYPE) and table.counted)


def overview(team, quarter, day=None):
    """The safeguarding overview of `team` for `quarter` (see the module docstring): eleven queries."""
    day = day or today()
    quarters = (quarter, quarter.shift(-1), quarter.shift(-4))
    returns, counts = _counts_by_quarter(team, quarters)
    lists = Category.objects.by_breakdown()
    totals = tuple(
        CountRow(BREAKDOWN_NAMES[key], tuple(counts.get(q, {}).get((key, None)) for q in quarters))
        for key in (TOTAL, ENQUIRIES, MULTIPLE_ABUSE)
    )
    training, training_total = _training_totals(team, quarters)
    return Overview(
        team=team, quarter=quarter, quarters=quarters, has_figures=tuple(q in returns for q in quarters),
        note=returns[quarter].note if quarter in returns else "",
        totals=totals, breakdowns=_tables(quarters, counts, lists), timeliness=_timeliness(team, quarter),
        audits=_audits(team, quarter, day), training=training, training_total=training_total,
    )


# --- The quarterly report to the Cabinet Member -----------------------------------------------------------


@dataclass(frozen=True)
class Line:
    name: str
    count: int


@dataclass(frozen=True)
class TrainingLine:
    course: str
    level: str
    agency: str
    date: object
    attendees: int
    note: str


@dataclass(frozen=True)
class ReportBreakdown:
    key: str
    name: str
    lines: tuple  # Line per category counted, in the list's order

    @property
    def total(self):
        return sum(line.count for line in self.lines)


@dataclass(frozen=True)
class QuarterlyReport:
    """Seed 004, agenda item 7, "Quarterly update on Safeguarding Adults": training, the statistics for the
    quarter (referral sources and types of abuse), some recent outcomes, and the timeliness measures. Plain
    values only, so that the HTML page and the command, and later Word and PDF, render the same thing."""

    council: str
    team: str
    quarter: Quarter
    has_figures: bool
    note: str
    training: tuple  # TrainingLine
    training_total: int
    concerns: int | None
    enquiries: int | None
    multiple_abuse: int | None
    gender: ReportBreakdown
    sources: ReportBreakdown
    abuse_types: ReportBreakdown
    other_breakdowns: tuple  # ReportBreakdown of the other lists counted
    selected_outcomes: tuple  # str, one per outcome
    timeliness: tuple  # TimelinessRow

    @property
    def period_words(self):
        return f"{self.quarter.start:%-d %B %Y} to {self.quarter.end:%-d %B %Y}"

    @property
    def title(self):
        return f"Safeguarding adults: quarterly update, {self.period_words}"

    # The report's sentences, written once for the page, Word and PDF alike.
    @property
    def training_sentence(self):
        total = self.training_total
        return (f"Training completed for the council, partner and voluntary organisations: {total:,} "
                f"attendance{'' if total == 1 else 's'} in the quarter.")

    @property
    def concerns_sentence(self):
        if self.concerns is None:
            words = "The total of referrals was not entered."
        else:
            words = f"Total referrals (safeguarding concerns) for the period {self.period_words} numbered {self.concerns}."
        if self.enquiries is not None:
            words += f" {self.enquiries} led to a Section 42 enquiry."
        return words

    @property
    def gender_sentence(self):
        parts = [f"{line.count} {line.name.lower()}" for line in self.gender.lines]
        if not parts:
            return ""
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        return f"{listed} adults at risk."

    @property
    def multiple_abuse_sentence(self):
        if self.multiple_abuse is None:
            return "With the main categories of abuse as follows:"
        cases = f"{self.multiple_abuse} case{'' if self.multiple_abuse == 1 else 's'}"
        return f"The allegations involved {cases} of multiple abuse, with the main categories of abuse as follows:"


def quarterly_report(team, quarter):
    """The report of `team` for `quarter`: eight queries, whatever the team's history."""
    returns, counts = _counts_by_quarter(team, (quarter,))
    own = counts.get(quarter, {})
    lists = Category.objects.by_breakdown()

    def breakdown(key):
        lines = tuple(Line(category.name, own[(key, category.pk)]) for category in lists.get(key, [])
                      if (key, category.pk) in own)
        return ReportBreakdown(key, BREAKDOWN_NAMES[key], lines)

    sessions = (TrainingSession.objects.filter(team=team, date__range=(quarter.start, quarter.end))
                .select_related("course").order_by("date", "course__order", "pk"))
    levels = dict(TrainingSession.LEVELS)
    training = tuple(
        TrainingLine(session.course.name, levels.get(session.level, ""), session.agency, session.date,
                     session.attendees, session.note)
        for session in sessions
    )
    found = returns.get(quarter)
    outcomes = tuple(line.strip().lstrip("-•* ").strip() for line in (found.selected_outcomes if found else "").splitlines())
    return QuarterlyReport(
        council=settings.COUNCIL_NAME, team=str(team), quarter=quarter, has_figures=found is not None,
        note=found.note if found else "", training=training, training_total=sum(line.attendees for line in training),
        concerns=own.get((TOTAL, None)), enquiries=own.get((ENQUIRIES, None)),
        multiple_abuse=own.get((MULTIPLE_ABUSE, None)),
        gender=breakdown(GENDER), sources=breakdown(SOURCE), abuse_types=breakdown(ABUSE_TYPE),
        other_breakdowns=tuple(
            table for table in (breakdown(key) for key, _ in LISTS if key not in (GENDER, SOURCE, ABUSE_TYPE)) if table.lines
        ),
        selected_outcomes=tuple(line for line in outcomes if line),
        timeliness=_timeliness(team, quarter),
    )

