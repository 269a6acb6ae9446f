"""The management commands import_indicators and seed_indicators, and the demo data they load."""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

from actionplans.models import Lead
from core.models import OrganisationUnit
from performance.models import Benchmark, Figure, Indicator, Reading, Target

from ..factories import IndicatorFactory, UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "indicators"
DEMO_FILES = [
    "kent_2009_10_indicators.csv", "kent_2009_10_targets.csv", "kent_2009_10_readings.csv", "kent_2009_10_benchmarks.csv",
    "sefton_2009_10_indicators.csv", "sefton_2009_10_targets.csv", "sefton_2009_10_readings.csv",
    "fsc_monthly_indicators.csv", "fsc_monthly_targets.csv", "fsc_monthly_readings.csv",
]
LABELS = {"indicators": "Indicators", "targets": "Targets", "readings": "Readings", "benchmarks": "Benchmarks"}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_csv(path, headers, rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def counts():
    models = [*apps.get_app_config("performance").get_models(), Lead, Lead.history.model, OrganisationUnit]
    return {model.__name__: model.objects.count() for model in models}


def rows_in(name):
    with open(FIXTURES / name, newline="", encoding="utf-8") as file:
        return sum(1 for _ in csv.DictReader(file))


@pytest.fixture
def ni130(db):
    return IndicatorFactory(code="NI 130", unit="percent", frequency="monthly")


# --- import_indicators ------------------------------------------------------------------------------


def test_import_indicators_saves_the_file_and_prints_one_summary_line(tmp_path, ni130):
    path = write_csv(tmp_path / "readings.csv", ["Code", "Period", "Value"], [["NI 130", "2013-08", "27"], ["NI 130", "2013-09", "31"]])
    out, err = run("import_indicators", str(path))
    assert out == "Readings: Imported 2 rows: 2 new, 0 updated, 0 unchanged; 0 warnings.\n"
    assert err == ""
    assert list(Reading.objects.values_list("period_start", "value")) == [
        (datetime.date(2013, 8, 1), Decimal(27)), (datetime.date(2013, 9, 1), Decimal(31)),
    ]
    assert Figure.objects.filter(indicator=ni130).count() == 2
    out, _ = run("import_indicators", str(path))
    assert out == "Readings: Imported 2 rows: 0 new, 0 updated, 2 unchanged; 0 warnings.\n"


def test_import_indicators_prints_warnings_to_stderr(tmp_path):
    path = write_csv(
        tmp_path / "indicators.csv", ["Code", "Name", "Unit", "Polarity", "Frequency", "Aggregation", "Accountable", "Notes"],
        [["NI 130", "Self directed support", "percent", "higher", "monthly", "latest", "Head of Performance", "x"]],
    )
    out, err = run("import_indicators", str(path))
    assert out == "Indicators: Imported 1 rows: 1 new, 0 updated, 0 unchanged; 2 warnings.\n"
    assert err.splitlines() == [
        "Warning: Column 'Notes' is not part of the indicators format and was ignored.",
        "Warning: Row 2, column 'Accountable': 'Head of Performance' is a new lead",
    ]
    assert Indicator.objects.get().accountable.name == "Head of Performance"


def test_import_indicators_dry_run_reports_and_saves_nothing(tmp_path, ni130):
    path = write_csv(tmp_path / "targets.csv", ["Code", "Year", "Target", "Minimum standard"], [["NI 130", "2013/14", "30", "25"]])
    before = counts()
    out, _ = run("import_indicators", str(path), "--dry-run")
    assert out == "Targets: Would import 1 rows: 1 new, 0 updated, 0 unchanged; 0 warnings.\n"
    assert counts() == before and not Target.objects.exists()


def test_import_indicators_reads_xlsx(tmp_path, ni130):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Code", "Period", "Council", "Value"])
    workbook.active.append(["NI 130", "2013-09", "Hampshire", 29.5])
    workbook.save(tmp_path / "benchmarks.xlsx")
    out, _ = run("import_indicators", str(tmp_path / "benchmarks.xlsx"))
    assert out == "Benchmarks: Imported 1 rows: 1 new, 0 updated, 0 unchanged; 0 warnings.\n"
    assert Benchmark.objects.values_list("comparator__name", "value").get() == ("Hampshire", Decimal("29.5"))


def test_a_bad_file_prints_each_error_exits_with_command_error_and_saves_nothing(tmp_path, ni130):
    path = write_csv(
        tmp_path / "readings.csv", ["Code", "Period", "Value", "Numerator", "Denominator"],
        [["NI 130", "2013-11", "27", "", ""], ["NI 999", "2013-10", "1", "", ""], ["NI 130", "2014-01", "140", "", ""],
         ["NI 130", "2013-09", "", "60", "50"]],
    )
    before = counts()
    err = io.StringIO()
    with time_machine.travel(datetime.datetime(2013, 12, 5, 12, 0), tick=False):
        with pytest.raises(CommandError) as raised:
            call_command("import_indicators", str(path), stdout=io.StringIO(), stderr=err)
    assert str(raised.value) == "4 errors: nothing was imported."
    assert err.getvalue().splitlines() == [
        "readings.csv: Row 3, column 'Code': 'NI 999' is not an indicator: import the indicators first",
        "readings.csv: Row 4, column 'Period': January 2014 has not begun yet: a reading is for a period that has",
        "readings.csv: Row 4, column 'Value': 140 is not a percentage from 0 to 100",
        "readings.csv: Row 5, column 'Numerator': 60 is more than its denominator of 50",
    ]
    assert counts() == before


def test_a_file_of_no_format_is_one_command_error(tmp_path):
    path = write_csv(tmp_path / "plan.csv", ["Plan", "Area", "Action"], [["A", "B", "C"]])
    with pytest.raises(CommandError) as raised:
        run("import_indicators", str(path))
    assert str(raised.value).startswith("plan.csv: The file's headers match none of the indicator formats.")


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError) as raised:
        run("import_indicators", str(tmp_path / "nowhere.csv"))
    assert str(raised.value) == f"No such file: {tmp_path / 'nowhere.csv'}"


# --- seed_indicators and the demo data ----------------------------------------------------------------


@pytest.fixture
def demo_units(db):
    run("seed_demo", "--with-demo-users")


@pytest.fixture
def seeded(demo_units):
    out, _ = run("seed_indicators")
    return out


def test_seed_indicators_loads_every_demo_file_with_no_errors(seeded):
    lines = seeded.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == DEMO_FILES
    for name, line in zip(DEMO_FILES, lines):
        kind = LABELS[name.rpartition("_")[2].removesuffix(".csv")]
        total = rows_in(name)
        assert line.startswith(f"{name}: {kind}: Imported {total} rows: {total} new, 0 updated, 0 unchanged;"), line
    assert lines[-1] == "The demo officer enters the indicators of: Head of Performance."
    expected = {
        Indicator: ("kent_2009_10_indicators.csv", "sefton_2009_10_indicators.csv", "fsc_monthly_indicators.csv"),
        Target: ("kent_2009_10_targets.csv", "sefton_2009_10_targets.csv", "fsc_monthly_targets.csv"),
        Reading: ("kent_2009_10_readings.csv", "sefton_2009_10_readings.csv", "fsc_monthly_readings.csv"),
        Benchmark: ("kent_2009_10_benchmarks.csv",),
    }
    for model, names in expected.items():
        assert model.objects.count() == sum(rows_in(name) for name in names), model.__name__


def test_seed_indicators_links_the_demo_officer_to_head_of_performance(seeded):
    lead = Lead.objects.get(name="Head of Performance")
    assert lead.user.username == "officer" and lead.kind == Lead.POST
    assert set(Indicator.objects.filter(accountable__user=lead.user).values_list("code", flat=True)) >= {"C72", "D55", "D56"}
    assert Lead.objects.filter(user__username="officer").exclude(name="Head of Performance").count() == 2  # seed_demo's


def test_seed_indicators_without_the_demo_officer_links_nobody(db):
    run("seed_demo")
    out, _ = run("seed_indicators")
    assert "demo officer" not in out
    assert Lead.objects.get(name="Head of Performance").user is None


def test_an_officer_already_linked_to_the_post_is_left_as_they_are(demo_units):
    someone = UserFactory(username="someone")
    Lead.objects.create(name="Head of Performance", kind=Lead.POST, user=someone)
    run("seed_indicators")
    assert Lead.objects.get(name="Head of Performance").user == someone


def test_seed_indicators_again_finds_every_row_unchanged_and_writes_nothing(seeded):
    before = counts()
    figures = list(Figure.objects.order_by("indicator__code", "month").values_list("indicator__code", "month", "rag_colour", "rag_reason"))
    out, _ = run("seed_indicators")
    for name, line in zip(DEMO_FILES, out.splitlines()):
        total = rows_in(name)
        assert line.endswith(f"Imported {total} rows: 0 new, 0 updated, {total} unchanged; 0 warnings."), line
    assert counts() == before
    assert list(Figure.objects.order_by("indicator__code", "month").values_list("indicator__code", "month", "rag_colour", "rag_reason")) == figures


def test_seed_indicators_before_seed_demo_names_the_missing_unit_and_saves_nothing(db):
    before = counts()
    with pytest.raises(CommandError) as raised:
        run("seed_indicators")
    assert str(raised.value).startswith(
        "kent_2009_10_indicators.csv: Row 2, column 'Org unit': 'Kent Adult Social Services' is not an organisation unit"
    )
    assert counts() == before


def test_the_demo_figures_are_stored_as_the_files_write_them(seeded):
    # One figure from each file, as the seed prints it.
    c72 = Indicator.objects.get(code="C72")
    assert (c72.unit, c72.polarity, c72.frequency, c72.accountable.name, c72.unit_owner.name) == (
        "rate_per_10000", "lower", "annual", "Head of Performance", "Kent Adult Social Services"
    )
    assert Target.objects.get(indicator__code="T2010 Target 52", financial_year=2009).target == 34027
    assert Reading.objects.get(indicator__code="NI 130", period_start=datetime.date(2009, 3, 1)).value == 184
    assert Benchmark.objects.get(
        indicator=c72, comparator__name="East Sussex", period_start=datetime.date(2007, 4, 1)
    ).value == Decimal("82.3")
    sefton = Indicator.objects.get(code="SEF TSC 01")
    assert (sefton.frequency, sefton.aggregation, sefton.rated_figure, sefton.unit_owner.name) == (
        "quarterly", "latest", "ytd", "Sefton Adult Social Care"
    )
    assert Target.objects.get(indicator__code="SEF TSC 03", financial_year=2009).target == 28595
    assert Reading.objects.get(indicator=sefton, period_start=datetime.date(2010, 1, 1)).value == 646
    oppd = Indicator.objects.get(code="OPPD 01")
    assert (oppd.unit, oppd.aggregation, oppd.rated_figure, oppd.decimal_places, oppd.unit_owner.short_name) == (
        "percent", "ratio", "ytd", 1, "OPPD"
    )
    assert Target.objects.values_list("target", "minimum_standard").get(indicator=oppd, financial_year=2013) == (70, 65)
    ldmh = Reading.objects.get(indicator__code="LDMH 01", period_start=datetime.date(2013, 9, 1))
    assert ldmh.value == 1255 and ldmh.note.startswith("Seed 001, 8.10")
    assert Reading.objects.values_list("value", "numerator", "denominator").get(
        indicator=oppd, period_start=datetime.date(2013, 9, 1)
    ) == (Decimal("70.4"), 1922, 2730)


def test_the_fsc_dashboard_for_september_2013_has_green_amber_and_red(seeded):
    september = Figure.objects.filter(
        month=datetime.date(2013, 9, 1), indicator__unit_owner__name__in=[
            "Older People and Physical Disability", "Learning Disability and Mental Health", "Strategic Commissioning",
            "Families and Social Care Directorate",
        ],
    )
    assert september.count() == rows_in("fsc_monthly_indicators.csv")
    colours = set(september.values_list("rag_colour", flat=True))
    assert {"green", "amber", "red"} <= colours
    # Each figure says why, in words (DOMAIN.md, RAG rules); LDMH 01 (lower is better) meets its target of 1260.
    ldmh = september.get(indicator__code="LDMH 01")
    assert (ldmh.value, ldmh.rag_colour, ldmh.rag_reason) == (1255, "green", "1,255 is below (better than) the target of 1,260")
    assert all(figure.rag_reason for figure in september)


# --- export_dashboard ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["html", "docx", "pdf", "xlsx"])
def test_export_dashboard_writes_the_report_of_a_month(tmp_path, division, file_format):
    from performance import state

    from .test_selectors import rated

    rated("A 1", 27, division, domain="Personalisation", name="Self-directed support")
    state.refresh()
    output = tmp_path / f"report.{file_format}"
    out = io.StringIO()
    call_command("export_dashboard", "--period", "2013-09", "--format", file_format, "--output", str(output), stdout=out)
    assert out.getvalue().strip() == f"Exported the performance report for September 2013: 1 indicators to {output}."
    assert output.stat().st_size > 1000


@pytest.mark.django_db
def test_export_dashboard_refuses_a_bad_month(tmp_path):
    with pytest.raises(CommandError, match="Enter a month"):
        call_command("export_dashboard", "--period", "2013-13", "--output", str(tmp_path / "x.pdf"))


def test_make_setup_runs_again_on_its_own_database(seeded):
    """`make run` runs seed_demo, seed_indicators and seed_safeguarding on every start: the second time round,
    the officer already enters indicators as well as leading the demo actions."""
    out, _ = run("seed_demo", "--with-demo-users")
    assert "Demo logins" in out
    assert run("seed_indicators")[0].splitlines()[-1] == "The demo officer enters the indicators of: Head of Performance."
    run("seed_safeguarding", "--with-demo-users")
    run("seed_safeguarding", "--with-demo-users")
