"""Saving a plan file: what is saved read once per table, what changes written in bulk.

`check` loads what the file's plans already hold (one query per table, whatever the
number of rows) and applies the rules that need it (`parse`'s last section). `save`
works out in memory what changes, then writes each table with `bulk_create` and
`bulk_update`, so 10 rows and 5,000 cost the same number of queries, but for one more
each time a table's rows fill a batch (500 rows; on SQLite, which Django keeps to 999
parameters a statement, a few dozen). A file that changes nothing writes nothing.

Bulk writes skip `Model.save()`: each model's `derive_fields()` sets what save()
would derive, and the change history (django-simple-history) is written in bulk
too, with the leads each action's history record had.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from textwrap import shorten

from django.db.models import F, Q
from django.utils import timezone

from core.history import m2m_history_model
from core.imports import NEW, UNCHANGED, UPDATED, ImportResult, RowOutcome

from .. import state
from ..models import Action, Area, Lead, Milestone, Plan, ProgressUpdate, Recommendation, name_key
from .columns import ACTION_FIELD_COLUMNS, MILESTONE_SHEET, RECOMMENDATION_FIELD_COLUMNS
from .parse import dangling_references, first_given, plan_facts, settle_statuses, unknown_milestone_actions

BATCH = 500
INITIALS_ONLY = re.compile(r"^[A-Z]{2,4}$")
# "Head of Safeguarding - AH": a post, and the initials of the person holding it.
POST_INITIALS = re.compile(r"[-–:]\s*([A-Z]{2,4})\s*$")
ACTION_WRITES = [
    "area", "recommendation", "text", "expected_evidence", "timescale", "due_date_set",
    "due_date", "timescale_kind", "sort_key", "cross_reference", "version", "updated_at",
]
RECOMMENDATION_WRITES = ["area", "text", "page_reference", "measurable_indicator", "desired_outcome", "sort_key"]
MILESTONE_WRITES = ["date_text", "completed", "order", "start_date", "due_date"]


@dataclass
class PlanImportResult(ImportResult):
    plans: list = field(default_factory=list)
    leads_created: list = field(default_factory=list)
    progress_updates: int = 0

    actions_created = property(lambda self: self.count(NEW))
    actions_updated = property(lambda self: self.count(UPDATED))
    actions_unchanged = property(lambda self: self.count(UNCHANGED))
    milestones_created = property(lambda self: self.count(NEW, MILESTONE_SHEET))
    milestones_updated = property(lambda self: self.count(UPDATED, MILESTONE_SHEET))
    milestones_unchanged = property(lambda self: self.count(UNCHANGED, MILESTONE_SHEET))

    @property
    def milestones(self):
        """Every milestone row read, whether it changed anything or not."""
        return self.milestones_created + self.milestones_updated + self.milestones_unchanged

    @property
    def summary(self):
        verb = "Would import" if self.dry_run else "Imported"
        plans = ", ".join(f"'{plan.title}'" for plan in self.plans)
        return (
            f"{verb} {plans}: {self.actions_created} actions new, {self.actions_updated} updated, "
            f"{self.actions_unchanged} unchanged; {self.milestones_created} milestones new, "
            f"{self.milestones_updated} updated, {self.milestones_unchanged} unchanged; "
            f"{self.progress_updates} progress updates; {len(self.leads_created)} new leads; "
            f"{len(self.warnings)} warnings."
        )


# --- What is saved --------------------------------------------------------------------------


@dataclass
class Saved:
    """What the database holds of the plans a file names, keyed as the file names things."""

    plans: dict  # title: Plan
    areas: dict  # (plan title, area title): Area
    recommendations: dict  # (plan title, number): Recommendation
    actions: dict  # (plan title, number): Action
    lead_links: dict  # action id: {lead id: link id}
    updates: dict  # action id: [ProgressUpdate], oldest first
    milestones: dict  # (action id, activity): [Milestone], in order
    leads: list  # the leads the file's names may mean

    @classmethod
    def load(cls, titles, lead_names, with_milestones):
        plans = {plan.title: plan for plan in Plan.objects.filter(title__in=titles)}
        title_of = {plan.pk: plan.title for plan in plans.values()}
        ids = list(title_of)
        # Locked until the import commits: a progress update or sign-off made meanwhile waits for it,
        # instead of being overwritten by a version read before it.
        actions = Action.objects.select_for_update().filter(plan_id__in=ids).order_by()
        links, updates, milestones = {}, {}, {}
        for link_id, action_id, lead_id in Action.leads.through.objects.filter(action__plan_id__in=ids).values_list(
            "id", "action_id", "lead_id"
        ):
            links.setdefault(action_id, {})[lead_id] = link_id
        for update in ProgressUpdate.objects.filter(action__plan_id__in=ids).order_by("date", "id"):
            updates.setdefault(update.action_id, []).append(update)
        if with_milestones:
            for milestone in Milestone.objects.filter(action__plan_id__in=ids).order_by("order", "id"):
                milestones.setdefault((milestone.action_id, milestone.activity), []).append(milestone)
        keys = {name_key(name) for name in lead_names}
        initials = {name for name in lead_names if INITIALS_ONLY.match(name)}
        return cls(
            plans=plans,
            areas={(title_of[a.plan_id], a.title): a for a in Area.objects.filter(plan_id__in=ids).order_by()},
            recommendations={
                (title_of[r.plan_id], r.number): r for r in Recommendation.objects.filter(plan_id__in=ids).order_by()
            },
            actions={(title_of[a.plan_id], a.number): a for a in actions},
            lead_links=links,
            updates=updates,
            milestones=milestones,
            leads=list(Lead.objects.filter(Q(name_key__in=keys) | Q(initials__in=initials))) if lead_names else [],
        )


class LeadDirectory:
    """Finds the lead a plan names: by name (case and spacing ignored), or by initials alone when
    exactly one lead has them; otherwise makes a new one, which later rows then find."""

    def __init__(self, leads):
        self.by_key = {lead.name_key: lead for lead in leads}
        self.created = []

    def find(self, name):
        key = name_key(name)
        if key in self.by_key:
            return self.by_key[key]
        if INITIALS_ONLY.match(name):
            owners = [lead for lead in self.by_key.values() if lead.initials == name]
            if len(owners) == 1:
                return owners[0]
        initials = POST_INITIALS.search(name)
        lead = Lead(
            name=name,
            initials=initials.group(1) if initials else (name if INITIALS_ONLY.match(name) else ""),
            kind=Lead.POST if initials else Lead.PERSON,
        )
        lead.derive_fields()
        self.by_key[key] = lead
        self.created.append(lead)
        return lead


@dataclass
class Checked:
    plan_rows: list
    milestone_rows: tuple
    saved: Saved
    errors: list
    warnings: tuple = ()


def check(parsed):
    """Look up what the file's plans hold and check the rows against it (see `core.imports`)."""
    plan_rows, milestone_rows = parsed.rows(), parsed.rows(MILESTONE_SHEET)
    titles = list(dict.fromkeys([*(row.plan for row in plan_rows), *(row.plan for row in milestone_rows)]))
    names = {name for row in plan_rows for name in row.leads}
    saved = Saved.load(titles, names, with_milestones=bool(milestone_rows))
    facts = plan_facts(plan_rows, {title: (plan.rag_scheme, plan.source_date) for title, plan in saved.plans.items()})
    plan_rows, errors = settle_statuses(plan_rows, facts, parsed.errors)
    errors += dangling_references(plan_rows, set(saved.actions))
    errors += unknown_milestone_actions(milestone_rows, plan_rows, set(saved.actions))
    return Checked(plan_rows, milestone_rows, saved, errors)


# --- Saving ---------------------------------------------------------------------------------


def save(checked):
    return _Saving(checked).run()


@dataclass
class _ActionRow:
    """What one plan row does to its action."""

    row: object  # PlanRow
    action: Action
    is_new: bool
    fields_changed: bool = False
    leads: list | None = None  # the leads it should have, when they differ from those it has
    progress_changed: bool = False

    @property
    def recorded(self):
        """Whether the action gets a history record: its fields or its leads change (leads are in its history)."""
        return self.is_new or self.fields_changed or self.leads is not None

    @property
    def outcome(self):
        if self.is_new:
            return NEW
        return UPDATED if self.recorded or self.progress_changed else UNCHANGED


def assign(instance, values):
    """Set `values` on `instance`; whether any differed. Related objects are compared by id
    (reading them would cost a query each); one not saved yet always differs."""
    changed = False
    for name, value in values.items():
        field = instance._meta.get_field(name)
        if field.many_to_one:
            new_id = value.pk if value is not None else None
            differs = (value is not None and new_id is None) or getattr(instance, field.attname) != new_id
        else:
            differs = getattr(instance, name) != value
        if differs:
            setattr(instance, name, value)
            changed = True
    return changed


def from_columns(values, columns, row):
    """The values whose column the file has: a column left out changes nothing."""
    return {name: value for name, value in values.items() if row.has(columns[name])}


class _Saving:
    """One import's writes: worked out in memory first, then made table by table, history last."""

    def __init__(self, checked):
        self.checked = checked
        self.saved = checked.saved
        self.now = timezone.now()
        self.leads = LeadDirectory(checked.saved.leads)
        self.plans = dict(self.saved.plans)
        self.areas = dict(self.saved.areas)
        self.recommendations = dict(self.saved.recommendations)
        self.actions = dict(self.saved.actions)
        self.next_area_order = Counter()
        for (title, _), area in self.saved.areas.items():
            self.next_area_order[title] = max(self.next_area_order[title], area.order + 1)
        models = (Plan, Area, Recommendation, ProgressUpdate, Milestone)
        self.created = {model: [] for model in models}
        self.changed = {model: {} for model in models}  # model: {id: object}
        self.action_rows = []
        self.references = []  # (_ActionRow, (plan title, number of the action it refers to))
        self.milestone_order, self.occurrences = Counter(), Counter()
        # A recommendation is set by each of its rows; it changes only if it ends up other than it was.
        self.saved_recommendations = {}  # id: its values before the import
        self.milestone_outcomes = []
        self.milestones_changed = set()  # titles of the plans whose milestones the file changes
        self.result = PlanImportResult()

    def run(self):
        self.stage_plans()
        for row in self.checked.plan_rows:
            self.stage_action(row)
        for row in self.checked.milestone_rows:
            self.stage_milestone(row)
        self.write()
        self.write_history()
        result = self.result
        result.outcomes = [
            RowOutcome(staged.row.row, staged.outcome, action_label(staged.row), saved=staged.action)
            for staged in self.action_rows
        ] + self.milestone_outcomes
        result.leads_created = self.leads.created
        changed_plans = {plan.title for plan in self.created[Plan]} | {plan.title for plan in self.changed[Plan].values()}
        rated = changed_plans | {staged.row.plan for staged in self.action_rows if staged.outcome != UNCHANGED}
        touched = rated | self.milestones_changed
        result.touched = [(plan, plan in self.created[Plan]) for plan in result.plans if plan.title in touched]
        if rated:
            # A new or changed action, or a plan's source date, changes what its actions show today.
            state.refresh(Action.objects.filter(plan__in=[self.plans[title] for title in rated]))
        return result

    def create(self, instance):
        self.created[type(instance)].append(instance)

    def change(self, instance):
        self.changed[type(instance)][instance.pk] = instance

    # Working out what changes ----------------------------------------------------------------

    def stage_plans(self):
        rows = self.checked.plan_rows
        sources, source_dates = first_given(rows, "source"), first_given(rows, "source_date")
        for title in dict.fromkeys(row.plan for row in rows):
            plan = self.plans.get(title)
            if plan is None:
                plan = self.plans[title] = Plan(title=title, source=sources.get(title) or Plan.OTHER)
                self.create(plan)
            given = {"source": sources.get(title), "source_date": source_dates.get(title)}
            if assign(plan, {name: value for name, value in given.items() if value}) and plan.pk:
                self.change(plan)
            self.result.plans.append(plan)
        for row in self.checked.milestone_rows:
            if self.plans[row.plan] not in self.result.plans:
                self.result.plans.append(self.plans[row.plan])

    def area_for(self, row):
        area = self.areas.get((row.plan, row.area))
        if area is None:
            # Areas keep the order in which the file first names them, after those the plan has.
            order = self.next_area_order[row.plan]
            area = self.areas[row.plan, row.area] = Area(plan=self.plans[row.plan], title=row.area, order=order)
            self.next_area_order[row.plan] = order + 1
            self.create(area)
        return area

    def recommendation_for(self, row, area):
        key = (row.plan, row.recommendation_number)
        recommendation = self.recommendations.get(key)
        values = {
            "area": area,
            "text": row.recommendation or (recommendation.text if recommendation else ""),
            "page_reference": row.recommendation_page,
            "measurable_indicator": row.measurable_indicator,
            "desired_outcome": row.desired_outcome,
        }
        if recommendation is None:
            recommendation = Recommendation(plan=self.plans[row.plan], number=row.recommendation_number)
            self.recommendations[key] = recommendation
            self.create(recommendation)
        elif recommendation.pk not in self.saved_recommendations:
            self.saved_recommendations[recommendation.pk] = recommendation_values(recommendation)
        if assign(recommendation, from_columns(values, RECOMMENDATION_FIELD_COLUMNS, row)) and recommendation.pk:
            self.change(recommendation)
        return recommendation

    def stage_action(self, row):
        area = self.area_for(row)
        recommendation = self.recommendation_for(row, area) if row.recommendation_number else None
        values = {
            "area": area,
            "recommendation": recommendation,
            "text": row.action,
            "expected_evidence": row.expected_evidence,
            "timescale": row.timescale.text,
            "due_date_set": row.due_date_set,
        }
        action = self.actions.get((row.plan, row.action_number))
        staged = _ActionRow(row, action or Action(plan=self.plans[row.plan], number=row.action_number), action is None)
        self.actions[row.plan, row.action_number] = staged.action
        staged.fields_changed = assign(staged.action, from_columns(values, ACTION_FIELD_COLUMNS, row)) and not staged.is_new
        staged.leads = self.changed_leads(staged)
        staged.progress_changed = self.stage_progress(staged)
        if row.reference:
            self.references.append((staged, (row.plan, row.reference)))
        self.action_rows.append(staged)

    def changed_leads(self, staged):
        """The action's leads when the file changes them, else None."""
        leads = list({id(lead): lead for lead in map(self.leads.find, staged.row.leads)}.values())
        if not staged.row.has("Leads"):
            return None
        current = set() if staged.is_new else set(self.saved.lead_links.get(staged.action.pk, ()))
        if any(lead.pk is None for lead in leads) or {lead.pk for lead in leads} != current:
            return leads
        return None

    def stage_progress(self, staged):
        """The row's progress and status as a dated update; whether that adds or changes one."""
        row, action = staged.row, staged.action
        narrative, status, day = row.progress, row.status, row.reported_on
        if not (narrative or status) or day is None:
            return False
        on_day = [] if staged.is_new else [u for u in self.saved.updates.get(action.pk, ()) if u.date == day]
        # The update loaded from a spreadsheet on that day is corrected, not repeated; else one saying the same.
        update = next((u for u in on_day if u.source == ProgressUpdate.IMPORT), None) or next(
            (u for u in on_day if u.narrative == narrative), None
        )
        if update is None:
            update = ProgressUpdate(action=action, date=day, source=ProgressUpdate.IMPORT)
            self.create(update)
        elif not row.has("Progress"):
            narrative = update.narrative
        if update.pk and not row.has("Status") and not status:
            status = update.status
        if not assign(update, {"narrative": narrative, "status": status}) and update.pk:
            return False
        if update.pk:
            self.change(update)
        self.result.progress_updates += 1
        return True

    def stage_milestone(self, row):
        action = self.actions[row.plan, row.action_number]
        key = (row.plan, row.action_number)
        order = self.milestone_order[key]
        self.milestone_order[key] += 1
        # An action may list the same activity twice (Kent: a forum meets in June and December):
        # the n-th row of an activity is the n-th milestone with that activity.
        occurrence = self.occurrences[key, row.activity]
        self.occurrences[key, row.activity] += 1
        same = self.saved.milestones.get((action.pk, row.activity), []) if action.pk else []
        milestone = same[occurrence] if occurrence < len(same) else None
        values = {"date_text": row.date_text, "completed": row.completed, "order": order}
        if milestone is None:
            milestone, outcome = Milestone(action=action, activity=row.activity), NEW
            assign(milestone, values)
            self.create(milestone)
        elif assign(milestone, values):
            outcome = UPDATED
            self.change(milestone)
        else:
            outcome = UNCHANGED
        if outcome != UNCHANGED:
            self.milestones_changed.add(row.plan)
        label = f"Milestone '{shorten(row.activity, 60, placeholder='…')}' of action {row.action_number} of '{row.plan}'"
        self.milestone_outcomes.append(RowOutcome(row.row, outcome, label, MILESTONE_SHEET, milestone))

    def link_references(self):
        """Point each "See 12.1" at its action once that action has an id; the new actions it changed."""
        linked = []
        for staged, target in self.references:
            target = self.actions[target]
            if target.pk is None or staged.action.cross_reference_id == target.pk:
                continue
            staged.action.cross_reference = target
            if staged.is_new:
                linked.append(staged.action)
            else:
                staged.fields_changed = True
        return linked

    # Writing ---------------------------------------------------------------------------------

    def write(self):
        self.changed[Recommendation] = {
            pk: recommendation
            for pk, recommendation in self.changed[Recommendation].items()
            if recommendation_values(recommendation) != self.saved_recommendations[pk]
        }
        Lead.objects.bulk_create(self.leads.created, batch_size=BATCH)
        self.write_rows(Plan, ["source", "source_date", "updated_at"])
        self.write_rows(Area, [])
        self.write_rows(Recommendation, RECOMMENDATION_WRITES)
        self.write_actions()
        self.write_leads()
        self.write_rows(ProgressUpdate, ["narrative", "status"])
        self.write_rows(Milestone, MILESTONE_WRITES)

    def write_rows(self, model, fields):
        created, changed = self.created[model], list(self.changed[model].values())
        for instance in created + changed:
            if hasattr(instance, "derive_fields"):
                instance.derive_fields()
            if "updated_at" in fields:
                instance.updated_at = self.now
        model.objects.bulk_create(created, batch_size=BATCH)
        if changed:
            model.objects.bulk_update(changed, fields, batch_size=BATCH)

    def write_actions(self):
        # A cross-reference to a saved action goes in with the insert; one to a new action, after it.
        self.link_references()
        new = [staged.action for staged in self.action_rows if staged.is_new]
        for action in new:
            action.derive_fields()
            action.version = 1  # as a first save() leaves it
        Action.objects.bulk_create(new, batch_size=BATCH)
        linked = self.link_references()
        changed = [staged for staged in self.action_rows if not staged.is_new and staged.outcome == UPDATED]
        for staged in changed:
            staged.action.derive_fields()
            # As save() and the services do: a form opened before the import cannot overwrite it.
            staged.action.version += 1
            staged.action.updated_at = self.now
        reworded = [staged.action for staged in changed if staged.fields_changed]
        if reworded:
            Action.objects.bulk_update(reworded, ACTION_WRITES, batch_size=BATCH)
        # New progress or leads change no field of the action: one UPDATE bumps all their versions
        # (bulk_update's CASE per row costs about three milliseconds an action).
        touched = [staged.action.pk for staged in changed if not staged.fields_changed]
        for start in range(0, len(touched), BATCH):
            Action.objects.filter(pk__in=touched[start : start + BATCH]).update(
                version=F("version") + 1, updated_at=self.now
            )
        if linked:
            Action.objects.bulk_update(linked, ["cross_reference"], batch_size=BATCH)

    def write_leads(self):
        link = Action.leads.through
        added, removed = [], []
        for staged in self.action_rows:
            if staged.leads is None:
                continue
            current = {} if staged.is_new else self.saved.lead_links.get(staged.action.pk, {})
            wanted = {lead.pk for lead in staged.leads}
            removed += [link_id for lead_id, link_id in current.items() if lead_id not in wanted]
            added += [link(action_id=staged.action.pk, lead_id=lead_id) for lead_id in wanted - set(current)]
            self.saved.lead_links[staged.action.pk] = {
                lead_id: link_id for lead_id, link_id in current.items() if lead_id in wanted
            }
        if removed:
            link.objects.filter(pk__in=removed).delete()
        link.objects.bulk_create(added, batch_size=BATCH)
        for row in added:
            self.saved.lead_links[row.action_id][row.lead_id] = row.pk

    def write_history(self):
        for model in (Plan, Area, Recommendation, ProgressUpdate, Milestone):
            model.history.bulk_history_create(self.created[model], batch_size=BATCH)
            model.history.bulk_history_create(list(self.changed[model].values()), update=True, batch_size=BATCH)
        Lead.history.bulk_history_create(self.leads.created, batch_size=BATCH)
        recorded = [staged for staged in self.action_rows if staged.recorded]
        records = Action.history.bulk_history_create(
            [staged.action for staged in recorded if staged.is_new], batch_size=BATCH
        ) or []
        records += Action.history.bulk_history_create(
            [staged.action for staged in recorded if not staged.is_new], update=True, batch_size=BATCH
        ) or []
        # django-simple-history copies the through rows of `leads` for each record it makes on save();
        # its bulk writes do not, so the action page's history would lose who led it.
        lead_history = m2m_history_model(Action, "leads")
        lead_history.objects.bulk_create(
            [
                lead_history(history=record, id=link_id, action_id=record.id, lead_id=lead_id)
                for record in records
                for lead_id, link_id in self.saved.lead_links.get(record.id, {}).items()
            ],
            batch_size=BATCH,
        )


def recommendation_values(recommendation):
    return [getattr(recommendation, Recommendation._meta.get_field(name).attname) for name in RECOMMENDATION_FIELD_COLUMNS]


def action_label(row):
    return f"Action {row.action_number} of '{row.plan}': {shorten(row.action, 80, placeholder='…')}"
