"""The plans list's filters, all in SQL: RAG, "overdue" and "update overdue" read each
action's stored state (`state.py`), so the list counts, filters and paginates in the database."""

import django_filters
from django import forms
from django.db.models import Q

from core.models import OrganisationUnit
from core.rag import COLOUR_CHOICES

from .models import Action, Lead, Plan, Recommendation

class PlanFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read each choice list once: looping over a queryset's choices in a template counts it first.
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.widget.choices = list(iter(field.choices))  # iter(): list() alone asks len(), a COUNT


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Words from a plan's title, a recommendation or an action"
    )
    source = django_filters.ChoiceFilter(choices=Plan.SOURCES, empty_label="Any source")
    unit = django_filters.ModelChoiceFilter(
        label="Organisation unit", queryset=OrganisationUnit.objects.all(), empty_label="Any unit"
    )
    status = django_filters.ChoiceFilter(label="Plan status", choices=Plan.STATUSES, empty_label="Any status")
    lead = django_filters.ModelChoiceFilter(
        label="Lead", queryset=Lead.objects.all(), method="filter_lead", empty_label="Any lead"
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

    class Meta:
        model = Plan
        form = PlanFilterForm
        fields = ["q", "source", "unit", "status", "lead", "rag", "overdue", "update_overdue"]

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
