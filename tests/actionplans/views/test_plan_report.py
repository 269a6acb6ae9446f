"""The plan's committee report (`/plans/<id>/?format=html|docx|pdf|xlsx|csv&layout=…&as_at=…`): each format opened
and read back, both layouts, "as at" a day, who may see it and a fixed number of queries whatever the plan's size."""

import datetime
import io

import pytest
from docx import Document
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from actionplans import rag
from actionplans.models import InspectionJudgement
from core.documents import is_header_row

from ...factories import ActionFactory, AreaFactory, MilestoneFactory, ProgressUpdateFactory, RecommendationFactory
from ..conftest import LARGE, SMALL

pytestmark = pytest.mark.django_db


@pytest.fixture
def inspection(plan, lead):
    """Two areas, a recommendation with two actions (one with milestones), and a judgement, as seed 000 has."""
    InspectionJudgement.objects.create(plan=plan, outcome="Safeguarding adults", judgement="performing well")
    safeguarding = AreaFactory(plan=plan, title="Safeguarding adults", order=0)
    leadership = AreaFactory(plan=plan, title="Leadership", order=1)
    recommendation = RecommendationFactory(
        plan=plan, area=safeguarding, number="4", text="Close cases open for more than six months",
        measurable_indicator="Fewer cases open six months", desired_outcome="Reduction in open cases",
    )
    first = ActionFactory(area=safeguarding, recommendation=recommendation, number="4.1", text="Review every open case",
                          timescale="March 2011", leads=[lead], expected_evidence="Audit shows reviews done")
    ActionFactory(area=safeguarding, recommendation=recommendation, number="4.2", text="Agree a closure standard",
                  timescale="Ongoing", leads=[lead])
    ActionFactory(area=leadership, number="9", text="Report district council adaptations", timescale="April 2011")
    MilestoneFactory(action=first, activity="Consult partner councils", date_text="January – March 2011")
    ProgressUpdateFactory(action=first, date=datetime.date(2010, 6, 30), status=rag.ON_TRACK, narrative="Audit begun")
    ProgressUpdateFactory(action=first, date=datetime.date(2011, 5, 1), status=rag.COMPLETED, narrative="All reviewed")
    return plan


def get(client, plan, **query):
    return client.get(reverse("plan_detail", args=[plan.pk]), query)


def pdf_text(content):
    """The PDF's words with the lines a narrow cell wraps joined again."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_print_page_has_the_cover_and_both_layouts(client, oscar, inspection):
    client.force_login(oscar)  # any signed-in person reads a plan
    page = get(client, inspection, format="html", as_at="2011-01-31").content.decode()
    assert "<title>Sefton improvement plan: improvement plan updated 31 January 2011</title>" in page
    assert "Improvement plan updated 31 January 2011" in page and "Performing well" in page
    assert "Recommendation</th>" in page and "Measurable indicator</th>" in page
    # The recommendation heads its first action's row and the next action's row names it (no rowspan, for WeasyPrint).
    assert page.count("Close cases open for more than six months") == 1 and "Recommendation 4, continued" in page
    # ... in one cell across the recommendation's three columns, not beside two empty ones (fewer boxes to lay out).
    assert '<td colspan="3" class="app-small">Recommendation 4, continued</td>' in page
    assert "Consult partner councils" in page and "Milestones of action 4.1" in page
    assert 'class="app-report-nav"' in page and "report.css" in page  # the site's page links its stylesheet
    assert page.count('class="app-report-area"') == 2
    action_layout = get(client, inspection, format="html", layout="action").content.decode()
    for header in ("Expected evidence of improvement</th>", "RAG</th>", "Latest progress</th>"):
        assert header in action_layout
    assert "Audit shows reviews done" in action_layout and "<h3>Recommendation 4</h3>" in action_layout


def test_word_has_headings_tables_with_header_rows_and_the_rag_in_words(client, mandy, inspection):
    client.force_login(mandy)
    response = get(client, inspection, format="docx", as_at="2011-01-31")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert 'filename="sefton-improvement-plan-as-at-2011-01-31.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title.startswith("Sefton improvement plan") and document.core_properties.language == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:1] == ["Summary of actions by RAG colour"] and "Safeguarding adults" in headings and "Leadership" in headings
    for table in document.tables:
        assert is_header_row(table.rows[0])
    area_table = next(t for t in document.tables if t.rows[0].cells[0].text == "Recommendation")
    assert [c.text for c in area_table.rows[0].cells] == [
        "Recommendation", "Measurable indicator", "Desired outcome", "Timescale", "Lead(s)", "Actions to date",
    ]
    actions_to_date = area_table.rows[1].cells[5].text
    assert "Review every open case" in actions_to_date and "RAG: Green" in actions_to_date and "Audit begun" in actions_to_date
    assert area_table.rows[1].cells[0]._tc is area_table.rows[2].cells[0]._tc  # the recommendation spans its actions
    nested = area_table.rows[1].cells[5].tables[0]
    assert is_header_row(nested.rows[0]) and nested.rows[1].cells[1].text == "Consult partner councils"
    landscape = [s for s in document.sections if s.page_width > s.page_height]
    assert len(landscape) == 2  # one per area
    assert document.element.body.xpath(".//wp:docPr/@descr")[0].startswith("Actions by RAG colour:")


def test_pdf_holds_the_actions_text_and_is_tagged(client, mandy, inspection):
    client.force_login(mandy)
    response = get(client, inspection, format="pdf", as_at="2011-01-31", layout="action")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for words in ("Review every open case", "Agree a closure standard", "Report district council adaptations", "Audit begun"):
        assert words in text
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.trailer["/Root"]["/Lang"] == "en-GB" and "/StructTreeRoot" in reader.trailer["/Root"]


def test_excel_is_one_row_per_action_with_rag_spelled_out_and_coloured(client, mandy, inspection):
    client.force_login(mandy)
    workbook = load_workbook(io.BytesIO(get(client, inspection, format="xlsx", as_at="2011-01-31").content))
    sheet = workbook["Plan"]
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    assert [row["Action No"] for row in rows] == ["4.1", "4.2", "9"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rag_cell = sheet.cell(row=2, column=headers.index("RAG") + 1)
    assert rag_cell.value == "Green" and rag_cell.fill.fgColor.rgb.endswith("CCE2D8")


def test_as_at_leaves_out_what_came_later(client, mandy, inspection):
    client.force_login(mandy)
    early = get(client, inspection, format="docx", as_at="2011-01-31")
    text = "\n".join(cell.text for table in Document(io.BytesIO(early.content)).tables for row in table.rows for cell in row.cells)
    assert "Audit begun" in text and "All reviewed" not in text
    assert "All reviewed" not in pdf_text(get(client, inspection, format="pdf", as_at="2011-01-31").content)
    assert "All reviewed" not in get(client, inspection, format="html", as_at="2011-01-31").content.decode()
    assert "All reviewed" in get(client, inspection, format="html", as_at="2011-06-01").content.decode()


def test_bad_format_layout_or_day_is_a_plain_error(client, mandy, inspection):
    client.force_login(mandy)
    assert get(client, inspection, format="odt").status_code == 400
    assert "Unknown layout" in get(client, inspection, format="docx", layout="wide").content.decode()
    assert get(client, inspection, format="pdf", as_at="2011-02-31").status_code == 400


def test_anonymous_is_sent_to_sign_in(client, inspection):
    response = get(client, inspection, format="pdf")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_filters_narrow_every_format(client, mandy, inspection):
    client.force_login(mandy)
    page = get(client, inspection, format="html", as_at="2011-06-01", rag=rag.RED).content.decode()
    assert "Report district council adaptations" in page and "Review every open case" not in page
    assert "Filtered (RAG Red): 1 action shown." in page


@pytest.mark.parametrize("file_format", ["html", "docx", "pdf", "xlsx", "csv"])
def test_query_count_does_not_grow_with_the_plan(client, mandy, division, lead, plan_of, queries_of, file_format,
                                                   django_assert_max_num_queries):
    client.force_login(mandy)
    query = f"?format={file_format}&as_at=2010-07-01"
    small = queries_of(reverse("plan_detail", args=[plan_of(SMALL, division, lead, "Small").pk]) + query)
    large = plan_of(LARGE, division, lead, "Large")
    assert queries_of(reverse("plan_detail", args=[large.pk]) + query) == small
    with django_assert_max_num_queries(16):
        client.get(reverse("plan_detail", args=[large.pk]) + query)
