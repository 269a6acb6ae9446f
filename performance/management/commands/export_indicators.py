from django.core.management.base import BaseCommand, CommandError

from core.commands import write_output
from performance import export, selectors
from performance.models import Indicator


class Command(BaseCommand):
    help = "Export every indicator's figures as at a month: value, YTD, rolling 12, out-turn, target, RAG and reason."

    def add_arguments(self, parser):
        parser.add_argument("--period", default="", help="the month, YYYY-MM; default the latest month with figures")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, **options):
        choice = selectors.choose_month(options["period"])
        if choice.error:
            raise CommandError(f"--period: {choice.error}.")
        if choice.month is None:
            raise CommandError("There are no figures yet: enter some readings first.")
        content, _, _ = export.export_indicators(choice.month, options["format"])
        output = write_output(options["output"], content)
        count = Indicator.objects.count()
        self.stdout.write(f"Exported {count} indicator{'s' if count != 1 else ''} as at {choice.month.name} to {output}.")
