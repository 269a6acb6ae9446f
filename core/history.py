"""The general half of the change-history display: who changed what, when, old and new.

Each app says which objects' histories make up a page (`actionplans/history.py`);
this module turns django-simple-history records into `Change` rows with a fixed
number of queries: one per history table, one for the users, one per
many-to-many field, however many records there are.
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.db import models


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


def who(record):
    user = record.history_user
    if user is None:
        return "System (import or command)"
    return user.get_full_name() or user.get_username()


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


def records_by_object(history_model, **filters):
    """{object id: [its history records, oldest first]} in one query (the users joined)."""
    by_object = {}
    records = history_model.objects.filter(**filters).select_related("history_user").order_by("history_date", "history_id")
    for record in records:
        by_object.setdefault(record.id, []).append(record)
    return by_object


def m2m_history_model(model, field):
    """The table where django-simple-history copies `field`'s through rows for each history record."""
    name = f"{model.history.model.__name__}_{field}".lower()
    return next(rel.related_model for rel in model.history.model._meta.related_objects if rel.related_model._meta.model_name == name)


def m2m_snapshots(model, field, records):
    """{history id: ids of the related objects} of a many-to-many field of `model` at each record, in one query.

    django-simple-history keeps, for each history record, a copy of the field's through rows.
    """
    through = m2m_history_model(model, field)
    target = model._meta.get_field(field).m2m_reverse_field_name()
    ids = [record.history_id for record in records]
    snapshots = {history_id: [] for history_id in ids}
    for history_id, related_id in through.objects.filter(history_id__in=ids).values_list("history_id", f"{target}_id"):
        snapshots[history_id].append(related_id)
    return snapshots


def labelled(snapshots, label_of):
    """Snapshots of ids as sorted labels, ready for `changes_of`."""
    return {history_id: sorted(label_of(pk) for pk in pks) for history_id, pks in snapshots.items()}


def changes_of(records, model, label, skip=SKIPPED, m2m=None):
    """Changes between consecutive history records of one object; records oldest first.

    `m2m`: {field name: {history id: labels}} from `m2m_snapshots`, so that
    many-to-many fields are compared without a query per record.
    """
    m2m = m2m or {}
    changes = []
    previous = None
    for record in records:
        if record.history_type == "+":
            changes.append(Change(record.history_date, who(record), f"{label} created"))
        elif record.history_type == "-":
            changes.append(Change(record.history_date, who(record), f"{label} deleted"))
        elif previous is not None:
            delta = record.diff_against(previous, excluded_fields=[*skip, *m2m])
            for change in delta.changes:
                field = model._meta.get_field(change.field)
                if isinstance(field, models.ForeignKey):
                    changes.append(
                        Change(
                            record.history_date, who(record), label, verbose_name(model, change.field),
                            change.old, change.new, related_model=field.related_model,
                        )
                    )
                    continue
                changes.append(
                    Change(
                        record.history_date, who(record), label, verbose_name(model, change.field),
                        display(change.old), display(change.new),
                    )
                )
            for field, snapshots in m2m.items():
                old, new = snapshots.get(previous.history_id, []), snapshots.get(record.history_id, [])
                if old != new:
                    changes.append(
                        Change(record.history_date, who(record), label, verbose_name(model, field), display(old), display(new))
                    )
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
