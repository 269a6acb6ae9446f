"""Reading the plan format (actionplans.spreadsheet.parse): cells in, typed rows and errors out.

None of these tests is marked django_db, so pytest-django would fail any of them that
queried the database: parsing, and the rules `save.check` feeds with what is saved,
are pure functions.
"""

import datetime

import pytest

from actionplans import rag, timescales
from actionplans.models import Plan
from actionplans.spreadsheet.columns import PLAN_COLUMNS
from actionplans.spreadsheet.parse import (
    MilestoneRow,
    PlanFacts,
    cross_row_errors,
    dangling_references,
    merge_recommendations,
    parse_milestone_row,
    parse_plan_row,
    parse_plan_table,
    plan_facts,
    settle_statuses,
    UpdateRow,
    parse_progress_row,
    settle_update_statuses,
    split_sheets,
    unknown_actions,
    unknown_milestone_actions,
)
from core.spreadsheets import SpreadsheetFile, make_table

REQUIRED = {"Plan": "Sefton plan", "Area": "Safeguarding adults", "Action No": "1.1", "Action": "Audit case files"}
MARCH_2010 = datetime.date(2010, 3, 31)


def row(number=2, **cells):
    """A parsed row of the required cells plus `cells` (underscores for spaces); it must have no error."""
    parsed, errors = parse_plan_row(number, cells_of(cells))
    assert errors == []
    return parsed


def cells_of(cells):
    return REQUIRED | {name.replace("_", " "): value for name, value in cells.items()}


def errors_of(**cells):
    return [(error.column, error.reason) for error in parse_plan_row(2, cells_of(cells))[1]]


# --- One row --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({}, {"plan": "Sefton plan", "area": "Safeguarding adults", "action_number": "1.1", "action": "Audit case files"}),
        ({"Source": "cqc"}, {"source": Plan.CQC_INSPECTION}),
        ({"Source": " Business   PLAN "}, {"source": Plan.BUSINESS_PLAN}),
        ({"Source": "annual_performance_assessment"}, {"source": Plan.ANNUAL_PERFORMANCE_ASSESSMENT}),
        ({"Source": ""}, {"source": None}),
        ({"Source_date": "31/03/2010"}, {"source_date": MARCH_2010}),
        ({"Source_date": datetime.datetime(2010, 3, 31)}, {"source_date": MARCH_2010}),
        ({"Leads": " Anne Tidmarsh;Nick  Sherlock ; ;DSVAB;"}, {"leads": ("Anne Tidmarsh", "Nick Sherlock", "DSVAB")}),
        ({"Action_No": 3.0, "Recommendation_No": 12}, {"action_number": "3", "recommendation_number": "12"}),
        ({"Status": " on track "}, {"status_written": "on track", "status": None, "reported_on": None}),
        ({"Progress": "Started", "Progress_date": "1.7.10"}, {"progress": "Started", "progress_date": datetime.date(2010, 7, 1)}),
        ({"Action": "See 1.2"}, {"reference": "1.2", "reference_column": "Action"}),
        ({"Action": "see action 12.1a."}, {"reference": "12.1a", "reference_column": "Action"}),
        ({"Timescale": "Refer to 13.1"}, {"reference": "13.1", "reference_column": "Timescale"}),
        ({"Action": "cf. 2", "Timescale": "See 2"}, {"reference": "2", "reference_column": "Action"}),
        ({"Action": "Seen by 2 people"}, {"reference": None, "reference_column": ""}),
        # The Action is read by the timescales' own rule (timescales.REFERENCE_RE), so both columns agree.
        ({"Action": "As per 2.1"}, {"reference": "2.1", "reference_column": "Action"}),
        ({"Action": "Covered by 3.1 above"}, {"reference": "3.1", "reference_column": "Action"}),
        ({"Owning_unit": "  older people   and PD "}, {"unit": "older people and PD"}),
        (
            {"Status": "At risk", "Status_date": "15/01/2011", "Progress": "Waits", "Progress_date": "2010-12-31"},
            {"status_date": datetime.date(2011, 1, 15), "progress_date": datetime.date(2010, 12, 31)},
        ),
    ],
)
def test_a_row_becomes_typed_values(cells, expected):
    parsed = row(**cells)
    assert {name: getattr(parsed, name) for name in expected} == expected


def test_the_row_knows_which_columns_the_file_has():
    parsed = row(Leads="", Timescale="")
    assert parsed.columns == {"Plan", "Area", "Action No", "Action", "Leads", "Timescale"}
    assert parsed.has("Leads") and not parsed.has("Status")


@pytest.mark.parametrize(
    "timescale, due, kind, due_date_set",
    [
        ("March 2011", "", timescales.DATED, None),
        ("March 2011", "31/03/2011", timescales.DATED, None),  # the timescale's own date: no override
        ("March 2011", "2011-06-30", timescales.DATED, datetime.date(2011, 6, 30)),
        ("Ongoing", "30/09/2011", timescales.NO_DATE, datetime.date(2011, 9, 30)),
        ("", "", timescales.EMPTY, None),
    ],
)
def test_the_timescale_is_read_and_a_due_date_is_an_override_only_when_it_differs(timescale, due, kind, due_date_set):
    parsed = row(Timescale=timescale, Due_date=due)
    assert (parsed.timescale.text, parsed.timescale.kind, parsed.due_date_set) == (timescale, kind, due_date_set)


NUMBER_REASON = (
    "is a number in the spreadsheet, so Excel may have dropped a trailing zero (1.10 becomes 1.1): "
    "format the column as text and type it again"
)


@pytest.mark.parametrize(
    "cells, errors",
    [
        ({"Plan": ""}, [("Plan", "is required and is empty")]),
        ({"Area": " ", "Action": None}, [("Area", "is required and is empty"), ("Action", "is required and is empty")]),
        ({"Action_No": "1." * 11}, [("Action No", "Action No is 22 characters; the most is 20")]),
        ({"Plan": "P" * 301}, [("Plan", "Plan is 301 characters; the most is 300")]),
        (
            {"Recommendation_No": "1", "Recommendation_page": "p" * 51},
            [("Recommendation page", "Recommendation page is 51 characters; the most is 50")],
        ),
        (
            {"Progress": "p" * 10_412, "Progress_date": "2010-06-30"},
            [("Progress", "Progress is 10,412 characters; the most is 10,000")],
        ),
        ({"Action": "a" * 4001}, [("Action", "Action is 4,001 characters; the most is 4,000")]),
        ({"Expected_evidence": "e" * 10_001}, [("Expected evidence", "Expected evidence is 10,001 characters; the most is 10,000")]),
        ({"Timescale": "t" * 1001}, [("Timescale", "Timescale is 1,001 characters; the most is 1,000")]),
        (
            {"Recommendation_No": "1", "Recommendation": "r" * 4001, "Measurable_indicator": "m" * 4001,
             "Desired_outcome": "d" * 4002},
            [
                ("Recommendation", "Recommendation is 4,001 characters; the most is 4,000"),
                ("Measurable indicator", "Measurable indicator is 4,001 characters; the most is 4,000"),
                ("Desired outcome", "Desired outcome is 4,002 characters; the most is 4,000"),
            ],
        ),
        ({"Status_date": "2010-06-30"}, [("Status date", "is given but Status is empty: give the status reported on that day, or clear the date")]),
        ({"Status": "On track", "Status_date": "June"}, [("Status date", "'June' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")]),
        ({"Action_No": 1.1}, [("Action No", NUMBER_REASON)]),
        ({"Recommendation_No": 2.1}, [("Recommendation No", NUMBER_REASON)]),
        (
            {"Source": "Parliament"},
            [("Source", "'Parliament' is not a plan source; use one of CQC inspection, CQC assessment, "
                        "Annual performance assessment, Ofsted, Business plan, Internal audit, Other")],
        ),
        ({"Source_date": "March 2010"}, [("Source date", "'March 2010' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")]),
        ({"Due_date": "31/02/2011"}, [("Due date", "'31/02/2011' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")]),
        ({"Recommendation": "Improve risk practice"}, [("Recommendation No", "is needed when Recommendation is given")]),
        ({"Progress": "Done"}, [("Progress date", "is needed when Progress is given: the date the progress was reported")]),
        ({"Progress": "Done", "Progress_date": "soon"}, [("Progress date", "'soon' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")]),
        ({"Leads": "Anne; " + "N" * 201}, [("Leads", "a lead's name is longer than 200 characters")]),
        ({"Action": "See 1.1", "Timescale": "See 2.1"}, [("Timescale", "refers to action 2.1, but the Action refers to 1.1")]),
    ],
)
def test_each_problem_of_a_row_is_an_error_on_its_column(cells, errors):
    assert errors_of(**cells) == errors


def test_a_row_with_errors_is_still_read_so_rows_can_be_checked_together():
    parsed, errors = parse_plan_row(7, cells_of({"Due_date": "never", "Leads": "AH"}))
    assert [(error.row, error.column) for error in errors] == [(7, "Due date")]
    assert (parsed.row, parsed.due_date, parsed.leads) == (7, None, ("AH",))


# --- Rows together --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rows, errors",
    [
        ([{}, {"Action_No": "1.2"}], []),
        ([{}, {}], [(3, "Action No", "action 1.1 of 'Sefton plan' is also on row 2")]),
        ([{}, {"Plan": "Kent plan"}], []),  # the same number in another plan
        ([{"Source": "CQC inspection"}, {"Action_No": "2", "Source": "Ofsted"}], [(3, "Source", "differs from the source of the same plan on row 2")]),
        ([{"Source": "CQC inspection"}, {"Action_No": "2", "Source": ""}], []),
        (
            [{"Recommendation_No": "1", "Recommendation": "Improve"}, {"Action_No": "2", "Recommendation_No": "1", "Recommendation": "Other"}],
            [(3, "Recommendation", "recommendation 1 has different wording on row 2")],
        ),
        ([{"Recommendation_No": "1", "Recommendation": "Improve"}, {"Action_No": "2", "Recommendation_No": "1"}], []),
    ],
)
def test_rows_checked_against_each_other(rows, errors):
    parsed = [row(number, **cells) for number, cells in enumerate(rows, start=2)]
    assert [(error.row, error.column, error.reason) for error in cross_row_errors(parsed)] == errors


def test_a_recommendations_details_on_any_of_its_rows_belong_to_all_of_them():
    rows = [
        row(2, Recommendation_No="1", Recommendation="Improve risk practice", Recommendation_page=""),
        row(3, Action_No="1.2", Recommendation_No="1", Recommendation="", Recommendation_page="11", Measurable_indicator="70%"),
        row(4, Action_No="1.3", Recommendation_No="1", Recommendation_page="12"),
        row(5, Action_No="2.1", Recommendation_No="2"),
        row(6, Action_No="3"),
    ]
    merged = merge_recommendations(rows)
    details = [(r.recommendation, r.recommendation_page, r.measurable_indicator) for r in merged]
    assert details == [("Improve risk practice", "11", "70%")] * 3 + [("", "", "")] * 2
    assert [r.row for r in merged] == [2, 3, 4, 5, 6]


def test_the_plan_sheet_parsed_with_its_warnings():
    headers = ["Plan", "Source", "Area", "Action No", "Action", "Timescale", "Due date", "Comments", "RAG"]
    rows = [
        ["P", "CQC", "A", "1", "x", "When the system is live", "", "note", "Red"],
        ["P", "", "A", "2", "y", "When live", "2011-03-31", "", ""],  # a due date: nothing to review
        ["P", "", "A", "1", "z", "", "", "", ""],
    ]
    parsed = parse_plan_table(make_table([headers, *rows], PLAN_COLUMNS))
    assert [row.action_number for row in parsed.rows()] == ["1", "2", "1"]
    assert [str(error) for error in parsed.errors] == ["Row 4, column 'Action No': action 1 of 'P' is also on row 2"]
    # The export's own RAG columns are ignored without a word.
    assert [str(warning) for warning in parsed.warnings] == [
        "Column 'Comments' is not part of the plan format and was ignored.",
        "Row 2, column 'Timescale': 'When the system is live' names no date that can be read; kept as written and flagged for review.",
    ]


# --- Sheets ---------------------------------------------------------------------------------

PLAN_SHEET = [["Plan", "Area", "Action No", "Action"], ["P", "A", "1", "x"]]
MILESTONES = [["Plan", "Action No", "Milestone"], ["P", "1", "Draft"]]
HEADER_ONLY = MILESTONES[:1]
MILESTONES_AFTER_A_BLANK_ROW = [[], *MILESTONES]


PROGRESS = [["Plan", "Action No", "Date", "Status", "Progress"], ["P", "1", "2010-06-30", "", "Started"]]


@pytest.mark.parametrize(
    "sheets, separate, plan_rows, milestone_rows, progress_rows",
    [
        ({"": PLAN_SHEET}, None, PLAN_SHEET, None, None),
        ({"Plan": PLAN_SHEET, " milestones ": MILESTONES}, None, PLAN_SHEET, MILESTONES, None),
        ({"Plan": PLAN_SHEET, "Milestones": HEADER_ONLY}, None, PLAN_SHEET, None, None),  # nothing below its header
        ({"Plan": PLAN_SHEET, "Notes": MILESTONES}, None, PLAN_SHEET, None, None),  # only a sheet named Milestones
        ({"": PLAN_SHEET}, {"": MILESTONES}, PLAN_SHEET, MILESTONES, None),
        ({"": MILESTONES_AFTER_A_BLANK_ROW}, None, None, MILESTONES_AFTER_A_BLANK_ROW, None),  # a milestones file alone
        ({"Plan": PLAN_SHEET, "Milestones": MILESTONES, "PROGRESS": PROGRESS}, None, PLAN_SHEET, MILESTONES, PROGRESS),
        ({"Plan": PLAN_SHEET, "Progress": PROGRESS[:1]}, None, PLAN_SHEET, None, None),
        ({"Progress": PLAN_SHEET}, None, PLAN_SHEET, None, None),  # the first sheet is the plan, whatever its title
    ],
)
def test_which_sheet_holds_what(sheets, separate, plan_rows, milestone_rows, progress_rows):
    found = split_sheets(SpreadsheetFile(sheets), SpreadsheetFile(separate) if separate else None)
    assert found[0] is plan_rows and found[1] is milestone_rows and found[2] is progress_rows


# --- Milestone rows -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"Date": "June 2010", "Completed": "yes"}, ("June 2010", True)),
        ({"Date": "June 2010", "Completed": ""}, ("June 2010", False)),
        ({"Date": "April 2011", "Completed": "No"}, ("April 2011", False)),
        ({"Date": "", "Completed": "Done"}, ("", True)),
        ({"Date": "Draft completed", "Completed": "no"}, ("Draft completed", True)),  # the date says it is done
        ({}, ("", False)),
        ({"Completed": "yes", "Date completed": "20/06/2010"}, ("", True, datetime.date(2010, 6, 20))),
        ({"Completed": "yes", "Date completed": datetime.datetime(2010, 6, 20)}, ("", True, datetime.date(2010, 6, 20))),
    ],
)
def test_a_milestone_row(cells, expected):
    parsed, errors = parse_milestone_row(5, {"Plan": "P", "Action No": "1.10", "Milestone": "Draft"} | cells)
    assert errors == []
    assert parsed == MilestoneRow(5, "P", "1.10", "Draft", *expected)


@pytest.mark.parametrize(
    "cells, column, reason",
    [
        ({"Milestone": ""}, "Milestone", "is required and is empty"),
        ({"Action No": 1.1}, "Action No", NUMBER_REASON),
        ({"Completed": "maybe"}, "Completed", "'maybe' is not yes or no"),
        ({"Milestone": "m" * 4001}, "Milestone", "Milestone is 4,001 characters; the most is 4,000"),
        ({"Date": "d" * 201}, "Date", "Date is 201 characters; the most is 200"),
        ({"Completed": "yes", "Date completed": "soon"}, "Date completed", "'soon' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
        (
            {"Date completed": "2010-06-20"}, "Date completed",
            "is given but the milestone is not marked Completed: write yes in Completed, or clear the date",
        ),
    ],
)
def test_a_milestone_row_is_checked_up_to_its_first_problem(cells, column, reason):
    parsed, errors = parse_milestone_row(5, {"Plan": "P", "Action No": "1", "Milestone": "Draft"} | cells)
    assert parsed is None
    assert [(e.sheet, e.row, e.column, e.reason) for e in errors] == [("Milestones", 5, column, reason)]


# --- Rules fed with what is saved ------------------------------------------------------------


@pytest.mark.parametrize(
    "rows, saved, expected",
    [
        ([{}], {}, PlanFacts(rag.IMPROVEMENT, None)),
        ([{"Source": "Business plan"}], {}, PlanFacts(rag.BUSINESS, None)),
        # A saved plan keeps its scheme, whatever the file's source says.
        ([{"Source": "Business plan"}], {"Sefton plan": (rag.IMPROVEMENT, None)}, PlanFacts(rag.IMPROVEMENT, None)),
        ([{"Source_date": ""}, {"Action_No": "2", "Source_date": "2010-03-31"}], {}, PlanFacts(rag.IMPROVEMENT, MARCH_2010)),
        ([{}], {"Sefton plan": (rag.BUSINESS, MARCH_2010)}, PlanFacts(rag.BUSINESS, MARCH_2010)),
        ([{"Source_date": "2011-01-01"}], {"Sefton plan": (rag.IMPROVEMENT, MARCH_2010)}, PlanFacts(rag.IMPROVEMENT, datetime.date(2011, 1, 1))),
    ],
)
def test_what_a_plans_rows_need_to_know_of_it(rows, saved, expected):
    parsed = [row(number, **cells) for number, cells in enumerate(rows, start=2)]
    assert plan_facts(parsed, saved) == {"Sefton plan": expected}


IMPROVEMENT_2010 = PlanFacts(rag.IMPROVEMENT, MARCH_2010)
UNDATED = PlanFacts(rag.IMPROVEMENT, None)
STATUS_DATE = "is needed for the Status: give the date the status was reported, or the plan's Source date"


@pytest.mark.parametrize(
    "cells, facts, status, reported_on, errors",
    [
        ({"Status": "On track"}, IMPROVEMENT_2010, rag.ON_TRACK, MARCH_2010, []),
        ({"Status": "Done", "Progress_date": "2010-06-30"}, IMPROVEMENT_2010, rag.COMPLETED, datetime.date(2010, 6, 30), []),
        ({"Status": "Ongoing"}, PlanFacts(rag.BUSINESS, MARCH_2010), rag.ON_COURSE, MARCH_2010, []),
        ({"Status": ""}, IMPROVEMENT_2010, "", MARCH_2010, []),
        ({"Timescale": "Completed"}, IMPROVEMENT_2010, rag.COMPLETED, MARCH_2010, []),
        # "Completed" with no date at all: the timescale alone says it, no status is made up on a day.
        ({"Timescale": "In place", "Status": "Completed"}, UNDATED, "", None, []),
        ({"Status": "At risk"}, UNDATED, rag.AT_RISK, None, [("Progress date", STATUS_DATE)]),
        ({"Timescale": "Completed", "Status": "On track"}, UNDATED, rag.ON_TRACK, None, [("Progress date", STATUS_DATE)]),
        ({"Status": "Nearly there"}, IMPROVEMENT_2010, "", MARCH_2010, [("Status", "'Nearly there' is not a status of the improvement plan (brag) scheme; use one of Not started, On track, At risk, Off track, Completed (or Complete, Done, In place, Ongoing, In progress, Commenced)")]),
        ({"Status": "At risk"}, PlanFacts(rag.BUSINESS, MARCH_2010), "", MARCH_2010, [("Status", "'At risk' is not a status of the business plan scheme; use one of On course, Delayed, Completed, Cancelled (or Complete, Done, In place, Ongoing, In progress, Commenced)")]),
    ],
)
def test_statuses_are_settled_with_the_plans_scheme_and_the_day_they_count_from(cells, facts, status, reported_on, errors):
    parsed = row(**cells)
    (settled,), found = settle_statuses([parsed], {"Sefton plan": facts})
    assert (settled.status_written, settled.status, settled.reported_on) == (parsed.status_written, status, reported_on)
    assert [(error.column, error.reason) for error in found] == errors


def test_a_status_without_a_date_is_not_reported_twice_when_the_progress_date_is_already_wrong():
    parsed, earlier = parse_plan_row(2, cells_of({"Status": "On track", "Progress": "Started", "Progress date": "soon"}))
    _, found = settle_statuses([parsed], {"Sefton plan": UNDATED}, earlier)
    assert found == []


@pytest.mark.parametrize(
    "cells, saved, errors",
    [
        ({"Action": "See 1.1"}, set(), []),  # itself: on a row of the file
        ({"Action_No": "2", "Action": "See 1.5"}, {("Sefton plan", "1.5")}, []),
        ({"Action_No": "2", "Action": "See 1.5"}, {("Kent plan", "1.5")}, [(2, "Action", "refers to action 1.5, which is not in the plan")]),
        ({"Action_No": "2", "Timescale": "Refer to 9"}, set(), [(2, "Timescale", "refers to action 9, which is not in the plan")]),
    ],
)
def test_a_cross_reference_must_point_at_an_action_of_the_same_plan(cells, saved, errors):
    found = dangling_references([row(**cells)], saved)
    assert [(error.row, error.column, error.reason) for error in found] == errors


def test_a_milestone_needs_an_action_in_the_file_or_saved():
    milestones = [MilestoneRow(2, "Sefton plan", "1.1", "a", "", False), MilestoneRow(3, "Sefton plan", "7", "b", "", False),
                  MilestoneRow(4, "Kent plan", "7", "c", "", False), MilestoneRow(5, "Kent plan", "8", "d", "", False)]
    found = unknown_milestone_actions(milestones, [row()], {("Kent plan", "7")})
    assert [(e.sheet, e.row, e.reason) for e in found] == [
        ("Milestones", 3, "no action 7 in plan 'Sefton plan'"),
        ("Milestones", 5, "no action 8 in plan 'Kent plan'"),
    ]


# --- Progress rows --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cells, expected",
    [
        ({"Progress": "Started\r\nsecond line"}, UpdateRow(4, "P", "1.10", datetime.date(2010, 6, 30), "", "Started\nsecond line")),
        ({"Status": "On track"}, UpdateRow(4, "P", "1.10", datetime.date(2010, 6, 30), "On track", "")),
        (
            {"Date": datetime.datetime(2010, 6, 30), "Status": "at risk", "Progress": "=SUM(A1)"},
            UpdateRow(4, "P", "1.10", datetime.date(2010, 6, 30), "at risk", "=SUM(A1)"),
        ),
    ],
)
def test_a_progress_row(cells, expected):
    parsed, errors = parse_progress_row(4, {"Plan": "P", "Action No": "1.10", "Date": "30/06/2010"} | cells)
    assert (parsed, errors) == (expected, [])


@pytest.mark.parametrize(
    "cells, column, reason",
    [
        ({"Date": ""}, "Date", "is required and is empty"),
        ({"Date": "Q1"}, "Date", "'Q1' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"),
        ({"Progress": ""}, "Progress", "is empty and so is Status: an update reports one or both"),
        ({"Progress": "p" * 10_001}, "Progress", "Progress is 10,001 characters; the most is 10,000"),
        ({"Action No": 2.1}, "Action No", NUMBER_REASON),
    ],
)
def test_a_progress_row_is_checked_up_to_its_first_problem(cells, column, reason):
    parsed, errors = parse_progress_row(4, {"Plan": "P", "Action No": "2", "Date": "2010-06-30", "Progress": "x"} | cells)
    assert parsed is None
    assert [(e.sheet, e.row, e.column, e.reason) for e in errors] == [("Progress", 4, column, reason)]


def test_progress_statuses_are_each_updates_own_in_the_plans_scheme():
    rows = [
        UpdateRow(2, "P", "1", datetime.date(2010, 6, 30), "Ongoing", "Started"),
        UpdateRow(3, "P", "1", datetime.date(2010, 9, 30), "", "More"),
        UpdateRow(4, "P", "1", datetime.date(2010, 9, 30), "Nearly", ""),
    ]
    settled, errors = settle_update_statuses(rows, {"P": PlanFacts(rag.IMPROVEMENT, None)})
    assert [row.status for row in settled] == [rag.ON_TRACK, "", ""]
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Progress", 4, "Status")]


def test_the_owning_unit_of_a_plan_is_the_same_on_every_row_that_names_it():
    rows = [row(2, Owning_unit="OPPD"), row(3, Action_No="2", Owning_unit=" oppd "), row(4, Action_No="3"),
            row(5, Action_No="4", Owning_unit="LDMH")]
    assert [(e.row, e.column, e.reason) for e in cross_row_errors(rows)] == [
        (5, "Owning unit", "differs from the owning unit of the same plan on row 2"),
    ]


def test_progress_of_an_action_neither_in_the_file_nor_saved_is_an_error_on_the_progress_sheet():
    updates = [UpdateRow(6, "Sefton plan", "9", datetime.date(2010, 6, 30), "", "x")]
    errors = unknown_actions(updates, [row(2)], {("Sefton plan", "2")}, "Progress")
    assert [(e.sheet, e.row, e.column, e.reason) for e in errors] == [("Progress", 6, "Action No", "no action 9 in plan 'Sefton plan'")]


@pytest.mark.parametrize(
    "cells, reported_on",
    [
        ({"Status": "On track", "Progress": "x", "Progress_date": "2010-06-30"}, datetime.date(2010, 6, 30)),
        # The status counts from the day it was reported, not from the day of an older narrative.
        ({"Status": "Off track", "Status_date": "2011-01-15", "Progress": "x", "Progress_date": "2010-12-31"}, datetime.date(2011, 1, 15)),
        ({"Status": "On track"}, MARCH_2010),
    ],
)
def test_a_status_counts_from_its_status_date_else_the_progress_date_else_the_source_date(cells, reported_on):
    (settled,), errors = settle_statuses([row(**cells)], {"Sefton plan": PlanFacts(rag.IMPROVEMENT, MARCH_2010)})
    assert errors == [] and settled.reported_on == reported_on
