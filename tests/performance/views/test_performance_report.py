"""The performance report (/performance/report/?period=YYYY-MM&format=html|docx|pdf|xlsx): seed 001's Appendix A
from the dashboard's figures, opened and read back; who sees which indicators; a month shows nothing later; a fixed
number of queries whatever the number of indicators."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from actionplans import rag
from actionplans.models import Plan
from core.documents import is_header_row
from core.periods import Month
from performance import state

from ...factories import ActionFactory, AreaFactory, PlanFactory, ProgressUpdateFactory
from ..test_selectors import monthly, rated
from .test_dashboard import indicators, make_large, queries_of  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db
URL = "/performance/report/"


@pytest.fixture
def business_plan(division):
    plan = PlanFactory(unit=division, source=Plan.BUSINESS_PLAN, title="OPPD business plan 2013/14",
                       source_date=datetime.date(2013, 4, 1))
    area = AreaFactory(plan=plan, title="Priority 1")
    for number, status in [("1", rag.COMPLETED), ("2", rag.DELAYED)]:
        ProgressUpdateFactory(action=ActionFactory(area=area, number=number, timescale="Ongoing"),
                              date=datetime.date(2013, 8, 1), status=status)
    return plan


def docx_text(content):
    document = Document(io.BytesIO(content))
    return document, "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)


def test_the_url_is_named():
    assert reverse("performance_report") == URL


def test_the_print_page_has_the_key_the_domains_and_the_business_plan_table(client, indicators, business_plan, mandy):
    client.force_login(mandy)
    page = client.get(URL, {"period": "2013-09"}).content.decode()
    assert "As at the end of September 2013" in page and "Current target achieved or exceeded" in page
    assert "<h2 id=\"domain-1\">Carers</h2>" in page and 'data-indicator="A 1"' in page
    assert "Amber</span>: 27.0% is below the target of 30.0%" in page
    assert 'class="app-sparkline"><svg' in page and "Trend over 12 months" in page
    assert 'id="business-plan-monitoring"' in page and "<th scope=\"row\">OPPD</th>" in page
    assert "O 1" not in page  # another division's indicator


def test_word_reads_back_with_headings_marked_header_rows_and_rag_words(client, indicators, business_plan, mandy):
    client.force_login(mandy)
    response = client.get(URL, {"period": "2013-09", "format": "docx"})
    assert 'filename="performance-report-2013-09.docx"' in response["Content-Disposition"]
    document, text = docx_text(response.content)
    assert document.core_properties.title == "Performance indicators and business plan monitoring, September 2013"
    assert document.core_properties.language == "en-GB"
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert {"How indicators are rated", "Indicators", "Carers", "Personalisation", "Business plan monitoring"} <= set(headings)
    assert all(is_header_row(table.rows[0]) for table in document.tables)
    assert "Amber: 27.0% is below the target of 30.0%" in text and "Trend over 12 months" in text
    assert "OPPD" in text and "Amber: 1 of 2 actions not yet completed" in text
    assert all(section.page_width > section.page_height for section in document.sections)


def test_pdf_and_excel_hold_the_indicators(client, indicators, business_plan, mandy):
    client.force_login(mandy)
    pdf = client.get(URL, {"period": "2013-09", "format": "pdf"}).content
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Carers assessed" in text and "Self-directed support" in text and "Business plan monitoring" in text
    workbook = load_workbook(io.BytesIO(client.get(URL, {"period": "2013-09", "format": "xlsx"}).content))
    assert workbook.sheetnames == ["Indicators 2013-09", "Business plan monitoring", "RAG key"]
    sheet = workbook["Indicators 2013-09"]
    rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
    assert rows["A 1"][10].value == "Amber" and rows["A 1"][10].fill.fgColor.rgb.endswith("FCD6A3")
    assert sheet.freeze_panes == "A2"


def test_a_month_shows_nothing_later(client, division, mandy):
    indicator = rated("L 1", 31, division, domain="Carers", name="Later figures")
    monthly(indicator, [10], first=Month(2013, 10))  # October falls far short
    state.refresh()
    client.force_login(mandy)
    september = client.get(URL, {"period": "2013-09"}).content.decode()
    october = client.get(URL, {"period": "2013-10"}).content.decode()
    assert "31.0%" in september and "10.0%" not in september
    assert "10.0%" in october


def test_filters_bad_months_and_formats(client, indicators, mandy):
    client.force_login(mandy)
    page = client.get(URL, {"period": "2013-09", "domain": "Carers"}).content.decode()
    assert 'data-indicator="G 1"' in page and 'data-indicator="A 1"' not in page
    assert client.get(URL, {"period": "2013-13"}).status_code == 400
    assert client.get(URL, {"period": "2013-09", "format": "odt"}).status_code == 400


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_dashboard_links_to_the_report(client, indicators, mandy):
    client.force_login(mandy)
    page = client.get("/performance/", {"period": "2013-09"}).content.decode()
    assert f'href="{URL}?period=2013-09&amp;format=pdf"' in page


@pytest.mark.parametrize("file_format", ["html", "docx", "xlsx"])
def test_a_fixed_number_of_queries_whatever_the_number_of_indicators(client, division, mandy, file_format,
                                                                      django_assert_max_num_queries):
    for n, value in enumerate([27, 20, 31]):
        rated(f"Y {n}", value, division, domain=f"Domain {n}")
    state.refresh()
    client.force_login(mandy)
    url = f"{URL}?period=2013-09&format={file_format}"
    small = queries_of(client, url)
    make_large(division)
    assert queries_of(client, url) == small
    with django_assert_max_num_queries(14):
        client.get(url)
