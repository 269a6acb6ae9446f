"""Each action's stored state for today: status, RAG and reason, overdue, update freshness.

`rag.action_state` is the rule; this module only feeds it what the database holds
and writes back what changed, with a fixed number of queries however many actions
it rates. Services, the importer and the admin call `refresh` for what they
change; `manage.py rerate_actions` calls it for every action each day, so what
passes its due date overnight turns Red.
"""

from django.db import transaction

from core import bulk
from core.periods import today
from core.queries import Compiled

from . import rag
from .models import Action, ActionTally, Plan, ProgressUpdate

IDS_PER_UPDATE = 900  # actions rated in one transaction; under SQLite's oldest limit of 999 parameters

INPUTS = [
    "pk", "plan__rag_scheme", "plan__source_date", "plan__update_interval_months",
    "due_date", "timescale_kind", "completion_proposed_on",
]


def stored(action):
    """The state an action holds now, in the shape `computed` returns."""
    return {name: getattr(action, name) for name in Action.STATE_FIELDS}


def as_fields(state, day):
    return {
        "current_status": state.status,
        "current_status_on": state.status_reported_on,
        "rag_colour": state.rag.colour,
        "rag_reason": state.rag.reason,
        "overdue": state.overdue,
        "latest_update_on": state.latest_update_on,
        "update_overdue": state.update_overdue,
        "needs_due_date": state.needs_due_date,
        "rated_on": day,
    }


def computed(actions, day):
    """{action id: state fields on `day`} for a queryset of actions, from their history (two queries)."""
    updates = {}
    rows = ProgressUpdate.objects.filter(action__in=actions.values("pk")).order_by("action_id", "date", "id")
    for action_id, date, status in rows.values_list("action_id", "date", "status").iterator(chunk_size=5000):
        updates.setdefault(action_id, []).append((date, status))
    result = {}
    for pk, scheme, source_date, interval, due_date, kind, proposed_on in actions.values_list(*INPUTS).iterator(chunk_size=5000):
        state = rag.action_state(
            scheme=scheme,
            updates=updates.get(pk, ()),
            due_date=due_date,
            on=day,
            timescale_kind=kind,
            completion_proposed_on=proposed_on,
            source_date=source_date,
            update_interval_months=interval,
        )
        result[pk] = as_fields(state, day)
    return result


def refresh(actions=None, on=None):
    """Rate `actions` (a queryset; every action when None) on `on` (today) and store what changed.

    Returns how many actions changed. Running it twice on one day changes nothing the second time.
    """
    day = on or today()
    every = actions is None
    actions = Action.objects.all() if every else actions
    rows = list(actions.order_by("pk").values_list("pk", "plan_id"))
    ids = [pk for pk, _ in rows]
    changed = sum(_refresh_chunk(ids[start : start + IDS_PER_UPDATE], day) for start in range(0, len(ids), IDS_PER_UPDATE))
    recount(None if every else {plan_id for _, plan_id in rows})
    return changed


@transaction.atomic
def recount(plan_ids=None):
    """Count the actions of these plans (every plan when None) by their stored state into their ActionTally.

    Each tally is locked before its plan's actions are counted: two writers counting one plan at once take
    turns, and the second counts what the first committed, so neither leaves out the other's change."""
    plans = Plan.objects.all() if plan_ids is None else Plan.objects.filter(pk__in=list(plan_ids))
    plan_ids = list(plans.order_by("pk").values_list("pk", flat=True))
    if not plan_ids:
        return
    ActionTally.objects.bulk_create([ActionTally(plan_id=pk) for pk in plan_ids], ignore_conflicts=True)
    tallies = ActionTally.objects.filter(plan_id__in=plan_ids)
    list(tallies.select_for_update().order_by("plan_id").values_list("pk", flat=True))
    counted = {row.pop("plan_id"): row for row in Action.objects.filter(plan_id__in=plan_ids).counts_by_plan()}
    stored = {row.pop("plan_id"): row for row in tallies.values("plan_id", *ActionTally.COUNTS)}
    for pk in plan_ids:
        wanted = {name: counted.get(pk, {}).get(name, 0) for name in ActionTally.COUNTS}
        if stored[pk] != wanted:
            ActionTally.objects.filter(plan_id=pk).update(**wanted)


@transaction.atomic
def _refresh_chunk(ids, day):
    chunk = Action.objects.filter(pk__in=ids)
    # The rows are locked before their history is read (PostgreSQL): a progress update saved meanwhile
    # either waits for this or is read by it, and is never overwritten with the state from before it.
    # Actions alone, in the order of their ids: sorted as a list is (by plan title) the query would join and
    # lock the plan too, and a web edit holding its action would then wait on an import holding the plan.
    locked = chunk.select_for_update().order_by("pk")
    current = {pk: values for pk, *values in locked.values_list("pk", *Action.STATE_FIELDS)}
    fresh = computed(chunk, day)
    changed = []
    for pk, values in current.items():
        wanted = fresh[pk]
        before = dict(zip(Action.STATE_FIELDS, values))
        # rated_on alone changing is no change worth counting: the rest says the same on the new day.
        if any(before[name] != wanted[name] for name in Action.STATE_FIELDS if name != "rated_on"):
            changed.append((pk, *(wanted[name] for name in Action.STATE_FIELDS)))
    # Each changed action has a state of its own (its report dates and reasons differ): written in batches,
    # not one UPDATE an action.
    bulk.update(Action, changed, Action.STATE_FIELDS)
    chunk.exclude(rated_on=day).update(rated_on=day)
    return len(changed)


def ensure_rated_today():
    """Lists read the stored state: if today's rating has not run for some actions (a night the timer
    missed, a database just upgraded), it runs for them now. One indexed query when all is well."""
    day = today()
    if _STALE.rows(day):
        refresh(Action.objects.filter(rated_on__lt=day), day)


# Asked on every list page: compiled once (core.queries), as building it cost more than the database's answer.
_STALE = Compiled(lambda day: Action.objects.filter(rated_on__lt=day).order_by().values_list("pk")[:1])


def refresh_action(action):
    """Store one action's state for today and set it on the instance too."""
    refresh(Action.objects.filter(pk=action.pk))
    for name, value in Action.objects.filter(pk=action.pk).values(*Action.STATE_FIELDS).get().items():
        setattr(action, name, value)
    return action
