"""The four indicator import formats (performance/spreadsheet.py): indicators, targets, readings and
benchmarks, CSV or XLSX, told apart by their headers; every bad row reported with its row, column and
reason and nothing saved; the stored figures worked out again after an import."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from openpyxl import Workbook

from actionplans.models import Lead
from core.imports import NEW, UNCHANGED, UPDATED
from core.models import OrganisationUnit
from core.periods import Month, Quarter, FinancialYear
from core.spreadsheets import ImportErrors, RowError, SpreadsheetError, write_csv, write_xlsx
from performance import spreadsheet, state
from performance.models import Benchmark, Comparator, Figure, Indicator, Reading, Target
from performance.spreadsheet import (
    BENCHMARKS, INDICATORS, READINGS, TARGETS, detect_format, import_indicator_file, reading_errors,
)

from ..factories import (
    BenchmarkFactory, ComparatorFactory, IndicatorFactory, LeadFactory, ReadingFactory, TargetFactory, UnitFactory,
)

pytestmark = pytest.mark.django_db

HEADERS = {kind: [column.name for column in columns] for kind, columns in spreadsheet.COLUMNS.items()}
# One good row of each format, for the indicator NI 130 (monthly, a percentage).
DEFAULTS = {
    INDICATORS: {
        "Code": "NI 130", "Name": "Social care clients receiving self directed support", "Definition": "",
        "Unit": "percent", "Polarity": "higher", "Frequency": "monthly", "Aggregation": "latest",
        "Rated figure": "value", "Decimal places": "1", "Accountable": "", "Org unit": "",
        "Domain": "Personalisation", "Strategic link": "",
    },
    TARGETS: {"Code": "NI 130", "Year": "2013/14", "Target": "30", "Minimum standard": "25"},
    READINGS: {"Code": "NI 130", "Period": "2013-09", "Value": "27", "Numerator": "", "Denominator": "", "Note": ""},
    BENCHMARKS: {"Code": "NI 130", "Period": "2013-09", "Council": "East Sussex", "Value": "31"},
}


@pytest.fixture(autouse=True)
def december_2013():
    # Seed 001's meeting: September 2013 is past and January 2014 not yet begun, whatever the real date.
    with time_machine.travel(datetime.datetime(2013, 12, 5, 12, 0), tick=False):
        yield


def cells(kind, row):
    assert set(row) <= set(HEADERS[kind]), row
    return DEFAULTS[kind] | row


def csv_bytes(headers, rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(headers, rows):
    """A workbook as a person types it: numbers as number cells, text as text (never a formula)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def file_of(kind, *rows, headers=None):
    headers = headers or HEADERS[kind]
    return csv_bytes(headers, [[cells(kind, row).get(header, "a note") for header in headers] for row in rows])


def run(kind, *rows, headers=None, **options):
    return import_indicator_file(file_of(kind, *rows, headers=headers), f"{kind}.csv", **options)


def errors_of(kind, *rows, headers=None):
    with pytest.raises(ImportErrors) as raised:
        run(kind, *rows, headers=headers)
    return [(error.row, error.column, error.reason) for error in raised.value.errors]


def outcomes(result):
    return [(outcome.row, outcome.outcome, outcome.label) for outcome in result.outcomes]


def counts():
    """Every performance model, their history tables and the stored Figures, leads and units."""
    models = [*apps.get_app_config("performance").get_models(), Lead, Lead.history.model, OrganisationUnit]
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def ni130(db):
    return IndicatorFactory(code="NI 130", name="Self directed support", unit="percent", frequency="monthly")


@pytest.fixture
def indicators(ni130):
    """NI 130 monthly, SAFE 01 quarterly, C72 annual."""
    return {
        "NI 130": ni130,
        "SAFE 01": IndicatorFactory(code="SAFE 01", unit="count", frequency="quarterly", aggregation="sum", decimal_places=0),
        "C72": IndicatorFactory(code="C72", unit="rate_per_10000", polarity="lower", frequency="annual"),
    }


# --- Which format a file is ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers, kind",
    [
        (HEADERS[INDICATORS], INDICATORS),
        (["Code", "Name", "Unit", "Polarity", "Frequency", "Aggregation"], INDICATORS),
        (HEADERS[TARGETS], TARGETS),
        (["code", "YEAR", "target"], TARGETS),
        (HEADERS[READINGS], READINGS),
        (["  CODE ", "Period", "Numerator", "Denominator"], READINGS),
        (HEADERS[BENCHMARKS], BENCHMARKS),
        (["Code", "period", " council ", "VALUE"], BENCHMARKS),
    ],
)
def test_the_format_is_told_from_the_headers(headers, kind):
    assert detect_format([[], headers, ["x"] * len(headers)]) == kind


@pytest.mark.parametrize("headers", [["Plan", "Area", "Action No", "Action"], ["Code", "Name"], ["Code", "Value"]])
def test_headers_of_no_format_are_refused_naming_every_format(headers):
    with pytest.raises(SpreadsheetError) as raised:
        import_indicator_file(csv_bytes(headers, [["a"] * len(headers)]), "what.csv")
    assert str(raised.value) == (
        "The file's headers match none of the indicator formats. The first row must hold one of: "
        "Indicators: Code, Name, Definition, Unit, Polarity, Frequency, Aggregation, Rated figure, Decimal places, "
        "Accountable, Org unit, Domain, Strategic link; Targets: Code, Year, Target, Minimum standard; "
        "Readings: Code, Period, Value, Numerator, Denominator, Note; Benchmarks: Code, Period, Council, Value."
    )


def test_a_format_missing_a_required_column_says_which():
    with pytest.raises(SpreadsheetError) as raised:
        import_indicator_file(csv_bytes(["Code", "Name", "Polarity"], [["NI 130", "x", "higher"]]), "i.csv")
    assert str(raised.value).startswith(
        "The indicators file is missing the required columns Unit, Frequency, Aggregation."
    )


@pytest.mark.parametrize("kind", [INDICATORS, TARGETS, READINGS, BENCHMARKS])
def test_headers_match_whatever_their_case_and_spacing(kind, ni130):
    if kind == INDICATORS:
        ni130.delete()
    messy = [f"  {'  '.join(header.upper().split())} " for header in HEADERS[kind]]
    data = csv_bytes(messy, [[DEFAULTS[kind][header] for header in HEADERS[kind]]])
    result = import_indicator_file(data, "messy.csv")
    assert result.format == kind
    assert [outcome.outcome for outcome in result.outcomes] == [NEW]
    assert result.warnings == []


def test_columns_of_no_format_are_ignored_with_a_warning(ni130):
    result = run(READINGS, {}, headers=[*HEADERS[READINGS], "Comments"])
    assert [str(warning) for warning in result.warnings] == [
        "Column 'Comments' is not part of the readings format and was ignored."
    ]


# --- Each format saves what it says ---------------------------------------------------------------


def test_indicators_file_saves_every_column(division):
    result = run(INDICATORS, {
        "Code": "C72", "Name": "Admissions to residential care", "Definition": "Per 10,000 population aged 65+",
        "Unit": "Rate per 10000", "Polarity": "LOWER", "Frequency": "Annual", "Aggregation": "ratio",
        "Rated figure": "Rolling 12", "Decimal places": "2", "Accountable": "Head of Performance",
        "Org unit": "oppd", "Domain": "Promoting independence", "Strategic link": "Priority 1",
    })
    assert result.format == INDICATORS
    assert outcomes(result) == [(2, NEW, "Indicator C72: Admissions to residential care")]
    indicator = Indicator.objects.get()
    assert (
        indicator.code, indicator.name, indicator.definition, indicator.unit, indicator.polarity, indicator.frequency,
        indicator.aggregation, indicator.rated_figure, indicator.decimal_places, indicator.accountable.name,
        indicator.unit_owner, indicator.domain, indicator.strategic_link,
    ) == (
        "C72", "Admissions to residential care", "Per 10,000 population aged 65+", "rate_per_10000", "lower",
        "annual", "ratio", "rolling12", 2, "Head of Performance", division, "Promoting independence", "Priority 1",
    )
    assert indicator.accountable.kind == Lead.POST


def test_org_unit_is_matched_by_name_or_short_name_ignoring_case_and_spacing(division, other_division):
    run(INDICATORS, {"Code": "A", "Org unit": "older  people and physical DISABILITY"}, {"Code": "B", "Org unit": "LDMH"})
    assert dict(Indicator.objects.values_list("code", "unit_owner")) == {"A": division.pk, "B": other_division.pk}


def test_targets_file_saves_each_year(ni130):
    result = run(TARGETS, {"Year": "2012/13", "Target": "28", "Minimum standard": ""}, {"Year": "2013/14"})
    assert result.format == TARGETS
    assert outcomes(result) == [(2, NEW, "Target of NI 130 for 2012/13"), (3, NEW, "Target of NI 130 for 2013/14")]
    assert list(Target.objects.values_list("indicator__code", "financial_year", "target", "minimum_standard")) == [
        ("NI 130", 2012, Decimal(28), None), ("NI 130", 2013, Decimal(30), Decimal(25)),
    ]


@pytest.mark.parametrize(
    "code, period, start, label",
    [
        ("NI 130", "2013-09", datetime.date(2013, 9, 1), "Reading of NI 130 for September 2013"),
        ("SAFE 01", "2013/14 Q2", datetime.date(2013, 7, 1), "Reading of SAFE 01 for Q2 2013/14"),
        ("SAFE 01", "Q4 2012/13", datetime.date(2013, 1, 1), "Reading of SAFE 01 for Q4 2012/13"),
        ("C72", "2012/13", datetime.date(2012, 4, 1), "Reading of C72 for 2012/13"),
    ],
)
def test_readings_file_saves_a_month_a_quarter_or_a_year_by_the_indicators_frequency(indicators, code, period, start, label):
    result = run(READINGS, {"Code": code, "Period": period, "Value": "27.3", "Note": "From the return"})
    assert result.format == READINGS
    assert outcomes(result) == [(2, NEW, label)]
    reading = Reading.objects.get()
    assert (reading.indicator.code, reading.period_start, reading.value, reading.note) == (
        code, start, Decimal("27.3"), "From the return"
    )
    assert reading.numerator is None and reading.denominator is None


def test_benchmarks_file_saves_each_councils_value(indicators):
    result = run(BENCHMARKS, {}, {"Council": "Hampshire", "Value": "29.5"}, {"Code": "C72", "Period": "2007/08", "Value": "82.3"})
    assert result.format == BENCHMARKS
    assert outcomes(result) == [
        (2, NEW, "East Sussex's NI 130 for September 2013"),
        (3, NEW, "Hampshire's NI 130 for September 2013"),
        (4, NEW, "East Sussex's C72 for 2007/08"),
    ]
    assert list(Benchmark.objects.order_by("pk").values_list("indicator__code", "comparator__name", "period_start", "value")) == [
        ("NI 130", "East Sussex", datetime.date(2013, 9, 1), Decimal(31)),
        ("NI 130", "Hampshire", datetime.date(2013, 9, 1), Decimal("29.5")),
        ("C72", "East Sussex", datetime.date(2007, 4, 1), Decimal("82.3")),
    ]


def test_benchmarks_create_each_comparator_once_and_match_saved_ones_ignoring_case(indicators):
    ComparatorFactory(name="East Sussex")
    run(BENCHMARKS, {"Council": "east  sussex"}, {"Code": "C72", "Period": "2007/08", "Council": "Suffolk"},
        {"Code": "SAFE 01", "Period": "2013/14 Q1", "Council": "SUFFOLK"})
    assert list(Comparator.objects.values_list("name", flat=True)) == ["East Sussex", "Suffolk"]
    assert Benchmark.objects.count() == 3
    run(BENCHMARKS, {"Council": "Suffolk"})
    assert Comparator.objects.count() == 2


# --- Each kind of row error, with its row, column and reason --------------------------------------

CHOICE_LISTS = {
    "Unit": "percent, count, rate_per_1000, rate_per_10000, money, days, number",
    "Polarity": "higher, lower",
    "Frequency": "monthly, quarterly, annual",
    "Aggregation": "sum, ratio, mean, latest",
    "Rated figure": "value, ytd, rolling12",
}
# A good row keyed apart from the rows of the table below.
GOOD_FIRST_ROW = {INDICATORS: {"Code": "NEW 0"}, TARGETS: {"Year": "2011/12"}, READINGS: {"Period": "2013-04"},
                  BENCHMARKS: {"Council": "Kent"}}
PERIODS = "a month as 2013-09, a quarter as Q2 2013/14 or 2013/14 Q2, or a financial year as 2013/14"


@pytest.mark.parametrize(
    "kind, row, column, reason",
    [
        # Codes that are not indicators.
        (READINGS, {"Code": "NI 999"}, "Code", "'NI 999' is not an indicator: import the indicators first"),
        (TARGETS, {"Code": "ni 130"}, "Code", "'ni 130' is not an indicator: import the indicators first"),
        (BENCHMARKS, {"Code": "NI 999"}, "Code", "'NI 999' is not an indicator: import the indicators first"),
        # A period of the wrong kind for the indicator's frequency.
        (READINGS, {"Period": "2013/14 Q2"}, "Period",
         "NI 130 is monthly, so its period is a month (2013-09), not 'Q2 2013/14'"),
        (READINGS, {"Code": "SAFE 01", "Value": "5", "Period": "2013-09"}, "Period",
         "SAFE 01 is quarterly, so its period is a quarter (2013/14 Q2), not '2013-09'"),
        (READINGS, {"Code": "C72", "Period": "2013/14 Q1"}, "Period",
         "C72 is annual, so its period is a financial year (2013/14), not 'Q1 2013/14'"),
        (BENCHMARKS, {"Code": "C72"}, "Period", "C72 is annual, so its period is a financial year (2013/14), not '2013-09'"),
        # Periods and years that cannot be read.
        (READINGS, {"Period": "Sept 2013"}, "Period", f"Cannot read 'Sept 2013' as a period. Write {PERIODS}."),
        (READINGS, {"Period": "2013-13"}, "Period", f"Cannot read '2013-13' as a month: months run 01 to 12. Write {PERIODS}."),
        (READINGS, {"Period": "2013/14 Q5"}, "Period",
         f"Cannot read '2013/14 Q5' as a quarter: a financial year has quarters Q1 to Q4. Write {PERIODS}."),
        (BENCHMARKS, {"Period": "2013/15"}, "Period",
         f"Cannot read '2013/15': a financial year is written with the year after the first, so 2013 is 2013/14. Write {PERIODS}."),
        (TARGETS, {"Year": "2013-09"}, "Year", "'2013-09' is not a financial year: write it as 2013/14"),
        (TARGETS, {"Year": "2013/14 Q1"}, "Year", "'2013/14 Q1' is not a financial year: write it as 2013/14"),
        (TARGETS, {"Year": "13/14"}, "Year", f"Cannot read '13/14' as a period. Write {PERIODS}."),
        # Numbers that are not numbers.
        (TARGETS, {"Target": "30%"}, "Target", "'30%' is not a number"),
        (TARGETS, {"Minimum standard": "n/a"}, "Minimum standard", "'n/a' is not a number"),
        (READINGS, {"Value": "twenty"}, "Value", "'twenty' is not a number"),
        (BENCHMARKS, {"Value": "1.2.3"}, "Value", "'1.2.3' is not a number"),
        # Choices.
        (INDICATORS, {"Unit": "percentage"}, "Unit", f"'percentage' is not one of {CHOICE_LISTS['Unit']}"),
        (INDICATORS, {"Polarity": "up"}, "Polarity", f"'up' is not one of {CHOICE_LISTS['Polarity']}"),
        (INDICATORS, {"Frequency": "weekly"}, "Frequency", f"'weekly' is not one of {CHOICE_LISTS['Frequency']}"),
        (INDICATORS, {"Aggregation": "median"}, "Aggregation", f"'median' is not one of {CHOICE_LISTS['Aggregation']}"),
        (INDICATORS, {"Rated figure": "year"}, "Rated figure", f"'year' is not one of {CHOICE_LISTS['Rated figure']}"),
        (INDICATORS, {"Unit": "money", "Aggregation": "ratio"}, "Aggregation",
         "a ratio is a percentage, a rate per 1,000 or 10,000, or a number"),
        # Decimal places.
        (INDICATORS, {"Decimal places": "4"}, "Decimal places", "'4' is not a whole number from 0 to 3"),
        (INDICATORS, {"Decimal places": "1.5"}, "Decimal places", "'1.5' is not a whole number from 0 to 3"),
        (INDICATORS, {"Decimal places": "-1"}, "Decimal places", "'-1' is not a whole number from 0 to 3"),
        (INDICATORS, {"Decimal places": "²"}, "Decimal places", "'²' is not a whole number from 0 to 3"),
        # Text longer than its field.
        (INDICATORS, {"Code": "C" * 41}, "Code", "is 41 characters; the most is 40"),
        (INDICATORS, {"Name": "n" * 301}, "Name", "is 301 characters; the most is 300"),
        (INDICATORS, {"Definition": "d" * 4001}, "Definition", "is 4,001 characters; the most is 4,000"),
        (INDICATORS, {"Accountable": "a" * 201}, "Accountable", "is 201 characters; the most is 200"),
        (INDICATORS, {"Domain": "d" * 201}, "Domain", "is 201 characters; the most is 200"),
        (INDICATORS, {"Strategic link": "s" * 501}, "Strategic link", "is 501 characters; the most is 500"),
        (READINGS, {"Note": "n" * 4001}, "Note", "is 4,001 characters; the most is 4,000"),
        (BENCHMARKS, {"Council": "c" * 201}, "Council", "is 201 characters; the most is 200"),
        # Organisation units.
        (INDICATORS, {"Org unit": "Nowhere"}, "Org unit", "'Nowhere' is not an organisation unit"),
        (INDICATORS, {"Org unit": "SC"}, "Org unit", "'SC' names more than one organisation unit"),
        # What a reading may be (the rule the data entry page shares).
        (READINGS, {"Value": "100.1"}, "Value", "100.1 is not a percentage from 0 to 100"),
        (READINGS, {"Value": "-1"}, "Value", "-1 is not a percentage from 0 to 100"),
        (READINGS, {"Value": "", "Numerator": "60", "Denominator": "50"}, "Numerator", "60 is more than its denominator of 50"),
        (READINGS, {"Value": "", "Numerator": "60"}, "Denominator",
         "is needed too: give both the numerator and the denominator, or neither"),
        (READINGS, {"Value": "", "Denominator": "50"}, "Numerator",
         "is needed too: give both the numerator and the denominator, or neither"),
        (READINGS, {"Value": "", "Numerator": "-1", "Denominator": "50"}, "Numerator",
         "a numerator and a denominator cannot be negative"),
        (READINGS, {"Code": "C72", "Period": "2012/13", "Value": "", "Numerator": "3", "Denominator": "0"}, "Denominator",
         "is 0 while the numerator is not"),
        (READINGS, {"Period": "2014-01"}, "Period", "January 2014 has not begun yet: a reading is for a period that has"),
        (READINGS, {"Code": "SAFE 01", "Period": "2013/14 Q4", "Value": "5"}, "Period",
         "Q4 2013/14 has not begun yet: a reading is for a period that has"),
        (READINGS, {"Code": "C72", "Period": "2014/15"}, "Period", "2014/15 has not begun yet: a reading is for a period that has"),
        (READINGS, {"Value": ""}, "Value", "is empty: give a value, or a numerator and a denominator"),
        # Required cells left empty: said once, on the cell.
        (INDICATORS, {"Name": ""}, "Name", "is required and is empty"),
        (INDICATORS, {"Unit": ""}, "Unit", "is required and is empty"),
        (READINGS, {"Code": ""}, "Code", "is required and is empty"),
        (READINGS, {"Period": ""}, "Period", "is required and is empty"),
        (TARGETS, {"Year": "  "}, "Year", "is required and is empty"),
        (BENCHMARKS, {"Council": ""}, "Council", "is required and is empty"),
        (BENCHMARKS, {"Value": ""}, "Value", "is required and is empty"),
    ],
)
def test_each_kind_of_row_error_names_its_row_column_and_reason(indicators, kind, row, column, reason):
    UnitFactory(name="Strategic Commissioning", short_name="SC")
    UnitFactory(name="Social Care", short_name="sc")
    before = counts()
    # The bad row is the third, after a good one: the row numbers are the spreadsheet's, header first.
    assert errors_of(kind, GOOD_FIRST_ROW[kind], row) == [(3, column, reason)]
    assert counts() == before


@pytest.mark.parametrize(
    "kind, first, second",
    [
        (INDICATORS, {"Code": "NI 131"}, {"Code": "NI 131", "Name": "Again"}),
        (TARGETS, {"Year": "2013/14"}, {"Year": "2013 / 14", "Target": "31"}),
        (READINGS, {"Code": "SAFE 01", "Period": "2013/14 Q2"}, {"Code": "SAFE 01", "Period": "Q2 2013/14"}),
        (READINGS, {}, {"Period": "2013-9"}),
        (BENCHMARKS, {"Council": "East Sussex"}, {"Council": "EAST SUSSEX", "Value": "32"}),
    ],
)
def test_a_key_given_twice_in_one_file_is_an_error_on_the_second(indicators, kind, first, second):
    assert errors_of(kind, first, second) == [(3, "Code", "repeats row 2: a file gives each one once")]


def test_every_bad_row_is_reported_together_in_file_order(ni130):
    errors = errors_of(
        READINGS,
        {"Period": "2013-04"},
        {"Code": "NI 999", "Period": "2013-05"},
        {"Period": "2013-06", "Value": "101", "Numerator": "3"},
        {"Period": "2013-07"},
        {"Period": "Q1"},
    )
    assert errors == [
        (3, "Code", "'NI 999' is not an indicator: import the indicators first"),
        (4, "Value", "101 is not a percentage from 0 to 100"),
        (4, "Denominator", "is needed too: give both the numerator and the denominator, or neither"),
        (6, "Period", f"Cannot read 'Q1' as a period. Write {PERIODS}."),
    ]


def test_the_error_says_where_it_is_as_a_person_counts():
    assert str(RowError(4, "Value", "101 is not a percentage from 0 to 100")) == (
        "Row 4, column 'Value': 101 is not a percentage from 0 to 100"
    )


def test_row_numbers_count_blank_rows_as_the_spreadsheet_does(ni130):
    data = b"Code,Period,Value\r\nNI 130,2013-08,27\r\n,,\r\nNI 130,2013-09,200\r\n"
    with pytest.raises(ImportErrors) as raised:
        import_indicator_file(data, "readings.csv")
    assert [(e.row, e.column) for e in raised.value.errors] == [(4, "Value")]


@pytest.mark.parametrize(
    "unit, fields, expected",
    [
        ("percent", {"value": Decimal(27)}, []),
        ("percent", {"value": Decimal(0)}, []),
        ("percent", {"value": Decimal(100)}, []),
        ("percent", {"value": Decimal("100.01")}, [("Value", "100.01 is not a percentage from 0 to 100")]),
        ("count", {"value": Decimal(250)}, []),
        ("percent", {"value": None, "numerator": Decimal(50), "denominator": Decimal(50)}, []),
        ("percent", {"value": None, "numerator": Decimal(51), "denominator": Decimal(50)},
         [("Numerator", "51 is more than its denominator of 50")]),
        # A rate per 1,000 counts events against a population: the numerator is rarely larger, but may be.
        ("rate_per_1000", {"value": None, "numerator": Decimal(51), "denominator": Decimal(50)}, []),
        ("percent", {"value": None}, [("Value", "is empty: give a value, or a numerator and a denominator")]),
        # A reading that gives only a note (a data entry form's blank figure) is not "empty".
        ("percent", {"note": "Not yet collected"}, []),
    ],
)
def test_reading_errors_is_the_rule_data_entry_shares(unit, fields, expected):
    indicator = Indicator(code="X 1", unit=unit, frequency="monthly")
    errors = reading_errors(indicator, Month(2013, 9), fields, number=7)
    assert [(error.row, error.column, error.reason) for error in errors] == [(7, *error) for error in expected]


@pytest.mark.parametrize(
    "period, future",
    # Today is 5 December 2013: this month may have its reading, and so may a quarter or a year ending with it.
    [(Month(2013, 12), False), (Month(2014, 1), True), (Quarter(FinancialYear(2013), 2), False),
     (Quarter(FinancialYear(2013), 3), False), (Quarter(FinancialYear(2013), 4), True),
     (FinancialYear(2012), False), (FinancialYear(2013), True), (FinancialYear(2014), True)],
)
def test_a_month_that_has_begun_or_a_period_that_has_ended_may_have_a_reading(period, future):
    errors = reading_errors(Indicator(unit="count"), period, {"value": Decimal(1)})
    assert bool(errors) == future


# --- All or nothing -----------------------------------------------------------------------------------


def test_an_indicators_file_with_one_bad_row_saves_nothing_not_even_its_new_leads(division):
    before = counts()
    errors = errors_of(
        INDICATORS,
        {"Code": "A 1", "Accountable": "Head of Performance", "Org unit": "OPPD"},
        {"Code": "A 2", "Accountable": "Director of Strategic Commissioning"},
        {"Code": "A 3", "Polarity": "sideways"},
    )
    assert [error[:2] for error in errors] == [(4, "Polarity")]
    assert counts() == before


@pytest.mark.parametrize(
    "kind, good, bad",
    [
        (TARGETS, [{"Year": "2012/13"}, {"Year": "2013/14"}], {"Year": "2014/15", "Target": "lots"}),
        (READINGS, [{"Period": "2013-08"}, {"Period": "2013-09"}], {"Period": "2013-10", "Value": "140"}),
        (BENCHMARKS, [{"Council": "Kent"}, {"Council": "Surrey"}], {"Code": "NI 999"}),
    ],
)
def test_a_file_with_one_bad_row_saves_nothing_at_all(ni130, kind, good, bad):
    # Something saved already, so that the figures, history and comparators have rows to keep.
    ReadingFactory(indicator=ni130, period_start=datetime.date(2013, 7, 1), value=26)
    TargetFactory(indicator=ni130, financial_year=2013)
    BenchmarkFactory(indicator=ni130, comparator=ComparatorFactory(name="Kent"), period_start=datetime.date(2013, 7, 1))
    state.refresh()
    before = counts()
    figures = list(Figure.objects.values_list("month", "rag_colour", "value"))
    with pytest.raises(ImportErrors):
        run(kind, *good, bad)
    assert counts() == before
    assert list(Figure.objects.values_list("month", "rag_colour", "value")) == figures
    assert Comparator.objects.filter(name="Surrey").count() == 0


# --- Importing again, and updating ---------------------------------------------------------------

AGAIN = {
    INDICATORS: [
        {"Code": "A 1", "Accountable": "Head of Performance", "Org unit": "OPPD", "Definition": "=SUM(A1)"},
        {"Code": "A 2", "Aggregation": "ratio", "Rated figure": "", "Decimal places": ""},
    ],
    TARGETS: [{"Year": "2012/13", "Minimum standard": ""}, {"Year": "2013/14", "Target": "30.5"}],
    READINGS: [
        {"Period": "2013-08", "Value": "27.3", "Note": "-3 on July"},
        # Worked out from its numerator and denominator: 100 / 3.
        {"Period": "2013-09", "Value": "", "Numerator": "1", "Denominator": "3"},
        {"Period": "2013-07", "Value": "0.1234567"},
    ],
    BENCHMARKS: [{"Council": "Kent"}, {"Council": "Surrey", "Value": "1,234.5"}],
}


@pytest.mark.parametrize("kind", [INDICATORS, TARGETS, READINGS, BENCHMARKS])
def test_importing_the_same_file_again_changes_nothing_and_writes_no_history(ni130, division, kind):
    if kind == INDICATORS:
        ni130.delete()
    first = run(kind, *AGAIN[kind])
    assert [outcome.outcome for outcome in first.outcomes] == [NEW] * len(AGAIN[kind])
    before = counts()
    again = run(kind, *AGAIN[kind])
    assert [outcome.outcome for outcome in again.outcomes] == [UNCHANGED] * len(AGAIN[kind])
    assert again.summary == f"Imported {len(AGAIN[kind])} rows: 0 new, 0 updated, {len(AGAIN[kind])} unchanged; 0 warnings."
    assert counts() == before


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_figures_with_more_places_than_are_stored_import_again_unchanged(ni130, file_format):
    """A workbook's worked-out cell holds a float of 15 or more places (33.333333333333336); six are kept."""
    rows = [["NI 130", "2013-09", 100 / 3], ["NI 130", "2013-08", 0.1 + 0.2]]
    data = (xlsx_bytes if file_format == "xlsx" else csv_bytes)(["Code", "Period", "Value"], rows)
    import_indicator_file(data, f"r.{file_format}")
    assert list(Reading.objects.values_list("value", flat=True)) == [Decimal("0.3"), Decimal("33.333333")]
    before = counts()
    again = import_indicator_file(data, f"r.{file_format}")
    assert [outcome.outcome for outcome in again.outcomes] == [UNCHANGED, UNCHANGED]
    assert counts() == before


def test_a_figure_too_large_to_store_is_a_row_error_not_a_crash(ni130):
    ni130.unit = "count"
    ni130.save()
    assert errors_of(READINGS, {"Value": "1" + "0" * 18}, {"Period": "2013-08", "Value": "1" * 18}) == [
        (2, "Value", "'1000000000000000000' is too large: a figure has at most 18 digits before the decimal point"),
    ]


def test_an_update_of_a_reading_changes_only_the_columns_the_file_has(ni130):
    run(READINGS, {"Value": "", "Numerator": "27", "Denominator": "90", "Note": "From the return"})
    reading = Reading.objects.get()
    history = reading.history.count()
    result = run(READINGS, {"Note": "Checked by the performance team"}, headers=["Code", "Period", "Note"])
    assert [outcome.outcome for outcome in result.outcomes] == [UPDATED]
    reading.refresh_from_db()
    assert (reading.value, reading.numerator, reading.denominator, reading.note) == (
        Decimal(30), Decimal(27), Decimal(90), "Checked by the performance team"
    )
    assert reading.history.count() == history + 1
    # And a file of values alone leaves the numerator, denominator and note as they are.
    run(READINGS, {"Value": "31"}, headers=["Code", "Period", "Value"])
    reading.refresh_from_db()
    assert (reading.value, reading.numerator, reading.denominator, reading.note) == (
        Decimal(31), Decimal(27), Decimal(90), "Checked by the performance team"
    )


def test_an_update_of_a_target_changes_only_the_columns_the_file_has(ni130):
    TargetFactory(indicator=ni130, financial_year=2013, target=30, minimum_standard=25)
    result = run(TARGETS, {"Target": "32"}, headers=["Code", "Year", "Target"])
    assert outcomes(result) == [(2, UPDATED, "Target of NI 130 for 2013/14")]
    assert Target.objects.values_list("target", "minimum_standard").get() == (Decimal(32), Decimal(25))


def test_an_update_of_an_indicator_changes_only_the_columns_the_file_has(ni130, division):
    lead = LeadFactory(name="Head of Performance")
    ni130.definition, ni130.accountable, ni130.unit_owner, ni130.strategic_link = "As defined", lead, division, "T2010"
    ni130.rated_figure = "ytd"
    ni130.save()
    headers = ["Code", "Name", "Unit", "Polarity", "Frequency", "Aggregation", "Rated figure"]
    result = run(INDICATORS, {"Name": "Self-directed support (renamed)", "Rated figure": ""}, headers=headers)
    assert [outcome.outcome for outcome in result.outcomes] == [UPDATED]
    ni130.refresh_from_db()
    assert (ni130.name, ni130.definition, ni130.accountable, ni130.unit_owner, ni130.strategic_link, ni130.rated_figure,
            ni130.decimal_places, ni130.domain) == (
        "Self-directed support (renamed)", "As defined", lead, division, "T2010", "ytd", 1, "Personalisation"
    )


def test_an_update_of_a_benchmark_changes_its_value(ni130):
    BenchmarkFactory(indicator=ni130, comparator=ComparatorFactory(name="East Sussex"), period_start=datetime.date(2013, 9, 1), value=30)
    result = run(BENCHMARKS, {"Council": "East Sussex", "Value": "30.000"}, {"Council": "Kent"})
    assert [outcome.outcome for outcome in result.outcomes] == [UNCHANGED, NEW]
    result = run(BENCHMARKS, {"Council": "east sussex", "Value": "35"})
    assert [outcome.outcome for outcome in result.outcomes] == [UPDATED]
    assert Benchmark.objects.get(comparator__name="East Sussex").value == Decimal(35)


@pytest.mark.parametrize(
    "unit, numerator, denominator, value",
    [
        ("percent", "27", "90", Decimal(30)),
        ("percent", "1922", "2730", Decimal("70.402930")),
        ("rate_per_1000", "5", "2000", Decimal("2.5")),
        ("rate_per_10000", "12", "40000", Decimal(3)),
        ("number", "3", "4", Decimal("0.75")),
    ],
)
def test_a_ratio_reading_with_only_numerator_and_denominator_gets_its_value_worked_out(ni130, unit, numerator, denominator, value):
    ni130.unit, ni130.aggregation = unit, "ratio"
    ni130.save()
    run(READINGS, {"Numerator": numerator, "Denominator": denominator}, headers=["Code", "Period", "Numerator", "Denominator"])
    assert Reading.objects.values_list("value", "numerator", "denominator").get() == (
        value, Decimal(numerator), Decimal(denominator)
    )


def test_a_value_given_beside_numerator_and_denominator_is_kept_as_written(ni130):
    # Seed 001's OPPD 01 file gives 70.4 beside 1922 / 2730 (70.40...): the published figure stands.
    run(READINGS, {"Value": "70.4", "Numerator": "1922", "Denominator": "2730"})
    assert Reading.objects.get().value == Decimal("70.4")


# --- XLSX, and text that looks like a formula ------------------------------------------------------


def test_an_xlsx_file_imports_as_its_csv_does(indicators):
    headers = ["Code", "Period", "Value", "Numerator", "Denominator", "Note"]
    rows = [
        ["NI 130", "2013-09", 27.3, None, None, "Typed"],
        ["SAFE 01", "2013/14 Q2", 412, None, None, None],
        ["C72", "2012/13", None, 12, 40000, "Worked out"],
    ]
    result = import_indicator_file(xlsx_bytes(headers, rows), "readings.xlsx")
    assert result.format == READINGS
    assert [outcome.outcome for outcome in result.outcomes] == [NEW] * 3
    assert list(Reading.objects.order_by("indicator__code").values_list("indicator__code", "period_start", "value", "note")) == [
        ("C72", datetime.date(2012, 4, 1), Decimal(3), "Worked out"),
        ("NI 130", datetime.date(2013, 9, 1), Decimal("27.3"), "Typed"),
        ("SAFE 01", datetime.date(2013, 7, 1), Decimal(412), ""),
    ]
    # The same rows as CSV: unchanged.
    csv_rows = [["" if cell is None else cell for cell in row] for row in rows]
    again = import_indicator_file(csv_bytes(headers, csv_rows), "readings.csv")
    assert [outcome.outcome for outcome in again.outcomes] == [UNCHANGED] * 3


def test_an_xlsx_indicators_file_with_number_cells(division):
    headers = HEADERS[INDICATORS]
    row = [cells(INDICATORS, {"Code": "C72", "Decimal places": 2, "Org unit": "OPPD"})[h] for h in headers]
    result = import_indicator_file(xlsx_bytes(headers, [row]), "no-extension")
    assert result.format == INDICATORS
    assert Indicator.objects.values_list("code", "decimal_places", "unit_owner").get() == ("C72", 2, division.pk)


def test_an_xlsx_row_error_names_the_sheet_row(ni130):
    data = xlsx_bytes(["Code", "Period", "Value"], [["NI 130", "2013-08", 27], [None, None, None], ["NI 130", "2013-09", 140]])
    with pytest.raises(ImportErrors) as raised:
        import_indicator_file(data, "readings.xlsx")
    assert [(e.row, e.column, e.reason) for e in raised.value.errors] == [(4, "Value", "140 is not a percentage from 0 to 100")]


@pytest.mark.parametrize("text", ["=SUM(A1)", "+44 1622 694000", "-3 on last month", "@risk", "'=SUM(A1)"])
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_text_that_looks_like_a_formula_survives_export_and_import_as_written(ni130, text, file_format):
    headers = ["Code", "Period", "Value", "Note"]
    rows = [["NI 130", "2013-09", 27, text]]
    data = write_csv(headers, rows) if file_format == "csv" else write_xlsx([("Readings", headers, rows)])
    import_indicator_file(data, f"readings.{file_format}")
    assert Reading.objects.get().note == text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_like_text_typed_without_an_apostrophe_is_kept_as_text(division, file_format):
    row = cells(INDICATORS, {"Code": "F 1", "Name": "=SUM(A1)", "Definition": "=HYPERLINK(\"http://x\")", "Domain": "+Prevention"})
    data = (xlsx_bytes if file_format == "xlsx" else csv_bytes)(HEADERS[INDICATORS], [[row[h] for h in HEADERS[INDICATORS]]])
    import_indicator_file(data, f"i.{file_format}")
    assert Indicator.objects.values_list("name", "definition", "domain").get() == (
        "=SUM(A1)", "=HYPERLINK(\"http://x\")", "+Prevention"
    )


# --- Dry run ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [INDICATORS, TARGETS, READINGS, BENCHMARKS])
def test_a_dry_run_saves_nothing_and_reports_what_the_import_will_do(ni130, division, kind):
    if kind == INDICATORS:
        ni130.delete()
    rows = AGAIN[kind]
    before = counts()
    dry = run(kind, *rows, dry_run=True)
    assert dry.dry_run and dry.summary.startswith(f"Would import {len(rows)} rows: {len(rows)} new")
    assert counts() == before
    real = run(kind, *rows)
    assert not real.dry_run and real.summary.startswith(f"Imported {len(rows)} rows")
    assert outcomes(dry) == outcomes(real)
    assert [str(warning) for warning in dry.warnings] == [str(warning) for warning in real.warnings]
    # And a dry run of a change says "updated" without changing it.
    changed = [dict(row) for row in rows]
    field = {INDICATORS: "Name", TARGETS: "Target", READINGS: "Value", BENCHMARKS: "Value"}[kind]
    changed[0][field] = "42"
    before = counts()
    dry = run(kind, *changed, dry_run=True)
    assert [outcome.outcome for outcome in dry.outcomes] == [UPDATED] + [UNCHANGED] * (len(rows) - 1)
    assert counts() == before


def test_a_dry_run_reports_the_same_errors(ni130):
    rows = [{"Period": "2014-02"}, {"Code": "NI 999"}]
    with pytest.raises(ImportErrors) as dry:
        run(READINGS, *rows, dry_run=True)
    with pytest.raises(ImportErrors) as real:
        run(READINGS, *rows)
    assert dry.value.errors == real.value.errors and len(real.value.errors) == 2


# --- The stored figures follow the import ------------------------------------------------------------


def rag_of(indicator, month):
    return Figure.objects.get(indicator=indicator, month=month.start).rag_colour


def test_importing_readings_then_targets_refreshes_the_stored_figures(ni130):
    run(READINGS, {"Period": "2013-08", "Value": "27"}, {"Period": "2013-09", "Value": "31"})
    assert list(Figure.objects.filter(indicator=ni130).values_list("month", "value", "rag_colour")) == [
        (datetime.date(2013, 8, 1), Decimal(27), "grey"), (datetime.date(2013, 9, 1), Decimal(31), "grey"),
    ]
    run(TARGETS, {"Year": "2013/14", "Target": "30", "Minimum standard": "25"})
    assert (rag_of(ni130, Month(2013, 8)), rag_of(ni130, Month(2013, 9))) == ("amber", "green")
    run(TARGETS, {"Year": "2013/14", "Target": "32"}, headers=["Code", "Year", "Target"])
    assert (rag_of(ni130, Month(2013, 8)), rag_of(ni130, Month(2013, 9))) == ("amber", "amber")
    run(READINGS, {"Period": "2013-09", "Value": "24"})
    assert rag_of(ni130, Month(2013, 9)) == "red"
    assert Figure.objects.get(indicator=ni130, month=datetime.date(2013, 9, 1)).rag_reason == (
        "24.0% is below the target of 32.0% and below the minimum standard of 25.0%"
    )


def test_a_reading_for_a_later_month_moves_every_indicators_figures_on(ni130):
    other = IndicatorFactory(code="NI 135")
    run(READINGS, {"Period": "2013-08"}, {"Code": "NI 135", "Period": "2013-08"})
    run(READINGS, {"Period": "2013-10"})
    assert list(Figure.objects.filter(indicator=other).values_list("month", flat=True)) == [
        datetime.date(2013, 8, 1), datetime.date(2013, 9, 1), datetime.date(2013, 10, 1),
    ]


def test_changing_an_indicators_polarity_by_import_refreshes_its_figures(ni130):
    TargetFactory(indicator=ni130, financial_year=2013, target=30, minimum_standard=25)
    run(READINGS, {"Value": "20"})
    assert rag_of(ni130, Month(2013, 9)) == "red"
    run(INDICATORS, {"Name": ni130.name, "Polarity": "lower"})
    assert rag_of(ni130, Month(2013, 9)) == "green"


# --- Leads -------------------------------------------------------------------------------------------


def test_new_accountable_leads_are_made_once_as_posts_and_warned_about():
    existing = LeadFactory(name="Head of Performance")
    result = run(
        INDICATORS,
        {"Code": "A 1", "Accountable": "Director of Strategic Commissioning"},
        {"Code": "A 2", "Accountable": "director of  strategic commissioning"},
        {"Code": "A 3", "Accountable": "HEAD OF PERFORMANCE"},
        {"Code": "A 4", "Accountable": ""},
    )
    assert [str(warning) for warning in result.warnings] == [
        "Row 2, column 'Accountable': 'Director of Strategic Commissioning' is a new lead"
    ]
    new = Lead.objects.get(name="Director of Strategic Commissioning")
    assert new.kind == Lead.POST and new.history.count() == 1
    assert dict(Indicator.objects.values_list("code", "accountable")) == {
        "A 1": new.pk, "A 2": new.pk, "A 3": existing.pk, "A 4": None,
    }
    again = run(INDICATORS, {"Code": "A 5", "Accountable": "Director of Strategic Commissioning"})
    assert again.warnings == [] and Lead.objects.count() == 2


# --- An indicator's periods, and what an import works out again ---------------------------------------


def test_an_indicator_with_readings_keeps_its_frequency(db):
    indicator = IndicatorFactory(code="NI 130", frequency="monthly")
    ReadingFactory(indicator=indicator, period_start=datetime.date(2013, 4, 1))
    errors = errors_of(INDICATORS, {"Code": "NI 130", "Frequency": "quarterly"})
    assert errors == [(2, "Frequency", "NI 130 has readings or benchmarks for its monthly periods, so its frequency "
                                       "cannot change: give the new frequency to a new indicator")]
    run(INDICATORS, {"Code": "NEW 1", "Frequency": "quarterly"})  # one with no readings may take any


def test_a_dry_run_and_an_unchanged_file_work_out_no_figures(db, monkeypatch):
    from performance import state

    IndicatorFactory(code="NI 130")
    calls = []
    monkeypatch.setattr(state, "refresh", lambda touched: calls.append(set(touched)))
    run(READINGS, {}, dry_run=True)
    assert calls == []
    run(READINGS, {})
    run(READINGS, {})  # the same reading again: nothing to work out
    run(READINGS, {}, {"Period": "2013-08", "Value": "26"})
    assert len(calls) == 2 and all(len(touched) == 1 for touched in calls)


@pytest.mark.parametrize("text", ['She said "no", then left', "Two lines\nof note", "\\N", "\\.", ""])
def test_a_note_is_saved_exactly_as_written(ni130, text):
    # New readings go in without the ORM (core.bulk: COPY on PostgreSQL, where quotes, commas, line breaks,
    # an empty text and a NULL must stay apart).
    run(READINGS, {"Code": "NI 130", "Period": "2013-09", "Value": "27", "Note": text})
    reading = Reading.objects.get()
    record = reading.history.get()
    assert (reading.note, reading.numerator, record.note) == (text, None, text)
    assert (record.id, record.history_type, record.indicator_id, record.period_start) == (
        reading.id, "+", reading.indicator_id, reading.period_start
    )
    assert record.history_date == reading.entered_at
