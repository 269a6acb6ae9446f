"""The plan import in Django admin (django-import-export: preview, then confirm), and the plan admin pages."""

import csv
import html
import io
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from actionplans.models import Action, Milestone, Plan

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/actionplans/plan/import/"
PROCESS_URL = "/admin/actionplans/plan/process_import/"
# A Status needs a date to count from: the plan's Source date (last, so the indexes above it hold).
HEADERS = ["Plan", "Source", "Area", "Action No", "Action", "Leads", "Timescale", "Status", "Source date"]
ROWS = [
    ["Admin plan", "CQC inspection", "Leadership", "1.10", "Refresh the HR strategy", "Margaret Howard", "March 2011", "On track", "2010-03-31"],
    ["Admin plan", "CQC inspection", "Leadership", "1.2", "See 1.10", "", "", "", "2010-03-31"],
    ["Admin plan", "CQC inspection", "Safeguarding adults", "2", "Audit case files", "Safeguarding co-ordinator", "June 2010", "Done", "2010-03-31"],
]
MILESTONE_HEADERS = ["Plan", "Action No", "Milestone", "Date", "Completed"]


def csv_bytes(rows, headers=HEADERS):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(*sheets):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in apps.get_app_config("actionplans").get_models()}


def text_of(response):
    """The page's text, tags removed and spacing collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def format_choices(response):
    """{format name: value} from the import form's format select."""
    select = re.search(r'<select[^>]*name="format".*?</select>', response.content.decode(), re.S).group(0)
    return {label.strip().lower(): value for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)}


def hidden_fields(response, form_action):
    page = response.content.decode()
    form = re.search(rf'<form action="{re.escape(form_action)}" method="POST">(.*?)</form>', page, re.S)
    assert form, "the page has no confirm form"
    fields = {}
    for tag in re.findall(r"<input[^>]*>", form.group(1)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
    return fields


@pytest.fixture
def admin_client(client, ada):
    client.force_login(ada)
    return client


def upload(client, data, name, file_format):
    choices = format_choices(client.get(IMPORT_URL))
    return client.post(IMPORT_URL, {"format": choices[file_format], "import_file": SimpleUploadedFile(name, data)})


def confirm(client, preview):
    fields = hidden_fields(preview, PROCESS_URL)
    return client.post(PROCESS_URL, fields)


# --- Preview and confirm --------------------------------------------------------------------


def test_import_page_offers_csv_and_xlsx_and_lists_the_columns(admin_client):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert set(format_choices(response)) == {"csv", "xlsx"}
    page = text_of(response)
    for column in ["Plan", "Area", "Recommendation No", "Action No", "Expected evidence", "Progress date"]:
        assert column in page


def test_csv_preview_then_confirm_saves_the_plan(admin_client, ada):
    before = counts()
    preview = upload(admin_client, csv_bytes(ROWS), "plan.csv", "csv")
    assert preview.status_code == 200
    page = text_of(preview)
    assert "Preview" in page and "Confirm import" in page
    for row in ROWS:
        assert f"New {' '.join(cell for cell in row if cell)}" in page
    assert page.count("New Admin plan") == 3
    # Nothing is saved by the preview.
    assert counts() == before

    fields = hidden_fields(preview, PROCESS_URL)
    assert set(fields) >= {"import_file_name", "original_file_name", "format", "csrfmiddlewaretoken"}
    assert fields["original_file_name"] == "plan.csv"

    response = confirm(admin_client, preview)
    assert response.status_code == 302 and response["Location"] == "/admin/actionplans/plan/"
    plan = Plan.objects.get()
    assert plan.title == "Admin plan" and plan.source == Plan.CQC_INSPECTION
    assert list(plan.actions.order_by("sort_key").values_list("number", flat=True)) == ["1.2", "1.10", "2"]
    assert Action.objects.get(number="1.2").cross_reference == Action.objects.get(number="1.10")
    assert Action.objects.get(number="2").current_status == "completed"
    assert LogEntry.objects.filter(user=ada).count() == 3
    followed = admin_client.get(response["Location"])
    assert "Import finished: 3 new, 0 updated, 0 deleted and 0 skipped" in text_of(followed)


def test_reimport_in_admin_shows_skipped_rows_and_adds_nothing(admin_client):
    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv", "csv"))
    before = counts()
    changed = [row[:] for row in ROWS]
    changed[2][4] = "Audit all case files"
    preview = upload(admin_client, csv_bytes(changed), "plan.csv", "csv")
    page = text_of(preview)
    assert page.count("Skipped Admin plan") == 2 and page.count("Update Admin plan") == 1
    assert counts() == before
    confirm(admin_client, preview)
    assert Action.objects.count() == 3
    assert Action.objects.get(number="2").text == "Audit all case files"


def test_xlsx_preview_then_confirm_imports_its_milestones_sheet_too(admin_client):
    data = xlsx_bytes(
        ("Plan", HEADERS, ROWS),
        ("Milestones", MILESTONE_HEADERS, [["Admin plan", "1.10", "Draft the strategy", "June 2010", "yes"], ["Admin plan", "2", "Audit", "July 2010", ""]]),
    )
    before = counts()
    preview = upload(admin_client, data, "plan.xlsx", "xlsx")
    assert preview.status_code == 200
    assert text_of(preview).count("New Admin plan") == 3
    assert counts() == before
    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert Action.objects.count() == 3
    assert list(Milestone.objects.order_by("action__sort_key").values_list("action__number", "activity", "completed")) == [
        ("1.10", "Draft the strategy", True),
        ("2", "Audit", False),
    ]


def test_milestones_csv_on_its_own_through_admin(admin_client):
    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv", "csv"))
    data = csv_bytes([["Admin plan", "1.10", "Draft the strategy", "June 2010", "yes"]], MILESTONE_HEADERS)
    preview = upload(admin_client, data, "milestones.csv", "csv")
    assert "Draft the strategy" in text_of(preview)
    assert Milestone.objects.count() == 0
    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert Milestone.objects.get().activity == "Draft the strategy"


def test_preview_shows_the_warnings(admin_client):
    rows = [row + ["a note"] for row in ROWS]
    rows[1][6] = "When the system is live"
    preview = upload(admin_client, csv_bytes(rows, HEADERS + ["Comments"]), "plan.csv", "csv")
    page = text_of(preview)
    assert "Confirm import" in page
    assert "Column 'Comments' is not part of the plan format and was ignored." in page
    assert "Row 3, column 'Timescale': 'When the system is live' names no date that can be read" in page


def test_export_from_the_plan_page_imports_back_in_admin_without_warnings(admin_client):
    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv", "csv"))
    plan = Plan.objects.get()
    before = counts()
    for file_format in ["csv", "xlsx"]:
        exported = admin_client.get(f"/plans/{plan.pk}/", {"format": file_format})
        preview = upload(admin_client, exported.content, f"export.{file_format}", file_format)
        page = text_of(preview)
        assert page.count("Skipped Admin plan") == 3
        assert "is not part of the plan format" not in page
        confirm(admin_client, preview)
    assert counts() == before


# --- Errors ---------------------------------------------------------------------------------


def test_bad_rows_are_listed_with_row_column_and_reason_and_nothing_is_saved(admin_client):
    rows = [row[:] for row in ROWS]
    rows[1][7] = "Nearly there"
    rows[2][4] = ""
    rows.append(["Admin plan", "CQC inspection", "Leadership", "9", "See 12.1", "", "", ""])
    before = counts()
    response = upload(admin_client, csv_bytes(rows), "plan.csv", "csv")
    assert response.status_code == 200
    page = text_of(response)
    assert "Some rows failed to validate" in page
    assert "Confirm import" not in page and PROCESS_URL not in response.content.decode()
    assert "Row Errors" in page
    assert "3 1 Status 'Nearly there' is not a status of the improvement plan (brag) scheme" in page
    assert "4 1 Action is required and is empty" in page
    assert "5 1 Action refers to action 12.1, which is not in the plan" in page
    assert counts() == before


def test_row_numbers_in_admin_match_the_file_with_blank_lines(admin_client):
    data = b"Plan,Area,Action No,Action,Status\r\nAdmin plan,A,1,x,\r\n\r\nAdmin plan,A,2,y,Maybe\r\n"
    page = text_of(upload(admin_client, data, "plan.csv", "csv"))
    assert "4 1 Status 'Maybe' is not a status" in page


@pytest.mark.parametrize(
    "data, message",
    [
        (b"Plan,Action\r\nAdmin plan,Do it\r\n", "The file is missing the required columns Area, Action No."),
        (b"Plan,Area,Action No,Action\r\n,,,\r\n", "The file has a header row but no data rows."),
    ],
)
def test_whole_file_errors_show_one_message(admin_client, data, message):
    response = upload(admin_client, data, "plan.csv", "csv")
    page = text_of(response)
    assert message in page
    assert "Confirm import" not in page
    assert Plan.objects.count() == 0


def test_a_file_that_is_not_utf8_is_refused(admin_client):
    data = "Plan,Area,Action No,Action\nCaf\xe9 plan,A,1,x\n".encode("latin-1")
    page = text_of(upload(admin_client, data, "plan.csv", "csv"))
    assert "Confirm import" not in page
    assert "The file is not UTF-8 text (byte 31 cannot be read). In Excel choose Save As > CSV UTF-8 (Comma delimited)." in page
    assert Plan.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_refused(admin_client):
    page = text_of(upload(admin_client, b"%PDF-1.4 not a workbook", "plan.xlsx", "xlsx"))
    assert "Confirm import" not in page
    assert "The file cannot be opened as an XLSX workbook. Save it again as .xlsx or CSV." in page
    assert Plan.objects.count() == 0


def test_confirm_imports_again_and_saves_nothing_if_the_rows_no_longer_validate(admin_client):
    """The confirm step runs the importer again on the stored upload: bad rows then still save nothing."""
    preview = upload(admin_client, csv_bytes(ROWS), "plan.csv", "csv")
    fields = hidden_fields(preview, PROCESS_URL)
    stored = Path(fields["import_file_name"])
    assert stored.is_file()  # django-import-export's default temporary folder storage
    stored.write_bytes(b"Plan,Area,Action No,Action,Status\nAdmin plan,A,1,x,Nope\n")
    admin_client.post(PROCESS_URL, fields)
    assert Plan.objects.count() == 0 and Action.objects.count() == 0


# --- Who may import -------------------------------------------------------------------------


def test_officer_without_admin_access_is_sent_to_the_admin_login(client, olivia):
    client.force_login(olivia)
    for response in [
        client.get(IMPORT_URL),
        client.post(IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile("plan.csv", csv_bytes(ROWS))}),
        client.post(PROCESS_URL, {"import_file_name": "x", "original_file_name": "plan.csv", "format": "0"}),
    ]:
        assert response.status_code in {302, 403}
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")
    assert Plan.objects.count() == 0


def test_anonymous_is_sent_to_log_in(client):
    for response in [client.get(IMPORT_URL), client.post(PROCESS_URL, {"import_file_name": "x", "format": "0"})]:
        assert response.status_code == 302
        assert response["Location"].startswith(("/login/?next=/admin/", "/admin/login/?next=/admin/"))
    assert Plan.objects.count() == 0


def test_staff_without_plan_permissions_is_forbidden(client):
    staff = UserFactory(username="stanley", is_staff=True)
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"format": "0", "import_file": SimpleUploadedFile("plan.csv", csv_bytes(ROWS))})
    assert response.status_code == 403
    assert Plan.objects.count() == 0


# --- The admin pages ------------------------------------------------------------------------


@pytest.fixture
def seeded(db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    return Plan.objects.get(title="Sefton Adult Social Care Improvement Plan 2010")


CHANGELISTS = [
    "/admin/",
    "/admin/actionplans/plan/",
    "/admin/actionplans/plan/?q=Sefton",
    "/admin/actionplans/plan/?source__exact=cqc_inspection",
    "/admin/actionplans/action/",
    "/admin/actionplans/action/?q=safeguarding",
    "/admin/actionplans/action/?q=Margaret+Howard",
    "/admin/actionplans/recommendation/?q=value+for+money",
    "/admin/actionplans/lead/?q=co-ordinator",
    "/admin/actionplans/milestone/?q=DFG",
    "/admin/actionplans/progressupdate/",
    "/admin/actionplans/area/",
    "/admin/actionplans/inspectionjudgement/",
]


def test_admin_changelists_and_searches_render(admin_client, seeded):
    for url in CHANGELISTS:
        assert admin_client.get(url).status_code == 200, url


def test_admin_search_finds_what_it_should(admin_client, seeded):
    page = text_of(admin_client.get("/admin/actionplans/plan/?q=Sefton"))
    assert "Sefton Adult Social Care Improvement Plan 2010" in page
    assert "Kent Areas of Improvement" not in page
    page = text_of(admin_client.get("/admin/actionplans/action/?q=Margaret+Howard"))
    assert "3 results" in page


def test_plan_and_action_change_and_history_pages_render(admin_client, seeded):
    action = seeded.actions.get(number="11")
    for url in [
        f"/admin/actionplans/plan/{seeded.pk}/change/",
        f"/admin/actionplans/plan/{seeded.pk}/history/",
        f"/admin/actionplans/action/{action.pk}/change/",
        f"/admin/actionplans/action/{action.pk}/history/",
        f"/admin/actionplans/recommendation/{action.recommendation.pk}/change/",
        f"/admin/actionplans/recommendation/{action.recommendation.pk}/history/",
        f"/admin/actionplans/lead/{seeded.actions.get(number='19').leads.get().pk}/change/",
        f"/admin/actionplans/milestone/{action.milestones.first().pk}/change/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
    change = text_of(admin_client.get(f"/admin/actionplans/action/{action.pk}/change/"))
    assert "Establish Performance and Quality Assurance Sub-group" in change
    assert "Establish the sub-group" in change  # its first milestone, inline
    # The import saved each action once: its history holds one record, its creation.
    history = text_of(admin_client.get(f"/admin/actionplans/action/{action.pk}/history/"))
    assert "Change history: Action 11" in history
    assert "Created" in history and "1 entry" in history


def test_plan_changelist_links_to_the_import(admin_client, seeded):
    page = admin_client.get("/admin/actionplans/plan/").content.decode()
    assert IMPORT_URL in page
