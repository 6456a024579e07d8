"""One XLSX reader for every import (DESIGN §5): values as calamine types them, every cell
that holds a formula by its exact position, and a workbook of any shape read in bounded
memory or refused with a clear message."""

import datetime
import io
import struct
import zipfile

import pytest
import xlsxwriter
from django.utils.translation import override

from cegah.core import sheets
from cegah.core.sheets import SheetError, read_xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SHEET1 = "xl/worksheets/sheet1.xml"


def _workbook(*fills) -> bytes:
    """A workbook with one worksheet per ``fill(sheet, workbook)``."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    for number, fill in enumerate(fills, start=1):
        fill(workbook.add_worksheet(f"Lembar{number}"), workbook)
    workbook.close()
    return buffer.getvalue()


def _one_cell(sheet, _workbook):
    sheet.write(0, 0, "isi")


def _with_part(data: bytes, name: str, text: str | bytes) -> bytes:
    """``data`` with the member ``name`` holding ``text`` (added when missing)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        target.writestr(name, text)
    return buffer.getvalue()


def _with_sheet_xml(rows_xml: str, *, root: str = f'<worksheet xmlns="{MAIN}">') -> bytes:
    close = "</" + root[1:].split()[0].rstrip(">") + ">"
    prefix = root[1:].split(":")[0] + ":" if ":" in root.split()[0] else ""
    text = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{root}<{prefix}sheetData>{rows_xml}</{prefix}sheetData>{close}"
    )
    return _with_part(_workbook(_one_cell), SHEET1, text)


# ---------------------------------------------------------------------------------------
# Values and formulas


def test_values_come_typed_from_row_one_and_column_a():
    def fill(sheet, workbook):
        sheet.write_row(2, 1, ["teks", 5, 2.5, True])
        date = workbook.add_format({"num_format": "d mmmm yyyy"})
        sheet.write_datetime(3, 2, datetime.datetime(2026, 12, 4), date)

    sheet = read_xlsx(_workbook(fill))
    assert sheet.name == "Lembar1"
    assert sheet.formulas == frozenset()
    assert sheet.rows[0] == ["", "", "", "", ""]
    assert sheet.rows[2] == ["", "teks", 5.0, 2.5, True]
    assert sheet.rows[3][2] == datetime.date(2026, 12, 4)


def test_formula_cells_are_reported_at_their_exact_positions():
    def fill(sheet, _workbook):
        sheet.write_row(0, 0, ["Jumlah", 320, 300])
        sheet.write_formula(1, 1, "=B1*2")  # cached result 0, as XlsxWriter writes it
        sheet.write_formula(1, 2, "=C1*2", None, 600)  # with the right result cached
        sheet.write_formula(3, 27, '="teks"', None, "teks")  # AB4, a text result
        sheet.write_array_formula(5, 0, 7, 0, "{=B1:B3*2}")  # A6:A8, one <f> for three

    sheet = read_xlsx(_workbook(fill))
    assert sorted(sheet.formulas) == [(2, 1), (2, 2), (4, 27), (6, 0), (7, 0), (8, 0)]
    # The values are what the spreadsheet cached: nothing to import as typed.
    assert sheet.rows[1][1:3] == [0.0, 600.0]
    assert [sheets.cell_name(row, column) for row, column in sorted(sheet.formulas)] == [
        "B2",
        "C2",
        "AB4",
        "A6",
        "A7",
        "A8",
    ]


def test_shared_formulas_are_reported_in_every_cell_that_shares_them():
    # Excel writes a formula filled down as one shared formula; XlsxWriter cannot.
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}">'
        + ('<f t="shared" ref="B1:B3" si="0">A1*2</f>' if n == 1 else '<f t="shared" si="0"/>')
        + "<v>0</v></c></row>"
        for n in (1, 2, 3)
    )
    sheet = read_xlsx(_with_sheet_xml(rows + '<row r="4"><c r="B4"><v>7</v></c></row>'))
    assert sorted(sheet.formulas) == [(1, 1), (2, 1), (3, 1)]
    assert sheet.rows == [[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], ["", 7.0]]


def test_cells_without_references_are_placed_as_calamine_places_them():
    # Positions may be left out: a cell follows the one before, a row the row before.
    rows = (
        '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row>'
        '<row r="4"><c><v>2</v></c><c><f>A4*2</f><v>0</v></c></row>'
        '<row><c r="C5"><f>1+1</f><v>2</v></c></row>'
    )
    sheet = read_xlsx(_with_sheet_xml(rows))
    assert sheet.rows == [
        ["a", 1.0, ""],
        ["", "", ""],
        ["", "", ""],
        [2.0, 0.0, ""],
        ["", "", 2.0],
    ]
    assert sorted(sheet.formulas) == [(4, 1), (5, 2)]


def test_a_sheet_written_with_a_namespace_prefix_is_read_the_same():
    rows = (
        '<x:row r="1"><x:c r="A1"><x:v>5</x:v></x:c>'
        '<x:c r="B1"><x:f>A1*2</x:f><x:v>0</x:v></x:c></x:row>'
    )
    sheet = read_xlsx(_with_sheet_xml(rows, root=f'<x:worksheet xmlns:x="{MAIN}">'))
    assert sheet.rows == [[5.0, 0.0]]
    assert sheet.formulas == frozenset({(1, 1)})


def test_a_workbook_without_formulas_reports_none():
    def fill(sheet, _workbook):
        for column, text in enumerate(["=B1", "'=B1", "+62 31 123"]):  # text, looking like one
            sheet.write_string(0, column, text)
        sheet.write_number(1, 0, 0)

    sheet = read_xlsx(_workbook(fill))
    assert sheet.formulas == frozenset()
    assert sheet.rows == [["=B1", "'=B1", "+62 31 123"], [0.0, "", ""]]


def test_the_first_sheet_is_the_workbooks_first_whatever_its_file_is_called():
    def plain(sheet, _workbook):
        sheet.write(0, 0, "lembar kedua dalam daftar")

    def with_formula(sheet, _workbook):
        sheet.write(0, 0, "lembar pertama dalam daftar")
        sheet.write_formula(2, 1, "=1+1")

    data = _workbook(plain, with_formula)  # Lembar1 in sheet1.xml, Lembar2 in sheet2.xml
    workbook_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml").decode()
    first = '<sheet name="Lembar1" sheetId="1" r:id="rId1"/>'
    second = '<sheet name="Lembar2" sheetId="2" r:id="rId2"/>'
    assert first + second in workbook_xml
    data = _with_part(data, "xl/workbook.xml", workbook_xml.replace(first + second, second + first))

    sheet = read_xlsx(data)
    assert sheet.name == "Lembar2"
    assert sheet.rows[0][0] == "lembar pertama dalam daftar"
    assert sheet.formulas == frozenset({(3, 1)})


# ---------------------------------------------------------------------------------------
# Limits and files that are not workbooks


def test_a_sheet_larger_than_the_cap_unpacked_is_refused():
    def fill(sheet, _workbook):
        for row in range(200):
            sheet.write_row(row, 0, ["teks", row, row * 2])

    data = _workbook(fill)
    assert len(read_xlsx(data).rows) == 200
    with override("en"), pytest.raises(SheetError, match="unpacks to more than .* MB") as caught:
        read_xlsx(data, max_bytes=4096)
    assert SHEET1 in str(caught.value)


def test_a_size_the_zip_declares_falsely_is_not_trusted():
    data = bytearray(_workbook(_one_cell))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET1)
    struct.pack_into("<I", data, info.header_offset + 22, 10)
    central = data.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + length] == SHEET1.encode():
            struct.pack_into("<I", data, central + 24, 10)
        central = data.find(b"PK\x01\x02", central + 4)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET1).file_size == 10
    with override("en"), pytest.raises(SheetError, match="not a readable XLSX workbook"):
        read_xlsx(bytes(data))


@pytest.mark.parametrize(
    ("cap", "message"),
    [
        ({"max_rows": 5}, "reaches row 10; at most 5 rows"),
        ({"max_columns": 3}, "reaches column D; at most 3 columns"),
        ({"max_cells": 39}, "spans 10 rows and 4 columns; at most 39 cells"),
    ],
)
def test_rows_columns_and_cells_are_capped(cap, message):
    def fill(sheet, _workbook):
        for row in range(10):
            sheet.write_row(row, 0, [row, row, row, row])

    data = _workbook(fill)
    assert len(read_xlsx(data, max_rows=10, max_columns=4, max_cells=40).rows) == 10
    with override("en"), pytest.raises(SheetError, match=message):
        read_xlsx(data, **cap)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [(1_048_575, 0, "reaches row 1,048,576"), (0, 16_383, "reaches column XFD")],
)
def test_a_tiny_file_naming_a_far_cell_is_refused_before_it_is_laid_out(
    row, column, message, monkeypatch
):
    # calamine allocates every cell from A1 to the last one: with A1 and XFD1048576, 17
    # billion of them. The extent is found in the XML first; calamine is never reached.
    def fill(sheet, _workbook):
        sheet.write(0, 0, "A1")
        sheet.write(row, column, "jauh")

    monkeypatch.setattr(sheets, "_values", _not_reached)
    with override("en"), pytest.raises(SheetError, match=message):
        read_xlsx(_workbook(fill))


def test_a_far_cell_written_unusually_is_refused_too(monkeypatch):
    rows = '<row r="1"><c s="0" r="A1"><v>1</v></c><c s="0" r="XFD1048576"><v>1</v></c></row>'
    monkeypatch.setattr(sheets, "_values", _not_reached)
    with override("en"), pytest.raises(SheetError, match="reaches row 1,048,576"):
        read_xlsx(_with_sheet_xml(rows))
    rows = '<row r="1048576"><c><v>1</v></c><c/><c/><c/><c><v>1</v></c></row>'  # no references
    with override("en"), pytest.raises(SheetError, match="reaches row 1,048,576"):
        read_xlsx(_with_sheet_xml(rows))


def _not_reached(*args, **kwargs):
    raise AssertionError("calamine was asked to lay out a sheet beyond the caps")


def test_too_many_formula_cells_refuse_the_file_as_a_whole():
    def fill(sheet, _workbook):
        for row in range(6):
            sheet.write_formula(row, 0, "=1+1")

    assert len(read_xlsx(_workbook(fill), max_formulas=6).formulas) == 6
    with override("en"), pytest.raises(SheetError, match="more than 5 cells with formulas"):
        read_xlsx(_workbook(fill), max_formulas=5)


def test_deep_nesting_and_document_types_are_refused():
    deep = "<r>" * 70 + "<t>x</t>" + "</r>" * 70
    rows = f'<row r="1"><c r="A1" t="inlineStr"><is>{deep}</is></c><c r="B1"><f>1</f></c></row>'
    with override("en"), pytest.raises(SheetError, match="nested deeper than 64 levels"):
        read_xlsx(_with_sheet_xml(rows))

    text = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY e "1">]>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><v>&e;</v></c></row>'
        "</sheetData></worksheet>"
    )
    with override("en"), pytest.raises(SheetError, match="document type declaration"):
        read_xlsx(_with_part(_workbook(_one_cell), SHEET1, text))


def test_xml_not_in_utf8_is_refused():
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1"><f>1</f></c></row>'
        "</sheetData></worksheet>"
    ).encode("utf-16")
    data = _with_part(_workbook(_one_cell), SHEET1, text)
    with override("en"), pytest.raises(SheetError, match="not UTF-8"):
        read_xlsx(data)


def test_a_chart_as_the_first_sheet_is_named():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    chartsheet = workbook.add_chartsheet("Grafik")
    data = workbook.add_worksheet("Data")
    data.write_column(0, 0, [1, 2, 3])
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({"values": "=Data!$A$1:$A$3"})
    chartsheet.set_chart(chart)
    workbook.close()
    with override("en"), pytest.raises(SheetError, match="first sheet of the workbook is not"):
        read_xlsx(buffer.getvalue())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), r"old Excel file \(.xls\)"),
        (b"Jenis kawasan,Nama\n", "not an XLSX workbook"),
        (b"PK\x03\x04 not really a zip", "not a readable XLSX workbook"),
    ],
)
def test_files_that_are_not_workbooks_are_refused_with_what_they_are(data, message):
    with override("en"), pytest.raises(SheetError, match=message):
        read_xlsx(data)


def test_a_zip_that_is_not_a_workbook_is_named():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("catatan.txt", "bukan buku kerja")
    with override("en"), pytest.raises(SheetError, match="ZIP archive but not an XLSX"):
        read_xlsx(buffer.getvalue())


def test_messages_are_indonesian_first():
    with override("id"), pytest.raises(SheetError, match="Ini berkas Excel lama"):
        read_xlsx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with override("id"):
        assert str(sheets.FORMULA_REFUSED) == "Rumus tidak diterima, ketik nilainya."


@pytest.mark.parametrize(
    ("index", "letters"),
    [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")],
)
def test_column_letters(index, letters):
    assert sheets.column_letter(index) == letters
    assert sheets.column_letter(16_383) == "XFD"
    assert sheets.cell_name(12, 1) == "B12"
