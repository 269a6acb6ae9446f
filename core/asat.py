"""The general half of "as at" a day (DOMAIN.md "As at a date"): reading the day asked
for, and showing an object's wording as it stood on that day from its change history.

What "as at" means for one kind of object (which fields, which dates of the
business) is the app's: see `actionplans/asat.py`.
"""

from datetime import date, datetime, time

from django.utils import timezone

# The days a date typed into the service may name: plans and their dates of business fall between.
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


class AsAtError(ValueError):
    """The "as at" day asked for cannot be read or is out of range."""


def parse_day(value):
    """A day from `YYYY-MM-DD`, or None when absent; AsAtError when it is no real date."""
    if value is None or not str(value).strip():
        return None
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        raise AsAtError("Enter a real date, written as YYYY-MM-DD, for example 2010-03-31") from None
    if day < EARLIEST:
        raise AsAtError(f"The date must be {EARLIEST:%-d %B %Y} or later")
    if day > LATEST:
        raise AsAtError(f"The date must be in {LATEST.year} or earlier")
    return day


def end_of_day(day):
    return timezone.make_aware(datetime.combine(day, time.max))


def wording_on(records, day, fields):
    """The values of `fields` as they stood at the end of `day`.

    `records` are one object's history records, oldest first. An object loaded
    after `day` shows its first wording: nothing older is known.
    """
    if not records:
        return None
    cutoff = end_of_day(day)
    chosen = records[0]
    for record in records:
        if record.history_date <= cutoff:
            chosen = record
    return {name: getattr(chosen, name) for name in fields}


def apply_wording(objects, history_model, day, fields, key="id"):
    """Set the as-at wording on each of `objects`, with one query for all their history."""
    by_id = {}
    ids = [obj.pk for obj in objects]
    if not ids:
        return
    records = history_model.objects.filter(**{f"{key}__in": ids}).only("history_date", key, *fields)
    for record in records.order_by("history_date", "history_id"):
        by_id.setdefault(getattr(record, key), []).append(record)
    for obj in objects:
        wording = wording_on(by_id.get(obj.pk, []), day, fields)
        if wording:
            for name, value in wording.items():
                setattr(obj, name, value)
