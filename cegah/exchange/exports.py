"""Exports of data values (JSON, CSV, XLSX) and the XLSX template per data set.

Every export reads through ``queries.export_rows`` (scoped) as a stream of tuples from a
server-side cursor, and writes as it reads: memory stays flat however many rows. CSV and
XLSX cells that a spreadsheet would run as a formula get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Iterator

from cegah.core import numbers

from .parsers import _FORMULA_START, CSV_COLUMNS, XLSX_HEADERS
from .queries import ExportRow

# The attribute option combo of every exported value: Cegah has no attributes.
DEFAULT_COMBO = "default"
_FLAG = {True: "true", False: "false"}

Row = ExportRow  # what ``queries.export_rows`` yields

XLSX_EXPORT_HEADERS = (*(h for _k, h in XLSX_HEADERS), "Disimpan oleh", "Terakhir diubah")


def safe_cell(text: str) -> str:
    """Neutralise formula injection: text a spreadsheet would evaluate gets an apostrophe.
    Plain numbers (``-5``, ``+3.2``) stay as they are."""
    if not text or text[0] not in _FORMULA_START:
        return text
    try:
        float(text)
    except ValueError:
        return "'" + text
    return text


def number_text(value: float | None) -> str:
    """A stored value the machine way (DHIS2's files): ``1000000.5``, never an exponent;
    empty for a deleted value whose number was not given."""
    return "" if value is None else numbers.machine_text(value)


def _json_item(row: Row) -> dict:
    item = {
        "dataElement": row.code,
        "period": row.period,
        "orgUnit": row.org_unit,
        "categoryOptionCombo": row.coc,
        "attributeOptionCombo": DEFAULT_COMBO,
        "value": number_text(row.value),
        "storedBy": row.stored_by,
        "created": (row.created_at or row.updated_at).isoformat(),
        "lastUpdated": row.updated_at.isoformat(),
        "followup": row.followup,
        "deleted": row.deleted,
    }
    if row.comment:
        item["comment"] = row.comment
    return item


def stream_json(rows: Iterable[Row], header: dict) -> Iterator[bytes]:
    """A dataValueSet, written as it is read: ``{...header, "dataValues": [ … ]}``."""
    opening = json.dumps(header)[:-1] + (", " if header else "") + '"dataValues": ['
    yield opening.encode()
    buffer, first = [], True
    for row in rows:
        buffer.append(("" if first else ",") + json.dumps(_json_item(row), ensure_ascii=False))
        first = False
        if len(buffer) >= 2000:
            yield "".join(buffer).encode()
            buffer.clear()
    buffer.append("]}")
    yield "".join(buffer).encode()


def stream_csv(rows: Iterable[Row]) -> Iterator[bytes]:
    """DHIS2's CSV column order with a header row, UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(
            (
                row.code,
                row.period,
                row.org_unit,
                row.coc,
                DEFAULT_COMBO,
                number_text(row.value),
                safe_cell(row.stored_by),
                row.updated_at.isoformat(),
                safe_cell(row.comment),
                _FLAG[row.followup],
                _FLAG[row.deleted],
            )
        )
        count += 1
        if count % 2000 == 0:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode()


def _workbook(path: str):
    import xlsxwriter

    # constant_memory: rows are flushed to disk as they are written.
    return xlsxwriter.Workbook(
        path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )


def write_xlsx(rows: Iterable[Row], names: dict[str, str]) -> str:
    """The rows in our template's columns, in a temporary file (its path is returned; the
    caller removes it). ``names``: data element code → name."""
    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="cegah-export-")
    os.close(handle)
    workbook = _workbook(path)
    sheet = workbook.add_worksheet("Data")
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for column, title in enumerate(XLSX_EXPORT_HEADERS):
        sheet.write_string(0, column, title, bold)
    sheet.set_column(0, 1, 28)
    sheet.set_column(2, 6, 16)
    for r, row in enumerate(rows, start=1):
        sheet.write_string(r, 0, row.code)
        sheet.write_string(r, 1, safe_cell(names.get(row.code, "")))
        sheet.write_string(r, 2, row.coc, text)
        sheet.write_string(r, 3, row.period, text)
        sheet.write_string(r, 4, row.org_unit, text)
        sheet.write_number(r, 5, row.value)
        if row.comment:
            sheet.write_string(r, 6, safe_cell(row.comment))
        sheet.write_string(r, 7, safe_cell(row.stored_by))
        sheet.write_string(r, 8, row.updated_at.strftime("%Y-%m-%d %H:%M:%S"))
    workbook.close()
    return path


def template_xlsx(data_set) -> str:
    """The import template of one data set: one row per data element and category, period
    and org unit left to fill in (as text, so Excel keeps 202603 and 35.10 as typed)."""
    from cegah.indicators.services import category_option_combos

    handle, path = tempfile.mkstemp(suffix=".xlsx", prefix="cegah-template-")
    os.close(handle)
    workbook = _workbook(path)
    sheet = workbook.add_worksheet(data_set.code[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E7F0FA"})
    text = workbook.add_format({"num_format": "@"})
    for column, (_key, title) in enumerate(XLSX_HEADERS):
        sheet.write_string(0, column, title, bold)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 48)
    sheet.set_column(2, 4, 18, text)
    sheet.set_column(5, 5, 12)
    sheet.set_column(6, 6, 40)
    sheet.freeze_panes(1, 0)
    row = 1
    for member in data_set.members.select_related("data_element"):
        element = member.data_element
        if element.derived:
            continue
        for coc in category_option_combos(element.disaggregation):
            sheet.write_string(row, 0, element.code)
            sheet.write_string(row, 1, safe_cell(element.name_id))
            sheet.write_string(row, 2, coc, text)
            row += 1
    workbook.close()
    return path
