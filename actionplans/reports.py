"""The improvement plan as a committee paper: print HTML, Word, PDF, Excel and CSV, all from the one read
model (`selectors.plan_report`); none of them reads the database for rows of its own.

Two column layouts, chosen per report:
- the recommendation layout of seed 000 (Kent's CQC action plan): Recommendation | Measurable indicator |
  Desired outcome | Timescale | Lead(s) | Actions to date, the recommendation's cells spanning its actions;
- the action layout of seed 004 Annex B (Sefton's improvement plan): Action | Expected evidence of
  improvement | Timescale, with Lead(s), RAG and the latest progress.
Milestone tables sit inside their action, as in seed 000.

A report also says what changed since the last report published for a meeting (`core.publishing`):
actions whose RAG or status changed, and actions with a progress update newer than that report's.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from core import documents, publishing
from core.documents import MERGED, WordDocument
from core.models import PublishedReport
from core.rag import COLOUR_LABELS, Rag

from . import export

RECOMMENDATION, ACTION = "recommendation", "action"
LAYOUTS = {RECOMMENDATION: "Recommendation layout (seed 000)", ACTION: "Action layout (seed 004)"}
RECOMMENDATION_HEADERS = ["Recommendation", "Measurable indicator", "Desired outcome", "Timescale", "Lead(s)", "Actions to date"]
ACTION_HEADERS = ["Action", "Expected evidence of improvement", "Timescale", "Lead(s)", "RAG", "Latest progress"]
MILESTONE_HEADERS = ["Milestone date", "Activity", "Done"]
FORMATS = ("html", "docx", "pdf", "xlsx", "csv")
PUBLISHED_FORMATS = ("html", "docx", "pdf", "xlsx", "csv")


class UnknownLayout(ValueError):
    pass


def layout_for(report, asked=""):
    """The layout asked for; by default the recommendation layout when the plan has recommendations (an
    inspection's), else the action layout (a business plan's numbered actions)."""
    if asked:
        if asked not in LAYOUTS:
            raise UnknownLayout(f"Unknown layout '{asked}': use {' or '.join(LAYOUTS)}")
        return asked
    return RECOMMENDATION if any(area.recommendations for area in report.areas) else ACTION


# --- What changed since the last published report -----------------------------------------------------------


@dataclass(frozen=True)
class ActionChange:
    number: str
    text: str
    was: str  # "Amber (At risk)"
    now: str
    rag: Rag  # the colour now, shown with its word


@dataclass(frozen=True)
class NewUpdate:
    number: str
    text: str
    date: object
    narrative: str


@dataclass(frozen=True)
class PlanChanges:
    since_meeting: str
    since_day: object  # the day that report showed
    published_at: object
    changed: tuple  # ActionChange: RAG or status changed
    updates: tuple  # NewUpdate: a progress update newer than that report's
    added: tuple  # numbers of actions that report did not have

    @property
    def any(self):
        return bool(self.changed or self.updates or self.added)


def _rows_of(model):
    """{action id: row dict} of a plan read model stored as JSON (`core.publishing.as_json`)."""
    found = {}
    for area in model.get("areas", []):
        for group in area.get("recommendations", []):
            for row in group.get("actions", []):
                found[row["pk"]] = row
        for row in area.get("actions", []):
            found[row["pk"]] = row
    return found


def _state_words(colour, status_label):
    return f"{COLOUR_LABELS.get(colour, colour)} ({status_label})"


def changes_since(previous, report):
    """PlanChanges of `report` against `previous`, a PublishedReport of the same plan; None with none published.

    Pure but for reading `previous.read_model`: compares the rows of the two read models by action id."""
    if previous is None:
        return None
    before = _rows_of(previous.read_model)
    changed, updates, added = [], [], []
    for row in report.rows:
        old = before.get(row.pk)
        if old is None:
            added.append(row.number)
            continue
        old_colour, old_status = old["rag"]["colour"], old["status"]
        if old_colour != row.rag.colour or old_status != row.status:
            changed.append(ActionChange(
                row.number, row.text, _state_words(old_colour, old["status_label"]),
                _state_words(row.rag.colour, row.status_label), row.rag,
            ))
        old_progress = old.get("latest_progress") or {}
        if row.latest_progress and (
            not old_progress or row.latest_progress.date.isoformat() > old_progress["date"]
            or (row.latest_progress.date.isoformat() == old_progress["date"] and row.latest_progress.narrative != old_progress["narrative"])
        ):
            updates.append(NewUpdate(row.number, row.text, row.latest_progress.date, row.latest_progress.narrative))
    return PlanChanges(previous.meeting, previous.as_at, previous.published_at, tuple(changed), tuple(updates), tuple(added))


def changes_for(report):
    """What changed since the last report published of this plan showing the report's day or before (1 query)."""
    return changes_since(publishing.latest_before(PublishedReport.PLAN, report.plan.pk, report.day), report)


# --- Shared words -------------------------------------------------------------------------------------------


def document_title(report):
    return f"{report.plan.title}: improvement plan updated {report.day:%-d %B %Y}"


def source_line(report):
    plan = report.plan
    return f"{plan.source_label}{f', {plan.source_date:%-d %B %Y}' if plan.source_date else ''}"


def leads_text(row):
    return "; ".join(lead.display for lead in row.leads) or "No lead named"


def progress_text(row):
    if not row.latest_progress:
        return "No progress reported"
    return f"{row.latest_progress.date:%-d %b %Y}: {row.latest_progress.narrative}"


def status_text(row):
    words = f"Status: {row.status_label}"
    if row.completion_proposed:
        words += " (completion proposed)"
    if row.update_overdue:
        since = row.latest_update_on or row.update_overdue_since
        words += f". Update overdue: no update since {since:%-d %b %Y}" if since else ". Update overdue"
    return words


def filters_text(report):
    """The report's filters in words, or "" when it shows every action."""
    filters = report.filters
    if not filters.any:
        return ""
    parts = []
    if filters.rag:
        parts.append(f"RAG {COLOUR_LABELS.get(filters.rag, filters.rag)}")
    if filters.status:
        parts.append(f"status {filters.status.replace('_', ' ')}")
    if filters.overdue:
        parts.append("overdue")
    if filters.update_overdue:
        parts.append("update overdue")
    if filters.needs_due_date:
        parts.append("needing a due date")
    if filters.area:
        parts.append("one area")
    if filters.lead:
        parts.append("one lead")
    return f"Filtered ({', '.join(parts)}): {report.summary.total} action{'s' if report.summary.total != 1 else ''} shown."


def file_stem(report):
    stem = re.sub(r"[^A-Za-z0-9]+", "-", report.plan.title).strip("-").lower() or "plan"
    return f"{stem}-as-at-{report.day.isoformat()}"


# --- HTML and PDF -------------------------------------------------------------------------------------------


def render_html(report, layout, *, changes=None, standalone=True, published=(), download_query="", can_publish=False,
                request=None):
    """The report as an HTML document: `standalone` for a file (styles written in, no navigation: the PDF and a
    published copy), else the print-friendly page the site serves, with links back and to the other formats."""
    context = {
        "report": report, "layout": layout, "layouts": LAYOUTS, "changes": changes, "standalone": standalone,
        "document_title": document_title(report), "council": settings.COUNCIL_NAME, "source": source_line(report),
        "chart": documents.rag_bar_chart_svg(report.summary.rows), "filtered": filters_text(report),
        "headers": RECOMMENDATION_HEADERS if layout == RECOMMENDATION else ACTION_HEADERS,
        "milestone_headers": MILESTONE_HEADERS, "download_query": download_query,
    }
    return render_to_string("actionplans/report.html", context, request=request)


def render_pdf(report, layout, *, changes=None):
    return documents.html_to_pdf(render_html(report, layout, changes=changes, standalone=True))


# --- Word ---------------------------------------------------------------------------------------------------


def _milestones_writer(row, word):
    def write(cell):
        if not row.milestones:
            return
        cell.add_paragraph().add_run("Milestones").bold = True
        rows = [[m.date_text or (f"{m.due_date:%-d %b %Y}" if m.due_date else ""), m.activity, "Done" if m.completed else "Not yet"]
                for m in row.milestones]
        word.table(MILESTONE_HEADERS, rows, container=cell)
        cell.add_paragraph()  # Word needs a paragraph after a nested table

    return write


def _action_cell(row, word, *, with_rag):
    """The action's cell: number and text, (RAG,) status, cross-reference, milestones."""
    def write(cell):
        paragraph = cell.paragraphs[0]
        paragraph.add_run(f"{row.number} ").bold = True
        paragraph.add_run(row.text)
        if row.cross_reference:
            cell.add_paragraph(f"See action {row.cross_reference[0]}")
        if with_rag:
            _rag_line(cell, row.rag)
        cell.add_paragraph(status_text(row))
        _milestones_writer(row, word)(cell)

    return write


def _rag_line(cell, rating):
    """The RAG word and reason in a paragraph of a text cell (the recommendation layout has no RAG column)."""
    from docx.shared import RGBColor

    paragraph = cell.add_paragraph()
    paragraph.add_run("RAG: ")
    word = paragraph.add_run(rating.label)
    word.bold = True
    word.font.color.rgb = RGBColor.from_string(rating.text_hex)
    paragraph.add_run(f": {rating.reason}")


def _progress_cell(row):
    def write(cell):
        documents.write_text(cell, progress_text(row))

    return write


def _recommendation_rows(section, word):
    rows = []
    for group in section.recommendations:
        recommendation = f"{group.number}. {group.text}" + (f"\n(Inspection report, page {group.page_reference})" if group.page_reference else "")
        for index, row in enumerate(group.actions):
            first = index == 0
            rows.append([
                recommendation if first else MERGED,
                group.measurable_indicator if first else MERGED,
                group.desired_outcome if first else MERGED,
                row.timescale, leads_text(row), _actions_to_date(row, word),
            ])
    for row in section.actions:
        rows.append(["Not linked to a recommendation", "", "", row.timescale, leads_text(row), _actions_to_date(row, word)])
    return rows


def _actions_to_date(row, word):
    def write(cell):
        _action_cell(row, word, with_rag=True)(cell)
        cell.add_paragraph(f"Latest progress: {progress_text(row)}")

    return write


def _action_rows(actions, word):
    return [
        [_action_cell(row, word, with_rag=False), row.expected_evidence, row.timescale, leads_text(row), row.rag, _progress_cell(row)]
        for row in actions
    ]


def render_docx(report, layout, *, changes=None):
    """The report as a Word document: a portrait cover (title, council, source and judgements, the summary by
    colour with its chart, overdue actions, what changed), then each area's table on landscape pages."""
    title = document_title(report)
    word = WordDocument(title, subject=f"{settings.COUNCIL_NAME}: {source_line(report)}", author=settings.COUNCIL_NAME)
    word.title(report.plan.title)
    word.paragraph(f"{settings.COUNCIL_NAME}. Improvement plan updated {report.day:%-d %B %Y}.", bold=True)
    facts = [["Source", source_line(report)], ["Owning unit", report.plan.unit or "Not set"],
             ["RAG scheme", report.plan.rag_scheme_label], *([outcome, judgement] for outcome, judgement in report.judgements)]
    word.table(["Detail", "As reported"], facts, widths_cm=[6, 11])
    if report.before_source:
        word.paragraph(f"The plan did not exist yet on {report.day:%-d %B %Y}: its source date is {report.plan.source_date:%-d %B %Y}.")
        return word.to_bytes()

    word.heading("Summary of actions by RAG colour", 1)
    if filters_text(report):
        word.paragraph(filters_text(report))
    summary = report.summary
    word.table(["RAG colour", "Actions"], [[Rag(colour, ""), str(count)] for colour, label, count in summary.rows]
               + [["Total actions", str(summary.total)]], widths_cm=[6, 4])
    word.picture(documents.rag_bar_chart_png(summary.rows), documents.chart_alt(summary.rows), width_cm=11)
    if summary.overall:
        word.paragraph(f"Overall: {summary.overall}")
    word.paragraph(
        f"{summary.overdue} overdue; {summary.update_overdue} with an update overdue (none for "
        f"{report.plan.update_interval_months} months); {summary.needs_due_date} needing a due date."
    )
    word.heading("Overdue actions", 2)
    overdue = report.overdue
    if overdue:
        word.table(["Action", "Timescale", "Lead(s)", "RAG"],
                   [[f"{row.number} {row.text}", row.timescale, leads_text(row), row.rag] for row in overdue],
                   widths_cm=[8, 3, 3, 3])
    else:
        word.paragraph("No action is overdue.")
    if changes is not None:
        _changes_docx(word, changes)

    headers = RECOMMENDATION_HEADERS if layout == RECOMMENDATION else ACTION_HEADERS
    widths = [5.5, 4, 4, 2.5, 3, 7] if layout == RECOMMENDATION else [6.5, 5, 2.5, 3, 3.5, 5.5]
    for index, section in enumerate(report.areas):
        word.new_section(landscape=True)
        word.heading(section.title, 1)
        if layout == RECOMMENDATION:
            word.table(headers, _recommendation_rows(section, word), widths_cm=widths)
            continue
        for group in section.recommendations:
            word.heading(f"Recommendation {group.number}", 2)
            word.paragraph(group.text)
            word.table(headers, _action_rows(group.actions, word), widths_cm=widths)
        if section.actions:
            if section.recommendations:
                word.heading("Other actions", 2)
            word.table(headers, _action_rows(section.actions, word), widths_cm=widths)
    if not report.areas:
        word.paragraph("This plan has no areas or actions yet.")
    return word.to_bytes()


def _changes_docx(word, changes):
    word.heading(f"Changes since the report for {changes.since_meeting}", 2)
    word.paragraph(f"That report showed the plan as at {changes.since_day:%-d %B %Y}.")
    if not changes.any:
        word.paragraph("No action's RAG or status has changed and there are no new progress updates.")
        return
    if changes.changed:
        word.table(["Action", "Was", "Now"], [[f"{c.number} {c.text}", c.was, c.now] for c in changes.changed], widths_cm=[9, 4, 4])
    if changes.updates:
        word.table(["Action", "New progress update"],
                   [[f"{u.number} {u.text}", f"{u.date:%-d %b %Y}: {u.narrative}"] for u in changes.updates], widths_cm=[7, 10])
    if changes.added:
        word.paragraph(f"New actions: {', '.join(changes.added)}.")


# --- Every format ------------------------------------------------------------------------------------------


def render(report, file_format, layout, *, changes=None):
    """(bytes, content type, file name) of the report in `file_format`."""
    stem = file_stem(report)
    if file_format == "html":
        html = render_html(report, layout, changes=changes, standalone=True)
        return html.encode("utf-8"), documents.HTML_CONTENT_TYPE, f"{stem}.html"
    if file_format == "docx":
        return render_docx(report, layout, changes=changes), documents.DOCX_CONTENT_TYPE, f"{stem}.docx"
    if file_format == "pdf":
        return render_pdf(report, layout, changes=changes), documents.PDF_CONTENT_TYPE, f"{stem}.pdf"
    if file_format in ("xlsx", "csv"):
        return export.export_report(report, file_format)
    raise ValueError(f"Unknown format '{file_format}': use {', '.join(FORMATS)}")


def publish(*, report, layout, meeting, user):
    """Freeze the report in every published format, with its read model, for `meeting` (core.publishing)."""
    changes = changes_for(report)
    files = []
    for file_format in PUBLISHED_FORMATS:
        content, content_type, filename = render(report, file_format, layout, changes=changes)
        files.append((file_format, filename, content_type, content))
    return publishing.publish(
        kind=PublishedReport.PLAN, subject_id=report.plan.pk, title=document_title(report), meeting=meeting,
        as_at=report.day, user=user, read_model=report, files=files,
    )
