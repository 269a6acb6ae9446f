"""Performance pages. Business plan monitoring (seed 001, 5.3) counts the actions of the divisions'
business plans, which `actionplans` keeps; this app only shows them."""

from django.shortcuts import render

from actionplans import selectors, state
from actionplans.models import Plan
from core.spreadsheets import CONTENT_TYPES, write_csv, write_xlsx
from core.views import spreadsheet_download

BUSINESS_PLAN_HEADERS = [
    "Division", "Priorities", "Actions", "Completed", "On course", "Delayed or cancelled", "Overall RAG",
]


def _monitoring_rows(table):
    lines = [*table.rows, *([table.unowned] if table.unowned else []), table.totals]
    return [
        [row.division, row.priorities, row.actions, row.completed, row.on_course, row.delayed_or_cancelled,
         row.overall or ""]
        for row in lines
    ]


def _export(table, file_format):
    stem = f"business-plan-monitoring-{table.day.isoformat()}"
    rows = _monitoring_rows(table)
    if file_format == "csv":
        return write_csv(BUSINESS_PLAN_HEADERS, rows), CONTENT_TYPES["csv"], f"{stem}.csv"
    return write_xlsx([("Business plan monitoring", BUSINESS_PLAN_HEADERS, rows)]), CONTENT_TYPES["xlsx"], f"{stem}.xlsx"


def business_plan(request):
    """The business plan dashboard as at today, each number linking to the actions behind it; ?format=csv|xlsx."""
    state.ensure_rated_today()
    table = selectors.business_plan_monitoring()
    if request.GET.get("format"):
        return spreadsheet_download(request, lambda file_format: _export(table, file_format))
    return render(request, "performance/business_plan.html", {"table": table, "source": Plan.BUSINESS_PLAN})
