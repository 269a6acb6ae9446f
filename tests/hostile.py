"""Hostile and awkward spreadsheets, built on the fly (never committed as binaries).

Each builder returns (filename, bytes). The tests use them at sizes that keep the suite quick;
`scripts/hostile_files.py` builds the same corpus at full size and runs every file through
`manage.py import_plan`, printing what happened.

XLSX files are written by hand, a part at a time, so that a file may claim or hold what no
spreadsheet program would write (a cell at XFD1048576, a cell of a gigabyte) without the
builder itself holding it in memory.
"""

import codecs
import zipfile

HEADERS = ["Plan", "Area", "Action No", "Action", "Timescale"]


def row(number, plan="Hostile plan"):
    return [plan, "Workforce", f"1.{number}", f"Action {number}", "March 2011"]


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Plan" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>{shared}</Relationships>'
)
SHARED_REL = (
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/>'
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)


def column_letter(number):
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _escape(text):
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_row(number, cells, first_column=1):
    inner = "".join(
        f'<c r="{column_letter(column)}{number}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>'
        for column, value in enumerate(cells, start=first_column)
        if value is not None
    )
    return f'<row r="{number}">{inner}</row>'


def xlsx(sheet_chunks, *, dimension="A1:E2", shared_chunks=None, tail="", name="hostile.xlsx"):
    """A workbook of one sheet, "Plan", whose sheetData is `sheet_chunks` (strings, written one at a
    time); `shared_chunks` makes a sharedStrings part; `tail` goes after sheetData (mergeCells)."""
    buffer = _Buffer()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES.format(shared=SHARED_TYPE if shared_chunks else ""))
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.format(shared=SHARED_REL if shared_chunks else ""))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(SHEET_START.format(dimension=dimension).encode())
            for chunk in sheet_chunks:
                sheet.write(chunk.encode())
            sheet.write(f"</sheetData>{tail}</worksheet>".encode())
        if shared_chunks:
            with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as shared:
                for chunk in shared_chunks:
                    shared.write(chunk.encode())
    return name, buffer.getvalue()


class _Buffer:
    """A write-only file for zipfile that keeps the compressed bytes only."""

    def __init__(self):
        self.parts, self.position = [], 0

    def write(self, data):
        self.parts.append(bytes(data))
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def flush(self):
        pass

    def getvalue(self):
        return b"".join(self.parts)


def _plan_rows(count):
    yield xml_row(1, HEADERS)
    for number in range(2, count + 2):
        yield xml_row(number, row(number - 1))


# --- The corpus ------------------------------------------------------------------------------


def sparse_far_xlsx():
    """4.7 KB claiming A1:XFD1048576, with a cell in the very last row and column."""
    far = f'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far</t></is></c></row>'
    return xlsx([*_plan_rows(2), far], dimension="A1:XFD1048576", name="sparse-far.xlsx")


def sparse_claim_xlsx():
    """A small plan whose sheet claims A1:XFD1048576 but holds nothing out there: it imports."""
    return xlsx(list(_plan_rows(2)), dimension="A1:XFD1048576", name="sparse-claim.xlsx")


def _long_text(characters):
    block = "a" * (1 << 20)
    whole, rest = divmod(characters, len(block))
    for _ in range(whole):
        yield block
    yield "a" * rest


def huge_cell_xlsx(characters=1 << 30):
    """One Action cell of `characters` letters (a gigabyte compresses to about a megabyte)."""

    def chunks():
        yield xml_row(1, HEADERS)
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t>Hostile plan</t></is></c>'
        yield '<c r="B2" t="inlineStr"><is><t>Workforce</t></is></c><c r="C2" t="inlineStr"><is><t>1.1</t></is></c>'
        yield '<c r="D2" t="inlineStr"><is><t>'
        yield from _long_text(characters)
        yield "</t></is></c></row>"

    return xlsx(chunks(), name="huge-cell.xlsx")


def huge_shared_string_xlsx(characters):
    """The same, the long text kept in the shared strings part, as Excel keeps text."""
    header = "".join(f'<c r="{column_letter(n)}1" t="s"><v>{n - 1}</v></c>' for n in range(1, 5))
    cells = "".join(f'<c r="{column_letter(n)}2" t="s"><v>{n + 3}</v></c>' for n in range(1, 5))
    sheet = [f'<row r="1">{header}</row>', f'<row r="2">{cells}</row>']

    def shared():
        yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        yield '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="8" uniqueCount="8">'
        for text in [*HEADERS[:4], "Hostile plan", "Workforce", "1.1"]:
            yield f"<si><t>{text}</t></si>"
        yield "<si><t>"
        yield from _long_text(characters)
        yield "</t></si></sst>"

    return xlsx(sheet, dimension="A1:D2", shared_chunks=shared(), name="huge-shared-string.xlsx")


def zip_bomb_xlsx(megabytes=1024):
    """Sheet XML of `megabytes` unzipped, nearly all of it spaces: a few megabytes zipped."""

    def chunks():
        yield from _plan_rows(2)
        space = " " * (1 << 20)
        for _ in range(megabytes):
            yield space

    return xlsx(chunks(), name="zip-bomb.xlsx")


def corrupt_xml_xlsx():
    """A workbook whose sheet XML breaks off inside a tag."""
    return xlsx([*_plan_rows(2), '<row r="4"><c r="A4" t="inlineStr"><is><t>broken</t></is'], name="corrupt-xml.xlsx")


def entity_xlsx():
    """A sheet declaring entities that expand a billion times (billion laughs)."""
    name, data = xlsx(list(_plan_rows(1)), name="entities.xlsx")
    laughs = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    ) + "]>"
    return name, _replace_part(data, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"?>\n", b"?>\n" + laughs.encode(), 1).replace(b"<t>Action 1</t>", b"<t>&lol9;</t>"))


def _replace_part(data, part, change):
    import io

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == part else content)
    return out.getvalue()


def not_a_zip_xlsx():
    return "not-a-zip.xlsx", b"PK\x03\x04" + b"\x00" * 200


def merged_cells_xlsx():
    """Area merged down three rows, as councils lay plans out: it imports, the area on every row."""
    rows = [xml_row(1, HEADERS)]
    for number in range(2, 5):
        cells = row(number - 1)
        if number > 2:
            cells[1] = None
        rows.append(xml_row(number, cells))
    return xlsx(rows, dimension="A1:E4", tail='<mergeCells count="1"><mergeCell ref="B2:B4"/></mergeCells>',
                name="merged-cells.xlsx")


def many_rows_xlsx(count=50_000):
    return xlsx(_plan_rows(count), dimension=f"A1:E{count + 1}", name=f"rows-{count}.xlsx")


def wide_rows_xlsx(count=200, columns=16_384):
    """Every row filled out to column XFD."""

    def chunks():
        yield xml_row(1, HEADERS + [f"Extra {n}" for n in range(len(HEADERS) + 1, columns + 1)])
        for number in range(2, count + 2):
            yield xml_row(number, row(number - 1) + ["x"] * (columns - len(HEADERS)))

    return xlsx(chunks(), dimension=f"A1:XFD{count + 1}", name="wide-rows.xlsx")


def _csv(rows):
    import csv
    import io

    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    return out.getvalue()


def utf16_csv():
    text = _csv([HEADERS, row(1)])
    return "utf16.csv", codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def latin1_csv():
    cells = row(1)
    cells[3] = "Review café provision – £2,000 budget"
    return "latin1.csv", _csv([HEADERS, cells]).encode("cp1252")


def nul_bytes_csv():
    return "nul-bytes.csv", _csv([HEADERS, row(1)]).encode() + b"\x00\x00garbage\x00"


def unclosed_quote_csv():
    """Row 3 opens a quote it never closes: everything after it would become one cell."""
    lines = [",".join(HEADERS), ",".join(row(1)), 'Hostile plan,Workforce,1.2,"Action 2 never closes,March 2011']
    lines += [",".join(row(n)) for n in range(3, 6)]
    return "unclosed-quote.csv", ("\r\n".join(lines) + "\r\n").encode()


def duplicate_header_csv():
    return "duplicate-header.csv", _csv([HEADERS + ["Action"], row(1) + ["Second action cell"]]).encode()


def many_rows_csv(count=50_000):
    return f"rows-{count}.csv", _csv([HEADERS, *(row(n) for n in range(1, count + 1))]).encode()


def wide_csv(count=200, columns=16_384):
    return "wide.csv", _csv([HEADERS, *(row(n) + [""] * (columns - len(HEADERS)) + ["x"] for n in range(1, count + 1))]).encode()


def formula_csv():
    cells = row(1)
    cells[3] = "=HYPERLINK(\"http://evil.example/\",\"Click\")"
    second = row(2)
    second[3] = "=cmd|' /C calc'!A0"
    return "formulas.csv", _csv([HEADERS, cells, second]).encode()


def blank_rows_csv(megabytes=19):
    """Three rows, then blank lines up to the upload limit."""
    _, data = many_rows_csv(3)
    return "blank-rows.csv", data + b"\r\n" * (megabytes * 1024 * 1024 // 2)


def far_merge_xlsx(rows=9_000, repeats=1):
    """A plan with a merged range down the very last column, XFD1:XFD1048576 (`repeats` times)."""
    merges = '<mergeCell ref="XFD1:XFD1048576"/>' * repeats
    return xlsx(_plan_rows(rows), dimension=f"A1:XFD1048576", tail=f"<mergeCells>{merges}</mergeCells>",
                name="far-merge.xlsx")


def formatted_down_xlsx(rows=20, formatted_to=20_000, columns=16):
    """A short plan whose borders are drawn down `formatted_to` rows: empty cells with a style."""

    def chunks():
        yield from _plan_rows(rows)
        for number in range(rows + 2, formatted_to + 1):
            yield f'<row r="{number}">' + "".join(
                f'<c r="{column_letter(c)}{number}" s="1"/>' for c in range(1, columns + 1)) + "</row>"

    return xlsx(chunks(), dimension=f"A1:{column_letter(columns)}{formatted_to}", name="formatted-down.xlsx")
