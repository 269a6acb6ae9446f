from django.core.management.base import BaseCommand, CommandError

from actionplans import state as actionplans_state
from core.commands import write_output
from core.documents import DocumentUnavailable
from performance import report, selectors
from performance.models import Indicator


class Command(BaseCommand):
    help = (
        "Write the performance report (every indicator by domain, seed 001's RAG key, business plan monitoring) "
        "as at a month, as a committee appendix."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="YYYY-MM; default the latest month with figures")
        parser.add_argument("--format", choices=report.FORMATS, default="pdf")
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, **options):
        choice = selectors.choose_month(options["period"])
        if choice.error:
            raise CommandError(f"--period: {choice.error}.")
        if choice.month is None:
            raise CommandError("There are no indicator figures to report yet.")
        actionplans_state.ensure_rated_today()
        made = report.performance_report(choice.month, Indicator.objects.all())
        try:
            content, _, _ = report.render(made, options["format"], changes=report.changes_for(made, choice.month))
        except DocumentUnavailable as error:
            raise CommandError(str(error)) from None
        output = write_output(options["output"], content)
        count = sum(1 for _ in made.indicators)
        self.stdout.write(f"Exported the performance report for {choice.month.name}: {count} indicators to {output}.")
