"""The plan format: its columns (`columns`), reading rows into typed rows (`parse`, no
database), and saving them (`save`, bulk writes from lookups read once).

One column map serves the admin import, `manage.py import_plan`, `manage.py
export_plan` and the plan page's download (`export.py`), so export then import gives
back the same rows. Reading files and running an import (all rows checked, then all
saved in one transaction or nothing) are `core.spreadsheets`' and `core.imports'`.

The sheets of a file:

- **Plan** (the first sheet, or the CSV): one row per action, with its plan, owning
  unit, area and recommendation. Its Status, Status date, Progress and Progress date
  say where the action stands: the latest progress reported (its narrative, on its
  date) and the status, on the day it was reported (Status date; blank when that is
  the Progress date, else the plan's Source date). A CSV holds this sheet only.
- **Milestones** (a sheet of that name, or a CSV of its own): one row per milestone.
- **Progress** (a sheet of that name; workbooks only): every progress update, one a
  row, with the status it set on its day (blank: it reported none).

How the Plan sheet's progress and the Progress sheet combine: each Progress row is one
update; the Plan sheet's narrative and status are then facts about the same history,
not more updates. An update is recognised, never added twice, when one of the same
action on the same day says the same (its text with line endings and spacing aside;
a status is recognised in any update of its day that reports it). So the Plan sheet's
latest progress is the Progress sheet row of that day, and export then import (CSV or
workbook, once or twice) adds nothing. What is not recognised is added as an update
loaded from a spreadsheet, or corrects the update an earlier import loaded on that day
(when no Progress row names it); nothing the file leaves out is deleted.
"""

from core.imports import run_import
from core.spreadsheets import ImportErrors, SpreadsheetError, read_file

from . import save
from .columns import (
    EXPORT_ONLY_COLUMNS,
    MILESTONE_COLUMNS,
    MILESTONE_SHEET,
    PLAN_COLUMNS,
    PROGRESS_COLUMNS,
    PROGRESS_EXPORT_ONLY_COLUMNS,
    PROGRESS_SHEET,
)
from .parse import parse_plan_file

__all__ = [
    "EXPORT_ONLY_COLUMNS", "MILESTONE_COLUMNS", "MILESTONE_SHEET", "PLAN_COLUMNS", "PROGRESS_COLUMNS",
    "PROGRESS_EXPORT_ONLY_COLUMNS", "PROGRESS_SHEET", "ImportErrors", "SpreadsheetError", "import_plan_file",
]


def import_plan_file(data, filename, *, dry_run=False, unit=None, milestone_data=None, milestone_filename=None):
    """Import a plan file (CSV or XLSX), and optionally a separate milestones CSV.

    `unit`: an OrganisationUnit, the owning unit of the plans whose rows name none.
    Returns a `save.PlanImportResult`; raises SpreadsheetError when a file cannot be read,
    ImportErrors listing every bad row (and then saves nothing).
    """

    def parse():
        file = read_file(data, filename)
        milestones = read_file(milestone_data, milestone_filename) if milestone_data is not None else None
        return parse_plan_file(file, milestones)

    def check(parsed):
        return save.check(parsed, unit=unit)

    return run_import(parse=parse, check=check, save=save.save, dry_run=dry_run)
