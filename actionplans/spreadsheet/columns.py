"""The plan format's columns: one map for the admin import, `manage.py import_plan`,
`manage.py export_plan` and the plan page's downloads (`export.py`)."""

from core.spreadsheets import Column

from ..models import Action, Area, Plan, Recommendation

PLAN_COLUMNS = [
    Column("Plan", required=True),
    Column("Source"),
    Column("Source date"),
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
]
MILESTONE_SHEET = "Milestones"
FORMAT_NAME = "the plan format"

# Cells stored in columns of limited length: longer text is a row error, not a database error.
MAX_LENGTHS = {
    "Plan": Plan._meta.get_field("title").max_length,
    "Area": Area._meta.get_field("title").max_length,
    "Recommendation No": Recommendation._meta.get_field("number").max_length,
    "Recommendation page": Recommendation._meta.get_field("page_reference").max_length,
    "Action No": Action._meta.get_field("number").max_length,
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
