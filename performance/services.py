"""Writes that touch several objects, each in one transaction."""

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import state
from .models import Reading

ENTERED_FIELDS = ["value", "numerator", "denominator", "note", "provisional"]


@transaction.atomic
def enter_readings(*, user, entries):
    """Save a month's readings as a person entered them: `entries` is [(indicator, period, {field: value})].

    A reading that says what it said already is left alone (no history, who entered it unchanged). The
    indicators whose readings changed get their stored figures worked out again. Returns how many changed.
    """
    if not entries:
        return 0
    saved = {
        (reading.indicator_id, reading.period_start): reading
        for reading in Reading.objects.select_for_update().filter(
            indicator__in=[indicator for indicator, _, _ in entries],
            period_start__in={period.start for _, period, _ in entries},
        )
    }
    new, changed, touched = [], [], set()
    for indicator, period, values in entries:
        reading = saved.get((indicator.pk, period.start))
        if reading is None:
            new.append(Reading(indicator=indicator, period_start=period.start, entered_by=user, **values))
        elif any(getattr(reading, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(reading, name, value)
            reading.entered_by, reading.entered_at = user, timezone.now()  # auto_now is not set by bulk writes
            changed.append(reading)
        else:
            continue
        touched.add(indicator.pk)
    if new:
        bulk_create_with_history(new, Reading, default_user=user)
    if changed:
        bulk_update_with_history(changed, Reading, [*ENTERED_FIELDS, "entered_by", "entered_at"], default_user=user)
    if touched:
        state.refresh(touched)
    return len(new) + len(changed)
