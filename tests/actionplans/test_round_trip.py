"""Export then import changes nothing (GitHub issue 11): a plan with everything that has gone wrong
in a round trip before (multi-line progress typed in a browser, text near the limits, text a
spreadsheet would run as a formula, several progress updates and a status reported after the latest
narrative, milestones done on a day, a cross-reference, an owning unit), exported as CSV and XLSX and
imported twice the way the admin does: every table holds the same rows and no history is written.
"""

import csv
import datetime
import io
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from actionplans import export, rag, services, spreadsheet
from actionplans.models import (
    LONG_TEXT,
    NARRATIVE_TEXT,
    Action,
    Area,
    Lead,
    Milestone,
    Plan,
    ProgressUpdate,
    Recommendation,
)
from core.periods import today

from ..factories import ActionFactory, AreaFactory, LeadFactory, MilestoneFactory, PlanFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/actionplans/plan/import/"
FORMULA_LIKE = ["=SUM(A1)", "+44 7700", "-5% change", "@home"]


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = str(tmp_path / "staging")


def counts():
    """Rows in every table of the app, change history included."""
    return {model.__name__: model.objects.count() for model in apps.get_app_config("actionplans").get_models()}


def same_text(text):
    """Text as the round trip promises to keep it: line endings and spacing aside."""
    return " ".join(text.split())


def dump(progress_sources=True, line_endings=True):
    """Every plan as plain values, keyed as a person would name things (ids aside); without
    `line_endings`, text typed in a browser (\\r\\n) as a spreadsheet gives it back (\\n)."""
    plans = [
        (plan.title, plan.source, plan.source_date, plan.unit.name if plan.unit else None, plan.rag_scheme)
        for plan in Plan.objects.select_related("unit").order_by("title")
    ]
    areas = list(Area.objects.order_by("plan__title", "order").values_list("plan__title", "title", "order"))
    recommendations = list(
        Recommendation.objects.order_by("plan__title", "sort_key").values_list(
            "plan__title", "number", "area__title", "text", "page_reference", "measurable_indicator", "desired_outcome"
        )
    )
    actions = [
        (
            action.plan.title, action.number, action.area.title,
            action.recommendation.number if action.recommendation else None, action.text, action.expected_evidence,
            action.timescale, action.due_date_set, action.due_date,
            action.cross_reference.number if action.cross_reference else None,
            sorted(lead.name for lead in action.leads.all()),
        )
        for action in Action.objects.select_related("plan", "area", "recommendation", "cross_reference")
        .prefetch_related("leads")
        .order_by("plan__title", "sort_key")
    ]
    leads = list(Lead.objects.order_by("name").values_list("name", "initials", "kind"))
    milestones = list(
        Milestone.objects.order_by("action__plan__title", "action__sort_key", "order").values_list(
            "action__number", "activity", "date_text", "completed", "completed_on", "order"
        )
    )
    progress = [
        (update.action.number, update.date, update.status, same_text(update.narrative))
        + ((update.source, update.author_id) if progress_sources else ())
        for update in ProgressUpdate.objects.select_related("action").order_by("action__sort_key", "date", "id")
    ]
    tables = {
        "plans": plans, "areas": areas, "recommendations": recommendations, "actions": actions, "leads": leads,
        "milestones": milestones, "progress": progress,
    }
    if line_endings:
        return tables
    return {
        name: [tuple(v.replace("\r\n", "\n") if isinstance(v, str) else v for v in row) for row in rows]
        for name, rows in tables.items()
    }


@pytest.fixture
def the_plan(division, olivia):
    """A plan made the way people make one: typed in, updated from the action pages, milestones marked done."""
    plan = PlanFactory(title="Sefton improvement plan", unit=division, source_date=datetime.date(2010, 3, 31))
    area = AreaFactory(plan=plan, title="Safeguarding adults", order=0)
    recommendation = RecommendationFactory(
        area=area, plan=plan, number="1", text="=SUM(A1) Improve the identification of ongoing risks",
        measurable_indicator="-5% change in repeat referrals", desired_outcome="+44 7700 helpline answered",
    )
    jane = LeadFactory(name="Jane Smith", initials="JS")
    post = LeadFactory(name="Head of Safeguarding - AH", initials="AH", kind=Lead.POST)
    first = ActionFactory(
        area=area, recommendation=recommendation, number="1.1", text="=SUM(A1) the audits\r\nthen report",
        expected_evidence="@home visits recorded", timescale="March 2011", leads=[jane, post],
    )
    long = ActionFactory(
        area=area, recommendation=recommendation, number="1.2", text="A" * (LONG_TEXT - 5),
        expected_evidence="E" * (NARRATIVE_TEXT - 5), timescale="Ongoing", leads=[jane],
    )
    reference = ActionFactory(area=area, recommendation=recommendation, number="1.3", text="See 1.1", timescale="", leads=[post])
    Action.objects.filter(pk=reference.pk).update(cross_reference=first)
    # An officer types two lines in a browser (\r\n), then the narratives go on; the status reported last
    # (Off track, 15 Jan 2011) comes after the latest narrative (31 Dec 2010), which reports none.
    services.add_progress_update(
        action=first, author=olivia, date=datetime.date(2010, 6, 30), narrative="Started.\r\nDraft circulated.",
        status=rag.ON_TRACK,
    )
    services.add_progress_update(
        action=first, author=olivia, date=datetime.date(2010, 9, 30), narrative="+44 7700 helpline set up\nSecond line",
        status=rag.AT_RISK,
    )
    services.add_progress_update(
        action=first, author=olivia, date=datetime.date(2010, 12, 31), narrative="-5% change in waits\r\n\r\n@home too",
    )
    services.add_progress_update(action=first, author=olivia, date=datetime.date(2011, 1, 15), narrative="", status=rag.OFF_TRACK)
    services.add_progress_update(
        action=long, author=olivia, date=datetime.date(2010, 7, 1), narrative="N" * NARRATIVE_TEXT, status=rag.ON_TRACK
    )
    MilestoneFactory(action=first, activity="Draft the tool", date_text="June 2010", completed=True,
                     completed_on=datetime.date(2010, 6, 20), order=0)
    MilestoneFactory(action=first, activity="=Pilot the tool", date_text="September 2010", order=1)
    return Plan.objects.get(pk=plan.pk)


def exported(plan, file_format):
    return export.export_plan(plan, today(), file_format)[0]


def admin_import(client, data, filename):
    """Upload, preview and confirm in the admin: (the preview's rows as (sheet, row, outcome), the message)."""
    preview = client.post(IMPORT_URL, {"import_file": SimpleUploadedFile(filename, data)})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert 'name="confirm"' in page, re.sub(r"<[^>]+>", " ", page)[-3000:]
    rows = re.findall(r'<tr class="import-(new|updated|unchanged)">', page)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    done = client.post(IMPORT_URL, {"token": token, "confirm": "Confirm import"}, follow=True)
    messages = [str(message) for message in done.context["messages"]]
    return rows, messages


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_exported_plan_imported_twice_in_the_admin_changes_nothing(client, ada, the_plan, file_format):
    client.force_login(ada)
    before, tables = dump(), counts()
    data = exported(the_plan, file_format)
    for attempt in (1, 2):
        rows, messages = admin_import(client, data, f"export.{file_format}")
        assert rows and set(rows) == {"unchanged"}, (attempt, rows)
        assert dump() == before, attempt
        assert counts() == tables, attempt  # no new row anywhere, change history included
        assert messages[-1].endswith("Nothing changed."), messages
    # The officer's update typed over two lines is there once, as the officer typed it.
    assert ProgressUpdate.objects.filter(narrative="Started.\r\nDraft circulated.").count() == 1
    assert not ProgressUpdate.objects.filter(source=ProgressUpdate.IMPORT).exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_writes_what_was_typed_in_full_and_safely(the_plan, file_format):
    data = exported(the_plan, file_format)
    if file_format == "csv":
        cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")) for cell in row]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
        for formula in FORMULA_LIKE:
            assert any(cell.startswith(f"'{formula}") for cell in cells), formula
        assert {"N" * NARRATIVE_TEXT, "E" * (NARRATIVE_TEXT - 5), "A" * (LONG_TEXT - 5)} <= set(cells)
    else:
        workbook = load_workbook(io.BytesIO(data))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        assert "N" * NARRATIVE_TEXT in texts and "E" * (NARRATIVE_TEXT - 5) in texts
        for formula in FORMULA_LIKE:
            assert any(text.startswith(formula) for text in texts), formula


def wipe():
    for model in (Milestone, ProgressUpdate, Action, Recommendation, Area, Plan, Lead):
        model.objects.all().delete()


def test_an_xlsx_export_imported_into_an_empty_database_gives_back_every_row(the_plan):
    before = dump(progress_sources=False, line_endings=False)
    data = exported(the_plan, "xlsx")
    wipe()
    first = spreadsheet.import_plan_file(data, "export.xlsx")
    assert first.warnings == []
    # Every progress update comes back (from the Progress sheet), each with the status it set on its day.
    assert dump(progress_sources=False, line_endings=False) == before
    tables = counts()
    second = spreadsheet.import_plan_file(data, "export.xlsx")
    assert {outcome.outcome for outcome in second.outcomes} == {"unchanged"}
    assert counts() == tables and dump(progress_sources=False, line_endings=False) == before


def test_a_csv_export_imported_into_an_empty_database_keeps_the_latest_progress_and_when_the_status_was_set(the_plan):
    before = dump(progress_sources=False, line_endings=False)
    data = exported(the_plan, "csv")
    wipe()
    spreadsheet.import_plan_file(data, "export.csv")
    after = dump(progress_sources=False, line_endings=False)
    assert {name: rows for name, rows in after.items() if name != "progress"} == {
        name: rows for name, rows in before.items() if name not in ("progress", "milestones")
    } | {"milestones": []}  # a CSV holds the plan sheet only
    # One row a plan: the latest narrative on its own day, the status on the day it was reported
    # (never stamped on the older narrative).
    assert after["progress"] == [
        ("1.1", datetime.date(2010, 12, 31), "", same_text("-5% change in waits\r\n\r\n@home too")),
        ("1.1", datetime.date(2011, 1, 15), rag.OFF_TRACK, ""),
        ("1.2", datetime.date(2010, 7, 1), rag.ON_TRACK, "N" * NARRATIVE_TEXT),
    ]
    assert Action.objects.get(number="1.1").status_on(datetime.date(2011, 1, 1)) == ""
    tables = counts()
    again = spreadsheet.import_plan_file(data, "export.csv")
    assert {outcome.outcome for outcome in again.outcomes} == {"unchanged"}
    assert counts() == tables
    assert cells_of(exported(Plan.objects.get(), "csv")) == cells_of(data)


def cells_of(csv_data):
    """A CSV's cells, with the line endings of text typed in a browser as a spreadsheet gives them back."""
    rows = csv.reader(io.StringIO(csv_data.decode("utf-8-sig"), newline=""))
    return [[cell.replace("\r\n", "\n") for cell in row] for row in rows]
