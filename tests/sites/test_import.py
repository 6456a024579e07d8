"""Importing sites (DESIGN §5): every row checked first, problems by row, column, value and
reason, all or nothing, and idempotent: the same file again changes nothing."""

import csv
import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from cegah.core import numbers
from cegah.core.models import ChangeLog
from cegah.sites import imports
from cegah.sites.imports import COLUMNS, import_sites
from cegah.sites.models import Site
from cegah.sites.services import create_site
from tests.conftest import client_for

HEADER = [
    "Jenis kawasan",
    "Nama",
    "Kode wilayah",
    "Kode resmi",
    "Alamat",
    "Lintang",
    "Bujur",
    "Jumlah dilayani",
    "Jenis populasi",
]
ROWS = [
    [
        "smp",
        "SMP Negeri Impor 1 Surabaya",
        "35.78.01",
        "20577701",
        "Jl. Satu",
        "-7.3",
        "112.7",
        "640",
        "siswa",
    ],
    ["SD", "SD Negeri Impor 2 Surabaya", "35.78.02", "20577702", "", "", "", "", ""],
    ["Bandara", "Bandara Uji Impor", "35.78", "", "", "", "", "1.200", "penumpang per hari"],
    ["village", "Kelurahan Kebraon", "35.78.01.1002", "35.78.01.1002", "", "", "", "", ""],
]


def _csv(rows, header=HEADER, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows, header=HEADER) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, header)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)  # numbers-looking text is written as numbers
    workbook.close()
    return buffer.getvalue()


def _problems(result):
    return [(p.row, p.column, p.value) for p in result.problems]


def test_import_creates_sites_and_reimport_changes_nothing(surabaya_manager):
    data = _csv(ROWS)
    result = import_sites(surabaya_manager, data, "kawasan.csv")
    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    school = Site.objects.get(official_id="20577701")
    assert (school.site_type, school.region_id, school.population_kind) == (
        "smp",
        "35.78.01",
        "students",
    )
    airport = Site.objects.get(name="Bandara Uji Impor")
    assert (airport.site_type, airport.population_served) == ("airport", 1200)
    log_count, versions = ChangeLog.objects.count(), dict(Site.objects.values_list("pk", "version"))

    again = import_sites(surabaya_manager, data, "kawasan.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert ChangeLog.objects.count() == log_count
    assert dict(Site.objects.values_list("pk", "version")) == versions


def test_a_changed_row_updates_its_site_by_official_identifier(surabaya_manager):
    import_sites(surabaya_manager, _csv(ROWS), "kawasan.csv")
    rows = [list(r) for r in ROWS]
    rows[0][1] = "SMP Negeri Impor 1 Surabaya (baru)"
    rows[0][8] = "students"  # the same kind, written differently: not a change
    result = import_sites(surabaya_manager, _csv(rows), "kawasan.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    site = Site.objects.get(official_id="20577701")
    assert site.name == "SMP Negeri Impor 1 Surabaya (baru)"
    assert site.version == 2
    entry = ChangeLog.objects.filter(object_id=str(site.pk), action="update").get()
    assert entry.username == surabaya_manager.username


def test_a_site_without_identifier_is_found_by_type_name_and_region(surabaya_manager):
    existing = create_site(None, name="Bandara Uji Impor", site_type="airport", region_code="35.78")
    result = import_sites(surabaya_manager, _csv(ROWS[2:3]), "kawasan.csv")
    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.population_kind == "passengers_per_day"


def test_one_bad_row_imports_nothing_and_every_problem_is_listed(surabaya_manager):
    rows = [
        *ROWS,
        ["smp", "SMP Salah NPSN", "35.78.01", "123", "", "", "", "", ""],
        ["kantin", "Kantin", "35.78.01", "", "", "", "", "", ""],
        ["sd", "SD Luar Angkasa", "35.78.01", "", "", "-40", "112", "", ""],
        ["sd", "", "35.78.01", "", "", "", "", "", ""],
        ["sd", "SD Jumlah", "35.78.01", "", "", "", "", "banyak", ""],
        ["sd", "SD Wilayah", "99.99", "", "", "", "", "", ""],
    ]
    result = import_sites(surabaya_manager, _csv(rows), "kawasan.csv")
    assert not result.ok
    assert _problems(result) == [
        (6, "Kode resmi", "123"),
        (7, "Jenis kawasan", "kantin"),
        (8, "Lintang", "-40"),
        (9, "Nama", ""),
        (10, "Jumlah dilayani", "banyak"),
        (11, "Kode wilayah", "99.99"),
    ]
    assert all(p.reason for p in result.problems)
    assert not Site.objects.filter(name__contains="Impor").exists()


def test_the_same_site_twice_in_a_file_is_a_problem(surabaya_manager):
    result = import_sites(surabaya_manager, _csv([ROWS[1], ROWS[1]]), "kawasan.csv")
    assert [p.row for p in result.problems] == [3]
    assert not Site.objects.filter(official_id="20577702").exists()


def test_dry_run_reports_and_writes_nothing(surabaya_manager):
    result = import_sites(surabaya_manager, _csv(ROWS), "kawasan.csv", dry_run=True)
    assert result.ok and result.dry_run
    assert result.created == 4
    assert not Site.objects.filter(name__contains="Impor").exists()


def test_an_exported_file_imports_back_unchanged_and_renames_by_site_code(surabaya_manager):
    import_sites(surabaya_manager, _csv(ROWS), "kawasan.csv")
    client = client_for(surabaya_manager)
    exported = b"".join(client.get(reverse("site-export") + "?format=csv").streaming_content)
    result = import_sites(surabaya_manager, exported, "ekspor.csv")
    assert result.ok, result.problems
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)

    # Renamed in the spreadsheet: the site code finds the site, so it is renamed.
    text = exported.decode("utf-8-sig").replace("Bandara Uji Impor", "Bandara Uji Baru")
    result = import_sites(surabaya_manager, text.encode(), "ekspor.csv")
    assert (result.created, result.updated) == (0, 1)
    assert Site.objects.filter(name="Bandara Uji Baru").count() == 1


def test_an_xlsx_export_imports_back_unchanged(surabaya_manager):
    import_sites(surabaya_manager, _csv(ROWS), "kawasan.csv")
    client = client_for(surabaya_manager)
    exported = b"".join(client.get(reverse("site-export") + "?format=xlsx").streaming_content)
    result = import_sites(surabaya_manager, exported, "ekspor.xlsx")
    assert result.ok, result.problems
    assert result.unchanged == 4


def test_xlsx_with_numbers_and_semicolon_csv_are_read(surabaya_manager):
    rows = [["smp", "SMP Angka", "35.78.01", 20577709, "", -7.25, 112.5, 300, "students"]]
    result = import_sites(surabaya_manager, _xlsx(rows), "kawasan.xlsx")
    assert result.ok, result.problems
    assert Site.objects.get(official_id="20577709").latitude == -7.25
    result = import_sites(surabaya_manager, _csv(ROWS[1:2], delimiter=";"), "kawasan.csv")
    assert result.ok and result.created == 1


def test_import_cannot_reach_a_site_of_another_jurisdiction(malang_manager, surabaya_site):
    stored = Site.objects.filter(pk=surabaya_site.pk).values().get()
    header = ["Kode kawasan", *HEADER]
    rows = [
        # The Surabaya site's code, as if to rename it.
        [surabaya_site.code, "smp", "Diambil Malang", "35.73.01", "", "", "", "", "", ""],
        # Its NPSN, for a Malang school: taken.
        ["", "smp", "SMP Malang Kembar", "35.73.01", "20599901", "", "", "", "", ""],
        # A Surabaya region.
        ["", "sd", "SD Di Surabaya", "35.78.01", "", "", "", "", "", ""],
    ]
    result = import_sites(malang_manager, _csv(rows, header=header), "kawasan.csv")
    assert [(p.row, p.column) for p in result.problems] == [
        (2, "Kode kawasan"),
        (3, "Kode resmi"),
        (4, "Kode wilayah"),
    ]
    assert Site.objects.filter(pk=surabaya_site.pk).values().get() == stored
    assert surabaya_site.name not in " ".join(p.reason for p in result.problems)


def test_a_formula_cell_is_refused_by_row_and_column_and_nothing_is_written(surabaya_manager):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, ROWS[0])
    sheet.write_row(2, 0, ROWS[2][:7])
    sheet.write_formula(2, 7, "=2*600")  # Jumlah dilayani, H3: its cached value is 0
    sheet.write_string(2, 8, ROWS[2][8])
    sheet.write_row(3, 0, ROWS[1])
    sheet.write_formula(3, 10, "=H3")  # K4, right of the header's columns
    workbook.close()
    before = Site.objects.count()

    with override("id"):
        result = import_sites(surabaya_manager, buffer.getvalue(), "kawasan.xlsx")
    assert not result.ok
    assert [(p.row, p.column, p.value, p.reason) for p in result.problems] == [
        (3, "Jumlah dilayani", "0", "Rumus tidak diterima, ketik nilainya."),
        (4, "K", "0", "Rumus tidak diterima, ketik nilainya."),
    ]
    assert Site.objects.count() == before
    assert not Site.objects.filter(name__contains="Impor").exists()


def test_numbers_in_an_indonesian_semicolon_csv_read_the_indonesian_way(surabaya_manager):
    # What a spreadsheet set to Indonesian writes as CSV: ";" between cells, "." grouping.
    row = ["Bandara", "Bandara Uji Impor", "35.78", "", "", "-7,38", "112,78", "1.250", "penumpang"]
    data = _csv([row], delimiter=";")
    assert b"Bandara;Bandara Uji Impor;35.78;;;-7,38;112,78;1.250;penumpang" in data
    with override("id"):
        result = import_sites(surabaya_manager, data, "kawasan.csv")
    assert result.ok, result.problems
    airport = Site.objects.get(name="Bandara Uji Impor")
    assert airport.population_served == 1250
    assert (str(airport.latitude), str(airport.longitude)) == ("-7.380000", "112.780000")


def test_a_number_typed_as_text_in_a_workbook_is_read_in_the_users_language(surabaya_manager):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for column, text in enumerate(ROWS[2][:7] + ["1.250", ROWS[2][8]]):
        sheet.write_string(1, column, text)  # a text cell, as typed in a column formatted "@"
    workbook.close()
    with override("id"):
        result = import_sites(surabaya_manager, buffer.getvalue(), "kawasan.xlsx")
    assert result.ok, result.problems
    assert Site.objects.get(name="Bandara Uji Impor").population_served == 1250


def test_an_english_session_refuses_a_whole_number_written_the_indonesian_way(surabaya_manager):
    row = ["Bandara", "Bandara Uji Impor", "35.78", "", "", "", "", "1.250", "penumpang"]
    with override("en"):
        result = import_sites(surabaya_manager, _csv([row]), "kawasan.csv")
        with pytest.raises(numbers.NumberError) as caught:
            numbers.read("1.250", whole=True)
    assert _problems(result) == [(2, "Jumlah dilayani", "1.250")]
    reason = result.problems[0].reason
    assert reason == str(caught.value)  # the two ways it reads, said once, by core.numbers
    assert "reads two ways" in reason and "it would read 1250" in reason
    assert "type 1,250" in reason
    assert not Site.objects.filter(name__contains="Impor").exists()


def test_a_number_cell_is_taken_as_a_number(surabaya_manager):
    rows = [
        ["smp", "SMP Angka Utuh", "35.78.01", 20577711, "", "", "", 1250, "students"],
        ["smp", "SMP Angka Pecahan", "35.78.01", 20577712, "", "", "", 12.5, "students"],
    ]
    with override("en"):  # a number cell has no notation to misread, in any language
        result = import_sites(surabaya_manager, _xlsx(rows), "kawasan.xlsx")
    assert _problems(result) == [(3, "Jumlah dilayani", "12.5")]
    assert not Site.objects.filter(official_id__in=["20577711", "20577712"]).exists()
    result = import_sites(surabaya_manager, _xlsx(rows[:1]), "kawasan.xlsx")
    assert result.ok, result.problems
    assert Site.objects.get(official_id="20577711").population_served == 1250


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "kawasan.xlsx"),  # an executable, renamed
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "kawasan.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "kawasan.xls"),  # old Excel
        ("Jenis kawasan,Nama\r\n".encode("utf-16"), "kawasan.csv"),
        ("Jenis kawasan,Nama,Kode wilayah\nsd,SD Caf\xe9,35.78\n".encode("cp1252"), "k.csv"),
        (b"PK\x03\x04 not really a zip", "kawasan.xlsx"),
        (_csv(ROWS), "kawasan.pdf"),
        (b"", "kawasan.csv"),
        (_csv([]), "kawasan.csv"),  # a header and no rows
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(surabaya_manager, data, name):
    result = import_sites(surabaya_manager, data, name)
    assert not result.ok
    assert result.problems[0].reason
    assert not Site.objects.exists()


def test_an_unknown_or_missing_column_is_named(surabaya_manager):
    result = import_sites(surabaya_manager, _csv(ROWS, header=["Jenis", "Nama sekolah"]), "k.csv")
    reasons = " ".join(p.reason for p in result.problems)
    assert [p.column for p in result.problems][0] == "Nama sekolah"
    assert "Kode wilayah" in reasons


def test_a_large_file_is_refused_before_reading(surabaya_manager, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 100)
    result = import_sites(surabaya_manager, _csv(ROWS), "kawasan.csv")
    assert not result.ok and "MB" in result.problems[0].reason


def test_the_template_has_indonesian_headers_and_imports_as_empty(surabaya_manager):
    client = client_for(surabaya_manager)
    xlsx = client.get(reverse("site-import-template"))
    assert xlsx["Content-Disposition"].endswith('.xlsx"')
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(xlsx.content))
    assert workbook.sheet_names == ["Kawasan", "Petunjuk"]
    assert workbook.get_sheet_by_index(0).to_python()[0] == [c.header for c in COLUMNS]
    csv_template = client.get(reverse("site-import-template") + "?format=csv")
    assert csv_template.content.decode("utf-8-sig").strip() == ",".join(c.header for c in COLUMNS)
    result = import_sites(surabaya_manager, xlsx.content, "templat-kawasan.xlsx")
    assert [p.reason for p in result.problems] == [_("The file has a header but no sites.")]


def test_the_import_page_imports_and_reports(surabaya_manager):
    client = client_for(surabaya_manager)
    assert client.get(reverse("site-import")).status_code == 200
    upload = SimpleUploadedFile("kawasan.csv", _csv(ROWS), content_type="text/csv")
    response = client.post(reverse("site-import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 200
    assert response.context["result"].created == 4
    assert not Site.objects.filter(name__contains="Impor").exists()

    upload = SimpleUploadedFile("kawasan.csv", _csv(ROWS), content_type="text/csv")
    response = client.post(reverse("site-import"), {"file": upload}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "sites/_import_result.html"
    assert Site.objects.filter(name__contains="Impor").count() == 3


def test_the_import_page_lists_the_problems(surabaya_manager):
    rows = [["smp", "SMP Salah", "35.78.01", "123", "", "", "", "", ""]]
    upload = SimpleUploadedFile("kawasan.csv", _csv(rows), content_type="text/csv")
    response = client_for(surabaya_manager).post(reverse("site-import"), {"file": upload})
    page = response.content.decode()
    assert 'data-testid="import-problems"' in page
    assert "Kode resmi" in page and "123" in page


def test_viewers_and_focal_points_cannot_import(jatim_viewer, focal_point):
    for user in (jatim_viewer, focal_point):
        upload = SimpleUploadedFile("kawasan.csv", _csv(ROWS), content_type="text/csv")
        response = client_for(user).post(reverse("site-import"), {"file": upload})
        assert response.status_code == 403
    assert not Site.objects.filter(name__contains="Impor").exists()


def test_the_command_imports_with_a_dry_run_first(db, tmp_path, capsys):
    path = tmp_path / "kawasan.csv"
    # 1200 without a separator: the same number read in Indonesian and in English.
    path.write_bytes(_csv([[c.replace("1.200", "1200") for c in row] for row in ROWS]))
    call_command("sites", "import", str(path), "--dry-run", verbosity=0)
    assert not Site.objects.filter(name__contains="Impor").exists()
    call_command("sites", "import", str(path), verbosity=0)
    assert Site.objects.filter(name__contains="Impor").count() == 3
    with override("en"):
        assert "0 sites created, 0 updated, 4 unchanged" in _run(path)


def _run(path) -> str:
    out = io.StringIO()
    call_command("sites", "import", str(path), verbosity=0, stdout=out)
    return out.getvalue()


def test_the_command_fails_on_a_bad_file_and_writes_nothing(db, tmp_path):
    path = tmp_path / "kawasan.csv"
    path.write_bytes(_csv([*ROWS, ["smp", "SMP Salah", "35.78.01", "123", "", "", "", "", ""]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("sites", "import", str(path), verbosity=0, stderr=err)
    assert "row 6, Kode resmi '123'" in err.getvalue()
    assert not Site.objects.filter(name__contains="Impor").exists()


def test_the_command_writes_the_template(db, tmp_path):
    call_command("sites", "template", str(tmp_path / "t.xlsx"), stdout=io.StringIO())
    assert (tmp_path / "t.xlsx").read_bytes().startswith(b"PK\x03\x04")
