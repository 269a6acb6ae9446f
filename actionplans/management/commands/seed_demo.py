import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actionplans import spreadsheet
from actionplans.models import InspectionJudgement, Lead
from core.models import OrganisationUnit, Profile

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

# Each demo plan: its file, its milestones, the unit that owns it, and what the
# source documents say that the import format does not carry.
DEMO_PLANS = [
    {
        "file": "kent_areas_of_improvement_2010_11.csv",
        "milestones": "kent_areas_of_improvement_2010_11_milestones.csv",
        "unit": "Kent Adult Social Services",
        "judgements": [],
    },
    {
        "file": "sefton_improvement_plan_2010.csv",
        "milestones": "sefton_improvement_plan_2010_milestones.csv",
        "unit": "Sefton Adult Social Care",
        # Seed 004: the CQC's judgements of its service inspection of Sefton (published 16 March 2010).
        "judgements": [
            ("Safeguarding adults", "performing well"),
            ("Improved quality of life for older people", "performing excellently"),
            ("Increased choice and control for older people", "performing well"),
            ("Capacity to improve", "promising"),
        ],
    },
]
DIRECTORATE = "Adult Social Care Directorate"

# Seed 001: Kent's Families and Social Care directorate and its four divisions, each with its 2013/14
# business plan as monitored at mid-year (the end of September 2013). Their counts reproduce the seed's
# business plan dashboard (5.3); actions the seed does not name say "Demo data" in their expected evidence.
FSC_DIRECTORATE = ("Families and Social Care Directorate", "FSC")
FSC_DIVISIONS = [
    ("fsc_business_plan_2013_14_scs.csv", "Specialist Children's Services", "SCS"),
    ("fsc_business_plan_2013_14_oppd.csv", "Older People and Physical Disability", "OPPD"),
    ("fsc_business_plan_2013_14_ldmh.csv", "Learning Disability and Mental Health", "LDMH"),
    ("fsc_business_plan_2013_14_sc.csv", "Strategic Commissioning", "SC"),
]
DEMO_PLANS += [
    {"file": file, "unit": name, "short_name": short_name, "directorate": FSC_DIRECTORATE, "judgements": []}
    for file, name, short_name in FSC_DIVISIONS
]

# Demo accounts: the officer leads actions in both plans (seed 000's lead officer,
# seed 004's safeguarding co-ordinator).
DEMO_USERS = [
    ("officer", "Olivia", "Officer", Profile.OFFICER, "Kent Adult Social Services", False),
    ("manager", "Manon", "Manager", Profile.MANAGER, DIRECTORATE, False),
    ("admin", "Ada", "Admin", Profile.MANAGER, DIRECTORATE, True),
]
OFFICER_LEADS = ["Margaret Howard", "Safeguarding co-ordinator"]


class Command(BaseCommand):
    help = (
        "Load the demo plans (Kent, Sefton, Kent's FSC business plans) from fixtures/ through the importer. "
        "Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--with-demo-users", action="store_true", help="create officer, manager and admin logins")

    @transaction.atomic
    def handle(self, *args, **options):
        for demo in DEMO_PLANS:
            directorate_name, directorate_short_name = demo.get("directorate", (DIRECTORATE, ""))
            directorate, _ = OrganisationUnit.objects.get_or_create(
                name=directorate_name, parent=None,
                defaults={"level": OrganisationUnit.DIRECTORATE, "short_name": directorate_short_name},
            )
            # Made before the import: a business plan's rows name their owning unit by its short name.
            unit, _ = OrganisationUnit.objects.get_or_create(
                name=demo["unit"], parent=directorate,
                defaults={"level": OrganisationUnit.DIVISION, "short_name": demo.get("short_name", "")},
            )
            milestones = demo.get("milestones")
            try:
                result = spreadsheet.import_plan_file(
                    (FIXTURES / demo["file"]).read_bytes(),
                    demo["file"],
                    milestone_data=(FIXTURES / milestones).read_bytes() if milestones else None,
                    milestone_filename=milestones,
                )
            except (spreadsheet.SpreadsheetError, spreadsheet.ImportErrors) as error:
                raise CommandError(f"{demo['file']}: {error}") from None
            for plan in result.plans:
                if plan.unit_id != unit.pk:
                    plan.unit = unit
                    plan.save()
                for order, (outcome, judgement) in enumerate(demo["judgements"]):
                    # Saved only when new or changed, so running again adds no empty change history.
                    found, created = InspectionJudgement.objects.get_or_create(
                        plan=plan, outcome=outcome, defaults={"judgement": judgement, "order": order}
                    )
                    if not created and (found.judgement, found.order) != (judgement, order):
                        found.judgement, found.order = judgement, order
                        found.save()
            self.stdout.write(result.summary)
        if options["with_demo_users"]:
            self.create_demo_users()

    def create_demo_users(self):
        User = get_user_model()
        self.stdout.write("Demo logins (passwords are new on every run):")
        for username, first, last, role, unit_name, is_admin in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.is_staff = user.is_superuser = is_admin
            user.save()
            Profile.objects.update_or_create(
                user=user, defaults={"role": role, "unit": OrganisationUnit.objects.get(name=unit_name)}
            )
            self.stdout.write(f"  {username:8} {password}   ({'admin' if is_admin else role})")
        officer = User.objects.get(username="officer")
        Lead.objects.filter(name__in=OFFICER_LEADS).update(user=officer)
        # Only these: seed_indicators links the officer to a lead of its own, and `make run` runs both again.
        linked = Lead.objects.filter(user=officer, name__in=OFFICER_LEADS).count()
        if linked != len(OFFICER_LEADS):
            raise CommandError(f"Expected the demo officer to lead {OFFICER_LEADS}; found {linked} of them.")
        self.stdout.write(f"  The officer leads the actions of: {', '.join(OFFICER_LEADS)}.")


