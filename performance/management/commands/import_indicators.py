from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.spreadsheets import ImportErrors, SpreadsheetError, check_size
from performance.spreadsheet import FORMAT_LABELS, import_indicator_file


class Command(BaseCommand):
    help = (
        "Import indicators, targets, readings or benchmarks from a CSV or XLSX file; which of the four it is "
        "comes from its headers. Nothing is saved if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX (the first sheet)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            check_size(path.stat().st_size)  # before reading: a file far over the limit is never held in memory
            result = import_indicator_file(path.read_bytes(), path.name, dry_run=options["dry_run"])
        except SpreadsheetError as error:
            raise CommandError(f"{path.name}: {error}") from None
        except ImportErrors as errors:
            for error in errors.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{len(errors.errors)} errors: nothing was imported.") from None
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(f"{FORMAT_LABELS[result.format]}: {result.summary}")
