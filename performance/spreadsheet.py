"""The four indicator formats: indicators, targets, readings and benchmarks, CSV or XLSX.

One file holds one format, told apart by its headers (matched ignoring case and
spacing). Reading a file and running the import (every row checked, then everything
saved in one transaction or nothing, with a dry run) are `core.spreadsheets`' and
`core.imports`'; this module says what the columns mean. Parsing touches no database;
`_check` looks up indicators, leads and units once per table; saving writes in bulk and
then works out the stored figures of the indicators it touched (`state.refresh`).

A row keyed like a saved one (an indicator's code; a target's code and year; a
reading's code and period; a benchmark's code, period and council) updates it, and a
column the file leaves out changes nothing.
"""

import functools
from dataclasses import dataclass, field

from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actionplans.models import Lead, name_key
from core.bulk import insert_with_history
from core.imports import NEW, UNCHANGED, UPDATED, ImportResult, Parsed, RowOutcome, run_import
from core.models import OrganisationUnit
from core.periods import FinancialYear, Month, parse_period, today
from core.spreadsheets import (
    Column,
    RowError,
    RowWarning,
    SpreadsheetError,
    cell_text,
    first_header_keys,
    header_key,
    make_table,
    parse_number,
    read_file,
)

from . import figures, state
from .models import (
    FIGURE, PERIOD_CLASSES, Benchmark, Comparator, Indicator, Reading, Target, frequency_locked, reading_errors,
    stored_figure,
)

INDICATORS, TARGETS, READINGS, BENCHMARKS = "indicators", "targets", "readings", "benchmarks"
COLUMNS = {
    INDICATORS: [
        Column("Code", required=True), Column("Name", required=True), Column("Definition"),
        Column("Unit", required=True), Column("Polarity", required=True), Column("Frequency", required=True),
        Column("Aggregation", required=True), Column("Rated figure"), Column("Decimal places"),
        Column("Accountable"), Column("Org unit"), Column("Domain"), Column("Strategic link"),
    ],
    TARGETS: [Column("Code", required=True), Column("Year", required=True), Column("Target"), Column("Minimum standard")],
    READINGS: [
        Column("Code", required=True), Column("Period", required=True), Column("Value"), Column("Numerator"),
        Column("Denominator"), Column("Note"),
    ],
    BENCHMARKS: [
        Column("Code", required=True), Column("Period", required=True), Column("Council", required=True),
        Column("Value", required=True),
    ],
}
FORMAT_LABELS = {INDICATORS: "Indicators", TARGETS: "Targets", READINGS: "Readings", BENCHMARKS: "Benchmarks"}
CHOICES = {
    "Unit": dict(figures.UNIT_CHOICES),
    "Polarity": dict(figures.POLARITY_CHOICES),
    "Frequency": dict(figures.FREQUENCY_CHOICES),
    "Aggregation": dict(figures.AGGREGATION_CHOICES),
    "Rated figure": dict(figures.RATED_FIGURE_CHOICES),
}
MAX_LENGTHS = {"Code": 40, "Name": 300, "Definition": 4000, "Accountable": 200, "Domain": 200, "Strategic link": 500,
               "Note": 4000, "Council": 200}
PERIOD_KIND = {cls.kind: frequency for frequency, cls in PERIOD_CLASSES.items()}
KIND_WORDS = {"month": "a month (2013-09)", "quarter": "a quarter (2013/14 Q2)", "year": "a financial year (2013/14)"}
# What a figure column of the database keeps: six places, and so at most 18 digits before the point. A figure is
# rounded to it when read, so that importing the same file again finds every row unchanged.
MOST_WHOLE_DIGITS = FIGURE["max_digits"] - FIGURE["decimal_places"]
FIGURE_COLUMNS = {"Value", "Numerator", "Denominator"}


def detect_format(raw_rows):
    """Which of the four formats a sheet is, from its headers."""
    keys = first_header_keys(raw_rows)
    if "council" in keys:
        return BENCHMARKS
    if "period" in keys:
        return READINGS
    if "year" in keys:
        return TARGETS
    if {"name", "polarity"} <= keys:
        return INDICATORS
    formats = "; ".join(f"{FORMAT_LABELS[name]}: {', '.join(c.name for c in columns)}" for name, columns in COLUMNS.items())
    raise SpreadsheetError(f"The file's headers match none of the indicator formats. The first row must hold one of: {formats}.")


# --- Parsing: cells to typed rows, no database ------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    code: str
    fields: dict  # model field: value, for the columns the file has
    accountable: str | None  # None: column absent
    unit_name: str | None


@dataclass(frozen=True)
class TargetRow:
    number: int
    code: str
    year: FinancialYear
    fields: dict


@dataclass(frozen=True)
class ReadingRow:
    number: int
    code: str
    period: object  # Month, Quarter or FinancialYear
    fields: dict


@dataclass(frozen=True)
class BenchmarkRow:
    number: int
    code: str
    period: object
    council: str
    value: object


def _text(values, column):
    return cell_text(values.get(column))


def _number(values, column, errors, number):
    text = _text(values, column)
    if not text:
        return None
    try:
        found = parse_number(values.get(column))
    except ValueError as error:
        errors.append(RowError(number, column, str(error)))
        return None
    # Checked before rounding too: a number of 23 digits or more cannot even be rounded to six places.
    stored = stored_figure(found) if found.adjusted() < MOST_WHOLE_DIGITS else None
    if stored is None or abs(stored) >= 10**MOST_WHOLE_DIGITS:
        errors.append(RowError(
            number, column, f"'{text}' is too large: a figure has at most {MOST_WHOLE_DIGITS} digits before the decimal point"
        ))
        return None
    return stored


def _choice(values, column, errors, number):
    text = header_key(_text(values, column)).replace(" ", "")
    if not text:
        return None  # a required column's empty cell is reported once, as empty
    by_key = {key.replace("_", ""): key for key in CHOICES[column]}
    if text.replace("_", "") in by_key:
        return by_key[text.replace("_", "")]
    errors.append(RowError(number, column, f"'{_text(values, column)}' is not one of {', '.join(CHOICES[column])}"))
    return None


def _lengths(values, errors, number, limits=MAX_LENGTHS.items()):
    for column, limit in limits:
        text = _text(values, column)
        if len(text) > limit:
            errors.append(RowError(number, column, f"is {len(text):,} characters; the most is {limit:,}"))


def _parse_indicator(number, values, present, errors):
    fields = {"name": _text(values, "Name")}
    for column, name in [("Unit", "unit"), ("Polarity", "polarity"), ("Frequency", "frequency"),
                         ("Aggregation", "aggregation"), ("Rated figure", "rated_figure")]:
        if column in present and (column != "Rated figure" or _text(values, column)):
            fields[name] = _choice(values, column, errors, number)
    for column, name in [("Definition", "definition"), ("Domain", "domain"), ("Strategic link", "strategic_link")]:
        if column in present:
            fields[name] = _text(values, column)
    if "Decimal places" in present:
        places = _text(values, "Decimal places") or "0"
        if places in ("0", "1", "2", "3"):
            fields["decimal_places"] = int(places)
        else:
            errors.append(RowError(number, "Decimal places", f"'{places}' is not a whole number from 0 to 3"))
    if fields.get("aggregation") == figures.RATIO and fields.get("unit") not in (*figures.RATIO_UNITS, None):
        errors.append(RowError(number, "Aggregation", figures.RATIO_UNITS_RULE))
    return IndicatorRow(
        number, _text(values, "Code"), fields,
        accountable=_text(values, "Accountable") if "Accountable" in present else None,
        unit_name=_text(values, "Org unit") if "Org unit" in present else None,
    )


def _parse_target(number, values, present, errors):
    year = None
    try:
        if _text(values, "Year"):
            year = parse_period(_text(values, "Year"))
            if year.kind != "year":
                raise ValueError(f"'{_text(values, 'Year')}' is not a financial year: write it as 2013/14")
    except ValueError as error:
        errors.append(RowError(number, "Year", str(error)))
        year = None
    fields = {name: _number(values, column, errors, number)
              for column, name in [("Target", "target"), ("Minimum standard", "minimum_standard")] if column in present}
    return TargetRow(number, _text(values, "Code"), year, fields)


# A file of readings names the same few hundred periods over and over; a period is a value, so one reading of
# each text serves them all (an unreadable one is not kept: its error is raised again for every row).
_period_of_text = functools.lru_cache(maxsize=4096)(parse_period)


def _period(values, errors, number):
    text = _text(values, "Period")
    if not text:
        return None
    try:
        return _period_of_text(text)
    except ValueError as error:
        errors.append(RowError(number, "Period", str(error)))
        return None


def _parse_reading(number, values, present, errors):
    period = _period(values, errors, number)
    fields = {name: _number(values, column, errors, number)
              for column, name in [("Value", "value"), ("Numerator", "numerator"), ("Denominator", "denominator")]
              if column in present}
    if "Note" in present:
        fields["note"] = _text(values, "Note")
    return ReadingRow(number, _text(values, "Code"), period, fields)


def _parse_benchmark(number, values, present, errors):
    period = _period(values, errors, number)
    return BenchmarkRow(number, _text(values, "Code"), period, _text(values, "Council"),
                        _number(values, "Value", errors, number))


PARSERS = {INDICATORS: _parse_indicator, TARGETS: _parse_target, READINGS: _parse_reading, BENCHMARKS: _parse_benchmark}


def _key(kind, row):
    return {INDICATORS: lambda: row.code, TARGETS: lambda: (row.code, row.year),
            READINGS: lambda: (row.code, row.period), BENCHMARKS: lambda: (row.code, row.period, header_key(row.council))}[kind]()


def parse_indicator_file(file):
    """A file's rows as typed rows of its format, with every error that needs no database."""
    raw = file.first
    kind = detect_format(raw)
    table = make_table(raw, COLUMNS[kind], what=f"{FORMAT_LABELS[kind].lower()} file")
    errors, rows, seen = [], [], {}
    required = [column.name for column in COLUMNS[kind] if column.required]
    limits = [(column, limit) for column, limit in MAX_LENGTHS.items() if column in table.present]
    for number, values in table.rows:
        for column in required:
            if not _text(values, column):
                errors.append(RowError(number, column, "is required and is empty"))
        _lengths(values, errors, number, limits)
        row = PARSERS[kind](number, values, table.present, errors)
        key = _key(kind, row)
        if key in seen and None not in (key if isinstance(key, tuple) else (key,)):
            errors.append(RowError(number, "Code", f"repeats row {seen[key]}: a file gives each one once"))
        seen.setdefault(key, number)
        rows.append(row)
    warnings = [*file.warnings, *table.header_warnings(f"the {FORMAT_LABELS[kind].lower()} format")]
    return Parsed(sheets={"": tuple(rows)}, errors=tuple(errors), warnings=tuple(warnings)), kind


# --- Checking against the database and saving ---------------------------------------------------------


@dataclass
class Checked:
    kind: str
    rows: tuple
    indicators: dict  # code: Indicator (saved ones, and for an indicators file those it creates)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    units: dict = field(default_factory=dict)
    leads: dict = field(default_factory=dict)
    entered_by: object = None
    dry_run: bool = False


def _units_by_name():
    found = {}
    for unit in OrganisationUnit.objects.all():
        for name in {header_key(unit.name), header_key(unit.short_name)} - {""}:
            found.setdefault(name, []).append(unit)
    return found


def _check(parsed, kind, entered_by):
    rows = parsed.rows()
    codes = {row.code for row in rows}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.filter(code__in=codes)}
    checked = Checked(kind, rows, indicators, entered_by=entered_by)
    if kind == INDICATORS:
        units = _units_by_name()
        for row in rows:
            if row.unit_name:
                matches = units.get(header_key(row.unit_name), [])
                if len(matches) != 1:
                    why = "is not an organisation unit" if not matches else "names more than one organisation unit"
                    checked.errors.append(RowError(row.number, "Org unit", f"'{row.unit_name}' {why}"))
                else:
                    checked.units[row.number] = matches[0]
        names = {name_key(row.accountable) for row in rows if row.accountable}
        checked.leads = {lead.name_key: lead for lead in Lead.objects.filter(name_key__in=names)}
        refrequenced = {
            row.code: row for row in rows
            if row.code in indicators and row.fields.get("frequency") not in (None, indicators[row.code].frequency)
        }
        for code in Indicator.objects.with_periods().filter(code__in=refrequenced).values_list("code", flat=True):
            row = refrequenced[code]
            checked.errors.append(RowError(row.number, "Frequency", frequency_locked(indicators[code])))
        return checked
    # A row whose figures cannot be read is not judged on them as well ("is empty" beside "is not a number").
    unreadable = {error.row for error in parsed.errors if error.column in FIGURE_COLUMNS}
    this_month = Month.of(today())  # asked once: the time zone's date costs more than the rest of a row's checks
    for row in rows:
        if not row.code:
            continue  # reported as empty
        indicator = indicators.get(row.code)
        if indicator is None:
            checked.errors.append(RowError(row.number, "Code", f"'{row.code}' is not an indicator: import the indicators first"))
            continue
        period = getattr(row, "period", None)
        if period is not None and PERIOD_KIND[period.kind] != indicator.frequency:
            checked.errors.append(RowError(
                row.number, "Period",
                f"{row.code} is {indicator.get_frequency_display().lower()}, so its period is "
                f"{KIND_WORDS[PERIOD_CLASSES[indicator.frequency].kind]}, not '{period.label}'",
            ))
        elif kind == READINGS and period is not None:
            found = reading_errors(indicator, period, row.fields, row.number, this_month)
            checked.errors.extend(error for error in found if row.number not in unreadable or error.column == "Period")
    return checked


def ratio_value(indicator, fields):
    """A reading's value worked out from its numerator and denominator when it gives none (a value given beside
    them is kept as written, once `reading_errors` has found it agrees with them)."""
    if fields.get("value") is None and fields.get("denominator"):
        return stored_figure(figures.ratio_value(fields.get("numerator"), fields["denominator"], indicator.unit))
    return fields.get("value")


# The fields that identify a saved row of each table but indicators, whose new rows are inserted without the ORM
# (core.bulk: a county loads 100,000 readings at once) and read back by them.
INSERT_KEYS = {Target: ("indicator", "financial_year"), Reading: ("indicator", "period_start"),
               Benchmark: ("indicator", "comparator", "period_start")}


class _Writes:
    """New and changed objects of one model, written in bulk with their history."""

    def __init__(self, model, user=None):
        self.model, self.user, self.new, self.changed, self.fields = model, user, [], [], set()

    def apply(self, saved, new_object, wanted, result, number, label):
        """Note the row's outcome; whether it writes anything."""
        if saved is None:
            for name, value in wanted.items():
                setattr(new_object, name, value)
            self.new.append(new_object)
            result.outcomes.append(RowOutcome(number, NEW, label, saved=new_object))
            return True
        differing = {name: value for name, value in wanted.items() if getattr(saved, name) != value}
        for name, value in differing.items():
            setattr(saved, name, value)
        if differing:
            self.changed.append(saved)
            self.fields |= set(differing)
        result.outcomes.append(RowOutcome(number, UPDATED if differing else UNCHANGED, label, saved=saved))
        return bool(differing)

    def write(self):
        if self.new and self.model in INSERT_KEYS:
            insert_with_history(self.model, self.new, key=INSERT_KEYS[self.model], user=self.user)
        elif self.new:
            # Indicators keep the ORM's insert: the admin's log of the import needs their ids, and there are few.
            bulk_create_with_history(self.new, self.model, batch_size=1000, default_user=self.user)
        if self.changed:
            bulk_update_with_history(self.changed, self.model, sorted(self.fields), batch_size=1000, default_user=self.user)


def _save(checked):
    result = ImportResult()
    kind, rows = checked.kind, checked.rows
    touched = set()
    if kind == INDICATORS:
        new_leads = {}
        for row in rows:
            key = name_key(row.accountable or "")
            if key and key not in checked.leads and key not in new_leads:
                new_leads[key] = Lead(name=row.accountable, name_key=key, kind=Lead.POST)
        if new_leads:
            bulk_create_with_history(list(new_leads.values()), Lead, batch_size=1000)
            checked.leads |= {lead.name_key: lead for lead in Lead.objects.filter(name_key__in=new_leads)}
            result.warnings.extend(
                RowWarning(number, "Accountable", f"'{lead.name}' is a new lead")
                for lead, number in ((lead, _first_row(rows, key)) for key, lead in new_leads.items())
            )
        writes = _Writes(Indicator, checked.entered_by)
        for row in rows:
            wanted = dict(row.fields)
            if row.accountable is not None:
                wanted["accountable"] = checked.leads.get(name_key(row.accountable)) if row.accountable else None
            if row.unit_name is not None:
                wanted["unit_owner"] = checked.units.get(row.number)
            saved = checked.indicators.get(row.code)
            writes.apply(saved, Indicator(code=row.code), wanted, result, row.number, f"Indicator {row.code}: {row.fields['name']}")
        writes.write()
        result.touched = [(indicator, True) for indicator in writes.new] + [(indicator, False) for indicator in writes.changed]
        # Only what the file changes is worked out again: re-importing 2,000 unchanged indicators rewrites nothing.
        touched = {indicator.pk for indicator in writes.new + writes.changed}
    elif kind == TARGETS:
        saved = {(t.indicator.code, t.year): t for t in Target.objects.filter(indicator__in=checked.indicators.values()).select_related("indicator")}
        writes = _Writes(Target, checked.entered_by)
        for row in rows:
            indicator = checked.indicators[row.code]
            new = Target(indicator=indicator, financial_year=row.year.first_year)
            if writes.apply(saved.get((row.code, row.year)), new, row.fields, result, row.number, f"Target of {row.code} for {row.year}"):
                touched.add(indicator.pk)
        writes.write()
    elif kind == READINGS:
        saved = {(r.indicator.code, r.indicator.period_of(r.period_start)): r
                 for r in Reading.objects.filter(indicator__in=checked.indicators.values()).select_related("indicator")}
        writes = _Writes(Reading, checked.entered_by)
        now = timezone.now()  # one moment for the whole import
        entered_by_id = getattr(checked.entered_by, "pk", None)
        for row in rows:
            indicator = checked.indicators[row.code]
            wanted = dict(row.fields)
            if "value" in wanted or "numerator" in wanted:
                wanted["value"] = ratio_value(indicator, wanted)
            existing = saved.get((row.code, row.period))
            if existing is None or any(getattr(existing, name) != value for name, value in wanted.items()):
                # Who entered it and when, for what changes; an unchanged reading keeps its own.
                wanted |= {"entered_by_id": entered_by_id, "entered_at": now}
            # By ids, not objects: a related object's descriptor costs more than the rest of a new reading.
            new = None if existing is not None else Reading(indicator_id=indicator.pk, period_start=row.period.start)
            if writes.apply(existing, new, wanted, result, row.number, f"Reading of {row.code} for {row.period.name}"):
                touched.add(indicator.pk)
        writes.write()
    else:
        comparators = {header_key(c.name): c for c in Comparator.objects.all()}
        named = {}
        for row in rows:
            named.setdefault(header_key(row.council), row.council)  # a new council is named as its first row writes it
        new_comparators = {key: Comparator(name=name) for key, name in named.items() if key not in comparators}
        Comparator.objects.bulk_create(new_comparators.values())
        comparators |= {header_key(c.name): c for c in Comparator.objects.filter(name__in=[c.name for c in new_comparators.values()])}
        saved = {(b.indicator.code, b.indicator.period_of(b.period_start), header_key(b.comparator.name)): b
                 for b in Benchmark.objects.filter(indicator__in=checked.indicators.values()).select_related("indicator", "comparator")}
        writes = _Writes(Benchmark, checked.entered_by)
        for row in rows:
            indicator, comparator = checked.indicators[row.code], comparators[header_key(row.council)]
            new = Benchmark(indicator=indicator, comparator=comparator, period_start=row.period.start)
            writes.apply(saved.get((row.code, row.period, header_key(row.council))), new, {"value": row.value},
                         result, row.number, f"{row.council}'s {row.code} for {row.period.name}")
        writes.write()
    # A dry run rolls back whatever it writes, and figures are no outcome of a row: not worked out for nothing.
    if kind != BENCHMARKS and touched and not checked.dry_run:
        state.refresh(touched)
    return result


def _first_row(rows, key):
    return next(row.number for row in rows if name_key(row.accountable or "") == key)


def import_indicator_file(data, filename, *, dry_run=False, entered_by=None):
    """Import one indicators, targets, readings or benchmarks file (CSV or XLSX), told apart by its headers.

    Raises SpreadsheetError when the file cannot be read, ImportErrors listing every bad row (nothing saved).
    """
    found = {}

    def parse():
        parsed, found["kind"] = parse_indicator_file(read_file(data, filename))
        return parsed

    def check(parsed):
        checked = _check(parsed, found["kind"], entered_by)
        checked.dry_run = dry_run
        return checked

    result = run_import(parse=parse, check=check, save=_save, dry_run=dry_run)
    result.format = found["kind"]
    return result
