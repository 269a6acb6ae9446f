"""The plan as a spreadsheet, as at a day: the import format's columns plus RAG and its reason.

Rows come from the one read model, `selectors.plan_report`; the columns are the
import format's (`spreadsheet.PLAN_COLUMNS`), so export then import gives back the
same rows.
"""

import re

from core.spreadsheets import write_csv, write_xlsx

from . import asat, rag
from .models import Action, Milestone
from .spreadsheet import EXPORT_ONLY_COLUMNS, MILESTONE_COLUMNS, MILESTONE_SHEET, PLAN_COLUMNS


def plan_rows(plan, day):
    """The plan as rows of the import format plus RAG and its reason, as at `day`."""
    actions = list(
        Action.objects.filter(plan=plan).with_rag_inputs().select_related("recommendation", "area").order_by("sort_key")
    )
    recommendations = list({a.recommendation_id: a.recommendation for a in actions if a.recommendation}.values())
    asat.restore_wording(actions, recommendations, day)
    source_label = plan.get_source_display()
    rows = []
    for action in actions:
        recommendation = action.recommendation
        latest = action.latest_update_on_day(day)
        # With no progress narrative, the date of the update that reported the status, unless it is the plan's
        # source date (which import gives a status with no date): imported again, the status counts from the
        # same day (a status needs a date, DOMAIN.md "As at").
        progress_date = latest.date if latest else None
        if latest is None:
            reported = next((u for u in reversed(action.updates_on(day)) if u.status), None)
            if reported and reported.date != plan.source_date:
                progress_date = reported.date
        rating = action.rag_on(day, plan.rag_scheme)
        values = {
            "Plan": plan.title,
            "Source": source_label,
            "Source date": plan.source_date.isoformat() if plan.source_date else "",
            "Area": action.area.title,
            "Recommendation No": recommendation.number if recommendation else "",
            "Recommendation": recommendation.text if recommendation else "",
            "Recommendation page": recommendation.page_reference if recommendation else "",
            "Measurable indicator": recommendation.measurable_indicator if recommendation else "",
            "Desired outcome": recommendation.desired_outcome if recommendation else "",
            "Action No": action.number,
            "Action": action.text,
            "Expected evidence": action.expected_evidence,
            "Leads": "; ".join(lead.name for lead in action.leads.all()),
            "Timescale": action.timescale,
            "Due date": action.due_date.isoformat() if action.due_date else "",
            "Status": rag.STATUS_LABELS.get(action.status_on(day), ""),
            "Progress": latest.narrative if latest else "",
            "Progress date": progress_date.isoformat() if progress_date else "",
            "RAG": rating.label,
            "RAG reason": rating.reason,
        }
        rows.append([values[column.name] for column in PLAN_COLUMNS] + [values[name] for name in EXPORT_ONLY_COLUMNS])
    return rows


def milestone_rows(plan):
    milestones = Milestone.objects.filter(action__plan=plan).select_related("action").order_by("action__sort_key", "order", "id")
    return [[plan.title, m.action.number, m.activity, m.date_text, "yes" if m.completed else ""] for m in milestones]


def export_plan(plan, day, file_format):
    """(bytes, content type, file name) of the plan as at `day` in CSV or XLSX."""
    headers = [column.name for column in PLAN_COLUMNS] + EXPORT_ONLY_COLUMNS
    rows = plan_rows(plan, day)
    stem = re.sub(r"[^A-Za-z0-9]+", "-", plan.title).strip("-").lower() or "plan"
    stem = f"{stem}-as-at-{day.isoformat()}"
    if file_format == "csv":
        return write_csv(headers, rows), "text/csv; charset=utf-8", f"{stem}.csv"
    if file_format == "xlsx":
        sheets = [("Plan", headers, rows), (MILESTONE_SHEET, [c.name for c in MILESTONE_COLUMNS], milestone_rows(plan))]
        return (
            write_xlsx(sheets),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    raise ValueError(f"Unknown format '{file_format}': use csv or xlsx")
