"""The plan format's columns: one map for the admin import, `manage.py import_plan`,
`manage.py export_plan` and the plan page's downloads (`export.py`)."""

from core.spreadsheets import Column

from ..models import Action, Area, Milestone, Plan, ProgressUpdate, Recommendation

PLAN_COLUMNS = [
    Column("Plan", required=True),
    Column("Source"),
    Column("Source date"),
    Column("Owning unit"),
    Column("Area", required=True),
    Column("Recommendation No"),
    Column("Recommendation"),
    Column("Recommendation page"),
    Column("Measurable indicator"),
    Column("Desired outcome"),
    Column("Action No", required=True),
    Column("Action", required=True),
    Column("Expected evidence"),
    Column("Leads"),
    Column("Timescale"),
    Column("Due date"),
    Column("Status"),
    Column("Status date"),
    Column("Progress"),
    Column("Progress date"),
]
# Written by export, read back by nobody: import ignores them without a warning.
EXPORT_ONLY_COLUMNS = ["RAG", "RAG reason"]
MILESTONE_COLUMNS = [
    Column("Plan", required=True),
    Column("Action No", required=True),
    Column("Milestone", required=True),
    Column("Date"),
    Column("Completed"),
    Column("Date completed"),
]
MILESTONE_SHEET = "Milestones"
# Every progress update, one a row: written to workbooks, read back from a sheet of this name.
PROGRESS_COLUMNS = [
    Column("Plan", required=True),
    Column("Action No", required=True),
    Column("Date", required=True),
    Column("Status"),
    Column("Progress"),
]
PROGRESS_SHEET = "Progress"
PROGRESS_EXPORT_ONLY_COLUMNS = ["Reported by"]
FORMAT_NAME = "the plan format"


def _longest(model, name):
    return model._meta.get_field(name).max_length


# Cells stored in fields of limited length: longer text is a row error naming the limit, never cut
# and never a database error.
MAX_LENGTHS = {
    "Plan": _longest(Plan, "title"),
    "Area": _longest(Area, "title"),
    "Recommendation No": _longest(Recommendation, "number"),
    "Recommendation": _longest(Recommendation, "text"),
    "Recommendation page": _longest(Recommendation, "page_reference"),
    "Measurable indicator": _longest(Recommendation, "measurable_indicator"),
    "Desired outcome": _longest(Recommendation, "desired_outcome"),
    "Action No": _longest(Action, "number"),
    "Action": _longest(Action, "text"),
    "Expected evidence": _longest(Action, "expected_evidence"),
    "Timescale": _longest(Action, "timescale"),
    "Progress": _longest(ProgressUpdate, "narrative"),
}
MILESTONE_MAX_LENGTHS = {
    "Plan": _longest(Plan, "title"),
    "Action No": _longest(Action, "number"),
    "Milestone": _longest(Milestone, "activity"),
    "Date": _longest(Milestone, "date_text"),
}
PROGRESS_MAX_LENGTHS = {
    "Plan": _longest(Plan, "title"),
    "Action No": _longest(Action, "number"),
    "Progress": _longest(ProgressUpdate, "narrative"),
}

# The column each saved field comes from. A column the file leaves out changes nothing (a file in the
# issue's format has no Recommendation page); a column that is there, even blank, is what the file says.
RECOMMENDATION_FIELD_COLUMNS = {
    "area": "Area",
    "text": "Recommendation",
    "page_reference": "Recommendation page",
    "measurable_indicator": "Measurable indicator",
    "desired_outcome": "Desired outcome",
}
ACTION_FIELD_COLUMNS = {
    "area": "Area",
    "recommendation": "Recommendation No",
    "text": "Action",
    "expected_evidence": "Expected evidence",
    "timescale": "Timescale",
    "due_date_set": "Due date",
}
