"""The quarterly figures format: every row checked, saved all or nothing, a dry run saves nothing."""

import datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.spreadsheets import ImportErrors, SpreadsheetError, write_xlsx
from safeguarding.models import BreakdownCount, QuarterlyReturn
from safeguarding.spreadsheet import import_safeguarding_file

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "safeguarding" / "sefton_quarterly_figures.csv"
HEADER = "Quarter,Breakdown,Category,Count\n"


@pytest.fixture(autouse=True)
def after_the_quarter(time_machine):
    time_machine.move_to(datetime.datetime(2010, 5, 26, 12), tick=False)


def run(text, **options):
    return import_safeguarding_file((HEADER + text).encode(), "figures.csv", **options)


def errors_of(text, **options):
    with pytest.raises(ImportErrors) as raised:
        run(text, **options)
    return [str(error) for error in raised.value.errors]


def test_the_seed_file_imports_and_again_changes_nothing(team):
    result = import_safeguarding_file(FIXTURE.read_bytes(), FIXTURE.name)
    assert result.count("new") == 192
    assert QuarterlyReturn.objects.filter(team=team).count() == 8
    again = import_safeguarding_file(FIXTURE.read_bytes(), FIXTURE.name)
    assert again.count("unchanged") == 192 and again.count("new") == again.count("updated") == 0


def test_categories_match_ignoring_case_and_spacing_and_by_other_names(team):
    run("2009/10 Q4,total,all,3\n2009/10 Q4,source,  self   REFERRALS ,2\n2009/10 Q4,Source,cqc,1\n"
        "2009/10 Q4,abuse type,financial,1\n")
    counts = {(c.breakdown, c.category.name if c.category else ""): c.count for c in BreakdownCount.objects.all()}
    assert counts == {("total", ""): 3, ("source", "Self Referrals"): 2, ("source", "CQC"): 1,
                      ("abuse_type", "Financial or material"): 1}


def test_an_unknown_category_is_a_row_error_naming_the_list(team):
    [error] = errors_of("2009/10 Q4,total,All,2\n2009/10 Q4,source,Milkman,2\n")
    assert error.startswith("Row 3, column 'Category': 'Milkman' is not in the source of referral list (source): it has "
                            "Residential and Nursing Homes, Primary Care Settings, Police,")
    assert "An admin can add it" in error
    assert not QuarterlyReturn.objects.exists()


@pytest.mark.parametrize("rows, expected", [
    ("2009/10 Q4,total,All,-3\n", "Row 2, column 'Count': -3 is negative: a count is 0 or more"),
    ("2009/10 Q4,total,All,2.5\n", "Row 2, column 'Count': '2.5' is not a whole number"),
    ("2009/10 Q4,total,All,many\n", "Row 2, column 'Count': 'many' is not a number"),
    ("2009-12,total,All,1\n", "Row 2, column 'Quarter': '2009-12' is not a quarter: write it like 2009/10 Q4"),
    ("2010/11 Q1,total,All,1\n", "Row 2, column 'Quarter': Q1 2010/11 has not ended yet: figures are entered once a quarter has ended"),
    ("2009/10 Q4,referrals,All,1\n", "Row 2, column 'Breakdown': 'referrals' is not one of total, enquiries, multiple_abuse"),
    ("2009/10 Q4,total,Police,1\n", "Row 2, column 'Category': Concerns (alerts and referrals) is one number: its category is All, not 'Police'"),
    ("2009/10 Q4,source,All,1\n", "Row 2, column 'Category': give one category of source of referral a row, not All"),
    ("2009/10 Q4,total,All,\n", "Row 2, column 'Count': is required and is empty"),
    ("2009/10 Q4,total,All,1\n2009/10 Q4,total,all,1\n", "Row 3, column 'Category': repeats row 2: a file gives each count once"),
])
def test_row_errors(team, rows, expected):
    assert any(error.startswith(expected) for error in errors_of(rows)), errors_of(rows)


def test_the_entry_pages_rules_apply_to_a_quarter_as_the_file_leaves_it(team):
    errors = errors_of("2009/10 Q4,total,All,10\n2009/10 Q4,source,Police,4\n2009/10 Q4,gender,Female,10\n"
                       "2009/10 Q4,abuse_type,Physical,9\n2009/10 Q4,abuse_type,Neglect,9\n")
    assert errors == [
        "Row 3, column 'Count': Q4 2009/10: The counts by source of referral add up to 4, not the 10 "
        "concerns: they must add up to the total",
        "Row 5, column 'Count': Q4 2009/10: The types of abuse add up to 18, 8 more than the "
        "10 concerns: only cases with multiple abuse are counted under more than one type, so at least 8 cases had "
        "multiple abuse, not 0",
    ]


def test_saved_counts_count_too_and_a_file_can_correct_one(team):
    run("2009/10 Q4,total,All,10\n2009/10 Q4,source,Police,10\n")
    errors = errors_of("2009/10 Q4,total,All,12\n")  # the saved sources no longer add up
    assert "add up to 10, not the 12 concerns" in errors[0]
    result = run("2009/10 Q4,total,All,12\n2009/10 Q4,source,Police,12\n")
    assert (result.count("updated"), BreakdownCount.objects.get(breakdown="source").count) == (2, 12)


def test_one_bad_row_saves_nothing_and_a_dry_run_saves_nothing(team):
    errors_of("2009/10 Q3,total,All,5\n2009/10 Q4,source,Nobody,1\n")
    assert not BreakdownCount.objects.exists()
    result = run("2009/10 Q4,total,All,5\n", dry_run=True)
    assert result.dry_run and result.count("new") == 1
    assert not QuarterlyReturn.objects.exists()


def test_xlsx_reads_as_csv(team):
    data = write_xlsx([("Figures", ["Quarter", "Breakdown", "Category", "Count"],
                        [["2009/10 Q4", "total", "All", 192], ["2009/10 Q4", "gender", "Female", 104],
                         ["2009/10 Q4", "gender", "Male", 88]])])
    assert import_safeguarding_file(data, "figures.xlsx").count("new") == 3


def test_no_team_or_several_teams(db, team_unit, other_division):
    with pytest.raises(SpreadsheetError, match="No safeguarding team is set up"):
        run("2009/10 Q4,total,All,1\n")
    from safeguarding import services
    services.set_up_team(unit=team_unit)
    services.set_up_team(unit=other_division, indicator_prefix="LD SG")
    with pytest.raises(SpreadsheetError, match="more than one safeguarding team"):
        run("2009/10 Q4,total,All,1\n")


def test_the_command(team, tmp_path, capsys):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "2009/10 Q4,total,All,192\n")
    call_command("import_safeguarding", str(path), "--dry-run")
    assert "Would import 1 rows: 1 new" in capsys.readouterr().out
    assert not QuarterlyReturn.objects.exists()
    call_command("import_safeguarding", str(path))
    assert BreakdownCount.objects.get().count == 192
    path.write_text(HEADER + "2009/10 Q4,source,Milkman,1\n")
    with pytest.raises(CommandError, match="1 errors: nothing was imported"):
        call_command("import_safeguarding", str(path))
    assert "'Milkman' is not in the source of referral list" in capsys.readouterr().err
