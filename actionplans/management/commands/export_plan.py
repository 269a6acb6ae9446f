from django.core.management.base import BaseCommand, CommandError

from actionplans import reports, selectors
from actionplans.models import Plan
from core.asat import AsAtError, parse_day
from core.commands import write_output
from core.documents import DocumentUnavailable
from core.periods import today


class Command(BaseCommand):
    help = (
        "Export a plan as at a date: as a committee report (html, docx, pdf) or in the import format plus RAG and "
        "RAG reason (csv, xlsx)."
    )

    def add_arguments(self, parser):
        parser.add_argument("plan", help="the plan's id or exact title")
        parser.add_argument("--format", choices=reports.FORMATS, default="csv")
        parser.add_argument("--layout", choices=list(reports.LAYOUTS), help="the report's columns (docx, pdf, html)")
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
        report = selectors.plan_report(plan, day)
        try:
            layout = reports.layout_for(report, options["layout"] or "")
            content, _, _ = reports.render(report, options["format"], layout, changes=reports.changes_for(report))
        except DocumentUnavailable as error:
            raise CommandError(str(error)) from None
        output = write_output(options["output"], content)
        rows = sum(1 for _ in report.rows)
        self.stdout.write(f"Exported '{plan.title}' as at {day.isoformat()}: {rows} actions to {output}.")
