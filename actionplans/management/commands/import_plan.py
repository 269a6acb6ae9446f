from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actionplans import spreadsheet
from actionplans.spreadsheet.save import find_unit
from core.models import OrganisationUnit
from core.spreadsheets import check_size


class Command(BaseCommand):
    help = "Import a plan from a CSV or XLSX file (one row per action). Nothing is saved if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX; an XLSX sheet named Milestones is read too")
        parser.add_argument("--milestones", help="a separate Milestones CSV: Plan, Action No, Milestone, Date, Completed")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
        parser.add_argument(
            "--unit", help="the owning unit (name or short name) of the plans whose rows name none"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        milestones = Path(options["milestones"]) if options["milestones"] else None
        if milestones and not milestones.is_file():
            raise CommandError(f"No such file: {milestones}")
        unit = None
        if options["unit"]:
            unit, problem = find_unit(options["unit"], list(OrganisationUnit.objects.select_related("parent")))
            if problem:
                raise CommandError(f"--unit {problem}.")
        try:
            # Measured before reading: a file far over the limit is never held in memory.
            for given in (path, milestones):
                if given:
                    check_size(given.stat().st_size)
            result = spreadsheet.import_plan_file(
                path.read_bytes(),
                path.name,
                dry_run=options["dry_run"],
                unit=unit,
                milestone_data=milestones.read_bytes() if milestones else None,
                milestone_filename=milestones.name if milestones else None,
            )
        except spreadsheet.SpreadsheetError as error:
            raise CommandError(f"{path.name}: {error}") from None
        except spreadsheet.ImportErrors as errors:
            for error in errors.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{len(errors.errors)} errors: nothing was imported.") from None
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(result.summary)
