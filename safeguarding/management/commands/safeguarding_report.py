from django.core.management.base import BaseCommand, CommandError

from core.commands import write_output
from core.documents import DocumentUnavailable
from safeguarding import report, selectors
from safeguarding.management.commands.import_safeguarding import team_named
from safeguarding.models import Team


class Command(BaseCommand):
    help = 'Write the quarterly safeguarding report to the Cabinet Member, e.g. safeguarding_report "2009/10 Q4" --format pdf --output report.pdf (html, docx or pdf)'

    def add_arguments(self, parser):
        parser.add_argument("quarter", help="like 2009/10 Q4")
        parser.add_argument("--format", default="html", help=" | ".join(report.FORMATS))
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--team", help="the team's unit, when there is more than one team")

    def handle(self, *args, **options):
        if options["format"] not in report.FORMATS:
            raise CommandError(f"--format {options['format']!r} is not a format of this report: use {', '.join(report.FORMATS)}.")
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
        quarterly = selectors.quarterly_report(team, quarter)
        try:
            content, _, _ = report.render(quarterly, options["format"])
        except DocumentUnavailable as error:
            raise CommandError(str(error)) from error
        output = write_output(options["output"], content)
        self.stdout.write(f"Wrote the safeguarding report for {quarter.name} ({team}) to {output}.")
