"""The spreadsheet machinery every format uses (core.spreadsheets) and the one way to run an
import (core.imports), tested without any format of an app: files are built here as bytes."""

import codecs
import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from core.imports import NEW, UNCHANGED, UPDATED, ImportResult, Parsed, RowOutcome, run_import
from core.models import OrganisationUnit
from core.spreadsheets import (
    Column,
    ImportErrors,
    RowError,
    RowWarning,
    SpreadsheetError,
    cell_text,
    in_file_order,
    make_table,
    numbering,
    parse_date,
    parse_number,
    read_file,
    read_sheets,
    write_csv,
    write_xlsx,
)

COLUMNS = [Column("Name", required=True), Column("Due date"), Column("Count")]


def xlsx(*sheets, merge=()):
    """`sheets`: (title, rows); `merge`: (sheet title, "A2:A4") ranges to merge."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    for title, cells in merge:
        workbook[title].merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def refused(data, filename="file.csv"):
    with pytest.raises(SpreadsheetError) as info:
        read_file(data, filename)
    return str(info.value)


# --- Reading files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    ["Name,Count\nCafé,1\n".encode("utf-8"), "\ufeffName,Count\nCafé,1\n".encode("utf-8")],
    ids=["utf-8", "utf-8 with a byte order mark"],
)
def test_utf8_csv_is_read_with_or_without_a_byte_order_mark(data):
    file = read_file(data, "file.csv")
    assert file.sheets == {"": [["Name", "Count"], ["Café", "1"]]}
    assert file.warnings == ()


def test_excel_comma_delimited_csv_is_read_as_windows_1252_and_says_so():
    file = read_file("Name,Timescale\nCafé £5,January – March 2011\n".encode("cp1252"), "file.csv")
    assert file.first == [["Name", "Timescale"], ["Café £5", "January – March 2011"]]
    (warning,) = file.warnings
    assert (warning.row, warning.column) == (None, "")
    assert str(warning).startswith("The file is not UTF-8 text: it was read as Windows-1252")


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "file.csv", "The file is empty."),
        (b"Name\n\x81\n", "file.csv", "The file is not UTF-8 text (byte 6 cannot be read). In Excel choose Save As > CSV UTF-8"),
        ("Name\n".encode("utf-16"), "file.csv", "The file is UTF-16 text (Excel's Unicode Text), not CSV."),
        (b"Name\x00\n", "file.csv", "The file is not a CSV file: it holds binary data."),
        (b"Name\n", "file.xls", "'file.xls' is not a CSV or XLSX file. Save the spreadsheet as CSV (UTF-8) or XLSX."),
        (b"PK\x03\x04 not a zip", "file.csv", "The file cannot be opened as an XLSX workbook."),
    ],
)
def test_files_that_cannot_be_read_give_one_clear_message(data, filename, message):
    assert message in refused(data, filename)


def test_csv_cell_longer_than_the_limit_is_refused_with_its_row():
    data = b"Name\nshort\n" + b"x" * 131_073 + b"\n"
    assert refused(data) == (
        "The file cannot be read as CSV: row 3 has a cell longer than the 131,072 characters a CSV cell may hold. "
        "Shorten that cell and save the file again."
    )


def with_text_replaced(data, old, new):
    """The workbook with `old` replaced in its XML: openpyxl cuts what it writes to Excel's 32,767
    characters a cell, so a longer cell (from another program) is made this way."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename).replace(old.encode(), new.encode()))
    return out.getvalue()


def test_xlsx_cell_longer_than_the_limit_is_refused_with_its_row_and_sheet():
    data = with_text_replaced(xlsx(("Plan", [["Name"], ["short"], ["LONG CELL"]])), "LONG CELL", "x" * 131_073)
    assert refused(data, "file.xlsx") == (
        "The file cannot be read: sheet 'Plan' has a cell in row 3 longer than the 131,072 characters a cell may hold; "
        "shorten that cell and save the file again."
    )


def test_workbook_sheets_the_first_and_one_named_ignoring_case_and_spacing():
    file = read_file(xlsx(("Plan", [["Name"], ["One"]]), ("Milestones", [["Milestone"]])), "upload")
    assert list(file.sheets) == ["Plan", "Milestones"]
    assert file.first == [["Name"], ["One"]]
    assert file.named("  MILESTONES ") == [["Milestone"]]
    assert file.named("Notes") is None


def test_workbook_number_and_date_cells_keep_their_types():
    data = xlsx(("Sheet", [["Name", "Due date", "Count"], ["A", datetime.datetime(2011, 3, 31), 2.5], ["B", None, 3]]))
    assert read_sheets(data, "file.xlsx")["Sheet"][1:] == [["A", datetime.datetime(2011, 3, 31), 2.5], ["B", None, 3]]


def test_a_merged_cell_belongs_to_every_row_it_spans():
    rows = [["Recommendation", "Action"], ["Improve risk practice", "1.1"], [None, "1.2"], [None, "1.3"], ["Other", "2.1"]]
    data = xlsx(("Plan", rows), merge=[("Plan", "A2:A4")])
    assert [row[0] for row in read_sheets(data, "file.xlsx")["Plan"]] == [
        "Recommendation", "Improve risk practice", "Improve risk practice", "Improve risk practice", "Other",
    ]


def test_a_merge_across_columns_fills_its_first_column_only():
    data = xlsx(("Plan", [["Area", "Note"], ["Leadership", None], [None, "x"]]), merge=[("Plan", "A2:B3")])
    assert read_sheets(data, "file.xlsx")["Plan"][1:] == [["Leadership", None], ["Leadership", None]]


# --- Tables ---------------------------------------------------------------------------------


def test_headers_match_ignoring_case_and_spacing_and_rows_keep_the_sheets_numbers():
    rows = [[], ["  NAME ", "due   date", "Colour", "name"], ["A", "2011-03-31", "red", "again"], [None, "", ""], ["B"]]
    table = make_table(rows, COLUMNS)
    assert table.rows == [(3, {"Name": "A", "Due date": "2011-03-31"}), (5, {"Name": "B", "Due date": None})]
    assert table.present == {"Name", "Due date"}
    assert [str(warning) for warning in table.header_warnings("the test format", ignored=["colour"])] == [
        "Column 'name' appears more than once; only the first was read."
    ]
    assert [str(warning) for warning in table.header_warnings("the test format", sheet="Notes")] == [
        "Column 'Colour' of the Notes sheet is not part of the test format and was ignored.",
        "Column 'name' of the Notes sheet appears more than once; only the first was read.",
    ]


@pytest.mark.parametrize(
    "rows, message",
    [
        ([], "The Notes sheet is empty: it has no header row."),
        ([["Count"], ["1"]], "The Notes sheet is missing the required column Name. The first row must hold the column headers: Name, Due date, Count."),
        ([["Name"], [""], [None]], "The Notes sheet has a header row but no data rows."),
    ],
)
def test_tables_that_cannot_be_read(rows, message):
    with pytest.raises(SpreadsheetError, match=message):
        make_table(rows, COLUMNS, what="Notes sheet")


# --- Cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, text",
    [(None, ""), (3.0, "3"), (2.5, "2.5"), (datetime.datetime(2011, 3, 31, 9), "2011-03-31"), (" a\r\nb ", "a\nb")],
)
def test_cell_text_is_what_a_person_typed(cell, text):
    assert cell_text(cell) == text


@pytest.mark.parametrize(
    "cell, day",
    [
        ("2011-03-31", datetime.date(2011, 3, 31)),
        ("31/03/2011", datetime.date(2011, 3, 31)),
        ("1.10.09", datetime.date(2009, 10, 1)),
        (datetime.datetime(2011, 3, 31, 12), datetime.date(2011, 3, 31)),
        (datetime.date(2011, 3, 31), datetime.date(2011, 3, 31)),
    ],
)
def test_dates_are_read_iso_or_uk_day_first(cell, day):
    assert parse_date(cell) == day


@pytest.mark.parametrize("cell", ["March 2011", "31/02/2011", "2011-13-01", "03/31/2011"])
def test_what_is_not_a_date_is_refused_and_never_guessed(cell):
    with pytest.raises(ValueError, match=f"'{cell}' is not a date: write it as YYYY-MM-DD or DD/MM/YYYY"):
        parse_date(cell)


@pytest.mark.parametrize(
    "cell, number",
    [(12, Decimal("12")), (0.1, Decimal("0.1")), (27.3, Decimal("27.3")), ("1,234.5", Decimal("1234.5")), (" -3 ", Decimal("-3")), (".5", Decimal("0.5"))],
)
def test_numbers_from_number_cells_and_text(cell, number):
    assert parse_number(cell) == number


@pytest.mark.parametrize("cell", ["", "twelve", "27%", "1.2.3", True, float("nan"), "1e5"])
def test_what_is_not_a_number_is_refused(cell):
    with pytest.raises(ValueError, match="is not a number"):
        parse_number(cell)


@pytest.mark.parametrize("cell, text", [("1.10", "1.10"), (3.0, "3"), (12, "12"), ("12.1a", "12.1a"), (None, "")])
def test_numbering_cells_as_written(cell, text):
    assert numbering(cell) == text


def test_a_numbering_number_cell_with_a_fraction_may_have_lost_a_zero():
    with pytest.raises(ValueError, match=r"Excel may have dropped a trailing zero \(1.10 becomes 1.1\)"):
        numbering(1.1)


# --- Errors and warnings --------------------------------------------------------------------


@pytest.mark.parametrize(
    "finding, text",
    [
        (RowError(3, "Status", "'Maybe' is not a status"), "Row 3, column 'Status': 'Maybe' is not a status"),
        (RowError(3, "", "is blank"), "Row 3: is blank"),
        (RowError(4, "Action No", "no action 7", "Milestones"), "Milestones sheet, row 4, column 'Action No': no action 7"),
        (RowError(0, "", "cannot be read"), "File: cannot be read"),
        (RowWarning(5, "Timescale", "kept as written."), "Row 5, column 'Timescale': kept as written."),
        (RowWarning(None, "Notes", "is ignored."), "Column 'Notes' is ignored."),
        (RowWarning(None, "Owner", "is ignored.", "Milestones"), "Column 'Owner' of the Milestones sheet is ignored."),
        (RowWarning(None, "", "The file was read as Windows-1252."), "The file was read as Windows-1252."),
    ],
)
def test_findings_say_where_they_are(finding, text):
    assert str(finding) == text


def test_findings_in_file_order_keep_each_rows_own_order():
    findings = [RowError(2, "B", "x", "Milestones"), RowError(5, "A", "x"), RowError(3, "Z", "x"), RowError(3, "A", "x")]
    assert [(f.sheet, f.row, f.column) for f in in_file_order(findings)] == [
        ("", 3, "Z"), ("", 3, "A"), ("", 5, "A"), ("Milestones", 2, "B"),
    ]


# --- Writing: spreadsheets that stay safe ----------------------------------------------------

FORMULA_LIKE = ["=SUM(A1:A9)", "+44 1622 000000", "- see the note", "@risk", "\tindented"]


def test_csv_puts_an_apostrophe_before_text_a_spreadsheet_would_run():
    written = write_csv(["Text", "Number"], [[text, 3] for text in FORMULA_LIKE] + [["'Tis plain", -3]])
    rows = list(csv.reader(io.StringIO(written.decode("utf-8"))))
    assert [row[0] for row in rows[1:]] == [f"'{text}" for text in FORMULA_LIKE] + ["'Tis plain"]
    assert rows[-1][1] == "-3"  # a number is a number, not text that looks like a formula


def test_csv_written_then_read_gives_back_exactly_what_was_written():
    rows = [[text] for text in FORMULA_LIKE + ["'Tis plain", "'=quoted", "''=twice", "'", ""]]
    assert read_sheets(write_csv(["Text"], rows), "file.csv")[""][1:] == rows


def test_xlsx_writes_formula_like_text_as_text_cells_never_formulas():
    data = write_xlsx([("Plan", ["Text"], [[text] for text in FORMULA_LIKE])])
    sheet = load_workbook(io.BytesIO(data))["Plan"]
    assert [(cell.value, cell.data_type) for (cell,) in sheet.iter_rows(min_row=2)] == [(text, "s") for text in FORMULA_LIKE]
    assert read_sheets(data, "file.xlsx")["Plan"][1:] == [[text] for text in FORMULA_LIKE]


def test_the_apostrophe_before_formula_like_text_in_a_workbook_is_removed_as_in_a_csv():
    # Excel opens an exported CSV with its apostrophes in the cells; saved as a workbook, they stay there.
    data = xlsx(("Plan", [["Text"], ["'=as typed"], ["''=twice"], ["'Tis plain"], ["'"], [3]]))
    assert read_sheets(data, "file.xlsx")["Plan"][1:] == [["=as typed"], ["'=twice"], ["'Tis plain"], ["'"], [3]]


def test_xlsx_written_then_read_gives_back_exactly_what_was_written():
    rows = [[text] for text in FORMULA_LIKE + ["'Tis plain", "'=quoted", "''=twice", "'"]]
    data = write_xlsx([("Plan", ["Text"], rows)])
    assert read_sheets(data, "file.xlsx")["Plan"][1:] == rows
    sheet = load_workbook(io.BytesIO(data))["Plan"]
    # Text a spreadsheet would run is marked as typed with an apostrophe: edited in Excel, it stays text.
    assert [cell.quotePrefix for (cell,) in sheet.iter_rows(min_row=2)] == [True] * 5 + [False, True, True, False]


def test_csv_is_utf8_with_a_byte_order_mark_so_excel_shows_dashes_and_quotes():
    written = write_csv(["Text"], [["January – March 2011"], ["Officer’s note"]])
    assert written.startswith(codecs.BOM_UTF8)
    assert written[len(codecs.BOM_UTF8):].decode("utf-8").splitlines()[1:] == ["January – March 2011", "Officer’s note"]
    assert read_sheets(written, "file.csv")[""] == [["Text"], ["January – March 2011"], ["Officer’s note"]]


def test_nothing_written_is_cut():
    long = "x" * 10_000 + "\nend"
    assert read_sheets(write_csv(["Text"], [[long]]), "file.csv")[""][1] == [long]
    assert read_sheets(write_xlsx([("Plan", ["Text"], [[long]])]), "file.xlsx")["Plan"][1] == [long]


def test_dates_are_iso_text_in_csv_and_date_cells_in_xlsx():
    day, stamp = datetime.date(2010, 3, 31), datetime.datetime(2010, 3, 31, 14, 5)
    assert read_sheets(write_csv(["Day", "When", "None"], [[day, stamp, None]]), "f.csv")[""][1] == [
        "2010-03-31", "2010-03-31 14:05:00", "",
    ]
    sheet = load_workbook(io.BytesIO(write_xlsx([("Plan", ["Day", "When"], [[day, stamp]])])))["Plan"]
    first, second = sheet["A2"], sheet["B2"]
    assert (first.is_date, first.value.date(), first.number_format) == (True, day, "dd/mm/yyyy")
    assert (second.is_date, second.value, second.number_format) == (True, stamp, "dd/mm/yyyy hh:mm")


def test_rag_cells_are_spelled_out_and_filled_with_their_colour():
    from core.rag import HEX, Rag

    rows = [[Rag("red", "Past its due date")], [Rag("grey", "No due date")], ["Green"]]
    assert read_sheets(write_csv(["RAG"], rows), "f.csv")[""][1:] == [["Red"], ["Not rated"], ["Green"]]
    sheet = load_workbook(io.BytesIO(write_xlsx([("Plan", ["RAG"], rows)])))["Plan"]
    red, grey, plain = sheet["A2"], sheet["A3"], sheet["A4"]
    assert (red.value, red.fill.fgColor.rgb[-6:], red.font.color.rgb[-6:]) == ("Red", HEX["red"][1], HEX["red"][0])
    assert (grey.value, grey.fill.fgColor.rgb[-6:]) == ("Not rated", HEX["grey"][1])
    assert (plain.value, plain.fill.fill_type) == ("Green", None)  # a word is a word: only a Rag is filled


def test_xlsx_opens_ready_to_read_filter_and_print():
    rows = [["1.1", "A short one", "x" * 500 + "\nmore"], ["1.10", "Another", "Done"]]
    data = write_xlsx([("Plan", ["Action No", "Action", "Progress"], rows), ("Empty", ["Plan", "Action No"], [])])
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Plan"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C3"
    assert [cell.font.b for cell in sheet[1]] == [True, True, True]
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABC"}
    assert 9 <= widths["A"] < widths["B"] < widths["C"] <= 80
    assert sheet["C2"].alignment.wrap_text and not sheet["A2"].alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert workbook["Empty"].auto_filter.ref == "A1:B1"


# --- Running an import ----------------------------------------------------------------------
# A format of this test's own: one unit per row, saved as an OrganisationUnit.

UNIT_COLUMNS = [Column("Name", required=True), Column("Short name")]


def parse_units(data):
    table = make_table(read_file(data, "units.csv").first, UNIT_COLUMNS)
    rows, errors = [], []
    for number, values in table.rows:
        name = cell_text(values["Name"])
        if not name:
            errors.append(RowError(number, "Name", "is required and is empty"))
        rows.append((number, name, cell_text(values.get("Short name"))))
    return Parsed({"": tuple(rows)}, tuple(errors), tuple(table.header_warnings("the unit format")))


class CheckedUnits:
    def __init__(self, parsed):
        self.rows = parsed.rows()
        self.saved = {unit.name: unit for unit in OrganisationUnit.objects.filter(name__in=[row[1] for row in self.rows])}
        self.errors = [RowError(number, "Short name", "is too long") for number, _, short in self.rows if len(short) > 30]
        self.warnings = [RowWarning(number, "Short name", "is blank") for number, _, short in self.rows if not short]


def save_units(checked):
    result = ImportResult()
    for number, name, short in checked.rows:
        unit = checked.saved.get(name)
        outcome = NEW if unit is None else (UNCHANGED if unit.short_name == short else UPDATED)
        if outcome != UNCHANGED:
            unit = unit or OrganisationUnit(name=name, level=OrganisationUnit.DIVISION)
            unit.short_name = short
            unit.save()
        result.outcomes.append(RowOutcome(number, outcome, f"Unit {name}", saved=unit))
    return result


def import_units(text, dry_run=False):
    return run_import(parse=lambda: parse_units(text.encode()), check=CheckedUnits, save=save_units, dry_run=dry_run)


@pytest.mark.django_db
def test_run_import_saves_and_reports_each_row_and_every_warning():
    OrganisationUnit.objects.create(name="OPPD", short_name="", level=OrganisationUnit.DIVISION)
    result = import_units("Name,Short name,Notes\nOPPD,Older people\nLDMH,\n")
    assert [(o.row, o.outcome, o.label) for o in result.outcomes] == [(2, UPDATED, "Unit OPPD"), (3, NEW, "Unit LDMH")]
    assert [str(w) for w in result.warnings] == [
        "Column 'Notes' is not part of the unit format and was ignored.",
        "Row 3, column 'Short name': is blank",
    ]
    assert result.summary == "Imported 2 rows: 1 new, 1 updated, 0 unchanged; 2 warnings."
    assert dict(OrganisationUnit.objects.values_list("name", "short_name")) == {"OPPD": "Older people", "LDMH": ""}


@pytest.mark.django_db
def test_errors_of_parsing_and_of_checking_come_together_in_file_order_and_nothing_is_saved():
    with pytest.raises(ImportErrors) as info:
        import_units(f"Name,Short name\nA,{'x' * 31}\n,B\nC,C\n")
    assert [str(error) for error in info.value.errors] == [
        "Row 2, column 'Short name': is too long",
        "Row 3, column 'Name': is required and is empty",
    ]
    assert OrganisationUnit.objects.count() == 0


@pytest.mark.django_db
def test_a_dry_run_reports_what_it_would_do_and_saves_nothing():
    result = import_units("Name,Short name\nOPPD,Older people\n", dry_run=True)
    assert result.dry_run and result.count(NEW) == 1
    assert result.summary.startswith("Would import 1 rows")
    assert OrganisationUnit.objects.count() == 0


@pytest.mark.django_db
def test_a_failure_while_saving_undoes_the_rows_saved_before_it():
    def failing_save(checked):
        save_units(checked)
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        run_import(parse=lambda: parse_units(b"Name,Short name\nOPPD,O\n"), check=CheckedUnits, save=failing_save)
    assert OrganisationUnit.objects.count() == 0
