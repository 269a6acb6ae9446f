"""The indicators export (performance/export.py) and its command: the columns, numbers unrounded, figures that
cannot be worked out left empty, Not rated, and the command's arguments."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from core.periods import Month
from performance import export, state

from ..factories import IndicatorFactory, ReadingFactory, TargetFactory

pytestmark = pytest.mark.django_db

SEPTEMBER = Month(2013, 9)
HEADERS = [
    "Code", "Name", "Period", "Value", "YTD", "Rolling 12", "Out-turn", "Target", "Minimum standard", "RAG",
    "RAG reason", "Direction",
]


@pytest.fixture
def indicators(db):
    # A ratio whose year to date is a third: written unrounded, not as the dashboard's 33.3%.
    ratio = IndicatorFactory(code="OPPD 01", name="Sign-posting", aggregation="ratio", rated_figure="ytd", domain="A")
    TargetFactory(indicator=ratio, financial_year=2013, target=70, minimum_standard=60)
    for month in range(4, 10):
        ReadingFactory(indicator=ratio, period_start=datetime.date(2013, month, 1), value=Decimal("33.333333"),
                       numerator=1, denominator=3)
    # No target: Not rated. A value with six places is kept as entered.
    untargeted = IndicatorFactory(code="B 1", name="=SUM(A1)", domain="B", unit="money", decimal_places=2)
    ReadingFactory(indicator=untargeted, period_start=datetime.date(2013, 8, 1), value=Decimal("1234.5"))
    ReadingFactory(indicator=untargeted, period_start=datetime.date(2013, 9, 1), value=Decimal("1234.567891"))
    # Readings only from October: no figure for September at all.
    later = IndicatorFactory(code="C 1", name="Later", domain="C")
    ReadingFactory(indicator=later, period_start=datetime.date(2013, 10, 1), value=5)
    state.refresh()


def rows_of(content):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_has_the_columns_and_unrounded_numbers(indicators):
    content, content_type, filename = export.export_indicators(SEPTEMBER, "csv")
    assert (content_type, filename) == ("text/csv; charset=utf-8", "indicators-2013-09.csv")
    rows = rows_of(content)
    assert rows[0] == HEADERS
    assert rows[1] == [
        "OPPD 01", "Sign-posting", "2013-09", "33.333333", "33.333333", "", "", "70", "60", "Red",
        "year to date 33.3% is below the target of 70.0% and below the minimum standard of 60.0%", "same",
    ]
    # Six places kept as entered (the dashboard shows £1,234.57); a snapshot's year to date is its value;
    # no rolling 12 months (a year of months is not in) and no out-turn: empty cells, never 0. A name a
    # spreadsheet would run gets an apostrophe.
    assert rows[2] == [
        "B 1", "'=SUM(A1)", "2013-09", "1234.567891", "1234.567891", "", "", "", "", "Not rated",
        "no target is set for 2013/14",
        "better",
    ]
    assert rows[3] == [
        "C 1", "Later", "", "", "", "", "", "", "", "Not rated", "no value has been reported by September 2013", "",
    ]


def test_a_year_to_date_of_april_to_september_is_summed_exactly(db):
    counted = IndicatorFactory(code="S 1", unit="count", aggregation="sum", rated_figure="ytd", decimal_places=0)
    TargetFactory(indicator=counted, financial_year=2013, target=1000, minimum_standard=900)
    for month in range(4, 10):
        ReadingFactory(indicator=counted, period_start=datetime.date(2013, month, 1), value=100)
    state.refresh()
    (row,) = rows_of(export.export_indicators(SEPTEMBER, "csv")[0])[1:]
    # The target and minimum standard as applied: 6 of 12 months of 1,000 and of 900, unrounded.
    assert row[3:10] == ["100", "600", "", "", "500", "450", "Green"]
    assert row[11] == "same"


def test_the_workbook_has_the_same_rows_with_numbers_as_numbers(indicators):
    content, content_type, filename = export.export_indicators(SEPTEMBER, "xlsx")
    assert filename == "indicators-2013-09.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADERS
    assert rows[1][3] == pytest.approx(33.333333) and isinstance(rows[1][3], (int, float))
    assert rows[2][1] == "=SUM(A1)" and sheet.cell(row=3, column=2).data_type == "s"  # text, never a formula
    assert rows[3][2:9] == [None] * 7 and rows[3][9] == "Not rated"


def test_only_the_indicators_asked_for(indicators):
    from performance.models import Indicator

    rows = rows_of(export.export_indicators(SEPTEMBER, "csv", Indicator.objects.filter(code="C 1"))[0])
    assert [row[0] for row in rows] == ["Code", "C 1"]


def test_an_unknown_format_is_refused(indicators):
    with pytest.raises(ValueError):
        export.export_indicators(SEPTEMBER, "pdf")


def test_the_command_writes_the_file_and_says_so(indicators, tmp_path):
    output = tmp_path / "indicators.csv"
    out = io.StringIO()
    call_command("export_indicators", "--period", "2013-09", "--format", "csv", "--output", str(output), stdout=out)
    assert out.getvalue().strip() == f"Exported 3 indicators as at September 2013 to {output}."
    assert rows_of(output.read_bytes())[1][0] == "OPPD 01"
    workbook = tmp_path / "indicators.xlsx"
    call_command("export_indicators", "--format", "xlsx", "--output", str(workbook), stdout=io.StringIO())
    assert openpyxl.load_workbook(workbook).active["A1"].value == "Code"  # the latest month, October, by default


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--period", "September"], "--period: Enter a month as a year and month, like 2013-09"),
        (["--period", "2014-01"], "--period: Choose a month from April 2013 to October 2013"),
        (["--format", "pdf"], "invalid choice: 'pdf'"),
    ],
)
def test_the_command_refuses_bad_input(indicators, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_indicators", *arguments, "--output", str(tmp_path / "out.csv"), stdout=io.StringIO())
    assert not (tmp_path / "out.csv").exists()


def test_the_command_with_no_figures_or_an_unwritable_file(db, tmp_path):
    with pytest.raises(CommandError, match="There are no figures yet"):
        call_command("export_indicators", "--output", str(tmp_path / "out.csv"), stdout=io.StringIO())
    ReadingFactory(period_start=datetime.date(2013, 9, 1))
    state.refresh()
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("export_indicators", "--output", str(tmp_path / "missing" / "out.csv"), stdout=io.StringIO())
