import time

from django.core.management.base import BaseCommand, CommandError

from actionplans import state
from core.asat import AsAtError, parse_day
from core.periods import today


class Command(BaseCommand):
    help = (
        "Store every action's status, RAG, overdue and update freshness for today (what passed its due date "
        "overnight turns Red). Idempotent: run it daily from cron or a systemd timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", help="rate as on this day, YYYY-MM-DD (default today); for checks, not for cron")

    def handle(self, *args, **options):
        try:
            day = parse_day(options["on"]) or today()
        except AsAtError as error:
            raise CommandError(f"--on '{options['on']}': {error}.") from None
        started = time.perf_counter()
        changed = state.refresh(on=day)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Rated actions on {day.isoformat()}: {changed} changed, in {elapsed:.1f} s.")
