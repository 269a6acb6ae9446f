"""Safeguarding adults: a team's quarterly figures, its case-file audits and its training.

Aggregates only (DOMAIN.md "Personal data"): counts per quarter, never an adult's name; an audit keeps the
case reference of the council's case system and nothing else about the person. The timeliness measures are
performance indicators (`TimelinessMeasure` links each to its `performance.Indicator`), so their targets,
RAG and trends are the performance app's.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from core.models import OrganisationUnit
from core.periods import Quarter
from performance.models import Indicator

from . import rules

# The breakdowns of a quarter's figures, as the import's `Breakdown` column writes them. The first three are
# single numbers ("All"); the others are counted per category of an admin-editable list.
TOTAL, ENQUIRIES, MULTIPLE_ABUSE = "total", "enquiries", "multiple_abuse"
SOURCE, ABUSE_TYPE, GENDER, AGE_BAND, CLIENT_GROUP = "source", "abuse_type", "gender", "age_band", "client_group"
LOCATION, SOURCE_OF_RISK, OUTCOME, MSP_ASKED, MSP_ACHIEVED = (
    "location", "source_of_risk", "outcome", "msp_asked", "msp_achieved",
)
TOTALS = [
    (TOTAL, "Concerns (alerts and referrals)"),
    (ENQUIRIES, "Section 42 enquiries"),
    (MULTIPLE_ABUSE, "Cases with multiple abuse"),
]
LISTS = [
    (SOURCE, "Source of referral"),
    (ABUSE_TYPE, "Type of abuse"),
    (GENDER, "Gender"),
    (AGE_BAND, "Age band"),
    (CLIENT_GROUP, "Client group"),
    (LOCATION, "Location of risk"),
    (SOURCE_OF_RISK, "Source of risk"),
    (OUTCOME, "Outcome"),
    (MSP_ASKED, "Making Safeguarding Personal: asked about desired outcomes"),
    (MSP_ACHIEVED, "Making Safeguarding Personal: desired outcomes achieved"),
]
BREAKDOWN_CHOICES = TOTALS + LISTS
BREAKDOWN_NAMES = dict(BREAKDOWN_CHOICES)
TOTAL_KEYS = [key for key, _ in TOTALS]
LIST_KEYS = [key for key, _ in LISTS]


def category_key(name):
    """A category name as matched: ignoring case, spacing and the kind of dash ("Care home - Nursing" is
    "Care home – nursing", "Self  referrals" is "Self Referrals")."""
    return "".join(str(name or "").lower().replace("–", "-").replace("—", "-").split())


class CategoryQuerySet(models.QuerySet):
    def by_breakdown(self):
        """{breakdown: [Category in order]} of every list (one query)."""
        lists = {key: [] for key in LIST_KEYS}
        for category in self.order_by("breakdown", "order", "name"):
            lists.setdefault(category.breakdown, []).append(category)
        return lists


class Category(models.Model):
    """One category of a breakdown (a source, a type of abuse, an age band…). Admins edit the lists; a data
    migration loads seed 004's categories and the national Safeguarding Adults Collection's."""

    breakdown = models.CharField(max_length=20, choices=LISTS)
    name = models.CharField(max_length=120)
    other_names = models.CharField(
        max_length=300, blank=True,
        help_text="Other names an import may use for it, separated by semicolons (seed 004 writes 'Financial' "
                  "for the collection's 'Financial or material')",
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Offered on the data entry page; old figures keep it")

    objects = CategoryQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["breakdown", "order", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["breakdown", "name"], name="one_category_name_a_list")]

    def __str__(self):
        return self.name

    def keys(self):
        """Every name the category answers to, as matched."""
        names = [self.name, *self.other_names.split(";")]
        return {category_key(name) for name in names if name.strip()}

    def clean(self):
        taken = {}
        for other in Category.objects.filter(breakdown=self.breakdown).exclude(pk=self.pk):
            for key in other.keys():
                taken[key] = other
        clash = sorted(key for key in self.keys() if key in taken)
        if clash:
            raise ValidationError(f"'{clash[0]}' already names '{taken[clash[0]]}' in this list: an import could "
                                  "not tell them apart")


class Team(models.Model):
    """A safeguarding team: the organisation unit whose figures these are. Its figures and audits are visible to
    the people of that unit and the units above it, and to admins (`core.roles.visible_to`)."""

    unit = models.OneToOneField(OrganisationUnit, on_delete=models.PROTECT, related_name="safeguarding_team")
    indicator_prefix = models.CharField(
        max_length=20, unique=True, default="SG",
        help_text="The timeliness measures' indicator codes start with it: SG 01 … SG 07",
    )

    class Meta:
        ordering = ["unit__name"]

    def __str__(self):
        return str(self.unit)


class QuarterlyReturnQuerySet(models.QuerySet):
    def for_quarters(self, team, quarters):
        return self.filter(team=team, quarter_start__in=[quarter.start for quarter in quarters])


class QuarterlyReturn(models.Model):
    """A team's figures for one financial quarter: its counts (`BreakdownCount`) and the outcomes it reports."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="returns")
    quarter_start = models.DateField(help_text="The first day of the quarter: 1 January 2010 for Q4 2009/10")
    selected_outcomes = models.TextField(
        blank=True, max_length=10000,
        help_text="Some recent outcomes, for the report to the Cabinet Member: one a line, never a name",
    )
    note = models.CharField(max_length=300, blank=True, help_text="Where the figures come from: 'Demo data' for invented ones")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    entered_at = models.DateTimeField(auto_now=True)

    objects = QuarterlyReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "quarter_start"]
        constraints = [models.UniqueConstraint(fields=["team", "quarter_start"], name="one_return_a_quarter")]

    def __str__(self):
        return f"{self.team}: {self.quarter.name}"

    @property
    def quarter(self):
        return Quarter.of(self.quarter_start)

    def clean(self):
        if self.quarter_start and self.quarter.start != self.quarter_start:
            raise ValidationError({"quarter_start": f"A quarter starts on its first day: {self.quarter.start:%-d %B %Y}"})


class BreakdownCount(models.Model):
    """How many of a quarter's cases fall in one category of a breakdown (or, for the totals, how many in all)."""

    quarterly_return = models.ForeignKey(QuarterlyReturn, on_delete=models.CASCADE, related_name="counts")
    breakdown = models.CharField(max_length=20, choices=BREAKDOWN_CHOICES)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.PROTECT, related_name="counts")
    count = models.PositiveIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["quarterly_return", "breakdown", "category__order"]
        constraints = [
            models.UniqueConstraint(fields=["quarterly_return", "breakdown", "category"], name="one_count_a_category"),
            # A total has no category; a list's count always has one (NULLs are never equal, so the first
            # constraint alone would let a total be counted twice).
            models.UniqueConstraint(fields=["quarterly_return", "breakdown"], condition=models.Q(category__isnull=True),
                                    name="one_total_a_breakdown"),
        ]

    def clean(self):
        if self.breakdown in TOTAL_KEYS and self.category_id:
            raise ValidationError({"category": f"{BREAKDOWN_NAMES[self.breakdown]} is one number: it has no category"})
        if self.breakdown in LIST_KEYS:
            if not self.category_id:
                raise ValidationError({"category": f"Choose a category of {BREAKDOWN_NAMES[self.breakdown].lower()}"})
            if self.category.breakdown != self.breakdown:
                raise ValidationError({"category": f"'{self.category}' is not in the {BREAKDOWN_NAMES[self.breakdown].lower()} list"})


class TimelinessMeasure(models.Model):
    """One of a team's timeliness measures, kept as a quarterly performance indicator (its numerator and
    denominator per quarter, or for the median a value), so that it has targets, RAG and a trend there."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="timeliness_measures")
    measure = models.CharField(max_length=30, choices=[(key, spec.name) for key, spec in rules.TIMELINESS.items()])
    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="safeguarding_measure")

    class Meta:
        ordering = ["team", "indicator__code"]
        constraints = [models.UniqueConstraint(fields=["team", "measure"], name="one_indicator_a_measure")]

    def __str__(self):
        return str(self.indicator)

    @property
    def spec(self):
        return rules.TIMELINESS[self.measure]


class AuditType(models.Model):
    """What an audit looks at (risk assessment, protection plan…) and the share of audits rated good or
    excellent it aims for (seed 004, Annex B: 70%, strategy meeting notes 75%)."""

    name = models.CharField(max_length=120, unique=True)
    target_percent = models.PositiveSmallIntegerField(
        default=rules.AUDIT_TARGET_PERCENT, validators=[MaxValueValidator(100)],
        help_text="The share rated good or excellent aimed for, in per cent",
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


# A case system's reference: letters, digits, "/" and "-", with at least one digit, so that it cannot be a name.
CASE_REFERENCE = re.compile(r"(?=.*\d)[A-Za-z0-9][A-Za-z0-9/\-]*")
case_reference_validator = RegexValidator(
    f"^{CASE_REFERENCE.pattern}$",
    "Give the case reference of the case system (letters, digits, / and -, with at least one digit), never a name",
)


class CaseFileAuditQuerySet(models.QuerySet):
    def in_quarter(self, quarter):
        return self.filter(audit_date__range=(quarter.start, quarter.end))


class CaseFileAudit(models.Model):
    """An audit of one case file by an auditor (seed 004, Annex B, Appendix 1). The case is named only by the
    case system's reference; a poor or unacceptable score is a serious exception, reported to DMT within 14 days."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="audits")
    audit_date = models.DateField()
    case_reference = models.CharField(max_length=30, validators=[case_reference_validator],
                                      help_text="The case system's reference, never a name")
    auditor = models.CharField(max_length=200, help_text="The auditor's post or name (staff, never the adult's)")
    audit_type = models.ForeignKey(AuditType, on_delete=models.PROTECT, related_name="audits")
    score = models.CharField(max_length=20, choices=rules.SCORE_CHOICES)
    reported_to_dmt = models.DateField(null=True, blank=True, verbose_name="reported to DMT",
                                       help_text="For a poor or unacceptable score: the day it went to DMT")
    note = models.CharField(max_length=300, blank=True)

    objects = CaseFileAuditQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "-audit_date", "case_reference"]
        indexes = [models.Index(fields=["team", "audit_date"], name="audit_team_date")]

    def __str__(self):
        return f"{self.case_reference} ({self.audit_type}, {self.audit_date:%-d %b %Y})"

    @property
    def is_serious_exception(self):
        return self.score in rules.SERIOUS_SCORES

    def clean(self):
        if self.reported_to_dmt and self.audit_date and self.reported_to_dmt < self.audit_date:
            raise ValidationError({"reported_to_dmt": "Cannot be before the audit"})


class TrainingCourse(models.Model):
    """A safeguarding course (alerter, investigator, manager for investigators…): an admin-editable list."""

    name = models.CharField(max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class TrainingSession(models.Model):
    """Attendance at a course on a day (seed 004, item 7, "1. Training"); totals are counted per quarter."""

    LEVELS = [
        ("1", "Level 1: awareness (alerters)"),
        ("2", "Level 2: investigators"),
        ("3", "Level 3: managers"),
        ("4", "Level 4: chairs and leads"),
    ]

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="training")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="sessions")
    level = models.CharField(max_length=2, choices=LEVELS, blank=True)
    date = models.DateField()
    agency = models.CharField(max_length=200, verbose_name="agency or sector", help_text="Council, NHS, police, voluntary sector…")
    attendees = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "-date", "course__order"]
        indexes = [models.Index(fields=["team", "date"], name="training_team_date")]

    def __str__(self):
        return f"{self.course}, {self.date:%-d %b %Y}: {self.attendees}"
