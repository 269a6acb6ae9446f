"""Plans "as at" a day: DOMAIN.md "As at a date".

"As at D" uses the dates of the business, not the dates rows were written:
progress updates dated after D are left out and the status is the one reported
on or before D (both in `Action.status_on`), RAG and "overdue" are computed on D
(`Action.rag_on`), and wording edited after D is shown as it was on D (here,
from the change history).
"""

from datetime import date, datetime, time

from django.utils import timezone

from .models import Action, Recommendation, today


def parse_day(value):
    """A day from `YYYY-MM-DD`, or None when absent; ValueError when it is not a date."""
    if not value:
        return None
    return date.fromisoformat(value.strip())


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
    for record in history_model.objects.filter(**{f"{key}__in": ids}).order_by("history_date", "history_id"):
        by_id.setdefault(getattr(record, key), []).append(record)
    for obj in objects:
        wording = wording_on(by_id.get(obj.pk, []), day, fields)
        if wording:
            for name, value in wording.items():
                setattr(obj, name, value)


# What an action or recommendation said on a day. The due date goes with the timescale:
# an old timescale rated against today's due date would give the wrong colour.
ACTION_FIELDS = ["text", "expected_evidence", "timescale", "due_date_set", "due_date", "timescale_kind"]
RECOMMENDATION_FIELDS = ["text", "page_reference", "measurable_indicator", "desired_outcome"]


def restore_wording(actions, recommendations, day):
    """Show `actions` and `recommendations` as they were worded on `day` (two queries; none for today)."""
    if day >= today():
        return
    apply_wording(actions, Action.history.model, day, ACTION_FIELDS)
    apply_wording(recommendations, Recommendation.history.model, day, RECOMMENDATION_FIELDS)
