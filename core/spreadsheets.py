"""Spreadsheets in and out, for every format of every app: reading CSV and XLSX files
into rows, matching headers, reading dates, writing CSV and XLSX.

Nothing here knows what a plan or an indicator is; each format (its columns,
what a row means, how it is saved) lives in its app and uses these.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime


class SpreadsheetError(Exception):
    """The file as a whole cannot be read: one clear message."""


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self):
        where = f"Row {self.row}" if self.row else "File"
        return f"{where}, column '{self.column}': {self.reason}" if self.column else f"{where}: {self.reason}"


class ImportErrors(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass
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
    rows: list  # (row number, {column name: value})
    unknown_headers: list = field(default_factory=list)


def header_key(header):
    return " ".join(str(header or "").strip().lower().split())


def read_sheets(data, filename):
    """{sheet name: list of rows (lists of cells)} from CSV or XLSX bytes."""
    name = (filename or "").lower()
    if not data:
        raise SpreadsheetError("The file is empty.")
    if name.endswith(".xlsx") or data[:2] == b"PK":
        return _read_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt") or not name:
        return {"": _read_csv(data)}
    raise SpreadsheetError(f"'{filename}' is not a CSV or XLSX file. Save the spreadsheet as CSV (UTF-8) or XLSX.")


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpreadsheetError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read). "
            "In Excel choose Save As > CSV UTF-8 (Comma delimited)."
        ) from None
    if "\x00" in text:
        raise SpreadsheetError("The file is not a CSV file: it holds binary data.")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline="")):
            rows.append(row)
    except csv.Error as error:
        # The row being read, numbered as the spreadsheet numbers it (as row errors are).
        number = len(rows) + 1
        # csv's own wording ("field larger than field limit (131072)") says little to the person who saved the file.
        if "field larger than field limit" in str(error):
            reason = (
                f"row {number} has a cell longer than the {csv.field_size_limit():,} characters "
                "a CSV cell may hold. Shorten that cell and save the file again."
            )
        else:
            reason = f"{error} (row {number}). Save the spreadsheet again as CSV UTF-8 or XLSX."
        raise SpreadsheetError(f"The file cannot be read as CSV: {reason}") from None
    return rows


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise SpreadsheetError("The file cannot be opened as an XLSX workbook. Save it again as .xlsx or CSV.") from None
    try:
        return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}
    finally:
        workbook.close()


def make_table(raw_rows, columns, what="file"):
    """Match headers (case and spacing ignored) and turn rows into dicts; check required columns."""
    rows = [row for row in raw_rows]
    skipped = 0
    while rows and not any(_text(cell) for cell in rows[0]):
        rows.pop(0)
        skipped += 1
    if not rows:
        raise SpreadsheetError(f"The {what} is empty: it has no header row.")
    headers = [_text(cell) for cell in rows[0]]
    by_key = {column.key: column for column in columns}
    positions, unknown = {}, []
    for index, header in enumerate(headers):
        column = by_key.get(header_key(header))
        if column and column.name not in positions:
            positions[column.name] = index
        elif header:
            unknown.append(header)
    missing = [column.name for column in columns if column.required and column.name not in positions]
    if missing:
        raise SpreadsheetError(
            f"The {what} is missing the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. The first row must hold the column headers: "
            f"{', '.join(c.name for c in columns)}."
        )
    table_rows = []
    for offset, raw in enumerate(rows[1:], start=skipped + 2):
        if not any(_text(cell) for cell in raw):
            continue
        values = {name: (raw[index] if index < len(raw) else None) for name, index in positions.items()}
        table_rows.append((offset, values))
    if not table_rows:
        raise SpreadsheetError(f"The {what} has a header row but no data rows.")
    return Table(columns=columns, rows=table_rows, unknown_headers=unknown)


def _text(value):
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
    text = _text(value)
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


def write_csv(headers, rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def write_xlsx(sheets):
    """`sheets`: [(title, headers, rows)]; the first sheet is the one import reads."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 24
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
