"""Export of the filtered site list as CSV or XLSX.

The columns are the import template's (so an exported file imports back unchanged, matched
by its site code) followed by read-only ones (region name, the assessment status). Text
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
return) gets a leading apostrophe; the importer removes it again.
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from .imports import COLUMNS, EXPORT_ONLY_COLUMNS

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Field read for each column; text columns are neutralised, the others are numbers/dates.
_FIELDS = [c.field for c in COLUMNS] + [c.field for c in EXPORT_ONLY_COLUMNS]
_TEXT = {
    "site_type",
    "name",
    "region_code",
    "official_id",
    "address",
    "population_kind",
    "code",
    "region_name",
}
_QUERY_FIELDS = {
    "region_code": "region_id",
    "region_name": "region__name",
}


def neutralise(text: str) -> str:
    """Text a spreadsheet would evaluate as a formula, made inert with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def headers() -> list[str]:
    return [c.header for c in COLUMNS] + [c.header for c in EXPORT_ONLY_COLUMNS]


def rows(queryset):
    """One list of cell values per site, in column order, read in chunks."""
    names = [_QUERY_FIELDS.get(f, f) for f in _FIELDS]
    for values in queryset.values_list(*names).iterator(chunk_size=2000):
        cells = []
        for field, value in zip(_FIELDS, values, strict=True):
            if field in _TEXT:
                value = neutralise(value or "")
            elif field == "functioning":
                value = "ya" if value else "tidak"
            elif isinstance(value, Decimal):
                value = value.normalize()
            cells.append(value)
        yield cells


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value):
        return value


def _filename(fmt: str) -> str:
    return f"kawasan-{timezone.localdate():%Y%m%d}.{fmt}"


def csv_response(queryset) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
        yield writer.writerow(headers())
        for cells in rows(queryset):
            yield writer.writerow([_csv_text(v) for v in cells])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(CSV)}"'
    return response


def write_xlsx(queryset, target) -> None:
    """The export as an XLSX workbook written to ``target`` (a path or binary file) in
    XlsxWriter's constant-memory mode: a national list does not sit in memory."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("Kawasan")
    bold = workbook.add_format({"bold": True})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, headers(), bold)
    sheet.freeze_panes(1, 0)
    for number, cells in enumerate(rows(queryset), start=1):
        for column, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(number, column, value)  # never read as a formula
            elif isinstance(value, datetime.date):
                sheet.write_datetime(
                    number, column, datetime.datetime.combine(value, datetime.time()), date
                )
            else:
                sheet.write_number(number, column, float(value))
    workbook.close()


def xlsx_response(queryset) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    write_xlsx(queryset, spool)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=_filename(XLSX), content_type=XLSX_CONTENT_TYPE
    )


def response(queryset, fmt: str):
    return xlsx_response(queryset) if fmt == XLSX else csv_response(queryset)
