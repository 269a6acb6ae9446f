"""The plan spreadsheet format: import (CSV/XLSX), its errors, re-import, milestones, export and round trips.

Files are built in the tests as bytes, with `csv` and `openpyxl`, as a council
officer's spreadsheet would be; the demo fixtures are used for the round trips.
"""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from actionplans import export, rag, spreadsheet, timescales
from actionplans.history import action_changes
from core.history import m2m_history_model
from core import spreadsheets as core_spreadsheets
from core.imports import NEW, UNCHANGED, UPDATED
from core.periods import today
from actionplans.models import Action, Area, Lead, Milestone, Plan, ProgressUpdate, Recommendation

from ..factories import ActionFactory, AreaFactory, LeadFactory, PlanFactory, ProgressUpdateFactory, UnitFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
KENT = ("kent_areas_of_improvement_2010_11.csv", "kent_areas_of_improvement_2010_11_milestones.csv")
SEFTON = ("sefton_improvement_plan_2010.csv", "sefton_improvement_plan_2010_milestones.csv")
KENT_TITLE = "Kent Areas of Improvement 10/11 Action Plan"
SEFTON_TITLE = "Sefton Adult Social Care Improvement Plan 2010"

PLAN = "Test improvement plan"
ALL_COLUMNS = [column.name for column in spreadsheet.PLAN_COLUMNS]
EXPORT_HEADERS = ALL_COLUMNS + spreadsheet.EXPORT_ONLY_COLUMNS
MILESTONE_HEADERS = ["Plan", "Action No", "Milestone", "Date", "Completed"]


# --- Building files -------------------------------------------------------------------------


def action_row(number, **cells):
    """One row of the plan format: a valid action of PLAN, with `cells` set on top."""
    row = {
        "Plan": PLAN,
        "Source": "CQC inspection",
        "Source date": "2010-03-31",
        "Area": "Safeguarding adults",
        "Action No": number,
        "Action": f"Carry out action {number}",
    }
    for name, value in cells.items():
        row[name.replace("_", " ")] = value
    return row


def headers_of(rows):
    return list(dict.fromkeys(name for row in rows for name in row))


def csv_bytes(rows, headers=None, encoding="utf-8"):
    """Rows (dicts keyed by header, or lists) written as a CSV file."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if rows and isinstance(rows[0], dict):
        headers = headers or headers_of(rows)
        writer.writerow(headers)
        writer.writerows([row.get(name, "") for name in headers] for row in rows)
    else:
        if headers:
            writer.writerow(headers)
        writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(*sheets):
    """`sheets`: (title, headers, rows); rows are dicts keyed by header or lists of cells."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        if headers:
            sheet.append(headers)
        for row in rows:
            sheet.append([row.get(name) for name in headers] if isinstance(row, dict) else list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def milestone_row(number, activity, date="", completed="", plan=PLAN):
    return [plan, number, activity, date, completed]


def run_import(rows, filename="plan.csv", headers=None, **kwargs):
    return spreadsheet.import_plan_file(csv_bytes(rows, headers), filename, **kwargs)


def import_errors(rows, filename="plan.csv", headers=None, **kwargs):
    with pytest.raises(spreadsheet.ImportErrors) as info:
        run_import(rows, filename, headers, **kwargs)
    return info.value.errors


def where(errors):
    return [(error.row, error.column) for error in errors]


def warnings_of(result):
    """The warnings as they are printed: each is a RowWarning (row, column, reason)."""
    return [str(warning) for warning in result.warnings]


def outcomes_of(result):
    return [(outcome.row, outcome.outcome) for outcome in result.outcomes if outcome.sheet == ""]


def file_error(data, filename, **kwargs):
    with pytest.raises(spreadsheet.SpreadsheetError) as info:
        spreadsheet.import_plan_file(data, filename, **kwargs)
    return str(info.value)


def counts():
    """How many rows every model of the app holds, change history included."""
    return {model.__name__: model.objects.count() for model in apps.get_app_config("actionplans").get_models()}


def import_fixture(plan_and_milestones):
    plan_file, milestones_file = plan_and_milestones
    return spreadsheet.import_plan_file(
        (FIXTURES / plan_file).read_bytes(),
        plan_file,
        milestone_data=(FIXTURES / milestones_file).read_bytes(),
        milestone_filename=milestones_file,
    )


def read_export(data, filename):
    """The exported sheets as lists of text rows."""
    return {
        title: [[core_spreadsheets.cell_text(cell) for cell in row] for row in rows]
        for title, rows in core_spreadsheets.read_sheets(data, filename).items()
    }


def wipe_plans():
    """Delete every plan and lead, in the order the PROTECT foreign keys allow."""
    Milestone.objects.all().delete()
    ProgressUpdate.objects.all().delete()
    Action.objects.all().delete()
    Recommendation.objects.all().delete()
    Area.objects.all().delete()
    Plan.objects.all().delete()
    Lead.objects.all().delete()


def action(number, plan=PLAN):
    return Action.objects.get(plan__title=plan, number=number)


# --- The happy path -------------------------------------------------------------------------


def test_import_creates_plan_areas_recommendations_actions_leads_and_progress():
    rows = [
        action_row(
            "1.1",
            Area="Safeguarding adults",
            Recommendation_No="1",
            Recommendation="Improve the identification of ongoing risks",
            Recommendation_page="11",
            Measurable_indicator="70% of audited cases good or excellent",
            Desired_outcome="People at risk are protected",
            Action="Streamline risk assessment documentation.",
            Expected_evidence="A single risk document",
            Leads="Margaret Howard; Head of Safeguarding - AH",
            Timescale="End March 2011",
            Status="On track",
            Progress="Draft document circulated",
            Progress_date="30/06/2010",
        ),
        action_row(
            "1.2",
            Area="Safeguarding adults",
            Recommendation_No="1",
            Recommendation="Improve the identification of ongoing risks",
            Recommendation_page="11",
            Leads="Margaret Howard",
            Timescale="Ongoing",
        ),
        action_row("2.1", Area="Leadership", Recommendation_No="2", Recommendation="Refresh the HR strategy", Leads="NHS Sefton"),
        action_row("3.1", Area="Commissioning and use of resources", Timescale="Q3 2010/11"),
    ]
    result = run_import(rows)

    plan = Plan.objects.get()
    assert (plan.title, plan.source, plan.source_date) == (PLAN, Plan.CQC_INSPECTION, datetime.date(2010, 3, 31))
    assert plan.rag_scheme == rag.IMPROVEMENT
    # Areas keep the order in which the file first names them.
    assert list(plan.areas.order_by("order", "id").values_list("title", flat=True)) == [
        "Safeguarding adults",
        "Leadership",
        "Commissioning and use of resources",
    ]
    first = Recommendation.objects.get(plan=plan, number="1")
    assert (first.text, first.page_reference, first.area.title) == (
        "Improve the identification of ongoing risks",
        "11",
        "Safeguarding adults",
    )
    assert first.measurable_indicator == "70% of audited cases good or excellent"
    assert first.desired_outcome == "People at risk are protected"
    assert Recommendation.objects.count() == 2

    one = action("1.1")
    assert one.recommendation == first and one.area.title == "Safeguarding adults"
    assert one.text == "Streamline risk assessment documentation."
    assert one.expected_evidence == "A single risk document"
    assert one.timescale == "End March 2011"
    assert one.due_date == datetime.date(2011, 3, 31) and one.due_date_set is None
    assert sorted(lead.name for lead in one.leads.all()) == ["Head of Safeguarding - AH", "Margaret Howard"]
    assert list(action("1.2").leads.values_list("name", flat=True)) == ["Margaret Howard"]
    assert action("1.2").due_date is None and action("1.2").timescale_kind == timescales.NO_DATE
    assert action("2.1").recommendation.number == "2" and action("2.1").area.title == "Leadership"
    assert action("3.1").recommendation is None
    assert action("3.1").due_date == datetime.date(2010, 12, 31)

    update = one.progress_updates.get()
    assert (update.date, update.narrative, update.status, update.source) == (
        datetime.date(2010, 6, 30),
        "Draft document circulated",
        rag.ON_TRACK,
        ProgressUpdate.IMPORT,
    )
    assert ProgressUpdate.objects.count() == 1
    assert one.status_on(datetime.date(2010, 7, 1)) == rag.ON_TRACK
    assert one.status_on(datetime.date(2010, 6, 29)) == ""

    assert Lead.objects.count() == 3
    post = Lead.objects.get(name="Head of Safeguarding - AH")
    assert (post.kind, post.initials) == (Lead.POST, "AH")
    assert Lead.objects.get(name="Margaret Howard").kind == Lead.PERSON

    assert (result.actions_created, result.actions_updated, result.actions_unchanged) == (4, 0, 0)
    assert result.progress_updates == 1 and len(result.leads_created) == 3
    assert warnings_of(result) == []
    assert outcomes_of(result) == [(2, NEW), (3, NEW), (4, NEW), (5, NEW)]
    assert result.summary == (
        f"Imported '{PLAN}': 4 actions new, 0 updated, 0 unchanged; "
        "0 milestones new, 0 updated, 0 unchanged; "
        "1 progress updates; 3 new leads; 0 warnings."
    )


def test_only_the_required_columns_are_needed():
    rows = [{"Plan": "Minimal plan", "Area": "Leadership", "Action No": "1", "Action": "Write the strategy"}]
    result = run_import(rows)
    plan = Plan.objects.get()
    assert plan.title == "Minimal plan" and plan.source == Plan.OTHER and plan.source_date is None
    assert action("1", plan="Minimal plan").text == "Write the strategy"
    assert warnings_of(result) == []


def test_headers_match_whatever_their_case_and_spacing():
    headers = ["  plan ", "AREA", "action   no", "Action", "LEADS", "time scale", "Due Date ", "progress", "Progress  DATE"]
    rows = [[PLAN, "Leadership", "7", "Refresh the HR strategy", "Margaret Howard", "", "2011-06-30", "Started", "1.7.10"]]
    # "time scale" is not "Timescale": it is reported, not guessed at.
    result = run_import(rows, headers=headers)
    seven = action("7")
    assert seven.area.title == "Leadership"
    assert seven.due_date == datetime.date(2011, 6, 30)
    assert seven.leads.get().name == "Margaret Howard"
    assert seven.progress_updates.get().date == datetime.date(2010, 7, 1)
    assert warnings_of(result) == ["Column 'time scale' is not part of the plan format and was ignored."]


def test_action_numbers_sort_naturally():
    numbers = ["1.10", "10", "1.2", "2", "1.1", "9", "1.9"]
    run_import([action_row(number) for number in numbers])
    assert list(Action.objects.filter(plan__title=PLAN).order_by("sort_key").values_list("number", flat=True)) == [
        "1.1",
        "1.2",
        "1.9",
        "1.10",
        "2",
        "9",
        "10",
    ]
    content, _, _ = export.export_plan(Plan.objects.get(), datetime.date(2011, 1, 1), "csv")
    exported = read_export(content, "plan.csv")[""]
    assert [row[ALL_COLUMNS.index("Action No")] for row in exported[1:]] == ["1.1", "1.2", "1.9", "1.10", "2", "9", "10"]


def test_areas_keep_file_order_when_plans_are_interleaved():
    rows = [
        action_row("1", Area="First"),
        action_row("2", Area="Second"),
        action_row("3", Area="Third"),
        {"Plan": "Other plan", "Area": "Elsewhere", "Action No": "1", "Action": "Something else"},
        action_row("4", Area="Fourth"),
    ]
    run_import(rows)
    titles = Area.objects.filter(plan__title=PLAN).order_by("order", "id").values_list("title", "order")
    assert list(titles) == [("First", 0), ("Second", 1), ("Third", 2), ("Fourth", 3)]
    assert list(Area.objects.filter(plan__title="Other plan").values_list("title", "order")) == [("Elsewhere", 0)]


def test_new_areas_of_an_existing_plan_go_after_its_areas():
    run_import([action_row("1", Area="First"), action_row("2", Area="Second")])
    run_import([action_row("1", Area="First"), action_row("2", Area="Second"), action_row("3", Area="Third")])
    assert list(Area.objects.filter(plan__title=PLAN).order_by("order").values_list("title", "order")) == [
        ("First", 0),
        ("Second", 1),
        ("Third", 2),
    ]


def test_xlsx_first_sheet_with_typed_cells():
    headers = ["Plan", "Area", "Action No", "Action", "Timescale", "Due date", "Status", "Progress", "Progress date"]
    rows = [
        [PLAN, "Leadership", 1, "Typed number", "March 2011", datetime.datetime(2011, 5, 31), "Done", "Finished", datetime.date(2011, 2, 1)],
        [PLAN, "Leadership", "1.2", "Text number", datetime.datetime(2011, 4, 30), None, None, None, None],
    ]
    result = spreadsheet.import_plan_file(xlsx_bytes(("Plan rows", headers, rows)), "plan.xlsx")
    one = action("1")
    assert one.due_date == datetime.date(2011, 5, 31) and one.due_date_set == datetime.date(2011, 5, 31)
    assert one.progress_updates.get().date == datetime.date(2011, 2, 1)
    assert one.status_on(datetime.date(2011, 2, 1)) == rag.COMPLETED
    # A date typed into the Timescale cell is kept as ISO text and read as the due date.
    assert action("1.2").timescale == "2011-04-30" and action("1.2").due_date == datetime.date(2011, 4, 30)
    assert result.actions_created == 2


def test_xlsx_detected_by_content_whatever_the_name():
    data = xlsx_bytes(("Sheet1", ["Plan", "Area", "Action No", "Action"], [[PLAN, "Leadership", "1", "Do it"]]))
    spreadsheet.import_plan_file(data, "upload")
    assert action("1").text == "Do it"


NUMBER_REASON = (
    "is a number in the spreadsheet, so Excel may have dropped a trailing zero (1.10 becomes 1.1): "
    "format the column as text and type it again"
)
NUMBERED_HEADERS = ["Plan", "Area", "Recommendation No", "Action No", "Action"]


def test_xlsx_number_with_a_fraction_in_action_no_or_recommendation_no_is_a_row_error():
    rows = [
        [PLAN, "A", "1", "1.10", "Typed as text: kept"],
        [PLAN, "A", "1", 1.1, "Typed 1.10 as a number"],
        [PLAN, "A", 2.1, "2.3", "Recommendation as a number"],
        [PLAN, "A", 3.0, 3.0, "Whole numbers are fine"],
        [PLAN, "A", 4, 4, "Integers are fine"],
    ]
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file(xlsx_bytes(("Plan", NUMBERED_HEADERS, rows)), "plan.xlsx")
    assert [str(error) for error in info.value.errors] == [
        f"Row 3, column 'Action No': {NUMBER_REASON}",
        f"Row 4, column 'Recommendation No': {NUMBER_REASON}",
    ]
    assert counts()["Action"] == 0


def test_xlsx_whole_numbers_and_text_numbers_import_as_written():
    rows = [[PLAN, "A", 2.0, 2.0, "Two"], [PLAN, "A", "1", "1.10", "Ten"], [PLAN, "A", "1", "1.1", "One"]]
    spreadsheet.import_plan_file(xlsx_bytes(("Plan", NUMBERED_HEADERS, rows)), "plan.xlsx")
    assert list(Action.objects.order_by("sort_key").values_list("number", "recommendation__number")) == [
        ("1.1", "1"),
        ("1.10", "1"),
        ("2", "2"),
    ]


def test_xlsx_number_with_a_fraction_in_the_milestones_action_no_is_a_row_error():
    rows = [action_row("1.1"), action_row("1.10")]
    milestones = [milestone_row("1.10", "Text number"), milestone_row(1.1, "Number")]
    data = xlsx_bytes(("Plan", headers_of(rows), rows), ("Milestones", MILESTONE_HEADERS, milestones))
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file(data, "plan.xlsx")
    assert [str(error) for error in info.value.errors] == [f"Milestones sheet, row 3, column 'Action No': {NUMBER_REASON}"]
    assert counts()["Action"] == 0


def test_a_fractional_number_in_a_csv_is_text_and_is_kept():
    run_import([action_row("1.10"), action_row("1.1")])
    assert sorted(Action.objects.values_list("number", flat=True)) == ["1.1", "1.10"]


# --- Leads ----------------------------------------------------------------------------------


def test_lead_matched_by_name_ignoring_case_and_spacing():
    existing = LeadFactory(name="Margaret Howard")
    result = run_import([action_row("1", Leads="  margaret    HOWARD "), action_row("2", Leads="MARGARET HOWARD")])
    assert Lead.objects.count() == 1
    assert list(action("1").leads.all()) == [existing] and list(action("2").leads.all()) == [existing]
    assert result.leads_created == []


def test_several_leads_separated_by_semicolons():
    run_import([action_row("1", Leads="Anne Tidmarsh;Nick  Sherlock ; ;DSVAB;")])
    assert sorted(action("1").leads.values_list("name", flat=True)) == ["Anne Tidmarsh", "DSVAB", "Nick Sherlock"]


def test_initials_alone_match_the_one_lead_with_those_initials():
    anne = LeadFactory(name="Anne Tidmarsh", initials="AT")
    LeadFactory(name="Nick Sherlock", initials="NS")
    result = run_import([action_row("1", Leads="AT")])
    assert list(action("1").leads.all()) == [anne]
    assert result.leads_created == [] and Lead.objects.count() == 2


def test_initials_inside_a_longer_name_are_not_matched():
    LeadFactory(name="Anne Tidmarsh", initials="AT")
    run_import([action_row("1", Leads="AT team")])
    assert action("1").leads.get().name == "AT team"
    assert Lead.objects.count() == 2


def test_ambiguous_initials_make_a_new_lead_once():
    LeadFactory(name="Alan Hughes", initials="AH")
    LeadFactory(name="Head of Safeguarding - AH", initials="AH", kind=Lead.POST)
    rows = [action_row("1", Leads="AH"), action_row("2", Leads="AH")]
    result = run_import(rows)
    new = Lead.objects.get(name="AH")
    assert new.initials == "AH" and new.kind == Lead.PERSON
    assert list(action("1").leads.all()) == [new] and list(action("2").leads.all()) == [new]
    assert [lead.name for lead in result.leads_created] == ["AH"]
    # Importing the same file again finds the lead it made.
    run_import(rows)
    assert Lead.objects.count() == 3


def test_post_with_initials_becomes_a_post_lead_that_initials_then_match():
    rows = [action_row("1", Leads="Head of Safeguarding - AH"), action_row("2", Leads="AH")]
    run_import(rows)
    post = Lead.objects.get()
    assert (post.name, post.initials, post.kind) == ("Head of Safeguarding - AH", "AH", Lead.POST)
    assert list(action("2").leads.all()) == [post]


# --- Due dates and statuses -----------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2011-06-30", datetime.date(2011, 6, 30)),
        ("30/06/2011", datetime.date(2011, 6, 30)),
        ("30/6/11", datetime.date(2011, 6, 30)),
        ("30.06.2011", datetime.date(2011, 6, 30)),
        ("1-7-2011", datetime.date(2011, 7, 1)),
    ],
)
def test_due_date_iso_or_uk_day_first_overrides_the_timescale(written, expected):
    run_import([action_row("1", Timescale="March 2011", Due_date=written)])
    one = action("1")
    assert one.timescale == "March 2011"
    assert one.due_date_set == expected and one.due_date == expected


def test_due_date_equal_to_the_timescale_date_is_not_an_override():
    run_import([action_row("1", Timescale="March 2011", Due_date="31/03/2011")])
    one = action("1")
    assert one.due_date_set is None and one.due_date == datetime.date(2011, 3, 31)


def test_due_date_gives_a_date_to_an_unreadable_timescale_without_warning():
    result = run_import([action_row("1", Timescale="When the new system is live", Due_date="2011-09-30")])
    one = action("1")
    assert one.due_date == datetime.date(2011, 9, 30) and not one.timescale_needs_review
    assert warnings_of(result) == []


@pytest.mark.parametrize(
    "written, status",
    [
        ("Not started", rag.NOT_STARTED),
        ("on track", rag.ON_TRACK),
        ("AT RISK", rag.AT_RISK),
        ("Off-track", rag.OFF_TRACK),
        ("Completed", rag.COMPLETED),
        ("Complete", rag.COMPLETED),
        ("Done", rag.COMPLETED),
        ("In place", rag.COMPLETED),
        ("Ongoing", rag.ON_TRACK),
        ("In progress", rag.ON_TRACK),
        ("Commenced", rag.ON_TRACK),
    ],
)
def test_status_names_and_loose_forms_in_the_improvement_scheme(written, status):
    run_import([action_row("1", Status=written)])
    update = action("1").progress_updates.get()
    # A status with no progress date counts from the plan's source date.
    assert (update.status, update.date, update.narrative) == (status, datetime.date(2010, 3, 31), "")


@pytest.mark.parametrize(
    "written, status",
    [("On course", rag.ON_COURSE), ("Ongoing", rag.ON_COURSE), ("delayed", rag.DELAYED), ("Done", rag.COMPLETED), ("Cancelled", rag.CANCELLED)],
)
def test_status_in_the_business_plan_scheme(written, status):
    run_import([action_row("1", Source="Business plan", Status=written)])
    assert Plan.objects.get().rag_scheme == rag.BUSINESS
    assert action("1").progress_updates.get().status == status


def test_status_of_the_other_scheme_is_an_error():
    errors = import_errors([action_row("1", Source="Business plan", Status="At risk")])
    assert where(errors) == [(2, "Status")]
    assert "'At risk' is not a status of the business plan scheme" in errors[0].reason


def test_bad_status_names_its_row_and_column():
    errors = import_errors([action_row("1", Status="On track"), action_row("2", Status="Nearly there")])
    assert where(errors) == [(3, "Status")]
    assert str(errors[0]).startswith("Row 3, column 'Status': 'Nearly there' is not a status of the improvement plan")
    assert "use one of Not started, On track, At risk, Off track, Completed" in errors[0].reason
    assert Plan.objects.count() == 0


def test_completed_timescale_without_a_status_means_completed():
    run_import([action_row("1", Timescale="Completed"), action_row("2", Timescale="In place")])
    day = datetime.date(2011, 1, 1)
    assert action("1").status_on(day) == rag.COMPLETED and action("2").status_on(day) == rag.COMPLETED
    assert action("1").rag_on(day).colour == rag.BLUE


# --- Cross-references, progress, timescales -------------------------------------------------


@pytest.mark.parametrize("written", ["See 1.1", "see action 1.1", "Refer to 1.1", "cf. 1.1", "See 1.1."])
def test_cross_reference_links_to_the_other_action(written):
    run_import([action_row("2.3", Action=written), action_row("1.1", Action="The real work")])
    assert action("2.3").cross_reference == action("1.1")
    assert action("2.3").text == written
    assert action("1.1").cross_reference is None


def test_cross_reference_to_an_action_already_in_the_database():
    run_import([action_row("12.1")])
    other_plan = [{"Plan": "Another plan", "Area": "A", "Action No": "12.1", "Action": "Elsewhere"}]
    run_import(other_plan)
    run_import([action_row("13.1", Action="See 12.1")])
    assert action("13.1").cross_reference == action("12.1")


def test_dangling_cross_reference_is_an_error():
    errors = import_errors([action_row("1.1"), action_row("13.1", Action="See 12.1")])
    assert [str(error) for error in errors] == ["Row 3, column 'Action': refers to action 12.1, which is not in the plan"]
    assert Action.objects.count() == 0


def test_cross_reference_does_not_reach_into_another_plan():
    run_import([{"Plan": "Another plan", "Area": "A", "Action No": "12.1", "Action": "Elsewhere"}])
    errors = import_errors([action_row("13.1", Action="See 12.1")])
    assert where(errors) == [(2, "Action")]


@pytest.mark.parametrize("written", ["See 1.1", "see action 1.1", "Refer to 1.1", "cf. 1.1", "See 1.1."])
def test_cross_reference_in_the_timescale_links_to_the_other_action(written):
    result = run_import([action_row("2.3", Action="Audit the case files", Timescale=written), action_row("1.1")])
    two = action("2.3")
    assert two.cross_reference == action("1.1")
    # The timescale is kept as written and the action text is left alone; nothing is flagged for review.
    assert (two.timescale, two.text, two.timescale_kind) == (written, "Audit the case files", timescales.REFERENCE)
    assert warnings_of(result) == []
    assert action("1.1").cross_reference is None


def test_cross_reference_in_the_timescale_to_an_action_already_in_the_database():
    run_import([action_row("12.1")])
    run_import([{"Plan": "Another plan", "Area": "A", "Action No": "12.1", "Action": "Elsewhere"}])
    run_import([action_row("13.1", Timescale="Refer to 12.1")])
    assert action("13.1").cross_reference == action("12.1")


def test_dangling_cross_reference_in_the_timescale_is_an_error_on_that_column():
    errors = import_errors([action_row("1.1"), action_row("13.1", Timescale="See 12.1")])
    assert [str(error) for error in errors] == ["Row 3, column 'Timescale': refers to action 12.1, which is not in the plan"]
    assert Action.objects.count() == 0


def test_cross_reference_in_the_timescale_does_not_reach_into_another_plan():
    run_import([{"Plan": "Another plan", "Area": "A", "Action No": "12.1", "Action": "Elsewhere"}])
    errors = import_errors([action_row("13.1", Timescale="cf. 12.1")])
    assert where(errors) == [(2, "Timescale")]


def test_cross_reference_in_both_columns_must_name_the_same_action():
    run_import([action_row("1.1"), action_row("1.2", Action="See 1.1", Timescale="See 1.1")])
    assert action("1.2").cross_reference == action("1.1")
    errors = import_errors([action_row("1.1"), action_row("2.1"), action_row("1.2", Action="See 1.1", Timescale="See 2.1")])
    assert [str(error) for error in errors] == [
        "Row 4, column 'Timescale': refers to action 2.1, but the Action refers to 1.1"
    ]


def test_cross_reference_in_the_timescale_survives_export_and_reimport():
    rows = [action_row("1.1", Timescale="March 2011"), action_row("1.2", Action="Audit", Timescale="See 1.1")]
    run_import(rows)
    before = counts()
    second = run_import(rows)
    assert (second.actions_unchanged, counts()) == (2, before)
    content, _, _ = export.export_plan(Plan.objects.get(), datetime.date(2010, 7, 1), "csv")
    wipe_plans()
    spreadsheet.import_plan_file(content, "export.csv")
    assert action("1.2").cross_reference == action("1.1") and action("1.2").timescale == "See 1.1"


def test_progress_without_progress_date_is_an_error():
    errors = import_errors([action_row("1", Progress="Audit tool piloted")])
    assert where(errors) == [(2, "Progress date")]
    assert "is needed when Progress is given" in errors[0].reason


def test_unreadable_timescale_is_a_warning_not_an_error():
    result = run_import([action_row("1"), action_row("2", Timescale="When the new system goes live")])
    assert warnings_of(result) == [
        "Row 3, column 'Timescale': 'When the new system goes live' names no date that can be read; "
        "kept as written and flagged for review."
    ]
    two = action("2")
    assert two.timescale == "When the new system goes live"
    assert two.timescale_needs_review and two.due_date is None
    assert result.summary.endswith("1 warnings.")


def test_progress_is_kept_per_date_and_status_follows_the_dates():
    run_import([action_row("1", Status="On track", Progress="Started", Progress_date="2010-06-30")])
    run_import([action_row("1", Status="Completed", Progress="Finished", Progress_date="2010-12-31")])
    one = action("1")
    assert list(one.progress_updates.values_list("date", "narrative", "status")) == [
        (datetime.date(2010, 6, 30), "Started", rag.ON_TRACK),
        (datetime.date(2010, 12, 31), "Finished", rag.COMPLETED),
    ]
    assert one.status_on(datetime.date(2010, 9, 30)) == rag.ON_TRACK
    assert one.status_on(datetime.date(2011, 1, 1)) == rag.COMPLETED


STATUS_DATE_REASON = "is needed for the Status: give the date the status was reported, or the plan's Source date"


def test_status_with_no_progress_date_and_no_source_date_is_an_error():
    rows = [action_row("1", Source_date="", Status="On track"), action_row("2", Source_date="")]
    errors = import_errors(rows)
    assert [str(error) for error in errors] == [f"Row 2, column 'Progress date': {STATUS_DATE_REASON}"]
    assert counts()["Plan"] == 0
    # The same without a Source date column at all.
    rows = [{"Plan": PLAN, "Area": "A", "Action No": "1", "Action": "x", "Status": "Completed"}]
    assert where(import_errors(rows)) == [(2, "Progress date")]


def test_status_takes_the_progress_date_else_the_source_date_never_today():
    result = run_import([
        action_row("1", Status="On track", Progress_date="2010-06-30"),
        action_row("2", Status="At risk"),
    ])
    assert result.progress_updates == 2
    assert list(action("1").progress_updates.values_list("date", "status")) == [(datetime.date(2010, 6, 30), rag.ON_TRACK)]
    assert list(action("2").progress_updates.values_list("date", "status")) == [(datetime.date(2010, 3, 31), rag.AT_RISK)]


def test_status_takes_the_source_date_already_saved_when_the_file_has_none():
    run_import([action_row("1")])  # the plan is saved with Source date 2010-03-31
    run_import([action_row("1", Source_date="", Status="Off track")])
    assert list(action("1").progress_updates.values_list("date", "status")) == [(datetime.date(2010, 3, 31), rag.OFF_TRACK)]
    assert Plan.objects.get().source_date == datetime.date(2010, 3, 31)


def test_source_date_given_on_a_later_row_of_the_plan_counts_for_every_row():
    run_import([action_row("1", Source_date="", Status="On track"), action_row("2", Source_date="31/03/2010")])
    assert Plan.objects.get().source_date == datetime.date(2010, 3, 31)
    assert action("1").progress_updates.get().date == datetime.date(2010, 3, 31)


@pytest.mark.parametrize(
    "cells, reason",
    [
        ({"Progress": "Started"}, "is needed when Progress is given"),
        ({"Progress": "Started", "Progress date": "soon"}, "'soon' is not a date"),
        ({"Progress date": "soon"}, "'soon' is not a date"),
    ],
)
def test_status_without_a_date_is_reported_once_with_the_other_progress_date_errors(cells, reason):
    errors = import_errors([action_row("1", Source_date="", Status="On track") | cells])
    assert where(errors) == [(2, "Progress date")]
    assert reason in errors[0].reason


def test_completed_timescale_with_no_date_makes_no_status_update():
    rows = [
        action_row("1", Source_date="", Timescale="Completed"),
        action_row("2", Source_date="", Timescale="In place", Status="Completed"),
    ]
    result = run_import(rows)
    assert result.progress_updates == 0 and ProgressUpdate.objects.count() == 0
    # The timescale alone makes the actions complete, on any day.
    for number in ("1", "2"):
        assert action(number).status_on(datetime.date(2009, 1, 1)) == rag.COMPLETED
    # Another status with such a timescale still needs its date.
    errors = import_errors([action_row("3", Source_date="", Timescale="Completed", Status="On track")])
    assert [str(error) for error in errors] == [f"Row 2, column 'Progress date': {STATUS_DATE_REASON}"]


def test_completed_timescale_with_a_date_records_the_completion_on_that_date():
    run_import([action_row("1", Timescale="Completed"), action_row("2", Source_date="", Timescale="Done")])
    assert list(action("1").progress_updates.values_list("date", "status")) == [(datetime.date(2010, 3, 31), rag.COMPLETED)]
    run_import([action_row("3", Source_date="", Timescale="In place", Progress_date="2010-09-30")])
    assert list(action("3").progress_updates.values_list("date", "status")) == [(datetime.date(2010, 9, 30), rag.COMPLETED)]


def test_plan_without_source_date_exports_each_status_with_its_date_and_imports_back():
    rows = [
        action_row("1", Source_date="", Status="On track", Progress_date="2010-06-30"),
        action_row("2", Source_date="", Timescale="Completed"),
        action_row("3", Source_date="", Status="At risk", Progress="Behind", Progress_date="2010-09-30"),
    ]
    run_import(rows)
    day = datetime.date(2011, 1, 1)
    first = as_dicts(exported(Plan.objects.get(), day)[0][""])
    assert [(row["Status"], row["Progress date"]) for row in first] == [
        ("On track", "2010-06-30"),
        ("Completed", ""),
        ("At risk", "2010-09-30"),
    ]
    before = counts()
    content, _, _ = export.export_plan(Plan.objects.get(), day, "csv")
    again = spreadsheet.import_plan_file(content, "export.csv")
    assert (again.actions_unchanged, again.progress_updates, counts()) == (3, 0, before)
    wipe_plans()
    spreadsheet.import_plan_file(content, "export.csv")
    assert as_dicts(exported(Plan.objects.get(), day)[0][""]) == first
    assert action("1").status_on(datetime.date(2010, 6, 29)) == ""


# --- Row errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, column, reason",
    [
        ({"Plan": ""}, "Plan", "is required and is empty"),
        ({"Area": " "}, "Area", "is required and is empty"),
        ({"Action No": ""}, "Action No", "is required and is empty"),
        ({"Action": ""}, "Action", "is required and is empty"),
        ({"Source": "Parliament"}, "Source", "'Parliament' is not a plan source; use one of CQC inspection"),
        ({"Source date": "March 2010"}, "Source date", "'March 2010' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
        ({"Due date": "next spring"}, "Due date", "'next spring' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
        ({"Due date": "31/02/2011"}, "Due date", "'31/02/2011' is not a date"),
        ({"Due date": "2011-13-01"}, "Due date", "'2011-13-01' is not a date"),
        ({"Progress": "Done", "Progress date": "yesterday"}, "Progress date", "'yesterday' is not a date"),
        ({"Progress": "Done"}, "Progress date", "is needed when Progress is given"),
        ({"Recommendation": "Improve risk practice"}, "Recommendation No", "is needed when Recommendation is given"),
        ({"Status": "Sort of"}, "Status", "'Sort of' is not a status of the improvement plan (brag) scheme"),
        ({"Action No": "1"}, "Action No", f"action 1 of '{PLAN}' is also on row 2"),
        ({"Source": "Ofsted"}, "Source", "differs from the source of the same plan on row 2"),
        (
            {"Recommendation No": "1", "Recommendation": "Other words"},
            "Recommendation",
            "recommendation 1 has different wording on row 2",
        ),
        ({"Action": "See 9.9"}, "Action", "refers to action 9.9, which is not in the plan"),
        ({"Action No": "1.2.3.4.5.6.7.8.9.10.11"}, "Action No", "Action No is 23 characters; the most is 20"),
        ({"Progress": "p" * 10_412, "Progress date": "2010-06-30"}, "Progress", "Progress is 10,412 characters; the most is 10,000"),
        ({"Owning unit": "Foo"}, "Owning unit", "'Foo' is not a unit: use the name or short name of one in Admin > Organisation units"),
        ({"Status date": "2010-06-30"}, "Status date", "is given but Status is empty"),
    ],
)
def test_each_kind_of_row_error_names_row_and_column(cells, column, reason):
    good = action_row("1", Recommendation_No="1", Recommendation="Improve risk practice")
    bad = action_row("2") | cells
    errors = import_errors([good, bad])
    assert where(errors) == [(3, column)]
    assert reason in errors[0].reason
    assert str(errors[0]) == f"Row 3, column '{column}': {errors[0].reason}"
    assert counts()["Plan"] == 0 and counts()["Action"] == 0


def test_several_bad_rows_are_reported_together_in_row_order():
    rows = [
        action_row("1"),
        action_row("2", Due_date="31/13/2011"),
        action_row("3"),
        action_row("4", Action="", Progress="Started"),
        action_row("5", Status="Nearly there"),
        action_row("6", Action="See 99"),
        action_row("3"),
    ]
    errors = import_errors(rows)
    # Errors found while reading a row and while checking rows against each other come together.
    assert where(errors) == [
        (3, "Due date"),
        (5, "Action"),
        (5, "Progress date"),
        (6, "Status"),
        (7, "Action"),
        (8, "Action No"),
    ]
    assert "also on row 4" in errors[5].reason
    assert Plan.objects.count() == 0


def test_the_error_exception_message_lists_the_first_errors():
    with pytest.raises(spreadsheet.ImportErrors) as info:
        run_import([action_row("1", Status="Nope"), action_row("2", Due_date="never")])
    assert str(info.value) == "; ".join(str(error) for error in info.value.errors)
    assert str(info.value).startswith("Row 2, column 'Status': 'Nope' is not a status")
    assert str(info.value).endswith("Row 3, column 'Due date': 'never' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")


def test_row_numbers_count_blank_rows_as_the_spreadsheet_does():
    headers = ["Plan", "Area", "Action No", "Action", "Due date"]
    rows = [
        [],
        headers,
        [PLAN, "Leadership", "1", "Good", ""],
        ["", "", "", "", ""],
        [PLAN, "Leadership", "2", "Bad date", "someday"],
    ]
    errors = import_errors(rows)
    assert where(errors) == [(5, "Due date")]


def test_row_numbers_in_xlsx_are_the_sheet_rows():
    headers = ["Plan", "Area", "Action No", "Action", "Status"]
    data = xlsx_bytes(("Plan", headers, [[PLAN, "A", "1", "x", ""], [None] * 5, [PLAN, "A", "2", "y", "Maybe"]]))
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file(data, "plan.xlsx")
    assert where(info.value.errors) == [(4, "Status")]


# --- Atomicity ------------------------------------------------------------------------------


def test_one_bad_row_saves_nothing_on_an_empty_database():
    before = counts()
    rows = [
        action_row("1", Leads="Margaret Howard", Progress="Started", Progress_date="2010-06-30", Recommendation_No="1", Recommendation="R"),
        action_row("2", Area="Leadership", Leads="New Person"),
        action_row("3", Status="Not a status"),
        action_row("4", Area="Commissioning"),
    ]
    with pytest.raises(spreadsheet.ImportErrors):
        run_import(rows)
    assert counts() == before


def test_one_bad_row_leaves_an_existing_plan_exactly_as_it_was():
    first = [
        action_row("1", Leads="Margaret Howard", Timescale="March 2011", Progress="Started", Progress_date="2010-06-30"),
        action_row("2", Area="Leadership"),
    ]
    spreadsheet.import_plan_file(
        xlsx_bytes(
            ("Plan", headers_of(first), first),
            ("Milestones", MILESTONE_HEADERS, [milestone_row("1", "Draft the tool", "June 2010")]),
        ),
        "plan.xlsx",
    )
    before = counts()
    one_before = Action.objects.values().get(number="1")
    second = [
        action_row("1", Action="Changed wording", Leads="Someone New", Timescale="June 2011", Progress="More", Progress_date="2010-09-30"),
        action_row("2", Area="A new area", Status="Completed"),
        action_row("3", Area="Another new area"),
        action_row("4", Due_date="31/31/2011"),
    ]
    with pytest.raises(spreadsheet.ImportErrors):
        spreadsheet.import_plan_file(
            xlsx_bytes(
                ("Plan", headers_of(second), second),
                ("Milestones", MILESTONE_HEADERS, [milestone_row("1", "Draft the tool", "July 2010", "yes")]),
            ),
            "plan.xlsx",
        )
    assert counts() == before
    assert Action.objects.values().get(number="1") == one_before
    assert Milestone.objects.get().date_text == "June 2010"


def test_a_bad_milestone_row_undoes_the_plan_rows_already_saved():
    before = counts()
    rows = [action_row("1"), action_row("2", Leads="Margaret Howard")]
    data = xlsx_bytes(
        ("Plan", headers_of(rows), rows),
        ("Milestones", MILESTONE_HEADERS, [milestone_row("1", "Good milestone"), milestone_row("7", "No such action")]),
    )
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file(data, "plan.xlsx")
    # Row 3 of the Milestones sheet: the plan sheet has a row 3 too, and it is fine.
    assert [str(error) for error in info.value.errors] == [f"Milestones sheet, row 3, column 'Action No': no action 7 in plan '{PLAN}'"]
    assert counts() == before


def test_dry_run_saves_nothing_but_reports_what_it_would_do():
    LeadFactory(name="Margaret Howard")
    before = counts()
    rows = [
        action_row("1", Leads="Margaret Howard", Status="On track"),
        action_row("2", Leads="New Person", Progress="Started", Progress_date="2010-06-30"),
    ]
    data = xlsx_bytes(("Plan", headers_of(rows), rows), ("Milestones", MILESTONE_HEADERS, [milestone_row("1", "Draft")]))
    result = spreadsheet.import_plan_file(data, "plan.xlsx", dry_run=True)
    assert counts() == before
    assert result.dry_run and (result.actions_created, result.milestones, result.progress_updates) == (2, 1, 2)
    assert [lead.name for lead in result.leads_created] == ["New Person"]
    assert result.summary.startswith(f"Would import '{PLAN}': 2 actions new")


def test_dry_run_with_errors_raises_them_too():
    with pytest.raises(spreadsheet.ImportErrors) as info:
        run_import([action_row("1", Status="Bogus")], dry_run=True)
    assert where(info.value.errors) == [(2, "Status")]


# --- Whole-file errors ----------------------------------------------------------------------

GOOD_CSV = "Plan,Area,Action No,Action\nKent plan,Leadership,1,Do it\n"


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "plan.pdf", "'plan.pdf' is not a CSV or XLSX file. Save the spreadsheet as CSV (UTF-8) or XLSX."),
        (GOOD_CSV.encode(), "plan.xls", "'plan.xls' is not a CSV or XLSX file"),
        (GOOD_CSV.encode(), "plan.docx", "'plan.docx' is not a CSV or XLSX file"),
        (bytes(range(256)) * 4, "plan.xlsx", "The file cannot be opened as an XLSX workbook"),
        (b"PK\x03\x04not really a zip", "plan.csv", "The file cannot be opened as an XLSX workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "plan.csv", "The file is not a CSV file: it holds binary data."),
        (b"\xff\xfeP\x00l\x00a\x00n\x00", "plan.csv", "The file is UTF-16 text (Excel's Unicode Text), not CSV."),
        (b"Plan,Area\x00,Action No,Action\n", "plan.csv", "The file is not a CSV file: it holds binary data."),
        (b"", "plan.csv", "The file is empty."),
        (b"", "plan.xlsx", "The file is empty."),
        (b"\r\n\r\n,,,\r\n", "plan.csv", "The file is empty: it has no header row."),
        (b"Plan,Area,Action No,Action\r\n", "plan.csv", "The file has a header row but no data rows."),
        (b"Plan,Area,Action No,Action\r\n,,,\r\n\r\n", "plan.csv", "The file has a header row but no data rows."),
        (
            # Neither UTF-8 nor Windows-1252: byte 0x81 means nothing in either.
            b"Plan,Area,Action No,Action\nPlan \x81,Leadership,1,x\n",
            "plan.csv",
            "The file is not UTF-8 text (byte 33 cannot be read). In Excel choose Save As > CSV UTF-8 (Comma delimited).",
        ),
        (
            b"Plan,Action,Leads\nKent plan,Do it,MH\n",
            "plan.csv",
            "The file is missing the required columns Area, Action No. The first row must hold the column headers: Plan, Source,",
        ),
        (b"Plan,Area,Action No,Leads\nKent plan,A,1,MH\n", "plan.csv", "The file is missing the required column Action."),
        (b"Some notes about the plan\nPlan,Area,Action No,Action\n", "plan.csv", "missing the required columns Plan, Area, Action No, Action"),
    ],
)
def test_whole_file_errors_give_one_clear_message(data, filename, message):
    before = counts()
    assert message in file_error(data, filename)
    assert counts() == before


def test_csv_cell_over_the_csv_field_size_limit_is_one_clear_message():
    limit = csv.field_size_limit()
    assert limit == 131_072
    before = counts()
    huge = GOOD_CSV + f"Kent plan,Leadership,2,{'x' * (limit + 1)}\n"
    assert file_error(huge.encode(), "plan.csv") == (
        "The file cannot be read as CSV: row 3 has a cell longer than the 131,072 characters a CSV cell may hold. "
        "Shorten that cell and save the file again."
    )
    # The row is counted as the spreadsheet counts it, whatever lines its cells span.
    quoted = GOOD_CSV + '"Kent plan","Leadership","2","' + "line\n" * (limit // 4) + '"\n'
    assert "row 3 has a cell longer than" in file_error(quoted.encode(), "plan.csv")
    assert counts() == before
    # A cell of exactly the limit is read, and is then longer than an action may be: a row error, never cut.
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file((GOOD_CSV + f"Kent plan,Leadership,2,{'x' * limit}\n").encode(), "plan.csv")
    assert [str(error) for error in info.value.errors] == [
        "Row 3, column 'Action': Action is 131,072 characters; the most is 4,000"
    ]


def test_an_unclosed_quote_is_refused_at_the_row_where_it_opened():
    """Read leniently, the quote took rows 3 to 5 into one Action cell and the import said nothing."""
    text = (
        "Plan,Area,Action No,Action\r\n"
        f"{PLAN},Workforce,1,First\r\n"
        f'{PLAN},Workforce,2,"Second never closes\r\n'
        f"{PLAN},Workforce,3,Third\r\n"
        f"{PLAN},Workforce,4,Fourth\r\n"
    )
    assert file_error(text.encode(), "plan.csv") == (
        'The file cannot be read as CSV: row 3 opens a quote (") that is never closed, so the rest of the file '
        "would be read as one cell. Close the quote or remove it, and save the file again."
    )
    assert not Action.objects.exists()


def test_a_quote_opened_after_multi_line_cells_names_its_row_and_its_line():
    text = (
        "Plan,Area,Action No,Action\r\n"
        f'{PLAN},Workforce,1,"First\r\nover two lines"\r\n'
        f'{PLAN},Workforce,2,"Second never closes\r\n'
    )
    assert "row 3 (line 4 of the file) opens a quote" in file_error(text.encode(), "plan.csv")


def test_a_quote_in_the_middle_of_a_quoted_cell_is_refused_with_its_row():
    text = f'Plan,Area,Action No,Action\r\n{PLAN},Workforce,1,"Half" quoted\r\n'
    message = file_error(text.encode(), "plan.csv")
    assert message.startswith('The file cannot be read as CSV: row 2 has a quote (") inside a cell')


def test_a_separate_milestones_csv_that_cannot_be_read_is_one_clear_message():
    milestones = "Plan,Action No,Milestone\n" + f"{PLAN},1,{'x' * 131_073}\n"
    message = file_error(
        csv_bytes([action_row("1")]), "plan.csv", milestone_data=milestones.encode(), milestone_filename="m.csv"
    )
    assert message.startswith("The file cannot be read as CSV: row 2 has a cell longer than the 131,072 characters")
    assert Plan.objects.count() == 0


def test_excel_csv_comma_delimited_is_read_as_windows_1252_with_a_warning():
    """Excel's "CSV (Comma delimited)" writes the Windows code page: "–" and "é" are one byte each."""
    data = "Plan,Area,Action No,Action,Timescale\nPlan café,Leadership,1,Résumé,January – March 2011\n".encode("cp1252")
    result = spreadsheet.import_plan_file(data, "plan.csv")
    one = Action.objects.get()
    assert (one.plan.title, one.text, one.timescale) == ("Plan café", "Résumé", "January – March 2011")
    assert one.due_date == datetime.date(2011, 3, 31)
    assert warnings_of(result) == [
        "The file is not UTF-8 text: it was read as Windows-1252, as Excel saves 'CSV (Comma delimited)'. "
        "Check its accented letters, dashes and £ signs; to be sure, save it again as CSV UTF-8."
    ]


def test_utf8_with_a_byte_order_mark_is_read():
    data = "\ufeffPlan,Area,Action No,Action\nSefton plan,Leadership,1,Résumé of the café work\n".encode("utf-8")
    result = spreadsheet.import_plan_file(data, "plan.csv")
    assert warnings_of(result) == []
    assert Action.objects.get().text == "Résumé of the café work"


def test_xlsx_with_an_empty_first_sheet_is_a_file_error():
    assert file_error(xlsx_bytes(("Plan", [], [])), "plan.xlsx") == "The file is empty: it has no header row."


def test_xlsx_missing_required_columns():
    data = xlsx_bytes(("Plan", ["Plan", "Area", "Action"], [[PLAN, "A", "x"]]))
    assert "missing the required column Action No." in file_error(data, "plan.xlsx")


def test_milestones_sheet_missing_its_columns_is_a_file_error():
    rows = [action_row("1")]
    data = xlsx_bytes(("Plan", headers_of(rows), rows), ("Milestones", ["Plan", "Milestone"], [[PLAN, "Draft"]]))
    message = file_error(data, "plan.xlsx")
    assert message.startswith("The Milestones sheet is missing the required column Action No.")
    assert Plan.objects.count() == 0


# --- Unknown columns ------------------------------------------------------------------------


def test_unknown_column_is_a_warning_and_rag_columns_are_silently_ignored():
    rows = [action_row("1", RAG="Red", **{"RAG reason": "Overdue", "Comments": "check with MH", "Owner team": "OPPD"})]
    result = run_import(rows)
    assert warnings_of(result) == [
        "Column 'Comments' is not part of the plan format and was ignored.",
        "Column 'Owner team' is not part of the plan format and was ignored.",
    ]
    assert action("1").text == "Carry out action 1"


def test_rag_columns_in_any_case_give_no_warning():
    result = run_import([action_row("1", **{"rag": "Green", " RAG  Reason ": "fine"})])
    assert warnings_of(result) == []


# --- Re-import ------------------------------------------------------------------------------


def sample_rows():
    return [
        action_row(
            "1.1",
            Recommendation_No="1",
            Recommendation="Improve risk practice",
            Recommendation_page="11",
            Leads="Margaret Howard; Head of Safeguarding - AH",
            Timescale="March 2011",
            Status="On track",
            Progress="Started",
            Progress_date="2010-06-30",
        ),
        action_row("1.2", Recommendation_No="1", Recommendation="Improve risk practice", Action="See 1.1", Leads="AH"),
        action_row("2.1", Area="Leadership", Timescale="Completed"),
        action_row("2.2", Area="Leadership", Timescale="Ongoing", Due_date="30/09/2011", Status="At risk"),
        action_row("3", Area="Commissioning", Timescale="As soon as we can", Leads="NHS Sefton"),
    ]


def sample_milestones():
    return [
        milestone_row("1.1", "Draft the tool", "June 2010", "yes"),
        milestone_row("1.1", "Pilot the tool", "September 2010"),
        milestone_row("2.1", "Report to DMT", "Completed"),
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_reimporting_the_same_file_changes_nothing(file_format):
    rows = sample_rows()
    if file_format == "csv":
        data, milestones = csv_bytes(rows), csv_bytes(sample_milestones(), MILESTONE_HEADERS)
        kwargs = {"milestone_data": milestones, "milestone_filename": "milestones.csv"}
    else:
        data = xlsx_bytes(("Plan", headers_of(rows), rows), ("Milestones", MILESTONE_HEADERS, sample_milestones()))
        kwargs = {}
    first = spreadsheet.import_plan_file(data, f"plan.{file_format}", **kwargs)
    assert first.actions_created == 5 and first.milestones == 3
    assert (first.milestones_created, first.milestones_updated, first.milestones_unchanged) == (3, 0, 0)
    after_first = counts()
    ids = dict(Action.objects.values_list("number", "id"))
    versions = dict(Action.objects.values_list("number", "version"))

    second = spreadsheet.import_plan_file(data, f"plan.{file_format}", **kwargs)

    # Same rows, same ids, no new history: nothing was saved.
    assert counts() == after_first
    assert dict(Action.objects.values_list("number", "id")) == ids
    assert dict(Action.objects.values_list("number", "version")) == versions
    assert (second.actions_created, second.actions_updated, second.actions_unchanged) == (0, 0, 5)
    assert second.progress_updates == 0 and second.leads_created == []
    assert [outcome for _, outcome in outcomes_of(second)] == [UNCHANGED] * 5
    assert second.summary == (
        f"Imported '{PLAN}': 0 actions new, 0 updated, 5 unchanged; 0 milestones new, 0 updated, 3 unchanged; "
        "0 progress updates; "
        "0 new leads; 1 warnings."
    )


def test_reimport_with_a_changed_cell_updates_in_place():
    run_import(sample_rows())
    before = counts()
    history_before = action("2.2").history.count()
    other_history = {number: action(number).history.count() for number in ["1.1", "1.2", "2.1", "3"]}
    original_id = action("2.2").pk

    rows = sample_rows()
    rows[3]["Action"] = "Refreshed wording of the HR action"
    rows[3]["Due date"] = "31/12/2011"
    result = run_import(rows)

    changed = action("2.2")
    assert changed.pk == original_id
    assert changed.text == "Refreshed wording of the HR action"
    assert changed.due_date == datetime.date(2011, 12, 31)
    assert changed.history.count() == history_before + 1
    assert changed.history.first().text == "Refreshed wording of the HR action"
    assert {number: action(number).history.count() for number in other_history} == other_history
    assert (result.actions_created, result.actions_updated, result.actions_unchanged) == (0, 1, 4)
    assert [(number, outcome) for number, outcome in outcomes_of(result) if outcome != UNCHANGED] == [(5, UPDATED)]
    expected = dict(before, HistoricalAction=before["HistoricalAction"] + 1)
    assert counts() == expected


def test_reimport_with_changed_leads_and_status_updates_the_action():
    run_import(sample_rows())
    rows = sample_rows()
    rows[0]["Leads"] = "Margaret Howard"
    rows[0]["Status"] = "Completed"
    result = run_import(rows)
    one = action("1.1")
    assert list(one.leads.values_list("name", flat=True)) == ["Margaret Howard"]
    # The same progress date: the update loaded from the spreadsheet is corrected, not repeated.
    assert list(one.progress_updates.values_list("status", flat=True)) == [rag.COMPLETED]
    assert result.actions_updated == 1 and result.progress_updates == 1
    assert Lead.objects.filter(name="Head of Safeguarding - AH").exists()


def test_reimport_with_a_new_recommendation_wording_updates_it():
    run_import(sample_rows())
    rec_id = Recommendation.objects.get(number="1").pk
    rows = sample_rows()
    for row in rows[:2]:
        row["Recommendation"] = "Improve risk practice and protection plans"
    run_import(rows)
    recommendation = Recommendation.objects.get()
    assert recommendation.pk == rec_id and recommendation.text == "Improve risk practice and protection plans"
    assert recommendation.history.count() == 2


def test_reimport_adds_new_actions_and_keeps_the_others():
    run_import(sample_rows())
    result = run_import(sample_rows() + [action_row("3.1", Area="Commissioning")])
    assert (result.actions_created, result.actions_unchanged) == (1, 5)
    assert Action.objects.count() == 6 and Area.objects.count() == 3


def test_columns_left_out_of_a_reimport_leave_their_fields_alone():
    """A file in the issue's format (no Source date, no Recommendation page) or with fewer columns
    updates what it holds, and leaves the rest as it was."""
    rows = sample_rows()
    rows[0]["Expected evidence"] = "A single risk document"
    rows[0]["Due date"] = "2011-06-30"
    run_import(rows)
    before = counts()
    snapshot = {
        "actions": list(Action.objects.order_by("number").values()),
        "recommendations": list(Recommendation.objects.values()),
        "leads": sorted(Action.leads.through.objects.values_list("action_id", "lead_id")),
        "updates": list(ProgressUpdate.objects.values()),
    }
    fewer = [
        {name: row.get(name, "") for name in ["Plan", "Area", "Action No", "Action", "Timescale"]} for row in sample_rows()
    ]
    result = run_import(fewer)
    assert result.actions_unchanged == 5
    assert counts() == before
    assert snapshot == {
        "actions": list(Action.objects.order_by("number").values()),
        "recommendations": list(Recommendation.objects.values()),
        "leads": sorted(Action.leads.through.objects.values_list("action_id", "lead_id")),
        "updates": list(ProgressUpdate.objects.values()),
    }
    # A column that is there, even blank, is what the file says.
    for row in fewer:
        row["Leads"] = ""
    run_import(fewer)
    assert Action.leads.through.objects.count() == 0


def test_seeded_plan_reimported_in_the_issue_format_keeps_its_page_references():
    import_fixture(SEFTON)
    data = (FIXTURES / SEFTON[0]).read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    issue_columns = [name for name in ALL_COLUMNS if name not in {"Source date", "Recommendation page"}]
    before = counts()
    result = run_import(rows, headers=issue_columns)
    assert result.actions_unchanged == 53
    assert counts() == before
    plan = Plan.objects.get(title=SEFTON_TITLE)
    assert plan.source_date == datetime.date(2010, 3, 31)
    assert plan.recommendations.get(number="19").page_reference == "27"


# --- Milestones -----------------------------------------------------------------------------


def test_milestones_from_an_xlsx_sheet():
    rows = [action_row("1"), action_row("2")]
    milestones = [
        milestone_row("1", "Consult/agree report content with partner LAs", "January – March 2011"),
        milestone_row("1", "Implement reporting practice", "April 2011", "no"),
        milestone_row("1", "Review plans", "April 2012", "Yes"),
        milestone_row("2", "Draft versions of terms of reference", "Draft completed", ""),
        milestone_row("2", "Standards agreed", "July 2010", "x"),
        milestone_row("2", "Audit", "", "Done"),
    ]
    data = xlsx_bytes(("Plan", headers_of(rows), rows), (" milestones ", MILESTONE_HEADERS, milestones))
    result = spreadsheet.import_plan_file(data, "plan.xlsx")
    assert result.milestones == 6
    first = list(action("1").milestones.values_list("activity", "date_text", "start_date", "due_date", "completed", "order"))
    assert first == [
        ("Consult/agree report content with partner LAs", "January – March 2011", datetime.date(2011, 1, 1), datetime.date(2011, 3, 31), False, 0),
        ("Implement reporting practice", "April 2011", None, datetime.date(2011, 4, 30), False, 1),
        ("Review plans", "April 2012", None, datetime.date(2012, 4, 30), True, 2),
    ]
    second = list(action("2").milestones.values_list("activity", "completed"))
    # "Draft completed" as the date means done, as the plan wrote it.
    assert second == [("Draft versions of terms of reference", True), ("Standards agreed", True), ("Audit", True)]


def test_milestones_from_a_separate_csv_and_reimport_without_duplicates():
    rows = [action_row("1"), action_row("2")]
    milestones = csv_bytes(
        [milestone_row("1", "Draft", "June 2010", "yes"), milestone_row("2", "Pilot", "Q3 2010/11")], MILESTONE_HEADERS
    )
    kwargs = {"milestone_data": milestones, "milestone_filename": "milestones.csv"}
    run_import(rows, **kwargs)
    assert list(Milestone.objects.values_list("action__number", "activity", "due_date", "completed")) == [
        ("1", "Draft", datetime.date(2010, 6, 30), True),
        ("2", "Pilot", datetime.date(2010, 12, 31), False),
    ]
    before = counts()
    run_import(rows, **kwargs)
    assert counts() == before


def test_milestones_are_counted_new_updated_and_unchanged():
    rows = [action_row("1"), action_row("2")]
    milestones = [
        milestone_row("1", "Draft", "June 2010"),
        milestone_row("1", "Pilot", "September 2010"),
        milestone_row("2", "Report", "Q3 2010/11"),
    ]
    kwargs = {"milestone_filename": "m.csv"}
    first = run_import(rows, milestone_data=csv_bytes(milestones, MILESTONE_HEADERS), **kwargs)
    assert (first.milestones_created, first.milestones_updated, first.milestones_unchanged, first.milestones) == (3, 0, 0, 3)
    assert "; 3 milestones new, 0 updated, 0 unchanged; " in first.summary

    milestones[0] = milestone_row("1", "Draft", "June 2010", "yes")  # marked done
    milestones.append(milestone_row("2", "Review", "March 2011"))
    second = run_import(rows, milestone_data=csv_bytes(milestones, MILESTONE_HEADERS), **kwargs)
    assert (second.milestones_created, second.milestones_updated, second.milestones_unchanged, second.milestones) == (1, 1, 2, 4)
    assert "; 1 milestones new, 1 updated, 2 unchanged; " in second.summary

    before = counts()
    third = run_import(rows, milestone_data=csv_bytes(milestones, MILESTONE_HEADERS), dry_run=True, **kwargs)
    assert third.summary == (
        f"Would import '{PLAN}': 0 actions new, 0 updated, 2 unchanged; 0 milestones new, 0 updated, 4 unchanged; "
        "0 progress updates; 0 new leads; 0 warnings."
    )
    assert counts() == before


def test_milestones_csv_on_its_own_is_recognised_by_its_headers():
    run_import([action_row("1")])
    data = csv_bytes([milestone_row("1", "Draft", "June 2010", "")], ["plan", "Action No", "MILESTONE", "Date", "Completed"])
    result = spreadsheet.import_plan_file(data, "milestones.csv")
    assert result.milestones == 1 and result.actions_created == 0
    assert action("1").milestones.get().activity == "Draft"
    # Marking it completed later updates the same milestone.
    data = csv_bytes([milestone_row("1", "Draft", "June 2010", "yes")], MILESTONE_HEADERS)
    spreadsheet.import_plan_file(data, "milestones.csv")
    assert Milestone.objects.get().completed is True


def test_milestones_with_the_same_activity_twice_are_both_kept():
    # Kent's action 1 holds "County wide DFG Forum meet to review outcomes" in June and December 2011.
    rows = [action_row("1")]
    milestones = [
        milestone_row("1", "County wide DFG Forum meet to review outcomes", "June 2011"),
        milestone_row("1", "JMG report on 2nd quarters performance", "September 2011"),
        milestone_row("1", "County wide DFG Forum meet to review outcomes", "December 2011"),
    ]
    kwargs = {"milestone_data": csv_bytes(milestones, MILESTONE_HEADERS), "milestone_filename": "m.csv"}
    run_import(rows, **kwargs)
    expected = [
        ("County wide DFG Forum meet to review outcomes", "June 2011", 0),
        ("JMG report on 2nd quarters performance", "September 2011", 1),
        ("County wide DFG Forum meet to review outcomes", "December 2011", 2),
    ]
    assert list(action("1").milestones.values_list("activity", "date_text", "order")) == expected
    before = counts()
    run_import(rows, **kwargs)
    assert counts() == before
    assert list(action("1").milestones.values_list("activity", "date_text", "order")) == expected


def test_milestone_row_errors_name_row_and_column():
    run_import([action_row("1")])
    milestones = [
        milestone_row("1", "Good"),
        milestone_row("1", "", "June 2010"),
        milestone_row("1", "Odd flag", "June 2010", "maybe"),
        milestone_row("9", "Unknown action"),
        milestone_row("1", "Other plan", plan="No such plan"),
    ]
    before = counts()
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file(csv_bytes(milestones, MILESTONE_HEADERS), "milestones.csv")
    assert [str(error) for error in info.value.errors] == [
        "Milestones sheet, row 3, column 'Milestone': is required and is empty",
        "Milestones sheet, row 4, column 'Completed': 'maybe' is not yes or no",
        f"Milestones sheet, row 5, column 'Action No': no action 9 in plan '{PLAN}'",
        "Milestones sheet, row 6, column 'Action No': no action 1 in plan 'No such plan'",
    ]
    assert counts() == before


def test_unknown_milestone_column_is_a_warning():
    run_import([action_row("1")])
    data = csv_bytes([milestone_row("1", "Draft") + ["MH"]], MILESTONE_HEADERS + ["Owner"])
    result = spreadsheet.import_plan_file(data, "milestones.csv")
    assert warnings_of(result) == ["Column 'Owner' of the Milestones sheet is not part of the plan format and was ignored."]


def test_an_empty_milestones_sheet_means_no_milestones():
    rows = [action_row("1")]
    for sheet in [("Milestones", MILESTONE_HEADERS, []), ("Milestones", [], [])]:
        result = spreadsheet.import_plan_file(xlsx_bytes(("Plan", headers_of(rows), rows), sheet), "plan.xlsx")
        assert result.milestones == 0
    assert Action.objects.count() == 1 and Milestone.objects.count() == 0


# --- Export ---------------------------------------------------------------------------------


def exported(plan, day, file_format="csv"):
    content, content_type, filename = export.export_plan(plan, day, file_format)
    return read_export(content, filename), content_type, filename


def as_dicts(sheet):
    headers = sheet[0]
    return [dict(zip(headers, row)) for row in sheet[1:]]


def test_export_writes_the_import_columns_then_rag_with_the_derived_due_date():
    run_import(sample_rows())
    plan = Plan.objects.get()
    sheets, content_type, filename = exported(plan, datetime.date(2010, 7, 1))
    assert content_type == "text/csv; charset=utf-8"
    assert filename == "test-improvement-plan-as-at-2010-07-01.csv"
    assert sheets[""][0] == EXPORT_HEADERS
    rows = {row["Action No"]: row for row in as_dicts(sheets[""])}
    assert list(rows) == ["1.1", "1.2", "2.1", "2.2", "3"]
    assert rows["1.1"] | {"Leads": "", "RAG reason": ""} == {
        "Plan": PLAN,
        "Source": "CQC inspection",
        "Source date": "2010-03-31",
        "Owning unit": "",
        "Area": "Safeguarding adults",
        "Recommendation No": "1",
        "Recommendation": "Improve risk practice",
        "Recommendation page": "11",
        "Measurable indicator": "",
        "Desired outcome": "",
        "Action No": "1.1",
        "Action": "Carry out action 1.1",
        "Expected evidence": "",
        "Leads": "",
        "Timescale": "March 2011",
        "Due date": "2011-03-31",  # derived from the timescale
        "Status": "On track",
        "Status date": "",
        "Progress": "Started",
        "Progress date": "2010-06-30",
        "RAG": "Green",
        "RAG reason": "",
    }
    assert rows["1.1"]["Leads"] == "Head of Safeguarding - AH; Margaret Howard"
    assert rows["1.1"]["RAG reason"] == "On track, as reported by the lead; due 31 Mar 2011"
    assert rows["1.2"]["Action"] == "See 1.1" and rows["1.2"]["Leads"] == "Head of Safeguarding - AH"
    assert (rows["2.1"]["Status"], rows["2.1"]["RAG"], rows["2.1"]["Due date"]) == ("Completed", "Blue", "")
    # The date set by hand is the due date written out.
    assert (rows["2.2"]["Timescale"], rows["2.2"]["Due date"]) == ("Ongoing", "2011-09-30")
    assert (rows["2.2"]["Status"], rows["2.2"]["RAG"]) == ("At risk", "Amber")
    # "As soon as we can" names no date and nobody reported a status: not rated, and the reason says so.
    assert (rows["3"]["Due date"], rows["3"]["RAG"]) == ("", "Not rated")
    assert rows["3"]["RAG reason"] == rag.NOT_RATED_REASON


def test_export_xlsx_has_the_plan_and_its_milestones():
    rows = sample_rows()
    spreadsheet.import_plan_file(
        xlsx_bytes(("Plan", headers_of(rows), rows), ("Milestones", MILESTONE_HEADERS, sample_milestones())), "plan.xlsx"
    )
    sheets, content_type, filename = exported(Plan.objects.get(), datetime.date(2010, 7, 1), "xlsx")
    assert content_type == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert filename.endswith(".xlsx")
    assert list(sheets) == ["Plan", "Milestones", "Progress"]
    assert sheets["Plan"][0] == EXPORT_HEADERS and len(sheets["Plan"]) == 6
    assert sheets["Milestones"] == [
        MILESTONE_HEADERS + ["Date completed"],
        [PLAN, "1.1", "Draft the tool", "June 2010", "yes", ""],
        [PLAN, "1.1", "Pilot the tool", "September 2010", "", ""],
        [PLAN, "2.1", "Report to DMT", "Completed", "yes", ""],
    ]
    # Every progress update to the day, with the status each set; 2.1's and 2.2's count from the source date.
    assert sheets["Progress"] == [
        ["Plan", "Action No", "Date", "Status", "Progress", "Reported by"],
        [PLAN, "1.1", "2010-06-30", "On track", "Started", "Loaded from a spreadsheet"],
        [PLAN, "2.1", "2010-03-31", "Completed", "", "Loaded from a spreadsheet"],
        [PLAN, "2.2", "2010-03-31", "At risk", "", "Loaded from a spreadsheet"],
    ]


def test_export_as_at_leaves_out_later_progress_and_rates_on_that_day():
    run_import([action_row("1", Timescale="March 2011", Status="On track", Progress="Started", Progress_date="2010-06-30")])
    one = action("1")
    ProgressUpdateFactory(action=one, date=datetime.date(2011, 2, 28), status=rag.COMPLETED, narrative="Finished early")
    plan = Plan.objects.get()

    def row_on(day):
        return as_dicts(exported(plan, day)[0][""])[0]

    before_any = row_on(datetime.date(2010, 6, 29))
    assert (before_any["Status"], before_any["Progress"], before_any["Progress date"]) == ("", "", "")
    assert before_any["RAG reason"] == "No status reported; its due date of 31 Mar 2011 has not passed"
    middle = row_on(datetime.date(2010, 12, 31))
    assert (middle["Status"], middle["Progress"], middle["Progress date"], middle["RAG"]) == (
        "On track",
        "Started",
        "2010-06-30",
        "Green",
    )
    later = row_on(datetime.date(2011, 6, 1))
    assert (later["Status"], later["Progress"], later["Progress date"], later["RAG"]) == (
        "Completed",
        "Finished early",
        "2011-02-28",
        "Blue",
    )


def test_export_as_at_shows_the_wording_of_that_day():
    run_import([action_row("1", Action="Original wording")])
    Action.history.filter(number="1").update(history_date=datetime.datetime(2010, 1, 1, tzinfo=datetime.timezone.utc))
    run_import([action_row("1", Action="New wording")])
    plan = Plan.objects.get()
    assert as_dicts(exported(plan, datetime.date(2010, 6, 1))[0][""])[0]["Action"] == "Original wording"
    assert as_dicts(exported(plan, today())[0][""])[0]["Action"] == "New wording"


def test_kent_actions_due_april_2011_are_green_in_february_and_red_in_june():
    import_fixture(KENT)
    plan = Plan.objects.get(title=KENT_TITLE)
    february = {row["Action No"]: row for row in as_dicts(exported(plan, datetime.date(2011, 2, 11))[0][""])}
    june = {row["Action No"]: row for row in as_dicts(exported(plan, datetime.date(2011, 6, 1))[0][""])}
    for number in ["1", "2", "3"]:
        assert (february[number]["Timescale"], february[number]["Due date"]) == ("April 2011", "2011-04-30")
        assert february[number]["RAG"] == "Green"
        assert february[number]["RAG reason"] == "No status reported; its due date of 30 Apr 2011 has not passed"
        assert june[number]["RAG"] == "Red"
        assert june[number]["RAG reason"] == "Past its due date of 30 Apr 2011 and not completed"
        assert february[number]["Progress date"] == "2011-02-11"
    # The ongoing actions have no due date and stay green.
    for number in ["4", "5", "6"]:
        assert (june[number]["Due date"], june[number]["RAG"]) == ("", "Green")
    # The day before the progress was reported, the export holds none.
    before = as_dicts(exported(plan, datetime.date(2011, 2, 10))[0][""])
    assert {row["Progress"] for row in before} == {""} and {row["Progress date"] for row in before} == {""}


def test_plan_page_downloads_the_export(client, ada):
    import_fixture(KENT)
    plan = Plan.objects.get(title=KENT_TITLE)
    client.force_login(ada)
    response = client.get(f"/plans/{plan.pk}/", {"format": "csv", "as_at": "2011-06-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="kent-areas-of-improvement-10-11-action-plan-as-at-2011-06-01.csv"'
    )
    assert response.content == export.export_plan(plan, datetime.date(2011, 6, 1), "csv")[0]
    response = client.get(f"/plans/{plan.pk}/", {"format": "xlsx", "as_at": "2011-02-11"})
    assert response.status_code == 200
    sheets = read_export(response.content, "plan.xlsx")
    assert {row["RAG"] for row in as_dicts(sheets["Plan"])} == {"Green"}
    assert len(sheets["Milestones"]) == 10
    assert client.get(f"/plans/{plan.pk}/", {"format": "odt"}).status_code == 400


# --- Round trips ----------------------------------------------------------------------------


def export_all(day, file_format):
    return {plan.title: export.export_plan(plan, day, file_format)[0] for plan in Plan.objects.order_by("title")}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("fixture", [KENT, SEFTON], ids=["kent", "sefton"])
def test_export_then_import_into_an_empty_database_gives_back_the_same_rows(fixture, file_format):
    import_fixture(fixture)
    day = datetime.date(2011, 2, 11)
    first = export_all(day, file_format)
    first_sheets = {title: read_export(content, f"x.{file_format}") for title, content in first.items()}

    wipe_plans()
    assert counts()["Action"] == 0
    for title, content in first.items():
        result = spreadsheet.import_plan_file(content, f"export.{file_format}")
        assert all(warning.column == "Timescale" for warning in result.warnings)

    second = export_all(day, file_format)
    second_sheets = {title: read_export(content, f"x.{file_format}") for title, content in second.items()}
    assert second_sheets == first_sheets
    if file_format == "csv":
        assert second == first


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_reimporting_an_export_over_the_same_plans_changes_nothing(file_format):
    import_fixture(KENT)
    import_fixture(SEFTON)
    before = counts()
    for title, content in export_all(today(), file_format).items():
        result = spreadsheet.import_plan_file(content, f"export.{file_format}")
        assert result.actions_created == result.actions_updated == result.progress_updates == 0
        assert result.actions_unchanged == {KENT_TITLE: 6, SEFTON_TITLE: 53}[title]
        assert not [warning for warning in result.warnings if warning.row is None]
    assert counts() == before


def test_fixture_rows_come_back_in_the_export():
    import_fixture(SEFTON)
    fixture_rows = list(csv.DictReader(io.StringIO((FIXTURES / SEFTON[0]).read_text("utf-8-sig"), newline="")))
    plan = Plan.objects.get(title=SEFTON_TITLE)
    exported_rows = as_dicts(exported(plan, today())[0][""])
    assert len(exported_rows) == len(fixture_rows) == 53
    for written, out in zip(fixture_rows, exported_rows):
        for column in ALL_COLUMNS:
            if column in {"Due date", "Status"} or column not in written:
                continue
            assert out[column] == written[column].replace("\r\n", "\n").strip(), (written["Action No"], column)
        if written["Status"]:
            assert out["Status"] == written["Status"]
        due = action(written["Action No"], plan=SEFTON_TITLE).due_date
        assert out["Due date"] == (due.isoformat() if due else "")


def test_fixture_imports_cleanly_and_twice_without_duplicates():
    kent = import_fixture(KENT)
    sefton = import_fixture(SEFTON)
    assert (kent.actions_created, kent.milestones) == (6, 9)
    assert (sefton.actions_created, sefton.milestones) == (53, 31)
    assert Milestone.objects.filter(action__plan__title=KENT_TITLE).count() == 9
    assert Milestone.objects.filter(action__plan__title=SEFTON_TITLE).count() == 31
    before = counts()
    assert import_fixture(KENT).actions_unchanged == 6
    assert import_fixture(SEFTON).actions_unchanged == 53
    assert counts() == before


def test_existing_plan_made_by_hand_is_updated_by_number(plan, action):
    """A plan typed in by hand, then loaded from a spreadsheet: rows match its actions by number."""
    rows = [
        {"Plan": plan.title, "Area": "Safeguarding adults", "Action No": "1", "Action": "Reworded", "Leads": "Olivia Officer"},
        {"Plan": plan.title, "Area": "Safeguarding adults", "Action No": "2", "Action": "New one"},
    ]
    result = run_import(rows)
    action.refresh_from_db()
    assert action.text == "Reworded" and list(action.leads.all()) == list(Lead.objects.filter(name="Olivia Officer"))
    assert (result.actions_created, result.actions_updated) == (1, 1)
    assert plan.actions.count() == 2 and plan.areas.count() == 1
    plan.refresh_from_db()
    assert plan.source_date == datetime.date(2010, 3, 31)  # not in the file: left alone


def test_factories_plan_with_other_actions_is_untouched_by_a_failed_import():
    other = ActionFactory(area=AreaFactory(plan=PlanFactory(title="Another plan")), number="5")
    before = counts()
    with pytest.raises(spreadsheet.ImportErrors):
        run_import([{"Plan": "Another plan", "Area": other.area.title, "Action No": "5", "Action": "Changed", "Status": "?"}])
    assert counts() == before
    other.refresh_from_db()
    assert other.text != "Changed"


# --- Saving in bulk -------------------------------------------------------------------------


def sized_rows(size, plan):
    """`size` actions of `plan`, each with leads, a recommendation, a status and progress; every
    seventh refers to the first."""
    return [
        action_row(
            f"{n % 4 + 1}.{n + 1}",
            Plan=plan,
            Area=f"Area {n % 3}",
            Recommendation_No=str(n % 4 + 1),
            Recommendation=f"Recommendation {n % 4 + 1} of {plan}",
            Action=f"See 1.1" if n % 7 == 6 else f"Action {n + 1} of {plan}",
            Leads=f"{plan} lead {n % 5}; {plan} head of service - {'AB' if n % 2 else 'CD'}",
            Timescale=["March 2011", "Q3 2010/11", "Ongoing"][n % 3],
            Status=["On track", "At risk", ""][n % 3],
            Progress=f"Progress on {n + 1}",
            Progress_date="2010-06-30",
        )
        for n in range(size)
    ]


def sized_milestones(size, plan):
    return [milestone_row(f"{n % 4 + 1}.{n + 1}", f"Milestone {n}", "June 2010", "", plan=plan) for n in range(size)]


def changed_rows(rows):
    """Every action reworded, led by someone else, with another status on the same day."""
    return [row | {"Action": f"{row['Action']} (revised)", "Leads": f"{row['Plan']} new lead", "Status": "Off track"} for row in rows]


@pytest.fixture
def as_postgresql_batches(monkeypatch):
    # Django splits an SQLite insert at 999 parameters, SQLite's limit before 3.32 (now 32,766):
    # 40 actions then take two INSERTs, a second batch rather than a query per row. The count is
    # taken as PostgreSQL runs it, one statement per table.
    if connection.vendor == "sqlite":
        monkeypatch.setattr(connection.features, "max_query_params", 32_766)


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(as_postgresql_batches):
    UnitFactory(name="Older People and Physical Disability", short_name="OPPD")
    LeadFactory(name="Jane Smith")
    measured = {}
    for size in (10, 40):
        plan = f"Plan of {size} actions"
        # An owning unit, and initials alone (a new lead beside Jane Smith, and a warning) cost no query a row.
        rows = [row | {"Owning unit": "oppd", "Leads": f"{row['Leads']}; JS"} for row in sized_rows(size, plan)]
        milestones = {"milestone_data": csv_bytes(sized_milestones(size, plan), MILESTONE_HEADERS), "milestone_filename": "m.csv"}
        steps = {}
        for step, step_rows in [("new", rows), ("unchanged", rows), ("changed", changed_rows(rows))]:
            with CaptureQueriesContext(connection) as queries:
                result = run_import(step_rows, **milestones)
            steps[step] = len(queries)
            assert result.actions_updated == (size if step == "changed" else 0)
        measured[size] = steps
    assert measured[10] == measured[40], measured
    # One query per table read or written (and the transaction's own; the units, as the file names one; on
    # PostgreSQL the lock on the plans' and leads' names; the plan's tally counted again: seven), whatever the
    # number of rows.
    assert measured[40]["new"] <= 40 and measured[40]["unchanged"] <= 12 and measured[40]["changed"] <= 40, measured


def test_a_new_action_gets_one_history_record_that_holds_its_leads():
    run_import([action_row("1", Leads="Margaret Howard; Anne Tidmarsh")])
    one = action("1")
    (record,) = one.history.all()
    assert record.history_type == "+" and record.text == "Carry out action 1"
    lead_history = m2m_history_model(Action, "leads")
    assert sorted(lead_history.objects.filter(history=record).values_list("lead__name", flat=True)) == [
        "Anne Tidmarsh", "Margaret Howard",
    ]
    assert one.version == 1 and one.sort_key == "000001" and one.due_date is None


def test_changed_leads_show_on_the_action_pages_history():
    run_import([action_row("1", Leads="Margaret Howard")])
    run_import([action_row("1", Leads="Anne Tidmarsh")])
    one = action("1")
    assert one.history.count() == 2
    changes = [(change.field, change.old, change.new) for change in action_changes(one) if change.field]
    assert changes == [("Leads", "Margaret Howard", "Anne Tidmarsh")]


def test_the_version_moves_only_when_the_action_changes():
    rows = [action_row("1", Status="On track", Progress="Started", Progress_date="2010-06-30"), action_row("2")]
    run_import(rows)
    assert dict(Action.objects.values_list("number", "version")) == {"1": 1, "2": 1}
    rows[0]["Progress"] = "Started and half done"  # the progress only: no history record for the action
    run_import(rows)
    assert dict(Action.objects.values_list("number", "version")) == {"1": 2, "2": 1}
    assert action("1").history.count() == 1
    rows[1]["Action"] = "Carry out action 2 in full"
    run_import(rows)
    assert dict(Action.objects.values_list("number", "version")) == {"1": 2, "2": 2}


def test_an_existing_action_can_refer_to_one_the_same_file_adds():
    run_import([action_row("1.1"), action_row("1.2", Action="Audit")])
    result = run_import([action_row("1.1"), action_row("1.2", Action="See 1.3"), action_row("1.3", Action="See 1.4"), action_row("1.4")])
    assert action("1.2").cross_reference == action("1.3") and action("1.3").cross_reference == action("1.4")
    assert outcomes_of(result) == [(2, UNCHANGED), (3, UPDATED), (4, NEW), (5, NEW)]
    # Each new action has one history record, made after its cross-reference was set.
    assert action("1.3").history.get().cross_reference_id == action("1.4").pk


def test_a_dry_run_writes_no_history_either():
    before = counts()
    run_import(sized_rows(5, PLAN), dry_run=True)
    assert counts() == before


def test_text_that_looks_like_a_formula_is_exported_safely_and_imports_back_as_written():
    texts = {"1": "- Streamline the documents", "2": "=HYPERLINK(\"http://example.com\")", "3": "+44 support line", "4": "@risk review"}
    run_import([action_row(number, Action=text) for number, text in texts.items()])
    content, _, _ = export.export_plan(Plan.objects.get(), datetime.date(2011, 1, 1), "csv")
    written = {row[ALL_COLUMNS.index("Action No")]: row[ALL_COLUMNS.index("Action")] for row in csv.reader(io.StringIO(content.decode()))}
    assert {number: written[number] for number in texts} == {number: f"'{text}" for number, text in texts.items()}
    before = counts()
    assert spreadsheet.import_plan_file(content, "export.csv").actions_unchanged == 4
    assert counts() == before
    xlsx_content, _, _ = export.export_plan(Plan.objects.get(), datetime.date(2011, 1, 1), "xlsx")
    assert spreadsheet.import_plan_file(xlsx_content, "export.xlsx").actions_unchanged == 4


def test_a_recommendation_cell_merged_over_its_actions_belongs_to_each_of_them():
    headers = ["Plan", "Area", "Recommendation No", "Recommendation", "Action No", "Action"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    sheet.append([PLAN, "Safeguarding adults", "1", "Improve the identification of ongoing risks", "1.1", "Streamline"])
    sheet.append([None, None, None, None, "1.2", "Audit"])
    sheet.append([None, None, None, None, "1.3", "Train"])
    for column in "ABCD":
        sheet.merge_cells(f"{column}2:{column}4")
    out = io.BytesIO()
    workbook.save(out)
    spreadsheet.import_plan_file(out.getvalue(), "kent.xlsx")
    assert [(a.number, a.recommendation.number, a.area.title) for a in Action.objects.order_by("sort_key")] == [
        ("1.1", "1", "Safeguarding adults"), ("1.2", "1", "Safeguarding adults"), ("1.3", "1", "Safeguarding adults"),
    ]
    assert Recommendation.objects.get().text == "Improve the identification of ongoing risks"


# --- Issue 11: nothing lost, nothing repeated -------------------------------------------------


def test_a_progress_update_typed_in_a_browser_is_recognised_not_repeated(olivia):
    run_import([action_row("1")])
    typed = ProgressUpdateFactory(
        action=action("1"), date=datetime.date(2010, 6, 30), narrative="First line\r\n\r\nSecond  line ", status="",
        author=olivia,
    )
    history = ProgressUpdate.history.count()
    rows = [action_row("1", Progress="First line\n\nSecond line", Progress_date="30/06/2010")]
    result = run_import(rows)
    assert list(ProgressUpdate.objects.values_list("id", "narrative", "source")) == [
        (typed.pk, "First line\r\n\r\nSecond  line ", ProgressUpdate.WEB)
    ]
    assert outcomes_of(result) == [(2, UNCHANGED)] and result.progress_updates == 0
    assert ProgressUpdate.history.count() == history
    # The same words on another day are another update.
    run_import([action_row("1", Progress="First line\n\nSecond line", Progress_date="2010-07-01")])
    assert ProgressUpdate.objects.count() == 2


def test_a_status_reported_after_the_latest_narrative_is_exported_with_its_own_day():
    run_import([action_row("1", Timescale="March 2011", Status="On track", Progress="Started", Progress_date="2010-06-30")])
    one = action("1")
    ProgressUpdateFactory(action=one, date=datetime.date(2010, 9, 30), narrative="", status=rag.OFF_TRACK)
    row = as_dicts(exported(Plan.objects.get(), datetime.date(2011, 1, 1))[0][""])[0]
    assert (row["Status"], row["Status date"], row["Progress"], row["Progress date"]) == (
        "Off track", "2010-09-30", "Started", "2010-06-30",
    )
    # Imported again, the older update keeps its own status; nothing is added.
    before = counts()
    content = export.export_plan(Plan.objects.get(), datetime.date(2011, 1, 1), "csv")[0]
    assert spreadsheet.import_plan_file(content, "export.csv").actions_unchanged == 1
    assert counts() == before
    assert list(one.progress_updates.values_list("date", "status")) == [
        (datetime.date(2010, 6, 30), rag.ON_TRACK), (datetime.date(2010, 9, 30), rag.OFF_TRACK),
    ]


def test_a_status_with_a_status_date_is_recorded_on_that_day():
    run_import([action_row("1", Status="Off track", Status_date="2011-01-15", Progress="Waits", Progress_date="2010-12-31")])
    assert list(action("1").progress_updates.values_list("date", "narrative", "status")) == [
        (datetime.date(2010, 12, 31), "Waits", ""), (datetime.date(2011, 1, 15), "", rag.OFF_TRACK),
    ]
    assert action("1").status_on(datetime.date(2011, 1, 1)) == ""


def test_reimport_clears_a_cross_reference_the_file_no_longer_has():
    run_import([action_row("1.1"), action_row("1.2", Action="See 1.1"), action_row("1.3", Timescale="Refer to 1.1")])
    assert action("1.2").cross_reference == action("1.1") and action("1.3").cross_reference == action("1.1")
    result = run_import([action_row("1.1"), action_row("1.2", Action="Audit the files"), action_row("1.3", Timescale="June 2011")])
    assert action("1.2").cross_reference is None and action("1.3").cross_reference is None
    assert outcomes_of(result) == [(2, UNCHANGED), (3, UPDATED), (4, UPDATED)]
    assert action("1.2").history.first().cross_reference_id is None


def test_a_cross_reference_set_by_hand_stays_when_the_wording_never_had_one():
    run_import([action_row("1.1"), action_row("1.2", Action="Audit the files")])
    Action.objects.filter(number="1.2").update(cross_reference=action("1.1"))
    assert outcomes_of(run_import([action_row("1.1"), action_row("1.2", Action="Audit the files")])) == [
        (2, UNCHANGED), (3, UNCHANGED),
    ]
    assert action("1.2").cross_reference == action("1.1")


def test_cells_longer_than_their_fields_are_row_errors_and_nothing_is_saved():
    rows = [
        action_row("1", Action="a" * 4001),
        action_row("2", Progress="p" * 10_412, Progress_date="2010-06-30", Expected_evidence="e" * 10_000),
    ]
    assert [str(error) for error in import_errors(rows)] == [
        "Row 2, column 'Action': Action is 4,001 characters; the most is 4,000",
        "Row 3, column 'Progress': Progress is 10,412 characters; the most is 10,000",
    ]
    assert counts()["Action"] == 0


# --- Owning unit ----------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["Older People and Physical Disability", "  older people AND physical  disability", "oppd", "OPPD"])
def test_the_owning_unit_is_found_by_name_or_short_name(division, written):
    run_import([action_row("1", Owning_unit=written), action_row("2")])
    assert Plan.objects.get().unit == division


def test_an_unknown_or_ambiguous_owning_unit_is_a_row_error(directorate, division):
    UnitFactory(name="Safeguarding", short_name="SG1", parent=division)
    UnitFactory(name="Safeguarding", short_name="SG2", parent=directorate)
    errors = import_errors([action_row("1", Owning_unit="Foo"), action_row("1", Plan="Other", Owning_unit="Safeguarding")])
    assert [str(error) for error in errors] == [
        "Row 2, column 'Owning unit': 'Foo' is not a unit: use the name or short name of one in Admin > Organisation units",
        "Row 3, column 'Owning unit': 'Safeguarding' is the name of 2 units (Safeguarding in Adult Social Care, "
        "Safeguarding in Older People and Physical Disability): use a name or short name only one unit has",
    ]
    run_import([action_row("1", Owning_unit="sg2")])
    assert Plan.objects.get().unit.parent == directorate


def test_the_unit_chosen_for_the_import_goes_to_plans_that_name_none_and_the_file_wins(division, other_division):
    rows = [action_row("1"), action_row("1", Plan="Named plan", Owning_unit="LDMH")]
    result = run_import(rows, unit=division)
    assert dict(Plan.objects.values_list("title", "unit__short_name")) == {PLAN: "OPPD", "Named plan": "LDMH"}
    assert warnings_of(result) == [
        "Row 3, column 'Owning unit': the file gives plan 'Named plan' to Learning Disability and Mental Health, "
        "so the unit chosen on the import page (Older People and Physical Disability) does not apply to it"
    ]
    # Without a choice, a plan whose rows name no unit keeps its own.
    run_import([action_row("1")])
    assert Plan.objects.get(title=PLAN).unit == division


def test_the_owning_unit_is_exported_and_imports_back(division):
    run_import([action_row("1", Owning_unit="oppd")])
    plan = Plan.objects.get()
    row = as_dicts(exported(plan, datetime.date(2011, 1, 1))[0][""])[0]
    assert row["Owning unit"] == "Older People and Physical Disability"
    before = counts()
    content = export.export_plan(plan, datetime.date(2011, 1, 1), "xlsx")[0]
    assert spreadsheet.import_plan_file(content, "export.xlsx").actions_unchanged == 1
    assert counts() == before


# --- How leads were found -------------------------------------------------------------------


def test_each_row_says_how_its_leads_were_found():
    LeadFactory(name="Margaret Howard")
    LeadFactory(name="Anne Tidmarsh", initials="AT")
    result = run_import([action_row("1", Leads="margaret howard; AT; Nick Sherlock"), action_row("2", Leads="Nick Sherlock")])
    assert [outcome.details for outcome in result.outcomes] == [
        ("Leads: margaret howard: existing lead; AT: existing lead Anne Tidmarsh (AT), by its initials; "
         "Nick Sherlock: new lead",),
        ("Leads: Nick Sherlock: new lead",),
    ]


@pytest.mark.parametrize(
    "existing, beside",
    [
        ([("Jane Smith", "JS"), ("John Small", "JS")], "Jane Smith (JS) and John Small (JS)"),  # initials of two leads
        ([("Jane Smith", "")], "Jane Smith"),  # a name whose initials are J S
    ],
)
def test_a_new_lead_of_initials_another_lead_has_is_a_warning(existing, beside):
    for name, initials in existing:
        LeadFactory(name=name, initials=initials)
    result = run_import([action_row("1", Leads="JS"), action_row("2", Leads="JS")])
    assert warnings_of(result) == [
        f"Row 2, column 'Leads': 'JS' is added as a new lead, beside {beside} with the same initials: "
        "if they are the same person, write that lead's name instead"
    ]


def test_a_lead_written_with_its_initials_is_that_lead_or_a_new_one_with_them():
    jane = LeadFactory(name="Jane Smith", initials="JS")
    run_import([action_row("1", Leads="Jane Smith (JS); Alison Hughes (AH)")])
    assert sorted(action("1").leads.values_list("name", "initials")) == [("Alison Hughes", "AH"), ("Jane Smith", "JS")]
    assert action("1").leads.get(name="Jane Smith") == jane


# --- What the import says it did -------------------------------------------------------------


def test_the_message_counts_plans_actions_milestones_and_progress_updates():
    rows = sample_rows()
    data = xlsx_bytes(("Plan", headers_of(rows), rows), ("Milestones", MILESTONE_HEADERS, sample_milestones()))
    first = spreadsheet.import_plan_file(data, "plan.xlsx")
    # Three updates: 1.1's progress, 2.1's completion and 2.2's status, both on the source date.
    assert first.message == (
        "Imported 1 plan: 5 actions, 3 milestones, 3 progress updates. "
        "New: 5 actions, 3 milestones, 3 progress updates, 3 leads."
    )
    assert spreadsheet.import_plan_file(data, "plan.xlsx", dry_run=True).message == (
        "Would import 1 plan: 5 actions, 3 milestones, 3 progress updates. Nothing would change."
    )
    rows[0]["Action"] = "Reworded"
    assert spreadsheet.import_plan_file(xlsx_bytes(("Plan", headers_of(rows), rows)), "plan.xlsx").message == (
        "Imported 1 plan: 5 actions, 0 milestones, 3 progress updates. Updated: 1 action."
    )


def test_errors_of_the_milestones_sheet_name_its_sheet_and_its_own_row():
    rows = [action_row("1"), action_row("2"), action_row("3", Status="Sort of")]
    milestones = [milestone_row("1", "Fine"), milestone_row("2", "Fine"), milestone_row("7", "No such action")]
    data = xlsx_bytes(("Plan", headers_of(rows), rows), ("Milestones", MILESTONE_HEADERS, milestones))
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file(data, "plan.xlsx")
    assert [(error.sheet, error.row, error.column) for error in info.value.errors] == [
        ("", 4, "Status"), ("Milestones", 4, "Action No"),
    ]
    assert str(info.value.errors[1]) == f"Milestones sheet, row 4, column 'Action No': no action 7 in plan '{PLAN}'"


# --- The Progress sheet ---------------------------------------------------------------------


PROGRESS_HEADERS = ["Plan", "Action No", "Date", "Status", "Progress"]


def test_a_progress_sheet_restores_every_update_with_its_own_status():
    rows = [action_row("1", Status="At risk", Progress="Second", Progress_date="2010-09-30")]
    progress = [
        [PLAN, "1", datetime.datetime(2010, 6, 30), "On track", "First\nof two lines"],
        [PLAN, "1", "30/09/2010", "at risk", "Second"],
        [PLAN, "1", "2010-10-15", "", "A note, no status"],
    ]
    data = xlsx_bytes(("Plan", headers_of(rows), rows), ("Progress", PROGRESS_HEADERS, progress))
    result = spreadsheet.import_plan_file(data, "plan.xlsx")
    assert list(action("1").progress_updates.values_list("date", "status", "narrative")) == [
        (datetime.date(2010, 6, 30), rag.ON_TRACK, "First\nof two lines"),
        (datetime.date(2010, 9, 30), rag.AT_RISK, "Second"),  # the plan row's progress is the same update
        (datetime.date(2010, 10, 15), "", "A note, no status"),
    ]
    assert [(o.sheet, o.row, o.outcome) for o in result.outcomes] == [
        ("", 2, NEW), ("Progress", 2, NEW), ("Progress", 3, NEW), ("Progress", 4, NEW),
    ]
    assert result.message.startswith("Imported 1 plan: 1 action, 0 milestones, 3 progress updates.")
    before = counts()
    again = spreadsheet.import_plan_file(data, "plan.xlsx")
    assert {o.outcome for o in again.outcomes} == {UNCHANGED} and counts() == before


def test_a_progress_sheet_row_changed_in_the_file_corrects_the_update_it_loaded():
    rows = [action_row("1")]
    progress = [[PLAN, "1", "2010-06-30", "On track", "Started"]]
    spreadsheet.import_plan_file(xlsx_bytes(("Plan", headers_of(rows), rows), ("Progress", PROGRESS_HEADERS, progress)), "p.xlsx")
    progress = [[PLAN, "1", "2010-06-30", "At risk", "Started late"], [PLAN, "1", "2010-07-31", "", "Caught up"]]
    result = spreadsheet.import_plan_file(
        xlsx_bytes(("Plan", headers_of(rows), rows), ("Progress", PROGRESS_HEADERS, progress)), "p.xlsx"
    )
    assert list(action("1").progress_updates.values_list("date", "status", "narrative")) == [
        (datetime.date(2010, 6, 30), rag.AT_RISK, "Started late"), (datetime.date(2010, 7, 31), "", "Caught up"),
    ]
    assert [(o.sheet, o.outcome) for o in result.outcomes] == [("", UNCHANGED), ("Progress", UPDATED), ("Progress", NEW)]
    assert action("1").version == 2  # a form opened before the import cannot overwrite it


def test_progress_sheet_rows_are_checked_and_name_their_sheet():
    rows = [action_row("1")]
    progress = [[PLAN, "1", "never", "", "x"], [PLAN, "9", "2010-06-30", "", "x"], [PLAN, "1", "2010-06-30", "Maybe", "x"]]
    with pytest.raises(spreadsheet.ImportErrors) as info:
        spreadsheet.import_plan_file(xlsx_bytes(("Plan", headers_of(rows), rows), ("Progress", PROGRESS_HEADERS, progress)), "p.xlsx")
    assert [(e.sheet, e.row, e.column) for e in info.value.errors] == [
        ("Progress", 2, "Date"), ("Progress", 3, "Action No"), ("Progress", 4, "Status"),
    ]


# --- Workbooks and CSV as Excel opens them ---------------------------------------------------


def test_the_csv_download_has_a_byte_order_mark_and_imports_back():
    run_import([action_row("1", Action="Review – the officer’s plan", Timescale="January – March 2011")])
    content = export.export_plan(Plan.objects.get(), datetime.date(2011, 1, 1), "csv")[0]
    assert content.startswith(b"\xef\xbb\xbfPlan,")
    before = counts()
    assert spreadsheet.import_plan_file(content, "export.csv").actions_unchanged == 1
    assert counts() == before


def test_the_workbook_download_has_date_cells_and_rag_colours():
    from openpyxl import load_workbook

    run_import(sample_rows())
    content = export.export_plan(Plan.objects.get(), datetime.date(2010, 7, 1), "xlsx")[0]
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook["Plan"]
    headers = [cell.value for cell in sheet[1]]
    first = {header: cell for header, cell in zip(headers, sheet[2])}
    for name in ("Source date", "Due date", "Progress date"):
        assert first[name].is_date and first[name].number_format == "dd/mm/yyyy", name
    assert (first["RAG"].value, first["RAG"].fill.fgColor.rgb[-6:]) == ("Green", "CCE2D8")
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert workbook["Progress"]["C2"].is_date


def test_dates_are_read_from_date_cells_and_from_text_in_a_workbook():
    rows = [
        action_row("1", Source_date=datetime.datetime(2010, 3, 31), Due_date=datetime.date(2011, 6, 30), Status="On track",
                   Progress="x", Progress_date=datetime.datetime(2010, 6, 30)),
        action_row("2", Source_date="31/03/2010", Due_date="2011-06-30", Status="On track", Progress="y", Progress_date="30.6.10"),
    ]
    spreadsheet.import_plan_file(xlsx_bytes(("Plan", headers_of(rows), rows)), "plan.xlsx")
    for number in ("1", "2"):
        assert action(number).due_date == datetime.date(2011, 6, 30)
        assert action(number).progress_updates.get().date == datetime.date(2010, 6, 30)
    assert Plan.objects.get().source_date == datetime.date(2010, 3, 31)


def test_recommendation_cells_merged_over_several_rows_belong_to_each_of_their_actions():
    headers = ["Plan", "Area", "Recommendation No", "Recommendation", "Measurable indicator", "Desired outcome", "Action No", "Action"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    sheet.append([PLAN, "Safeguarding adults", "1", "Improve risk practice", "70% good", "People are safer", "1.1", "Streamline"])
    sheet.append([None, None, None, None, None, None, "1.2", "Audit"])
    sheet.append([None, None, None, None, None, None, "1.3", "Train"])
    sheet.append([None, "Leadership", "2", "Refresh the HR strategy", "", "", "2.1", "Consult"])
    sheet.append([None, None, None, None, "", "", "2.2", "Publish"])
    sheet.merge_cells("A2:A6")
    for column in "BCDEF":
        sheet.merge_cells(f"{column}2:{column}4")
    for column in "BCD":
        sheet.merge_cells(f"{column}5:{column}6")
    out = io.BytesIO()
    workbook.save(out)
    spreadsheet.import_plan_file(out.getvalue(), "kent.xlsx")
    assert [(a.number, a.area.title, a.recommendation.number) for a in Action.objects.order_by("sort_key")] == [
        ("1.1", "Safeguarding adults", "1"), ("1.2", "Safeguarding adults", "1"), ("1.3", "Safeguarding adults", "1"),
        ("2.1", "Leadership", "2"), ("2.2", "Leadership", "2"),
    ]
    first = Recommendation.objects.get(number="1")
    assert (first.text, first.measurable_indicator, first.desired_outcome) == ("Improve risk practice", "70% good", "People are safer")


def test_a_milestone_done_on_a_day_keeps_that_day_through_a_round_trip():
    run_import([action_row("1")])
    Milestone.objects.create(action=action("1"), activity="Draft", date_text="June 2010", completed=True,
                             completed_on=datetime.date(2010, 6, 20))
    content = export.export_plan(Plan.objects.get(), datetime.date(2011, 1, 1), "xlsx")[0]
    wipe_plans()
    spreadsheet.import_plan_file(content, "export.xlsx")
    assert list(Milestone.objects.values_list("activity", "completed", "completed_on")) == [
        ("Draft", True, datetime.date(2010, 6, 20))
    ]


def test_the_import_command_takes_the_unit_for_plans_that_name_none(division, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "plan.csv"
    path.write_bytes(csv_bytes([action_row("1")]))
    call_command("import_plan", str(path), "--unit", " oppd ", stdout=io.StringIO(), stderr=io.StringIO())
    assert Plan.objects.get().unit == division
    with pytest.raises(CommandError, match="--unit 'Nowhere' is not a unit: use the name or short name of one"):
        call_command("import_plan", str(path), "--unit", "Nowhere", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_lead_whose_initials_are_not_letters_alone_comes_back_from_an_export_as_itself():
    odd = LeadFactory(name="Jane Smith", initials="J.S.")
    run_import([action_row("1", Leads="Jane Smith"), action_row("2", Leads="NHS Sefton (the PCT)")])
    row = as_dicts(exported(Plan.objects.get(), datetime.date(2011, 1, 1))[0][""])[0]
    assert row["Leads"] == "Jane Smith (J.S.)"
    before = counts()
    content = export.export_plan(Plan.objects.get(), datetime.date(2011, 1, 1), "csv")[0]
    assert spreadsheet.import_plan_file(content, "export.csv").actions_unchanged == 2
    assert counts() == before and list(action("1").leads.all()) == [odd]
    assert Lead.objects.filter(name="NHS Sefton (the PCT)").exists()


# --- What a re-import writes ---------------------------------------------------------------------


def test_a_re_import_writes_only_the_columns_the_file_changes():
    """An import wrote every column of every action it changed, over whatever else had changed meanwhile."""
    rows = [action_row(str(n), Expected_evidence=f"Evidence {n}", Timescale="March 2011") for n in range(1, 4)]
    run_import(rows)
    rows[1]["Action"] = "Carry out action 2, reworded"
    with CaptureQueriesContext(connection) as queries:
        run_import(rows)
    updates = [query["sql"] for query in queries.captured_queries if query["sql"].startswith('UPDATE "actionplans_action"')]
    written = [sql for sql in updates if '"text" =' in sql]
    assert len(written) == 1
    for column in ("expected_evidence", "timescale", "due_date", "area_id", "recommendation_id", "sort_key"):
        assert f'"{column}" =' not in written[0], column
    assert Action.objects.get(number="2").text == "Carry out action 2, reworded"


def test_a_milestones_sheet_without_a_completed_column_leaves_milestones_done_on_the_web_done():
    headers = ["Plan", "Action No", "Milestone", "Date"]
    milestones = [milestone_row("1", "Draft the tool", "June 2010")[:4]]
    data = xlsx_bytes(("Plan", headers_of([action_row("1")]), [action_row("1")]), ("Milestones", headers, milestones))
    spreadsheet.import_plan_file(data, "plan.xlsx")
    Milestone.objects.update(completed=True, completed_on=datetime.date(2010, 6, 1))
    spreadsheet.import_plan_file(data, "plan.xlsx")
    assert Milestone.objects.get().completed
