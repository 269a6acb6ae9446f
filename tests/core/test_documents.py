"""core/documents.py: the accessible document machinery every report uses, read back as Word and PDF readers
would (python-docx, pypdf)."""

import gc
import io

import pytest
from docx import Document
from pypdf import PdfReader

from core import documents
from core.documents import MERGED, WordDocument, is_header_row
from core.rag import AMBER, GREEN, RED, Rag

ROWS = [(RED, "Red", 3), (AMBER, "Amber", 0), (GREEN, "Green", 5)]


def read_back(word):
    return Document(io.BytesIO(word.to_bytes()))


def test_word_has_title_language_and_real_headings():
    word = WordDocument("Plan report", language="en-GB", subject="Council")
    word.title("Plan report")
    word.heading("Safeguarding adults", 1)
    word.heading("Recommendation 1", 2)
    document = read_back(word)
    assert document.core_properties.title == "Plan report" and document.core_properties.language == "en-GB"
    lang = document.styles.element.xpath("//w:docDefaults//w:lang/@w:val")
    assert lang == ["en-GB"]
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert ("Heading 1", "Safeguarding adults") in styles and ("Heading 2", "Recommendation 1") in styles


def test_a_table_has_a_marked_header_row_that_repeats_and_rag_cells_spelled_out():
    word = WordDocument("Report")
    word.table(["Action", "RAG"], [["1.1 Do it", Rag(RED, "past its due date")], ["1.2 Next\nline two", Rag(GREEN, "on track")]])
    (table,) = read_back(word).tables
    assert [is_header_row(row) for row in table.rows] == [True, False, False]
    assert [cell.text for cell in table.rows[0].cells] == ["Action", "RAG"]
    assert table.rows[1].cells[1].text == "Red: past its due date"
    fill = table.rows[1].cells[1]._tc.xpath("./w:tcPr/w:shd/@w:fill")
    assert fill == [Rag(RED, "").fill_hex]
    assert [p.text for p in table.rows[2].cells[0].paragraphs] == ["1.2 Next", "line two"]


def test_merged_cells_span_the_rows_of_one_recommendation():
    word = WordDocument("Report")
    word.table(["Recommendation", "Action"], [["Rec 1", "a"], [MERGED, "b"], [MERGED, "c"], ["Rec 2", "d"]])
    (table,) = read_back(word).tables
    assert [row.cells[0].text for row in table.rows[1:]] == ["Rec 1", "Rec 1", "Rec 1", "Rec 2"]
    assert table.rows[1].cells[0]._tc is table.rows[3].cells[0]._tc


def test_landscape_sections_and_pictures_with_alt_text():
    word = WordDocument("Report")
    word.picture(documents.rag_bar_chart_png(ROWS), documents.chart_alt(ROWS))
    word.new_section(landscape=True)
    document = read_back(word)
    first, second = document.sections
    assert first.page_width < first.page_height and second.page_width > second.page_height
    (descr,) = document.element.body.xpath(".//wp:docPr/@descr")
    assert descr == "Actions by RAG colour: 3 Red, 0 Amber, 5 Green (8 in all)"


@pytest.mark.parametrize(
    "rows, alt",
    [
        (ROWS, "Actions by RAG colour: 3 Red, 0 Amber, 5 Green (8 in all)"),
        ([], "Actions by RAG colour:  (0 in all)"),
        ([(GREEN, "Green", 1)], "Actions by RAG colour: 1 Green (1 in all)"),
    ],
)
def test_the_chart_says_in_words_what_it_shows(rows, alt):
    assert documents.chart_alt(rows) == alt
    svg = documents.rag_bar_chart_svg(rows)
    assert 'role="img"' in svg and f"<title>{alt}</title>" in svg


def test_the_chart_labels_each_bar_with_its_word_and_count():
    svg = documents.rag_bar_chart_svg(ROWS)
    for _, label, count in ROWS:
        assert f">{label}</text>" in svg and f">{count}</text>" in svg


def test_pdf_is_tagged_with_title_and_language():
    html = '<!DOCTYPE html><html lang="en-GB"><head><title>Plan report</title></head><body><main><h1>Plan</h1><p>Action 1.1 text</p></main></body></html>'
    pdf = documents.html_to_pdf(html)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Plan report"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB" and catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    assert "Action 1.1 text" in reader.pages[0].extract_text()


@pytest.mark.parametrize("collector_on", [True, False])
def test_a_pdf_is_made_with_the_cycle_collector_off_and_leaves_it_as_it_found_it(monkeypatch, collector_on):
    import weasyprint

    seen = []
    real_write_pdf = weasyprint.HTML.write_pdf

    def write_pdf(self, **options):
        seen.append(gc.isenabled())
        return real_write_pdf(self, **options)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", write_pdf)
    (gc.enable if collector_on else gc.disable)()
    try:
        documents.html_to_pdf("<html lang='en-GB'><title>Report</title><p>Text</p></html>")
        assert seen == [False] and gc.isenabled() is collector_on
    finally:
        gc.enable()


def test_the_collector_stays_off_until_the_last_of_overlapping_renders_ends():
    first, second = documents._without_cycle_collection(), documents._without_cycle_collection()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # another thread's render ending first
    assert not gc.isenabled()
    with pytest.raises(ValueError):
        with documents._without_cycle_collection():
            raise ValueError("a render failing")
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_page_references_are_pydyfs_built_once_per_number_of_pages():
    import pydyf

    documents.html_to_pdf("<html lang='en-GB'><title>Report</title><p>Text</p></html>")
    assert pydyf.PDF.page_references.fget is documents._page_references_kept
    pdf = pydyf.PDF()
    for count in range(1, 5):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        references = pdf.page_references
        assert references == tuple(f"{number} 0 R".encode() for number in pdf.pages["Kids"][::3]) and len(references) == count
        assert pdf.page_references is references  # kept until a page is added


def test_a_pydyf_whose_page_references_mean_something_else_keeps_its_own(monkeypatch):
    import pydyf

    their_own = property(lambda pdf: [f"{number} 0 R" for number in pdf.pages["Kids"][::3]])
    monkeypatch.setattr(pydyf.PDF, "page_references", their_own)
    documents._keep_page_references()
    assert pydyf.PDF.page_references is their_own


def test_in_the_pdf_report_cells_have_borders_on_four_sides_the_top_and_left_a_hairline():
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TableCellBox

    from core.templatetags.documents import document_styles

    html = (
        f"<html><head>{document_styles(True)}</head><body><table class='app-report-table'><thead><tr><th>Action</th></tr>"
        "</thead><tbody><tr><td class='app-group-open'>Open</td></tr><tr><td>Cell</td></tr></tbody></table></body></html>"
    )
    page = HTML(string=html).render(stylesheets=[documents._pdf_drawing_css()]).pages[0]
    cells = {box.element.text: box for box in page._page_box.descendants() if isinstance(box, TableCellBox)}

    def widths(text):
        box = cells[text]
        return [round(getattr(box, f"border_{side}_width"), 2) for side in ("top", "right", "bottom", "left")]

    assert widths("Action") == [1, 1, 1, 0.01]  # the header row's top line as drawn in the browser
    assert widths("Cell") == [0.01, 1, 1, 0.01]
    assert widths("Open") == [0, 1, 0, 0]  # a recommendation's open cell, drawn side by side anyway


def test_without_pango_a_pdf_says_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(documents.DocumentUnavailable, match="apt-get install libpango"):
        documents.html_to_pdf("<html></html>")
    assert "fonts-liberation" in documents.pdf_unavailable()


def test_a_count_chart_says_in_words_what_it_shows_in_svg_and_in_word():
    rows = [("Police", 12), ("Family Members", 1_200)]
    alt = documents.count_chart_alt("Referrals by source", rows)
    assert alt == "Referrals by source: Police 12, Family Members 1,200 (1,212 in all)"
    svg = documents.count_bar_chart_svg("Referrals by source", rows)
    assert 'role="img"' in svg and f"<title>{alt}</title>" in svg and ">Family Members</text>" in svg
    word = WordDocument("Report")
    word.picture(documents.count_bar_chart_png(rows), alt)
    assert read_back(word).element.body.xpath(".//wp:docPr/@descr") == [alt]
