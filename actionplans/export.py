"""The plan as a spreadsheet, as at a day: the import format's columns plus RAG and its reason.

Rows come from the one read model, `selectors.plan_report`; the columns are the
import format's (`spreadsheet.PLAN_COLUMNS`), so export then import gives back the
same rows.
"""

import re

from core.spreadsheets import write_csv, write_xlsx

from . import rag, selectors
from .spreadsheet import EXPORT_ONLY_COLUMNS, MILESTONE_COLUMNS, MILESTONE_SHEET, PLAN_COLUMNS


def _progress_date(row, plan):
    """The date to write beside the progress: the latest narrated update's; with none, the day the status
    was reported, unless that is the plan's source date (which import gives a status with no date), so
    that imported again the status counts from the same day (a status needs a date, DOMAIN.md "As at")."""
    if row.latest_progress:
        return row.latest_progress.date
    if row.status_reported_on and row.status_reported_on != plan.source_date:
        return row.status_reported_on
    return None


def plan_rows(report):
    """The report's actions as rows of the import format plus RAG and its reason."""
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
                    "Source date": plan.source_date.isoformat() if plan.source_date else "",
                    "Area": area.title,
                    "Recommendation No": recommendation.number if recommendation else "",
                    "Recommendation": recommendation.text if recommendation else "",
                    "Recommendation page": recommendation.page_reference if recommendation else "",
                    "Measurable indicator": recommendation.measurable_indicator if recommendation else "",
                    "Desired outcome": recommendation.desired_outcome if recommendation else "",
                    "Action No": row.number,
                    "Action": row.text,
                    "Expected evidence": row.expected_evidence,
                    "Leads": row.lead_names,
                    "Timescale": row.timescale,
                    "Due date": row.due_date.isoformat() if row.due_date else "",
                    "Status": rag.STATUS_LABELS.get(row.status, ""),
                    "Progress": row.latest_progress.narrative if row.latest_progress else "",
                    "Progress date": progress_date.isoformat() if progress_date else "",
                    "RAG": row.rag.label,
                    "RAG reason": row.rag.reason,
                }
                rows.append([values[column.name] for column in PLAN_COLUMNS] + [values[name] for name in EXPORT_ONLY_COLUMNS])
    return rows


def milestone_rows(report):
    return [
        [report.plan.title, row.number, milestone.activity, milestone.date_text, "yes" if milestone.completed else ""]
        for row in report.rows
        for milestone in row.milestones
    ]


def export_plan(plan, day, file_format, filters=None):
    """(bytes, content type, file name) of the plan as at `day` in CSV or XLSX."""
    headers = [column.name for column in PLAN_COLUMNS] + EXPORT_ONLY_COLUMNS
    report = selectors.plan_report(plan, day, filters)
    rows = plan_rows(report)
    stem = re.sub(r"[^A-Za-z0-9]+", "-", plan.title).strip("-").lower() or "plan"
    stem = f"{stem}-as-at-{day.isoformat()}"
    if file_format == "csv":
        return write_csv(headers, rows), "text/csv; charset=utf-8", f"{stem}.csv"
    if file_format == "xlsx":
        sheets = [("Plan", headers, rows), (MILESTONE_SHEET, [c.name for c in MILESTONE_COLUMNS], milestone_rows(report))]
        return (
            write_xlsx(sheets),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    raise ValueError(f"Unknown format '{file_format}': use csv or xlsx")
