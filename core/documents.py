"""Committee documents for every app: PDF from a report's HTML (WeasyPrint), Word built with python-docx,
and the small RAG chart both carry.

Nothing here knows what a plan or an indicator is: each app renders its own read model with these.
What they guarantee is what an accessible committee paper needs (issue 14, and the Public Sector
Bodies Accessibility Regulations that councils' papers fall under):

- a document title and a language (PDF: the HTML's <title> and lang, tagged as PDF/UA; Word: the
  core properties and the default run language);
- real headings (Word's Heading 1-3 styles, so the navigation pane and a table of contents work);
- real tables whose header row is marked as one and repeats on each printed page;
- a RAG colour never alone: a RAG cell is shaded AND spelled out ("Red: past its due date...");
- a text alternative for every chart.

WeasyPrint needs Pango from the operating system (Debian: libpango-1.0-0); it is imported only when a
PDF is made, so that every other page works without it, and `pdf_unavailable()` says what to install.
"""

import gc
import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

from .rag import HEX, Rag

PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"
# The print stylesheet of every report page, shared by the browser (as a static file) and WeasyPrint.
REPORT_CSS = Path(__file__).resolve().parent.parent / "static" / "documents" / "report.css"
# Liberation Sans has Arial's metrics (Debian's fonts-liberation): what councils' templates use.
FONT_NAME = "Arial"
PANGO_HINT = (
    "PDF reports need Pango and a font with Arial's metrics from the operating system. "
    "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation"
)


class DocumentUnavailable(Exception):
    """A PDF cannot be made on this machine (WeasyPrint cannot load Pango): the message says what to install."""


# --- PDF ----------------------------------------------------------------------------------------------


def pdf_unavailable():
    """Why PDFs cannot be made here (the line to show), or "" when they can."""
    try:
        import weasyprint  # noqa: F401  (loading it loads Pango through cffi)
    except (OSError, ImportError) as error:
        return f"{PANGO_HINT} ({error})"
    return ""


def html_to_pdf(html, *, base_url=None):
    """PDF bytes of an HTML document, tagged for screen readers (PDF/UA-1): its <title> becomes the PDF's title
    and its lang the PDF's language. The document carries its own styles, as a standalone report does
    (templates/documents/base.html writes the report stylesheet in): applying it a second time here cost a
    300-action plan about a second of cascade for nothing. Only the PDF's own drawing rules are added here
    (PDF_DRAWING_CSS)."""
    try:
        from weasyprint import HTML
    except (OSError, ImportError) as error:
        raise DocumentUnavailable(f"{PANGO_HINT} ({error})") from error
    _keep_page_references()
    with _without_cycle_collection():
        document = HTML(string=html, base_url=base_url or str(REPORT_CSS.parent))
        return document.write_pdf(pdf_variant="pdf/ua-1", stylesheets=[_pdf_drawing_css()])


# The report's table cells draw their right and bottom borders (static/documents/report.css). In the PDF they also
# have top and left ones a hundredth of a pixel wide, which nobody sees: WeasyPrint draws a border of one colour
# and style on all four sides as one shape, and one on fewer sides side by side, each with a clip of its own
# (twice the drawing operators, 4% of a 300-action plan's PDF time). For the PDF only, as a browser draws any
# border at least a pixel wide; and as a user stylesheet, whose !important outranks the report's own rules. A
# recommendation's open cells keep their three sides: they are drawn side by side either way.
PDF_DRAWING_CSS = """
.app-report-table td:not(.app-group-open), .app-report-table th:not(.app-group-open),
.app-milestones td, .app-milestones th { border-left-width: 0.01px !important; }
.app-report-table tbody td:not(.app-group-open), .app-report-table tbody th:not(.app-group-open),
.app-milestones tbody td, .app-milestones tbody th { border-top-width: 0.01px !important; }
"""


@cache
def _pdf_drawing_css():
    from weasyprint import CSS

    return CSS(string=PDF_DRAWING_CSS)


def _page_references_kept(pdf):
    """pydyf's `PDF.page_references` (each page's "n 0 R"), built once per number of pages instead of on every read."""
    kids = pdf.pages["Kids"]
    kept = pdf.__dict__.get("_page_references_kept")
    if kept is None or kept[0] is not kids or kept[1] != len(kids):
        kept = (kids, len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        pdf.__dict__["_page_references_kept"] = kept
    return kept[2]


def _keep_page_references():
    """Have pydyf build a PDF's list of page references once rather than on each read: tagging a PDF (PDF/UA) reads
    it for every structure element, each line of text in a cell among them, and pydyf 0.13 built the whole list
    each time, quadratic in the pages (about 17,000 reads of a 110-item list for a 300-action plan).

    Put in place only where pydyf's own property gives the same references as ours on a small PDF, so that a pydyf
    that changes its meaning keeps its own."""
    import pydyf

    current = getattr(pydyf.PDF, "page_references", None)
    if not isinstance(current, property) or current.fget is _page_references_kept:
        return
    pdf = pydyf.PDF()
    for _ in range(3):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    if current.fget(pdf) == _page_references_kept(pdf):
        pydyf.PDF.page_references = property(_page_references_kept, doc=current.__doc__)


# Python's cycle collector is off while WeasyPrint renders. A 300-action plan's boxes, pages and PDF objects are
# about 400,000 objects that live until the PDF is written, and Python 3.11 ran about eight full collections over
# them (and everything else in the process) on the way, a second of a six-second render, to find almost nothing.
# They hold each other, so they are garbage only once the PDF is made: the first collection after the collector is
# back on frees them in one pass (about 0.3 s). Peak memory is 3 MiB higher. Renders in other threads keep the
# collector off until the last one ends.
_collector_lock = threading.Lock()
_renders_in_progress = 0
_collector_was_on = False


@contextmanager
def _without_cycle_collection():
    global _renders_in_progress, _collector_was_on
    with _collector_lock:
        if not _renders_in_progress:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _renders_in_progress += 1
    try:
        yield
    finally:
        with _collector_lock:
            _renders_in_progress -= 1
            if not _renders_in_progress and _collector_was_on:
                gc.enable()


# --- Bar charts: the RAG summary, and counts by category ------------------------------------------------------

# The bars' fills: the badges' text colours (core.rag.HEX), dark enough against white (3:1 for graphics).
BAR_WIDTH, BAR_GAP, LABEL_WIDTH, CHART_HEIGHT_PER_BAR = 300, 8, 110, 26
# A count chart's one fill: GOV.UK's dark blue (over 3:1 on white), its labels as long as category names run.
COUNT_FILL, COUNT_LABEL_WIDTH = "1d70b8", 230


def chart_alt(rows, noun="actions"):
    """The chart's text alternative: "Actions by RAG colour: 3 Red, 2 Amber, 5 Green (10 in all)"."""
    total = sum(count for _, _, count in rows)
    counted = ", ".join(f"{count} {label}" for _, label, count in rows)
    return f"{noun.capitalize()} by RAG colour: {counted} ({total} in all)"


def count_chart_alt(title, rows):
    """A count chart's text alternative, `rows` as (label, count): "Referrals by source: Police 12, Family 8 (20 in
    all)"."""
    counted = ", ".join(f"{label} {count:,}" for label, count in rows)
    return f"{title}: {counted} ({sum(count for _, count in rows):,} in all)"


def _bars_svg(bars, alt, label_width):
    """`bars` as (label, count, fill hex) drawn as horizontal bars, each labelled with its word and count."""
    largest = max((count for _, count, _ in bars), default=0) or 1
    height = CHART_HEIGHT_PER_BAR * len(bars) + BAR_GAP
    parts = []
    for index, (label, count, fill) in enumerate(bars):
        y = BAR_GAP + index * CHART_HEIGHT_PER_BAR
        length = round(BAR_WIDTH * count / largest) if count else 0
        parts.append(
            f'<text x="0" y="{y + 13}" font-family="arial, sans-serif" font-size="13" fill="#0b0c0c">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="18" fill="#{fill}"/>'
            f'<text x="{label_width + length + 6}" y="{y + 13}" font-family="arial, sans-serif" font-size="13" '
            f'fill="#0b0c0c">{count}</text>'
        )
    width = label_width + BAR_WIDTH + 40
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-report-chart" role="img" aria-label="{escape(alt)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}"><title>{escape(alt)}</title>{"".join(parts)}</svg>'
    )


def rag_bar_chart_svg(rows, noun="actions"):
    """A horizontal bar per colour, `rows` as (colour, label, count), as inline SVG with role="img" and the text
    alternative; each bar is labelled with its word and count, so colour is never the only cue."""
    return _bars_svg([(label, count, HEX[colour][0]) for colour, label, count in rows], chart_alt(rows, noun), LABEL_WIDTH)


def count_bar_chart_svg(title, rows):
    """A horizontal bar per category, `rows` as (label, count), with its text alternative (`count_chart_alt`)."""
    return _bars_svg([(label, count, COUNT_FILL) for label, count in rows], count_chart_alt(title, rows), COUNT_LABEL_WIDTH)


def _font(size):
    from PIL import ImageFont

    for path in (
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    ):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _bars_png(bars, label_width):
    """The bars of `_bars_svg` as a PNG (Word cannot show SVG everywhere), drawn at twice the size for print."""
    from PIL import Image, ImageDraw

    scale = 2
    width = (label_width + BAR_WIDTH + 40) * scale
    height = (CHART_HEIGHT_PER_BAR * len(bars) + BAR_GAP) * scale
    image = Image.new("RGB", (width, max(height, 1)), "white")
    draw = ImageDraw.Draw(image)
    font = _font(13 * scale)
    largest = max((count for _, count, _ in bars), default=0) or 1
    for index, (label, count, fill) in enumerate(bars):
        y = (BAR_GAP + index * CHART_HEIGHT_PER_BAR) * scale
        length = round(BAR_WIDTH * count / largest) * scale if count else 0
        draw.text((0, y), label, fill="#0b0c0c", font=font)
        if length:
            draw.rectangle([label_width * scale, y, label_width * scale + length, y + 18 * scale], fill=f"#{fill}")
        draw.text((label_width * scale + length + 6 * scale, y), str(count), fill="#0b0c0c", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def rag_bar_chart_png(rows):
    """The RAG chart as a PNG, for Word."""
    return _bars_png([(label, count, HEX[colour][0]) for colour, label, count in rows], LABEL_WIDTH)


def count_bar_chart_png(rows):
    """The count chart as a PNG, for Word."""
    return _bars_png([(label, count, COUNT_FILL) for label, count in rows], COUNT_LABEL_WIDTH)


# --- Word -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Merged:
    """A table cell that continues the cell above it (one Recommendation spanning its actions, as seed 000)."""


MERGED = Merged()


class WordDocument:
    """A Word document with the accessibility a committee paper needs (see the module docstring).

    Cells of `table` rows may be text (lines kept), a `core.rag.Rag` (shaded and spelled out), None (empty),
    MERGED (continues the cell above) or a function that writes into the python-docx cell itself (a
    milestone table inside an action, say).
    """

    def __init__(self, title, *, language="en-GB", subject="", author="", landscape=False):
        from docx import Document
        from docx.oxml.ns import qn
        from docx.shared import Pt

        self.document = Document()
        properties = self.document.core_properties
        properties.title, properties.language, properties.subject = title, language, subject
        properties.author = author
        # The language every run inherits, for screen readers and the spelling checker (the template says en-US).
        defaults = self.document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = defaults.find(qn("w:lang"))
        lang.set(qn("w:val"), language)
        lang.set(qn("w:eastAsia"), language)
        normal = self.document.styles["Normal"]
        normal.font.name, normal.font.size = FONT_NAME, Pt(10)
        normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT_NAME)
        for level in (1, 2, 3):
            style = self.document.styles[f"Heading {level}"]
            # Word's blue heading colours fall short of 4.5:1 on white: headings print black.
            style.font.name, style.font.color.rgb = FONT_NAME, None
        self.document.styles["Heading 1"].font.size = Pt(16)
        self.document.styles["Heading 2"].font.size = Pt(13)
        self.document.styles["Heading 3"].font.size = Pt(11)
        if landscape:
            self._orient(self.document.sections[0], landscape=True)

    @staticmethod
    def _orient(section, *, landscape):
        from docx.enum.section import WD_ORIENT
        from docx.shared import Cm

        width, height = (Cm(29.7), Cm(21.0)) if landscape else (Cm(21.0), Cm(29.7))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(1.8))

    def new_section(self, *, landscape):
        """A new page in landscape (the wide tables) or portrait."""
        from docx.enum.section import WD_SECTION

        self._orient(self.document.add_section(WD_SECTION.NEW_PAGE), landscape=landscape)

    def title(self, text):
        return self.document.add_heading(text, level=0)

    def heading(self, text, level=1):
        return self.document.add_heading(text, level=level)

    def paragraph(self, text="", *, bold=False, style=None):
        paragraph = self.document.add_paragraph(style=style)
        if text:
            paragraph.add_run(text).bold = bold
        return paragraph

    def bullets(self, lines):
        for line in lines:
            self.document.add_paragraph(line, style="List Bullet")

    def picture(self, png, alt, width_cm=12):
        """A picture with its text alternative (the drawing's descr, what Word's Alt Text shows)."""
        from docx.shared import Cm

        shape = self.document.add_picture(io.BytesIO(png), width=Cm(width_cm))
        shape._inline.docPr.set("descr", alt)
        shape._inline.docPr.set("title", alt)
        return shape

    def table(self, headers, rows, *, widths_cm=None, container=None):
        """A real Word table: a bold, shaded header row marked as a header (it repeats on each page and is read as
        the column headers), then `rows`. `container` a table cell to nest the table in (a milestone table)."""
        from docx.table import _Cell

        target = container if container is not None else self.document
        table = target.add_table(rows=1, cols=len(headers))
        table.style = self.document.styles["Table Grid"]
        header_row = table.rows[0]
        mark_header_row(header_row)
        previous = header_row.cells
        for cell, text in zip(header_row.cells, headers):
            write_text(cell, text, bold=True)
            shade(cell, "E5E6E7")
        spans = {}  # column: the top cell of the run of MERGED cells going on in it
        for values in rows:
            # The row's cells straight from its XML: python-docx's row.cells rebuilds the whole table's grid each
            # call, quadratic in the rows (a 300-action plan took 16 s).
            cells = [_Cell(tc, table) for tc in table.add_row()._tr.tc_lst]
            for column, value in enumerate(values):
                if value is MERGED:
                    # A vertical merge as Word writes it: "restart" on the top cell, "continue" below it.
                    if column not in spans:
                        spans[column] = previous[column]
                        _vmerge(spans[column], "restart")
                    _vmerge(cells[column], None)
                else:
                    spans.pop(column, None)
                    write_cell(cells[column], value)
            previous = cells
        if widths_cm:
            set_widths(table, widths_cm)
        return table

    def page_break(self):
        self.document.add_page_break()

    def to_bytes(self):
        out = io.BytesIO()
        self.document.save(out)
        return out.getvalue()


def mark_header_row(row):
    """Mark a table row as the header row: Word repeats it on each page and reads it as the column headers
    (<w:tblHeader/> in the row's properties); and it never splits across pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    for name in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        properties.append(element)


def is_header_row(row):
    from docx.oxml.ns import qn

    properties = row._tr.trPr
    return properties is not None and properties.find(qn("w:tblHeader")) is not None


def shade(cell, fill_hex):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill_hex)
    cell._tc.get_or_add_tcPr().append(shading)


def write_text(cell, text, *, bold=False):
    """Text into a cell: a paragraph a line, so that "1. ...\n2. ..." reads as written."""
    lines = str(text).split("\n") if text else [""]
    paragraph = cell.paragraphs[0]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
        if line:
            paragraph.add_run(line).bold = bold


def write_rag(cell, rating):
    """A RAG cell: shaded with its colour, the word in bold in the colour's dark text (WCAG AA on the fill),
    and the reason beside it: never colour alone."""
    from docx.shared import RGBColor

    shade(cell, rating.fill_hex)
    paragraph = cell.paragraphs[0]
    word = paragraph.add_run(rating.label)
    word.bold = True
    word.font.color.rgb = RGBColor.from_string(rating.text_hex)
    if rating.reason:
        reason = paragraph.add_run(f": {rating.reason}")
        reason.font.color.rgb = RGBColor.from_string(rating.text_hex)


def write_cell(cell, value):
    if value is None:
        return
    if isinstance(value, Rag):
        write_rag(cell, value)
    elif callable(value):
        value(cell)
    else:
        write_text(cell, value)


def set_widths(table, widths_cm):
    from docx.shared import Cm

    table.autofit = False
    widths = [Cm(width) for width in widths_cm]
    for column, width in zip(table.columns, widths):
        column.width = width
    for tr in table._tbl.tr_lst:  # each cell's width too (Word reads these), without python-docx's grid per row
        for tc, width in zip(tr.tc_lst, widths):
            tc.width = width


def _vmerge(cell, value):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    merge = OxmlElement("w:vMerge")
    if value:
        merge.set(qn("w:val"), value)
    cell._tc.get_or_add_tcPr().append(merge)

