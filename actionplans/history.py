"""The change history shown on an action page: who changed what, when, old and new."""

from dataclasses import dataclass
from datetime import datetime

import re

from .models import Action, Lead, Milestone, Plan, ProgressUpdate, Recommendation


@dataclass
class Change:
    when: datetime
    who: str
    what: str
    field: str = ""
    old: str = ""
    new: str = ""


def _who(record):
    user = record.history_user
    if user is None:
        return "System (import or command)"
    return user.get_full_name() or user.get_username()


def _verbose(model, name):
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name.replace("_", " ").capitalize()


def _display(value):
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, list):  # many-to-many: a list of through-row dicts
        return ", ".join(str(item) for item in value) or "(none)"
    return str(value)


def _changes_of(records, model, label, skip=()):
    """Changes between consecutive history records of one object; records oldest first."""
    changes = []
    previous = None
    for record in records:
        if record.history_type == "+":
            changes.append(Change(record.history_date, _who(record), f"{label} created"))
        elif record.history_type == "-":
            changes.append(Change(record.history_date, _who(record), f"{label} deleted"))
        elif previous is not None:
            delta = record.diff_against(previous, excluded_fields=list(skip))
            for change in delta.changes:
                changes.append(
                    Change(
                        record.history_date, _who(record), label, _verbose(model, change.field),
                        _display(change.old), _display(change.new),
                    )
                )
        previous = record
    return changes


def _grouped(history_model, **filters):
    by_object = {}
    for record in history_model.objects.filter(**filters).select_related("history_user").order_by("history_date", "history_id"):
        by_object.setdefault(record.id, []).append(record)
    return by_object


SKIPPED = ["sort_key", "updated_at", "created_at", "version", "due_date", "timescale_kind", "name_key"]


def action_changes(action):
    """Every recorded change to the action, its milestones, progress, recommendation, plan and leads, newest first."""
    changes = []
    lead_names = None
    for records in _grouped(Action.history.model, id=action.pk).values():
        for change in _changes_of(records, Action, f"Action {action.number}", SKIPPED):
            if change.field == "Leads":
                lead_names = lead_names or dict(Lead.objects.values_list("pk", "name"))
                change.old, change.new = _lead_names(change.old, lead_names), _lead_names(change.new, lead_names)
            changes.append(change)
    for records in _grouped(Milestone.history.model, action_id=action.pk).values():
        changes += _changes_of(records, Milestone, f"Milestone “{records[-1].activity[:50]}”", SKIPPED + ["start_date"])
    for records in _grouped(ProgressUpdate.history.model, action_id=action.pk).values():
        changes += _changes_of(records, ProgressUpdate, f"Progress update of {records[-1].date:%-d %b %Y}", SKIPPED)
    if action.recommendation_id:
        for records in _grouped(Recommendation.history.model, id=action.recommendation_id).values():
            changes += _changes_of(records, Recommendation, f"Recommendation {action.recommendation.number}", SKIPPED)
    for records in _grouped(Plan.history.model, id=action.plan_id).values():
        changes += _changes_of(records, Plan, "Plan", SKIPPED)
    for records in _grouped(Lead.history.model, id__in=[lead.pk for lead in action.leads.all()]).values():
        changes += _changes_of(records, Lead, f"Lead {records[-1].name}", SKIPPED)
    return sorted(changes, key=lambda change: change.when, reverse=True)


def _lead_names(text, names):
    # m2m history rows print as "{'action': 1, 'lead': 3}"; show the leads' names instead.
    ids = [int(found) for found in re.findall(r"'lead': (\d+)", text)]
    if not ids:
        return text
    return ", ".join(names.get(pk, f"lead {pk}") for pk in ids)
