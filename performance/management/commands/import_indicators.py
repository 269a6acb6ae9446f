from django.core.management.base import BaseCommand

from core.imports import import_file_for_command
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
        result = import_file_for_command(
            self, options["file"], lambda data, name: import_indicator_file(data, name, dry_run=options["dry_run"])
        )
        self.stdout.write(f"{FORMAT_LABELS[result.format]}: {result.summary}")
