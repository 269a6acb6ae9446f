"""The quarterly figures format: one count a row, CSV or XLSX, headers `Quarter, Breakdown, Category, Count`.

`Quarter` like `2009/10 Q4`; `Breakdown` one of the keys of `models.BREAKDOWN_CHOICES` (`total` for the concerns,
`enquiries`, `multiple_abuse`, `source`, `abuse_type`, …); `Category` `All` for the three totals, else a
category of the breakdown's admin-editable list, matched ignoring case and spacing (or by one of its other
names). Reading and the run (every row checked, then everything saved in one transaction or nothing, with a dry
run) are `core.spreadsheets`' and `core.imports`'. Each quarter's figures, as saved and as the file changes
them, must keep the rules of the data entry page (`rules.figure_problems`).
"""

from collections import defaultdict
from dataclasses import dataclass, field

from core.imports import NEW, UNCHANGED, UPDATED, ImportResult, Parsed, RowOutcome, run_import
from core.periods import Month, Quarter, parse_period, today
from core.spreadsheets import Column, RowError, SpreadsheetError, cell_text, make_table, parse_number, read_file

from . import rules, services
from .models import ABUSE_TYPE, BREAKDOWN_NAMES, LIST_KEYS, MULTIPLE_ABUSE, TOTAL_KEYS, BreakdownCount, Category, QuarterlyReturn, Team, category_key

COLUMNS = [Column("Quarter", required=True), Column("Breakdown", required=True), Column("Category", required=True),
           Column("Count", required=True)]
ALL = "all"
FORMAT_NAME = "the safeguarding figures format"


@dataclass(frozen=True)
class CountRow:
    number: int
    quarter: Quarter | None
    breakdown: str
    category: str  # as written; "All" for a total
    count: int | None


def _breakdown(text):
    key = "_".join(text.lower().replace("-", " ").split())
    return key if key in BREAKDOWN_NAMES else None


def _parse_row(number, values, errors):
    def text(column):
        return cell_text(values.get(column))

    for column in COLUMNS:
        if not text(column.name):
            errors.append(RowError(number, column.name, "is required and is empty"))
    quarter = None
    if text("Quarter"):
        try:
            quarter = parse_period(text("Quarter"))
            if not isinstance(quarter, Quarter):
                raise ValueError(f"'{text('Quarter')}' is not a quarter: write it like 2009/10 Q4")
        except ValueError as error:
            errors.append(RowError(number, "Quarter", str(error)))
            quarter = None
    breakdown = _breakdown(text("Breakdown")) if text("Breakdown") else ""
    if breakdown is None:
        errors.append(RowError(number, "Breakdown", f"'{text('Breakdown')}' is not one of {', '.join(BREAKDOWN_NAMES)}"))
        breakdown = ""
    category = text("Category")
    if breakdown in TOTAL_KEYS and category and category_key(category) != ALL:
        errors.append(RowError(number, "Category", f"{BREAKDOWN_NAMES[breakdown]} is one number: its category is All, not '{category}'"))
    if breakdown in LIST_KEYS and category_key(category) == ALL:
        errors.append(RowError(number, "Category", f"give one category of {BREAKDOWN_NAMES[breakdown].lower()} a row, not All: "
                                                   "the total is its own row (Breakdown total)"))
    count = None
    if text("Count"):
        try:
            found = parse_number(values.get("Count"))
            if found != found.to_integral_value():
                raise ValueError(f"'{text('Count')}' is not a whole number")
            count = int(found)
            if count < 0:
                errors.append(RowError(number, "Count", f"{count} is negative: a count is 0 or more"))
                count = None
            elif count > 10**9:
                errors.append(RowError(number, "Count", f"{count:,} is more than any quarter's cases"))
                count = None
        except ValueError as error:
            errors.append(RowError(number, "Count", str(error)))
    return CountRow(number, quarter, breakdown, category, count)


def parse_safeguarding_file(file):
    table = make_table(file.first, COLUMNS, what="safeguarding figures file")
    errors, rows, seen = [], [], {}
    for number, values in table.rows:
        row = _parse_row(number, values, errors)
        key = (row.quarter, row.breakdown, category_key(row.category))
        if row.quarter and row.breakdown and key in seen:
            errors.append(RowError(number, "Category", f"repeats row {seen[key]}: a file gives each count once"))
        seen.setdefault(key, number)
        rows.append(row)
    warnings = [*file.warnings, *table.header_warnings(FORMAT_NAME)]
    return Parsed(sheets={"": tuple(rows)}, errors=tuple(errors), warnings=tuple(warnings))


@dataclass
class Checked:
    team: Team
    rows: tuple
    categories: dict  # row number: Category (None for a total)
    saved: dict  # quarter: {(breakdown, category id): count}
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def _check(parsed, team):
    rows = parsed.rows()
    lists = Category.objects.by_breakdown()
    by_key = {key: {name: category for category in categories for name in category.keys()} for key, categories in lists.items()}
    checked = Checked(team, rows, {}, {})
    this_month_end = Month.of(today()).end
    for row in rows:
        if row.quarter is not None:
            checked.errors += [RowError(row.number, "Quarter", problem.message)
                               for problem in rules.quarter_problems(row.quarter, this_month_end)]
        if row.breakdown in LIST_KEYS and row.category and category_key(row.category) != ALL:
            category = by_key[row.breakdown].get(category_key(row.category))
            if category is None:
                names = ", ".join(category.name for category in lists[row.breakdown])
                checked.errors.append(RowError(row.number, "Category", (
                    f"'{row.category}' is not in the {BREAKDOWN_NAMES[row.breakdown].lower()} list ({row.breakdown}): "
                    f"it has {names}. An admin can add it, or another name for one of them, in Django admin"
                )))
            checked.categories[row.number] = category
    if checked.errors or parsed.errors:
        return checked  # the sums of a file with bad rows would only repeat them
    quarters = {row.quarter for row in rows}
    for count in BreakdownCount.objects.filter(
        quarterly_return__team=team, quarterly_return__quarter_start__in=[q.start for q in quarters]
    ).select_related("quarterly_return"):
        checked.saved.setdefault(count.quarterly_return.quarter, {})[(count.breakdown, count.category_id)] = count.count
    names = {category.pk: category.name for categories in lists.values() for category in categories}
    for quarter in sorted(quarters):
        merged = dict(checked.saved.get(quarter, {}))
        first_row = {}
        for row in rows:
            if row.quarter == quarter:
                category = checked.categories.get(row.number)
                merged[(row.breakdown, category.pk if category else None)] = row.count
                first_row.setdefault((row.breakdown, category.name if category else ""), row.number)
                first_row.setdefault((row.breakdown, ""), row.number)
                first_row.setdefault(("", ""), row.number)
        totals = {key: merged.get((key, None)) for key in TOTAL_KEYS}
        grouped = defaultdict(dict)
        for (breakdown, category_id), count in merged.items():
            if breakdown in LIST_KEYS:
                grouped[breakdown][names[category_id]] = count
        for problem in rules.figure_problems(totals, dict(grouped), names=BREAKDOWN_NAMES):
            # The row the problem is about; multiple abuse the file does not give is about its types of abuse.
            number = (first_row.get((problem.breakdown, problem.category)) or first_row.get((problem.breakdown, ""))
                      or (first_row.get((ABUSE_TYPE, "")) if problem.breakdown == MULTIPLE_ABUSE else None)
                      or first_row[("", "")])
            what = f"{problem.category}: " if problem.category else ""
            checked.errors.append(RowError(number, "Count", f"{quarter.name}: {what}{problem.message}"))
    return checked


def _save(checked, user=None):
    result = ImportResult()
    by_quarter = defaultdict(list)
    for row in checked.rows:
        by_quarter[row.quarter].append(row)
    for quarter in sorted(by_quarter):
        saved = checked.saved.get(quarter, {})
        counts = {}
        for row in by_quarter[quarter]:
            category = checked.categories.get(row.number)
            key = (row.breakdown, category.pk if category else None)
            before = saved.get(key)
            outcome = NEW if before is None else UPDATED if before != row.count else UNCHANGED
            label = f"{quarter.name}, {BREAKDOWN_NAMES[row.breakdown]}" + (f": {category.name}" if category else "")
            result.outcomes.append(RowOutcome(row.number, outcome, f"{label} = {row.count:,}"))
            counts[(row.breakdown, category)] = row.count
        is_new = not QuarterlyReturn.objects.filter(team=checked.team, quarter_start=quarter.start).exists()
        saved_return = services.save_quarter(team=checked.team, quarter=quarter, user=user, counts=counts)
        if any(outcome.outcome != UNCHANGED for outcome in result.outcomes if outcome.row in {r.number for r in by_quarter[quarter]}):
            result.touched.append((saved_return, is_new))
    return result


def team_for_import(team=None):
    """The team a file is imported for: the one given, else the only one there is."""
    if team is not None:
        return team
    teams = list(Team.objects.all()[:2])
    if not teams:
        raise SpreadsheetError("No safeguarding team is set up: an admin sets one up in Django admin first.")
    if len(teams) > 1:
        raise SpreadsheetError("There is more than one safeguarding team: say which team the figures are for.")
    return teams[0]


def import_safeguarding_file(data, filename, *, dry_run=False, team=None, entered_by=None):
    """Import a safeguarding figures file for `team` (the only team when None). Raises SpreadsheetError when the
    file cannot be read, ImportErrors listing every bad row (nothing saved)."""
    team = team_for_import(team)
    return run_import(
        parse=lambda: parse_safeguarding_file(read_file(data, filename)),
        check=lambda parsed: _check(parsed, team),
        save=lambda checked: _save(checked, entered_by),
        dry_run=dry_run,
    )
