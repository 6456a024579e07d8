"""Reading XLSX workbooks, for every import: a cell is what it looks like (DESIGN §5).

python-calamine reads the first sheet's values, fast and typed (text, numbers, booleans,
dates). It cannot tell a typed cell from a formula cell, and a formula cell holds only the
result its spreadsheet last cached: 0 as many tools write it, or a stale number. Such a
value must never be imported as if someone had typed it, so the sheet's XML is also read
here, with the standard library, for the cells that hold a formula; the importer refuses
them by row and column (``FORMULA_REFUSED``).

Any file, hostile or not, is read in bounded memory. Every part calamine reads is measured
unpacked (not trusting the sizes the ZIP declares) against ``max_bytes``; the sheet's
extent is found before calamine lays the sheet out (it allocates every cell of the
rectangle from A1 to the last cell, so a few bytes naming cell XFD1048576 would ask for
gigabytes) and is held to ``max_rows``, ``max_columns`` and ``max_cells``. A pass of
C-speed searches over the sheet's XML finds the extent and whether any formula is there
at all; only a sheet with formulas, or written unlike the spreadsheets we know, is parsed
element by element (``iterparse``, keeping only the open elements).
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from xml.etree import ElementTree

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .numbers import format_number

ZIP_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a ZIP archive
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary Excel format (.xls)

MAX_BYTES = 256 * 2**20  # each XML part calamine reads, unpacked
MAX_SMALL_PART_BYTES = 16 * 2**20  # the workbook and its relationships, parsed whole
MAX_ENTRIES = 10_000  # files in the ZIP; a workbook has a few dozen
MAX_ROWS = 500_000
MAX_COLUMNS = 256
MAX_CELLS = 6_000_000  # rows × columns of the rectangle from A1, as calamine lays it out
MAX_FORMULA_CELLS = 10_000  # listed one by one; more and the file is refused as a whole
MAX_DEPTH = 64  # nesting of XML elements in the sheet (a real one has about 6)

FORMULA_REFUSED = gettext_lazy("Formulas are not accepted: type the value.")

_CHUNK = 1 << 20
_WORKBOOK = "xl/workbook.xml"
_WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
# Parts calamine reads when it opens a workbook, besides the sheet itself.
_ALSO_READ = ("xl/sharedStrings.xml", "xl/styles.xml")

# The searches over the sheet's XML. A cell written the way Excel, LibreOffice, Google
# Sheets, openpyxl and XlsxWriter write it starts ``<c r="B12"``; any other cell start
# (another attribute first, a namespace prefix, an entity in the reference) sends the
# sheet to the element-by-element parse, which reads any well-formed sheet.
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_OTHER_CELL = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,3}[1-9][0-9]{0,6}")')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:[cf][\s/>]")
_FORMULA = re.compile(rb"<f[\s/>]")
_DOCTYPE = b"<!DOCTYPE"
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?\sencoding\s*=\s*["']([^"']*)["']""")
_REF = re.compile(r"([A-Za-z]+)([0-9]+)")
_RANGE_FORMULAS = ("array", "dataTable")  # one <f> for a range of cells
_first, _second = itemgetter(0), itemgetter(1)


class SheetError(ValueError):
    """The workbook cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class Sheet:
    """The first sheet of a workbook."""

    name: str
    # Rows from row 1, columns from A, all rows as wide as the widest, as calamine types the
    # cells: str, float (every number), bool, date/datetime/time/timedelta; "" when empty.
    rows: list[list]
    # Cells holding a formula: (row number as the spreadsheet shows it, from 1; column
    # index, from 0 as in ``rows``). Their values in ``rows`` are cached results.
    formulas: frozenset[tuple[int, int]] = field(default_factory=frozenset)


def is_workbook(data: bytes) -> bool:
    """Whether ``data`` starts like an XLSX workbook (a ZIP archive)."""
    return data.startswith(ZIP_MAGIC)


def is_old_excel(data: bytes) -> bool:
    """Whether ``data`` is the old binary Excel format (.xls), which is not read."""
    return data.startswith(OLE2_MAGIC)


def check_workbook(data: bytes) -> None:
    """``SheetError`` unless ``data`` starts like an XLSX workbook."""
    if is_old_excel(data):
        raise SheetError(_("This is an old Excel file (.xls); save it as .xlsx or CSV UTF-8."))
    if not is_workbook(data):
        raise SheetError(
            _(
                "The file is not an XLSX workbook (an XLSX file is a ZIP archive; this one "
                "does not start like one)."
            )
        )


def column_letter(index: int) -> str:
    """The spreadsheet's name of column ``index`` (from 0): A, B, …, Z, AA, AB, …"""
    if index < 0:
        raise ValueError(index)
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_name(row: int, index: int) -> str:
    """``B12`` for row number 12 (from 1) and column index 1 (from 0)."""
    return f"{column_letter(index)}{row}"


def read_xlsx(
    data: bytes,
    *,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
    max_cells: int = MAX_CELLS,
    max_bytes: int = MAX_BYTES,
    max_formulas: int = MAX_FORMULA_CELLS,
) -> Sheet:
    """The first sheet of the workbook in ``data``, with its formula cells, or
    ``SheetError`` saying why it cannot be read. "First" is as calamine and spreadsheets
    order sheets: the workbook's list, whatever the sheets' files are called."""
    check_workbook(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise _unreadable(exc) from None
    with archive:
        try:
            parts = _parts(archive)
            name, path = _first_sheet(archive, parts)
            for also in _ALSO_READ:
                if also in parts:
                    _measure(archive, parts[also], max_bytes)
            if path not in parts:
                raise _unreadable(f"{path} is missing")
            scan = _scan(archive, parts[path], max_bytes)
            if scan.irregular or scan.has_formula:
                scan = _parse(archive, parts[path], max_bytes, max_formulas)
        except (
            zipfile.BadZipFile,
            zlib.error,
            ElementTree.ParseError,
            RuntimeError,  # an encrypted member
            NotImplementedError,  # a compression method zipfile does not know
            OSError,
            EOFError,
        ) as exc:
            raise _unreadable(exc) from None
    _check_extent(scan.rows, scan.columns, max_rows, max_columns, max_cells)
    rows = _values(data, name, max_rows, max_columns, max_cells)
    return Sheet(name, rows, _formula_cells(scan, max_formulas))


# ---------------------------------------------------------------------------------------
# The parts of the ZIP


def _unreadable(error) -> SheetError:
    return SheetError(_("The file is not a readable XLSX workbook (%(error)s).") % {"error": error})


def _megabytes(size: int) -> str:
    return format_number(size / 2**20, decimals=0)


def _parts(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The members by lower-case name (calamine finds parts ignoring case); a name that
    appears twice would let us check one copy while calamine reads the other."""
    members = archive.infolist()
    if len(members) > MAX_ENTRIES:
        raise SheetError(
            _("The workbook holds more than %(max)s files; it is not an ordinary workbook.")
            % {"max": format_number(MAX_ENTRIES)}
        )
    parts: dict[str, zipfile.ZipInfo] = {}
    for info in members:
        key = info.filename.lower()
        if key in parts:
            raise _unreadable(f"{info.filename} appears twice")
        parts[key] = info
    return parts


def _open(archive: zipfile.ZipFile, info: zipfile.ZipInfo):
    """A stream of the member unpacked to the end of its data, whatever size the ZIP
    declares: zipfile would stop at the declared size, and a false one must not hide the
    rest (calamine's reader goes on to the end of the compressed data). The reader stops
    at its cap; the checksum is still checked at the end."""
    probe = copy.copy(info)
    probe.file_size = 2**62
    return archive.open(probe)


def _too_large(info: zipfile.ZipInfo, cap: int) -> SheetError:
    return SheetError(
        _(
            "The workbook unpacks to more than %(size)s MB (%(part)s); split the data into "
            "several files."
        )
        % {"size": _megabytes(cap), "part": info.filename}
    )


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> Iterator[bytes]:
    """The member's bytes unpacked, ``SheetError`` past ``cap`` or when the unpacked size
    is not the one declared."""
    size = 0
    with _open(archive, info) as stream:
        while chunk := stream.read(min(_CHUNK, cap + 1 - size)):
            size += len(chunk)
            if size > cap:
                raise _too_large(info, cap)
            yield chunk
    if size != info.file_size:
        raise _unreadable(f"{info.filename} is not the size the archive declares")


def _measure(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> None:
    for _chunk in _chunks(archive, info, cap):
        pass


def _small_xml(archive, parts, name: str) -> ElementTree.Element | None:
    info = parts.get(name)
    if info is None:
        return None
    text = b"".join(_chunks(archive, info, MAX_SMALL_PART_BYTES))
    _check_utf8(text)
    if _DOCTYPE in text:
        raise _doctype()
    # No document type, so no entities to expand or fetch: what defusedxml guards against.
    return ElementTree.fromstring(text)  # noqa: S314


def _doctype() -> SheetError:
    return SheetError(
        _(
            "The workbook contains XML that spreadsheets do not write (a document type "
            "declaration); it is not read."
        )
    )


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _first_sheet(archive, parts) -> tuple[str, str]:
    """(name, path in the ZIP) of the workbook's first sheet: the first <sheet> of
    xl/workbook.xml, its file found through the workbook's relationships."""
    workbook = _small_xml(archive, parts, _WORKBOOK)
    if workbook is None:
        raise SheetError(_("The file is a ZIP archive but not an XLSX workbook."))
    first = next((e for e in workbook.iter() if _local(e.tag) == "sheet"), None)
    if first is None:
        raise SheetError(_("The workbook has no sheets."))
    relation = next(
        (v for k, v in first.attrib.items() if k.startswith("{") and _local(k) == "id"), None
    )
    relationships = _small_xml(archive, parts, _WORKBOOK_RELS)
    targets = {
        e.get("Id"): e.get("Target", "")
        for e in (relationships.iter() if relationships is not None else ())
        if _local(e.tag) == "Relationship"
    }
    target = targets.get(relation)
    if not target:
        raise _unreadable("the first sheet has no file")
    # As calamine does: a target is relative to xl/ unless it names xl/ itself.
    if target.startswith("/"):
        target = target[1:]
    path = target if target.lower().startswith("xl/") else f"xl/{target}"
    path = posixpath.normpath(path).lower()
    if path.split("/")[1:2] != ["worksheets"]:
        raise SheetError(
            _(
                "The first sheet of the workbook is not a table of cells (a chart?); put the "
                "data on the first sheet."
            )
        )
    return first.get("name", ""), path


# ---------------------------------------------------------------------------------------
# The sheet's XML


@dataclass
class _Scan:
    rows: int = 0  # the last row any cell is in (from 1); 0: no cells
    columns: int = 0  # the last column any cell is in, counted from 1
    has_formula: bool = False
    irregular: bool = False  # not written as the searches expect: parse it
    formulas: set[tuple[int, int]] = field(default_factory=set)
    ranges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _scan(archive, info, cap: int) -> _Scan:
    """One pass of searches over the sheet's XML, in pieces cut after a ``>`` so that no
    tag start is split: the extent of the cells, whether a formula is written anywhere,
    whether every cell is written as the searches expect."""
    scan = _Scan()
    carry = b""
    first = True
    for chunk in _chunks(archive, info, cap):
        if first:
            first = False
            _check_utf8(chunk)
        block = carry + chunk
        cut = block.rfind(b">") + 1
        block, carry = block[:cut], block[cut:]
        if len(carry) > _CHUNK:  # no tag end in a megabyte: not a sheet we know
            scan.irregular = True
            carry = carry[-len(_DOCTYPE) :]  # still searched with what follows
        if _DOCTYPE in block:
            raise _doctype()
        if scan.irregular or scan.has_formula:
            continue  # the parse decides; only the size and the doctype matter now
        if _OTHER_CELL.search(block) or (
            (b":c" in block or b":f" in block) and _PREFIXED.search(block)
        ):
            scan.irregular = True
            continue
        if b"<f" in block and _FORMULA.search(block):
            scan.has_formula = True
            continue
        found = _CELL_REF.findall(block)
        if found:
            scan.rows = max(scan.rows, max(map(int, map(_second, found))))
            letters = set(map(_first, found))
            scan.columns = max(scan.columns, *(_column_index(c) + 1 for c in letters))
    if carry.strip() and not scan.irregular:
        scan.irregular = True  # text after the last tag: not a sheet we know
    if _DOCTYPE in carry:
        raise _doctype()
    return scan


def _check_utf8(head: bytes) -> None:
    """Refuses XML that is not UTF-8, as every spreadsheet writes it: the searches for a
    document type and for formulas read bytes as UTF-8."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    declared = _DECLARED_ENCODING.match(text)
    if not text.startswith(b"<") or (
        declared and declared[1].strip().lower() not in (b"utf-8", b"utf8")
    ):
        raise _unreadable("its XML is not UTF-8")


def _column_index(letters: bytes | str) -> int:
    index = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _position(ref: str) -> tuple[int, int]:
    """(row, column) from 0 for a reference like ``B12``."""
    match = _REF.fullmatch(ref.strip())
    if match is None or int(match[2]) < 1:
        raise _unreadable(f"cell reference {ref[:20]!r}")
    return int(match[2]) - 1, _column_index(match[1])


def _range(ref: str) -> tuple[int, int, int, int]:
    first, _colon, last = ref.partition(":")
    top, left = _position(first)
    bottom, right = _position(last) if last else (top, left)
    return top, left, bottom, right


class _Capped(io.RawIOBase):
    """The member's bytes for the parser, measured as ``_chunks`` does."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self._pending:
            self._pending = next(self._chunks, b"")
            if not self._pending:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def _parse(archive, info, cap: int, max_formulas: int) -> _Scan:
    """Every cell's position, as calamine finds it (a cell's own reference, else the one
    after the previous cell; a row's reference, else the one after the previous row), and
    the cells with a formula. Only the open elements are kept: each is dropped at its
    end, so memory stays bounded whatever the sheet holds."""
    scan = _Scan()
    stream = io.BufferedReader(_Capped(_chunks(archive, info, cap)), _CHUNK)
    open_elements: list[ElementTree.Element] = []
    names: dict[str, str] = {}  # tag → local name, for the few tags a sheet uses
    in_data = False
    row = column = 0  # from 0, as calamine counts
    cell: tuple[int, int] | None = None
    # ``_scan`` has refused a document type: no entities to expand or fetch.
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):  # noqa: S314
        tag = element.tag
        name = names.get(tag)
        if name is None:
            name = _local(tag)
            if len(names) < 256:
                names[tag] = name
        if event == "end":
            open_elements.pop()
            element.clear()
            if open_elements:
                del open_elements[-1][0]  # its parent's only child: the others are gone
            if not in_data:
                continue
            if name == "c":
                column += 1
                cell = None
            elif name == "row":
                row, column = row + 1, 0
            elif name == "sheetData":
                in_data = False
            continue
        open_elements.append(element)
        if len(open_elements) > MAX_DEPTH:
            raise SheetError(
                _(
                    "The first sheet's XML is nested deeper than %(max)s levels; it is not an "
                    "ordinary workbook."
                )
                % {"max": MAX_DEPTH}
            )
        if not in_data:
            in_data = name == "sheetData"
        elif name == "c":
            ref = element.get("r")
            cell = _position(ref) if ref is not None else (row, column)
            column = cell[1]
            if cell[0] >= scan.rows:
                scan.rows = cell[0] + 1
            if column >= scan.columns:
                scan.columns = column + 1
        elif name == "row":
            if (number := element.get("r")) is not None:
                if not number.strip().isdigit() or int(number) < 1:
                    raise _unreadable(f"row number {number[:20]!r}")
                row = int(number) - 1
        elif name == "f" and cell is not None and _local(open_elements[-2].tag) == "c":
            scan.formulas.add((cell[0] + 1, cell[1]))
            if len(scan.formulas) > max_formulas:
                raise _too_many_formulas(max_formulas)
            if element.get("t") in _RANGE_FORMULAS and element.get("ref"):
                scan.ranges.append(_range(element.get("ref")))
    return scan


def _too_many_formulas(max_formulas: int) -> SheetError:
    return SheetError(
        _(
            "The first sheet has more than %(max)s cells with formulas. Formulas are not "
            "accepted: copy the cells and paste them as values (Paste Special, Values)."
        )
        % {"max": format_number(max_formulas)}
    )


def _formula_cells(scan: _Scan, max_formulas: int) -> frozenset[tuple[int, int]]:
    """The formula cells, with every cell of an array formula's range (only its first
    cell holds the <f>), as far as the sheet's cells reach."""
    cells = set(scan.formulas)
    for top, left, bottom, right in scan.ranges:
        for row in range(top, min(bottom, scan.rows - 1) + 1):
            for column in range(left, min(right, scan.columns - 1) + 1):
                cells.add((row + 1, column))
            if len(cells) > max_formulas:
                raise _too_many_formulas(max_formulas)
    return frozenset(cells)


def _check_extent(rows: int, columns: int, max_rows: int, max_columns: int, max_cells: int):
    if rows > max_rows:
        raise SheetError(
            _(
                "The first sheet reaches row %(row)s; at most %(max)s rows can be read. "
                "Delete the rows below the data (formatted empty rows count too)."
            )
            % {"row": format_number(rows), "max": format_number(max_rows)}
        )
    if columns > max_columns:
        raise SheetError(
            _(
                "The first sheet reaches column %(column)s; at most %(max)s columns (up to "
                "%(last)s) can be read. Delete the columns right of the data (formatted "
                "empty cells count too)."
            )
            % {
                "column": column_letter(columns - 1),
                "max": format_number(max_columns),
                "last": column_letter(max_columns - 1),
            }
        )
    if rows * columns > max_cells:
        raise SheetError(
            _(
                "The first sheet spans %(rows)s rows and %(columns)s columns; at most "
                "%(max)s cells can be read. Split the data into several files."
            )
            % {
                "rows": format_number(rows),
                "columns": format_number(columns),
                "max": format_number(max_cells),
            }
        )


def _values(data: bytes, name: str, max_rows: int, max_columns: int, max_cells: int):
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            if not workbook.sheet_names or workbook.sheet_names[0] != name:
                raise _unreadable("its sheets are not listed as expected")
            sheet = workbook.get_sheet_by_index(0)
            end = sheet.end
            if end is not None:  # already held to the caps; a second look costs nothing
                _check_extent(end[0] + 1, end[1] + 1, max_rows, max_columns, max_cells)
            return sheet.to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError) as exc:
        if isinstance(exc, SheetError):
            raise
        raise _unreadable(exc) from None
