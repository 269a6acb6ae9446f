"""The plan import in Django admin (core.admin_import: upload, preview, confirm), and the plan admin pages."""

import csv
import io
import os
import re
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from actionplans.models import Action, Milestone, Plan

from .. import hostile
from .. import admin_import_pages as admin_pages
from ..admin_import_pages import confirm_form, offers_confirm, staged_files, staging, table_rows, text_of  # noqa: F401 (staging: a fixture)
from ..factories import LeadFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]  # every upload waits in a folder of its own

IMPORT_URL = "/admin/actionplans/plan/import/"
CHANGELIST_URL = "/admin/actionplans/plan/"
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






@pytest.fixture
def admin_client(client, ada):
    client.force_login(ada)
    return client


def upload(client, data, name):
    return admin_pages.upload(client, IMPORT_URL, data, name)


def confirm(client, preview):
    return admin_pages.confirm(client, IMPORT_URL, preview)




# --- Preview and confirm --------------------------------------------------------------------


def test_import_page_lists_the_columns_of_both_sheets(admin_client):
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert "Import plans" in page and 'value="Upload and preview"' in response.content.decode()
    for column in ["Plan (required)", "Area (required)", "Recommendation No", "Action No (required)", "Expected evidence", "Progress date"]:
        assert column in page
    assert "Milestones: a sheet named Milestones, or a CSV of its own" in page
    assert "Milestone (required)" in page


def test_csv_preview_then_confirm_saves_the_plan(admin_client, ada, staging):
    before = counts()
    preview = upload(admin_client, csv_bytes(ROWS), "plan.csv")
    assert preview.status_code == 200
    page = text_of(preview)
    assert "Preview of plan.csv: nothing is saved until you confirm" in page and offers_confirm(preview)
    assert "Would import 1 plan: 3 actions, 0 milestones, 2 progress updates. New: 3 actions, 2 progress updates, 2 leads." in page
    assert table_rows(preview) == [
        ["2", "New", "Action 1.10 of 'Admin plan': Refresh the HR strategy Leads: Margaret Howard: new lead", ""],
        ["3", "New", "Action 1.2 of 'Admin plan': See 1.10", ""],
        ["4", "New", "Action 2 of 'Admin plan': Audit case files Leads: Safeguarding co-ordinator: new lead", ""],
    ]
    # Nothing is saved by the preview.
    assert counts() == before

    # The upload is kept on the server: the confirm form carries only a token, never the file.
    fields = confirm_form(preview)
    assert set(fields) == {"csrfmiddlewaretoken", "token"}
    assert staged_files(staging) == ["upload"]
    assert (staging / fields["token"] / "upload").read_bytes() == csv_bytes(ROWS)

    response = confirm(admin_client, preview)
    assert response.status_code == 302 and response["Location"] == CHANGELIST_URL
    plan = Plan.objects.get()
    assert plan.title == "Admin plan" and plan.source == Plan.CQC_INSPECTION
    assert list(plan.actions.order_by("sort_key").values_list("number", flat=True)) == ["1.2", "1.10", "2"]
    assert Action.objects.get(number="1.2").cross_reference == Action.objects.get(number="1.10")
    assert Action.objects.get(number="2").current_status == "completed"
    # One log entry for the plan, and the kept upload is gone.
    entry = LogEntry.objects.get(user=ada)
    assert (entry.object_id, entry.action_flag, entry.change_message) == (str(plan.pk), ADDITION, "Imported from plan.csv")
    assert staged_files(staging) == []
    assert (
        "Import finished. Imported 1 plan: 3 actions, 0 milestones, 2 progress updates. "
        "New: 3 actions, 2 progress updates, 2 leads." in text_of(admin_client.get(response["Location"]))
    )


def test_history_of_an_admin_import_names_who_imported(admin_client, ada):
    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv"))
    action = Action.objects.get(number="1.10")
    assert [record.history_user for record in action.history.all()] == [ada]
    history = text_of(admin_client.get(f"/admin/actionplans/action/{action.pk}/history/"))
    assert "Created" in history and "1 entry" in history


def test_reimport_in_admin_shows_unchanged_rows_and_adds_nothing(admin_client, ada):
    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv"))
    before = counts()
    changed = [row[:] for row in ROWS]
    changed[2][4] = "Audit all case files"
    preview = upload(admin_client, csv_bytes(changed), "plan.csv")
    assert [row[:2] for row in table_rows(preview)] == [["2", "Unchanged"], ["3", "Unchanged"], ["4", "Updated"]]
    assert counts() == before
    confirm(admin_client, preview)
    assert Action.objects.count() == 3
    assert Action.objects.get(number="2").text == "Audit all case files"
    assert LogEntry.objects.filter(user=ada).count() == 2


def test_xlsx_preview_then_confirm_imports_its_milestones_sheet_too(admin_client):
    data = xlsx_bytes(
        ("Plan", HEADERS, ROWS),
        ("Milestones", MILESTONE_HEADERS, [["Admin plan", "1.10", "Draft the strategy", "June 2010", "yes"], ["Admin plan", "2", "Audit", "July 2010", ""]]),
    )
    before = counts()
    preview = upload(admin_client, data, "plan.xlsx")
    assert preview.status_code == 200
    assert table_rows(preview) == [
        ["2", "(first sheet)", "New", "Action 1.10 of 'Admin plan': Refresh the HR strategy Leads: Margaret Howard: new lead", ""],
        ["3", "(first sheet)", "New", "Action 1.2 of 'Admin plan': See 1.10", ""],
        ["4", "(first sheet)", "New", "Action 2 of 'Admin plan': Audit case files Leads: Safeguarding co-ordinator: new lead", ""],
        ["2", "Milestones", "New", "Milestone 'Draft the strategy' of action 1.10 of 'Admin plan'", ""],
        ["3", "Milestones", "New", "Milestone 'Audit' of action 2 of 'Admin plan'", ""],
    ]
    assert counts() == before
    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert Action.objects.count() == 3
    assert list(Milestone.objects.order_by("action__sort_key").values_list("action__number", "activity", "completed")) == [
        ("1.10", "Draft the strategy", True),
        ("2", "Audit", False),
    ]


def test_milestones_csv_on_its_own_through_admin(admin_client):
    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv"))
    data = csv_bytes([["Admin plan", "1.10", "Draft the strategy", "June 2010", "yes"]], MILESTONE_HEADERS)
    preview = upload(admin_client, data, "milestones.csv")
    assert table_rows(preview) == [
        ["2", "Milestones", "New", "Milestone 'Draft the strategy' of action 1.10 of 'Admin plan'", ""]
    ]
    assert Milestone.objects.count() == 0
    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert Milestone.objects.get().activity == "Draft the strategy"


def test_preview_lists_warnings_on_their_rows_and_about_the_file(admin_client):
    rows = [row + ["a note"] for row in ROWS]
    rows[1][6] = "When the system is live"
    preview = upload(admin_client, csv_bytes(rows, HEADERS + ["Comments"]), "plan.csv")
    page = text_of(preview)
    assert offers_confirm(preview)
    assert "Warnings about the whole file Column 'Comments' is not part of the plan format and was ignored." in page
    assert table_rows(preview)[1] == [
        "3", "New", "Action 1.2 of 'Admin plan': See 1.10",
        "Timescale: 'When the system is live' names no date that can be read; kept as written and flagged for review.",
    ]
    table = re.search(r'<table class="import-preview.*?</table>', preview.content.decode(), re.S).group(0)
    assert "title=" not in table  # listed on the page, never behind a hover


def test_export_from_the_plan_page_imports_back_in_admin_without_warnings(admin_client):
    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv"))
    plan = Plan.objects.get()
    before = counts()
    for file_format in ["csv", "xlsx"]:
        exported = admin_client.get(f"/plans/{plan.pk}/", {"format": file_format})
        preview = upload(admin_client, exported.content, f"export.{file_format}")
        rows = table_rows(preview)
        assert [(row[-3], row[-1]) for row in rows] == [("Unchanged", "")] * len(rows)
        # A workbook's Progress sheet lists the two updates the plan rows hold too: recognised, not added.
        assert len(rows) == {"csv": 3, "xlsx": 5}[file_format]
        assert "Warnings about the whole file" not in text_of(preview)
        confirm(admin_client, preview)
    assert counts() == before


def test_a_large_preview_lists_only_the_rows_that_change_or_warn(admin_client, monkeypatch):
    from core import admin_import

    confirm(admin_client, upload(admin_client, csv_bytes(ROWS), "plan.csv"))
    monkeypatch.setattr(admin_import, "PREVIEW_EVERY_ROW_UP_TO", 2)
    changed = [row[:] for row in ROWS]
    changed[0][4] = "Refresh the HR strategy and its plan"
    preview = upload(admin_client, csv_bytes(changed), "plan.csv")
    assert [row[:2] for row in table_rows(preview)] == [["2", "Updated"]]
    assert "2 unchanged rows without warnings are not listed." in text_of(preview)


# --- The upload kept between preview and confirm ---------------------------------------------


def test_cancel_deletes_the_kept_upload_and_saves_nothing(admin_client, staging):
    preview = upload(admin_client, csv_bytes(ROWS), "plan.csv")
    response = admin_client.post(IMPORT_URL, {**confirm_form(preview), "cancel": "Cancel"})
    assert response.status_code == 302 and response["Location"] == CHANGELIST_URL
    assert staged_files(staging) == [] and Plan.objects.count() == 0
    # The token is spent: confirming afterwards imports nothing.
    response = confirm(admin_client, preview)
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert Plan.objects.count() == 0


def test_a_second_upload_replaces_the_first_preview(admin_client, staging):
    first = upload(admin_client, csv_bytes(ROWS), "plan.csv")
    second = upload(admin_client, csv_bytes(ROWS[:1]), "one.csv")
    assert staged_files(staging) == ["upload"]
    response = confirm(admin_client, first)
    assert response["Location"] == IMPORT_URL
    assert "That preview is no longer available" in text_of(admin_client.get(IMPORT_URL))
    assert Plan.objects.count() == 0
    confirm(admin_client, second)
    assert Action.objects.count() == 1


def test_a_token_from_another_session_confirms_nothing(admin_client, client, staging):
    preview = upload(admin_client, csv_bytes(ROWS), "plan.csv")
    other = UserFactory(username="grace", is_staff=True, is_superuser=True)
    client.force_login(other)
    assert client.post(IMPORT_URL, {**confirm_form(preview), "confirm": "Confirm import"})["Location"] == IMPORT_URL
    assert Plan.objects.count() == 0 and staged_files(staging) == ["upload"]


def test_uploads_left_for_a_day_are_removed_when_the_next_is_kept(admin_client, staging):
    upload(admin_client, csv_bytes(ROWS), "plan.csv")
    (old,) = staging.iterdir()
    day_ago = time.time() - 25 * 60 * 60
    os.utime(old, (day_ago, day_ago))
    admin_client.logout()
    admin_client.force_login(UserFactory(username="grace", is_staff=True, is_superuser=True))
    upload(admin_client, csv_bytes(ROWS), "plan.csv")
    assert old.name not in [path.name for path in staging.iterdir()]
    assert len(list(staging.iterdir())) == 1


def test_confirm_runs_the_import_again_and_saves_nothing_if_the_rows_no_longer_validate(admin_client, staging):
    preview = upload(admin_client, csv_bytes(ROWS), "plan.csv")
    # Meanwhile someone made the plan a business plan: its statuses are no longer the file's.
    Plan.objects.create(title="Admin plan", source=Plan.BUSINESS_PLAN)
    response = confirm(admin_client, preview)
    assert response.status_code == 200
    assert "Nothing was imported" in text_of(response)
    assert Plan.objects.count() == 1 and Action.objects.count() == 0
    assert staged_files(staging) == []


def test_bytes_changed_on_the_server_after_the_preview_are_refused(admin_client, staging):
    preview = upload(admin_client, csv_bytes(ROWS), "plan.csv")
    token = confirm_form(preview)["token"]
    (staging / token / "upload").write_bytes(b"Plan,Area,Action No,Action\nOther plan,A,1,Not what was previewed\n")
    response = confirm(admin_client, preview)
    assert Plan.objects.count() == 0 and Action.objects.count() == 0
    assert "no longer available" in " ".join(str(m) for m in response.wsgi_request._messages)


def test_a_staging_folder_open_to_others_is_refused(admin_client, staging):
    staging.mkdir(mode=0o777)
    staging.chmod(0o777)
    with pytest.raises(ImproperlyConfigured):
        upload(admin_client, csv_bytes(ROWS), "plan.csv")


# --- Errors ---------------------------------------------------------------------------------


def test_bad_rows_are_listed_with_row_column_and_reason_and_nothing_is_saved(admin_client, staging):
    rows = [row[:] for row in ROWS]
    rows[1][7] = "Nearly there"
    rows[2][4] = ""
    rows.append(["Admin plan", "CQC inspection", "Leadership", "9", "See 12.1", "", "", "", ""])
    before = counts()
    response = upload(admin_client, csv_bytes(rows), "plan.csv")
    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing was imported: plan.csv has 3 problems" in page
    assert not offers_confirm(response)
    errors = table_rows(response)
    assert errors[0][:2] == ["3", "Status"]
    assert errors[0][2].startswith("'Nearly there' is not a status of the improvement plan (brag) scheme")
    assert errors[1:] == [
        ["4", "Action", "is required and is empty"],
        ["5", "Action", "refers to action 12.1, which is not in the plan"],
    ]
    # The form is there again for the corrected file; nothing was kept or saved.
    assert "Upload the corrected file" in page
    assert counts() == before and staged_files(staging) == []


def test_errors_of_the_milestones_sheet_name_the_sheet(admin_client):
    data = xlsx_bytes(("Plan", HEADERS, ROWS), ("Milestones", MILESTONE_HEADERS, [["Admin plan", "7", "Draft", "", ""]]))
    response = upload(admin_client, data, "plan.xlsx")
    assert table_rows(response) == [["2", "Milestones", "Action No", "no action 7 in plan 'Admin plan'"]]


def test_row_numbers_in_admin_match_the_file_with_blank_lines(admin_client):
    data = b"Plan,Area,Action No,Action,Status\r\nAdmin plan,A,1,x,\r\n\r\nAdmin plan,A,2,y,Maybe\r\n"
    assert table_rows(upload(admin_client, data, "plan.csv"))[0][:2] == ["4", "Status"]


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"Plan,Action\r\nAdmin plan,Do it\r\n", "plan.csv", "The file is missing the required columns Area, Action No."),
        (b"Plan,Area,Action No,Action\r\n,,,\r\n", "plan.csv", "The file has a header row but no data rows."),
        (b"%PDF-1.4 not a workbook", "plan.xlsx", "The file cannot be opened as an XLSX workbook. Save it again as .xlsx or CSV."),
        (b"%PDF-1.4", "plan.pdf", "'plan.pdf' is not a CSV or XLSX file."),
    ],
)
def test_whole_file_errors_show_one_message_on_the_form(admin_client, data, name, message, staging):
    response = upload(admin_client, data, name)
    assert response.status_code == 200
    assert message in text_of(response)
    assert not offers_confirm(response)
    assert Plan.objects.count() == 0 and staged_files(staging) == []


@pytest.mark.parametrize(
    "built, message",
    [
        (hostile.sparse_far_xlsx(), "Sheet 'Plan' has data in row 1,048,576, but an import reads at most 10,000 rows"),
        (hostile.zip_bomb_xlsx(200), "The workbook unzips to 200 MB, more than the 100 MB an import reads."),
        (hostile.corrupt_xml_xlsx(), "The file cannot be read: sheet 'Plan' is damaged: its XML breaks off"),
        (hostile.unclosed_quote_csv(), 'The file cannot be read as CSV: row 3 opens a quote (") that is never closed'),
    ],
    ids=["sparse-far", "zip-bomb", "corrupt-xml", "unclosed-quote"],
)
def test_hostile_files_are_refused_on_the_form_in_one_message(admin_client, built, message, staging):
    """Through the admin the sparse file ran over 150 s at 3-6 GB and never answered."""
    name, data = built
    response = upload(admin_client, data, name)
    assert response.status_code == 200
    assert message in text_of(response)
    assert not offers_confirm(response)
    assert Plan.objects.count() == 0 and staged_files(staging) == []


def test_a_file_over_the_size_limit_is_refused(admin_client, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 0
    page = text_of(upload(admin_client, csv_bytes(ROWS), "plan.csv"))
    assert "the largest that can be imported is 0 MB. Split it into several files." in page
    assert Plan.objects.count() == 0


def test_excel_comma_delimited_csv_is_previewed_with_a_warning(admin_client):
    data = "Plan,Area,Action No,Action\nCafé plan,A,1,Review – and report\n".encode("cp1252")
    preview = upload(admin_client, data, "plan.csv")
    page = text_of(preview)
    assert "The file is not UTF-8 text: it was read as Windows-1252" in page
    assert table_rows(preview) == [["2", "New", "Action 1 of 'Café plan': Review – and report", ""]]


def test_a_csv_with_a_byte_order_mark_is_previewed_as_written(admin_client):
    data = "\ufeffPlan,Area,Action No,Action\nCafé plan,A,1,Review – the officer’s plan\n".encode("utf-8")
    preview = upload(admin_client, data, "plan.csv")
    assert "Windows-1252" not in text_of(preview)
    assert table_rows(preview) == [["2", "New", "Action 1 of 'Café plan': Review – the officer’s plan", ""]]


def test_a_bad_milestone_is_shown_on_its_own_sheet_and_row_beside_the_plan_rows(admin_client):
    rows = [row[:] for row in ROWS] + [["Admin plan", "CQC inspection", "Leadership", "3", "Train", "", "", "Sort of", "2010-03-31"]]
    milestones = [["Admin plan", "1.10", "Fine", "", ""], ["Admin plan", "2", "Fine", "", ""], ["Admin plan", "7", "Bad", "", ""]]
    response = upload(admin_client, xlsx_bytes(("Plan", HEADERS, rows), ("Milestones", MILESTONE_HEADERS, milestones)), "plan.xlsx")
    errors = table_rows(response)
    assert [row[:3] for row in errors] == [["5", "(first sheet)", "Status"], ["4", "Milestones", "Action No"]]
    assert errors[1][3] == "no action 7 in plan 'Admin plan'"


# --- The owning unit chosen on the page -----------------------------------------------------


def test_the_unit_chosen_on_the_page_goes_to_plans_whose_rows_name_none(admin_client, division, other_division):
    page = admin_client.get(IMPORT_URL).content.decode()
    assert 'name="unit"' in page and "Older People and Physical Disability" in page
    rows = [row + [""] for row in ROWS] + [["Other plan", "CQC inspection", "A", "1", "x", "", "", "", "2010-03-31", "ldmh"]]
    preview = admin_client.post(
        IMPORT_URL, {"import_file": SimpleUploadedFile("plan.csv", csv_bytes(rows, HEADERS + ["Owning unit"])), "unit": division.pk}
    )
    page = text_of(preview)
    assert "Owning unit: Older People and Physical Disability" in page
    assert (
        "Owning unit: the file gives plan 'Other plan' to Learning Disability and Mental Health, so the unit chosen "
        "on the import page (Older People and Physical Disability) does not apply to it"
    ) in page
    assert Plan.objects.count() == 0
    confirm(admin_client, preview)
    assert dict(Plan.objects.values_list("title", "unit__short_name")) == {"Admin plan": "OPPD", "Other plan": "LDMH"}


def test_a_unit_deleted_between_preview_and_confirm_saves_nothing(admin_client, directorate):
    unit = UnitFactory(name="Short-lived team", parent=directorate)
    preview = admin_client.post(IMPORT_URL, {"import_file": SimpleUploadedFile("plan.csv", csv_bytes(ROWS)), "unit": unit.pk})
    unit.delete()
    response = confirm(admin_client, preview)
    assert response.status_code == 302 and response["Location"] == IMPORT_URL
    assert Plan.objects.count() == 0
    assert "The choices made with that file are no longer valid" in text_of(admin_client.get(IMPORT_URL))


def test_an_unknown_unit_in_the_file_is_a_row_error(admin_client):
    rows = [row + ["Foo"] for row in ROWS[:1]]
    errors = table_rows(upload(admin_client, csv_bytes(rows, HEADERS + ["Owning unit"]), "plan.csv"))
    assert errors == [
        ["2", "Owning unit", "'Foo' is not a unit: use the name or short name of one in Admin > Organisation units"]
    ]


def test_the_preview_says_how_leads_were_found_and_warns_of_look_alikes(admin_client):
    LeadFactory(name="Jane Smith", initials="JS")
    LeadFactory(name="Margaret Howard")
    rows = [row[:] for row in ROWS]
    rows[0][5] = "margaret howard"
    rows[2][5] = "Jane Smith; Safeguarding co-ordinator"
    rows[1][5] = "Jane Smith"
    preview = upload(admin_client, csv_bytes(rows), "plan.csv")
    cells = [row[2] for row in table_rows(preview)]
    assert cells[0].endswith("Leads: margaret howard: existing lead")
    assert cells[2].endswith("Leads: Jane Smith: existing lead; Safeguarding co-ordinator: new lead")
    LeadFactory(name="John Small", initials="JS")
    rows[1][5] = "JS"
    preview = upload(admin_client, csv_bytes(rows), "plan.csv")
    row = table_rows(preview)[1]
    assert row[2].endswith("Leads: JS: new lead")
    assert row[3] == (
        "Leads: 'JS' is added as a new lead, beside Jane Smith (JS) and John Small (JS) with the same initials: "
        "if they are the same person, write that lead's name instead"
    )


# --- Who may import -------------------------------------------------------------------------


def test_officer_without_admin_access_is_sent_to_the_admin_login(client, olivia):
    client.force_login(olivia)
    for response in [
        client.get(IMPORT_URL),
        client.post(IMPORT_URL, {"import_file": SimpleUploadedFile("plan.csv", csv_bytes(ROWS))}),
        client.post(IMPORT_URL, {"token": "0" * 32, "confirm": "Confirm import"}),
    ]:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert Plan.objects.count() == 0


def test_anonymous_is_sent_to_log_in(client):
    for response in [client.get(IMPORT_URL), client.post(IMPORT_URL, {"token": "0" * 32, "confirm": "Confirm import"})]:
        assert response.status_code == 302
        assert response["Location"].startswith(("/login/?next=/admin/", "/admin/login/?next=/admin/"))
    assert Plan.objects.count() == 0


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="actionplans", codename__in=codenames))


@pytest.mark.parametrize(
    "permissions",
    [(), ("view_plan", "add_plan", "change_plan"), ("add_action", "change_action")],
    ids=["none", "plans only", "actions only"],
)
def test_staff_without_add_and_change_on_plans_and_actions_is_forbidden(client, permissions, staging):
    staff = UserFactory(username="stanley", is_staff=True)
    grant(staff, *permissions)
    client.force_login(staff)
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"import_file": SimpleUploadedFile("plan.csv", csv_bytes(ROWS))})
    assert response.status_code == 403
    assert client.post(IMPORT_URL, {"token": "0" * 32, "confirm": "Confirm import"}).status_code == 403
    assert Plan.objects.count() == 0 and staged_files(staging) == []
    if "view_plan" in permissions:  # the changelist shows no import button to them
        assert IMPORT_URL not in client.get(CHANGELIST_URL).content.decode()


def test_staff_with_add_and_change_on_plans_and_actions_may_import(client):
    staff = UserFactory(username="stanley", is_staff=True)
    grant(staff, "view_plan", "add_plan", "change_plan", "add_action", "change_action")
    client.force_login(staff)
    assert IMPORT_URL in client.get(CHANGELIST_URL).content.decode()
    confirm(client, upload(client, csv_bytes(ROWS), "plan.csv"))
    assert Action.objects.count() == 3


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
