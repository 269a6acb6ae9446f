"""Hostile and awkward files through `manage.py import_plan`: each is refused with one line that says
why, or imported as written; never a traceback, never part of a file saved, never unbounded.

The files are built by `tests/hostile.py` at sizes that keep the suite quick; `scripts/hostile_files.py`
runs the same corpus at full size and prints how long each took and how much memory.
"""

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command

from actionplans.models import Action, Milestone, Plan, ProgressUpdate
from core.spreadsheets import read_sheets

from .. import hostile

pytestmark = pytest.mark.django_db


def import_file(tmp_path, built):
    name, data = built
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refusal(tmp_path, built):
    """The command's one-line message; and nothing was saved."""
    with pytest.raises(CommandError) as raised:
        import_file(tmp_path, built)
    message = str(raised.value)
    assert "\n" not in message and "Traceback" not in message
    assert not (Plan.objects.exists() or Action.objects.exists() or Milestone.objects.exists()
                or ProgressUpdate.objects.exists())
    return message


def test_a_sheet_claiming_every_cell_with_one_in_the_last_row_is_refused_without_reading_them(tmp_path):
    """4.7 KB that claimed A1:XFD1048576 drove the import to a MemoryError at 11.7 GB."""
    assert refusal(tmp_path, hostile.sparse_far_xlsx()) == (
        "sparse-far.xlsx: Sheet 'Plan' has data in row 1,048,576, but an import reads at most 10,000 rows below "
        "the header. Split it into several files (a plan a file, for example)."
    )


def test_a_sheet_claiming_every_cell_but_holding_two_rows_imports_them(tmp_path):
    out, _ = import_file(tmp_path, hostile.sparse_claim_xlsx())
    assert "2 actions new" in out
    assert Action.objects.count() == 2


def test_rows_past_a_sheet_s_claimed_size_are_read_not_dropped(tmp_path):
    """openpyxl stops at the size a sheet claims: a workbook claiming A1:E2 lost its third row."""
    import_file(tmp_path, hostile.xlsx(list(hostile._plan_rows(3)), dimension="A1:E2"))
    assert Action.objects.count() == 3


def test_a_gigabyte_cell_is_refused_from_what_the_archive_declares(tmp_path, settings):
    settings.IMPORT_MAX_UNZIPPED_MB = 20  # the same refusal as a gigabyte against 100 MB, built faster
    message = refusal(tmp_path, hostile.huge_cell_xlsx(30 * 1024 * 1024))
    assert message == (
        "huge-cell.xlsx: The workbook unzips to 30 MB, more than the 20 MB an import reads. "
        "Split it into several files, or save it as CSV."
    )


@pytest.mark.parametrize("builder", [hostile.huge_cell_xlsx, hostile.huge_shared_string_xlsx])
def test_a_cell_too_long_is_refused_while_it_is_read(tmp_path, builder):
    """Within the unzipped limit, the cell is measured as it streams past, never held whole."""
    message = refusal(tmp_path, builder(5 * 1024 * 1024))
    assert "longer than the 131,072 characters a cell may hold" in message


def test_a_shared_text_too_long_is_refused_at_the_row_that_uses_it(tmp_path):
    message = refusal(tmp_path, hostile.huge_shared_string_xlsx(200_000))
    assert message == (
        "huge-shared-string.xlsx: The file cannot be read: sheet 'Plan' has a cell in row 2 longer than the "
        "131,072 characters a cell may hold; shorten that cell and save the file again."
    )


def test_a_zip_bomb_is_refused_before_it_is_unzipped(tmp_path):
    assert "The workbook unzips to 300 MB, more than the 100 MB an import reads" in refusal(
        tmp_path, hostile.zip_bomb_xlsx(300)
    )


def test_sizes_an_archive_understates_are_not_believed(tmp_path):
    """zipfile reads no more than a part declares, and then finds the part's checksum wrong."""
    name, data = hostile.xlsx(list(hostile._plan_rows(40)), dimension="A1:E41")
    archive = bytearray(data)
    # The central directory's uncompressed size of the sheet: claim 100 bytes.
    entry = archive.rfind(b"PK\x01\x02", 0, archive.find(b"xl/worksheets/sheet1.xml", len(archive) // 2))
    archive[entry + 24:entry + 28] = (100).to_bytes(4, "little")
    message = refusal(tmp_path, (name, bytes(archive)))
    assert message.startswith(f"{name}: The file cannot be read")


def test_a_sheet_whose_xml_breaks_off_is_one_line_not_a_traceback_nor_half_read(tmp_path):
    """Read as it was, the broken sheet's first rows imported and the rest vanished without a word."""
    assert refusal(tmp_path, hostile.corrupt_xml_xlsx()) == (
        "corrupt-xml.xlsx: The file cannot be read: sheet 'Plan' is damaged: its XML breaks off or is "
        "malformed (not well-formed (invalid token))."
    )


def test_xml_entities_are_refused_before_anything_expands_them(tmp_path):
    assert "declares XML entities, which a spreadsheet never needs" in refusal(tmp_path, hostile.entity_xlsx())


def test_a_damaged_archive_is_one_line(tmp_path):
    assert refusal(tmp_path, hostile.not_a_zip_xlsx()) == (
        "not-a-zip.xlsx: The file cannot be opened as an XLSX workbook. Save it again as .xlsx or CSV."
    )


def test_merged_cells_give_their_value_to_every_row_they_span(tmp_path):
    import_file(tmp_path, hostile.merged_cells_xlsx())
    assert list(Action.objects.values_list("area__title", flat=True)) == ["Workforce"] * 3


@pytest.mark.parametrize("builder", [hostile.many_rows_csv, hostile.many_rows_xlsx])
def test_more_rows_than_an_import_reads_are_refused(tmp_path, settings, builder):
    settings.IMPORT_MAX_ROWS = 100
    message = refusal(tmp_path, builder(150))
    assert "has data in row 102, but an import reads at most 100 rows below the header" in message


def test_the_row_limit_counts_rows_below_the_header(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 100
    import_file(tmp_path, hostile.many_rows_csv(100))
    assert Action.objects.count() == 100


@pytest.mark.parametrize("builder", [hostile.wide_csv, hostile.wide_rows_xlsx])
def test_rows_filled_out_to_the_last_column_are_read_to_the_hundredth(tmp_path, builder):
    out, err = import_file(tmp_path, builder(3, columns=300))
    assert Action.objects.count() == 3
    assert "3 actions new" in out


def test_a_sheet_of_more_cells_than_an_import_reads_is_refused_in_one_pass(tmp_path):
    assert "has more than 300,000 filled cells, more than an import reads" in refusal(
        tmp_path, hostile.wide_rows_xlsx(20, columns=16_384)
    )


def test_a_file_over_the_upload_limit_is_refused_before_it_is_read(tmp_path, settings):
    settings.IMPORT_MAX_UPLOAD_MB = 1
    message = refusal(tmp_path, hostile.many_rows_csv(30_000))
    assert message.endswith("the largest that can be imported is 1 MB. Split it into several files.")


@pytest.mark.parametrize(
    "builder, expected",
    [
        (hostile.utf16_csv, "utf16.csv: The file is UTF-16 text (Excel's Unicode Text), not CSV."),
        (hostile.nul_bytes_csv, "nul-bytes.csv: The file is not a CSV file: it holds binary data."),
        (hostile.unclosed_quote_csv, 'unclosed-quote.csv: The file cannot be read as CSV: row 3 opens a quote (")'),
    ],
)
def test_csv_that_cannot_be_read_as_written_is_refused(tmp_path, builder, expected):
    assert refusal(tmp_path, builder()).startswith(expected)


def test_latin1_csv_imports_with_a_warning_to_check_its_accents(tmp_path):
    _, err = import_file(tmp_path, hostile.latin1_csv())
    assert "read as Windows-1252" in err
    assert Action.objects.get().text == "Review café provision – £2,000 budget"


@pytest.mark.parametrize("filename", ["duplicate-header.csv", "duplicate-header.xlsx"])
def test_a_repeated_header_is_called_a_duplicate_not_a_column_the_format_lacks(tmp_path, filename):
    from core.spreadsheets import write_xlsx

    _, data = hostile.duplicate_header_csv()
    if filename.endswith(".xlsx"):
        data = write_xlsx([("Plan", hostile.HEADERS + ["Action"], [hostile.row(1) + ["Second action cell"]])])
    _, err = import_file(tmp_path, (filename, data))
    assert "Warning: Column 'Action' appears more than once; only the first was read." in err
    assert "not part of the plan format" not in err
    assert Action.objects.get().text == "Action 1"


def test_formulas_in_a_file_are_imported_as_text_and_downloaded_unable_to_run(tmp_path, client, ada):
    """=HYPERLINK(...) and =cmd|' /C calc'!A0 went out as live formulas in both downloads."""
    from django.urls import reverse

    import_file(tmp_path, hostile.formula_csv())
    assert sorted(Action.objects.values_list("text", flat=True)) == [
        '=HYPERLINK("http://evil.example/","Click")', "=cmd|' /C calc'!A0",
    ]
    client.force_login(ada)
    page = reverse("plan_detail", args=[Plan.objects.get().pk])
    csv_text = client.get(page + "?format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'=cmd|" in csv_text
    workbook = client.get(page + "?format=xlsx").content
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in sheet or b"<f " in sheet for sheet in sheets)


def test_a_workbook_whose_writer_prefixes_its_tags_is_read_whole(tmp_path):
    """Some writers (.NET's Open XML SDK among them) write <x:row><x:c>: the same sheet to a reader that
    knows namespaces, an empty one to a pass that matched the bare tag names."""
    name, data = hostile.xlsx(list(hostile._plan_rows(3)), dimension="A1:E4")
    prefixed = hostile._replace_part(data, "xl/worksheets/sheet1.xml", lambda xml: (
        xml.replace(b'<worksheet xmlns="', b'<x:worksheet xmlns:x="').replace(b"</worksheet>", b"</x:worksheet>")
        .replace(b"<", b"<x:").replace(b"<x:/", b"</x:").replace(b"<x:?xml", b"<?xml")
        .replace(b"<x:x:", b"<x:").replace(b"</x:x:", b"</x:")
    ))
    import_file(tmp_path, (name, prefixed))
    assert Action.objects.count() == 3


def test_blank_rows_past_the_row_limit_are_neither_kept_nor_read_without_end(tmp_path, settings):
    """19 MB of blank lines after three rows took 15 s and 1.7 GB, and imported."""
    settings.IMPORT_MAX_ROWS = 100
    name, data = hostile.many_rows_csv(3)
    assert "counting blank ones" in refusal(tmp_path, (name, data + b"\r\n" * 1_000))
    import_file(tmp_path, (name, data + b"\r\n" * 150))  # a few blank rows past the limit are harmless
    assert Action.objects.count() == 3


def test_a_merged_range_out_past_the_columns_read_is_clipped_not_filled(tmp_path):
    """A range XFD1:XFD1048576 padded every row out to column 16,384 (1.2 GB); repeated ranges are read once."""
    rows = list(hostile._plan_rows(3))
    merges = '<mergeCell ref="XFD1:XFD1048576"/>' * 500
    built = hostile.xlsx(rows, dimension="A1:E4", tail=f'<mergeCells>{merges}</mergeCells>')
    assert {len(cells) for cells in read_sheets(built[1], built[0])["Plan"]} == {5}
    import_file(tmp_path, built)
    assert Action.objects.count() == 3


def test_a_shared_text_part_under_another_name_is_still_measured_before_it_is_read(tmp_path):
    """openpyxl finds the shared text by the package's content types, whatever the part is called."""
    name, data = hostile.huge_shared_string_xlsx(5 * 1024 * 1024)
    renamed = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename).replace(b"sharedStrings.xml", b"words.xml")
            target.writestr(info.filename.replace("sharedStrings.xml", "words.xml"), content)
    assert "longer than the 131,072 characters a cell may hold" in refusal(tmp_path, (name, renamed.getvalue()))


def test_cells_without_references_are_read_in_their_places(tmp_path):
    """A cell's r attribute is optional: such a sheet was read as its first column only."""
    name, data = hostile.xlsx(list(hostile._plan_rows(2)), dimension="A1:E3")
    bare = hostile._replace_part(data, "xl/worksheets/sheet1.xml", lambda xml: re.sub(rb' r="[A-Z]+\d+"', b"", xml))
    import_file(tmp_path, (name, bare))
    assert list(Action.objects.order_by("number").values_list("number", "text")) == [
        ("1.1", "Action 1"), ("1.2", "Action 2"),
    ]


def test_formatting_drawn_down_empty_rows_is_not_counted_as_filled_cells(tmp_path):
    """A 20-action plan with borders down to row 20,000 was refused as too many cells."""
    empty = "".join(
        f'<row r="{number}">' + "".join(f'<c r="{hostile.column_letter(c)}{number}" s="1"/>' for c in range(1, 17))
        + "</row>"
        for number in range(22, 20_001)
    )
    import_file(tmp_path, hostile.xlsx([*hostile._plan_rows(20), empty], dimension="A1:P20000"))
    assert Action.objects.count() == 20


def test_the_rows_of_all_a_workbook_s_sheets_are_bounded_together(tmp_path, settings):
    from core.spreadsheets import write_xlsx

    settings.IMPORT_MAX_ROWS = 100
    rows = [hostile.row(n) for n in range(1, 91)]
    data = write_xlsx([(title, hostile.HEADERS, rows) for title in ("Plan", "Milestones", "Progress")])
    assert "The workbook has more than 200 rows across its sheets" in refusal(tmp_path, ("three.xlsx", data))
