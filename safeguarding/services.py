"""Writes that touch several objects, each in one transaction: setting up a team with its timeliness indicators,
and saving a quarter's figures with its timeliness readings."""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.periods import QUARTERLY
from performance import figures
from performance import services as performance_services
from performance.models import Indicator

from . import rules
from .models import BreakdownCount, QuarterlyReturn, Team, TimelinessMeasure

DOMAIN = "Safeguarding adults"


@transaction.atomic
def set_up_team(*, unit, indicator_prefix="SG"):
    """The safeguarding team of `unit`, with a quarterly indicator for each timeliness measure (made once: an
    indicator already there under the measure's code is linked, not made again)."""
    team, _ = Team.objects.get_or_create(unit=unit, defaults={"indicator_prefix": indicator_prefix})
    linked = set(team.timeliness_measures.values_list("measure", flat=True))
    for measure, spec in rules.TIMELINESS.items():
        if measure in linked:
            continue
        indicator, _ = Indicator.objects.get_or_create(
            code=f"{team.indicator_prefix} {spec.number:02d}",
            defaults={
                "name": spec.name, "definition": spec.definition, "unit": spec.unit, "polarity": spec.polarity,
                "frequency": QUARTERLY, "aggregation": spec.aggregation, "rated_figure": figures.VALUE,
                "decimal_places": spec.decimal_places, "unit_owner": unit, "domain": DOMAIN,
            },
        )
        TimelinessMeasure.objects.create(team=team, measure=measure, indicator=indicator)
    return team


@transaction.atomic
def save_quarter(*, team, quarter, user, counts, selected_outcomes=None, note=None, readings=()):
    """Save a team's figures for `quarter`, checked already: `counts` is {(breakdown, category or None): count},
    a count of None removing what was there; `readings` [(indicator, {field: value})] go to the performance app.

    A count that says what it said already is left alone (no history). Returns the quarter's return.
    """
    quarterly_return, created = QuarterlyReturn.objects.select_for_update().get_or_create(
        team=team, quarter_start=quarter.start, defaults={"entered_by": user}
    )
    changed_return = created
    for name, value in (("selected_outcomes", selected_outcomes), ("note", note)):
        if value is not None and getattr(quarterly_return, name) != value:
            setattr(quarterly_return, name, value)
            changed_return = True
    saved = {(count.breakdown, count.category_id): count for count in quarterly_return.counts.all()}
    new, changed, removed = [], [], []
    for (breakdown, category), value in counts.items():
        key = (breakdown, category.pk if category else None)
        found = saved.get(key)
        if value is None:
            if found is not None:
                removed.append(found.pk)
        elif found is None:
            new.append(BreakdownCount(quarterly_return=quarterly_return, breakdown=breakdown, category=category, count=value))
        elif found.count != value:
            found.count = value
            changed.append(found)
    if new:
        bulk_create_with_history(new, BreakdownCount, default_user=user)
    if changed:
        bulk_update_with_history(changed, BreakdownCount, ["count"], default_user=user)
    if removed:
        for count in BreakdownCount.objects.filter(pk__in=removed):
            count.delete()  # one by one: each removal is kept in the history
    if changed_return or new or changed or removed:
        quarterly_return.entered_by, quarterly_return.entered_at = user, timezone.now()
        quarterly_return.save()
    if readings:
        performance_services.enter_readings(user=user, entries=[(indicator, quarter, values) for indicator, values in readings])
    return quarterly_return
