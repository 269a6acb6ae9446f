"""The general half of the change-history display: who changed what, when, old and new.

Each app says which objects' histories make up a page (`actionplans/history.py`);
this module turns django-simple-history records into `Change` rows with a fixed
number of queries: one per history table, its users (and a many-to-many field's
ids, when asked) joined, however many records there are, each compiled to SQL once.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import models

from .queries import Compiled


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    what: str
    field: str = ""
    old: str = ""
    new: str = ""
    # A foreign key's change holds the ids until `named` puts the related objects' names in.
    related_model: type | None = None


# Derived or bookkeeping fields: a change to them is not news to a reader.
SKIPPED = ["sort_key", "updated_at", "created_at", "version", "due_date", "timescale_kind", "name_key"]


def who(first_name, last_name, username):
    """Who made a change, from the user joined to a history record (all None: no user)."""
    if username is None:
        return "System (import or command)"
    return f"{first_name} {last_name}".strip() or username


def verbose_name(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name.replace("_", " ").capitalize()


def display(value):
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


@dataclass(frozen=True)
class Record:
    """One history record of an object: who saved it, when, how, and its tracked fields' values (a foreign key's
    as its id); `related`: the ids a many-to-many field held then, when `Records` was asked for one."""

    history_id: int
    when: datetime
    kind: str  # "+" created, "~" changed, "-" deleted
    who: str
    id: int
    values: dict
    related: tuple = ()


_RECORD_COLUMNS = [
    "history_id", "history_date", "history_type",
    "history_user__first_name", "history_user__last_name", "history_user__username", "id",
]


def tracked_fields(model):
    """The names of the fields django-simple-history keeps of `model` that a person can edit (as its `diff_against`)."""
    return sorted(
        field.name for field in model.history.model.tracked_fields
        if field.editable and not field.many_to_many
    )


def m2m_history_model(model, field):
    """The table where django-simple-history copies `field`'s through rows for each history record."""
    name = f"{model.history.model.__name__}_{field}".lower()
    return next(rel.related_model for rel in model.history.model._meta.related_objects if rel.related_model._meta.model_name == name)


class Records:
    """The history records of the objects of `model` that one value picks, {object id: records oldest first},
    in one query compiled once (core.queries). `picked(value)` is the filter: a Q, or a dict of lookups.

    With `m2m`, a many-to-many field's name, each record also holds the ids the field held then: django-simple-history
    copies the field's through rows for each record, and they are joined in (a row per id, put back together here).
    """

    def __init__(self, model, picked, m2m=None):
        self.fields = tracked_fields(model)
        history = model.history.model
        related = []
        if m2m:
            through = m2m_history_model(model, m2m)
            target = model._meta.get_field(m2m).m2m_reverse_field_name()
            related = [f"{through._meta.get_field('history').related_query_name()}__{target}"]
        self.m2m = m2m

        def build(value):
            lookups = picked(value)
            queryset = history.objects.filter(**lookups) if isinstance(lookups, dict) else history.objects.filter(lookups)
            return queryset.order_by("history_date", "history_id").values_list(*_RECORD_COLUMNS, *related, *self.fields)

        self.query = Compiled(build)

    def by_object(self, value):
        by_object = {}
        previous = None
        for history_id, when, kind, first_name, last_name, username, pk, *values in self.query.rows(value):
            related = ()
            if self.m2m:
                related_id, *values = values
                if previous is not None and previous.history_id == history_id:  # the same record, its next id
                    by_object[pk][-1] = previous = replace(previous, related=(*previous.related, related_id))
                    continue
                related = () if related_id is None else (related_id,)
            previous = Record(history_id, when, kind, who(first_name, last_name, username), pk, dict(zip(self.fields, values)), related)
            by_object.setdefault(pk, []).append(previous)
        return by_object


def labelled(records, label_of):
    """{history id: the sorted labels of the ids a record's many-to-many field held}, ready for `changes_of`."""
    return {record.history_id: sorted(label_of(pk) for pk in record.related) for record in records}


def changes_of(records, model, label, skip=SKIPPED, m2m=None):
    """Changes between consecutive history records (`Records`) of one object; records oldest first.

    `m2m`: {field name: {history id: labels}} from `labelled`, so that
    many-to-many fields are compared without a query per record. A record's fields are
    compared in the order of their names, as django-simple-history's `diff_against` does.
    """
    m2m = m2m or {}
    changes = []
    previous = None
    for record in records:
        if record.kind == "+":
            changes.append(Change(record.when, record.who, f"{label} created"))
        elif record.kind == "-":
            changes.append(Change(record.when, record.who, f"{label} deleted"))
        elif previous is not None:
            for name, new in record.values.items():
                old = previous.values[name]
                if old == new or name in skip:
                    continue
                field = model._meta.get_field(name)
                if isinstance(field, models.ForeignKey):
                    changes.append(
                        Change(record.when, record.who, label, verbose_name(model, name), old, new, related_model=field.related_model)
                    )
                else:
                    changes.append(Change(record.when, record.who, label, verbose_name(model, name), display(old), display(new)))
            for field, snapshots in m2m.items():
                old, new = snapshots.get(previous.history_id, []), snapshots.get(record.history_id, [])
                if old != new:
                    changes.append(Change(record.when, record.who, label, verbose_name(model, field), display(old), display(new)))
        previous = record
    return changes


def named(changes):
    """Foreign keys' ids replaced by what they name ("Owning unit: (blank) → OPPD", never "→ 3"),
    with one query per kind of related object however many changes there are."""
    wanted = {}
    for change in changes:
        if change.related_model is not None:
            wanted.setdefault(change.related_model, set()).update(pk for pk in (change.old, change.new) if pk is not None)
    names = {}
    for related_model, pks in wanted.items():
        names[related_model] = {obj.pk: _name_of(obj) for obj in related_model._default_manager.filter(pk__in=pks)}

    def label(related_model, pk):
        if pk is None:
            return display(None)
        return names[related_model].get(pk) or f"(deleted {related_model._meta.verbose_name})"

    return [
        replace(change, old=label(change.related_model, change.old), new=label(change.related_model, change.new), related_model=None)
        if change.related_model is not None
        else change
        for change in changes
    ]


def _name_of(obj):
    full_name = getattr(obj, "get_full_name", None)
    if full_name:  # a user: their name, else their username
        return full_name() or obj.get_username()
    return str(obj)


def newest_first(changes):
    return sorted(changes, key=lambda change: change.when, reverse=True)
