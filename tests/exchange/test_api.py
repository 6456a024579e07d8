"""POST and GET /api/v1/dataValueSets: DHIS2-shaped answers, formats, scope, streaming."""

import csv
import io
import json

from python_calamine import CalamineWorkbook

from cegah.indicators.models import DataValue
from tests.conftest import bearer, client_for
from tests.exchange.conftest import SURABAYA_VALUES, data_value_set, dhis2_csv

URL = "/api/v1/dataValueSets"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _api(user):
    client = client_for(user)
    client.logout()
    client.defaults.update(bearer(user))
    client.cookies["django_language"] = "en"  # conflict messages in English
    return client


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def test_post_json_imports_then_reimport_changes_nothing(surabaya_manager, elements):
    client = _api(surabaya_manager)
    body = data_value_set(SURABAYA_VALUES)

    first = client.post(URL, body, content_type="application/json")
    again = client.post(URL, body, content_type="application/json")

    assert first.status_code == 200
    assert first.json()["importCount"] == {
        "imported": 3,
        "updated": 0,
        "ignored": 0,
        "deleted": 0,
    }
    assert again.json()["importCount"] == {
        "imported": 0,
        "updated": 0,
        "ignored": 3,
        "deleted": 0,
    }
    assert first.json()["status"] == again.json()["status"] == "SUCCESS"


def test_post_with_a_bad_row_is_409_and_writes_nothing(surabaya_manager, elements):
    values = [*SURABAYA_VALUES, {**SURABAYA_VALUES[0], "period": "2026Q5"}]
    response = _api(surabaya_manager).post(
        URL, data_value_set(values), content_type="application/json"
    )
    assert response.status_code == 409
    answer = response.json()
    assert answer["status"] == "ERROR"
    assert answer["conflicts"][0]["object"] == "dataValues[3]"
    assert DataValue.objects.count() == 0


def test_post_dry_run(surabaya_manager, elements):
    response = _api(surabaya_manager).post(
        URL + "?dryRun=true", data_value_set(SURABAYA_VALUES), content_type="application/json"
    )
    assert response.json()["dryRun"] is True
    assert response.json()["importCount"]["imported"] == 3
    assert DataValue.objects.count() == 0


def test_post_out_of_scope_org_unit_is_a_conflict(malang_manager, elements):
    response = _api(malang_manager).post(
        URL, data_value_set(SURABAYA_VALUES), content_type="application/json"
    )
    assert response.status_code == 409
    assert "outside your jurisdiction" in response.json()["conflicts"][0]["value"]
    assert DataValue.objects.count() == 0


def test_post_csv_body_and_multipart_upload(surabaya_manager, elements):
    client = _api(surabaya_manager)
    body = dhis2_csv([("EXC_TESTED", "202601", "35.78", "", "5")])
    assert client.post(URL, body, content_type="text/csv").json()["importCount"]["imported"] == 1

    upload = io.BytesIO(dhis2_csv([("EXC_POSITIVE", "202601", "35.78", "", "1")]))
    upload.name = "positif.csv"
    response = client.post(URL, {"file": upload})
    assert response.json()["importCount"]["imported"] == 1


def test_post_larger_than_django_memory_limit_is_read(surabaya_manager, elements, settings):
    """The body is read by the endpoint (up to CEGAH_IMPORT_MAX_MB), not Django's 2.5 MB."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = dhis2_csv([("EXC_TESTED", "202601", "35.78", "", "5", "k" * 400)] * 1)
    body += b"\n" * 2048
    response = _api(surabaya_manager).post(URL, body, content_type="text/csv")
    assert response.status_code == 200
    assert response.json()["importCount"]["imported"] == 1


def test_post_over_the_size_limit_is_413(surabaya_manager, elements, settings):
    settings.CEGAH_IMPORT_MAX_MB = 1
    body = b"EXC_TESTED,202601,35.78,,,5\n" * 40000
    response = _api(surabaya_manager).post(URL, body, content_type="text/csv")
    assert response.status_code == 413
    assert response.json()["conflicts"][0]["object"] == "file"
    assert DataValue.objects.count() == 0


def test_viewer_cannot_post(jatim_viewer, elements):
    response = _api(jatim_viewer).post(
        URL, data_value_set(SURABAYA_VALUES), content_type="application/json"
    )
    assert response.status_code == 403


def _import(user, values=SURABAYA_VALUES):
    response = _api(user).post(URL, data_value_set(values), content_type="application/json")
    assert response.status_code == 200, response.json()


def test_export_json_is_the_import_shape_and_reimports_as_ignored(surabaya_manager, data_set):
    _import(surabaya_manager)
    client = _api(surabaya_manager)

    response = client.get(URL, {"dataSet": "EXC_MONTHLY", "period": "2026", "orgUnit": "35.78"})

    assert response.status_code == 200
    assert response.streaming
    document = json.loads(_body(response))
    assert document["dataSet"] == "EXC_MONTHLY"
    got = {
        (v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"], v["value"])
        for v in document["dataValues"]
    }
    assert got == {
        ("EXC_TESTED", "202601", "35.78", "default", "120"),
        ("EXC_POSITIVE", "202601", "35.78", "default", "3"),
        ("EXC_BY_SEX", "202601", "35.78", "F", "40"),
    }
    again = client.post(URL, json.dumps(document), content_type="application/json").json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}


def test_export_children_and_periods(surabaya_manager, jatim_manager, elements, surabaya_site):
    _import(surabaya_manager)
    _import(
        surabaya_manager,
        [{**SURABAYA_VALUES[0], "orgUnit": surabaya_site.code, "period": "202604"}],
    )
    client = _api(jatim_manager)

    def keys(**params):
        data = json.loads(_body(client.get(URL, params)))["dataValues"]
        return sorted(
            (v["orgUnit"], v["period"], v["dataElement"])
            for v in data
            if v["dataElement"].startswith("EXC_")  # not the site's derived values
        )

    assert len(keys(orgUnit="35", children="true")) == 4
    assert keys(orgUnit="35") == []
    assert keys(orgUnit="35.78", children="true", period="2026Q2") == [
        (surabaya_site.code, "202604", "EXC_TESTED")
    ]
    assert len(keys(orgUnit="35.78", period="202601")) == 3
    assert len(keys(dataElement="EXC_TESTED")) == 2


def test_export_out_of_scope_org_unit_is_404(surabaya_manager, malang_manager, elements):
    _import(surabaya_manager)
    response = _api(malang_manager).get(URL, {"orgUnit": "35.78"})
    assert response.status_code == 404
    listing = json.loads(_body(_api(malang_manager).get(URL)))
    assert listing["dataValues"] == []


def test_export_unknown_data_set_or_period_is_422(surabaya_manager, elements):
    client = _api(surabaya_manager)
    assert client.get(URL, {"dataSet": "NOPE"}).status_code == 422
    assert client.get(URL, {"period": "2026Q5"}).status_code == 422


def test_export_csv_is_dhis2_order_and_neutralises_formulas(surabaya_manager, elements):
    _import(
        surabaya_manager,
        [
            {**SURABAYA_VALUES[0], "comment": '=HYPERLINK("http://x")'},
            {**SURABAYA_VALUES[1], "comment": "-5"},
            {**SURABAYA_VALUES[2], "comment": "@SUM(A1)"},
        ],
    )
    response = _api(surabaya_manager).get(URL, {"format": "csv"})
    assert response["Content-Type"] == "text/csv"
    exported = _body(response)
    rows = list(csv.reader(io.StringIO(exported.decode())))
    assert rows[0] == [
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
    ]
    comments = {row[0]: row[8] for row in rows[1:]}
    assert comments == {
        "EXC_TESTED": '\'=HYPERLINK("http://x")',
        "EXC_POSITIVE": "-5",  # a plain number stays as it is
        "EXC_BY_SEX": "'@SUM(A1)",
    }
    # Re-importing the export changes nothing: the apostrophe is taken off again.
    again = _api(surabaya_manager).post(URL, exported, content_type="text/csv").json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}


def test_export_xlsx_reimports_as_ignored(surabaya_manager, elements):
    _import(surabaya_manager, [*SURABAYA_VALUES, {**SURABAYA_VALUES[0], "orgUnit": "35.78.01"}])
    response = _api(surabaya_manager).get(URL, {"format": "xlsx"})
    assert response["Content-Type"] == XLSX
    data = _body(response)
    assert data.startswith(b"PK\x03\x04")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0][:7] == [
        "Kode elemen data",
        "Nama elemen data",
        "Kategori",
        "Periode",
        "Kode unit organisasi",
        "Nilai",
        "Komentar",
    ]
    assert len(sheet) == 5
    again = _api(surabaya_manager).post(URL, data, content_type=XLSX).json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0}


def test_focal_point_exports_only_their_site(
    focal_point, surabaya_manager, surabaya_site, elements
):
    _import(surabaya_manager)
    _import(surabaya_manager, [{**SURABAYA_VALUES[0], "orgUnit": surabaya_site.code}])
    data = json.loads(_body(_api(focal_point).get(URL)))["dataValues"]
    assert [v["orgUnit"] for v in data] == [surabaya_site.code]
