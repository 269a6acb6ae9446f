"""The plans list's and the actions list's filters, all in SQL: RAG, "overdue", "update overdue"
and "needs a due date" read each action's stored state (`state.py`), so the lists count, filter
and paginate in the database."""

import django_filters
from django import forms
from django.db.models import Q

from core.asat import EARLIEST, LATEST
from core.forms import ChoicePairs, unit_choices
from core.models import OrganisationUnit
from core.queries import Compiled
from core.rag import COLOUR_CHOICES, COLOUR_ORDER

from .models import Action, Lead, Plan, Recommendation
from .rag import CANCELLED, COMPLETED, DELAYED, ON_COURSE, STATUS_LABELS
from .selectors import summed_tallies

# Statuses asked for together: the business plan dashboard's columns (seed 001, 5.3) link to them. Its
# "on course" counts every action neither completed nor delayed or cancelled, those with no status too.
STATUS_GROUPS = {
    "delayed_or_cancelled": ("Delayed or cancelled", [DELAYED, CANCELLED]),
    "on_course_or_none": ("On course, or no status reported", [ON_COURSE, ""]),
}


# Each read as values in the model's own order (Meta.ordering), with a query compiled once: looping over a queryset's
# choices in a template counts it first, and a county's hundreds of plans made as model objects were a good part
# of a list's time.
_PLANS = Compiled(lambda: Plan.objects.values_list("pk", "title"), takes_value=False)
_LEADS = Compiled(lambda: Lead.objects.values_list("pk", "name", "initials"), takes_value=False)


def _choices(field):
    """The choices of a filter on plans, units or leads, after its "any" label: every one of them, as the filters'
    querysets are whole tables (a filter narrowed to what a user sees would need its own list here)."""
    model = field.queryset.model
    if model is OrganisationUnit:
        return unit_choices(field.empty_label)
    if model is Lead:
        labelled = [(pk, Lead.display(name, initials)) for pk, name, initials in _LEADS.rows()]
    else:
        labelled = [(pk, title) for pk, title in _PLANS.rows()]
    return ChoicePairs([("", field.empty_label), *labelled])


class PlanFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.widget.choices = _choices(field)


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Words from a plan's title, a recommendation or an action"
    )
    source = django_filters.ChoiceFilter(choices=Plan.SOURCES, empty_label="Any source")
    unit = django_filters.ModelChoiceFilter(
        label="Organisation unit", queryset=OrganisationUnit.objects.only("pk", "name"), empty_label="Any unit"
    )
    status = django_filters.ChoiceFilter(label="Plan status", choices=Plan.STATUSES, empty_label="Any status")
    lead = django_filters.ModelChoiceFilter(
        label="Lead", queryset=Lead.objects.only("pk", "name", "initials"), method="filter_lead", empty_label="Any lead"
    )
    rag = django_filters.ChoiceFilter(
        label="Has actions rated", choices=COLOUR_CHOICES, method="filter_rag", empty_label="Any colour"
    )
    overdue = django_filters.BooleanFilter(
        label="Only plans with overdue actions", method="filter_overdue", widget=forms.CheckboxInput
    )
    update_overdue = django_filters.BooleanFilter(
        label="Only plans with an update overdue", method="filter_update_overdue", widget=forms.CheckboxInput
    )
    needs_due_date = django_filters.BooleanFilter(
        label="Only plans with actions needing a due date", method="filter_needs_due_date", widget=forms.CheckboxInput
    )
    no_unit = django_filters.BooleanFilter(
        label="Only plans with no owning unit", method="filter_no_unit", widget=forms.CheckboxInput
    )

    class Meta:
        model = Plan
        form = PlanFilterForm
        fields = ["q", "source", "unit", "status", "lead", "rag", "overdue", "update_overdue", "needs_due_date", "no_unit"]

    def search(self, queryset, name, value):
        # Subqueries, not joins: joining recommendations and actions once per word multiplies
        # the rows (three words took minutes on the demo data).
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(pk__in=Recommendation.objects.filter(text__icontains=word).values("plan_id"))
                | Q(pk__in=Action.objects.filter(text__icontains=word).values("plan_id"))
            )
        return queryset

    def filter_lead(self, queryset, name, value):
        return queryset.filter(pk__in=Action.objects.filter(leads=value).values("plan_id"))

    def filter_rag(self, queryset, name, value):
        return queryset.with_actions_where(rag_colour=value)

    def filter_overdue(self, queryset, name, value):
        return queryset.with_actions_where(overdue=True) if value else queryset

    def filter_update_overdue(self, queryset, name, value):
        return queryset.with_actions_where(update_overdue=True) if value else queryset

    def filter_needs_due_date(self, queryset, name, value):
        return queryset.with_actions_where(needs_due_date=True) if value else queryset

    def filter_no_unit(self, queryset, name, value):
        return queryset.filter(unit__isnull=True) if value else queryset


class ActionFilterForm(PlanFilterForm):
    def clean(self):
        cleaned = super().clean()
        due_before = cleaned.get("due_before")
        if due_before and not EARLIEST <= due_before <= LATEST:
            self.add_error("due_before", f"Due before must be a date between {EARLIEST.year} and {LATEST.year}")
        return cleaned


def search_actions(queryset, words):
    """Actions whose text, or one of whose leads' names, holds every word (10 words at most).

    Subqueries rather than joins, for the reason `PlanFilter.search` gives."""
    for word in words.split()[:10]:
        led_by = Action.leads.through.objects.filter(lead__name__icontains=word).values("action_id")
        # The cheap tests first: an action found by its number or a lead's name is not searched word by word.
        queryset = queryset.filter(Q(number__iexact=word) | Q(pk__in=led_by) | Q(text__icontains=word))
    return queryset


class ActionFilter(django_filters.FilterSet):
    """The actions list across plans (`/actions/`): a manager's working view."""

    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Words from an action, or a lead's name"
    )
    # Choices read only what their labels show: a county has hundreds of plans.
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.only("pk", "title"), empty_label="Any plan")
    source = django_filters.ChoiceFilter(
        label="Plan source", field_name="plan__source", choices=Plan.SOURCES, empty_label="Any source"
    )
    unit = django_filters.ModelChoiceFilter(
        label="Organisation unit", queryset=OrganisationUnit.objects.only("pk", "name"), method="filter_unit",
        empty_label="Any unit", help_text="The unit and the units below it",
    )
    lead = django_filters.ModelChoiceFilter(
        label="Lead", queryset=Lead.objects.only("pk", "name", "initials"), method="filter_lead", empty_label="Any lead"
    )
    rag = django_filters.ChoiceFilter(
        label="RAG", choices=COLOUR_CHOICES, field_name="rag_colour", empty_label="Any colour"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[
            ("none", "No status reported"), *STATUS_LABELS.items(),
            *((value, label) for value, (label, _) in STATUS_GROUPS.items()),
        ],
        method="filter_status", empty_label="Any status",
    )
    due_before = django_filters.DateFilter(
        label="Due before", field_name="due_date", lookup_expr="lt", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Due before must be a real date"},
    )
    overdue = django_filters.BooleanFilter(label="Only overdue actions", method="only", widget=forms.CheckboxInput)
    update_overdue = django_filters.BooleanFilter(
        label="Only actions with an update overdue", method="only", widget=forms.CheckboxInput
    )
    needs_due_date = django_filters.BooleanFilter(
        label="Only actions needing a due date", method="only", widget=forms.CheckboxInput
    )
    awaiting_sign_off = django_filters.BooleanFilter(
        label="Only completions awaiting sign-off", field_name="completion_proposed_on", method="proposed",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Action
        form = ActionFilterForm
        fields = [
            "q", "plan", "source", "unit", "lead", "rag", "status", "due_before",
            "overdue", "update_overdue", "needs_due_date", "awaiting_sign_off",
        ]

    def search(self, queryset, name, value):
        return search_actions(queryset, value)

    # The filters on a plan's own fields, which a sum over its tally can follow.
    PLAN_FILTERS = {"plan": "plan", "source": "plan__source"}

    def tallied_count(self):
        """How many actions the list holds, from the plans' stored counts (ActionTally) when the filters in use
        are at most one stored state the tallies count (a colour, a closing status, overdue, update overdue,
        needing a due date) and the plan's own fields; else None, and the list counts its actions. "Red" matched 16,000
        of a county's 30,000 actions, counted on every page of the list."""
        if not self.form.is_valid():
            return None
        used = {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", False)}
        states = {name: value for name, value in used.items() if name not in self.PLAN_FILTERS}
        if not states:
            # Every action has one colour: the colours' counts add up to all the actions.
            counted = [f"{colour}_count" for colour in COLOUR_ORDER]
        elif len(states) > 1:
            return None
        else:
            [(name, value)] = states.items()
            if name == "rag" or name == "status" and value in (COMPLETED, CANCELLED, DELAYED):
                counted = [f"{value}_count"]
            elif name in ("overdue", "update_overdue", "needs_due_date"):
                counted = [f"{name}_count"]
            else:
                return None
        plan, source = used.get("plan"), used.get("source")
        return sum(summed_tallies(counted, plan=plan and plan.pk, source=source).values())

    def applied(self):
        """The filters in use, in words ("RAG: Red", "Only overdue actions"), to say above the list."""
        form = self.form
        if not form.is_valid():
            return []
        applied = []
        for name, field in form.fields.items():
            value = form.cleaned_data.get(name)
            if value in (None, "", False):
                continue
            if value is True:
                applied.append(field.label)
            elif hasattr(value, "strftime"):
                applied.append(f"{field.label}: {value:%-d %B %Y}")
            elif hasattr(field, "choices") and not hasattr(value, "pk"):
                applied.append(f"{field.label}: {dict(field.choices).get(value, value)}")
            else:
                applied.append(f"{field.label}: {value}")
        return applied

    def filter_unit(self, queryset, name, value):
        return queryset.responsible_to(OrganisationUnit.objects.subtree_ids(value))

    def filter_lead(self, queryset, name, value):
        return queryset.filter(pk__in=Action.leads.through.objects.filter(lead=value).values("action_id"))

    def filter_status(self, queryset, name, value):
        if value in STATUS_GROUPS:
            return queryset.filter(current_status__in=STATUS_GROUPS[value][1])
        return queryset.filter(current_status="" if value == "none" else value)

    def only(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset

    def proposed(self, queryset, name, value):
        return queryset.filter(completion_proposed_on__isnull=False) if value else queryset
