"""Spreadsheets in and out, for every format of every app: reading CSV and XLSX files
into rows, matching headers, reading cells, writing CSV and XLSX, and the errors and
warnings a row can have.

Nothing here knows what a plan or an indicator is; each format (its columns, what a
row means, how it is saved) lives in its app and uses these. `core.imports` runs an
import; `core.admin_import` gives it a page in Django admin.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .rag import HEX, Rag

# The longest cell read, in characters: the csv module's own limit, applied to workbooks too.
MAX_CELL_CHARACTERS = 131_072
SAVE_AS_UTF8 = "In Excel choose Save As > CSV UTF-8 (Comma delimited)."
# Text a spreadsheet program may run as a formula (DOMAIN.md "Spreadsheets that stay safe").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: one clear message."""


def _place(row, column, sheet):
    """Where a finding is, as a person counts it: "Row 3", "Milestones sheet, row 3", "File"."""
    if sheet:
        where = f"{sheet} sheet, row {row}" if row else f"{sheet} sheet"
    else:
        where = f"Row {row}" if row else "File"
    return f"{where}, column '{column}'" if column else where


@dataclass(frozen=True)
class RowError:
    """A row that cannot be imported: its number in the spreadsheet, the column and why."""

    row: int  # as the spreadsheet numbers it; 0 for the file as a whole
    column: str
    reason: str
    sheet: str = ""  # "" for a format's main sheet

    def __str__(self):
        return f"{_place(self.row, self.column, self.sheet)}: {self.reason}"


@dataclass(frozen=True)
class RowWarning:
    """Something imported as written that a person should look at; never a reason to refuse the file."""

    row: int | None  # None: about the file or a whole column
    column: str
    reason: str
    sheet: str = ""

    def __str__(self):
        if self.row:
            return f"{_place(self.row, self.column, self.sheet)}: {self.reason}"
        if self.column:
            sheet = f" of the {self.sheet} sheet" if self.sheet else ""
            return f"Column '{self.column}'{sheet} {self.reason}"
        return self.reason


def in_file_order(findings):
    """Errors or warnings sorted by sheet (the main sheet first) then row; a row's own order is kept."""
    return sorted(findings, key=lambda finding: (finding.sheet, finding.row or 0))


class ImportErrors(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False

    @property
    def key(self):
        return header_key(self.name)


@dataclass
class Table:
    """A sheet's rows as dicts keyed by canonical column name, with their spreadsheet row numbers."""

    columns: list
    rows: list  # (row number, {column name: value}) for the columns the sheet has
    present: frozenset = frozenset()  # the names of the columns the sheet has, blank or not
    unknown_headers: list = field(default_factory=list)
    repeated_headers: list = field(default_factory=list)

    def header_warnings(self, format_name, ignored=(), sheet=""):
        """Warnings for the headers the format does not read (`ignored` ones, such as an export's own, silently)."""
        ignored = {header_key(name) for name in ignored}
        unknown = [
            RowWarning(None, header, f"is not part of {format_name} and was ignored.", sheet)
            for header in self.unknown_headers
            if header_key(header) not in ignored
        ]
        repeated = [
            RowWarning(None, header, "appears more than once; only the first was read.", sheet)
            for header in self.repeated_headers
        ]
        return unknown + repeated


@dataclass(frozen=True)
class SpreadsheetFile:
    """A file's sheets, {title: rows of cells} (a CSV is one sheet titled ""), and what reading it noticed."""

    sheets: dict
    warnings: tuple = ()

    @property
    def first(self):
        return next(iter(self.sheets.values()))

    def named(self, title):
        """The sheet whose title is `title`, ignoring case and spacing; None if there is none."""
        return next((rows for name, rows in self.sheets.items() if header_key(name) == header_key(title)), None)


def header_key(header):
    return " ".join(str(header or "").strip().lower().split())


def read_file(data, filename):
    """The sheets of CSV or XLSX bytes; SpreadsheetError when the file cannot be read."""
    name = (filename or "").lower()
    if not data:
        raise SpreadsheetError("The file is empty.")
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return SpreadsheetFile(_read_xlsx(data))
    if name.endswith(".csv") or name.endswith(".txt") or not name:
        text, warnings = _decode(data)
        return SpreadsheetFile({"": _read_csv(text)}, warnings)
    raise SpreadsheetError(f"'{filename}' is not a CSV or XLSX file. Save the spreadsheet as CSV (UTF-8) or XLSX.")


def read_sheets(data, filename):
    """{sheet name: list of rows (lists of cells)} from CSV or XLSX bytes."""
    return read_file(data, filename).sheets


def _decode(data):
    """The text of a CSV file, and a warning when it was not UTF-8.

    Excel offers "CSV UTF-8" and plain "CSV (Comma delimited)"; the second writes the
    Windows code page, cp1252 in the UK, where "–", "£" and "é" are single bytes that
    UTF-8 cannot read. cp1252 is what Excel itself reads such a file back as.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SpreadsheetError(f"The file is UTF-16 text (Excel's Unicode Text), not CSV. {SAVE_AS_UTF8}")
    if b"\x00" in data:
        raise SpreadsheetError("The file is not a CSV file: it holds binary data.")
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as error:
        not_utf8 = error
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            f"The file is not UTF-8 text (byte {not_utf8.start + 1} cannot be read). {SAVE_AS_UTF8}"
        ) from None
    warning = RowWarning(
        None, "",
        "The file is not UTF-8 text: it was read as Windows-1252, as Excel saves 'CSV (Comma delimited)'. "
        "Check its accented letters, dashes and £ signs; to be sure, save it again as CSV UTF-8.",
    )
    return text, (warning,)


def _read_csv(text):
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append([_unescaped(cell) for cell in row])
    except csv.Error as error:
        # The row being read, numbered as the spreadsheet numbers it (as row errors are).
        number = len(rows) + 1
        # csv's own wording ("field larger than field limit (131072)") says little to the person who saved the file.
        if "field larger than field limit" in str(error):
            reason = _too_long(number, "a CSV cell", csv.field_size_limit())
        else:
            reason = f"{error} (row {number}). Save the spreadsheet again as CSV UTF-8 or XLSX."
        raise SpreadsheetError(f"The file cannot be read as CSV: {reason}") from None
    return rows


def _too_long(row, what, limit, sheet=""):
    where = f"row {row} of sheet '{sheet}'" if sheet else f"row {row}"
    return f"{where} has a cell longer than the {limit:,} characters {what} may hold. Shorten that cell and save the file again."


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        # Only a workbook with merged cells needs openpyxl's full (slower) reading, which knows where they are.
        merged = _has_merged_cells(data)
        workbook = load_workbook(io.BytesIO(data), read_only=not merged, data_only=True)
    except Exception:
        raise SpreadsheetError("The file cannot be opened as an XLSX workbook. Save it again as .xlsx or CSV.") from None
    try:
        sheets = {}
        for sheet in workbook.worksheets:
            rows = sheets[sheet.title] = []
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                # Excel holds at most 32,767 characters a cell; a longer one was written by a program, not a person.
                if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARACTERS for cell in row):
                    reason = _too_long(number, "a cell", MAX_CELL_CHARACTERS, sheet.title)
                    raise SpreadsheetError(f"The file cannot be read: {reason}")
                rows.append([_unescaped(cell) if isinstance(cell, str) else cell for cell in row])
            if merged:
                _fill_merged(rows, [cell_range.bounds for cell_range in sheet.merged_cells.ranges])
        return sheets
    finally:
        workbook.close()


def _has_merged_cells(data):
    """Whether any sheet's XML lists merged cells (read a megabyte at a time, whatever it unzips to)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as sheet:
                tail = b""
                while chunk := sheet.read(1 << 20):
                    # "<mergeCell ", or "<x:mergeCell " from writers that prefix their tags.
                    if b"mergeCell " in tail + chunk:
                        return True
                    tail = chunk[-16:]
    return False


def _fill_merged(rows, ranges):
    """Councils merge cells (one Recommendation cell spanning its actions): the value belongs to every
    row the cell spans, in its first column. `ranges`: (first column, first row, last column, last row)."""
    for column, first_row, _, last_row in ranges:
        if first_row > len(rows):
            continue
        value = rows[first_row - 1][column - 1] if column <= len(rows[first_row - 1]) else None
        for row in rows[first_row:last_row]:
            row.extend([None] * (column - len(row)))
            row[column - 1] = value


def _looks_like_formula(text):
    # Apostrophes already in front count too, so that "'=x" is written "''=x" and read back as written.
    return text.lstrip("'").startswith(FORMULA_START)


def _escaped(cell):
    """A CSV cell with an apostrophe before text that a spreadsheet program would run as a formula."""
    return f"'{cell}" if isinstance(cell, str) and _looks_like_formula(cell) else cell


def _unescaped(cell):
    """A cell without the apostrophe `_escaped` put in front. Excel keeps the apostrophes of a CSV it
    opens in the cells' text, and saved as a workbook they stay there: they are removed from both."""
    return cell[1:] if cell.startswith("'") and _looks_like_formula(cell) else cell


def make_table(raw_rows, columns, what="file"):
    """Match headers (case and spacing ignored) and turn rows into dicts; check required columns."""
    rows = list(raw_rows)
    skipped = 0
    while rows and not any(cell_text(cell) for cell in rows[0]):
        rows.pop(0)
        skipped += 1
    if not rows:
        raise SpreadsheetError(f"The {what} is empty: it has no header row.")
    headers = [cell_text(cell) for cell in rows[0]]
    by_key = {column.key: column for column in columns}
    positions, unknown, repeated = {}, [], []
    for index, header in enumerate(headers):
        column = by_key.get(header_key(header))
        if column is None:
            if header:
                unknown.append(header)
        elif column.name in positions:
            repeated.append(header)
        else:
            positions[column.name] = index
    missing = [column.name for column in columns if column.required and column.name not in positions]
    if missing:
        raise SpreadsheetError(
            f"The {what} is missing the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. The first row must hold the column headers: "
            f"{', '.join(c.name for c in columns)}."
        )
    table_rows = []
    for offset, raw in enumerate(rows[1:], start=skipped + 2):
        if not any(cell_text(cell) for cell in raw):
            continue
        values = {name: (raw[index] if index < len(raw) else None) for name, index in positions.items()}
        table_rows.append((offset, values))
    if not table_rows:
        raise SpreadsheetError(f"The {what} has a header row but no data rows.")
    return Table(
        columns=columns, rows=table_rows, present=frozenset(positions), unknown_headers=unknown,
        repeated_headers=repeated,
    )


def first_header_keys(raw_rows):
    """The header keys of a sheet's first non-blank row: how a format recognises a sheet by its columns."""
    header_row = next((row for row in raw_rows if any(cell_text(cell) for cell in row)), [])
    return {header_key(cell_text(cell)) for cell in header_row}


def cell_text(value):
    """A cell as the text a person typed: whole numbers without ".0", dates as YYYY-MM-DD, spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")


def parse_date(value):
    """A date from an XLSX cell, ISO text or UK day-first text; ValueError otherwise."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = cell_text(value)
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    match = UK_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year + 2000 if year < 100 else year, month, day)
        except ValueError:  # 31/02/2011: no such day
            pass
    raise ValueError(f"'{text}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")


def parse_number(value):
    """A Decimal from a number cell, or from text such as "1,234.5"; ValueError otherwise.

    Decimal, not float: a figure read from a return (27.3) stays 27.3 when stored and summed.
    """
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a number")
    if isinstance(value, (int, float)):
        # repr of a float is the shortest text that reads back as it: 0.1 stays 0.1.
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = cell_text(value)
        try:
            number = Decimal(text.replace(",", "")) if re.fullmatch(r"[-+]?[\d,]*\.?\d+", text) else None
        except InvalidOperation:
            number = None
        if number is None:
            raise ValueError(f"'{text}' is not a number")
    if not number.is_finite():
        raise ValueError(f"'{value}' is not a number")
    return number


LOST_TRAILING_ZERO = (
    "is a number in the spreadsheet, so Excel may have dropped a trailing zero (1.10 becomes 1.1): "
    "format the column as text and type it again"
)


def numbering(value):
    """A numbering cell ("1.10", "12.1a", 3) as text.

    Excel reads "1.10" typed into a number cell as 1.1: a number cell with a fraction
    may have lost a zero, so it is refused (ValueError), never guessed at.
    """
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(LOST_TRAILING_ZERO)
    return cell_text(value)


def _plain(cell):
    """A cell as written to CSV or a workbook: a RAG as its word, an aware time in local time."""
    if isinstance(cell, Rag):
        return cell.label
    if isinstance(cell, datetime) and cell.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(cell).replace(tzinfo=None)
    return cell


def _csv_cell(cell):
    cell = _plain(cell)
    if isinstance(cell, datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    return _escaped(cell)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write_csv(headers, rows):
    """CSV bytes: UTF-8 with a byte-order mark, so that Excel reads "–", "’" and "£" as written.

    Cells may be text, numbers, None (blank), dates (written YYYY-MM-DD) and `core.rag.Rag` (written
    as its word, "Red"); text a spreadsheet program would run gets an apostrophe in front.
    """
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows([_csv_cell(cell) for cell in row] for row in rows)
    return codecs.BOM_UTF8 + out.getvalue().encode("utf-8")


# Column widths in characters: wide enough for most cells, never so wide a column fills the screen.
NARROWEST, WIDEST = 8, 60
DATE_FORMAT, DATE_TIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"


def _width(value):
    """The characters a cell needs on its longest line."""
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if value is None:
        return 0
    return max((len(line) for line in str(value).split("\n")), default=0)


def write_xlsx(sheets):
    """XLSX bytes of `sheets`: [(title, headers, rows)]; the first sheet is the one import reads.

    Cells as `write_csv` takes them: dates become date cells (dd/mm/yyyy), a `core.rag.Rag` its word in a
    cell filled with its colour, and text a spreadsheet program would run a text cell, never a formula.
    Each sheet opens ready to use: header row bold and frozen, a filter over the data, columns as wide
    as their text up to a limit (longer text wraps), printed landscape, one page wide, the header row
    on every page.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    top, wrapped = Alignment(vertical="top"), Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    rag_styles = {
        colour: (PatternFill(fill_type="solid", fgColor=fill), Font(color=text)) for colour, (text, fill) in HEX.items()
    }
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        widths = [_width(header) + 2 for header in headers]
        cells = []  # (cell, the Rag it shows or None)
        last_row = 1
        # Cells are found by row and column: openpyxl's max_row and sheet[n] scan every cell (quadratic).
        for number, row in enumerate(rows, start=2):
            last_row = number
            plain = [_plain(cell) for cell in row]
            sheet.append([_xlsx_text(cell) for cell in plain])
            for column, (original, value) in enumerate(zip(row, plain), start=1):
                cell = sheet.cell(row=number, column=column)
                if isinstance(value, str):
                    # openpyxl would store "=..." as a formula and "#N/A" as an error: text stays text.
                    cell.data_type = "s"
                    if _looks_like_formula(value):
                        # Marked as typed after an apostrophe, as Excel does: edited in Excel, it is never run.
                        cell.quotePrefix = True
                elif isinstance(value, datetime):
                    cell.number_format = DATE_TIME_FORMAT
                elif isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                if column > len(widths):
                    widths.append(NARROWEST)
                widths[column - 1] = max(widths[column - 1], _width(value) + 2)
                cells.append((cell, original if isinstance(original, Rag) else None))
        long = {column for column, width in enumerate(widths, start=1) if width > WIDEST}
        for cell, rag in cells:
            cell.alignment = wrapped if cell.column in long else top
            if rag is not None:
                cell.fill, cell.font = rag_styles[rag.colour]
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = wrapped if cell.column in long else top
        for column, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = min(max(width, NARROWEST), WIDEST)
        last = get_column_letter(max(len(widths), 1))
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{last}{last_row}"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_text(value):
    """What a workbook cell holds: text with apostrophes in front gets one more, which import removes (as
    from a CSV); a workbook shows the rest as typed."""
    return f"'{value}" if isinstance(value, str) and value.startswith("'") and _looks_like_formula(value) else value
