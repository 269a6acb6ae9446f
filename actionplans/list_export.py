"""The actions list (`/actions/`) as a spreadsheet: the filtered actions across plans, one row each.

Not the plan format (that is `export.py`, which import reads back): this is for reading, sorting
and filtering in Excel, so it carries the plan, the unit and today's RAG with its reason.
"""

from core.periods import today
from core.spreadsheets import CONTENT_TYPES, write_csv, write_xlsx

from . import rag

HEADERS = [
    "Plan", "Action No", "Action", "Leads", "Timescale", "Due date", "Status", "RAG", "RAG reason",
    "Overdue", "Update overdue", "Needs a due date", "Completion proposed", "Latest progress date", "Latest progress",
]


def _cells(row):
    return [
        row.plan_title,
        row.number,
        row.text,
        row.lead_names,
        row.timescale,
        row.due_date,
        rag.STATUS_LABELS.get(row.status, ""),
        row.rag,  # a Rag: its word, and in a workbook its colour
        row.rag.reason,
        "Yes" if row.overdue else "",
        "Yes" if row.update_overdue else "",
        "Yes" if row.needs_due_date else "",
        "Yes" if row.completion_proposed else "",
        row.latest_progress.date if row.latest_progress else None,
        row.latest_progress.narrative if row.latest_progress else "",
    ]


def export_actions(rows, file_format):
    """(bytes, content type, file name) of action rows (selectors.ActionRow) in CSV or XLSX."""
    table = [_cells(row) for row in rows]
    stem = f"actions-as-at-{today().isoformat()}"
    if file_format == "csv":
        return write_csv(HEADERS, table), CONTENT_TYPES["csv"], f"{stem}.csv"
    if file_format == "xlsx":
        return write_xlsx([("Actions", HEADERS, table)]), CONTENT_TYPES["xlsx"], f"{stem}.xlsx"
    raise ValueError(f"Unknown format '{file_format}': use csv or xlsx")
