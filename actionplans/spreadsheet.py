"""The plan format: its columns, and importing plan files.

One column map (`PLAN_COLUMNS`, `MILESTONE_COLUMNS`) serves the admin import,
`manage.py import_plan`, `manage.py export_plan` and the plan page's download
(`export.py`), so export then import gives back the same rows. Reading and
writing files is `core.spreadsheets`'s.

A file with any bad row saves nothing: every error is collected with its row
number, column and reason, and the whole import runs in one transaction.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from core.spreadsheets import (  # noqa: F401 (the format's callers use these names)
    Column,
    ImportErrors,
    RowError,
    SpreadsheetError,
    Table,
    _text,
    header_key,
    make_table,
    parse_date,
    read_sheets,
)

from . import rag, state, timescales
from .models import Action, Area, Lead, Milestone, Plan, ProgressUpdate, Recommendation, name_key

# --- The plan format ------------------------------------------------------------------------

PLAN_COLUMNS = [
    Column("Plan", required=True),
    Column("Source"),
    Column("Source date"),
    Column("Area", required=True),
    Column("Recommendation No"),
    Column("Recommendation"),
    Column("Recommendation page"),
    Column("Measurable indicator"),
    Column("Desired outcome"),
    Column("Action No", required=True),
    Column("Action", required=True),
    Column("Expected evidence"),
    Column("Leads"),
    Column("Timescale"),
    Column("Due date"),
    Column("Status"),
    Column("Progress"),
    Column("Progress date"),
]
EXPORT_ONLY_COLUMNS = ["RAG", "RAG reason"]
MILESTONE_COLUMNS = [
    Column("Plan", required=True),
    Column("Action No", required=True),
    Column("Milestone", required=True),
    Column("Date"),
    Column("Completed"),
]
MILESTONE_SHEET = "Milestones"

SOURCE_BY_NAME = {header_key(label): key for key, label in Plan.SOURCES} | {key: key for key, _ in Plan.SOURCES}
SOURCE_BY_NAME |= {"cqc": Plan.CQC_INSPECTION, "apa": Plan.ANNUAL_PERFORMANCE_ASSESSMENT}
CROSS_REFERENCE = re.compile(r"^\s*(?:see|refer(?:red)? to|cf\.?)\s+(?:action\s+)?(\d+(?:\.\d+)*[a-z]?)\s*\.?\s*$", re.I)
INITIALS_ONLY = re.compile(r"^[A-Z]{2,4}$")
# Cells stored in columns of limited length: longer text is a row error, not a database error.
MAX_LENGTHS = {
    "Plan": Plan._meta.get_field("title").max_length,
    "Area": Area._meta.get_field("title").max_length,
    "Recommendation No": Recommendation._meta.get_field("number").max_length,
    "Recommendation page": Recommendation._meta.get_field("page_reference").max_length,
    "Action No": Action._meta.get_field("number").max_length,
}
# The column each saved field comes from. A column the file leaves out changes nothing (a file in the
# issue's format has no Recommendation page); a column that is there, even blank, is what the file says.
RECOMMENDATION_FIELD_COLUMNS = {
    "area": "Area",
    "text": "Recommendation",
    "page_reference": "Recommendation page",
    "measurable_indicator": "Measurable indicator",
    "desired_outcome": "Desired outcome",
}
ACTION_FIELD_COLUMNS = {
    "area": "Area",
    "recommendation": "Recommendation No",
    "text": "Action",
    "expected_evidence": "Expected evidence",
    "timescale": "Timescale",
    "due_date_set": "Due date",
}
# Excel reads a number typed as "1.10" as 1.1: a non-integer number in a numbering column may have lost a zero.
NUMBER_CELL = (
    "is a number in the spreadsheet, so Excel may have dropped a trailing zero (1.10 becomes 1.1): "
    "format the column as text and type it again"
)
NUMBERING_COLUMNS = ("Action No", "Recommendation No")
TRUE_WORDS = {"yes", "y", "true", "1", "completed", "complete", "done", "x"}
FALSE_WORDS = {"", "no", "n", "false", "0"}


@dataclass
class ImportResult:
    dry_run: bool
    plans: list = field(default_factory=list)
    actions_created: int = 0
    actions_updated: int = 0
    actions_unchanged: int = 0
    milestones_created: int = 0
    milestones_updated: int = 0
    milestones_unchanged: int = 0
    progress_updates: int = 0
    leads_created: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    row_outcomes: list = field(default_factory=list)  # (row number, "new"|"update"|"skip", action)

    @property
    def milestones(self):
        """Every milestone row read, whether it changed anything or not."""
        return self.milestones_created + self.milestones_updated + self.milestones_unchanged

    @property
    def summary(self):
        verb = "Would import" if self.dry_run else "Imported"
        plans = ", ".join(f"'{p.title}'" for p in self.plans)
        return (
            f"{verb} {plans}: {self.actions_created} actions new, {self.actions_updated} updated, "
            f"{self.actions_unchanged} unchanged; {self.milestones_created} milestones new, "
            f"{self.milestones_updated} updated, {self.milestones_unchanged} unchanged; "
            f"{self.progress_updates} progress updates; {len(self.leads_created)} new leads; "
            f"{len(self.warnings)} warnings."
        )


def import_plan_file(data, filename, *, dry_run=False, milestone_data=None, milestone_filename=None):
    """Import a plan file (and optionally a separate milestones CSV). Raises SpreadsheetError or ImportErrors."""
    sheets = read_sheets(data, filename)
    milestone_rows = None
    if milestone_data is not None:
        milestone_rows = next(iter(read_sheets(milestone_data, milestone_filename).values()))
    plan_rows, milestone_rows = split_sheets(sheets, milestone_rows)
    return import_rows(plan_rows, milestone_rows, dry_run=dry_run)


def split_sheets(sheets, milestone_rows=None):
    """(plan rows, milestone rows) of a file's sheets: the first sheet, and a sheet named Milestones
    unless `milestone_rows` come from a file of their own. Either may be None."""
    first = next(iter(sheets.values()))
    for title, rows in sheets.items():
        # A Milestones sheet with nothing below its header (an export of a plan without milestones) adds none.
        filled = sum(1 for row in rows if any(_text(cell) for cell in row))
        if milestone_rows is None and header_key(title) == header_key(MILESTONE_SHEET) and rows is not first and filled > 1:
            milestone_rows = rows
    # A milestones file on its own (admin upload of a Milestones CSV) is recognised by its headers.
    if looks_like_milestones(first):
        return None, first
    return first, milestone_rows


def looks_like_milestones(raw_rows):
    header_row = next((row for row in raw_rows if any(_text(c) for c in row)), [])
    keys = {header_key(_text(cell)) for cell in header_row}
    return "milestone" in keys and "action" not in keys


def import_rows(plan_rows, milestone_rows=None, *, dry_run=False):
    """Validate every row, then save everything in one transaction (rolled back on a dry run)."""
    plan_table = make_table(plan_rows, PLAN_COLUMNS) if plan_rows is not None else None
    milestone_table = (
        make_table(milestone_rows, MILESTONE_COLUMNS, what="Milestones sheet") if milestone_rows is not None else None
    )
    with transaction.atomic():
        importer = _PlanImport(dry_run)
        if plan_table:
            importer.load_plans(plan_table)
        if milestone_table and not importer.errors:
            importer.load_milestones(milestone_table)
        if importer.errors:
            transaction.set_rollback(True)
            raise ImportErrors(sorted(importer.errors, key=lambda error: error.row))
        state.refresh(Action.objects.filter(plan__in=[plan.pk for plan in importer.plans.values()]))
        if dry_run:
            transaction.set_rollback(True)
        return importer.result


class _PlanImport:
    def __init__(self, dry_run):
        self.errors = []
        self.result = ImportResult(dry_run=dry_run)
        self.leads = {lead.name_key: lead for lead in Lead.objects.all()}
        self.plans = {}
        self.area_order = {}  # plan title: the order the plan's next new area gets
        # What each plan already holds, loaded once per plan rather than queried per row.
        self.areas, self.recommendations, self.actions = {}, {}, {}
        # What the file says of each plan: the first source and source date given on any of its rows.
        self.file_sources, self.file_source_dates = {}, {}
        self.saved_plans = {}  # plan title: the plan already saved (None for a new one), looked up once

    def error(self, row, column, reason):
        self.errors.append(RowError(row, column, reason))

    # Plans -----------------------------------------------------------------------------------

    def load_plans(self, table):
        for header in table.unknown_headers:
            if header_key(header) not in {header_key(name) for name in EXPORT_ONLY_COLUMNS}:
                self.result.warnings.append(f"Column '{header}' is not part of the plan format and was ignored.")
        parsed = [self.parse_row(number, values) for number, values in table.rows]
        self.check_consistency(parsed)
        if self.errors:
            return
        self.merge_recommendations(parsed)
        for row in parsed:
            self.save_row(row)
        for row in parsed:
            self.link_cross_reference(row)

    def parse_row(self, number, values):
        text = {name: _text(value) for name, value in values.items()}
        row = {"number": number, **text, "columns": set(values)}
        for name in ("Plan", "Area", "Action No", "Action"):
            if not text.get(name):
                self.error(number, name, "is required and is empty")
        for name, length in MAX_LENGTHS.items():
            if len(text.get(name, "")) > length:
                self.error(number, name, f"is longer than {length} characters")
        for name in NUMBERING_COLUMNS:
            if _is_fractional_number(values.get(name)):
                self.error(number, name, NUMBER_CELL)
        source = text.get("Source", "")
        row["source"] = SOURCE_BY_NAME.get(header_key(source)) if source else None
        if source and row["source"] is None:
            names = ", ".join(label for _, label in Plan.SOURCES)
            self.error(number, "Source", f"'{source}' is not a plan source; use one of {names}")
        for name in ("Source date", "Due date", "Progress date"):
            row[name] = None
            if text.get(name):
                try:
                    row[name] = parse_date(values[name])
                except ValueError as error:
                    self.error(number, name, str(error))
        if text.get("Recommendation") and not text.get("Recommendation No"):
            self.error(number, "Recommendation No", "is needed when Recommendation is given")
        if text.get("Progress") and not text.get("Progress date"):
            self.error(number, "Progress date", "is needed when Progress is given: the date the progress was reported")
        row["leads"] = [" ".join(part.split()) for part in text.get("Leads", "").split(";") if part.strip()]
        lead_length = Lead._meta.get_field("name").max_length
        if any(len(name) > lead_length for name in row["leads"]):
            self.error(number, "Leads", f"a lead's name is longer than {lead_length} characters")
        return row

    def saved_plan(self, title):
        if title not in self.saved_plans:
            self.saved_plans[title] = Plan.objects.filter(title=title).first()
        return self.saved_plans[title]

    def source_date_for(self, title):
        """The plan's source date once imported: the file's, else the one already saved (None if neither)."""
        if self.file_source_dates.get(title):
            return self.file_source_dates[title]
        saved = self.saved_plan(title)
        return saved.source_date if saved else None

    def scheme_for(self, title, source):
        saved = self.saved_plan(title)
        if saved and saved.rag_scheme:
            return saved.rag_scheme
        return rag.BUSINESS if source == Plan.BUSINESS_PLAN else rag.IMPROVEMENT

    def check_consistency(self, parsed):
        seen_actions, recommendation_text, plan_source = {}, {}, {}
        for row in parsed:
            number, plan = row["number"], row["Plan"]
            key = (plan, row["Action No"])
            if key in seen_actions:
                self.error(number, "Action No", f"action {row['Action No']} of '{plan}' is also on row {seen_actions[key]}")
            elif all(key):  # a row without plan or number is reported as such
                seen_actions[key] = number
            if row["source"]:
                first = plan_source.setdefault(plan, (row["source"], number))
                if first[0] != row["source"]:
                    self.error(number, "Source", f"differs from the source of the same plan on row {first[1]}")
            if row["Source date"]:
                self.file_source_dates.setdefault(plan, row["Source date"])
            if row.get("Recommendation No") and row.get("Recommendation"):
                rec_key = (plan, row["Recommendation No"])
                first = recommendation_text.setdefault(rec_key, (row["Recommendation"], number))
                if first[0] != row["Recommendation"]:
                    self.error(
                        number, "Recommendation",
                        f"recommendation {row['Recommendation No']} has different wording on row {first[1]}",
                    )
        self.file_sources = {plan: source for plan, (source, _) in plan_source.items()}
        for row in parsed:
            number, plan = row["number"], row["Plan"]
            scheme = self.scheme_for(plan, self.file_sources.get(plan))
            try:
                row["status"] = rag.normalise_status(row.get("Status", ""), scheme)
            except ValueError as error:
                row["status"] = ""
                self.error(number, "Status", str(error))
            parsed_timescale = timescales.parse_timescale(row.get("Timescale", ""))
            self.find_cross_reference(row, parsed_timescale, seen_actions)
            if parsed_timescale.needs_review and not row["Due date"]:
                self.result.warnings.append(
                    f"Row {number}, column 'Timescale': '{row['Timescale']}' names no date that can be read; "
                    "kept as written and flagged for review."
                )
            # A status counts from the row's progress date, else the plan's source date (DOMAIN.md "As at"):
            # never from the day of the import.
            day = row["Progress date"] or self.source_date_for(plan)
            if parsed_timescale.is_completed and not day and row["status"] in ("", rag.COMPLETED):
                # "Completed" in the timescale already makes the action complete (Action.status_on): with no
                # date to give it, a status update would only repeat that on a made-up day. An export of such
                # an action writes Status "Completed" and no date, and imports back the same way.
                row["status"] = ""
            elif not row["status"] and parsed_timescale.is_completed:
                row["status"] = rag.COMPLETED
            already_reported = any(e.row == number and e.column == "Progress date" for e in self.errors)
            if row["status"] and not day and not already_reported:
                self.error(
                    number, "Progress date",
                    "is needed for the Status: give the date the status was reported, or the plan's Source date",
                )

    def find_cross_reference(self, row, parsed_timescale, seen_actions):
        """A cross-reference ("See 12.1") in the Action or the Timescale column: the action must be in the plan."""
        number, plan = row["number"], row["Plan"]
        in_action = CROSS_REFERENCE.match(row["Action"] or "")
        in_action = in_action.group(1) if in_action else None
        in_timescale = parsed_timescale.reference if parsed_timescale.kind == timescales.REFERENCE else None
        row["reference"], column = (in_action, "Action") if in_action else (in_timescale, "Timescale")
        if in_action and in_timescale and in_action != in_timescale:
            self.error(number, "Timescale", f"refers to action {in_timescale}, but the Action refers to {in_action}")
            return
        if row["reference"] and (plan, row["reference"]) not in seen_actions:
            if not Action.objects.filter(plan__title=plan, number=row["reference"]).exists():
                self.error(number, column, f"refers to action {row['reference']}, which is not in the plan")

    def merge_recommendations(self, parsed):
        """A recommendation's details may be on any of its rows: each blank cell takes what another row gives."""
        details = ("Recommendation", "Recommendation page", "Measurable indicator", "Desired outcome")
        given = {}
        for row in parsed:
            if row.get("Recommendation No"):
                found = given.setdefault((row["Plan"], row["Recommendation No"]), {})
                for name in details:
                    if row.get(name):
                        found.setdefault(name, row[name])
        for row in parsed:
            if row.get("Recommendation No"):
                row.update(given[(row["Plan"], row["Recommendation No"])])

    def plan_for(self, row):
        title = row["Plan"]
        plan = self.plans.get(title)
        if plan is None:
            plan = self.saved_plan(title)
            # The first source and source date on any of the plan's rows, as check_consistency read them.
            source, source_date = self.file_sources.get(title), self.file_source_dates.get(title)
            if plan is None:
                plan = Plan(title=title, source=source or Plan.OTHER)
            changed = plan.pk is None
            if source and plan.source != source:
                plan.source, changed = source, True
            if source_date and plan.source_date != source_date:
                plan.source_date, changed = source_date, True
            if changed:
                plan.save()
            self.plans[title] = plan
            areas = list(plan.areas.all())
            self.areas[title] = {area.title: area for area in areas}
            self.area_order[title] = max((area.order for area in areas), default=-1) + 1
            self.recommendations[title] = {rec.number: rec for rec in plan.recommendations.all()}
            self.actions[title] = {
                action.number: action
                for action in plan.actions.prefetch_related("leads", "progress_updates")
            }
            self.result.plans.append(plan)
        return plan

    def lead_for(self, name):
        key = name_key(name)
        if key in self.leads:
            return self.leads[key]
        if INITIALS_ONLY.match(name):
            owners = [lead for lead in self.leads.values() if lead.initials == name]
            if len(owners) == 1:
                return owners[0]
        initials = re.search(r"[-–:]\s*([A-Z]{2,4})\s*$", name)
        lead = Lead.objects.create(
            name=name,
            initials=initials.group(1) if initials else (name if INITIALS_ONLY.match(name) else ""),
            kind=Lead.POST if initials else Lead.PERSON,
        )
        self.leads[key] = lead
        self.result.leads_created.append(lead)
        return lead

    def save_row(self, row):
        plan = self.plan_for(row)
        area = self.areas[plan.title].get(row["Area"])
        if area is None:
            area = Area.objects.create(plan=plan, title=row["Area"], order=self.area_order[plan.title])
            self.areas[plan.title][area.title] = area
            self.area_order[plan.title] += 1
        recommendation = None
        if row.get("Recommendation No"):
            recommendation = self.recommendations[plan.title].get(row["Recommendation No"])
            fields = {
                "area": area,
                "text": row.get("Recommendation", "") or (recommendation.text if recommendation else ""),
                "page_reference": row.get("Recommendation page", ""),
                "measurable_indicator": row.get("Measurable indicator", ""),
                "desired_outcome": row.get("Desired outcome", ""),
            }
            fields = {name: value for name, value in fields.items() if RECOMMENDATION_FIELD_COLUMNS[name] in row["columns"]}
            recommendation = _save_changed(recommendation or Recommendation(plan=plan, number=row["Recommendation No"]), fields)
            self.recommendations[plan.title][recommendation.number] = recommendation
        due_from_timescale = timescales.parse_timescale(row.get("Timescale", "")).due_date
        fields = {
            "area": area,
            "recommendation": recommendation,
            "text": row["Action"],
            "expected_evidence": row.get("Expected evidence", ""),
            "timescale": row.get("Timescale", ""),
            # A due date equal to the timescale's own is not an override: export writes it back.
            "due_date_set": row["Due date"] if row["Due date"] != due_from_timescale else None,
        }
        fields = {name: value for name, value in fields.items() if ACTION_FIELD_COLUMNS[name] in row["columns"]}
        action = self.actions[plan.title].get(row["Action No"])
        is_new = action is None
        action, changed = _save_changed(action or Action(plan=plan, number=row["Action No"]), fields, report=True)
        self.actions[plan.title][action.number] = action
        leads = [self.lead_for(name) for name in row["leads"]]
        current_leads = set() if is_new else {lead.pk for lead in action.leads.all()}
        if "Leads" in row["columns"] and {lead.pk for lead in leads} != current_leads:
            action.leads.set(leads)
            changed = True
        changed |= self.save_progress(plan, action, row, is_new)
        outcome = "new" if is_new else ("update" if changed else "skip")
        if outcome == "new":
            self.result.actions_created += 1
        elif outcome == "update":
            self.result.actions_updated += 1
        else:
            self.result.actions_unchanged += 1
        self.result.row_outcomes.append((row["number"], outcome, action))
        row["action"] = action

    def save_progress(self, plan, action, row, is_new):
        narrative = row.get("Progress", "")
        status = row.get("status", "")
        if not narrative and not status:
            return False
        # A status loaded from a spreadsheet counts from the row's progress date, else the plan's source date;
        # check_consistency made a row with neither an error (or, for a "Completed" timescale, left out its status).
        day = row["Progress date"] or plan.source_date
        if day is None:
            return False
        on_day = [] if is_new else [u for u in action.progress_updates.all() if u.date == day]
        update = next((u for u in on_day if u.source == ProgressUpdate.IMPORT), None) or next(
            (u for u in on_day if u.narrative == narrative), None
        )
        if update is None:
            update = ProgressUpdate(action=action, date=day, source=ProgressUpdate.IMPORT)
        elif "Progress" not in row["columns"]:
            narrative = update.narrative
        if update.pk and "Status" not in row["columns"] and not status:
            status = update.status
        if update.pk and update.narrative == narrative and update.status == status:
            return False
        update.narrative, update.status = narrative, status
        update.save()
        self.result.progress_updates += 1
        return True

    def link_cross_reference(self, row):
        if not row["reference"]:
            return
        action = row["action"]
        target = Action.objects.get(plan=action.plan, number=row["reference"])
        if action.cross_reference_id != target.pk:
            action.cross_reference = target
            action.save(update_fields=["cross_reference", "version", "updated_at"])

    # Milestones ------------------------------------------------------------------------------

    def load_milestones(self, table):
        for header in table.unknown_headers:
            self.result.warnings.append(f"Column '{header}' of the Milestones sheet is not known and was ignored.")
        order, existing, occurrences = {}, {}, {}
        for number, values in table.rows:
            text = {name: _text(value) for name, value in values.items()}
            for name in ("Plan", "Action No", "Milestone"):
                if not text.get(name):
                    self.error(number, name, "is required and is empty")
            if self.errors and self.errors[-1].row == number:
                continue
            if _is_fractional_number(values.get("Action No")):
                self.error(number, "Action No", NUMBER_CELL)
                continue
            completed = text.get("Completed", "").lower()
            if completed not in TRUE_WORDS | FALSE_WORDS:
                self.error(number, "Completed", f"'{text['Completed']}' is not yes or no")
                continue
            action = Action.objects.filter(plan__title=text["Plan"], number=text["Action No"]).first()
            if action is None:
                self.error(number, "Action No", f"no action {text['Action No']} in plan '{text['Plan']}'")
                continue
            position = order[action.pk] = order.get(action.pk, -1) + 1
            # An action may list the same activity twice (Kent: a forum meets in June and December):
            # the n-th row of an activity is the n-th milestone with that activity.
            key = (action.pk, text["Milestone"])
            if key not in existing:
                existing[key] = list(Milestone.objects.filter(action=action, activity=key[1]).order_by("order", "id"))
            occurrence = occurrences[key] = occurrences.get(key, -1) + 1
            same = existing[key]
            milestone = same[occurrence] if occurrence < len(same) else Milestone(action=action, activity=key[1])
            is_new = milestone.pk is None
            # A date of "Completed" marks the milestone done (Milestone.save), whatever the flag says.
            done = completed in TRUE_WORDS or timescales.parse_timescale(text.get("Date", "")).is_completed
            _, changed = _save_changed(
                milestone, {"date_text": text.get("Date", ""), "completed": done, "order": position}, report=True
            )
            if is_new:
                self.result.milestones_created += 1
            elif changed:
                self.result.milestones_updated += 1
            else:
                self.result.milestones_unchanged += 1


def _is_fractional_number(value):
    """A number cell of an XLSX file that is not a whole number (1.1, where 1.10 may have been typed)."""
    return isinstance(value, float) and not value.is_integer()


def _save_changed(instance, fields, report=False):
    """Set `fields` and save only when something changed, so re-imports add no empty history."""
    changed = instance.pk is None
    for name, value in fields.items():
        field = instance._meta.get_field(name)
        if field.many_to_one:
            # Compare ids: reading the related object would cost a query per row.
            if getattr(instance, field.attname) != (value.pk if value is not None else None):
                setattr(instance, name, value)
                changed = True
            continue
        current = getattr(instance, name)
        if current != value:
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.save()
    return (instance, changed) if report else instance
