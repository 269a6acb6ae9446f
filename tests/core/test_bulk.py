"""core.bulk writes many rows in batches: what it writes reads back as the ORM would have written it."""

import datetime

import pytest

from actionplans.models import Action
from core import bulk

from ..factories import ActionFactory, AreaFactory

pytestmark = pytest.mark.django_db

FIELDS = ["current_status", "current_status_on", "rag_colour", "rag_reason", "overdue", "latest_update_on"]


def test_update_writes_each_rows_own_values_of_every_type(plan):
    area = AreaFactory(plan=plan)
    first, second, untouched = (ActionFactory(area=area, number=str(n), timescale="Ongoing") for n in (1, 2, 3))
    before = Action.objects.filter(pk=untouched.pk).values(*FIELDS).get()
    rows = [
        (first.pk, "on_track", datetime.date(2010, 9, 30), "green", "On track: “quoted” and 'apostrophes'", False, None),
        (second.pk, "", None, "red", "Past its due date", True, datetime.date(2011, 2, 11)),
    ]
    bulk.update(Action, rows, FIELDS)
    found = {pk: values for pk, *values in Action.objects.values_list("pk", *FIELDS)}
    assert found[first.pk] == list(rows[0][1:])
    assert found[second.pk] == list(rows[1][1:])
    assert Action.objects.filter(pk=untouched.pk).values(*FIELDS).get() == before


def test_update_of_more_rows_than_a_batch(plan, monkeypatch):
    monkeypatch.setattr(bulk, "BATCH", 2)
    area = AreaFactory(plan=plan)
    actions = [ActionFactory(area=area, number=str(n), timescale="Ongoing") for n in range(5)]
    bulk.update(Action, [(action.pk, f"reason {action.number}") for action in actions], ["rag_reason"])
    assert sorted(Action.objects.values_list("rag_reason", flat=True)) == [f"reason {n}" for n in range(5)]
    bulk.update(Action, [], ["rag_reason"])  # nothing to write writes nothing
