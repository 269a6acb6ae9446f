from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from safeguarding import selectors
from safeguarding.management.commands.import_safeguarding import team_named
from safeguarding.models import Team

# Word and PDF come with the document machinery the other reports use; the read model is ready for them.
FORMATS = ["html"]


class Command(BaseCommand):
    help = 'Write the quarterly safeguarding report to the Cabinet Member, e.g. safeguarding_report "2009/10 Q4" --format html --output report.html'

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="like 2009/10 Q4")
        parser.add_argument("--format", default="html", help="html")
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--team", help="the team's unit, when there is more than one team")

    def handle(self, *args, **options):
        if options["format"] not in FORMATS:
            raise CommandError(f"--format {options['format']!r} is not available yet: use {', '.join(FORMATS)}.")
        quarter, error = selectors.read_quarter(options["quarter"])
        if error:
            raise CommandError(error)
        team = team_named(options["team"])
        if team is None:
            teams = list(Team.objects.select_related("unit")[:2])
            if len(teams) != 1:
                raise CommandError("Name the team with --team: " + (
                    "there is none set up." if not teams else "there is more than one."))
            team = teams[0]
        report = selectors.quarterly_report(team, quarter)
        output = Path(options["output"])
        output.write_text(render_to_string("safeguarding/report_document.html", {"report": report}), encoding="utf-8")
        self.stdout.write(f"Wrote the safeguarding report for {quarter.name} ({team}) to {output}.")
