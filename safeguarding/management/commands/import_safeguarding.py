from django.core.management.base import BaseCommand, CommandError

from core.imports import import_file_for_command
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
        team = team_named(options["team"])
        result = import_file_for_command(
            self, options["file"],
            lambda data, name: import_safeguarding_file(data, name, dry_run=options["dry_run"], team=team),
        )
        self.stdout.write(f"Safeguarding figures: {result.summary}")
