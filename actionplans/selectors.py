"""Reads: a plan as at a day, and rows of actions for lists.

`plan_report(plan, on, filters)` is the one read model of a plan: the plan page,
the CSV and XLSX exports and every later renderer (print, Word, PDF, snapshots)
take what it returns, plain frozen dataclasses, and build no rows of their own.

On today it reads each action's stored state (`state.py`) when that is fresh;
on any other day it computes the state from the history, as DOMAIN.md "As at
a date" says, for one plan at a time. Either way a fixed number of queries,
whatever the number of actions.
"""

import itertools
from collections import namedtuple
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, Subquery, Value, When, prefetch_related_objects
from django.db.models.functions import Coalesce

from core.models import OrganisationUnit
from core.periods import today
from core.queries import Compiled, columns, from_row, link, prefetched
from core.rag import Rag

from . import asat, rag, timescales
from .models import Action, ActionTally, Area, InspectionJudgement, Lead, Milestone, Plan, ProgressUpdate, Recommendation


@dataclass(frozen=True)
class LeadRow:
    name: str
    display: str  # with initials where the name lacks them: "Alison Hughes (AH)"


@dataclass(frozen=True)
class ProgressRow:
    date: date
    narrative: str


@dataclass(frozen=True)
class MilestoneRow:
    activity: str
    date_text: str
    due_date: date | None
    completed: bool


@dataclass(frozen=True)
class ActionRow:
    pk: int
    number: str
    text: str
    expected_evidence: str
    area: str
    recommendation_number: str
    plan_pk: int
    plan_title: str
    leads: tuple
    timescale: str
    due_date: date | None
    timescale_needs_review: bool
    status: str
    status_label: str
    status_reported_on: date | None
    rag: Rag
    overdue: bool
    latest_update_on: date | None
    update_overdue: bool
    update_overdue_since: date | None  # the day freshness counts from: the latest update, else the plan's source date
    latest_progress: ProgressRow | None
    completion_proposed: bool
    needs_due_date: bool
    cross_reference: tuple | None  # (number, pk) of the action it refers to
    milestones: tuple = ()

    @property
    def lead_names(self):
        return "; ".join(lead.name for lead in self.leads)


@dataclass(frozen=True)
class RecommendationGroup:
    number: str
    text: str
    page_reference: str
    measurable_indicator: str
    desired_outcome: str
    actions: tuple


@dataclass(frozen=True)
class AreaSection:
    title: str
    recommendations: tuple
    actions: tuple  # actions with no recommendation (business plans)

    @property
    def rows(self):
        for group in self.recommendations:
            yield from group.actions
        yield from self.actions


@dataclass(frozen=True)
class PlanHeader:
    pk: int
    title: str
    source: str
    source_label: str
    source_date: date | None
    unit: str
    status_label: str
    rag_scheme: str
    rag_scheme_label: str
    update_interval_months: int


@dataclass(frozen=True)
class PlanFilters:
    """Which actions a report shows; the summary counts what it shows."""

    area: int | None = None
    lead: int | None = None
    status: str = ""
    rag: str = ""
    overdue: bool = False
    update_overdue: bool = False
    needs_due_date: bool = False

    @property
    def any(self):
        return bool(
            self.area or self.lead or self.status or self.rag or self.overdue or self.update_overdue
            or self.needs_due_date
        )


@dataclass(frozen=True)
class PlanReport:
    plan: PlanHeader
    day: date
    is_today: bool
    before_source: bool  # the day is before the plan's source date: the plan did not exist yet
    judgements: tuple  # (outcome, judgement) pairs
    areas: tuple
    summary: rag.Summary
    filters: PlanFilters = field(default_factory=PlanFilters)

    @property
    def rows(self):
        """Every action row, in the plan's order."""
        for area in self.areas:
            yield from area.rows

    @property
    def overdue(self):
        return tuple(row for row in self.rows if row.overdue)


def _lead_rows(leads):
    return tuple(LeadRow(lead.name, str(lead)) for lead in leads)


def _lead_links(links):
    return links.order_by("lead__name").values_list("action_id", "lead_id", "lead__name", "lead__initials")


def _leads_by_action(links):
    """{action id: [(lead id, LeadRow)]} from the rows of `_lead_links`: no model objects."""
    found = {}
    for action_id, lead_id, name, initials in links:
        found.setdefault(action_id, []).append((lead_id, LeadRow(name, Lead.display(name, initials))))
    return found


def _plan_leads(plan):
    return _leads_by_action(_lead_links(Action.leads.through.objects.filter(action__plan=plan)))


def _plan_milestones(plan):
    """{action id: (MilestoneRow, …)} for every action of the plan, in one query and no model objects."""
    found = {}
    fields = ("action_id", "activity", "date_text", "due_date", "completed")
    for action_id, *values in Milestone.objects.filter(action__plan=plan).order_by("order", "id").values_list(*fields):
        found.setdefault(action_id, []).append(MilestoneRow(*values))
    return {action_id: tuple(rows) for action_id, rows in found.items()}


def action_row(action, *, state, latest, plan, milestones=(), leads=None):
    """One action's row from the model, its state on the day (a rag.ActionState) and its latest narrated update."""
    return _row(
        action,
        state=state,
        latest=latest,
        area=action.area.title,
        recommendation_number=action.recommendation.number if action.recommendation_id else "",
        plan_pk=plan.pk,
        plan_title=plan.title,
        leads=_lead_rows(action.leads.all()) if leads is None else leads,
        cross_reference=(action.cross_reference.number, action.cross_reference_id) if action.cross_reference_id else None,
        milestones=milestones,
    )


def _row(action, *, state, latest, area, recommendation_number, plan_pk, plan_title, leads, cross_reference, milestones=()):
    """An ActionRow from the action's own columns (a model or a `ListedAction`) and what it points to."""
    return ActionRow(
        pk=action.pk,
        number=action.number,
        text=action.text,
        expected_evidence=action.expected_evidence,
        area=area,
        recommendation_number=recommendation_number,
        plan_pk=plan_pk,
        plan_title=plan_title,
        leads=leads,
        timescale=action.timescale,
        due_date=action.due_date,
        timescale_needs_review=Action.timescale_unreadable(action.timescale_kind, action.due_date_set),
        status=state.status,
        status_label=state.status_label,
        status_reported_on=state.status_reported_on,
        rag=state.rag,
        overdue=state.overdue,
        latest_update_on=state.latest_update_on,
        update_overdue=state.update_overdue,
        update_overdue_since=state.update_overdue_since,
        latest_progress=ProgressRow(latest.date, latest.narrative) if latest else None,
        completion_proposed=state.completion_proposed,
        needs_due_date=state.needs_due_date,
        cross_reference=cross_reference,
        milestones=milestones,
    )


def stored_state(action, source_date):
    """The state stored on the action (a model or a `ListedAction`), as a rag.ActionState; `source_date`: its plan's."""
    return rag.ActionState(
        update_overdue_since=rag.freshness_since(action.latest_update_on, source_date),
        completion_proposed=action.completion_proposed_on is not None,
        status=action.current_status,
        status_reported_on=action.current_status_on,
        rag=Rag(action.rag_colour, action.rag_reason),
        overdue=action.overdue,
        latest_update_on=action.latest_update_on,
        update_overdue=action.update_overdue,
        needs_due_date=action.needs_due_date,
    )


def _latest_annotated(action):
    """The latest narrated update from `ActionQuerySet.with_latest_narrative`'s annotations."""
    return ProgressRow(action.latest_narrative_on, action.latest_narrative) if action.latest_narrative_on else None


def _matches(row, filters, lead_ids):
    return (
        (not filters.rag or row.rag.colour == filters.rag)
        and (not filters.status or row.status == filters.status)
        and (not filters.overdue or row.overdue)
        and (not filters.update_overdue or row.update_overdue)
        and (not filters.needs_due_date or row.needs_due_date)
        and (not filters.lead or filters.lead in lead_ids)
    )


# What a plan's report reads of each action: its own columns, as plain values.
_REPORTED = [
    "pk", "number", "text", "expected_evidence", "timescale", "due_date", "due_date_set", "timescale_kind",
    "completion_proposed_on", *Action.STATE_FIELDS, "area_id", "recommendation_id", "cross_reference_id",
    "latest_narrative", "latest_narrative_on",
]
ReportedAction = namedtuple("ReportedAction", _REPORTED)


def _actions_of(plan, day, is_today, filters):
    """(the plan's actions in its order, whether every one of them was rated on `day`).

    Today, when the nightly rating has run, they are plain values: building 400 model instances took as long
    as the rest of the report. Otherwise models, whose history the report reads (`Action.state_on`) and whose
    wording it may restore as it stood (`asat.restore_wording`)."""
    actions = plan.actions.all()
    if filters.area:
        actions = actions.filter(area_id=filters.area)
    actions = actions.order_by("sort_key")
    if not is_today:
        return list(actions), False
    actions = actions.with_latest_narrative(day)
    listed = [ReportedAction(*row) for row in actions.values_list(*_REPORTED)]
    if all(action.rated_on == day for action in listed):
        return listed, True
    return list(actions), False


def plan_report(plan, on=None, filters=None):
    """The plan as at `on` (today when None), optionally filtered; see the module's docstring."""
    day = on or today()
    filters = filters or PlanFilters()
    is_today = day == today()
    # No joins: the plan's areas and recommendations are read once and looked up by the actions' ids.
    actions, all_fresh = _actions_of(plan, day, is_today, filters)
    all_areas = list(plan.areas.order_by("order", "id"))
    areas = [area for area in all_areas if not filters.area or area.pk == filters.area]
    recommendations = {recommendation.pk: recommendation for recommendation in plan.recommendations.order_by("sort_key")}
    area_ids = {area.pk for area in areas}
    all_recommendations = [r for r in recommendations.values() if r.area_id in area_ids]
    # Wording as it stood on the day (none to restore today); the actions share these recommendation objects.
    asat.restore_wording(actions, list(recommendations.values()), day)
    areas_by_id, numbers = {area.pk: area for area in all_areas}, {action.pk: action.number for action in actions}
    # An action refers to one of its plan's; filtered by area, that one may not have been read.
    elsewhere = {a.cross_reference_id for a in actions if a.cross_reference_id and a.cross_reference_id not in numbers}
    if elsewhere:
        numbers |= dict(Action.objects.filter(pk__in=elsewhere).values_list("pk", "number"))

    # Today, what was rated today is read as stored; any other day (or an action not yet rated today)
    # is computed from the history, loaded in one query for those actions only.
    fresh = {action.pk for action in actions if all_fresh or (is_today and action.rated_on == day)}
    if not all_fresh:
        updates = ProgressUpdate.objects.only("id", "action_id", "date", "status", "narrative")
        prefetch_related_objects([a for a in actions if a.pk not in fresh], Prefetch("progress_updates", queryset=updates))
    plan_leads, plan_milestones = _plan_leads(plan), _plan_milestones(plan)
    rows, states = {}, []
    for action in actions:
        if action.pk in fresh:
            action_state = stored_state(action, plan.source_date)
            latest = _latest_annotated(action)
        else:
            action_state = action.state_on(day, plan)
            latest = action.latest_update_on_day(day)
        leads = plan_leads.get(action.pk, ())
        row = _row(
            action, state=action_state, latest=latest, area=areas_by_id[action.area_id].title,
            recommendation_number=recommendations[action.recommendation_id].number if action.recommendation_id else "",
            plan_pk=plan.pk, plan_title=plan.title, leads=tuple(lead for _, lead in leads),
            cross_reference=(numbers[action.cross_reference_id], action.cross_reference_id) if action.cross_reference_id else None,
            milestones=plan_milestones.get(action.pk, ()),
        )
        if _matches(row, filters, {lead_id for lead_id, _ in leads}):
            rows[action.pk] = row
            states.append(action_state)

    by_recommendation, loose = {}, {}
    for action in actions:
        if action.pk not in rows:
            continue
        if action.recommendation_id:
            by_recommendation.setdefault(action.recommendation_id, []).append(rows[action.pk])
        else:
            loose.setdefault(action.area_id, []).append(rows[action.pk])
    sections = []
    for area in areas:
        groups = tuple(
            RecommendationGroup(
                number=recommendation.number,
                text=recommendation.text,
                page_reference=recommendation.page_reference,
                measurable_indicator=recommendation.measurable_indicator,
                desired_outcome=recommendation.desired_outcome,
                actions=tuple(by_recommendation.get(recommendation.pk, ())),
            )
            for recommendation in all_recommendations
            if recommendation.area_id == area.pk and (not filters.any or recommendation.pk in by_recommendation)
        )
        section = AreaSection(area.title, groups, tuple(loose.get(area.pk, ())))
        if not filters.any or groups or section.actions:
            sections.append(section)

    return PlanReport(
        plan=plan_header(plan),
        day=day,
        is_today=is_today,
        before_source=bool(plan.source_date and day < plan.source_date),
        judgements=tuple(
            (judgement.outcome, judgement.get_judgement_display())
            for judgement in InspectionJudgement.objects.filter(plan=plan)
        ),
        areas=tuple(sections),
        summary=rag.summarise(plan.rag_scheme, states),
        filters=filters,
    )


def plan_header(plan):
    return PlanHeader(
        pk=plan.pk,
        title=plan.title,
        source=plan.source,
        source_label=plan.get_source_display(),
        source_date=plan.source_date,
        unit=str(plan.unit) if plan.unit_id else "",
        status_label=plan.get_status_display(),
        rag_scheme=plan.rag_scheme,
        rag_scheme_label=plan.get_rag_scheme_display(),
        update_interval_months=plan.update_interval_months,
    )


# What a list row reads of an action: its own columns and, by join, those of the rows it points to; read
# as plain values, since building the plan, area, recommendation and leads as model objects for every row
# cost more than the rest of a list page together.
_LISTED = {
    "pk": "pk", "number": "number", "text": "text", "expected_evidence": "expected_evidence", "timescale": "timescale",
    "due_date": "due_date", "due_date_set": "due_date_set", "timescale_kind": "timescale_kind",
    "completion_proposed_on": "completion_proposed_on", **{name: name for name in Action.STATE_FIELDS},
    "cross_reference_id": "cross_reference_id", "cross_reference_number": "cross_reference__number",
    "plan_id": "plan_id", "plan_title": "plan__title", "plan_source_date": "plan__source_date",
    "area_title": "area__title", "recommendation_number": "recommendation__number",
}
ListedAction = namedtuple("ListedAction", _LISTED)


# A page's rows, read by its actions' ids with queries compiled once (core.queries): built with the ORM each time,
# these three cost a list page more than the database took to answer them.
def _listed_by_id(ids):
    """`_LISTED` of the actions `ids`, what they point to read by a subquery each rather than joined: for a page's
    fifty, PostgreSQL hashed every area and recommendation to join them (1.7 ms; 0.6 this way)."""
    one = {
        "plan_title": (Plan, "plan_id", "title"), "plan_source_date": (Plan, "plan_id", "source_date"),
        "area_title": (Area, "area_id", "title"), "recommendation_number": (Recommendation, "recommendation_id", "number"),
        "cross_reference_number": (Action, "cross_reference_id", "number"),
    }
    read = {
        f"listed_{name}": Subquery(model.objects.filter(pk=OuterRef(key)).order_by().values(column))
        for name, (model, key, column) in one.items()
    }
    return Action.objects.filter(pk__in=ids).order_by().annotate(**read).values_list(
        *(f"listed_{name}" if name in one else path for name, path in _LISTED.items())
    )


_LISTED_BY_ID = Compiled(_listed_by_id)
_LEAD_LINKS = Compiled(lambda ids: _lead_links(Action.leads.through.objects.filter(action_id__in=ids)))
_NARRATED = Compiled(
    lambda ids, day: ProgressUpdate.objects.filter(action_id__in=ids, date__lte=day).exclude(narrative="")
    .order_by("action_id", "date", "id").values_list("action_id", "date", "narrative")
)


def _listed_rows(listed):
    """ActionRows from `ListedAction`s, with their leads and latest narrated update in one query each."""
    ids = [action.pk for action in listed]
    leads = _leads_by_action(_LEAD_LINKS.rows(ids))
    return [
        _row(
            action,
            state=stored_state(action, action.plan_source_date),
            latest=latest,
            area=action.area_title,
            recommendation_number=action.recommendation_number or "",
            plan_pk=action.plan_id,
            plan_title=action.plan_title,
            leads=tuple(lead for _, lead in leads.get(action.pk, ())),
            cross_reference=(action.cross_reference_number, action.cross_reference_id) if action.cross_reference_id else None,
        )
        for action, latest in zip(listed, _latest_narratives(ids, today()))
    ]


def _latest_narratives(ids, day):
    """Each action's latest progress update with a narrative on or before `day` (a ProgressRow, or None), in the
    order of `ids`. One plain query over those actions' narrated updates: a correlated subquery per row read as
    fast in the database but cost Django more to build than the rest of a list page's queries together."""
    latest = {}
    for action_id, update_on, narrative in _NARRATED.rows(ids, day):
        latest[action_id] = ProgressRow(update_on, narrative)
    return [latest.get(pk) for pk in ids]


def _listed(actions, chunk_size=None):
    values = actions.values_list(*_LISTED.values())
    return (ListedAction(*row) for row in (values.iterator(chunk_size=chunk_size) if chunk_size else values))


def rows_for_pages(*orders):
    """Rows for pages of actions given as lists of their ids, each in its order, from their stored state: no
    history is read. A list is sorted and sliced on the actions' ids alone; only a page's rows are then read in
    full, so the latest progress is looked up for twenty actions, not for all of them. Several pages (My
    actions and those awaiting sign-off) are read together."""
    ids = list(dict.fromkeys(pk for order in orders for pk in order))
    found = {row.pk: row for row in _listed_rows([ListedAction(*row) for row in _LISTED_BY_ID.rows(ids)])}
    return [[found[pk] for pk in order] for order in orders]


def list_rows(actions, chunk_size=2000):
    """Rows for every action of a filtered list, in its order, from the stored state, a chunk at a time
    (a download of the whole list: 30,000 rows are never all in memory at once)."""
    listed = _listed(actions, chunk_size)
    while chunk := list(itertools.islice(listed, chunk_size)):
        yield from _listed_rows(chunk)


def _action_page_row(pk):
    related = {"plan": Plan, "area": Area, "recommendation": Recommendation, "cross_reference": Action}
    return Action.objects.filter(pk=pk).values_list(
        *columns(Action), *(column for name, model in related.items() for column in columns(model, f"{name}__"))
    )


# An action's own pages: the action with what they show, read with queries compiled once (core.queries). With
# select_related and prefetch_related, Django spent 3 ms of the page's 10 compiling the four queries.
_ACTION_PAGE = Compiled(_action_page_row)
_ACTION_LEADS = Compiled(lambda pk: Lead.objects.filter(actions=pk).order_by("name", "id").values_list(*columns(Lead)))
_ACTION_UPDATES = Compiled(lambda pk: ProgressUpdate.objects.filter(action_id=pk).order_by("date", "id").values_list(
    *columns(ProgressUpdate), *columns(get_user_model(), "author__")))
_ACTION_MILESTONES = Compiled(
    lambda pk: Milestone.objects.filter(action_id=pk).order_by("order", "id").values_list(*columns(Milestone))
)


def action_for_page(pk):
    """The action `pk` with everything its own pages show, or None: its plan, area, recommendation and the action it
    cross-refers to, its leads, its progress updates with their authors (its status on any day) and its milestones,
    as select_related and prefetch_related of those would give it, in four queries."""
    rows = _ACTION_PAGE.rows(pk)
    if not rows:
        return None
    action, rest = from_row(Action, rows[0])
    for name, model in (("plan", Plan), ("area", Area), ("recommendation", Recommendation), ("cross_reference", Action)):
        related, rest = from_row(model, rest)
        link(action, name, related)
    prefetched(action, "leads", [from_row(Lead, row)[0] for row in _ACTION_LEADS.rows(pk)])
    updates = []
    for row in _ACTION_UPDATES.rows(pk):
        update, rest = from_row(ProgressUpdate, row)
        link(update, "author", from_row(get_user_model(), rest)[0])
        link(update, "action", action)
        updates.append(update)
    prefetched(action, "progress_updates", updates)
    milestones = [from_row(Milestone, row)[0] for row in _ACTION_MILESTONES.rows(pk)]
    for milestone in milestones:
        link(milestone, "action", action)
    prefetched(action, "milestones", milestones)
    return action


def ids_of_actions_led_by(user):
    """The ids of the actions `user` leads (through any of their leads), each once: a set, whose size is how many.

    Read on their own, not as a subquery of the list: that way PostgreSQL sorted every action of every plan
    before finding the officer's few hundred (165 ms at county scale; 10 ms this way)."""
    # From the leads' links alone: the actions table itself has nothing to add to their ids.
    return set(Action.leads.through.objects.filter(lead__user=user).values_list("action_id", flat=True))


def actions_awaiting_sign_off(user, managed_unit_ids, is_admin):
    """Proposed completions `user` may confirm or return: their units' but not their own proposals (an admin: all).

    The proposals are found first, by their index: they are few among many actions, and the
    unit condition alone led SQLite to read every action.
    """
    # No ordering: Action's default (plan title) made SQLite walk every action by plan (7 ms).
    ids = Action.objects.filter(completion_proposed_on__isnull=False).order_by().values_list("pk", flat=True)
    proposed = Action.objects.filter(pk__in=list(ids))
    if is_admin:
        return proposed
    return proposed.responsible_to(managed_unit_ids).exclude(completion_proposed_by=user)


def summary_from_counts(scheme, row):
    """A rag.Summary from counts named as an ActionTally's (`ActionQuerySet.counts_by_plan` makes them)."""
    return rag.Summary(
        scheme,
        counts={colour: row[f"{colour}_count"] for colour in rag.COLOUR_ORDER if row.get(f"{colour}_count")},
        completed=row.get("completed_count") or 0,
        cancelled=row.get("cancelled_count") or 0,
        delayed=row.get("delayed_count") or 0,
        overdue=row.get("overdue_count") or 0,
        update_overdue=row.get("update_overdue_count") or 0,
        needs_due_date=row.get("needs_due_date_count") or 0,
    )


def summaries_of(plans):
    """{plan id: rag.Summary of its actions, from their tally (state.recount)} for a page of plans, in one query."""
    plans = list(plans)
    counted = {row["plan_id"]: row for row in ActionTally.objects.filter(plan__in=plans).values()}
    return {plan.pk: summary_from_counts(plan.rag_scheme, counted.get(plan.pk, {})) for plan in plans}


@dataclass(frozen=True)
class Dashboard:
    """What a manager's home shows for the units they answer for (an admin: every unit), across plans."""

    unit_pk: int | None  # the unit the lists behind the counts are filtered to; None for every unit
    unit_name: str
    summary: rag.Summary  # counted over both schemes: colours, overdue, update overdue, needing a due date
    awaiting_sign_off: int  # completions this person may sign off


def _tally_rows(plan, source, units, *, counted):
    tallies = ActionTally.objects.order_by()
    if plan is not None:
        tallies = tallies.filter(plan_id=plan)
    if source is not None:
        tallies = tallies.filter(plan__source=source)
    if units is not None:
        tallies = tallies.filter(plan__unit_id__in=units)
    return tallies.values_list(*counted)


# Compiled once (core.queries): the actions list counts itself with it and a manager's home counts their units' actions.
_TALLY_ROWS = Compiled(_tally_rows)


def summed_tallies(counted, *, plan=None, source=None, units=None):
    """{name: its total} of the ActionTally counts `counted` over the plans' tallies (state.recount): of one plan,
    of a source's plans, of the plans of `units` when given, else every plan's. Added up here, not with SQL's SUM:
    a compiled query cannot be Django's aggregate(). {} when there is no such plan."""
    rows = _TALLY_ROWS.rows(plan, source, units, counted=tuple(counted))
    return {name: sum(column) for name, column in zip(counted, zip(*rows))}


def dashboard(unit, units, is_admin, awaiting):
    """Counts across plans of the actions `units` answer for (every action for an admin), from the plans'
    tallies (state.recount) and the few actions that name a unit of their own, in two queries at most;
    `awaiting`: how many completions this person may sign off."""
    row = summed_tallies(ActionTally.COUNTS, units=None if is_admin else sorted(units))
    if not is_admin:
        for name, moving in Action.objects.counts_moving_to(units).items():
            row[name] = row.get(name, 0) + moving
    return Dashboard(
        unit_pk=None if is_admin else unit.pk,
        unit_name="every unit" if is_admin else str(unit),
        summary=summary_from_counts(rag.IMPROVEMENT, row),
        awaiting_sign_off=awaiting,
    )


# --- Business plan monitoring (seed 001, 5.3) ----------------------------------------------------------


@dataclass(frozen=True)
class MonitoringRow:
    """One division's line of the business plan dashboard, or the directorate totals (`unit_pk` None)."""

    unit_pk: int | None
    division: str  # as committee papers write it: the unit's short name ("OPPD"), else its name
    name: str
    priorities: int
    summary: rag.Summary

    @property
    def actions(self):
        return self.summary.total

    @property
    def completed(self):
        return self.summary.completed

    @property
    def on_course(self):
        return self.summary.on_course

    @property
    def delayed_or_cancelled(self):
        return self.summary.delayed_or_cancelled

    @property
    def overall(self):
        return self.summary.overall


@dataclass(frozen=True)
class BusinessPlanMonitoring:
    day: date
    rows: tuple  # MonitoringRow per division, in the order the divisions were set up
    totals: MonitoringRow
    unowned: MonitoringRow | None  # business plan actions no unit answers for


def _status_on(day):
    """An action's status on `day` as an SQL expression: today the stored one (`state.py`); another day
    the latest status reported on or before it, else "completed" for a timescale that says so
    (rag.status_on's rule, DOMAIN.md "As at")."""
    if day == today():
        return F("current_status")
    reported = (
        ProgressUpdate.objects.filter(action=OuterRef("pk"), date__lte=day)
        .exclude(status="")
        .order_by("-date", "-id")
        .values("status")[:1]
    )
    completed_by_timescale = Case(
        When(timescale_kind=timescales.COMPLETED, then=Value(rag.COMPLETED)), default=Value("")
    )
    return Coalesce(Subquery(reported), completed_by_timescale)


def _business_summary(actions, completed, cancelled, delayed):
    # In the business plan scheme the colour follows the status (seed 001, 5.3's key): Green completed,
    # Red cancelled, Amber the rest; the roll-up colour needs only these counts (rag.Summary.overall).
    counts = {rag.GREEN: completed, rag.RED: cancelled, rag.AMBER: actions - completed - cancelled}
    return rag.Summary(
        rag.BUSINESS, counts={colour: n for colour, n in counts.items() if n},
        completed=completed, cancelled=cancelled, delayed=delayed,
    )


def business_plan_monitoring(on=None):
    """Seed 001's business plan dashboard (5.3) on `on` (today when None; today's reads the stored state,
    so the caller rates stale actions first): per division, its business plans' priorities (areas) and
    actions counted completed, on course and delayed or cancelled, with the overall RAG; and the totals.

    Two queries whatever the number of actions: one counts in SQL by responsible unit (the action's own,
    else its plan's, as the actions list's unit filter reads it) and priority; the other reads the units,
    so that a team's counts roll up to its division.
    """
    day = on or today()
    status = _status_on(day)
    counted = (
        Action.objects.filter(plan__source=Plan.BUSINESS_PLAN)
        .exclude(plan__source_date__gt=day)  # a plan before its source date did not exist yet
        .annotate(responsible=Coalesce("unit_id", "plan__unit_id"), day_status=status)
        .order_by()
        .values("responsible", "area_id")
        .annotate(
            actions=Count("pk"),
            completed=Count("pk", filter=Q(day_status=rag.COMPLETED)),
            cancelled=Count("pk", filter=Q(day_status=rag.CANCELLED)),
            delayed=Count("pk", filter=Q(day_status=rag.DELAYED)),
        )
    )
    units = {
        pk: (parent_id, level, name, short_name)
        for pk, parent_id, level, name, short_name in OrganisationUnit.objects.values_list(
            "pk", "parent_id", "level", "name", "short_name"
        )
    }

    def division_of(unit_id):
        # The nearest division at or above the unit; a unit under none answers for itself.
        current, seen = unit_id, set()
        while current is not None and current not in seen:
            seen.add(current)
            parent_id, level, _, _ = units[current]
            if level == OrganisationUnit.DIVISION:
                return current
            current = parent_id
        return unit_id

    totals = {}  # division id (None: no unit): [areas, actions, completed, cancelled, delayed]
    for row in counted:
        division = division_of(row["responsible"]) if row["responsible"] is not None else None
        found = totals.setdefault(division, [set(), 0, 0, 0, 0])
        found[0].add(row["area_id"])
        for index, name in enumerate(("actions", "completed", "cancelled", "delayed"), start=1):
            found[index] += row[name]

    def line(unit_pk, division, name, priorities, counts):
        return MonitoringRow(unit_pk, division, name, priorities, _business_summary(*counts))

    rows = tuple(
        line(pk, units[pk][3] or units[pk][2], units[pk][2], len(found[0]), found[1:])
        for pk, found in sorted((pk, found) for pk, found in totals.items() if pk is not None)
    )
    unowned = totals.get(None)
    unowned_row = line(None, "No owning unit", "No owning unit", len(unowned[0]), unowned[1:]) if unowned else None
    every = [*rows, *([unowned_row] if unowned_row else [])]
    summed = [sum(getattr(row.summary, name) for row in every) for name in ("total", "completed", "cancelled", "delayed")]
    return BusinessPlanMonitoring(
        day=day,
        rows=rows,
        totals=line(None, "Directorate totals", "Directorate totals", sum(row.priorities for row in every), summed),
        unowned=unowned_row,
    )


# On every action page, so compiled once (core.queries). By number alone: they are the same plan's, and
# the default order (by plan title) led SQLite to read every action of every plan to find them.
_REFERRING = Compiled(lambda pk: Action.objects.filter(cross_reference_id=pk).order_by("sort_key").values_list("pk", "number"))
Referring = namedtuple("Referring", "pk number")


def referring_actions(action):
    """The actions that say "see action N" of this one, in plan order."""
    return [Referring(*row) for row in _REFERRING.rows(action.pk)]
