import secrets
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import OrganisationUnit, Profile
from core.periods import parse_period
from core.spreadsheets import ImportErrors, SpreadsheetError
from performance.spreadsheet import FORMAT_LABELS, import_indicator_file
from safeguarding import lists, services
from safeguarding.models import AuditType, CaseFileAudit, Category, QuarterlyReturn, TrainingCourse, TrainingSession
from safeguarding.spreadsheet import import_safeguarding_file

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "safeguarding"
# Seed 004 is Sefton's: its safeguarding team sits under the Sefton division seed_demo makes.
DIVISION = "Sefton Adult Social Care"
TEAM_UNIT = "Safeguarding Adults Team"
SEED_QUARTER = parse_period("2009/10 Q4")
SEED_NOTE = "Seed 004, agenda item 7: quarterly update on Safeguarding Adults, January to March 2010"
DEMO_NOTE = "Demo data: invented for the trend, not from the seed"
# Seed 004, agenda item 7, 3: "Some recent outcomes include".
SEED_OUTCOMES = "\n".join([
    "Prosecution of a care worker for inappropriate behaviour whilst working with a vulnerable person.",
    "Removal of a vulnerable person from the community to a residential care setting on a temporary basis to reduce "
    "the accumulated stress levels between the person and their full time carer. This allowed for opportunity to "
    "carefully plan for future care needs.",
    "No further actions against care staff following unsubstantiated allegations of physical abuse and neglect "
    "allegedly experienced by a vulnerable person accessing respite care.",
    "A vulnerable person having a substantial sum of money returned to them following the interception of the Legal "
    "Department, which had previously been lent in good faith.",
])
# Seed 004, agenda item 7, 1. Training. Only the alerters' March date is printed; the others are filed on the
# quarter's last day.
SEED_TRAINING = [
    ("Alerter", "1", date(2010, 3, 31), "Council, partner and voluntary organisations", 530,
     "Run by 'Afta thought' in March 2010"),
    ("Alerter", "1", date(2010, 3, 31), "Voluntary groups linked to CVS", 6, "Date in the quarter not printed"),
    ("Manager for investigators", "3", date(2010, 3, 31), "Council", 11, "Date in the quarter not printed"),
    ("Refresher for investigators", "2", date(2010, 3, 31), "Council", 12, "Date in the quarter not printed"),
]
DEMO_TRAINING = [
    ("Alerter", "1", date(2009, 11, 18), "Independent sector care providers", 140),
    ("Investigator", "2", date(2009, 12, 2), "Council", 14),
    ("Alerter", "1", date(2009, 2, 11), "Council and NHS", 95),
    ("Investigator", "2", date(2009, 3, 4), "Council", 10),
    ("Safe and effective decision-making", "2", date(2009, 9, 23), "Council", 20),
]
# Invented (audits begin in August 2010 in the plan): one of each kind of serious exception the overview shows.
DEMO_AUDITS = [
    (date(2010, 1, 12), "SG/2009/4411", "Safeguarding co-ordinator", "Risk assessment", "good", None),
    (date(2010, 1, 19), "SG/2009/4502", "Safeguarding co-ordinator", "Protection plan", "excellent", None),
    (date(2010, 2, 3), "SG/2010/0117", "Safeguarding co-ordinator", "Case file", "adequate", None),
    (date(2010, 2, 9), "SG/2010/0150", "Team manager", "Strategy meeting notes", "poor", date(2010, 3, 1)),
    (date(2010, 2, 16), "SG/2010/0203", "Safeguarding co-ordinator", "Risk assessment", "good", None),
    (date(2010, 3, 2), "SG/2010/0288", "Team manager", "Protection plan", "unacceptable", date(2010, 3, 10)),
    (date(2010, 3, 9), "SG/2010/0311", "Safeguarding co-ordinator", "Case file", "good", None),
    (date(2010, 3, 16), "SG/2010/0342", "Safeguarding co-ordinator", "Supervision", "poor", None),
    (date(2010, 3, 23), "SG/2010/0360", "Team manager", "Case file", "excellent", None),
    (date(2009, 12, 8), "SG/2009/4090", "Safeguarding co-ordinator", "Case file", "good", None),
    (date(2009, 12, 15), "SG/2009/4123", "Safeguarding co-ordinator", "Risk assessment", "adequate", None),
]
COORDINATOR = ("coordinator", "Sam", "Coordinator")


class Command(BaseCommand):
    help = (
        "Load the demo safeguarding team and its figures: seed 004's January to March 2010 quarter as printed, "
        "invented earlier quarters marked demo data, timeliness targets and readings, training and audits. "
        "Safe to run again; run seed_demo first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--with-demo-users", action="store_true",
                            help="create the 'coordinator' login, an officer of the safeguarding team")

    @transaction.atomic
    def handle(self, *args, **options):
        division = OrganisationUnit.objects.filter(name=DIVISION).first()
        if division is None:
            raise CommandError(f"No unit named {DIVISION!r}: run seed_demo first.")
        unit, _ = OrganisationUnit.objects.get_or_create(name=TEAM_UNIT, parent=division,
                                                         defaults={"level": OrganisationUnit.TEAM})
        lists.load(Category, AuditType, TrainingCourse)  # the migration's, unless a flush emptied the tables
        team = services.set_up_team(unit=unit)
        try:
            path = FIXTURES / "sefton_quarterly_figures.csv"
            result = import_safeguarding_file(path.read_bytes(), path.name, team=team)
            self.stdout.write(f"{path.name}: {result.summary}")
            for kind in ("targets", "readings"):
                path = FIXTURES / f"sefton_timeliness_{kind}.csv"
                result = import_indicator_file(path.read_bytes(), path.name)
                self.stdout.write(f"{path.name}: {FORMAT_LABELS[result.format]}: {result.summary}")
        except (SpreadsheetError, ImportErrors) as error:
            raise CommandError(f"{path.name}: {error}") from None
        for quarterly_return in QuarterlyReturn.objects.filter(team=team):
            is_seed = quarterly_return.quarter == SEED_QUARTER
            wanted = {"note": SEED_NOTE if is_seed else DEMO_NOTE,
                      "selected_outcomes": SEED_OUTCOMES if is_seed else quarterly_return.selected_outcomes}
            if any(getattr(quarterly_return, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(quarterly_return, name, value)
                quarterly_return.save()
        courses = {course.name: course for course in TrainingCourse.objects.all()}
        for course, level, day, agency, attendees, *note in [
            *SEED_TRAINING, *((*row, DEMO_NOTE) for row in DEMO_TRAINING)
        ]:
            TrainingSession.objects.get_or_create(
                team=team, course=courses[course], date=day, agency=agency,
                defaults={"level": level, "attendees": attendees, "note": note[0]},
            )
        audit_types = {audit_type.name: audit_type for audit_type in AuditType.objects.all()}
        for day, reference, auditor, audit_type, score, reported in DEMO_AUDITS:
            CaseFileAudit.objects.get_or_create(
                team=team, case_reference=reference, audit_date=day,
                defaults={"auditor": auditor, "audit_type": audit_types[audit_type], "score": score,
                          "reported_to_dmt": reported, "note": DEMO_NOTE},
            )
        self.stdout.write(f"Safeguarding: {team} with {team.returns.count()} quarters, "
                          f"{team.training.count()} training sessions and {team.audits.count()} audits.")
        if options["with_demo_users"]:
            self.create_coordinator(unit)

    def create_coordinator(self, unit):
        username, first, last = COORDINATOR
        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        Profile.objects.update_or_create(user=user, defaults={"role": Profile.OFFICER, "unit": unit})
        self.stdout.write(f"  {username:11} {password}   (officer of the {unit})")
