"""Import of sites from CSV or XLSX, under DESIGN §5.

Every row is read and checked first (with the same checks as the form: ``services``), and
each problem names its row, column, value and reason. Nothing is written unless every row
is valid. Re-importing a file changes nothing: a row updates the site it names, found by
its site code if the row gives one (an exported file carries it), else by (type, official
identifier), else by (type, name, region code) among sites without an identifier; a row
that finds no site registers one. A row that would change nothing is not written.

A workbook is read by ``core.sheets``: a number cell is a number, and a cell holding a
formula is refused by row and column (its value is only what the spreadsheet last
cached). Numbers typed as text, and every number of a CSV file, are read as people write
them in the importing user's language (``core.numbers``: in Indonesian ``3.000`` is three
thousand); coordinates keep a decimal point or comma, having no thousands.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from cegah.core import numbers, sheets
from cegah.core.scope import scope_for, scoped
from cegah.core.versioning import ConflictError

from . import services
from .models import PopulationKind, Site, SiteType, normalise_official_id

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 300_000
# How far a workbook's first sheet may reach: a header and MAX_ROWS rows; the template's
# columns and an export's with room to spare (an unknown column is named as a problem).
MAX_COLUMNS = 64
MAX_CELLS = (MAX_ROWS + 1) * 20
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    help: str = ""
    example: str = ""


COLUMNS = (
    Column(
        "code",
        "Kode kawasan",
        ("site code", "code", "kode"),
        help=gettext_lazy(
            "Cegah's site code. Empty for a new site; an exported file carries it, so the "
            "row updates that site."
        ),
        example="S3578-00001",
    ),
    Column(
        "site_type",
        "Jenis kawasan",
        ("jenis", "site type", "type"),
        required=True,
        help=gettext_lazy("A site type code from the list below (e.g. smp, airport)."),
        example="smp",
    ),
    Column(
        "name", "Nama", ("nama kawasan", "name"), required=True, example="SMP Negeri 1 Surabaya"
    ),
    Column(
        "region_code",
        "Kode wilayah",
        ("region code", "region", "kode wilayah kemendagri"),
        required=True,
        help=gettext_lazy(
            "Kemendagri code, as deep as known (regency at least). Format the "
            "column as text, or 35.70 becomes 35.7."
        ),
        example="35.78.01.1001",
    ),
    Column(
        "official_id",
        "Kode resmi",
        ("official id", "official identifier", "npsn", "iata", "kode identitas"),
        help=gettext_lazy(
            "NPSN (8 digits) for schools, IATA/ICAO for airports, UN/LOCODE for seaports, "
            "village code for villages; empty where there is none."
        ),
        example="20532201",
    ),
    Column("address", "Alamat", ("address",), example="Jl. Contoh No. 1"),
    Column(
        "latitude",
        "Lintang",
        ("latitude", "lat"),
        help=gettext_lazy("Decimal degrees, south negative (−11.1 to 6.1)."),
        example="-7.2575",
    ),
    Column(
        "longitude",
        "Bujur",
        ("longitude", "lon", "lng"),
        help=gettext_lazy("Decimal degrees east (94.7 to 141.1)."),
        example="112.7521",
    ),
    Column(
        "population_served",
        "Jumlah dilayani",
        ("population served", "populasi", "jumlah"),
        help=gettext_lazy("A whole number."),
        example="850",
    ),
    Column(
        "population_kind",
        "Jenis populasi",
        ("population kind",),
        help=gettext_lazy(
            "students, staff, passengers_per_day or residents (or: siswa, "
            "pegawai, penumpang per hari, penduduk)."
        ),
        example="students",
    ),
)
# Columns an export adds after the template's; an import reads past them.
EXPORT_ONLY_COLUMNS = (
    Column("region_name", "Nama wilayah", ("region name",)),
    Column("maturity", "Kematangan", ("maturity",)),
    Column("functioning", "Berfungsi", ("functioning",)),
    Column("last_assessed_on", "Terakhir dinilai", ("last assessed",)),
    Column("next_review_due", "Tinjauan berikutnya", ("next review due",)),
)
_HEADER_OF = {c.field: c.header for c in COLUMNS}
# Where a service error about a field is shown.
_FIELD_COLUMN = {
    **{c.field: c.field for c in COLUMNS},
    "region": "region_code",
    "region_id": "region_code",
}

_EXTRA_TYPE_NAMES = {
    "bandara": SiteType.AIRPORT,
    "bandarudara": SiteType.AIRPORT,
    "pelabuhan": SiteType.SEAPORT,
    "pelabuhanlaut": SiteType.SEAPORT,
    "desa": SiteType.VILLAGE,
    "kelurahan": SiteType.VILLAGE,
    "desakelurahan": SiteType.VILLAGE,
    "ponpes": SiteType.PESANTREN,
    "pondokpesantren": SiteType.PESANTREN,
    "universitas": SiteType.UNIVERSITY,
    "perguruantinggi": SiteType.UNIVERSITY,
    "plbn": SiteType.BORDER_POST,
    "poslintasbatas": SiteType.BORDER_POST,
    "wisata": SiteType.TOURIST_AREA,
    "kawasanwisata": SiteType.TOURIST_AREA,
    "tempathiburan": SiteType.ENTERTAINMENT,
    "instansipemerintah": SiteType.GOVERNMENT,
    "perusahaan": SiteType.WORKPLACE,
    "tempatkerja": SiteType.WORKPLACE,
    "kos": SiteType.BOARDING_AREA,
    "kawasankos": SiteType.BOARDING_AREA,
    "komunitas": SiteType.COMMUNITY,
}
_EXTRA_POPULATION_NAMES = {
    "siswa": PopulationKind.STUDENTS,
    "murid": PopulationKind.STUDENTS,
    "mahasiswa": PopulationKind.STUDENTS,
    "santri": PopulationKind.STUDENTS,
    "staf": PopulationKind.STAFF,
    "pegawai": PopulationKind.STAFF,
    "karyawan": PopulationKind.STAFF,
    "penumpang": PopulationKind.PASSENGERS_PER_DAY,
    "penumpangperhari": PopulationKind.PASSENGERS_PER_DAY,
    "penumpanghari": PopulationKind.PASSENGERS_PER_DAY,
    "penduduk": PopulationKind.RESIDENTS,
    "warga": PopulationKind.RESIDENTS,
}


def _key(text: str) -> str:
    return "".join(ch for ch in str(text).lower() if ch.isalnum())


def _choice_names(choices, extra: dict) -> dict[str, str]:
    """Every name a value may be given by: its code, its English and Indonesian labels."""
    names = {}
    for value, label in choices:
        names[_key(value)] = value
        names[_key(str(label))] = value
        with override("id"):
            names[_key(str(label))] = value
    names.update({k: str(v) for k, v in extra.items()})
    return names


@dataclass
class Problem:
    row: int | None  # the spreadsheet row (the header is row 1); None: the whole file
    column: str
    value: str
    reason: str


@dataclass
class ImportResult:
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if not self.ok:
            return _("%(count)s problems found; nothing was imported.") % {
                "count": len(self.problems)
            }
        counts = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _(
                    "Check only: %(created)s sites would be created, %(updated)s updated, "
                    "%(unchanged)s unchanged. Nothing was written."
                )
                % counts
            )
        return (
            _("Imported: %(created)s sites created, %(updated)s updated, %(unchanged)s unchanged.")
            % counts
        )


class FileProblem(Exception):
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class Table:
    """A file's rows: text cells from a CSV file; from a workbook, cells as
    ``core.sheets`` types them (text, numbers, booleans, dates), with its formula cells
    as (row number, column index)."""

    rows: list[list]
    formulas: frozenset[tuple[int, int]] = frozenset()


# ---------------------------------------------------------------------------------------
# Reading a file into rows of cells.


def decode_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(_("The file is UTF-16 encoded; save it as UTF-8 (Excel: “CSV UTF-8”)."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FileProblem(
            _(
                "The file is not UTF-8 text (line %(line)s). Save it as “CSV UTF-8”, or "
                "upload the XLSX workbook."
            )
            % {"line": line}
        ) from None
    if "\x00" in text:
        raise FileProblem(_("The file contains NUL characters: it is binary, not CSV text."))
    return text


def _read_csv(data: bytes) -> Table:
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return Table(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except csv.Error as exc:
        raise FileProblem(_("Unreadable CSV: %(error)s") % {"error": exc}) from None


def _cell_text(value) -> str:
    """A cell as text: whole numbers without '.0' (a spreadsheet stores 850 as 850.0).
    Codes typed as numbers come back as they were typed (20577709, not 2.0577709e7)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)


def _read_xlsx(data: bytes) -> Table:
    try:
        sheet = sheets.read_xlsx(
            data, max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS, max_cells=MAX_CELLS
        )
    except sheets.SheetError as exc:
        raise FileProblem(str(exc)) from None
    if any("\x00" in cell for row in sheet.rows for cell in row if isinstance(cell, str)):
        raise FileProblem(_("The workbook contains NUL characters."))
    return Table(sheet.rows, sheet.formulas)


def read_table(data: bytes, filename: str = "") -> Table:
    """The file's rows. The file's content decides how it is read; a name that claims
    another format than the content is refused."""
    if len(data) > MAX_BYTES:
        raise FileProblem(
            _("The file is larger than %(size)s MB; split it.") % {"size": MAX_BYTES // 2**20}
        )
    if not data.strip():
        raise FileProblem(_("The file is empty."))
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if sheets.is_workbook(data) and suffix and suffix != "xlsx":
        raise FileProblem(
            _("The file is named .%(suffix)s but is a ZIP archive (an XLSX workbook?).")
            % {"suffix": suffix}
        )
    if sheets.is_workbook(data) or sheets.is_old_excel(data) or suffix == "xlsx":
        return _read_xlsx(data)  # refuses what is not a workbook, saying what it is
    if suffix not in ("", "csv", "txt"):
        raise FileProblem(_("Upload a CSV or XLSX file, not .%(suffix)s.") % {"suffix": suffix})
    return _read_csv(data)


# ---------------------------------------------------------------------------------------
# Rows → values.


def _header_index() -> dict[str, Column | None]:
    index: dict[str, Column | None] = {}
    for column in COLUMNS:
        for name in (column.header, column.field, *column.aliases):
            index[_key(name)] = column
    for column in EXPORT_ONLY_COLUMNS:
        for name in (column.header, column.field, *column.aliases):
            index.setdefault(_key(name), None)  # known, read past
    return index


def _unneutralise(text: str) -> str:
    """Undo the apostrophe an export puts before formula-like text."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_START:
        return text[1:]
    return text


@dataclass
class _Row:
    number: int
    cells: dict[str, str]  # field → cell text as in the file
    values: dict[str, object] = field(default_factory=dict)  # field → value for services
    site: Site | None = None


class _Reader:
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.types = _choice_names(SiteType.choices, _EXTRA_TYPE_NAMES)
        self.population = _choice_names(PopulationKind.choices, _EXTRA_POPULATION_NAMES)

    def problem(self, row, column_field, value, reason):
        header = _HEADER_OF.get(column_field, column_field)
        self.problems.append(Problem(row, header, str(value), str(reason)))

    def header(self, number: int, cells: list[str]) -> dict[int, Column] | None:
        index = _header_index()
        positions: dict[int, Column] = {}
        seen: dict[str, int] = {}
        for position, cell in enumerate(cells):
            if not cell.strip():
                continue
            column = index.get(_key(cell), "unknown")
            if column == "unknown":
                self.problems.append(
                    Problem(
                        number,
                        cell,
                        cell,
                        _("Unknown column. The template's columns are: %(names)s.")
                        % {"names": ", ".join(c.header for c in COLUMNS)},
                    )
                )
            elif column is not None:
                if column.field in seen:
                    self.problems.append(
                        Problem(number, cell, cell, _("This column appears twice."))
                    )
                seen[column.field] = position
                positions[position] = column
        missing = [c.header for c in COLUMNS if c.required and c.field not in seen]
        if missing:
            self.problems.append(
                Problem(
                    number,
                    ", ".join(missing),
                    "",
                    _("The header has no column for %(names)s; download the template.")
                    % {"names": ", ".join(missing)},
                )
            )
        return None if self.problems else positions

    def formulas(self, table: Table, positions: dict[int, Column]) -> None:
        """A problem for each formula cell, named by its column's header (or its letter
        outside the known columns): its value is only what the spreadsheet cached."""
        for number, position in sorted(table.formulas):
            cells = table.rows[number - 1] if number <= len(table.rows) else []
            value = _cell_text(cells[position]) if position < len(cells) else ""
            column = positions.get(position)
            self.problems.append(
                Problem(
                    number,
                    column.header if column else sheets.column_letter(position),
                    value,
                    str(sheets.FORMULA_REFUSED),
                )
            )

    def row(
        self,
        number: int,
        cells: list,
        positions: dict[int, Column],
        formulas: frozenset[tuple[int, int]] = frozenset(),
    ) -> _Row:
        texts, typed = {}, {}
        for position, column in positions.items():
            if (number, position) in formulas:
                continue  # already a problem of its own
            cell = cells[position] if position < len(cells) else ""
            texts[column.field] = _cell_text(cell).strip()
            typed[column.field] = cell
        row = _Row(number, texts)
        for name, text in texts.items():
            value: object = _unneutralise(text)
            if name == "site_type":
                value = self.types.get(_key(text), None) if text else ""
                if value is None:
                    self.problem(
                        number,
                        name,
                        text,
                        _(
                            "Unknown site type; use a code from "
                            "the template's list (e.g. smp, airport)."
                        ),
                    )
                    continue
            elif name == "population_kind":
                value = self.population.get(_key(text), None) if text else ""
                if value is None:
                    self.problem(
                        number,
                        name,
                        text,
                        _(
                            "Unknown population kind; use students, "
                            "staff, passengers_per_day or residents."
                        ),
                    )
                    continue
            elif name == "population_served":
                try:
                    value = _whole_number(typed[name], text)
                except numbers.NumberError as exc:
                    self.problem(number, name, text, str(exc))
                    continue
            elif name in ("latitude", "longitude") and _is_number(typed[name]):
                value = typed[name]  # the services read text with a decimal point or comma
            elif name == "code":
                value = text.upper()
            row.values[name] = value
        return row


def _is_number(cell) -> bool:
    return isinstance(cell, int | float) and not isinstance(cell, bool)


def _whole_number(cell, text: str) -> int | None:
    """An int, or None for an empty cell; ``NumberError`` with the reason otherwise. A
    number cell is taken as it is; text is read as people write numbers in the importing
    user's language, so ``1.250`` is 1250 in Indonesian and is refused in English, where
    it reads 1.25 (and the message says so)."""
    if _is_number(cell):
        if not math.isfinite(cell) or cell != int(cell):
            raise numbers.NumberError(_("Give a whole number, e.g. 850."))
        return int(numbers.read_machine(numbers.machine_text(cell), whole=True))
    if not text:
        return None
    if not isinstance(cell, str):  # a date or a true/false cell
        raise numbers.NumberError(_("Give a whole number, e.g. 850."))
    return int(numbers.read(text, whole=True))


# ---------------------------------------------------------------------------------------
# Matching rows to stored sites.


def _chunks(items: Sequence, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _match(actor, rows: list[_Row], reader: _Reader) -> None:
    """Set ``row.site`` to the stored site each row describes (None: a new site)."""
    visible = Site.objects.all() if actor is None else scoped(actor, Site)
    scope = None if actor is None else scope_for(actor)
    codes = sorted({r.values["code"] for r in rows if r.values.get("code")})
    by_code: dict[str, Site] = {}
    for chunk in _chunks(codes):
        by_code.update({s.code: s for s in visible.filter(code__in=chunk)})

    def official(row):
        return normalise_official_id(
            str(row.values.get("site_type", "")), str(row.values.get("official_id", ""))
        )

    officials = sorted({official(r) for r in rows if official(r)})
    by_official: dict[tuple[str, str], Site] = {}
    for chunk in _chunks(officials):
        for site in Site.objects.filter(official_id__in=chunk):
            if scope is None or scope.covers_region(site.region_id):
                by_official[(site.site_type, site.official_id)] = site
    names = sorted({str(r.values.get("name", "")) for r in rows if r.values.get("name")})
    by_name: dict[tuple[str, str, str], list[Site]] = defaultdict(list)
    for chunk in _chunks(names):
        for site in visible.filter(name__in=chunk, official_id=""):
            by_name[(site.site_type, site.name, site.region_id)].append(site)

    claimed: dict[object, int] = {}
    for row in rows:
        site_type = str(row.values.get("site_type", ""))
        name_key = (
            site_type,
            str(row.values.get("name", "")),
            str(row.values.get("region_code", "")),
        )
        code = row.values.get("code")
        if code:
            row.site = by_code.get(code)
            if row.site is None:
                reader.problem(
                    row.number,
                    "code",
                    code,
                    _(
                        "No site in your jurisdiction has this code; leave the cell empty to "
                        "register a new site."
                    ),
                )
                continue
        else:
            oid = official(row)
            row.site = by_official.get((site_type, oid)) if oid else None
            if row.site is None:
                candidates = by_name.get(name_key, [])
                if len(candidates) > 1:
                    reader.problem(
                        row.number,
                        "name",
                        name_key[1],
                        _(
                            "Several sites of this type have this name in this region; give the "
                            "site code or the official identifier."
                        ),
                    )
                    continue
                row.site = candidates[0] if candidates else None
        target = ("site", row.site.pk) if row.site else ("new", *name_key, official(row))
        first = claimed.setdefault(target, row.number)
        if first != row.number:
            reader.problem(
                row.number,
                "name",
                name_key[1],
                _("Row %(row)s already describes this site.") % {"row": first},
            )


# ---------------------------------------------------------------------------------------
# The import.


def import_sites(
    actor, data: bytes, filename: str = "", *, dry_run: bool = False, progress=None
) -> ImportResult:
    """Check every row of the file, then write all of it or nothing. ``actor`` None is the
    system (the command line without --user): no scope limit."""
    result = ImportResult(dry_run=dry_run)
    try:
        table = read_table(data, filename)
    except FileProblem as exc:
        result.problems.append(Problem(None, "", "", str(exc)))
        return result
    reader = _Reader(result.problems)
    numbered = [(n, cells) for n, cells in enumerate(table.rows, start=1) if not _blank_row(cells)]
    if not numbered and not table.formulas:
        result.problems.append(Problem(None, "", "", _("The file is empty.")))
        return result
    header_number, header_cells = numbered[0] if numbered else (1, [])
    positions = reader.header(header_number, [_cell_text(c) for c in header_cells])
    reader.formulas(table, positions or {})
    if positions is None:
        result.problems.sort(key=lambda p: p.row or 0)
        return result
    body = numbered[1:]
    if not body:
        result.problems.append(Problem(None, "", "", _("The file has a header but no sites.")))
        return result
    if len(body) > MAX_ROWS:
        result.problems.append(
            Problem(
                None,
                "",
                "",
                _("The file has %(rows)s rows; at most %(max)s can be imported at once.")
                % {"rows": len(body), "max": MAX_ROWS},
            )
        )
        return result
    result.rows = len(body)
    rows = [reader.row(n, cells, positions, table.formulas) for n, cells in body]
    if progress is not None:
        progress.update(len(rows))
    rows = _without_problems(rows, result)
    _match(actor, rows, reader)
    rows = _without_problems(rows, result)

    # Which rows write anything: new sites, and stored sites the row changes.
    to_check: list[_Row] = []
    for row in rows:
        values = {k: v for k, v in row.values.items() if k != "code"}
        if row.site is not None:
            try:
                changed = services.changed_fields(row.site, values)
            except ValidationError:
                changed = list(values)  # a bad value: the checks below say which
            if not changed:
                result.unchanged += 1
                continue
            row.values = {k: values[k if k != "region_id" else "region_code"] for k in changed}
        else:
            row.values = values
        to_check.append(row)
    sites, errors = services.prepare_sites(
        actor, [r.values for r in to_check], [r.site for r in to_check]
    )
    for error in errors:
        row = to_check[error.index]
        for name, messages in _error_fields(error.error):
            column = _FIELD_COLUMN.get(name, "")
            value = row.cells.get(column, "")
            for message in messages:
                reader.problem(row.number, column, value, message)
    result.problems.sort(key=lambda p: p.row or 0)
    if result.problems:
        return result
    new = [site for row, site in zip(to_check, sites, strict=True) if row.site is None]
    changes = [row for row in to_check if row.site is not None]
    result.created, result.updated = len(new), len(changes)
    if dry_run:
        return result
    try:
        with transaction.atomic():
            services.insert_prepared(actor, new)
            for row in changes:
                services.update_site(actor, row.site, row.site.version, **_as_update(row.values))
    except ConflictError:
        result.created = result.updated = 0
        result.problems.append(
            Problem(
                None,
                "",
                "",
                _(
                    "A site in the file was changed by someone else during the import; nothing was "
                    "imported. Import the file again."
                ),
            )
        )
    return result


def _blank_row(cells: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def _without_problems(rows: list[_Row], result: ImportResult) -> list[_Row]:
    """The rows no problem has been found in yet (a row with a bad cell is not checked
    further: its other messages would only repeat the first)."""
    bad = {p.row for p in result.problems}
    return [row for row in rows if row.number not in bad]


def _as_update(values: dict) -> dict:
    values = dict(values)
    if "region_code" in values:
        values["region_id"] = values.pop("region_code")
    return values


def _error_fields(error: ValidationError):
    if hasattr(error, "error_dict"):
        return [(name, ValidationError(errs).messages) for name, errs in error.error_dict.items()]
    return [("", error.messages)]


def import_upload(actor, upload, *, dry_run: bool = False) -> ImportResult:
    """``import_sites`` for an uploaded file, refusing an oversized one before reading it."""
    if upload.size > MAX_BYTES:
        result = ImportResult(dry_run=dry_run)
        result.problems.append(
            Problem(
                None,
                "",
                "",
                _("The file is larger than %(size)s MB; split it.") % {"size": MAX_BYTES // 2**20},
            )
        )
        return result
    return import_sites(actor, upload.read(), upload.name or "", dry_run=dry_run)


# ---------------------------------------------------------------------------------------
# Templates.


def template_csv() -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow([c.header for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    import xlsxwriter

    from .models import SCHOOL_TYPES

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True, "bg_color": "#E8EEF7"})
    text = workbook.add_format({"num_format": "@"})
    sheet = workbook.add_worksheet("Kawasan")
    for position, column in enumerate(COLUMNS):
        sheet.write_string(0, position, column.header, bold)
        # Codes are text: 35.70 must not become the number 35.7, nor an NPSN lose a zero.
        sheet.set_column(position, position, max(14, len(column.header) + 4), text)
    type_col = [c.field for c in COLUMNS].index("site_type")
    kind_col = [c.field for c in COLUMNS].index("population_kind")
    sheet.data_validation(
        1, type_col, 100_000, type_col, {"validate": "list", "source": list(SiteType.values)}
    )
    sheet.data_validation(
        1, kind_col, 100_000, kind_col, {"validate": "list", "source": list(PopulationKind.values)}
    )
    sheet.freeze_panes(1, 0)

    with override("id"):
        guide = workbook.add_worksheet("Petunjuk")
        guide.set_column(0, 0, 22)
        guide.set_column(1, 1, 12)
        guide.set_column(2, 2, 90)
        guide.set_column(3, 3, 20)
        guide.write_row(0, 0, ["Kolom", "Wajib", "Keterangan", "Contoh"], bold)
        for number, column in enumerate(COLUMNS, start=1):
            guide.write_string(number, 0, column.header)
            guide.write_string(number, 1, "ya" if column.required else "tidak")
            guide.write_string(number, 2, str(column.help))
            guide.write_string(number, 3, column.example)
        start = len(COLUMNS) + 2
        guide.write_row(start, 0, ["Jenis kawasan", "Kode", "Nama", "Kode resmi"], bold)
        for offset, (value, label) in enumerate(SiteType.choices, start=1):
            official = {
                SiteType.AIRPORT: "IATA / ICAO",
                SiteType.SEAPORT: "UN/LOCODE",
                SiteType.VILLAGE: "kode desa Kemendagri",
            }.get(value, "NPSN" if value in SCHOOL_TYPES else "")
            guide.write_row(start + offset, 0, [value, value, str(label), official])
        start += len(SiteType.choices) + 2
        guide.write_row(start, 0, ["Jenis populasi", "Kode", "Nama"], bold)
        for offset, (value, label) in enumerate(PopulationKind.choices, start=1):
            guide.write_row(start + offset, 0, [value, value, str(label)])
        guide.write_string(
            start + len(PopulationKind.choices) + 2,
            0,
            str(
                _(
                    "All or nothing: if any row has a problem, nothing is imported and every "
                    "problem is listed with its row and column. Importing the same file again "
                    "changes nothing."
                )
            ),
        )
    workbook.close()
    return buffer.getvalue()
