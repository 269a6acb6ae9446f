"""The indicator import in Django admin (core.admin_import on IndicatorAdmin): upload, preview, confirm; a bad
file's errors listed on the page; and who may import."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from actionplans.models import Lead
from performance.models import Figure, Indicator, Reading

from .. import admin_import_pages as admin_pages
from ..admin_import_pages import offers_confirm, staged_files, staging, table_rows, text_of  # noqa: F401 (staging: a fixture)
from ..factories import IndicatorFactory, TargetFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staging")]  # every upload waits in a folder of its own

IMPORT_URL = "/admin/performance/indicator/import/"
CHANGELIST_URL = "/admin/performance/indicator/"
READING_HEADERS = ["Code", "Period", "Value", "Numerator", "Denominator", "Note"]
READING_ROWS = [
    ["NI 130", "2013-08", "27", "", "", "From the return"],
    ["NI 130", "2013-09", "", "31", "100", ""],
]
PERFORMANCE_PERMISSIONS = [
    f"{verb}_{model}" for verb in ("add", "change") for model in ("indicator", "target", "reading", "benchmark")
]


def csv_bytes(rows, headers=READING_HEADERS):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def counts():
    models = [*apps.get_app_config("performance").get_models(), Lead, Lead.history.model]
    return {model.__name__: model.objects.count() for model in models}








@pytest.fixture
def admin_client(client, ada):
    client.force_login(ada)
    return client


@pytest.fixture
def ni130(db):
    indicator = IndicatorFactory(code="NI 130", name="Self directed support", unit="percent", frequency="monthly")
    TargetFactory(indicator=indicator, financial_year=2013, target=30, minimum_standard=25)
    return indicator


def upload(client, data, name):
    return admin_pages.upload(client, IMPORT_URL, data, name)


def confirm(client, preview):
    return admin_pages.confirm(client, IMPORT_URL, preview)


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="performance", codename__in=codenames))
    return user


# --- Preview and confirm -----------------------------------------------------------------------------


def test_the_changelist_links_to_the_import_page_which_lists_the_four_formats(admin_client):
    assert IMPORT_URL in admin_client.get(CHANGELIST_URL).content.decode()
    response = admin_client.get(IMPORT_URL)
    assert response.status_code == 200
    page = text_of(response)
    assert "Import indicators, targets, readings or benchmarks" in page
    for heading in ["Indicators", "Targets", "Readings", "Benchmarks"]:
        assert f"{heading}: one file of one format" in page
    for column in ["Rated figure", "Minimum standard", "Council (required)", "Period (required)"]:
        assert column in page


def test_a_readings_csv_is_previewed_then_saved_on_confirm(admin_client, ada, ni130, staging):
    before = counts()
    preview = upload(admin_client, csv_bytes(READING_ROWS), "readings.csv")
    assert preview.status_code == 200
    page = text_of(preview)
    assert "Preview of readings.csv: nothing is saved until you confirm" in page and offers_confirm(preview)
    assert "Would import 2 rows: 2 new, 0 updated, 0 unchanged; 0 warnings." in page
    assert table_rows(preview) == [
        ["2", "New", "Reading of NI 130 for August 2013", ""],
        ["3", "New", "Reading of NI 130 for September 2013", ""],
    ]
    assert counts() == before
    assert staged_files(staging) == ["upload"]

    response = confirm(admin_client, preview)
    assert response.status_code == 302 and response["Location"] == CHANGELIST_URL
    assert list(Reading.objects.values_list("period_start", "value", "numerator", "denominator", "note")) == [
        (datetime.date(2013, 8, 1), Decimal(27), None, None, "From the return"),
        (datetime.date(2013, 9, 1), Decimal(31), Decimal(31), Decimal(100), ""),
    ]
    # The stored figures are worked out, and the history names who imported.
    assert list(Figure.objects.filter(indicator=ni130).values_list("month", "rag_colour")) == [
        (datetime.date(2013, 8, 1), "amber"), (datetime.date(2013, 9, 1), "green"),
    ]
    assert {record.history_user for record in Reading.history.all()} == {ada}
    assert {reading.entered_by for reading in Reading.objects.all()} == {ada}
    assert staged_files(staging) == []
    assert "Import finished. Imported 2 rows: 2 new, 0 updated, 0 unchanged; 0 warnings." in text_of(
        admin_client.get(response["Location"])
    )


def test_importing_the_same_readings_again_in_admin_shows_every_row_unchanged(admin_client, ni130):
    confirm(admin_client, upload(admin_client, csv_bytes(READING_ROWS), "readings.csv"))
    before = counts()
    changed = [row[:] for row in READING_ROWS]
    changed[0][2] = "28"
    preview = upload(admin_client, csv_bytes(changed), "readings.csv")
    assert [row[:2] for row in table_rows(preview)] == [["2", "Updated"], ["3", "Unchanged"]]
    assert counts() == before
    confirm(admin_client, preview)
    assert Reading.objects.get(period_start=datetime.date(2013, 8, 1)).value == 28
    assert Reading.history.count() == before["HistoricalReading"] + 1


def test_an_indicators_import_is_logged_in_admin_for_what_it_added_and_changed(admin_client, ada, division):
    from django.contrib.admin.models import ADDITION, CHANGE, LogEntry

    IndicatorFactory(code="C73", name="Old name")
    headers = ["Code", "Name", "Unit", "Polarity", "Frequency", "Aggregation"]
    rows = [["C72", "Admissions", "count", "lower", "annual", "sum"], ["C73", "New name", "count", "lower", "annual", "sum"]]
    confirm(admin_client, upload(admin_client, csv_bytes(rows, headers), "indicators.csv"))
    logged = {(entry.object_repr, entry.action_flag) for entry in LogEntry.objects.filter(user=ada)}
    assert logged == {("C72 Admissions", ADDITION), ("C73 New name", CHANGE)}


def test_an_indicators_file_shows_its_new_lead_as_a_warning_on_its_row(admin_client, division):
    headers = ["Code", "Name", "Unit", "Polarity", "Frequency", "Aggregation", "Accountable", "Org unit"]
    rows = [["C72", "Admissions", "rate_per_10000", "lower", "annual", "latest", "Head of Performance", "OPPD"]]
    preview = upload(admin_client, csv_bytes(rows, headers), "indicators.csv")
    assert table_rows(preview) == [
        ["2", "New", "Indicator C72: Admissions", "Accountable: 'Head of Performance' is a new lead"]
    ]
    assert not Lead.objects.exists()
    confirm(admin_client, preview)
    indicator = Indicator.objects.get()
    assert (indicator.accountable.name, indicator.unit_owner) == ("Head of Performance", division)


# --- Errors ------------------------------------------------------------------------------------------


def test_a_bad_file_lists_every_error_on_the_page_and_saves_nothing(admin_client, ni130, staging):
    rows = READING_ROWS + [
        ["NI 999", "2013-07", "1", "", "", ""],
        ["NI 130", "2013/14 Q2", "27", "", "", ""],
        ["NI 130", "2013-07", "140", "", "", ""],
        ["NI 130", "2013-06", "", "60", "50", ""],
    ]
    before = counts()
    response = upload(admin_client, csv_bytes(rows), "readings.csv")
    assert response.status_code == 200
    page = text_of(response)
    assert "Nothing was imported: readings.csv has 4 problems" in page
    assert not offers_confirm(response)
    assert table_rows(response) == [
        ["4", "Code", "'NI 999' is not an indicator: import the indicators first"],
        ["5", "Period", "NI 130 is monthly, so its period is a month (2013-09), not 'Q2 2013/14'"],
        ["6", "Value", "140 is not a percentage from 0 to 100"],
        ["7", "Numerator", "60 is more than its denominator of 50"],
    ]
    assert "Upload the corrected file" in page
    assert counts() == before and staged_files(staging) == []


def test_a_file_of_no_format_shows_one_message_on_the_form(admin_client, staging):
    response = upload(admin_client, csv_bytes([["A", "B"]], ["Plan", "Area"]), "plan.csv")
    assert response.status_code == 200
    assert "The file's headers match none of the indicator formats." in text_of(response)
    assert not offers_confirm(response) and staged_files(staging) == []


# --- Who may import ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codenames",
    [
        [],
        ["add_indicator", "change_indicator", "view_indicator"],
        # The import can write any of the four tables: all eight rights are needed.
        [codename for codename in PERFORMANCE_PERMISSIONS if codename != "change_benchmark"],
    ],
    ids=["no-rights", "indicator-rights-only", "all-but-one"],
)
def test_staff_without_every_performance_right_get_403_and_save_nothing(client, ni130, codenames, staging):
    client.force_login(staff_with(*codenames))
    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"import_file": SimpleUploadedFile("readings.csv", csv_bytes(READING_ROWS))})
    assert response.status_code == 403
    assert not Reading.objects.exists() and staged_files(staging) == []


def test_staff_without_the_right_see_no_import_link(client, ni130):
    client.force_login(staff_with("view_indicator", "add_indicator", "change_indicator"))
    response = client.get(CHANGELIST_URL)
    assert response.status_code == 200 and IMPORT_URL not in response.content.decode()


def test_staff_with_every_performance_right_may_import(client, ni130):
    client.force_login(staff_with(*PERFORMANCE_PERMISSIONS))
    preview = upload(client, csv_bytes(READING_ROWS), "readings.csv")
    assert preview.status_code == 200 and offers_confirm(preview)
    assert confirm(client, preview).status_code == 302
    assert Reading.objects.count() == 2


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302 and response["Location"] == f"/login/?next={IMPORT_URL}"
