"""The plan format: its columns (`columns`), reading rows into typed rows (`parse`, no
database), and saving them (`save`, bulk writes from lookups read once).

One column map serves the admin import, `manage.py import_plan`, `manage.py
export_plan` and the plan page's download (`export.py`), so export then import gives
back the same rows. Reading files and running an import (all rows checked, then all
saved in one transaction or nothing) are `core.spreadsheets`' and `core.imports'`.
"""

from core.imports import run_import
from core.spreadsheets import ImportErrors, SpreadsheetError, read_file

from . import save
from .columns import EXPORT_ONLY_COLUMNS, MILESTONE_COLUMNS, MILESTONE_SHEET, PLAN_COLUMNS
from .parse import parse_plan_file

__all__ = [
    "EXPORT_ONLY_COLUMNS", "MILESTONE_COLUMNS", "MILESTONE_SHEET", "PLAN_COLUMNS",
    "ImportErrors", "SpreadsheetError", "import_plan_file",
]


def import_plan_file(data, filename, *, dry_run=False, milestone_data=None, milestone_filename=None):
    """Import a plan file (CSV or XLSX), and optionally a separate milestones CSV.

    Returns a `save.PlanImportResult`; raises SpreadsheetError when a file cannot be read,
    ImportErrors listing every bad row (and then saves nothing).
    """

    def parse():
        file = read_file(data, filename)
        milestones = read_file(milestone_data, milestone_filename) if milestone_data is not None else None
        return parse_plan_file(file, milestones)

    return run_import(parse=parse, check=save.check, save=save.save, dry_run=dry_run)
