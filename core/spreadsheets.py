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
# The columns read of a row: the formats have at most 25, and a row filled out to column XFD is 16,384.
MAX_COLUMNS = 100
# The cells a worksheet may fill (a sheet of 10,000 rows of 30 columns): openpyxl reads about 100,000 a
# second, so a file refused for more is refused in seconds rather than read for minutes.
MAX_CELLS = 300_000
# And the cells it may hold at all, filled or only formatted: formatting drawn down empty rows is read only
# as far as the last filled row, but the first pass reads past it.
MAX_CELLS_READ = 2_000_000
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
    check_size(len(data))
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
    """Rows of cells. Read strictly: a quote left open would otherwise take the rest of the file into
    one cell and import as if nothing were wrong."""
    max_rows, _ = _limits()
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    opened_on = 1  # the line of the file the row being read starts on
    number = 0  # the rows read, blank ones too
    try:
        for row in reader:
            number += 1
            if number > max_rows + 1:
                if any(cell.strip() for cell in row):
                    raise _too_many_rows(number, max_rows)
                # Blank rows past the limit are not kept, nor read without end.
                if number > 2 * (max_rows + 1):
                    raise SpreadsheetError(
                        f"The file has more than {2 * (max_rows + 1):,} rows, counting blank ones; an import reads "
                        f"at most {max_rows:,} rows below the header. Delete the blank rows at its end."
                    )
                continue
            # Only the first MAX_COLUMNS cells: a row of 16,384 commas is 16,384 cells otherwise.
            rows.append([_unescaped(cell) for cell in row[:MAX_COLUMNS]])
            opened_on = reader.line_num + 1
    except csv.Error as error:
        # The row being read, numbered as the spreadsheet numbers it (as row errors are).
        number += 1
        line = f" (line {opened_on:,} of the file)" if opened_on != number else ""
        # csv's own wording ("field larger than field limit (131072)") says little to the person who saved the file.
        if "field larger than field limit" in str(error):
            reason = _too_long(number, "a CSV cell", csv.field_size_limit())
        elif "unexpected end of data" in str(error):
            reason = (
                f"row {number:,}{line} opens a quote (\") that is never closed, so the rest of the file would "
                "be read as one cell. Close the quote or remove it, and save the file again."
            )
        else:
            reason = (
                f"row {number:,}{line} has a quote (\") inside a cell that does not start with one ({error}). "
                "Save the spreadsheet again as CSV UTF-8 or XLSX."
            )
        raise SpreadsheetError(f"The file cannot be read as CSV: {reason}") from None
    return rows


def _too_long(row, what, limit):
    return f"row {row:,} has a cell longer than the {limit:,} characters {what} may hold. Shorten that cell and save the file again."


def _too_many_rows(row, limit, sheet=""):
    where = f"Sheet '{sheet}'" if sheet else "The file"
    return SpreadsheetError(
        f"{where} has data in row {row:,}, but an import reads at most {limit:,} rows below the header. "
        "Split it into several files (a plan a file, for example)."
    )


def _limits():
    """(most rows below the header a sheet may fill, most bytes a workbook may unzip to), from the settings."""
    from django.conf import settings

    return settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_UNZIPPED_MB * 1024 * 1024


def check_size(size):
    """SpreadsheetError when a file of `size` bytes is larger than an import takes (IMPORT_MAX_UPLOAD_MB)."""
    from django.conf import settings

    limit = settings.IMPORT_MAX_UPLOAD_MB
    if size > limit * 1024 * 1024:
        raise SpreadsheetError(
            f"The file is {size / 1024 / 1024:.1f} MB; the largest that can be imported is {limit} MB. "
            "Split it into several files."
        )


def _read_xlsx(data):
    """The sheets of a workbook, read within bounds whatever the file claims about itself.

    openpyxl trusts a sheet's claimed size (a 4 KB file claiming A1:XFD1048576 is read cell by
    cell, and rows past a claim too small are dropped), holds a whole cell before anything can
    measure it, and reports broken XML as a traceback, or not at all. So the parts are checked
    first: their unzipped size as the archive declares it (zipfile reads no further), then each
    sheet and the shared strings in one streaming pass (`_scan`) that refuses a long cell as soon
    as it is too long, XML entities and broken XML, and finds where the data ends; openpyxl is
    then told to read that far and no further, in its streaming (read-only) mode.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import range_boundaries

    max_rows, max_unzipped = _limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unzipped = sum(info.file_size for info in archive.infolist())
    except Exception:
        raise SpreadsheetError("The file cannot be opened as an XLSX workbook. Save it again as .xlsx or CSV.") from None
    if unzipped > max_unzipped:
        raise SpreadsheetError(
            f"The workbook unzips to {unzipped / 1024 / 1024:,.0f} MB, more than the "
            f"{max_unzipped // 1024 // 1024:,} MB an import reads. Split it into several files, or save it as CSV."
        )
    where = "the workbook's shared text"
    long_texts = set()
    try:
        for name in _shared_string_parts(archive):
            with archive.open(name) as part:
                long_texts |= _scan(part, max_rows).long_texts
        where = "the workbook"
        rows_read = 0
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = {}
            for sheet in workbook.worksheets:
                where = f"sheet '{sheet.title}'"
                # openpyxl keeps where a sheet is in the archive only in this attribute.
                with archive.open(sheet._worksheet_path.lstrip("/")) as part:
                    facts = _scan(part, max_rows, sheet.title, long_texts)
                rows = sheets[sheet.title] = []
                if not facts.last_row:
                    continue
                last_column = min(facts.last_column, MAX_COLUMNS)
                # Only the ranges whose value is read, each once; a value merged down past the last row
                # that holds one belongs to the rows it spans.
                merged = sorted({
                    (left, top, right, min(bottom, max_rows + 1))
                    for left, top, right, bottom in map(range_boundaries, facts.merged)
                    if left <= last_column and top <= facts.last_row
                })
                last_row = max([facts.last_row] + [bottom for _, _, _, bottom in merged])
                rows_read += last_row
                if rows_read > 2 * (max_rows + 1):
                    raise SpreadsheetError(
                        f"The workbook has more than {2 * max_rows:,} rows across its sheets; an import reads at "
                        f"most {max_rows:,} a sheet and {2 * max_rows:,} in all. Split it into several files."
                    )
                for row in sheet.iter_rows(max_row=last_row, max_col=last_column, values_only=True):
                    rows.append([_unescaped(cell) if isinstance(cell, str) else cell for cell in row])
                _fill_merged(rows, merged)
        finally:
            workbook.close()
    except SpreadsheetError:
        raise
    except _Damaged as problem:
        raise SpreadsheetError(f"The file cannot be read: {where} {problem}.") from None
    except Exception:
        raise SpreadsheetError(
            f"The file cannot be read as an XLSX workbook: {where} is damaged. "
            "Open it in Excel and save it again as .xlsx, or save it as CSV."
        ) from None
    return sheets


class _Damaged(Exception):
    """Why a workbook part cannot be read, in words that follow its name ("sheet 'Plan' ...")."""


@dataclass
class _SheetFacts:
    last_row: int = 0  # the last row with a value in a cell
    last_column: int = 0  # the rightmost column with a value in a cell
    merged: list = field(default_factory=list)  # merged ranges, "B2:B4"
    long_texts: set = field(default_factory=set)  # of shared strings: the numbers of those too long for a cell


# A shared string this long is refused at once; a shorter one too long for a cell is refused when a cell uses
# it, so that the message can say which row it is in.
REFUSED_AT_ONCE = 8 * MAX_CELL_CHARACTERS


def _scan(stream, max_rows, sheet="", long_texts=frozenset()):
    """One streaming pass over a worksheet's (or the shared strings') XML: see `_read_xlsx`.

    Holds one cell's length at a time, never its text; stops at the first cell too long, the first
    value in a row past the limit, the first entity declaration or the first break in the XML.
    `long_texts`: the shared strings too long for a cell (what a pass over the shared strings found).
    """
    from xml.parsers import expat

    facts = _SheetFacts()
    row = column = length = cells = filled = 0
    strings = -1  # the number of the shared string being read
    in_value, shared = False, False
    columns = {}  # column letters read so far: their numbers

    def start(name, attrs):
        nonlocal row, column, length, cells, strings, in_value, shared
        name = name.rpartition(" ")[2]  # "{namespace} c": some writers prefix their tags (<x:c>)
        if name == "c":
            cells += 1
            if cells > MAX_CELLS_READ:
                raise _Damaged(
                    f"has more than {MAX_CELLS_READ:,} cells, filled or only formatted, more than an import reads; "
                    "clear the formatting of the empty rows and columns, or split it into several files"
                )
            # A cell's reference is optional: without one it is the cell after the one before.
            letters = (attrs.get("r") or "").rstrip("0123456789")
            if letters:
                column = columns.get(letters) or columns.setdefault(letters, _column_number(letters))
            else:
                column += 1
            shared = attrs.get("t") == "s"
            length = 0
        elif name in ("v", "t"):
            in_value = True
        elif name == "row":
            number = attrs.get("r", "")
            row = int(number) if number.isdigit() else row + 1
            column = 0
        elif name == "si":
            strings += 1
            length = 0
        elif name == "mergeCell" and attrs.get("ref"):
            if len(facts.merged) >= max_rows:
                raise _Damaged(f"merges more than {max_rows:,} ranges of cells")
            facts.merged.append(attrs["ref"])

    def end(name):
        nonlocal in_value
        name = name.rpartition(" ")[2]
        if name in ("v", "t"):
            in_value = False
        elif name == "si" and length > MAX_CELL_CHARACTERS:
            facts.long_texts.add(strings)

    def too_long():
        place = f"in row {row:,} " if row else ""
        return _Damaged(
            f"has a cell {place}longer than the {MAX_CELL_CHARACTERS:,} characters a cell may hold; "
            "shorten that cell and save the file again"
        )

    def text(data):
        nonlocal length, filled
        if not in_value:
            return
        if not length and row:
            filled += 1
            if filled > MAX_CELLS:
                raise _Damaged(f"has more than {MAX_CELLS:,} filled cells, more than an import reads; split it into several files")
        length += len(data)
        if row and (length > MAX_CELL_CHARACTERS or shared and long_texts and data.strip().isdigit()
                    and int(data) in long_texts):
            raise too_long()
        if length > REFUSED_AT_ONCE:
            raise too_long()
        if row > facts.last_row and data.strip():
            if row > max_rows + 1:
                raise _too_many_rows(row, max_rows, sheet)
            facts.last_row = row
        if column > facts.last_column and data.strip():
            facts.last_column = column

    def refuse_entities(*args):
        raise _Damaged("declares XML entities, which a spreadsheet never needs (they can expand a small file without end)")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse_entities
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as error:
        raise _Damaged(f"is damaged: its XML breaks off or is malformed ({expat.errors.messages[error.code]})") from None
    return facts


def _column_number(letters):
    """1 for A, 27 for AA, 16,384 for XFD."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _shared_string_parts(archive):
    """The archive's shared strings parts, found as openpyxl finds them (by the content type the package
    lists) and by their usual name: openpyxl reads them whole, so each is scanned first."""
    from xml.etree import ElementTree

    names = {info.filename for info in archive.infolist() if info.filename.lower().endswith("sharedstrings.xml")}
    try:
        manifest = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except (KeyError, ElementTree.ParseError):
        return sorted(names)  # openpyxl will say the workbook cannot be opened
    present = set(archive.namelist())
    for override in manifest:
        if override.get("ContentType", "").endswith(".sharedStrings+xml"):
            part = override.get("PartName", "").lstrip("/")
            if part in present:
                names.add(part)
    return sorted(names)


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
