from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actionplans import export
from actionplans.models import Plan
from core.asat import AsAtError, parse_day
from core.periods import today


class Command(BaseCommand):
    help = "Export a plan, as at a date, in the import format plus RAG and RAG reason."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's id or exact title")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--as-at", help="YYYY-MM-DD; default today")
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, **options):
        key = options["plan"]
        plan = Plan.objects.filter(pk=int(key)).first() if key.isdigit() else None
        plan = plan or Plan.objects.filter(title=key).first()
        if plan is None:
            raise CommandError(f"No plan with id or title '{key}'.")
        try:
            day = parse_day(options["as_at"]) or today()
        except AsAtError as error:
            raise CommandError(f"--as-at '{options['as_at']}': {error}.") from None
        content, _, _ = export.export_plan(plan, day, options["format"])
        output = Path(options["output"])
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
        rows = plan.actions.count()
        self.stdout.write(f"Exported '{plan.title}' as at {day.isoformat()}: {rows} actions to {output}.")
