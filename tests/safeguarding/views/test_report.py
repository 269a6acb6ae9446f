"""The quarterly report to the Cabinet Member: seed 004's quarter as printed, who may see it, fixed queries."""

import pytest
from django.urls import reverse

from core.periods import parse_period
from safeguarding import selectors
from tests.safeguarding.views.test_overview import _add_history

URL = reverse("safeguarding_report")


def test_needs_a_login(client, team):
    assert client.get(URL)["Location"].startswith(reverse("login"))


def test_someone_who_does_not_see_the_team_is_refused(client, maurice, team):
    client.force_login(maurice)
    assert client.get(URL).status_code == 403


def test_seed_004s_quarter_as_printed(client, seeded, mandy_of_sefton):
    client.force_login(mandy_of_sefton)
    response = client.get(URL, {"quarter": "2009/10 Q4"})
    report = response.context["report"]
    assert report.period_words == "1 January 2010 to 31 March 2010"
    assert (report.concerns, report.multiple_abuse) == (192, 56)
    assert [(line.name, line.count) for line in report.gender.lines] == [("Female", 104), ("Male", 88)]
    assert [(line.name, line.count) for line in report.sources.lines] == [
        ("Residential and Nursing Homes", 80), ("Primary Care Settings", 22), ("Police", 12),
        ("Domiciliary Care providers", 13), ("Other Social Care settings", 14), ("Day Care", 5), ("Family Members", 11),
        ("Social Workers direct", 8), ("Secondary Health Care", 7), ("Other", 7), ("Housing", 4), ("Self Referrals", 3),
        ("Education", 3), ("CQC", 3),
    ]
    assert report.sources.total == 192
    assert [line.count for line in report.abuse_types.lines] == [82, 44, 47, 61, 13, 1]
    assert [(line.course, line.agency, line.attendees) for line in report.training] == [
        ("Alerter", "Council, partner and voluntary organisations", 530), ("Alerter", "Voluntary groups linked to CVS", 6),
        ("Manager for investigators", "Council", 11), ("Refresher for investigators", "Council", 12),
    ]
    assert len(report.selected_outcomes) == 4 and report.selected_outcomes[0].startswith("Prosecution of a care worker")
    assert [row.code for row in report.timeliness] == [f"SG {n:02d}" for n in range(1, 8)]
    page = response.content.decode()
    assert "Total referrals (safeguarding concerns) for the period 1 January 2010 to 31 March 2010 numbered 192." in page
    assert "104 female and 88 male adults at risk." in page
    assert "The allegations involved 56 cases of multiple abuse" in page


def test_the_report_is_a_frozen_read_model(seeded):
    report = selectors.quarterly_report(seeded, parse_period("2009/10 Q4"))
    with pytest.raises(AttributeError):
        report.concerns = 1


def test_a_quarter_with_no_figures_says_so(client, team, ada):
    client.force_login(ada)
    page = client.get(URL, {"quarter": "2007/08 Q1"}).content.decode()
    assert "No figures have been entered for Q1 2007/08" in page


@pytest.mark.parametrize("query", ["", "?quarter=2009/10+Q4"])
def test_a_fixed_number_of_queries_whatever_the_number_of_quarters(client, team, category, ada, mandy, query,
                                                                    django_assert_max_num_queries, time_machine):
    import datetime
    time_machine.move_to(datetime.datetime(2010, 5, 26, 12), tick=False)
    _add_history(team, 2, category, ada)
    client.force_login(mandy)
    with django_assert_max_num_queries(REPORT_QUERIES) as few:
        client.get(URL + query)
    _add_history(team, 40, category, ada)
    with django_assert_max_num_queries(REPORT_QUERIES) as many:
        assert client.get(URL + query).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# Session, user with their profile, units below the user's, their teams, the quarters with figures, the quarter's figures and
# counts, the categories, training, measures, stored figures and readings (the menu's answer was worked out at
# sign-in).
REPORT_QUERIES = 12


# --- The report as a committee document: Word and PDF ---------------------------------------------------------


def _pdf_text(content):
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return reader, " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def _needs_pango():
    from core.documents import pdf_unavailable

    if pdf_unavailable():
        pytest.skip(pdf_unavailable())


def test_the_page_links_to_word_and_pdf(client, seeded, mandy_of_sefton):
    client.force_login(mandy_of_sefton)
    page = client.get(URL, {"quarter": "2009/10 Q4"}).content.decode()
    assert f"?team={seeded.pk}&amp;quarter=Q4+2009%2F10&amp;format=docx" in page
    assert f"?team={seeded.pk}&amp;quarter=Q4+2009%2F10&amp;format=pdf" in page


def test_word_has_the_quarter_with_headings_header_rows_charts_with_alt_text_and_rag_in_words(
        client, seeded, mandy_of_sefton):
    import io

    from docx import Document

    from core.documents import is_header_row

    client.force_login(mandy_of_sefton)
    response = client.get(URL, {"quarter": "2009/10 Q4", "format": "docx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="safeguarding-report-safeguarding-adults-team-q4-2009-10.docx"' in response["Content-Disposition"]
    document = Document(io.BytesIO(response.content))
    assert document.core_properties.title.startswith("Safeguarding adults: quarterly update, 1 January 2010")
    assert document.core_properties.language == "en-GB"
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "2. Statistics for the period 1 January 2010 to 31 March 2010") in styles
    assert ("Heading 2", "Referrals by source") in styles
    assert ("Normal", "104 female and 88 male adults at risk.") in styles
    training, sources, abuse_types, timeliness = document.tables
    assert all(is_header_row(table.rows[0]) and not is_header_row(table.rows[1]) for table in document.tables)
    assert [cell.text for cell in training.rows[0].cells] == ["Course", "Date", "Agency or sector", "Attended"]
    assert [c.text for c in sources.rows[1].cells] == ["Residential and Nursing Homes", "80"]
    assert [c.text for c in sources.rows[-1].cells] == ["Total", "192"]
    assert [c.text for c in abuse_types.rows[1].cells] == ["Physical", "82"]
    assert [c.text for c in timeliness.rows[0].cells] == ["Measure", "Q4 2009/10", "Target", "RAG"]
    assert timeliness.rows[1].cells[3].text.startswith(("Green: ", "Amber: ", "Red: ", "Not rated: "))
    alts = document.element.body.xpath(".//wp:docPr/@descr")
    assert alts[0].startswith("Referrals by source, Q4 2009/10: Residential and Nursing Homes 80, Primary Care Settings 22")
    assert alts[1].startswith("Cases by category of abuse, Q4 2009/10: Physical 82")


def test_pdf_is_tagged_and_has_the_quarter(client, seeded, mandy_of_sefton):
    _needs_pango()
    client.force_login(mandy_of_sefton)
    response = client.get(URL, {"quarter": "2009/10 Q4", "format": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader, text = _pdf_text(response.content)
    assert reader.metadata.title.startswith("Safeguarding adults: quarterly update, 1 January 2010")
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB" and catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    assert "Total referrals (safeguarding concerns) for the period 1 January 2010 to 31 March 2010 numbered 192." in text
    assert "Residential and Nursing Homes 80" in text and "Prosecution of a care worker" in text
    assert "The allegations involved 56 cases of multiple abuse" in text
    assert "% referrals responded to within 24 hours" in text and "Green:" in text


def test_the_charts_of_the_pdf_have_text_alternatives(seeded):
    from safeguarding import report as report_files

    html = report_files.render_html(selectors.quarterly_report(seeded, parse_period("2009/10 Q4")))
    assert html.count('role="img"') == 2
    assert "<title>Referrals by source, Q4 2009/10: Residential and Nursing Homes 80," in html
    assert '<html lang="en-GB">' in html and "<thead><tr><th scope=\"col\">Source</th>" in html


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_someone_who_does_not_see_the_team_gets_no_document(client, maurice, team, file_format):
    client.force_login(maurice)
    assert client.get(URL, {"format": file_format}).status_code == 403


def test_a_quarter_with_no_figures_still_makes_a_document_that_says_so(client, team, ada):
    import io

    from docx import Document

    client.force_login(ada)
    response = client.get(URL, {"quarter": "2007/08 Q1", "format": "docx"})
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "No figures have been entered for Q1 2007/08." in text and "No training was recorded in the quarter." in text


@pytest.mark.parametrize("query, status", [({"format": "xlsx"}, 400), ({"format": "pdf", "quarter": "Q9"}, 400)])
def test_an_unknown_format_or_quarter_is_refused(client, team, ada, query, status):
    client.force_login(ada)
    assert client.get(URL, query).status_code == status


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_a_document_runs_a_fixed_number_of_queries_whatever_the_number_of_quarters(
        client, team, category, ada, mandy, file_format, django_assert_max_num_queries, time_machine):
    import datetime
    if file_format == "pdf":
        _needs_pango()
    time_machine.move_to(datetime.datetime(2010, 5, 26, 12), tick=False)
    _add_history(team, 2, category, ada)
    client.force_login(mandy)
    query = {"quarter": "2009/10 Q4", "format": file_format}
    with django_assert_max_num_queries(DOCUMENT_QUERIES) as few:
        assert client.get(URL, query).status_code == 200
    _add_history(team, 40, category, ada)
    with django_assert_max_num_queries(DOCUMENT_QUERIES) as many:
        assert client.get(URL, query).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


# The page's queries: a document has no menu, and the page's menu asks nothing once the session has its answer.
DOCUMENT_QUERIES = REPORT_QUERIES
