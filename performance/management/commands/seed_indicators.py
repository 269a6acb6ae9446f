from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actionplans.models import Lead
from core.spreadsheets import ImportErrors, SpreadsheetError
from performance.spreadsheet import FORMAT_LABELS, import_indicator_file

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "indicators"
# Each set in the order the importer needs: indicators before what refers to them.
DEMO_SETS = ["kent_2009_10", "sefton_2009_10", "fsc_monthly"]
FORMATS = ["indicators", "targets", "readings", "benchmarks"]
# The demo officer (seed_demo --with-demo-users) is Kent's Head of Performance too: the indicators that post
# is accountable for are theirs to enter on the data entry page.
OFFICER_POST = "Head of Performance"


class Command(BaseCommand):
    help = (
        "Load the demo indicators, targets, readings and benchmarks (Kent 2009/10, Sefton 2009/10, Kent FSC monthly) "
        "from fixtures/indicators/ through the importer. Safe to run again; run seed_demo first."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        for demo in DEMO_SETS:
            for kind in FORMATS:
                path = FIXTURES / f"{demo}_{kind}.csv"
                if not path.exists():
                    continue
                try:
                    result = import_indicator_file(path.read_bytes(), path.name)
                except (SpreadsheetError, ImportErrors) as error:
                    raise CommandError(f"{path.name}: {error}") from None
                self.stdout.write(f"{path.name}: {FORMAT_LABELS[result.format]}: {result.summary}")
        officer = get_user_model().objects.filter(username="officer").first()
        if officer is not None:
            Lead.objects.filter(name=OFFICER_POST, user__isnull=True).update(user=officer)
            self.stdout.write(f"The demo officer enters the indicators of: {OFFICER_POST}.")
