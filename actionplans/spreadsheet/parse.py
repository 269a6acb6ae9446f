"""Reading a plan file: cells to typed rows, with the errors and warnings found on the way.

Nothing here reads or writes the database. Parsing checks each row, then the rows
against each other (an action number twice, a plan's source or a recommendation's
wording differing between rows) and merges a recommendation's details from its rows.
The last section holds the rules that need to know what is saved (a saved plan's RAG
scheme and source date, the actions a cross-reference may point at): `save.check`
looks those up once and passes them in, so they stay pure functions too.
"""

from dataclasses import dataclass, field, replace
from datetime import date

from core.imports import Parsed
from core.spreadsheets import (
    RowError,
    RowWarning,
    cell_text,
    first_header_keys,
    header_key,
    make_table,
    numbering,
    parse_date,
)

from .. import rag, timescales
from ..models import Lead, Plan
from .columns import (
    EXPORT_ONLY_COLUMNS,
    FORMAT_NAME,
    MAX_LENGTHS,
    MILESTONE_COLUMNS,
    MILESTONE_MAX_LENGTHS,
    MILESTONE_SHEET,
    PLAN_COLUMNS,
    PROGRESS_COLUMNS,
    PROGRESS_EXPORT_ONLY_COLUMNS,
    PROGRESS_MAX_LENGTHS,
    PROGRESS_SHEET,
)

SOURCE_BY_NAME = {header_key(label): key for key, label in Plan.SOURCES} | {key: key for key, _ in Plan.SOURCES}
SOURCE_BY_NAME |= {"cqc": Plan.CQC_INSPECTION, "apa": Plan.ANNUAL_PERFORMANCE_ASSESSMENT}
NUMBERING_COLUMNS = ("Action No", "Recommendation No")
LEAD_NAME_LENGTH = Lead._meta.get_field("name").max_length
TRUE_WORDS = {"yes", "y", "true", "1", "completed", "complete", "done", "x"}
FALSE_WORDS = {"", "no", "n", "false", "0"}
STATUS_DATE_REASON = "is needed for the Status: give the date the status was reported, or the plan's Source date"


def too_long(column, text, limit):
    return f"{column} is {len(text):,} characters; the most is {limit:,}"


def required_errors(number, text, columns, sheet=""):
    """A RowError for each cell the sheet's columns mark required and the row leaves empty."""
    return [
        RowError(number, column.name, "is required and is empty", sheet)
        for column in columns
        if column.required and not text.get(column.name)
    ]


def length_errors(number, text, limits, sheet=""):
    """A RowError for each cell longer than its field holds: nothing is ever cut to fit."""
    return [
        RowError(number, name, too_long(name, text[name], limit), sheet)
        for name, limit in limits.items()
        if len(text.get(name, "")) > limit
    ]


@dataclass(frozen=True)
class PlanRow:
    """One row of the plan sheet: one action, with its plan, area and recommendation."""

    row: int  # as the spreadsheet numbers it
    columns: frozenset  # the format's columns the file has: a column left out changes nothing
    plan: str
    source: str | None  # a key of Plan.SOURCES; None when the row names none
    source_date: date | None
    unit: str  # the owning unit as written: its name or short name; "" when the row names none
    area: str
    recommendation_number: str
    recommendation: str
    recommendation_page: str
    measurable_indicator: str
    desired_outcome: str
    action_number: str
    action: str
    expected_evidence: str
    leads: tuple  # names as written, spacing tidied
    timescale: timescales.Timescale  # .text is as written
    due_date: date | None
    status_written: str
    status_date: date | None  # the day the status was reported, when not the Progress date
    progress: str
    progress_date: date | None
    reference: str | None = None  # the number of the action a "See 12.1" points at
    reference_column: str = ""
    # Set by `settle_statuses` once the plan's RAG scheme and source date are known (a saved
    # plan's are in the database): the scheme's status, and the day it counts from.
    status: str | None = None
    reported_on: date | None = None

    def has(self, column):
        return column in self.columns

    @property
    def due_date_set(self):
        """The Due date as an override: a date equal to the timescale's own is none (export writes it back)."""
        return self.due_date if self.due_date != self.timescale.due_date else None


@dataclass(frozen=True)
class MilestoneRow:
    row: int
    plan: str
    action_number: str
    activity: str
    date_text: str
    completed: bool  # a yes in Completed, or a Date of "Completed"
    completed_on: date | None = None
    columns: frozenset = field(default=frozenset(), compare=False)  # the milestone columns the file has

    def has(self, column):
        return column in self.columns


@dataclass(frozen=True)
class UpdateRow:
    """One row of the Progress sheet: one progress update of an action, as it was reported on its day."""

    row: int
    plan: str
    action_number: str
    date: date
    status_written: str
    narrative: str
    status: str | None = None  # the plan's scheme's status, set by `settle_update_statuses`


def parse_plan_file(file, milestones_file=None):
    """Every row of a plan file (`core.spreadsheets.SpreadsheetFile`) and of its milestones, parsed.

    The plan rows are the first sheet's; milestones come from a separate file, else from a sheet
    named Milestones. A first sheet with milestone headers is a milestones file on its own.
    """
    plan_rows, milestone_rows, progress_rows = split_sheets(file, milestones_file)
    parts = []
    if plan_rows is not None:
        parts.append(parse_plan_table(make_table(plan_rows, PLAN_COLUMNS)))
    if milestone_rows is not None:
        parts.append(parse_milestone_table(make_table(milestone_rows, MILESTONE_COLUMNS, what="Milestones sheet")))
    if progress_rows is not None:
        parts.append(parse_progress_table(make_table(progress_rows, PROGRESS_COLUMNS, what="Progress sheet")))
    warnings = [*file.warnings, *(milestones_file.warnings if milestones_file else ())]
    return Parsed(
        sheets={sheet: rows for part in parts for sheet, rows in part.sheets.items()},
        errors=tuple(error for part in parts for error in part.errors),
        warnings=(*warnings, *(warning for part in parts for warning in part.warnings)),
    )


def split_sheets(file, milestones_file=None):
    """(plan rows, milestone rows, progress rows) of a file's sheets; any may be None."""
    first = file.first
    milestone_rows = milestones_file.first if milestones_file else None
    named = file.named(MILESTONE_SHEET)
    # A Milestones or Progress sheet with nothing below its header (an export of a plan without
    # milestones, or without progress) adds none.
    if milestone_rows is None and named is not None and named is not first and _filled(named) > 1:
        milestone_rows = named
    progress_rows = file.named(PROGRESS_SHEET)
    if progress_rows is first or (progress_rows is not None and _filled(progress_rows) < 2):
        progress_rows = None
    if looks_like_milestones(first):
        return None, first, None
    return first, milestone_rows, progress_rows


def _filled(rows):
    return sum(1 for row in rows if any(cell_text(cell) for cell in row))


def looks_like_milestones(raw_rows):
    keys = first_header_keys(raw_rows)
    return "milestone" in keys and "action" not in keys


# --- Plan rows ------------------------------------------------------------------------------


def parse_plan_table(table):
    """The plan sheet's rows, with every error that needs no database (see `core.imports`)."""
    warnings = table.header_warnings(FORMAT_NAME, ignored=EXPORT_ONLY_COLUMNS)
    rows, errors = [], []
    for number, values in table.rows:
        row, row_errors = parse_plan_row(number, values)
        rows.append(row)
        errors += row_errors
    errors += cross_row_errors(rows)
    rows = merge_recommendations(rows)
    warnings += [
        RowWarning(
            row.row, "Timescale",
            f"'{row.timescale.text}' names no date that can be read; kept as written and flagged for review.",
        )
        for row in rows
        if row.timescale.needs_review and not row.due_date
    ]
    return Parsed(sheets={"": tuple(rows)}, errors=tuple(errors), warnings=tuple(warnings))


def parse_plan_row(number, values):
    """(PlanRow, [RowError]) of one row: {column name: cell} for the columns the file has."""
    text = {name: cell_text(value) for name, value in values.items()}
    errors = []

    def error(column, reason):
        errors.append(RowError(number, column, reason))

    errors += required_errors(number, text, PLAN_COLUMNS)
    errors += length_errors(number, text, MAX_LENGTHS)
    for name in NUMBERING_COLUMNS:
        try:
            numbering(values.get(name))
        except ValueError as problem:
            error(name, str(problem))
    source = SOURCE_BY_NAME.get(header_key(text.get("Source", ""))) if text.get("Source") else None
    if text.get("Source") and source is None:
        names = ", ".join(label for _, label in Plan.SOURCES)
        error("Source", f"'{text['Source']}' is not a plan source; use one of {names}")
    dates = {}
    for name in ("Source date", "Due date", "Status date", "Progress date"):
        dates[name] = None
        if text.get(name):
            try:
                dates[name] = parse_date(values[name])
            except ValueError as problem:
                error(name, str(problem))
    if text.get("Recommendation") and not text.get("Recommendation No"):
        error("Recommendation No", "is needed when Recommendation is given")
    if text.get("Progress") and not text.get("Progress date"):
        error("Progress date", "is needed when Progress is given: the date the progress was reported")
    if text.get("Status date") and not text.get("Status"):
        error("Status date", "is given but Status is empty: give the status reported on that day, or clear the date")
    leads = tuple(" ".join(part.split()) for part in text.get("Leads", "").split(";") if part.strip())
    if any(len(name) > LEAD_NAME_LENGTH for name in leads):
        error("Leads", f"a lead's name is longer than {LEAD_NAME_LENGTH} characters")
    timescale = timescales.parse_timescale(text.get("Timescale", ""))
    reference, reference_column, problem = cross_reference(text.get("Action", ""), timescale)
    if problem:
        error("Timescale", problem)
    row = PlanRow(
        row=number,
        columns=frozenset(values),
        plan=text.get("Plan", ""),
        source=source,
        source_date=dates["Source date"],
        unit=" ".join(text.get("Owning unit", "").split()),
        area=text.get("Area", ""),
        recommendation_number=text.get("Recommendation No", ""),
        recommendation=text.get("Recommendation", ""),
        recommendation_page=text.get("Recommendation page", ""),
        measurable_indicator=text.get("Measurable indicator", ""),
        desired_outcome=text.get("Desired outcome", ""),
        action_number=text.get("Action No", ""),
        action=text.get("Action", ""),
        expected_evidence=text.get("Expected evidence", ""),
        leads=leads,
        timescale=timescale,
        due_date=dates["Due date"],
        status_written=text.get("Status", ""),
        status_date=dates["Status date"],
        progress=text.get("Progress", ""),
        progress_date=dates["Progress date"],
        reference=reference,
        reference_column=reference_column,
    )
    return row, errors


def cross_reference(action_text, timescale):
    """(action number, column, problem) of a cross-reference ("See 12.1") in the Action or the Timescale."""
    # The timescale's rule reads the Action too ("See 12.1", "Refer to 13.1", "cf. 9.1", "As per 2.1").
    in_action = timescales.REFERENCE_RE.match(action_text or "")
    in_action = in_action["ref"] if in_action else None
    in_timescale = timescale.reference if timescale.kind == timescales.REFERENCE else None
    if in_action and in_timescale and in_action != in_timescale:
        return None, "", f"refers to action {in_timescale}, but the Action refers to {in_action}"
    if in_action:
        return in_action, "Action", None
    return in_timescale, "Timescale" if in_timescale else "", None


def cross_row_errors(rows):
    """What is wrong only when rows are read together: an action twice, a plan's source or a
    recommendation's wording that differs from an earlier row's."""
    errors, seen_actions, plan_source, plan_unit, wording = [], {}, {}, {}, {}
    for row in rows:
        key = (row.plan, row.action_number)
        if key in seen_actions:
            errors.append(
                RowError(row.row, "Action No", f"action {row.action_number} of '{row.plan}' is also on row {seen_actions[key]}")
            )
        elif all(key):  # a row without plan or number is reported as such
            seen_actions[key] = row.row
        if row.source:
            first_source, first_row = plan_source.setdefault(row.plan, (row.source, row.row))
            if first_source != row.source:
                errors.append(RowError(row.row, "Source", f"differs from the source of the same plan on row {first_row}"))
        if row.unit:
            first_unit, first_row = plan_unit.setdefault(row.plan, (header_key(row.unit), row.row))
            if first_unit != header_key(row.unit):
                errors.append(
                    RowError(row.row, "Owning unit", f"differs from the owning unit of the same plan on row {first_row}")
                )
        if row.recommendation_number and row.recommendation:
            first_text, first_row = wording.setdefault((row.plan, row.recommendation_number), (row.recommendation, row.row))
            if first_text != row.recommendation:
                errors.append(
                    RowError(
                        row.row, "Recommendation",
                        f"recommendation {row.recommendation_number} has different wording on row {first_row}",
                    )
                )
    return errors


RECOMMENDATION_DETAILS = ("recommendation", "recommendation_page", "measurable_indicator", "desired_outcome")


def merge_recommendations(rows):
    """A recommendation's details may be on any of its rows: each row takes the first given on any of them."""
    given = {}
    for row in rows:
        if row.recommendation_number:
            found = given.setdefault((row.plan, row.recommendation_number), {})
            for name in RECOMMENDATION_DETAILS:
                if getattr(row, name):
                    found.setdefault(name, getattr(row, name))
    return [
        replace(row, **given[row.plan, row.recommendation_number]) if row.recommendation_number else row for row in rows
    ]


def first_given(rows, name):
    """{plan title: the first value of `name` any of its rows gives}."""
    found = {}
    for row in rows:
        if getattr(row, name):
            found.setdefault(row.plan, getattr(row, name))
    return found


# --- Milestone rows -------------------------------------------------------------------------


def _parse_sheet(table, sheet, parse_row, ignored=()):
    """Every row of a second sheet (Milestones, Progress) through `parse_row`, with its header warnings."""
    warnings = table.header_warnings(FORMAT_NAME, ignored=ignored, sheet=sheet)
    rows, errors = [], []
    for number, values in table.rows:
        row, row_errors = parse_row(number, values)
        errors += row_errors
        if row is not None:
            rows.append(row)
    return Parsed(sheets={sheet: tuple(rows)}, errors=tuple(errors), warnings=tuple(warnings))


def parse_milestone_table(table):
    return _parse_sheet(table, MILESTONE_SHEET, parse_milestone_row)


def parse_milestone_row(number, values):
    """(MilestoneRow, []) or (None, [RowError]): a milestone row is checked up to its first problem."""
    text = {name: cell_text(value) for name, value in values.items()}
    errors = required_errors(number, text, MILESTONE_COLUMNS, MILESTONE_SHEET)
    errors = errors or length_errors(number, text, MILESTONE_MAX_LENGTHS, MILESTONE_SHEET)
    if errors:
        return None, errors
    try:
        numbering(values.get("Action No"))
    except ValueError as problem:
        return None, [RowError(number, "Action No", str(problem), MILESTONE_SHEET)]
    completed = text.get("Completed", "").lower()
    if completed not in TRUE_WORDS | FALSE_WORDS:
        return None, [RowError(number, "Completed", f"'{text['Completed']}' is not yes or no", MILESTONE_SHEET)]
    completed_on = None
    if text.get("Date completed"):
        try:
            completed_on = parse_date(values["Date completed"])
        except ValueError as problem:
            return None, [RowError(number, "Date completed", str(problem), MILESTONE_SHEET)]
    date_text = text.get("Date", "")
    # A date of "Completed" marks the milestone done (Milestone.derive_fields), whatever the flag says.
    done = completed in TRUE_WORDS or timescales.parse_timescale(date_text).is_completed
    if completed_on and not done:
        reason = "is given but the milestone is not marked Completed: write yes in Completed, or clear the date"
        return None, [RowError(number, "Date completed", reason, MILESTONE_SHEET)]
    row = MilestoneRow(
        number, text["Plan"], text["Action No"], text["Milestone"], date_text, done, completed_on, frozenset(values)
    )
    return row, []


# --- Progress rows --------------------------------------------------------------------------


def parse_progress_table(table):
    return _parse_sheet(table, PROGRESS_SHEET, parse_progress_row, ignored=PROGRESS_EXPORT_ONLY_COLUMNS)


def parse_progress_row(number, values):
    """(UpdateRow, []) or (None, [RowError]): one progress update, checked up to its first problem."""
    text = {name: cell_text(value) for name, value in values.items()}
    errors = required_errors(number, text, PROGRESS_COLUMNS, PROGRESS_SHEET)
    if not errors and not (text.get("Progress") or text.get("Status")):
        errors = [RowError(number, "Progress", "is empty and so is Status: an update reports one or both", PROGRESS_SHEET)]
    errors = errors or length_errors(number, text, PROGRESS_MAX_LENGTHS, PROGRESS_SHEET)
    if errors:
        return None, errors
    try:
        numbering(values.get("Action No"))
    except ValueError as problem:
        return None, [RowError(number, "Action No", str(problem), PROGRESS_SHEET)]
    try:
        day = parse_date(values["Date"])
    except ValueError as problem:
        return None, [RowError(number, "Date", str(problem), PROGRESS_SHEET)]
    return UpdateRow(number, text["Plan"], text["Action No"], day, text.get("Status", ""), text.get("Progress", "")), []


# --- Rules that need what is saved (save.check looks it up and passes it in) -----------------


@dataclass(frozen=True)
class PlanFacts:
    """What a plan's rows need to know of it once imported."""

    scheme: str  # its RAG scheme: the statuses it takes
    source_date: date | None  # the day a status with no date of its own counts from


def plan_facts(rows, saved, other_titles=()):
    """{plan title: PlanFacts}; `saved` is {title: (RAG scheme, source date)} of the plans already saved;
    `other_titles`, the plans other sheets name (their progress needs the scheme too).

    A saved plan keeps its scheme (set by hand, perhaps); a new one takes its source's. The source
    date is the first one the file gives for the plan, else the one saved.
    """
    sources, source_dates = first_given(rows, "source"), first_given(rows, "source_date")
    facts = {}
    for title in dict.fromkeys([*(row.plan for row in rows), *other_titles]):
        scheme, saved_date = saved.get(title, (None, None))
        facts[title] = PlanFacts(
            scheme=scheme or Plan.default_scheme(sources.get(title)), source_date=source_dates.get(title) or saved_date
        )
    return facts


def settle_statuses(rows, facts, earlier_errors=()):
    """(rows with their scheme's status and the day it counts from, [RowError]).

    A status counts from the row's progress date, else the plan's source date (DOMAIN.md "As at"),
    never from the day of the import: a status with neither is an error.
    """
    reported = {(error.row, error.column) for error in earlier_errors}
    settled, errors = [], []
    for row in rows:
        fact = facts[row.plan]
        try:
            status = rag.normalise_status(row.status_written, fact.scheme)
        except ValueError as problem:
            status = ""
            errors.append(RowError(row.row, "Status", str(problem)))
        day = row.status_date or row.progress_date or fact.source_date
        if row.timescale.is_completed and not day and status in ("", rag.COMPLETED):
            # "Completed" in the timescale already makes the action complete (Action.status_on): with no
            # date to give it, a status update would only repeat that on a made-up day. An export of such
            # an action writes Status "Completed" and no date, and imports back the same way.
            status = ""
        elif not status and row.timescale.is_completed:
            status = rag.COMPLETED
        if status and not day and (row.row, "Progress date") not in reported:
            errors.append(RowError(row.row, "Progress date", STATUS_DATE_REASON))
        settled.append(replace(row, status=status, reported_on=day))
    return settled, errors


def settle_update_statuses(rows, facts):
    """(Progress sheet rows with their scheme's status, [RowError]): each update's status is its own."""
    settled, errors = [], []
    for row in rows:
        try:
            status = rag.normalise_status(row.status_written, facts[row.plan].scheme)
        except ValueError as problem:
            status = ""
            errors.append(RowError(row.row, "Status", str(problem), PROGRESS_SHEET))
        settled.append(replace(row, status=status))
    return settled, errors


def dangling_references(rows, saved_actions):
    """Errors for cross-references to an action neither the file nor the plan as saved holds.

    `saved_actions`: {(plan title, action number)} of the saved plans. A reference never reaches
    into another plan.
    """
    known = {(row.plan, row.action_number) for row in rows} | saved_actions
    return [
        RowError(row.row, row.reference_column, f"refers to action {row.reference}, which is not in the plan")
        for row in rows
        if row.reference and (row.plan, row.reference) not in known
    ]


def unknown_actions(rows, plan_rows, saved_actions, sheet):
    """Errors for rows of `sheet` (milestones, progress) of an action that neither the file's plan rows
    nor the database hold."""
    known = {(row.plan, row.action_number) for row in plan_rows} | saved_actions
    return [
        RowError(row.row, "Action No", f"no action {row.action_number} in plan '{row.plan}'", sheet)
        for row in rows
        if (row.plan, row.action_number) not in known
    ]


def unknown_milestone_actions(milestone_rows, plan_rows, saved_actions):
    return unknown_actions(milestone_rows, plan_rows, saved_actions, MILESTONE_SHEET)
