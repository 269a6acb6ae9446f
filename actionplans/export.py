"""The plan as a spreadsheet, as at a day: the import format's columns plus RAG and its reason.

Rows come from the one read model, `selectors.plan_report`; the columns are the
import format's (`spreadsheet.PLAN_COLUMNS`), so export then import gives back the
same rows. A workbook holds three sheets (Plan, Milestones, Progress: every progress
update to the day, which import reads back); a CSV, the Plan sheet alone. Nothing is
cut: the models' limits are under Excel's 32,767 characters a cell.
"""

import re

from core.spreadsheets import CONTENT_TYPES, write_csv, write_xlsx

from . import rag, selectors
from .models import Milestone, ProgressUpdate
from .spreadsheet import (
    EXPORT_ONLY_COLUMNS,
    MILESTONE_COLUMNS,
    MILESTONE_SHEET,
    PLAN_COLUMNS,
    PROGRESS_COLUMNS,
    PROGRESS_EXPORT_ONLY_COLUMNS,
    PROGRESS_SHEET,
)


def _progress_date(row, plan):
    """The date to write beside the progress: the latest narrated update's; with none, the day the status
    was reported, unless that is the plan's source date (which import gives a status with no date), so
    that imported again the status counts from the same day (a status needs a date, DOMAIN.md "As at")."""
    if row.latest_progress:
        return row.latest_progress.date
    if row.status_reported_on and row.status_reported_on != plan.source_date:
        return row.status_reported_on
    return None


def _status_date(row, plan, progress_date):
    """The day the status was reported, when import would not give it that day anyway (the Progress
    date, else the plan's source date): a status reported after the latest narrative (or before it)
    keeps counting from its own day, never from the narrative's."""
    implied = progress_date or plan.source_date
    if row.status and row.status_reported_on and row.status_reported_on != implied:
        return row.status_reported_on
    return None


def plan_rows(report):
    """The report's actions as rows of the import format plus RAG and its reason: dates as dates, the
    RAG as a `core.rag.Rag` (the writers spell it out, and colour it in a workbook)."""
    plan = report.plan
    rows = []
    for area in report.areas:
        groups = [(group, group.actions) for group in area.recommendations] + [(None, area.actions)]
        for recommendation, actions in groups:
            for row in actions:
                progress_date = _progress_date(row, plan)
                values = {
                    "Plan": plan.title,
                    "Source": plan.source_label,
                    "Source date": plan.source_date,
                    "Owning unit": plan.unit,
                    "Area": area.title,
                    "Recommendation No": recommendation.number if recommendation else "",
                    "Recommendation": recommendation.text if recommendation else "",
                    "Recommendation page": recommendation.page_reference if recommendation else "",
                    "Measurable indicator": recommendation.measurable_indicator if recommendation else "",
                    "Desired outcome": recommendation.desired_outcome if recommendation else "",
                    "Action No": row.number,
                    "Action": row.text,
                    "Expected evidence": row.expected_evidence,
                    # With initials where the name lacks them, "Jane Smith (JS)": import reads them back.
                    "Leads": "; ".join(lead.display for lead in row.leads),
                    "Timescale": row.timescale,
                    "Due date": row.due_date,
                    "Status": rag.STATUS_LABELS.get(row.status, ""),
                    "Status date": _status_date(row, plan, progress_date),
                    "Progress": row.latest_progress.narrative if row.latest_progress else "",
                    "Progress date": progress_date,
                    "RAG": row.rag,
                    "RAG reason": row.rag.reason,
                }
                rows.append([values[column.name] for column in PLAN_COLUMNS] + [values[name] for name in EXPORT_ONLY_COLUMNS])
    return rows


def milestone_rows(report):
    """The milestones of the report's actions, in their order, with the day each was done."""
    numbers = {row.pk: row.number for row in report.rows}
    milestones = (
        Milestone.objects.filter(action__plan_id=report.plan.pk)
        .order_by("action__sort_key", "order", "id")
        .values_list("action_id", "activity", "date_text", "completed", "completed_on")
    )
    return [
        [report.plan.title, numbers[action_id], activity, date_text, "yes" if completed else "", completed_on]
        for action_id, activity, date_text, completed, completed_on in milestones
        if action_id in numbers
    ]


def progress_rows(report):
    """Every progress update of the report's actions reported on or before its day, oldest first."""
    numbers = {row.pk: row.number for row in report.rows}
    updates = (
        ProgressUpdate.objects.filter(action__plan_id=report.plan.pk, date__lte=report.day)
        .select_related("author")
        .order_by("action__sort_key", "date", "id")
    )
    return [
        [
            report.plan.title, numbers[update.action_id], update.date, rag.STATUS_LABELS.get(update.status, ""),
            update.narrative, update.author_name,
        ]
        for update in updates
        if update.action_id in numbers
    ]


def export_plan(plan, day, file_format, filters=None):
    """(bytes, content type, file name) of the plan as at `day` in CSV or XLSX."""
    return export_report(selectors.plan_report(plan, day, filters), file_format)


def export_report(report, file_format):
    """(bytes, content type, file name) of a `selectors.plan_report` in CSV or XLSX: the report's other formats
    (`reports.py`) and a published report take the same read model."""
    headers = [column.name for column in PLAN_COLUMNS] + EXPORT_ONLY_COLUMNS
    rows = plan_rows(report)
    stem = re.sub(r"[^A-Za-z0-9]+", "-", report.plan.title).strip("-").lower() or "plan"
    stem = f"{stem}-as-at-{report.day.isoformat()}"
    if file_format == "csv":
        return write_csv(headers, rows), CONTENT_TYPES["csv"], f"{stem}.csv"
    if file_format == "xlsx":
        sheets = [
            ("Plan", headers, rows),
            (MILESTONE_SHEET, [c.name for c in MILESTONE_COLUMNS], milestone_rows(report)),
            (PROGRESS_SHEET, [c.name for c in PROGRESS_COLUMNS] + PROGRESS_EXPORT_ONLY_COLUMNS, progress_rows(report)),
        ]
        return write_xlsx(sheets), CONTENT_TYPES["xlsx"], f"{stem}.xlsx"
    raise ValueError(f"Unknown format '{file_format}': use csv or xlsx")
