"""Readers: an uploaded file → ``ValueRow``s, each with the row it came from.

Three formats: DHIS2 dataValueSets JSON (refs ``dataValues[3]``), DHIS2's CSV (refs
``row 12``, the spreadsheet row number, header included) and our XLSX template (``row 12``
too). A problem with the whole file (empty, not UTF-8, malformed JSON, not a workbook)
raises ``FileProblem``; a problem with one row is a conflict in ``Parsed`` and the row is
left out. Values are passed on as text, with how their numbers are written
(``ValueRow.notation``): ``write_values`` types and checks them.

Numbers: DHIS2's JSON and comma-separated CSV are machine channels (``.`` decimal mark, no
grouping: ``1000000.50``); a CSV separated by ``;`` is what a spreadsheet writes in a
language with a decimal comma, and the XLSX template's text cells are typed by people:
both are read in the importing person's language (``3.000`` is three thousand in
Indonesian). An XLSX cell holding a number is a number.

CSV columns: by the header's names, long or short as DHIS2 writes them (``catoptcombo``,
``attroptcombo``, ``strby``, ``lstupd``, ``cmt``, ``flwup``, …), any case; without a header,
DHIS2's column order (``CSV_COLUMNS``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import operator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from cegah.core import numbers, sheets
from cegah.indicators.services import Conflict, ValueRow

JSON, CSV, XLSX = "json", "csv", "xlsx"
FORMATS = (JSON, CSV, XLSX)
ZIP_MAGIC = sheets.ZIP_MAGIC
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CONTENT_TYPES = {
    "application/json": JSON,
    "text/json": JSON,
    "text/csv": CSV,
    "application/csv": CSV,
    "text/plain": CSV,
    XLSX_CONTENT_TYPE: XLSX,
}

# DHIS2's CSV column order, as it writes and (without a header) reads it.
CSV_COLUMNS = (
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "storedby",
    "lastupdated",
    "comment",
    "followup",
    "deleted",
)

# Our XLSX template, Indonesian headers; the importer also knows the DHIS2/English names.
XLSX_HEADERS = (
    ("dataelement", "Kode elemen data"),
    ("name", "Nama elemen data"),
    ("categoryoptioncombo", "Kategori"),
    ("period", "Periode"),
    ("orgunit", "Kode unit organisasi"),
    ("value", "Nilai"),
    ("comment", "Komentar"),
)
_HEADER_NAMES = {
    "dataelement": "dataelement",
    "de": "dataelement",
    "kodeelemendata": "dataelement",
    "elemendata": "dataelement",
    "period": "period",
    "pe": "period",
    "periode": "period",
    "orgunit": "orgunit",
    "ou": "orgunit",
    "kodeunitorganisasi": "orgunit",
    "unitorganisasi": "orgunit",
    "categoryoptioncombo": "categoryoptioncombo",
    "coc": "categoryoptioncombo",
    "kategori": "categoryoptioncombo",
    "catoptcombo": "categoryoptioncombo",
    "attributeoptioncombo": "attributeoptioncombo",
    "attroptcombo": "attributeoptioncombo",
    "aoc": "attributeoptioncombo",
    "value": "value",
    "nilai": "value",
    "storedby": "storedby",
    "strby": "storedby",
    "lastupdated": "lastupdated",
    "lstupd": "lastupdated",
    "timestamp": "lastupdated",
    "created": "created",
    "comment": "comment",
    "cmt": "comment",
    "komentar": "comment",
    "followup": "followup",
    "flwup": "followup",
    "deleted": "deleted",
    "name": "name",
    "namaelemendata": "name",
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRUE, _FALSE = {"true", "t", "1"}, {"false", "f", "0", ""}


def default_combos() -> frozenset[str]:
    """How a file names the default category (option) combo: empty, ``default``, or its
    DHIS2 id (``CEGAH_DHIS2_DEFAULT_COC``, ``HllvX50cXC0`` as in every DHIS2 since 2.x)."""
    return frozenset({"", "default", settings.CEGAH_DHIS2_DEFAULT_COC})


class FileProblem(Exception):
    """The file as a whole cannot be read; nothing in it is imported."""

    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.conflict = Conflict(where, message)


@dataclass
class Parsed:
    rows: list[ValueRow] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    data_set: str = ""  # a JSON file's top-level dataSet, checked by the importer
    default_combos: frozenset[str] = frozenset()

    def __post_init__(self):
        self.default_combos = self.default_combos or default_combos()


def claimed_format(filename: str = "", content_type: str = "") -> str | None:
    """The format a file says it has, by content type first, then by its name."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in _CONTENT_TYPES:
        return _CONTENT_TYPES[media]
    suffix = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    return suffix if suffix in FORMATS else None


def detect_format(head: bytes, filename: str = "", content_type: str = "") -> str:
    """The format to read ``head`` (the file's first bytes) as; a file that claims to be an
    XLSX workbook must be one (a ZIP), and a workbook is not read as text."""
    claimed = claimed_format(filename, content_type)
    is_zip = head.startswith(ZIP_MAGIC)
    if claimed == XLSX and not is_zip:
        raise FileProblem(
            "file",
            _(
                "The file claims to be an XLSX workbook but is not one (an XLSX file is a "
                "ZIP archive; this one does not start with the ZIP signature)."
            ),
        )
    if claimed in (JSON, CSV) and is_zip:
        raise FileProblem(
            "file",
            _("The file claims to be %(format)s but is a ZIP archive (an XLSX workbook?).")
            % {"format": claimed.upper()},
        )
    if claimed:
        return claimed
    if is_zip:
        return XLSX
    return JSON if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[") else CSV


def parse(data: bytes, fmt: str, language: str | None = None, deleting: bool = False) -> Parsed:
    """The file's rows. ``language``: the importing person's (the active one when None),
    for numbers a person typed (see the module docstring)."""
    language = numbers.language(language)
    if fmt == JSON:
        return parse_json(data, deleting)
    if fmt == XLSX:
        return parse_xlsx(data, language)
    return parse_csv(data, language)


def _empty() -> FileProblem:
    return FileProblem("file", _("The file is empty: it holds no data values."))


def decode_text(data: bytes) -> str:
    """UTF-8 text (a byte-order mark is fine), or a FileProblem saying what and where."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(
            "file",
            _("The file is UTF-16 encoded; save it as UTF-8 (in Excel: “CSV UTF-8”)."),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            data.decode("cp1252")
            guess = _("It looks like Windows-1252 (ANSI) or Latin-1.")
        except UnicodeDecodeError:
            guess = ""
        raise FileProblem(
            f"line {line}",
            _(
                "The file is not UTF-8: byte 0x%(byte)02X at line %(line)s, column %(column)s "
                "is not valid UTF-8. %(guess)s Save the file as UTF-8 (in Excel: “CSV UTF-8”)."
            )
            % {"byte": data[exc.start], "line": line, "column": column, "guess": guess},
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise FileProblem(
            f"line {text.count(chr(10), 0, nul) + 1}",
            _("The file contains a NUL character: it is binary, not text."),
        )
    return text


def _neutralised(text: str) -> str:
    """Undo the apostrophe our spreadsheet exports put before a formula-like text."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


def _flag(ref: str, value, name: str, conflicts: list[Conflict]) -> bool | None:
    """A true/false cell or JSON member (DHIS2's booleans; empty is false), or None with a
    conflict: a row is never deleted on a misread flag."""
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    conflicts.append(
        Conflict(
            ref,
            _("%(field)s must be true or false, not %(value)s.") % {"field": name, "value": value},
        )
    )
    return None


def _combo(ref: str, value: str, what: str, parsed: Parsed) -> bool:
    if value in parsed.default_combos:
        return True
    parsed.conflicts.append(
        Conflict(
            ref, _("%(what)s %(value)s is not used in Cegah.") % {"what": what, "value": value}
        )
    )
    return False


# ---------------------------------------------------------------------------------------
# CSV


def _header_key(cell) -> str:
    return "".join(ch for ch in str(cell).lower() if ch.isalnum())


def _header_positions(record: list) -> dict[str, int] | None:
    """Column positions from a header row, or None if the row is data."""
    keys = [_HEADER_NAMES.get(_header_key(cell)) for cell in record]
    if "dataelement" in keys and "period" in keys:
        return {key: i for i, key in reversed(list(enumerate(keys))) if key}
    return None


def parse_csv(data: bytes, language: str | None = None) -> Parsed:
    text = decode_text(data)
    if not text.strip():
        raise _empty()
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    # A spreadsheet in a decimal-comma language separates with ";" and writes numbers as
    # its user does; DHIS2's CSV is "," and machine numbers.
    notation = numbers.language(language) if delimiter == ";" else numbers.MACHINE
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    parsed = Parsed()
    combos = parsed.default_combos
    positions = {name: i for i, name in enumerate(CSV_COLUMNS)}
    columns = None
    # The columns' getter and the width it needs, once every field is known to have a column.
    fast, full, pad = None, 0, False
    add = parsed.rows.append
    try:
        for number, record in enumerate(reader, start=1):
            # The usual row, inline (the loop is hot): every column there, an element code,
            # the default attribute combo, no flags. Anything else goes the long way, below.
            if fast is not None and len(record) >= full:
                if pad:
                    record.append("")
                (
                    element,
                    period,
                    org_unit,
                    coc,
                    aoc,
                    value,
                    comment,
                    stored_by,
                    followup,
                    deleted,
                ) = fast(record)
                element, coc = element.strip(), coc.strip()
                if (
                    element
                    and aoc.strip() in combos
                    and followup in _PLAIN_FALSE
                    and deleted in _PLAIN_FALSE
                ):
                    comment = comment.strip()
                    add(
                        ValueRow(
                            element,
                            period.strip(),
                            org_unit.strip(),
                            value,
                            "" if coc in combos else coc,
                            _neutralised(comment) if comment else "",
                            f"row {number}",
                            notation,
                            False,
                            False,
                            stored_by.strip(),
                        )
                    )
                    continue
            if number == 1:
                header = _header_positions(record)
                if header is not None:
                    missing = {"dataelement", "period", "orgunit", "value"} - header.keys()
                    if missing:
                        raise FileProblem(
                            "row 1",
                            _("The header has no column for %(names)s.")
                            % {"names": ", ".join(sorted(missing))},
                        )
                    positions = header
                    continue
            if not "".join(record).strip():
                continue
            if columns is None:
                columns = _Columns(positions)
                fast, full, pad = columns.getter, columns.full, columns.pad
            _csv_row(f"row {number}", record, columns, parsed, notation)
    except csv.Error as exc:
        raise FileProblem(f"row {reader.line_num}", _("Unreadable CSV: %s") % exc) from None
    if not parsed.rows and not parsed.conflicts:
        raise _empty()
    return parsed


# Flags as the usual row has them (an empty cell or DHIS2's own "false"): no check needed.
_PLAIN_FALSE = frozenset({"", "false"})
_CSV_FIELDS = (
    "dataelement",
    "period",
    "orgunit",
    "categoryoptioncombo",
    "attributeoptioncombo",
    "value",
    "comment",
    "storedby",
    "followup",
    "deleted",
)


class _Columns:
    """Where each field is, worked out once per file (the row loop is hot)."""

    def __init__(self, positions: dict[str, int]):
        self.indices = tuple(positions.get(name) for name in _CSV_FIELDS)
        self.needed = max(positions[n] for n in ("dataelement", "period", "orgunit", "value")) + 1
        self.full = max(i for i in self.indices if i is not None) + 1
        self.missing = [k for k, i in enumerate(self.indices) if i is None]
        # A column the file lacks (storedby, followup, deleted, …) is read from an empty
        # cell appended to the row (``pad``): the usual row then needs no special case.
        self.pad = bool(self.missing)
        self.getter = operator.itemgetter(*(i if i is not None else -1 for i in self.indices))


def _csv_row(ref: str, record: list[str], columns: _Columns, parsed: Parsed, notation: str) -> None:
    width = len(record)
    needed = columns.needed
    if width < needed:
        parsed.conflicts.append(
            Conflict(
                ref,
                _(
                    "Expected at least %(needed)s columns (dataelement, period, orgunit, "
                    "categoryoptioncombo, attributeoptioncombo, value), found %(found)s."
                )
                % {"needed": needed, "found": width},
            )
        )
        return
    if width >= columns.full and not columns.missing:
        element, period, org_unit, coc, aoc, value, comment, stored_by, followup, deleted = (
            columns.getter(record)
        )
    else:
        element, period, org_unit, coc, aoc, value, comment, stored_by, followup, deleted = (
            record[i] if i is not None and i < width else "" for i in columns.indices
        )
    element, period, org_unit, value = element.strip(), period.strip(), org_unit.strip(), value
    coc, aoc, comment = coc.strip(), aoc.strip(), comment.strip()
    before = len(parsed.conflicts)
    followup = _flag(ref, followup, "followup", parsed.conflicts)
    deleted = _flag(ref, deleted, "deleted", parsed.conflicts)
    if aoc:
        _combo(ref, aoc, "attributeOptionCombo", parsed)
    if len(parsed.conflicts) > before:
        return
    parsed.rows.append(
        ValueRow(
            element,
            period,
            org_unit,
            value,
            "" if coc in parsed.default_combos else coc,
            _neutralised(comment) if comment else "",
            ref,
            notation,
            deleted,
            followup,
            stored_by.strip(),
        )
    )


# ---------------------------------------------------------------------------------------
# JSON


def parse_json(data: bytes, deleting: bool = False) -> Parsed:
    """``deleting``: the import's strategy is DELETE, so a value need not be given."""
    text = decode_text(data)
    if not text.strip():
        raise _empty()
    try:
        # Numbers kept as written: a float would round 0.1000000000000000055 or 2**60 + 1
        # before anyone could refuse them.
        document = json.loads(text, parse_float=_JsonNumber, parse_int=_JsonNumber)
    except json.JSONDecodeError as exc:
        raise FileProblem(
            f"line {exc.lineno}, column {exc.colno}",
            _("Malformed JSON at line %(line)s, column %(column)s: %(message)s.")
            % {"line": exc.lineno, "column": exc.colno, "message": exc.msg},
        ) from None
    except RecursionError:
        raise FileProblem("file", _("Malformed JSON: nested too deeply.")) from None
    if not isinstance(document, dict) or not isinstance(document.get("dataValues"), list):
        raise FileProblem(
            "file",
            _('Expected a dataValueSet: an object with a "dataValues" list.'),
        )
    if not document["dataValues"]:
        raise _empty()
    parsed = Parsed()
    defaults = {}
    for key in ("dataSet", "period", "orgUnit", "attributeOptionCombo"):
        value = document.get(key)
        if value is None:
            continue
        if not isinstance(value, str) or "\x00" in value:
            raise FileProblem(key, _("%(field)s must be text.") % {"field": key})
        defaults[key] = value.strip()
    parsed.data_set = defaults.get("dataSet", "")
    if not _combo(
        "attributeOptionCombo",
        defaults.get("attributeOptionCombo", ""),
        "attributeOptionCombo",
        parsed,
    ):
        return parsed
    for index, item in enumerate(document["dataValues"]):
        _json_row(f"dataValues[{index}]", item, defaults, parsed, deleting)
    return parsed


class _JsonNumber(str):
    """A JSON number, as the text it was written in."""


def _json_text(ref, item, name, default, required, parsed) -> str | None:
    value = item.get(name, default)
    if value is None or value == "":
        if required:
            parsed.conflicts.append(Conflict(ref, _("%(field)s is missing.") % {"field": name}))
            return None
        return ""
    if not isinstance(value, str) or isinstance(value, _JsonNumber) or "\x00" in value:
        parsed.conflicts.append(Conflict(ref, _("%(field)s must be text.") % {"field": name}))
        return None
    return value.strip()


def _json_value(ref, item, parsed, required: bool = True) -> str | None:
    value = item.get("value")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _JsonNumber):
        return str(value)
    if isinstance(value, str) and value.strip() and "\x00" not in value:
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if not required:  # a value to delete need not say what it was
            return ""
        parsed.conflicts.append(Conflict(ref, _("value is missing.")))
    else:
        parsed.conflicts.append(Conflict(ref, _("value must be a number or text.")))
    return None


def _json_row(ref: str, item, defaults: dict, parsed: Parsed, deleting: bool) -> None:
    if not isinstance(item, dict):
        parsed.conflicts.append(Conflict(ref, _("Each data value must be an object.")))
        return
    before = len(parsed.conflicts)
    element = _json_text(ref, item, "dataElement", None, True, parsed)
    period = _json_text(ref, item, "period", defaults.get("period"), True, parsed)
    org_unit = _json_text(ref, item, "orgUnit", defaults.get("orgUnit"), True, parsed)
    coc = _json_text(ref, item, "categoryOptionCombo", None, False, parsed)
    aoc = _json_text(ref, item, "attributeOptionCombo", None, False, parsed)
    comment = _json_text(ref, item, "comment", None, False, parsed)
    stored_by = _json_text(ref, item, "storedBy", None, False, parsed)
    deleted = _flag(ref, item.get("deleted"), "deleted", parsed.conflicts)
    # DHIS2 writes "followup" and (2.43) reads "followUp": either.
    followup = _flag(ref, item.get("followup", item.get("followUp")), "followup", parsed.conflicts)
    value = _json_value(ref, item, parsed, required=not (deleting or deleted))
    if aoc:
        _combo(ref, aoc, "attributeOptionCombo", parsed)
    if len(parsed.conflicts) > before:
        return
    parsed.rows.append(
        ValueRow(
            data_element=element,
            period=period,
            org_unit=org_unit,
            value=value,
            coc="" if coc in parsed.default_combos else coc,
            comment=comment,
            ref=ref,
            deleted=deleted,
            followup=followup,
            stored_by=stored_by,
        )
    )


# ---------------------------------------------------------------------------------------
# XLSX


def _cell_text(value) -> str:
    """A cell as text: a number the machine way (Excel stores 202603 as 202603.0, and
    0.00001 must not become 1e-05)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return numbers.machine_text(value) if math.isfinite(value) else repr(value)
    return str(value).strip()


def parse_xlsx(data: bytes, language: str | None = None) -> Parsed:
    """Our template's first sheet. A cell holding a number is that number; a value typed
    as text is read in ``language`` (a person typed it); a formula cell is refused by row
    and column, whatever its cached result says."""
    try:
        sheet = sheets.read_xlsx(data)
    except sheets.SheetError as exc:
        raise FileProblem("file", str(exc)) from None
    notation = numbers.language(language)
    parsed = Parsed()
    positions = None
    names = {}
    for number, record in enumerate(sheet.rows, start=1):
        cells = [_cell_text(c) for c in record]
        if any("\x00" in c for c in cells):
            parsed.conflicts.append(
                Conflict(f"row {number}", _("The row contains a NUL character."))
            )
            continue
        formulas = [i for i in range(len(record)) if (number, i) in sheet.formulas]
        if positions is None:
            if not any(cells) and not formulas:
                continue
            positions = _header_positions(cells)
            if positions is None or not {"dataelement", "period", "orgunit", "value"} <= (
                positions.keys()
            ):
                raise FileProblem(
                    f"row {number}",
                    _(
                        "The first row must be the template's header (%(headers)s); "
                        "download the template for the data set."
                    )
                    % {"headers": ", ".join(h for _k, h in XLSX_HEADERS)},
                )
            names = {i: str(record[i]).strip() for i in range(len(record))}
            continue
        if formulas:
            for i in formulas:
                parsed.conflicts.append(
                    Conflict(
                        f"row {number}",
                        _("%(column)s (cell %(cell)s): %(reason)s")
                        % {
                            "column": names.get(i) or sheets.column_letter(i),
                            "cell": sheets.cell_name(number, i),
                            "reason": sheets.FORMULA_REFUSED,
                        },
                    )
                )
            continue

        def cell(name, cells=cells, positions=positions):
            i = positions.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        # Template rows nobody filled in (a code and a name, nothing else) are skipped.
        if not (cell("period") or cell("orgunit") or cell("value") or cell("comment")):
            continue
        coc = cell("categoryoptioncombo")
        typed = record[positions["value"]] if positions["value"] < len(record) else ""
        parsed.rows.append(
            ValueRow(
                data_element=cell("dataelement"),
                period=cell("period"),
                org_unit=cell("orgunit"),
                value=cell("value"),
                coc="" if coc in parsed.default_combos else coc,
                comment=_neutralised(cell("comment")),
                ref=f"row {number}",
                notation=notation if isinstance(typed, str) else numbers.MACHINE,
            )
        )
    if not parsed.rows and not parsed.conflicts:
        raise _empty()
    return parsed
