"""The monthly dashboard as a committee appendix (seed 001, Appendix A): print HTML, Word, PDF and Excel for any
month, all from one read model (`performance_report`), with seed 001's RAG key (4.3) and the business plan
monitoring table (5.3) beside the indicators, and what changed colour since the last report published.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string

from actionplans import selectors as actionplans_selectors
from core import documents, publishing
from core.models import PublishedReport
from core.periods import today
from core.rag import AMBER, COLOUR_LABELS, GREEN, GREY, RED, Rag
from core.spreadsheets import CONTENT_TYPES, write_xlsx

from . import charts
from . import selectors as performance_selectors

FORMATS = ("html", "docx", "pdf", "xlsx")
# Seed 001, 4.3, as printed, with the product's rule for what cannot be rated (DOMAIN.md "RAG rules").
RAG_KEY = (
    (GREEN, "Current target achieved or exceeded"),
    (AMBER, "Performance is below current target but at or above the minimum standard"),
    (RED, "Performance is below the minimum standard (or below target where no minimum standard is set)"),
    (GREY, "No value or no target for the period"),
)
# Seed 001, 5.3's key to the business plan dashboard.
MONITORING_KEY = "Green = completed; Amber = partially complete or on course; Red = stopped or will not be delivered"
INDICATOR_HEADERS = [
    "Indicator", "Period", "Value", "Rated figure", "Target", "Minimum standard", "RAG", "Direction of travel", "Last 12 months",
]
MONITORING_HEADERS = ["Division", "Priorities", "Actions", "Completed", "On course", "Delayed or cancelled", "Overall RAG"]


@dataclass(frozen=True)
class ReportIndicator:
    """One indicator's line, its figures as people read them ("27.0%") and its trend for the sparkline."""

    code: str
    name: str
    period: str
    value: str
    rated: str
    rated_label: str
    target: str
    pro_rated: str
    minimum_standard: str
    rag: Rag
    arrow: str
    direction: str
    direction_on_last_year: str
    trend: tuple
    polarity: str
    unit: str
    decimal_places: int

    @property
    def sparkline(self):
        return charts.sparkline(self.trend, self.polarity, unit=self.unit, decimal_places=self.decimal_places)

    @property
    def trend_words(self):
        """The sparkline's text alternative, for Word (which shows the words in place of the line)."""
        found = re.search(r'aria-label="([^"]*)"', str(self.sparkline))
        return found.group(1).replace("&amp;", "&") if found else ""


@dataclass(frozen=True)
class ReportDomain:
    name: str
    indicators: tuple


@dataclass(frozen=True)
class MonitoringLine:
    division: str
    priorities: int
    actions: int
    completed: int
    on_course: int
    delayed_or_cancelled: int
    overall: Rag | None


@dataclass(frozen=True)
class PerformanceReport:
    month_label: str  # "2013-09"
    month_name: str  # "September 2013"
    monitoring_day: object  # the day the business plan table counts (the month's end, or today within it)
    counts: dict  # colour: indicators
    domains: tuple
    monitoring: tuple  # MonitoringLine per division, then the directorate totals

    @property
    def count_rows(self):
        return [(colour, COLOUR_LABELS[colour], self.counts.get(colour, 0)) for colour in performance_selectors.INDICATOR_COLOURS]

    @property
    def indicators(self):
        for domain in self.domains:
            yield from domain.indicators


def _indicator(row):
    return ReportIndicator(
        code=row.code, name=row.name, period=row.period.name if row.period else "none yet", value=row.value_text,
        rated=row.rated_text, rated_label=row.rated_label, target=row.target_text, pro_rated=row.pro_rated,
        minimum_standard=row.minimum_standard_text, rag=row.rag, arrow=row.arrow, direction=row.direction_words,
        direction_on_last_year=row.direction_on_last_year_words,
        trend=tuple(None if value is None else Decimal(value) for value in row.trend), polarity=row.polarity,
        unit=row.unit, decimal_places=row.decimal_places,
    )


def _line(row):
    return MonitoringLine(row.division, row.priorities, row.actions, row.completed, row.on_course,
                          row.delayed_or_cancelled, row.overall)


def performance_report(month, indicators):
    """The report as at `month` of `indicators` (a queryset: the dashboard's filtered ones, or every one)."""
    rows = performance_selectors.report_rows(indicators, month)
    domains, counts = [], {}
    for row in rows:
        counts[row.rag.colour] = counts.get(row.rag.colour, 0) + 1
        name = row.domain or performance_selectors.NO_DOMAIN
        if domains and domains[-1][0] == name:
            domains[-1][1].append(_indicator(row))
        else:
            domains.append((name, [_indicator(row)]))
    day = min(month.end, today())
    table = actionplans_selectors.business_plan_monitoring(day)
    lines = [*table.rows, *([table.unowned] if table.unowned else []), table.totals]
    return PerformanceReport(
        month_label=month.label, month_name=month.name, monitoring_day=day, counts=counts,
        domains=tuple(ReportDomain(name, tuple(group)) for name, group in domains),
        monitoring=tuple(_line(row) for row in lines) if table.totals.actions else (),
    )


# --- What changed colour since the last published report -----------------------------------------------------


@dataclass(frozen=True)
class ColourChange:
    code: str
    name: str
    was: str
    rag: Rag


@dataclass(frozen=True)
class PerformanceChanges:
    since_meeting: str
    since_month: str
    changed: tuple

    @property
    def any(self):
        return bool(self.changed)


def changes_since(previous, report):
    """Indicators whose colour differs from the one in `previous` (a PublishedReport), matched by code."""
    if previous is None:
        return None
    before = {
        row["code"]: row["rag"]["colour"]
        for domain in previous.read_model.get("domains", []) for row in domain["indicators"]
    }
    changed = tuple(
        ColourChange(row.code, row.name, COLOUR_LABELS.get(before[row.code], before[row.code]), row.rag)
        for row in report.indicators
        if row.code in before and before[row.code] != row.rag.colour
    )
    return PerformanceChanges(previous.meeting, previous.read_model.get("month_name", ""), changed)


def changes_for(report, month):
    return changes_since(publishing.latest_before(PublishedReport.PERFORMANCE, None, month.end), report)


# --- Renderers ----------------------------------------------------------------------------------------------


def document_title(report):
    return f"Performance indicators and business plan monitoring, {report.month_name}"


def file_stem(report):
    return f"performance-report-{report.month_label}"


def render_html(report, *, changes=None, standalone=True, query="", request=None):
    context = {
        "report": report, "changes": changes, "standalone": standalone, "document_title": document_title(report),
        "council": settings.COUNCIL_NAME, "rag_key": [(Rag(colour, ""), words) for colour, words in RAG_KEY],
        "chart": documents.rag_bar_chart_svg(report.count_rows, "indicators"), "headers": INDICATOR_HEADERS,
        "monitoring_headers": MONITORING_HEADERS, "monitoring_key": MONITORING_KEY, "query": query,
    }
    return render_to_string("performance/report.html", context, request=request)


def render_pdf(report, *, changes=None):
    return documents.html_to_pdf(render_html(report, changes=changes, standalone=True))


def _figure(text, label):
    return f"{text}\n({label})" if label else text


def render_docx(report, *, changes=None):
    word = documents.WordDocument(document_title(report), subject=settings.COUNCIL_NAME, author=settings.COUNCIL_NAME,
                                  landscape=True)
    word.title("Performance indicators and business plan monitoring")
    word.paragraph(f"{settings.COUNCIL_NAME}. As at the end of {report.month_name}.", bold=True)
    word.heading("How indicators are rated", 1)
    word.paragraph("Performance results are assigned an alert on the following basis (each rating's reason is given beside it):")
    word.table(["RAG", "Meaning"], [[Rag(colour, ""), words] for colour, words in RAG_KEY], widths_cm=[3, 14])
    word.heading("Summary", 1)
    word.table(["RAG colour", "Indicators"], [[Rag(colour, ""), str(count)] for colour, _, count in report.count_rows]
               + [["All indicators", str(sum(report.counts.values()))]], widths_cm=[5, 4])
    word.picture(documents.rag_bar_chart_png(report.count_rows), documents.chart_alt(report.count_rows, "indicators"),
                 width_cm=11)
    if changes is not None:
        word.heading(f"Changes since the report for {changes.since_meeting}", 2)
        if changes.changed:
            word.table(["Indicator", "Was", "Now"],
                       [[f"{c.code} {c.name}", c.was, c.rag] for c in changes.changed], widths_cm=[10, 3, 8])
        else:
            word.paragraph(f"No indicator has changed colour since {changes.since_month}.")
    word.heading("Indicators", 1)
    for domain in report.domains:
        word.heading(domain.name, 2)
        word.table(INDICATOR_HEADERS, [
            [f"{row.code}\n{row.name}", row.period, row.value, _figure(row.rated, row.rated_label),
             _figure(row.target, row.pro_rated), row.minimum_standard, row.rag,
             f"{row.arrow} {row.direction}".strip() + (f"\n{row.direction_on_last_year}" if row.direction_on_last_year else ""),
             row.trend_words]
            for row in domain.indicators
        ], widths_cm=[5, 2.2, 2, 2.3, 2.6, 2.2, 4.2, 3.2, 3])
    if not report.domains:
        word.paragraph("No indicators match.")
    word.heading("Business plan monitoring", 1)
    word.paragraph(f"The actions of each division's business plans as at {report.monitoring_day:%-d %B %Y}, counted by status.")
    if report.monitoring:
        word.table(MONITORING_HEADERS, [
            [line.division, str(line.priorities), str(line.actions), str(line.completed), str(line.on_course),
             str(line.delayed_or_cancelled), line.overall or "Not rated: no actions"]
            for line in report.monitoring
        ], widths_cm=[5, 2.3, 2.3, 2.3, 2.3, 3, 8])
        word.paragraph(f"Key: {MONITORING_KEY}.")
    else:
        word.paragraph("There are no business plans yet.")
    return word.to_bytes()


XLSX_HEADERS = ["Domain", "Code", "Name", "Period", "Value", "Rated figure", "Rated on", "Target", "Target worked out",
                "Minimum standard", "RAG", "RAG reason", "Direction", "Trend"]


def render_xlsx(report):
    rows = [
        [domain.name, row.code, row.name, row.period, row.value, row.rated, row.rated_label, row.target, row.pro_rated,
         row.minimum_standard, row.rag, row.rag.reason, row.direction, row.trend_words]
        for domain in report.domains for row in domain.indicators
    ]
    monitoring = [
        [line.division, line.priorities, line.actions, line.completed, line.on_course, line.delayed_or_cancelled,
         line.overall or ""]
        for line in report.monitoring
    ]
    key = [[Rag(colour, ""), words] for colour, words in RAG_KEY]
    return write_xlsx([
        (f"Indicators {report.month_label}", XLSX_HEADERS, rows),
        ("Business plan monitoring", MONITORING_HEADERS, monitoring),
        ("RAG key", ["RAG", "Meaning"], key),
    ])


def render(report, file_format, *, changes=None):
    """(bytes, content type, file name) of the report in `file_format`."""
    stem = file_stem(report)
    if file_format == "html":
        return render_html(report, changes=changes).encode("utf-8"), documents.HTML_CONTENT_TYPE, f"{stem}.html"
    if file_format == "docx":
        return render_docx(report, changes=changes), documents.DOCX_CONTENT_TYPE, f"{stem}.docx"
    if file_format == "pdf":
        return render_pdf(report, changes=changes), documents.PDF_CONTENT_TYPE, f"{stem}.pdf"
    if file_format == "xlsx":
        return render_xlsx(report), CONTENT_TYPES["xlsx"], f"{stem}.xlsx"
    raise ValueError(f"Unknown format '{file_format}': use {', '.join(FORMATS)}")


def publish(*, report, month, meeting, user):
    """Freeze the report in every format, with its read model, for `meeting` (core.publishing)."""
    changes = changes_for(report, month)
    files = []
    for file_format in FORMATS:
        content, content_type, filename = render(report, file_format, changes=changes)
        files.append((file_format, filename, content_type, content))
    return publishing.publish(
        kind=PublishedReport.PERFORMANCE, subject_id=None, title=document_title(report), meeting=meeting,
        as_at=month.end, user=user, read_model=report, files=files,
    )
