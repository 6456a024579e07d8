"""The upload page: a background import with progress, ending with the summary; the XLSX
template; the worker that runs the task; the command line."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult
from python_calamine import CalamineWorkbook

from cegah.exchange import tasks
from cegah.exchange.models import ImportJob
from cegah.indicators.models import DataValue
from tests.conftest import client_for
from tests.exchange.conftest import SURABAYA_VALUES, data_value_set, dhis2_csv


@pytest.fixture(autouse=True)
def private_data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def _upload(client, data: bytes, name: str, dry_run=False):
    upload = io.BytesIO(data)
    upload.name = name
    form = {"file": upload}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("import"), form)


def _english(user):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_upload_queues_a_job_and_the_page_polls_until_the_summary(
    surabaya_manager, elements, private_data_dir
):
    client = _english(surabaya_manager)
    response = _upload(client, data_value_set(SURABAYA_VALUES), "laporan.json")

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("import-job", args=[job.pk])
    assert job.state == "queued" and job.user == surabaya_manager
    stored = private_data_dir / job.stored_as
    assert stored.read_bytes() == data_value_set(SURABAYA_VALUES)
    assert stored.stat().st_mode & 0o077 == 0  # private to the server's user
    assert DataValue.objects.count() == 0  # nothing happens in the request

    page = client.get(reverse("import-job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page  # polls while queued
    assert "<script>" not in page  # CSP: no inline scripts

    tasks.run_import.call(job.pk)

    fragment = client.get(reverse("import-job-status", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert (job.state, job.progress, job.summary["status"]) == ("done", 100, "SUCCESS")
    assert job.summary["importCount"]["imported"] == 3
    assert "hx-trigger" not in fragment  # finished: polling stops
    assert 'data-testid="count-imported">3<' in fragment
    assert DataValue.objects.count() == 3


def test_conflicts_are_listed_in_a_table(surabaya_manager, elements):
    client = _english(surabaya_manager)
    bad = dhis2_csv(
        [("EXC_TESTED", "202601", "35.78", "", "5"), ("NOPE", "202601", "35.78", "", "1")]
    )
    _upload(client, bad, "laporan.csv")
    job = ImportJob.objects.get()

    tasks.run_import.call(job.pk)

    page = client.get(reverse("import-job", args=[job.pk])).content.decode()
    assert 'data-testid="conflicts"' in page
    assert "row 3" in page and "Unknown data element NOPE" in page
    assert 'data-testid="import-status">ERROR<' in page
    assert DataValue.objects.count() == 0


def test_dry_run_upload_writes_nothing(surabaya_manager, elements):
    _upload(client_for(surabaya_manager), data_value_set(SURABAYA_VALUES), "a.json", dry_run=True)
    job = ImportJob.objects.get()
    tasks.run_import.call(job.pk)
    job.refresh_from_db()
    assert job.summary["dryRun"] is True
    assert job.summary["importCount"]["imported"] == 3
    assert DataValue.objects.count() == 0


def test_upload_checks_type_and_size_before_queueing(surabaya_manager, elements, settings):
    client = _english(surabaya_manager)
    response = _upload(client, b"dataelement,period\n", "laporan.xlsx")
    assert response.status_code == 200
    assert "claims to be an XLSX workbook" in response.content.decode()

    settings.CEGAH_IMPORT_MAX_MB = 1
    response = _upload(client, b"x" * (1024 * 1024 + 1), "big.csv")
    assert "the limit is 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_viewer_sees_the_page_but_cannot_upload(jatim_viewer, elements):
    client = client_for(jatim_viewer)
    assert client.get(reverse("import")).status_code == 200
    assert _upload(client, data_value_set(SURABAYA_VALUES), "a.json").status_code == 403
    assert not ImportJob.objects.exists()


def test_national_admin_may_open_anyones_job(surabaya_manager, admin_user, malang_manager):
    job = ImportJob.objects.create(user=surabaya_manager, filename="x.csv", stored_as="imports/x")
    assert client_for(admin_user).get(reverse("import-job", args=[job.pk])).status_code == 200
    assert client_for(malang_manager).get(reverse("import-job", args=[job.pk])).status_code == 404


def test_a_failing_job_ends_failed_with_the_reason(surabaya_manager, elements):
    job = ImportJob.objects.create(
        user=surabaya_manager, filename="gone.csv", stored_as="imports/gone.csv"
    )
    with pytest.raises(FileNotFoundError):
        tasks.run_import.call(job.pk)
    job.refresh_from_db()
    assert job.state == "failed"
    assert "gone.csv" in job.error


def test_the_database_worker_runs_the_queued_import(surabaya_manager, elements, monkeypatch):
    """The real wiring: the upload enqueues through the database backend, and one run of
    `cegah worker --batch` picks the task up and finishes the job."""
    # The worker checks its connection between tasks; inside the test's transaction that
    # would end the transaction, so only that check is left out.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    _upload(client_for(surabaya_manager), data_value_set(SURABAYA_VALUES), "laporan.json")
    job = ImportJob.objects.get()
    task_row = DBTaskResult.objects.get()
    assert str(task_row.id) == job.task_id
    assert task_row.task_path == "cegah.exchange.tasks.run_import"

    call_command("worker", batch=True, startup_delay=False, verbosity=0)

    job.refresh_from_db()
    task_row.refresh_from_db()
    assert job.state == "done"
    assert job.summary["importCount"]["imported"] == 3
    assert task_row.status == "SUCCESSFUL"
    assert DataValue.objects.count() == 3


def test_template_has_indonesian_headers_and_one_row_per_element_and_category(
    surabaya_manager, data_set
):
    response = client_for(surabaya_manager).get(reverse("data-set-template", args=[data_set.code]))
    assert response.status_code == 200
    assert "template-EXC_MONTHLY.xlsx" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[0] == [
        "Kode elemen data",
        "Nama elemen data",
        "Kategori",
        "Periode",
        "Kode unit organisasi",
        "Nilai",
        "Komentar",
    ]
    assert [(r[0], r[2]) for r in rows[1:]] == [
        ("EXC_TESTED", "default"),
        ("EXC_POSITIVE", "default"),
        ("EXC_BY_SEX", "M"),
        ("EXC_BY_SEX", "F"),
    ]


def test_filled_in_template_imports(surabaya_manager, data_set, tmp_path):
    """A template filled in (with XlsxWriter, as a user's Excel would save it): untouched
    rows are skipped, numbers typed as numbers are read back as codes and periods."""
    import xlsxwriter

    from cegah.exchange.parsers import XLSX_HEADERS

    path = tmp_path / "isi.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for column, (_key, title) in enumerate(XLSX_HEADERS):
        sheet.write(0, column, title)
    sheet.write_row(1, 0, ["EXC_TESTED", "Uji", "default", 202601, "35.78", 120])
    sheet.write_row(2, 0, ["EXC_POSITIVE", "Uji", "default"])  # not filled in
    sheet.write_row(3, 0, ["EXC_BY_SEX", "Uji", "F", "202601", "35.78", 40, "'=1+1"])
    sheet.write_row(4, 0, ["EXC_BY_SEX", "Uji", "M", "202601", "35.78", "x"])
    workbook.close()

    from cegah.exchange.services import import_file

    result = import_file(surabaya_manager, path.read_bytes(), filename="isi.xlsx").as_dict()
    assert [c["object"] for c in result["conflicts"]] == ["row 5"]
    assert result["conflicts"][0]["value"] == "x: Expected a number."
    assert DataValue.objects.count() == 0

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for column, (_key, title) in enumerate(XLSX_HEADERS):
        sheet.write(0, column, title)
    sheet.write_row(1, 0, ["EXC_TESTED", "Uji", "default", 202601, "35.78", 120])
    sheet.write_row(2, 0, ["EXC_POSITIVE", "Uji", "default"])
    sheet.write_row(3, 0, ["EXC_BY_SEX", "Uji", "F", "202601", "35.78", 40, "'=1+1"])
    workbook.close()
    result = import_file(surabaya_manager, path.read_bytes(), filename="isi.xlsx").as_dict()
    assert result["importCount"]["imported"] == 2
    assert DataValue.objects.get(coc="F").comment == "=1+1"


def test_command_imports_and_prints_the_summary(surabaya_manager, elements, tmp_path, capsys):
    path = tmp_path / "laporan.csv"
    path.write_bytes(dhis2_csv([("EXC_TESTED", "202601", "35.78", "", "5")]))

    call_command("import", str(path), "--user", "surabaya", "--json")

    summary = json.loads(capsys.readouterr().out)
    assert summary["importCount"]["imported"] == 1
    assert DataValue.objects.get().stored_by == "surabaya"


def test_command_exits_non_zero_on_conflicts_and_dry_run_writes_nothing(elements, tmp_path):
    path = Path(tmp_path / "laporan.csv")
    path.write_bytes(dhis2_csv([("EXC_TESTED", "202613", "35.78", "", "5")]))
    with pytest.raises(CommandError) as error:
        call_command("import", str(path))
    assert error.value.returncode == 1

    path.write_bytes(dhis2_csv([("EXC_TESTED", "202601", "35.78", "", "5")]))
    call_command("import", str(path), "--dry-run")
    assert DataValue.objects.count() == 0


def test_command_refuses_an_unknown_user_or_a_viewer(elements, tmp_path, jatim_viewer):
    path = tmp_path / "a.csv"
    path.write_bytes(b"EXC_TESTED,202601,35.78,,,5\n")
    with pytest.raises(CommandError, match="No user"):
        call_command("import", str(path), "--user", "nobody")
    with pytest.raises(CommandError):
        call_command("import", str(path), "--user", jatim_viewer.username)


def _template(path, rows):
    import xlsxwriter

    from cegah.exchange.parsers import XLSX_HEADERS

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for column, (_key, title) in enumerate(XLSX_HEADERS):
        sheet.write(0, column, title)
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row):
            if isinstance(cell, tuple):  # (formula, cached result)
                sheet.write_formula(r, c, cell[0], None, cell[1])
            else:
                sheet.write(r, c, cell)
    workbook.close()
    return path.read_bytes()


def test_a_formula_cell_writes_nothing_and_is_named_by_row_and_column(
    surabaya_manager, data_set, tmp_path
):
    from cegah.exchange.services import import_file

    data = _template(
        tmp_path / "rumus.xlsx",
        [
            ["EXC_TESTED", "Uji", "default", "202601", "35.78", 120],
            ["EXC_POSITIVE", "Uji", "default", "202601", "35.78", ("=F2*0", 0)],
        ],
    )
    with translation.override("id"):
        result = import_file(surabaya_manager, data, filename="rumus.xlsx").as_dict()
    assert result["status"] == "ERROR"
    assert [c["object"] for c in result["conflicts"]] == ["row 3"]
    message = result["conflicts"][0]["value"]
    assert "Nilai" in message and "F3" in message
    assert "Rumus tidak diterima, ketik nilainya" in message
    assert not DataValue.objects.exists()


def test_text_cells_are_read_as_people_write_them_number_cells_as_numbers(
    surabaya_manager, data_set, tmp_path
):
    from cegah.exchange.services import import_file

    rows = [
        ["EXC_TESTED", "Uji", "default", "202601", "35.78", "3.000"],  # typed as text
        ["EXC_POSITIVE", "Uji", "default", "202601", "35.78", 1250],  # a number cell
    ]
    data = _template(tmp_path / "teks.xlsx", rows)
    result = import_file(surabaya_manager, data, filename="teks.xlsx", language="id").as_dict()
    assert result["status"] == "SUCCESS", result
    stored = dict(DataValue.objects.values_list("data_element__code", "value"))
    assert stored == {"EXC_TESTED": 3000, "EXC_POSITIVE": 1250}
    # The same text from an English session reads as a fraction of a whole number: refused.
    rows[0][5] = "1.250"
    data = _template(tmp_path / "teks.xlsx", rows)
    result = import_file(surabaya_manager, data, filename="teks.xlsx", language="en").as_dict()
    assert "reads two ways" in result["conflicts"][0]["value"]
