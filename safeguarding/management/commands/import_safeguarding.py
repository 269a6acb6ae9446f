from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.spreadsheets import ImportErrors, SpreadsheetError, check_size
from safeguarding.models import Team
from safeguarding.spreadsheet import import_safeguarding_file


def team_named(name):
    """The team whose unit is called `name` (or its short name); None for no name given."""
    if not name:
        return None
    team = (Team.objects.filter(unit__name__iexact=name).first()
            or Team.objects.filter(unit__short_name__iexact=name).first())
    if team is None:
        raise CommandError(f"No safeguarding team belongs to a unit named {name!r}.")
    return team


class Command(BaseCommand):
    help = "Import quarterly safeguarding figures (Quarter, Breakdown, Category, Count) from CSV or XLSX; nothing is saved if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (UTF-8) or XLSX (the first sheet)")
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
        parser.add_argument("--team", help="the team's unit, when there is more than one team")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            check_size(path.stat().st_size)
            result = import_safeguarding_file(path.read_bytes(), path.name, dry_run=options["dry_run"],
                                              team=team_named(options["team"]))
        except SpreadsheetError as error:
            raise CommandError(f"{path.name}: {error}") from None
        except ImportErrors as errors:
            for error in errors.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{len(errors.errors)} errors: nothing was imported.") from None
        for warning in result.warnings:
            self.stderr.write(f"Warning: {warning}")
        self.stdout.write(f"Safeguarding figures: {result.summary}")
