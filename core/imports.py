"""One way to run an import, for every format: read, check every row, then save all or nothing.

A format gives three functions:

- `parse()`: the file's rows as typed row objects, with the errors and warnings that
  need no database (`Parsed`). It reads no table.
- `check(parsed)`: looks the rows up in the database (once per table, not per row)
  and returns what saving needs, with the errors only the database can tell
  (`Checked`: any object with `errors` and `warnings`).
- `save(checked)`: writes everything and returns an `ImportResult`.

`run_import` reports the errors of both steps together, before anything is written,
and saves in one transaction; a dry run saves the same way and rolls back, so what a
preview shows is exactly what confirming will do.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.management.base import CommandError
from django.db import transaction

from .spreadsheets import ImportErrors, SpreadsheetError, check_size, in_file_order

# What importing a row did.
NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
OUTCOME_LABELS = {NEW: "New", UPDATED: "Updated", UNCHANGED: "Unchanged"}


@dataclass(frozen=True)
class Parsed:
    """What parsing gave: typed rows by sheet ("" is the format's main sheet), and what is wrong with them."""

    sheets: dict
    errors: tuple = ()
    warnings: tuple = ()

    def rows(self, sheet=""):
        return self.sheets.get(sheet, ())


@dataclass(frozen=True)
class RowOutcome:
    row: int
    outcome: str  # NEW, UPDATED or UNCHANGED
    label: str  # what the row is, in words: "Action 1.10 of 'Sefton plan': Refresh the HR strategy"
    sheet: str = ""
    saved: object = field(default=None, compare=False)  # the object the row saved
    details: tuple = ()  # more about the row, a line each: "Leads: JS: new lead"

    @property
    def outcome_label(self):
        return OUTCOME_LABELS[self.outcome]


@dataclass
class ImportResult:
    """What an import did (or, on a dry run, would do), row by row."""

    dry_run: bool = False
    outcomes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # (object, created) for each object at the top of what the import created or changed (a plan
    # file's plans): the admin's log gets an entry for each.
    touched: list = field(default_factory=list)

    def count(self, outcome, sheet=""):
        """How many rows of `sheet` (the main one by default) had `outcome`."""
        return sum(1 for row in self.outcomes if row.sheet == sheet and row.outcome == outcome)

    @property
    def summary(self):
        verb = "Would import" if self.dry_run else "Imported"
        return (
            f"{verb} {len(self.outcomes)} rows: {self.count(NEW)} new, {self.count(UPDATED)} updated, "
            f"{self.count(UNCHANGED)} unchanged; {len(self.warnings)} warnings."
        )

    @property
    def message(self):
        """What the admin's preview and its message after confirming say (a format's result may say it better)."""
        return self.summary


def run_import(*, parse, check, save, dry_run=False):
    """Parse, check and save (see the module's docstring); raises ImportErrors listing every bad row.

    A file that cannot be read at all raises SpreadsheetError from `parse`.
    """
    parsed = parse()
    with transaction.atomic():
        checked = check(parsed)
        errors = in_file_order([*parsed.errors, *checked.errors])
        if errors:
            raise ImportErrors(errors)
        result = save(checked)
        result.dry_run = dry_run
        # Saving may find more to warn about (a new lead beside one with the same initials).
        result.warnings = [*parsed.warnings, *checked.warnings, *result.warnings]
        if dry_run:
            transaction.set_rollback(True)
    return result


def import_file_for_command(command, file_name, run):
    """What an import command does with the file it is given: refuse a missing or oversize one, run
    `run(data, name)` (an import returning an ImportResult), write each row error and warning to stderr with
    the file's name, and end with one CommandError line when anything stopped the import (nothing saved)."""
    path = Path(file_name)
    if not path.is_file():
        raise CommandError(f"No such file: {path}")
    try:
        check_size(path.stat().st_size)  # before reading: a file far over the limit is never held in memory
        result = run(path.read_bytes(), path.name)
    except SpreadsheetError as error:
        raise CommandError(f"{path.name}: {error}") from None
    except ImportErrors as errors:
        for error in errors.errors:
            command.stderr.write(f"{path.name}: {error}")
        raise CommandError(f"{len(errors.errors)} errors: nothing was imported.") from None
    for warning in result.warnings:
        command.stderr.write(f"Warning: {warning}")
    return result
