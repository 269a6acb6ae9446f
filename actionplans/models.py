"""Improvement plans: plans, areas, recommendations, actions, leads, milestones and progress.

Derived facts (due dates from timescales, RAG, what a plan looked like "as at" a
day) come from the pure rules in `timescales.py` and `rag.py`; the models feed
them the values they hold.
"""

import datetime
import re
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from simple_history.models import HistoricalRecords

from core.models import OrganisationUnit
from core.queries import Compiled
from core.rag import COLOUR_CHOICES, COLOUR_ORDER, GREY

from . import rag, timescales


# Longest text a cell may hold: well under Excel's 32,767 characters a cell, so that no export
# is ever cut, and the same on the forms and on import.
LONG_TEXT = 4000  # an action, a recommendation, a milestone
NARRATIVE_TEXT = 10000  # a progress update, expected evidence


def natural_key(number):
    """A sort key that puts 1.2 before 1.10 and 9 before 10."""
    parts = re.findall(r"\d+|[^\d.\s]+", str(number or "").lower())
    return ".".join(part.zfill(6) if part.isdigit() else part for part in parts)


def name_key(name):
    """How two spellings of one lead's name are matched: case and spacing ignored."""
    return " ".join(str(name or "").lower().split())


class Lead(models.Model):
    PERSON, POST, BODY = "person", "post", "body"
    KINDS = [(PERSON, "Person"), (POST, "Post"), (BODY, "Body")]

    name = models.CharField(max_length=200, help_text="As the plan writes it: a name, a post, or a body")
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    initials = models.CharField(max_length=10, blank=True)
    kind = models.CharField(max_length=10, choices=KINDS, default=PERSON)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    unit = models.ForeignKey(OrganisationUnit, null=True, blank=True, on_delete=models.SET_NULL)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.display(self.name, self.initials)

    @staticmethod
    def display(name, initials):
        """How a lead is shown: with initials where the name lacks them, "Alison Hughes (AH)"."""
        return f"{name} ({initials})" if initials and initials not in name else name

    def derive_fields(self):
        """What save() derives; the importer's bulk writes call it too."""
        self.name_key = name_key(self.name)

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)


class PlanQuerySet(models.QuerySet):
    def with_actions_where(self, **stored_state):
        """Plans with at least one action in that stored state, e.g. `rag_colour="red"` or `overdue=True`."""
        return self.filter(Exists(Action.objects.filter(plan=OuterRef("pk"), **stored_state)))


class Plan(models.Model):
    CQC_INSPECTION = "cqc_inspection"
    CQC_ASSESSMENT = "cqc_assessment"
    ANNUAL_PERFORMANCE_ASSESSMENT = "annual_performance_assessment"
    OFSTED = "ofsted"
    BUSINESS_PLAN = "business_plan"
    INTERNAL_AUDIT = "internal_audit"
    OTHER = "other"
    SOURCES = [
        (CQC_INSPECTION, "CQC inspection"),
        (CQC_ASSESSMENT, "CQC assessment"),
        (ANNUAL_PERFORMANCE_ASSESSMENT, "Annual performance assessment"),
        (OFSTED, "Ofsted"),
        (BUSINESS_PLAN, "Business plan"),
        (INTERNAL_AUDIT, "Internal audit"),
        (OTHER, "Other"),
    ]

    DRAFT, ACTIVE, CLOSED = "draft", "active", "closed"
    STATUSES = [(DRAFT, "Draft"), (ACTIVE, "Active"), (CLOSED, "Closed")]

    title = models.CharField(max_length=300, unique=True)
    source = models.CharField(max_length=40, choices=SOURCES, default=CQC_INSPECTION)
    source_date = models.DateField(
        null=True, blank=True, help_text="The date of the inspection, assessment or plan the actions answer"
    )
    unit = models.ForeignKey(
        OrganisationUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
        verbose_name="owning unit",
    )
    rag_scheme = models.CharField(
        "RAG scheme", max_length=20, choices=list(rag.SCHEME_LABELS.items()), blank=True,
        help_text="Leave blank for the default: business plan scheme for business plans, BRAG otherwise",
    )
    status = models.CharField(max_length=10, choices=STATUSES, default=ACTIVE)
    update_interval_months = models.PositiveSmallIntegerField(
        "update interval (months)", default=3,
        help_text="An open action with no progress update for this long is shown as update overdue",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    @classmethod
    def default_scheme(cls, source):
        """The RAG scheme a plan from `source` takes unless one is chosen."""
        return rag.BUSINESS if source == cls.BUSINESS_PLAN else rag.IMPROVEMENT

    def derive_fields(self):
        """What save() derives; the importer's bulk writes call it too."""
        if not self.rag_scheme:
            self.rag_scheme = self.default_scheme(self.source)

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.pk])


class InspectionJudgement(models.Model):
    """How an inspection graded one outcome area, or the council's capacity to improve."""

    GRADES = [
        ("performing poorly", "Performing poorly"),
        ("performing adequately", "Performing adequately"),
        ("performing well", "Performing well"),
        ("performing excellently", "Performing excellently"),
        ("poor", "Poor"),
        ("uncertain", "Uncertain"),
        ("promising", "Promising"),
        ("excellent", "Excellent"),
    ]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="judgements")
    outcome = models.CharField(max_length=200, help_text='The outcome area, or "Capacity to improve"')
    judgement = models.CharField(max_length=30, choices=GRADES)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]

    def __str__(self):
        return f"{self.outcome}: {self.get_judgement_display()}"


class Area(models.Model):
    """An ordered heading of a plan: outcome area, improvement area or priority."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="areas")
    title = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "title"], name="unique_area_title_in_plan")]

    def __str__(self):
        return self.title


class Recommendation(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="recommendations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="recommendations")
    number = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=100, editable=False, db_index=True)
    text = models.TextField(max_length=LONG_TEXT)
    page_reference = models.CharField(max_length=50, blank=True, help_text="Page of the inspection report")
    measurable_indicator = models.TextField(blank=True, max_length=LONG_TEXT)
    desired_outcome = models.TextField(blank=True, max_length=LONG_TEXT)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_recommendation_number")]

    def __str__(self):
        return f"Recommendation {self.number}"

    def derive_fields(self):
        """What save() derives; the importer's bulk writes call it too."""
        self.sort_key = natural_key(self.number)

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)


class ActionQuerySet(models.QuerySet):
    def for_lead(self, user):
        return self.filter(leads__user=user).distinct()

    def responsible_to(self, unit_ids):
        """Actions whose responsible unit (`Action.responsible_unit_id`: its own, else its plan's) is one of these."""
        return self.filter(Q(unit_id__in=unit_ids) | Q(unit__isnull=True, plan__unit_id__in=unit_ids))

    def with_latest_narrative(self, day):
        """Each action's latest progress update with a narrative on or before `day`, as
        `latest_narrative` and `latest_narrative_on`, without loading its history."""
        latest = (
            ProgressUpdate.objects.filter(action=OuterRef("pk"), date__lte=day)
            .exclude(narrative="")
            .order_by("-date", "-id")
        )
        return self.annotate(
            latest_narrative=Subquery(latest.values("narrative")[:1]),
            latest_narrative_on=Subquery(latest.values("date")[:1]),
        )

    @staticmethod
    def _state_counts():
        counts = {f"{colour}_count": Count("pk", filter=Q(rag_colour=colour)) for colour in COLOUR_ORDER}
        # What the business plan scheme's roll-up needs (seed 001, 5.3).
        counts |= {
            f"{status}_count": Count("pk", filter=Q(current_status=status))
            for status in (rag.COMPLETED, rag.CANCELLED, rag.DELAYED)
        }
        counts["overdue_count"] = Count("pk", filter=Q(overdue=True))
        counts["update_overdue_count"] = Count("pk", filter=Q(update_overdue=True))
        counts["needs_due_date_count"] = Count("pk", filter=Q(needs_due_date=True))
        return counts

    def counts_by_plan(self):
        """Per plan, its actions counted by stored colour, closing status and freshness, in one query
        (`selectors.summaries_of` turns them into summaries)."""
        return self.order_by().values("plan_id").annotate(**self._state_counts())

    def counts_moving_to(self, unit_ids):
        """{count: actions that join `unit_ids`' counts minus those that leave them} among these actions that name
        a unit of their own: an action counts with its own unit, not with its plan's (`responsible_to`), while
        its plan's ActionTally counts it with the plan. Most councils name none, which one look at an index
        tells (compiled once: a manager's home asks it on every visit): the planner would otherwise read every
        action by plan to find the few that do."""
        if not _NAMING_OWN_UNIT.rows():
            return {}  # no action anywhere names one, so none of these does
        own = self.filter(unit__isnull=False)
        counts, moving = self._state_counts(), {}
        for name, counted in counts.items():
            moving[f"{name}_in"] = Count("pk", filter=counted.filter & Q(unit_id__in=unit_ids))
            moving[f"{name}_out"] = Count("pk", filter=counted.filter & Q(plan__unit_id__in=unit_ids))
        row = own.order_by().aggregate(**moving)
        return {name: row[f"{name}_in"] - row[f"{name}_out"] for name in counts}

    def soonest_due_first(self):
        """By due date, undated last, then by plan and number (the actions list): the order of an
        index, so a page of a county's 30,000 actions is read without sorting them all."""
        return self.order_by(F("due_date").asc(nulls_last=True), "plan_id", "sort_key")

    def worst_first(self):
        """Overdue first, then the soonest due, undated last (My actions)."""
        return self.order_by("-overdue", F("due_date").asc(nulls_last=True), "plan__title", "sort_key")


_NAMING_OWN_UNIT = Compiled(
    lambda: Action.objects.filter(unit__isnull=False).order_by().values_list("pk")[:1], takes_value=False
)


class ActionTally(models.Model):
    """How many of a plan's actions stand in each stored state. Kept by `state.refresh` with the state itself,
    so that a manager's home and the plans list add up one row a plan instead of counting a county's 30,000
    actions on every request (`selectors.dashboard`, `selectors.summaries_of`)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, primary_key=True, related_name="tally")
    red_count = models.PositiveIntegerField(default=0)
    amber_count = models.PositiveIntegerField(default=0)
    green_count = models.PositiveIntegerField(default=0)
    blue_count = models.PositiveIntegerField(default=0)
    grey_count = models.PositiveIntegerField(default=0)
    completed_count = models.PositiveIntegerField(default=0)
    cancelled_count = models.PositiveIntegerField(default=0)
    delayed_count = models.PositiveIntegerField(default=0)
    overdue_count = models.PositiveIntegerField(default=0)
    update_overdue_count = models.PositiveIntegerField(default=0)
    needs_due_date_count = models.PositiveIntegerField(default=0)

    COUNTS = [
        *(f"{colour}_count" for colour in COLOUR_ORDER), "completed_count", "cancelled_count", "delayed_count",
        "overdue_count", "update_overdue_count", "needs_due_date_count",
    ]

    def __str__(self):
        return f"Actions of {self.plan} counted by state"


NEVER_RATED = datetime.date(1900, 1, 1)


class Action(models.Model):
    # No index of its own: the composite indexes below (and the unique plan and number) begin with it, and
    # every index is one more write each time an action's stored state changes.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", db_index=False)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.PROTECT, related_name="actions",
        help_text="Blank for plans without recommendations, such as business plans",
    )
    number = models.CharField(max_length=20)
    sort_key = models.CharField(max_length=100, editable=False, db_index=True)
    text = models.TextField(max_length=LONG_TEXT)
    expected_evidence = models.TextField(blank=True, max_length=NARRATIVE_TEXT)
    leads = models.ManyToManyField(Lead, blank=True, related_name="actions")
    # Indexed by `action_own_unit` below, as the next three are by partial indexes of their own: nearly every
    # action leaves them blank, and SQLite, counting the blanks in a whole-column index, judged it useless and
    # read every action to find the few that have one.
    unit = models.ForeignKey(
        OrganisationUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions",
        help_text="Blank: the plan's owning unit", db_index=False,
    )
    timescale = models.TextField(blank=True, max_length=1000, help_text="As written in the plan")
    due_date_set = models.DateField(
        "due date (set by hand)", null=True, blank=True,
        help_text="Overrides the due date read from the timescale",
    )
    # Derived in save() from the timescale (or the date set by hand), kept for sorting and filtering.
    due_date = models.DateField(null=True, blank=True, editable=False)  # indexed first in action_due_order
    timescale_kind = models.CharField(max_length=20, editable=False, default=timescales.EMPTY)
    cross_reference = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="referenced_by",
        help_text='Set when the plan says "See 12.1" instead of repeating an action', db_index=False,
    )
    # Indexed: managers' home pages look for the few proposals among all actions.
    completion_proposed_on = models.DateField(null=True, blank=True)
    completion_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # The day the lead says the work was finished; confirmation dates the completion from it.
    completion_finished_on = models.DateField("work finished on", null=True, blank=True)
    # Bumped on every save, so that a second person's form cannot silently overwrite the first's.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Today's state, derived from the progress history by `state.refresh` (rag.action_state's rule)
    # whenever a service, the importer or the admin changes the action, and each night by
    # `manage.py rerate_actions`; lists filter, count and sort on it in SQL.
    current_status = models.CharField(max_length=20, blank=True, editable=False)
    current_status_on = models.DateField(null=True, blank=True, editable=False)
    rag_colour = models.CharField(
        "RAG", max_length=10, choices=COLOUR_CHOICES, default=GREY, editable=False
    )
    rag_reason = models.TextField("RAG reason", blank=True, default="Not yet rated", editable=False)
    overdue = models.BooleanField(default=False, editable=False)
    latest_update_on = models.DateField(null=True, blank=True, editable=False)
    update_overdue = models.BooleanField(default=False, editable=False)
    needs_due_date = models.BooleanField(default=False, editable=False)
    # The day the state was computed for; NEVER_RATED until the first time (so "rated before today"
    # is one indexed comparison, with no NULLs to ask about).
    rated_on = models.DateField(default=NEVER_RATED, editable=False, db_index=True)

    STATE_FIELDS = [
        "current_status", "current_status_on", "rag_colour", "rag_reason", "overdue",
        "latest_update_on", "update_overdue", "needs_due_date", "rated_on",
    ]

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[leads], excluded_fields=["version", "sort_key", "updated_at", *STATE_FIELDS]
    )

    class Meta:
        ordering = ["plan", "sort_key"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_action_number")]
        # The plans list asks "has this plan any Red (overdue, update overdue) action?" of each plan.
        indexes = [
            models.Index(fields=["plan", "rag_colour"], name="action_plan_rag"),
            models.Index(fields=["plan", "overdue"], name="action_plan_overdue"),
            models.Index(fields=["plan", "update_overdue"], name="action_plan_update_overdue"),
            models.Index(fields=["due_date", "plan", "sort_key"], name="action_due_order"),
            # The few actions that name a unit of their own, found without reading the rest (`counts_moving_to`).
            models.Index(fields=["unit", "plan"], name="action_own_unit", condition=Q(unit__isnull=False)),
            models.Index(fields=["cross_reference"], name="action_referring", condition=Q(cross_reference__isnull=False)),
            models.Index(
                fields=["completion_proposed_on"], name="action_proposed", condition=Q(completion_proposed_on__isnull=False)
            ),
            models.Index(
                fields=["completion_proposed_by"], name="action_proposed_by", condition=Q(completion_proposed_by__isnull=False)
            ),
        ]

    def __str__(self):
        return f"Action {self.number}"

    def _parent_plan_id(self):
        if self.recommendation_id:
            return self.recommendation.plan_id
        return self.area.plan_id if self.area_id else None

    def clean(self):
        # An action, its area, its recommendation and what it refers to belong to one plan.
        self.plan_id = self.plan_id or self._parent_plan_id()
        related = {
            "area": self.area_id and self.area,
            "recommendation": self.recommendation_id and self.recommendation,
            "cross-reference": self.cross_reference_id and self.cross_reference,
        }
        wrong = [label for label, other in related.items() if other and other.plan_id != self.plan_id]
        if wrong:
            raise ValidationError(f"The action's {' and '.join(wrong)} must belong to the action's plan.")

    def derive_fields(self):
        """What save() derives; the importer's bulk writes call it too (they bump `version` themselves)."""
        # Added from a recommendation's or an area's admin page: the plan is theirs.
        self.plan_id = self.plan_id or self._parent_plan_id()
        self.sort_key = natural_key(self.number)
        parsed = self.parsed_timescale
        self.timescale_kind = parsed.kind
        self.due_date = self.due_date_set or parsed.due_date

    def save(self, *args, **kwargs):
        self.derive_fields()
        self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("action_detail", args=[self.pk])

    @property
    def parsed_timescale(self):
        return timescales.parse_timescale(self.timescale)

    @property
    def timescale_needs_review(self):
        return self.timescale_unreadable(self.timescale_kind, self.due_date_set)

    @staticmethod
    def timescale_unreadable(kind, due_date_set):
        """A timescale no date could be read from, with no due date set by hand: flagged for a person."""
        return kind == timescales.UNREADABLE and not due_date_set

    # The rules below read the prefetched progress updates (ordered by date), so a
    # page of actions costs one query for all their updates, whatever the day.
    def updates_on(self, day):
        return [update for update in self.progress_updates.all() if update.date <= day]

    def state_on(self, day, plan=None):
        """Everything derived about the action on `day`, from its history (rag.action_state)."""
        plan = plan or self.plan
        return rag.action_state(
            scheme=plan.rag_scheme,
            updates=[(update.date, update.status) for update in self.progress_updates.all()],
            due_date=self.due_date,
            on=day,
            timescale_kind=self.timescale_kind,
            completion_proposed_on=self.completion_proposed_on,
            source_date=plan.source_date,
            update_interval_months=plan.update_interval_months,
        )

    def status_on(self, day):
        """The status reported on or before `day` (DOMAIN.md "As at")."""
        updates = [(update.date, update.status) for update in self.progress_updates.all()]
        return rag.status_on(updates, day, self.timescale_kind)[0]

    def latest_status_reported_on(self):
        """The day of the latest update that reported a status: a completion dated before it would be
        undone by it on every "as at" day after (a note with no status changes nothing)."""
        return max((update.date for update in self.progress_updates.all() if update.status), default=None)

    def latest_update_on_day(self, day):
        """The latest progress update with a narrative, on or before `day`."""
        narrated = [update for update in self.updates_on(day) if update.narrative]
        return narrated[-1] if narrated else None

    def rag_on(self, day):
        return self.state_on(day).rag

    def is_overdue(self, day):
        return self.state_on(day).overdue

    @property
    def completion_proposed(self):
        return self.completion_proposed_on is not None

    @property
    def responsible_unit_id(self):
        return self.unit_id or self.plan.unit_id


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    activity = models.TextField(max_length=LONG_TEXT)
    date_text = models.CharField("date", max_length=200, blank=True, help_text="As written, e.g. January – March 2011")
    start_date = models.DateField(null=True, blank=True, editable=False)
    due_date = models.DateField(null=True, blank=True, editable=False)
    completed = models.BooleanField(default=False)
    completed_on = models.DateField("date completed", null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "order", "id"]

    def __str__(self):
        return f"{self.date_text}: {self.activity[:60]}"

    def derive_fields(self):
        """What save() derives; the importer's bulk writes call it too."""
        parsed = timescales.parse_timescale(self.date_text)
        self.start_date, self.due_date = parsed.start_date, parsed.due_date
        if parsed.is_completed:
            self.completed = True

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)


class ProgressUpdate(models.Model):
    """A dated progress report on an action, and the status it set at the time."""

    WEB, IMPORT, SIGN_OFF = "web", "import", "sign_off"
    SOURCES = [(WEB, "Progress update"), (IMPORT, "Loaded from a spreadsheet"), (SIGN_OFF, "Sign-off decision")]

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="progress_updates")
    date = models.DateField(help_text="The date the progress was reported, not the date it was typed in")
    narrative = models.TextField(blank=True, max_length=NARRATIVE_TEXT)
    status = models.CharField(
        max_length=20, blank=True, choices=[(key, label) for key, label in rag.STATUS_LABELS.items()],
        help_text="The status the action had from this date",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=20, choices=SOURCES, default=WEB)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "id"]

    def __str__(self):
        return f"{self.action} on {self.date:%d %b %Y}"

    @property
    def status_label(self):
        return rag.status_label(self.status)

    @property
    def author_name(self):
        if self.author is None:
            return "Loaded from a spreadsheet" if self.source == self.IMPORT else "Unknown"
        return self.author.get_full_name() or self.author.get_username()

