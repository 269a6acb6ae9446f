import time

from django.core.management.base import BaseCommand

from actionplans import state
from core.periods import today


class Command(BaseCommand):
    help = (
        "Store every action's status, RAG, overdue and update freshness for today (what passed its due date "
        "overnight turns Red). Idempotent: run it daily from cron or a systemd timer."
    )

    def handle(self, *args, **options):
        day = today()
        started = time.perf_counter()
        changed = state.refresh(on=day)
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Rated actions on {day.isoformat()}: {changed} changed, in {elapsed:.1f} s.")
