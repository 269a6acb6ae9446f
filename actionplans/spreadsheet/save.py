"""Saving a plan file: what is saved read once per table, what changes written in bulk.

`check` loads what the file's plans already hold (one query per table, whatever the
number of rows) and applies the rules that need it (`parse`'s last section): the
owning unit a plan names, statuses in the plan's scheme, cross-references, the actions
milestones and progress belong to. `save`
works out in memory what changes, then writes each table with `bulk_create` and
`bulk_update`, so 10 rows and 5,000 cost the same number of queries, but for one more
each time a table's rows fill a batch (500 rows; on SQLite, which Django keeps to 999
parameters a statement, a few dozen), and one more for each different set of columns
a re-import changes: a saved row is written with the columns that changed, never the
others. A file that changes nothing writes nothing.

Imports run beside each other and beside web edits: `check` first locks the names of
the plans and leads the file names (`core.locks`), so a second import of the same plan
waits and then finds what the first saved, and `Saved.load` locks the rows it may write
before it reads them, so a web edit is either read or waits (issue 12).

Bulk writes skip `Model.save()`: each model's `derive_fields()` sets what save()
would derive, and the change history (django-simple-history) is written in bulk
too, with the leads each action's history record had.

Progress updates are matched, never repeated: an update already saved for the same
action on the same day with the same text (line endings and spacing aside) is that
update (see the package's docstring for how the Plan and Progress sheets combine).
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from textwrap import shorten

from django.db.models import F, Q
from django.utils import timezone

from core import locks
from core.history import m2m_history_model
from core.imports import NEW, UNCHANGED, UPDATED, ImportResult, RowOutcome
from core.models import OrganisationUnit
from core.spreadsheets import RowError, RowWarning, header_key

from .. import rag, state, timescales
from ..models import Action, Area, Lead, Milestone, Plan, ProgressUpdate, Recommendation, name_key
from .columns import ACTION_FIELD_COLUMNS, MILESTONE_SHEET, PROGRESS_SHEET, RECOMMENDATION_FIELD_COLUMNS
from .parse import (
    cross_reference,
    dangling_references,
    first_given,
    plan_facts,
    settle_statuses,
    settle_update_statuses,
    unknown_actions,
)

BATCH = 500
INITIALS_ONLY = re.compile(r"^[A-Z]{2,4}$")
# "Head of Safeguarding - AH": a post, and the initials of the person holding it.
POST_INITIALS = re.compile(r"[-–:]\s*([A-Z]{2,4})\s*$")
# "Alison Hughes (AH)": a lead as the export writes one whose name lacks its initials (Lead.display).
WITH_INITIALS = re.compile(r"^(?P<name>.+?)\s*\((?P<initials>[^()]{1,10})\)$")
# What a new lead written so takes as initials; "NHS Sefton (the PCT)" is a name as written.
LOOKS_LIKE_INITIALS = re.compile(r"^[A-Z][A-Z.]{0,9}$")


def without_initials(name):
    """(the name, the initials) of "Alison Hughes (AH)"; (name, "") of a name without them."""
    found = WITH_INITIALS.match(name)
    return (found["name"], found["initials"]) if found else (name, "")


# The columns an import may write to a saved row: each row is written with those of them that differ from what
# the import read, never the others (a web edit of another column is never written back over).
ACTION_WRITES = [
    "area", "recommendation", "text", "expected_evidence", "timescale", "due_date_set",
    "due_date", "timescale_kind", "sort_key", "cross_reference",
]
PLAN_WRITES = ["source", "source_date", "unit"]
RECOMMENDATION_WRITES = ["area", "text", "page_reference", "measurable_indicator", "desired_outcome", "sort_key"]
MILESTONE_WRITES = ["date_text", "completed", "completed_on", "order", "start_date", "due_date"]
UNIT_NOT_FOUND = "is not a unit: use the name or short name of one in Admin > Organisation units"


def same_text(text):
    """How two spellings of one text are matched: line endings (\\r\\n or \\n) and spacing ignored."""
    return " ".join((text or "").split())


def _plural(count, word):
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass
class PlanImportResult(ImportResult):
    plans: list = field(default_factory=list)
    leads_created: list = field(default_factory=list)
    progress_updates: int = 0  # progress updates added or changed
    progress_outcomes: dict = field(default_factory=dict)  # each update the file names: NEW, UPDATED or UNCHANGED

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

    @property
    def message(self):
        """What the import did, counted as people count it: "Imported 1 plan: 5 actions, 3 milestones,
        4 progress updates. New: 5 actions, 3 milestones, 4 progress updates, 2 leads." """
        verb = "Would import" if self.dry_run else "Imported"
        progress = Counter(self.progress_outcomes.values())
        counted = [
            ("action", Counter(row.outcome for row in self.outcomes if row.sheet == "")),
            ("milestone", Counter(row.outcome for row in self.outcomes if row.sheet == MILESTONE_SHEET)),
            ("progress update", progress),
        ]
        headline = f"{verb} {_plural(len(self.plans), 'plan')}: " + ", ".join(
            _plural(sum(counts.values()), word) for word, counts in counted
        )
        new = [_plural(counts[NEW], word) for word, counts in counted if counts[NEW]]
        new += [_plural(len(self.leads_created), "lead")] if self.leads_created else []
        updated = [_plural(counts[UPDATED], word) for word, counts in counted if counts[UPDATED]]
        changes = [f"{label}: {', '.join(parts)}." for label, parts in (("New", new), ("Updated", updated)) if parts]
        if not changes:
            changes = ["Nothing would change." if self.dry_run else "Nothing changed."]
        return " ".join([f"{headline}.", *changes])


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
    milestones: dict  # (action id, activity as same_text): [Milestone], in order
    leads: list  # the leads the file's names may mean
    units: list = field(default_factory=list)  # every organisation unit, when the file names one

    @classmethod
    def load(cls, titles, lead_names, with_milestones, with_units=False):
        """What the database holds; the rows the import may write are locked (PostgreSQL) until it commits.

        The actions are locked before anything of theirs is read. A web edit (`services._lock` locks its
        action) that began first has committed by the time they are returned, so the progress updates
        read after include what it wrote; one that begins later waits for the import, then finds the
        version moved on. Milestones and progress updates are locked as they are read: marking a
        milestone done locks only the milestone. Plans, then actions: nothing locks an action, then its plan.
        """
        plans = {
            plan.title: plan
            for plan in Plan.objects.select_for_update(no_key=True).filter(title__in=titles).order_by("pk")
        }
        title_of = {plan.pk: plan.title for plan in plans.values()}
        ids = list(title_of)
        # In the order of their ids, as state.refresh locks them: the nightly rating and an import queue, never deadlock.
        actions = list(Action.objects.select_for_update().filter(plan_id__in=ids).order_by("pk"))
        links, updates, milestones = {}, {}, {}
        for link_id, action_id, lead_id in Action.leads.through.objects.filter(action__plan_id__in=ids).values_list(
            "id", "action_id", "lead_id"
        ):
            links.setdefault(action_id, {})[lead_id] = link_id
        locked_updates = ProgressUpdate.objects.select_for_update(no_key=True, of=("self",))
        for update in locked_updates.filter(action__plan_id__in=ids).order_by("date", "id"):
            updates.setdefault(update.action_id, []).append(update)
        if with_milestones:
            locked_milestones = Milestone.objects.select_for_update(no_key=True, of=("self",))
            for milestone in locked_milestones.filter(action__plan_id__in=ids).order_by("order", "id"):
                milestones.setdefault((milestone.action_id, same_text(milestone.activity)), []).append(milestone)
        keys = lead_keys(lead_names)
        initials = {name for name in lead_names if INITIALS_ONLY.match(name)}
        # Leads whose initials these are, given or read from their names ("Jane Smith" for "JS"): a new
        # lead "JS" beside them is worth a warning.
        named_so = Q()
        for letters in initials:
            named_so |= Q(name_key__regex="^" + " ".join(f"{letter.lower()}[^ ]*" for letter in letters) + "$")
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
            leads=list(Lead.objects.filter(Q(name_key__in=keys) | Q(initials__in=initials) | named_so)) if lead_names else [],
            # Ordered in full: two units of one name are listed in the same order on every database.
            units=(
                list(OrganisationUnit.objects.select_related("parent").order_by("name", "parent__name", "pk"))
                if with_units
                else []
            ),
        )


def lead_keys(names):
    """The name keys a lead the file names may be saved under: as written, and without "(JS)" after the name."""
    return {name_key(name) for name in names} | {name_key(without_initials(name)[0]) for name in names}


def initials_of(name):
    """The initials a person's name gives: "Jane Smith" -> "JS"."""
    return "".join(word[0] for word in name.split() if word[0].isalpha()).upper()


EXISTING, BY_INITIALS, CREATED = "existing", "initials", "new"


class LeadDirectory:
    """Finds the lead a plan names: by name (case and spacing ignored; "Jane Smith (JS)", as the export
    writes a lead whose name lacks its initials, by "Jane Smith"), or by initials alone when exactly one
    lead has them; otherwise makes a new one, which later rows then find."""

    def __init__(self, leads):
        self.by_key = {lead.name_key: lead for lead in leads}
        self.created = []

    def find(self, name):
        return self.match(name)[0]

    def match(self, name):
        """(the lead, how it was found: EXISTING, BY_INITIALS or CREATED, the leads whose initials a new
        lead's name is)."""
        for key in dict.fromkeys([name_key(name), name_key(without_initials(name)[0])]):
            if key in self.by_key:
                lead = self.by_key[key]
                return lead, CREATED if lead.pk is None else EXISTING, []
        look_alikes = []
        if INITIALS_ONLY.match(name):
            owners = [lead for lead in self.by_key.values() if lead.initials == name]
            if len(owners) == 1:
                return owners[0], BY_INITIALS, []
            look_alikes = owners or [lead for lead in self.by_key.values() if initials_of(lead.name) == name]
        return self.create(name), CREATED, look_alikes

    def create(self, written):
        name, given = without_initials(written)
        if not LOOKS_LIKE_INITIALS.match(given):
            name, given = written, ""
        initials = POST_INITIALS.search(name)
        lead = Lead(
            name=name,
            initials=given or (initials.group(1) if initials else (name if INITIALS_ONLY.match(name) else "")),
            kind=Lead.POST if initials else Lead.PERSON,
        )
        lead.derive_fields()
        self.by_key[lead.name_key] = lead
        self.created.append(lead)
        return lead


@dataclass
class Checked:
    plan_rows: list
    milestone_rows: tuple
    saved: Saved
    errors: list
    warnings: tuple = ()
    update_rows: list = field(default_factory=list)  # the Progress sheet's
    units: dict = field(default_factory=dict)  # plan title: the OrganisationUnit it is to have


def check(parsed, unit=None):
    """Look up what the file's plans hold and check the rows against it (see `core.imports`).

    `unit`: the owning unit chosen on the import page, for plans whose rows name none.
    """
    plan_rows, milestone_rows = parsed.rows(), parsed.rows(MILESTONE_SHEET)
    update_rows = parsed.rows(PROGRESS_SHEET)
    others = [row.plan for row in [*milestone_rows, *update_rows]]
    titles = list(dict.fromkeys([*(row.plan for row in plan_rows), *others]))
    names = {name for row in plan_rows for name in row.leads}
    with_units = any(row.unit for row in plan_rows)
    # Before anything is read: another import of these plans, or naming these leads, waits here until this one
    # commits, then reads what it saved, so nothing is added twice and no new plan or lead clashes with one just
    # added. Titles are keyed as lead names are (case and spacing aside): a few more imports queue, none less.
    locks.hold([f"plan:{name_key(title)}" for title in titles] + [f"lead:{key}" for key in lead_keys(names)])
    saved = Saved.load(titles, names, with_milestones=bool(milestone_rows), with_units=with_units)
    facts = plan_facts(
        plan_rows, {title: (plan.rag_scheme, plan.source_date) for title, plan in saved.plans.items()}, others
    )
    plan_rows, errors = settle_statuses(plan_rows, facts, parsed.errors)
    update_rows, update_errors = settle_update_statuses(update_rows, facts)
    errors += update_errors
    errors += dangling_references(plan_rows, set(saved.actions))
    errors += unknown_actions(milestone_rows, plan_rows, set(saved.actions), MILESTONE_SHEET)
    errors += unknown_actions(update_rows, plan_rows, set(saved.actions), PROGRESS_SHEET)
    units, unit_errors, warnings = plan_units(plan_rows, saved.units, unit)
    return Checked(plan_rows, milestone_rows, saved, errors + unit_errors, tuple(warnings), update_rows, units)


def find_unit(written, units):
    """(the unit `written` names, or None, and what is wrong when none): its name, else its short name,
    case and spacing ignored."""
    key = header_key(written)
    for attribute in ("name", "short_name"):
        found = [unit for unit in units if getattr(unit, attribute) and header_key(getattr(unit, attribute)) == key]
        if len(found) == 1:
            return found[0], None
        if found:
            names = ", ".join(f"{unit.name} in {unit.parent.name}" if unit.parent else unit.name for unit in found)
            return None, (
                f"'{written}' is the {attribute.replace('_', ' ')} of {len(found)} units ({names}): "
                "use a name or short name only one unit has"
            )
    return None, f"'{written}' {UNIT_NOT_FOUND}"


def plan_units(rows, units, chosen=None):
    """({plan title: the unit it is to have}, [RowError], [RowWarning]).

    The unit a plan's rows name wins over the one chosen on the import page, with a warning when
    they differ; the chosen one goes to plans whose rows name none. A plan in neither keeps its own.
    """
    found, errors, warnings = {}, [], []
    named = {}
    for row in rows:
        if row.unit:
            named.setdefault(row.plan, row)
    for title in dict.fromkeys(row.plan for row in rows):
        row = named.get(title)
        if row is None:
            if chosen is not None:
                found[title] = chosen
            continue
        unit, problem = find_unit(row.unit, units)
        if problem:
            errors.append(RowError(row.row, "Owning unit", problem))
            continue
        found[title] = unit
        if chosen is not None and chosen.pk != unit.pk:
            warnings.append(
                RowWarning(
                    row.row, "Owning unit",
                    f"the file gives plan '{title}' to {unit.name}, so the unit chosen on the import page "
                    f"({chosen.name}) does not apply to it",
                )
            )
    return found, errors, warnings


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
    lead_notes: tuple = ()  # how each lead was found, in words, for the preview

    @property
    def recorded(self):
        """Whether the action gets a history record: its fields or its leads change (leads are in its history)."""
        return self.is_new or self.fields_changed or self.leads is not None

    @property
    def outcome(self):
        if self.is_new:
            return NEW
        return UPDATED if self.recorded or self.progress_changed else UNCHANGED


def _differs(saved, value):
    """Whether a value differs from the one saved; text typed in a browser (\\r\\n, spaces at the ends)
    is the same as the cell that holds it."""
    if isinstance(saved, str) and isinstance(value, str):
        return saved.replace("\r\n", "\n").strip() != value.replace("\r\n", "\n").strip()
    return saved != value


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
            differs = _differs(getattr(instance, name), value)
        if differs:
            setattr(instance, name, value)
            changed = True
    return changed


def column_value(instance, name):
    """What saving `instance` writes to the column of field `name`: a related object saved since it was
    assigned (a new area, written first) counts with its id."""
    field = instance._meta.get_field(name)
    if field.many_to_one and field.is_cached(instance):
        related = field.get_cached_value(instance)
        return None if related is None else related.pk
    return getattr(instance, field.attname)


def as_read(instances):
    """{id: {column: value}} of saved rows, to tell later which columns the import changed."""
    return {
        instance.pk: {field.name: getattr(instance, field.attname) for field in instance._meta.concrete_fields}
        for instance in instances
    }


def from_columns(values, columns, row):
    """The values whose column the file has: a column left out changes nothing."""
    return {name: value for name, value in values.items() if row.has(columns[name])}


def holds_reference(text, timescale):
    """Whether an action's text or timescale says "See 12.1" (parse.cross_reference's rule)."""
    return cross_reference(text, timescales.parse_timescale(timescale))[0] is not None


# The order of outcomes when several rows name one progress update: the most it had done to it.
_RANK = {UNCHANGED: 0, UPDATED: 1, NEW: 2}


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
        self.updates = {}  # (plan title, action number): [ProgressUpdate], saved and new
        self.from_progress_sheet = set()  # id() of the updates a Progress sheet row names
        self.update_outcomes = {}  # id(ProgressUpdate): NEW, UPDATED or UNCHANGED
        self.update_outcome_rows = []
        self.progress_touched = set()  # (plan title, action number) of actions whose updates change
        self.warnings = []
        self.result = PlanImportResult()
        saved = self.saved
        self.as_read = {
            Plan: as_read(saved.plans.values()),
            Recommendation: as_read(saved.recommendations.values()),
            Action: as_read(saved.actions.values()),
            ProgressUpdate: as_read(update for updates in saved.updates.values() for update in updates),
            Milestone: as_read(milestone for milestones in saved.milestones.values() for milestone in milestones),
        }

    def run(self):
        self.stage_plans()
        for row in self.checked.plan_rows:
            self.stage_action(row)
        self.stage_progress_sheet(self.checked.update_rows)
        for staged in self.action_rows:
            staged.progress_changed = self.stage_progress(staged)
        for row in self.checked.milestone_rows:
            self.stage_milestone(row)
        self.write()
        self.write_history()
        result = self.result
        result.outcomes = [
            RowOutcome(
                staged.row.row, staged.outcome, action_label(staged.row), saved=staged.action, details=staged.lead_notes
            )
            for staged in self.action_rows
        ] + self.milestone_outcomes + self.update_outcome_rows
        result.warnings = self.warnings
        result.leads_created = self.leads.created
        result.progress_outcomes = dict(self.update_outcomes)
        result.progress_updates = sum(1 for outcome in self.update_outcomes.values() if outcome != UNCHANGED)
        changed_plans = {plan.title for plan in self.created[Plan]} | {plan.title for plan in self.changed[Plan].values()}
        rated = changed_plans | {staged.row.plan for staged in self.action_rows if staged.outcome != UNCHANGED}
        rated |= {title for title, _ in self.progress_touched}
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
            given = {
                "source": sources.get(title), "source_date": source_dates.get(title), "unit": self.checked.units.get(title),
            }
            if assign(plan, {name: value for name, value in given.items() if value}) and plan.pk:
                self.change(plan)
            self.result.plans.append(plan)
        for row in [*self.checked.milestone_rows, *self.checked.update_rows]:
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
        # A "See 12.1" the saved wording had links the action; wording without one no longer does.
        referred = not staged.is_new and holds_reference(staged.action.text, staged.action.timescale)
        staged.fields_changed = assign(staged.action, from_columns(values, ACTION_FIELD_COLUMNS, row)) and not staged.is_new
        if row.reference:
            self.references.append((staged, (row.plan, row.reference)))
        elif referred and staged.action.cross_reference_id and not holds_reference(staged.action.text, staged.action.timescale):
            staged.action.cross_reference = None
            staged.fields_changed = True
        staged.leads = self.changed_leads(staged)
        self.action_rows.append(staged)

    def changed_leads(self, staged):
        """The action's leads when the file changes them, else None; notes and warnings on how each was found."""
        found = {}
        notes = []
        for name in staged.row.leads:
            lead, how, look_alikes = self.leads.match(name)
            found.setdefault(id(lead), lead)
            if how == BY_INITIALS:
                notes.append(f"{name}: existing lead {lead}, by its initials")
            else:
                notes.append(f"{name}: {'new' if how == CREATED else 'existing'} lead")
            if look_alikes:
                others = " and ".join(str(other) for other in look_alikes)
                self.warnings.append(
                    RowWarning(
                        staged.row.row, "Leads",
                        f"'{name}' is added as a new lead, beside {others} with the same initials: if they are "
                        "the same person, write that lead's name instead",
                    )
                )
        if notes:
            staged.lead_notes = ("Leads: " + "; ".join(notes),)
        leads = list(found.values())
        if not staged.row.has("Leads"):
            return None
        current = set() if staged.is_new else set(self.saved.lead_links.get(staged.action.pk, ()))
        if any(lead.pk is None for lead in leads) or {lead.pk for lead in leads} != current:
            return leads
        return None

    # Progress ---------------------------------------------------------------------------------

    def updates_of(self, key):
        """The progress updates of the action (plan title, number), saved then new, oldest first."""
        if key not in self.updates:
            action = self.actions[key]
            self.updates[key] = list(self.saved.updates.get(action.pk, ())) if action.pk else []
        return self.updates[key]

    def new_update(self, key, day):
        update = ProgressUpdate(action=self.actions[key], date=day, source=ProgressUpdate.IMPORT)
        self.create(update)
        self.updates_of(key).append(update)
        return update

    def settle_update(self, key, update, values):
        """Set `values` on an update the file names; its outcome (the most any row did to it)."""
        if update.pk is None:
            assign(update, values)
            outcome = NEW
        elif assign(update, values):
            self.change(update)
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        if _RANK[outcome] > _RANK.get(self.update_outcomes.get(id(update)), -1):
            self.update_outcomes[id(update)] = outcome
        if outcome != UNCHANGED:
            self.progress_touched.add(key)
        return outcome

    def correctable(self, updates, day):
        """The update loaded from a spreadsheet on `day` that no Progress sheet row names: a row that
        says something else of that day corrects it rather than adding another."""
        return next(
            (
                update for update in updates
                if update.date == day and update.source == ProgressUpdate.IMPORT
                and id(update) not in self.from_progress_sheet
            ),
            None,
        )

    def stage_progress_sheet(self, rows):
        """Each Progress sheet row is one update: the saved one of that action, day and text, else the one
        loaded from a spreadsheet on that day (corrected), else a new one."""
        found = {}
        for row in rows:  # those saying what is saved first, so that a corrected row takes what is left
            key = (row.plan, row.action_number)
            same = [
                update for update in self.updates_of(key)
                if update.date == row.date and same_text(update.narrative) == same_text(row.narrative)
            ]
            fresh = [update for update in same if id(update) not in self.from_progress_sheet]
            if same:
                found[row.row] = (fresh or same)[0]
                self.from_progress_sheet.add(id(found[row.row]))
        for row in rows:
            key = (row.plan, row.action_number)
            update = found.get(row.row)
            if update is None:
                update = self.correctable(self.updates_of(key), row.date) or self.new_update(key, row.date)
                self.from_progress_sheet.add(id(update))
            values = {"status": row.status}
            if same_text(update.narrative) != same_text(row.narrative):
                values["narrative"] = row.narrative
            outcome = self.settle_update(key, update, values)
            label = (
                f"Progress of action {row.action_number} of '{row.plan}' on {row.date:%-d %b %Y}: "
                f"{shorten(row.narrative or rag.status_label(row.status), 60, placeholder='…')}"
            )
            self.update_outcome_rows.append(RowOutcome(row.row, outcome, label, PROGRESS_SHEET, update))

    def stage_progress(self, staged):
        """The plan row's progress (its narrative on its date) and status (on the day it was reported),
        recognised in the updates saved or named by the Progress sheet; whether that adds or changes one."""
        row = staged.row
        key = (row.plan, row.action_number)
        updates = self.updates_of(key)
        outcomes = []
        target = None
        if row.progress and row.progress_date:
            day = row.progress_date
            target = next(
                (u for u in updates if u.date == day and same_text(u.narrative) == same_text(row.progress)), None
            )
            if target is None:
                target = self.correctable(updates, day) or self.new_update(key, day)
                outcomes.append(self.settle_update(key, target, {"narrative": row.progress}))
            else:
                outcomes.append(self.settle_update(key, target, {}))
        status, day = row.status, row.reported_on
        if status and day:
            # A status is what was reported on its day: any update of that day that says so is it.
            reported = next((u for u in updates if u.date == day and u.status == status), None)
            if reported is not None:
                outcomes.append(self.settle_update(key, reported, {}))
            else:
                if target is None or target.date != day:
                    target = self.correctable(updates, day) or self.new_update(key, day)
                outcomes.append(self.settle_update(key, target, {"status": status}))
        elif (
            target is not None and row.has("Status") and not row.status_written and row.status_date is None
            and id(target) not in self.from_progress_sheet
        ):
            # No status written beside the progress: the update reports none.
            outcomes.append(self.settle_update(key, target, {"status": ""}))
        return any(outcome != UNCHANGED for outcome in outcomes)

    def stage_milestone(self, row):
        action = self.actions[row.plan, row.action_number]
        key = (row.plan, row.action_number)
        order = self.milestone_order[key]
        self.milestone_order[key] += 1
        # An action may list the same activity twice (Kent: a forum meets in June and December):
        # the n-th row of an activity is the n-th milestone with that activity.
        activity = same_text(row.activity)
        occurrence = self.occurrences[key, activity]
        self.occurrences[key, activity] += 1
        same = self.saved.milestones.get((action.pk, activity), []) if action.pk else []
        milestone = same[occurrence] if occurrence < len(same) else None
        values = {"date_text": row.date_text, "order": order}
        # Done or not only as the file says: a sheet without the Completed column leaves alone a milestone a lead
        # marked done on the web (unless its Date says "Completed").
        if row.has("Completed") or row.completed:
            values["completed"] = row.completed
            if not row.completed:
                values["completed_on"] = None
            elif row.has("Date completed"):
                values["completed_on"] = row.completed_on
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
        self.write_rows(Plan, PLAN_WRITES, always=["updated_at"])
        self.write_rows(Area, [])
        self.write_rows(Recommendation, RECOMMENDATION_WRITES)
        self.write_actions()
        self.write_leads()
        self.write_rows(ProgressUpdate, ["narrative", "status"])
        self.write_rows(Milestone, MILESTONE_WRITES)

    def write_rows(self, model, fields, always=()):
        created, changed = self.created[model], list(self.changed[model].values())
        for instance in created + changed:
            if hasattr(instance, "derive_fields"):
                instance.derive_fields()
            if "updated_at" in always:
                instance.updated_at = self.now
        model.objects.bulk_create(created, batch_size=BATCH)
        self.write_changed(model, changed, fields, always)

    def write_changed(self, model, instances, fields, always=()):
        """Write each saved row's `fields` that differ from what the import read, and only those (with `always`):
        rows changing the same columns share a statement, so a re-import costs a statement per kind of change."""
        if not instances:
            return
        read = self.as_read[model]
        kinds = {}
        for instance in instances:
            before = read[instance.pk]
            changed = tuple(name for name in fields if column_value(instance, name) != before[name])
            if changed:
                kinds.setdefault(changed, []).append(instance)
        for changed, rows in kinds.items():
            model.objects.bulk_update(rows, [*changed, *always], batch_size=BATCH)

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
            staged.action.updated_at = self.now
        self.write_changed(Action, [staged.action for staged in changed if staged.fields_changed], ACTION_WRITES)
        # Every action the import changes (its fields, leads or progress; progress the Progress sheet alone
        # changes too) gets a new version, as save() and the services give one: a form opened before the import
        # cannot overwrite it. Counted up in the database, in one UPDATE (bulk_update's CASE per row costs about
        # three milliseconds an action).
        touched = [staged.action for staged in changed]
        counted = {id(action) for action in touched} | {id(action) for action in new}
        touched += [
            self.actions[key] for key in sorted(self.progress_touched) if id(self.actions[key]) not in counted
        ]
        for start in range(0, len(touched), BATCH):
            Action.objects.filter(pk__in=[action.pk for action in touched[start : start + BATCH]]).update(
                version=F("version") + 1, updated_at=self.now
            )
        for action in touched:  # what the row now holds: it was read under the import's lock
            action.version += 1
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
