"""The management commands: import_plan, export_plan and seed_demo."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from actionplans import export, spreadsheet
from core.spreadsheets import cell_text, read_sheets
from core.periods import today
from actionplans import rag
from core.models import OrganisationUnit, Profile
from actionplans.models import Action, InspectionJudgement, Lead, Milestone, Plan, ProgressUpdate, Recommendation

pytestmark = pytest.mark.django_db

SEEDS = Path("/work/shared/seeds")
KENT_TITLE = "Kent Areas of Improvement 10/11 Action Plan"
SEFTON_TITLE = "Sefton Adult Social Care Improvement Plan 2010"
HEADERS = ["Plan", "Source", "Source date", "Area", "Action No", "Action", "Leads", "Timescale", "Status", "Progress", "Progress date"]


def write_csv(path, rows, headers=HEADERS):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8"))
    return path


def good_rows():
    return [
        ["Command plan", "CQC inspection", "2010-03-31", "Leadership", "1", "Refresh the HR strategy", "Margaret Howard", "March 2011", "On track", "Started", "2010-06-30"],
        ["Command plan", "CQC inspection", "2010-03-31", "Leadership", "2", "See 1", "", "", "", "", ""],
        ["Command plan", "CQC inspection", "2010-03-31", "Safeguarding adults", "3", "Audit cases", "", "Whenever", "", "", ""],
    ]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("actionplans").get_models()}


# --- import_plan ----------------------------------------------------------------------------


def test_import_plan_saves_the_file_and_prints_a_summary(tmp_path):
    path = write_csv(tmp_path / "plan.csv", good_rows())
    out, err = run("import_plan", str(path))
    assert out.strip() == (
        "Imported 'Command plan': 3 actions new, 0 updated, 0 unchanged; 0 milestones new, 0 updated, 0 unchanged; "
        "1 progress updates; 1 new leads; 1 warnings."
    )
    assert err.strip() == (
        "Warning: Row 4, column 'Timescale': 'Whenever' names no date that can be read; "
        "kept as written and flagged for review."
    )
    plan = Plan.objects.get()
    assert plan.actions.count() == 3
    assert Action.objects.get(number="2").cross_reference == Action.objects.get(number="1")
    # Again: nothing new.
    before = counts()
    out, _ = run("import_plan", str(path))
    assert "0 actions new, 0 updated, 3 unchanged" in out
    assert counts() == before


def test_import_plan_reads_xlsx_and_a_separate_milestones_csv(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(HEADERS)
    for row in good_rows():
        workbook.active.append(row)
    workbook.save(tmp_path / "plan.xlsx")
    milestones = write_csv(
        tmp_path / "milestones.csv",
        [["Command plan", "1", "Draft the strategy", "June 2010", "yes"], ["Command plan", "1", "Publish", "March 2011", ""]],
        ["Plan", "Action No", "Milestone", "Date", "Completed"],
    )
    out, _ = run("import_plan", str(tmp_path / "plan.xlsx"), "--milestones", str(milestones))
    assert "3 actions new" in out and "2 milestones new, 0 updated, 0 unchanged" in out
    assert list(Milestone.objects.values_list("activity", "completed")) == [("Draft the strategy", True), ("Publish", False)]


def test_import_plan_dry_run_saves_nothing(tmp_path):
    path = write_csv(tmp_path / "plan.csv", good_rows())
    before = counts()
    out, _ = run("import_plan", str(path), "--dry-run")
    assert out.startswith("Would import 'Command plan': 3 actions new")
    assert counts() == before


def test_import_plan_with_bad_rows_reports_each_and_saves_nothing(tmp_path):
    rows = good_rows()
    rows[1][HEADERS.index("Status")] = "Nearly"
    rows[2][HEADERS.index("Progress")] = "Started"
    path = write_csv(tmp_path / "bad.csv", rows)
    before = counts()
    err = io.StringIO()
    with pytest.raises(CommandError) as info:
        call_command("import_plan", str(path), stdout=io.StringIO(), stderr=err)
    assert str(info.value) == "2 errors: nothing was imported."
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("bad.csv: Row 3, column 'Status': 'Nearly' is not a status")
    assert lines[1] == (
        "bad.csv: Row 4, column 'Progress date': is needed when Progress is given: the date the progress was reported"
    )
    assert counts() == before


def test_import_plan_status_without_any_date_is_a_row_error(tmp_path):
    rows = good_rows()
    for row in rows:
        row[HEADERS.index("Source date")] = ""
    rows[2][HEADERS.index("Status")] = "At risk"
    path = write_csv(tmp_path / "undated.csv", rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="^1 errors: nothing was imported.$"):
        call_command("import_plan", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "undated.csv: Row 4, column 'Progress date': is needed for the Status: give the date the status was reported, "
        "or the plan's Source date"
    ]
    assert Plan.objects.count() == 0


def test_import_plan_cross_reference_in_the_timescale(tmp_path):
    rows = good_rows()
    rows[2][HEADERS.index("Timescale")] = "Refer to 1"
    out, _ = run("import_plan", str(write_csv(tmp_path / "plan.csv", rows)))
    assert out.strip().endswith("0 warnings.")
    assert Action.objects.get(number="3").cross_reference == Action.objects.get(number="1")


def test_import_plan_dry_run_with_bad_rows_fails_too(tmp_path):
    rows = good_rows()
    rows[0][HEADERS.index("Source date")] = "31/02/2010"
    path = write_csv(tmp_path / "bad.csv", rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 errors: nothing was imported"):
        call_command("import_plan", str(path), "--dry-run", stdout=io.StringIO(), stderr=err)
    assert "Row 2, column 'Source date': '31/02/2010' is not a date" in err.getvalue()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("plan.pdf", b"%PDF-1.4", "plan.pdf: 'plan.pdf' is not a CSV or XLSX file"),
        ("empty.csv", b"", "empty.csv: The file is empty."),
        ("binary.csv", b"Plan,Area,Action No,Action\nCaf\x81,A,1,x\n", "binary.csv: The file is not UTF-8 text"),
        ("cols.csv", b"Plan,Action\nP,x\n", "cols.csv: The file is missing the required columns Area, Action No."),
        (
            "huge.csv",
            b"Plan,Area,Action No,Action\nP,A,1," + b"x" * 131_073 + b"\n",
            "huge.csv: The file cannot be read as CSV: row 2 has a cell longer than the 131,072 characters",
        ),
    ],
)
def test_import_plan_whole_file_errors(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(CommandError) as info:
        run("import_plan", str(tmp_path / name))
    assert str(info.value).startswith(message)
    assert Plan.objects.count() == 0


def test_import_plan_reads_excel_comma_delimited_csv_and_warns_of_it(tmp_path):
    path = tmp_path / "ansi.csv"
    path.write_bytes("Plan,Area,Action No,Action\nCafé plan,A,1,Review – and report\n".encode("cp1252"))
    out, err = run("import_plan", str(path))
    assert "Imported 'Café plan': 1 actions new" in out
    assert err.startswith("Warning: The file is not UTF-8 text: it was read as Windows-1252")
    assert Action.objects.get().text == "Review – and report"


def test_import_plan_non_existent_file(tmp_path):
    with pytest.raises(CommandError, match=r"^No such file: .*missing\.csv$"):
        run("import_plan", str(tmp_path / "missing.csv"))
    path = write_csv(tmp_path / "plan.csv", good_rows())
    with pytest.raises(CommandError, match=r"^No such file: .*gone\.csv$"):
        run("import_plan", str(path), "--milestones", str(tmp_path / "gone.csv"))
    with pytest.raises(CommandError, match="No such file"):
        run("import_plan", str(tmp_path))  # a folder is not a file
    assert Plan.objects.count() == 0


# --- export_plan ----------------------------------------------------------------------------


@pytest.fixture
def imported(tmp_path):
    run("import_plan", str(write_csv(tmp_path / "plan.csv", good_rows())))
    return Plan.objects.get(title="Command plan")


def read_rows(path):
    sheets = read_sheets(path.read_bytes(), path.name)
    rows = next(iter(sheets.values()))
    return [dict(zip(rows[0], (cell_text(cell) for cell in row))) for row in rows[1:]], sheets


def test_export_plan_by_id_as_csv(imported, tmp_path):
    output = tmp_path / "out.csv"
    out, _ = run("export_plan", str(imported.pk), "--format", "csv", "--as-at", "2010-07-01", "--output", str(output))
    assert out.strip() == f"Exported 'Command plan' as at 2010-07-01: 3 actions to {output}."
    assert output.read_bytes() == export.export_plan(imported, datetime.date(2010, 7, 1), "csv")[0]
    rows, _ = read_rows(output)
    assert [row["Action No"] for row in rows] == ["1", "2", "3"]
    assert (rows[0]["Due date"], rows[0]["Status"], rows[0]["RAG"]) == ("2011-03-31", "On track", "Green")


@pytest.mark.parametrize("file_format", ["docx", "pdf", "html"])
def test_export_plan_as_a_committee_report(imported, tmp_path, file_format):
    import io

    from docx import Document
    from pypdf import PdfReader

    output = tmp_path / f"out.{file_format}"
    out, _ = run("export_plan", str(imported.pk), "--format", file_format, "--as-at", "2010-07-01", "--layout", "action",
                 "--output", str(output))
    assert out.strip() == f"Exported 'Command plan' as at 2010-07-01: 3 actions to {output}."
    content = output.read_bytes()
    if file_format == "docx":
        text = " ".join(cell.text for table in Document(io.BytesIO(content)).tables for row in table.rows for cell in row.cells)
    elif file_format == "pdf":
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())
    else:
        text = content.decode()
        assert "<style>" in text and '<nav class="app-report-nav"' not in text  # a file stands alone: styles in, no navigation
    for words in ("Expected evidence of improvement", "Refresh the HR strategy", "Audit cases", "Started"):
        assert words in text


def test_export_plan_by_title_as_xlsx(imported, tmp_path):
    output = tmp_path / "out.xlsx"
    out, _ = run("export_plan", "Command plan", "--format", "xlsx", "--output", str(output))
    assert f"Exported 'Command plan' as at {today().isoformat()}: 3 actions" in out
    rows, sheets = read_rows(output)
    assert list(sheets) == ["Plan", "Milestones", "Progress"]
    assert list(rows[0]) == [column.name for column in spreadsheet.PLAN_COLUMNS] + ["RAG", "RAG reason"]
    # Today the action due in March 2011 is long overdue.
    assert (rows[0]["RAG"], rows[0]["RAG reason"]) == (
        "Red",
        "Past its due date of 31 Mar 2011 and not completed (the lead reported on track)",
    )


def test_export_plan_as_at_before_the_progress_leaves_it_out(imported, tmp_path):
    output = tmp_path / "out.csv"
    run("export_plan", "Command plan", "--as-at", "2010-06-01", "--output", str(output))
    rows, _ = read_rows(output)
    assert (rows[0]["Status"], rows[0]["Progress"], rows[0]["Progress date"], rows[0]["RAG"]) == ("", "", "", "Green")


def test_export_then_import_plan_with_the_commands_changes_nothing(imported, tmp_path):
    before = counts()
    for file_format in ["csv", "xlsx"]:
        output = tmp_path / f"out.{file_format}"
        run("export_plan", str(imported.pk), "--format", file_format, "--output", str(output))
        out, err = run("import_plan", str(output))
        assert "0 actions new, 0 updated, 3 unchanged" in out
        assert "is not part of the plan format" not in err
    assert counts() == before


@pytest.mark.parametrize("key", ["999", "No such plan", "command plan"])
def test_export_plan_unknown_plan(imported, tmp_path, key):
    with pytest.raises(CommandError) as info:
        run("export_plan", key, "--output", str(tmp_path / "out.csv"))
    assert str(info.value) == f"No plan with id or title '{key}'."
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("day", ["2011-13-01", "31/03/2011", "yesterday"])
def test_export_plan_bad_date(imported, tmp_path, day):
    with pytest.raises(CommandError) as info:
        run("export_plan", "Command plan", "--as-at", day, "--output", str(tmp_path / "out.csv"))
    assert str(info.value) == f"--as-at '{day}': Enter a real date, written as YYYY-MM-DD, for example 2010-03-31."
    assert not (tmp_path / "out.csv").exists()


def test_export_plan_bad_format_and_missing_output(imported, tmp_path):
    with pytest.raises(CommandError, match="invalid choice: 'odt'"):
        run("export_plan", "Command plan", "--format", "odt", "--output", str(tmp_path / "out.odt"))
    with pytest.raises(CommandError, match="--output"):
        run("export_plan", "Command plan")


def test_export_plan_into_a_missing_folder_is_a_clear_error(imported, tmp_path):
    with pytest.raises(CommandError, match=r"^Cannot write .*out\.csv: "):
        run("export_plan", "Command plan", "--output", str(tmp_path / "no" / "such" / "out.csv"))


# --- seed_demo ------------------------------------------------------------------------------


def seeded_counts():
    kent = Plan.objects.get(title=KENT_TITLE)
    sefton = Plan.objects.get(title=SEFTON_TITLE)
    return {
        "kent actions": kent.actions.count(),
        "kent milestones": Milestone.objects.filter(action__plan=kent).count(),
        "sefton actions": sefton.actions.count(),
        "sefton milestones": Milestone.objects.filter(action__plan=sefton).count(),
        "sefton recommendations": sefton.recommendations.count(),
        "sefton recommendations with a page": sefton.recommendations.exclude(page_reference="").count(),
        "sefton judgements": sefton.judgements.count(),
        "kent judgements": kent.judgements.count(),
        "all": counts(),
        "units": OrganisationUnit.objects.count(),
    }


def test_seed_demo_loads_the_plans_and_is_idempotent():
    out, _ = run("seed_demo")
    assert out.splitlines() == [
        f"Imported '{KENT_TITLE}': 6 actions new, 0 updated, 0 unchanged; 9 milestones new, 0 updated, 0 unchanged; 6 progress updates; 3 new leads; 0 warnings.",
        f"Imported '{SEFTON_TITLE}': 53 actions new, 0 updated, 0 unchanged; 31 milestones new, 0 updated, 0 unchanged; 5 progress updates; 2 new leads; 0 warnings.",
        *(
            f"Imported 'FSC Business Plan 2013/14: {division}': {n} actions new, 0 updated, 0 unchanged; 0 milestones new, 0 updated, 0 unchanged; {n} progress updates; 1 new leads; 0 warnings."
            for division, n in [
                ("Specialist Children's Services", 18), ("Older People and Physical Disability", 20),
                ("Learning Disability and Mental Health", 19), ("Strategic Commissioning", 48),
            ]
        ),
    ]
    first = seeded_counts()
    assert {key: value for key, value in first.items() if key not in {"all", "units"}} == {
        "kent actions": 6,
        "kent milestones": 9,
        "sefton actions": 53,
        "sefton milestones": 31,
        "sefton recommendations": 19,
        "sefton recommendations with a page": 19,
        "sefton judgements": 4,
        "kent judgements": 0,
    }
    # The Adult Social Care directorate and its two divisions; Families and Social Care and its four (seed 001).
    assert first["units"] == 3 + 5

    out, _ = run("seed_demo")
    assert "0 actions new, 0 updated, 6 unchanged; 0 milestones new, 0 updated, 9 unchanged; 0 progress updates; 0 new leads" in out
    assert "0 actions new, 0 updated, 53 unchanged; 0 milestones new, 0 updated, 31 unchanged; 0 progress updates; 0 new leads" in out
    # The same rows, and no new change history either.
    assert seeded_counts() == first


def test_seed_demo_dates_every_status_by_the_plans_never_by_the_day_it_ran():
    run("seed_demo")
    assert not ProgressUpdate.objects.filter(date=today()).exists()
    # Kent has no source date: each update is on its row's progress date.
    kent = ProgressUpdate.objects.filter(action__plan__title=KENT_TITLE)
    assert set(kent.values_list("date", flat=True)) == {datetime.date(2011, 2, 11)}
    # Sefton's completed actions have no progress date: their status counts from the plan's source date.
    sefton = ProgressUpdate.objects.filter(action__plan__title=SEFTON_TITLE)
    assert sorted(sefton.values_list("action__number", "date", "status")) == [
        (number, datetime.date(2010, 3, 31), rag.COMPLETED) for number in ["18", "23", "36", "37", "38"]
    ]


def test_seed_demo_places_plans_in_units_and_records_judgements():
    run("seed_demo")
    kent = Plan.objects.get(title=KENT_TITLE)
    sefton = Plan.objects.get(title=SEFTON_TITLE)
    assert (kent.unit.name, kent.unit.parent.name) == ("Kent Adult Social Services", "Adult Social Care Directorate")
    assert (sefton.unit.name, sefton.unit.parent.name) == ("Sefton Adult Social Care", "Adult Social Care Directorate")
    assert (kent.source, sefton.source) == (Plan.ANNUAL_PERFORMANCE_ASSESSMENT, Plan.CQC_INSPECTION)
    assert list(InspectionJudgement.objects.filter(plan=sefton).values_list("outcome", "judgement")) == [
        ("Safeguarding adults", "performing well"),
        ("Improved quality of life for older people", "performing excellently"),
        ("Increased choice and control for older people", "performing well"),
        ("Capacity to improve", "promising"),
    ]
    # Seed 004 states each of these judgements.
    seed = next(SEEDS.glob("004_*.txt")).read_text()
    assert "Sefton was performing well in safeguarding adults" in seed
    assert "Sefton was performing excellently in supporting improved quality of life" in seed
    assert "Sefton was performing well in supporting increased choice and control" in seed
    assert "the capacity to improve in Sefton was 'promising'" in seed


def test_seed_demo_is_faithful_to_the_sefton_seed():
    run("seed_demo")
    sefton = Plan.objects.get(title=SEFTON_TITLE)
    seed = next(SEEDS.glob("004_*.txt")).read_text()

    eleven = sefton.actions.get(number="11")
    assert eleven.timescale == "September 2010"
    assert eleven.due_date == datetime.date(2010, 9, 30)
    assert eleven.text.startswith("Establish Performance and Quality Assurance Sub-group (PQAS)")
    assert f"<p>11. {eleven.text}</p>\t<p>Establish the sub-group</p>\t<p>September 2010</p>" in seed

    # Every recommendation's page reference, as the inspection report lists them ("... (Page 27)").
    pages = dict(re.findall(r"^(\d+)\. .*\(Page (\d+)\)\s*$", seed, re.M)[:19])
    assert len(pages) == 19
    assert dict(sefton.recommendations.values_list("number", "page_reference")) == pages
    nineteen = sefton.recommendations.get(number="19")
    assert nineteen.page_reference == "27"
    assert nineteen.area.title == "Commissioning and use of resources"
    assert sefton.actions.filter(recommendation=nineteen).count() == 7

    assert sefton.source_date == datetime.date(2010, 3, 31)
    assert list(sefton.areas.values_list("title", flat=True)) == [
        "Safeguarding adults",
        "Improved quality of life for older people",
        "Increased choice and control for older people",
        "Providing leadership",
        "Commissioning and use of resources",
    ]
    nineteen_action = sefton.actions.get(number="19")
    assert list(nineteen_action.leads.values_list("name", flat=True)) == ["Safeguarding co-ordinator"]
    # Seed 004 marks action 18's first milestone, and the action itself, completed.
    eighteen = sefton.actions.get(number="18")
    assert eighteen.current_status == "completed"
    assert eighteen.milestones.first().completed
    assert list(sefton.actions.get(number="11").milestones.values_list("date_text", flat=True))[:2] == [
        "September 2010",
        "Draft completed",
    ]


def test_seed_demo_is_faithful_to_the_kent_seed():
    run("seed_demo")
    kent = Plan.objects.get(title=KENT_TITLE)
    seed = next(SEEDS.glob("000_*.txt")).read_text()

    # Each recommendation's "Lead Officer: ..." in the order of the seed.
    seed_leads = re.findall(r"Lead Officer: ([A-Z][a-z]+ [A-Z][a-z]+)", seed)
    assert seed_leads == ["Margaret Howard"] * 3 + ["Anne Tidmarsh"] + ["Nick Sherlock"] * 2
    loaded = [list(action.leads.values_list("name", flat=True)) for action in kent.actions.order_by("sort_key")]
    assert loaded == [[name] for name in seed_leads]
    first = kent.recommendations.get(number="1")
    assert [lead.name for action in first.actions.all() for lead in action.leads.all()] == ["Margaret Howard"]
    assert first.text.startswith("The council remains unable to report activity across the twelve local district councils")

    # The milestone table inside action 1, row by row.
    table = re.findall(r"<tr> <td>([^<]+)</td> <td>([^<]+)</td> </tr>", seed.split("\n")[10])
    assert len(table) == 9
    milestones = list(kent.actions.get(number="1").milestones.values_list("date_text", "activity"))
    assert milestones == table
    first_milestone = kent.actions.get(number="1").milestones.first()
    assert (first_milestone.activity, first_milestone.date_text) == (
        "Consult/agree report content with partner LAs",
        "January – March 2011",
    )
    assert (first_milestone.start_date, first_milestone.due_date) == (datetime.date(2011, 1, 1), datetime.date(2011, 3, 31))
    assert kent.actions.get(number="1").timescale == "April 2011"
    assert kent.actions.get(number="1").progress_updates.get().date == datetime.date(2011, 2, 11)


def can_sign_in(username, password):
    # With a request, as the sign-in page asks: django-axes refuses to authenticate without one.
    return authenticate(RequestFactory().post("/login/"), username=username, password=password) is not None


def test_seed_demo_with_demo_users_creates_logins_and_links_the_officer():
    out, _ = run("seed_demo", "--with-demo-users")
    passwords = dict(re.findall(r"^  (officer|manager|admin)\s+(\S+)\s+\(", out, re.M))
    assert set(passwords) == {"officer", "manager", "admin"}
    assert "The officer leads the actions of: Margaret Howard, Safeguarding co-ordinator." in out

    User = get_user_model()
    officer, manager, admin = (User.objects.get(username=name) for name in ["officer", "manager", "admin"])
    for name, password in passwords.items():
        assert can_sign_in(name, password)
    assert (officer.profile.role, officer.profile.unit.name) == (Profile.OFFICER, "Kent Adult Social Services")
    assert (manager.profile.role, manager.profile.unit.name) == (Profile.MANAGER, "Adult Social Care Directorate")
    assert admin.is_superuser and admin.is_staff and not officer.is_staff and not manager.is_superuser
    assert sorted(Lead.objects.filter(user=officer).values_list("name", flat=True)) == [
        "Margaret Howard",
        "Safeguarding co-ordinator",
    ]
    # The officer leads Kent's actions 1-3 and Sefton's action 19.
    assert sorted((a.plan.title[:5], a.number) for a in Action.objects.for_lead(officer)) == [
        ("Kent ", "1"),
        ("Kent ", "2"),
        ("Kent ", "3"),
        ("Sefto", "19"),
    ]

    # Again: the same three users, with new passwords.
    out, _ = run("seed_demo", "--with-demo-users")
    again = dict(re.findall(r"^  (officer|manager|admin)\s+(\S+)\s+\(", out, re.M))
    assert User.objects.filter(username__in=["officer", "manager", "admin"]).count() == 3
    assert Profile.objects.count() == 3
    assert can_sign_in("officer", again["officer"])
    assert not can_sign_in("officer", passwords["officer"])
    assert Lead.objects.filter(user__username="officer").count() == 2


def test_seed_demo_puts_back_a_judgement_edited_since():
    run("seed_demo")
    judgement = InspectionJudgement.objects.get(outcome="Capacity to improve")
    judgement.judgement = "uncertain"
    judgement.save()
    history = judgement.history.count()
    run("seed_demo")
    judgement.refresh_from_db()
    assert judgement.judgement == "promising"
    assert judgement.history.count() == history + 1
    assert InspectionJudgement.objects.count() == 4


def test_seed_demo_without_demo_users_creates_none():
    out, _ = run("seed_demo")
    assert "Demo logins" not in out
    assert get_user_model().objects.count() == 0
    assert Lead.objects.filter(user__isnull=False).count() == 0


def test_seed_demo_counts_match_the_recommendations_in_the_fixture():
    run("seed_demo")
    assert Recommendation.objects.filter(plan__title=KENT_TITLE).count() == 6
    assert Recommendation.objects.filter(plan__title=SEFTON_TITLE).count() == 19
