"""The plans list's filters. RAG and "overdue" are derived on the day, so they filter
in Python over the prefetched actions (a fixed number of queries); the rest filter in SQL."""

import django_filters
from django import forms
from django.db.models import Q

from . import rag
from core.models import OrganisationUnit
from .models import Action, Lead, Plan, Recommendation

RAG_CHOICES = [(colour, rag.COLOUR_LABELS[colour]) for colour in rag.COLOUR_ORDER if colour != rag.GREY]


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
        label="Has actions rated", choices=RAG_CHOICES, method="keep_all", empty_label="Any colour"
    )
    overdue = django_filters.BooleanFilter(
        label="Only plans with overdue actions", method="keep_all", widget=forms.CheckboxInput
    )

    class Meta:
        model = Plan
        fields = ["q", "source", "unit", "status", "lead", "rag", "overdue"]

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

    def keep_all(self, queryset, name, value):
        # Applied after the query, on the day's RAG: see `rated_plans`.
        return queryset


def rated_plans(plans, day, colour=None, overdue=False):
    """Each plan with its summary on `day`, keeping those that match the RAG and overdue filters."""
    rows = []
    for plan in plans:
        summary = plan.summary_on(day)
        if colour and not summary.counts[colour]:
            continue
        overdue_count = sum(action.is_overdue(day) for action in plan.actions.all())
        if overdue and not overdue_count:
            continue
        rows.append((plan, summary, overdue_count))
    return rows
