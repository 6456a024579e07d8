"""GET /api/v1/analytics: JSON and CSV, errors, scope."""

import csv
import io

import pytest

from cegah.core import periods
from cegah.indicators.services import ValueRow, write_values
from cegah.sites.services import create_site
from tests.analytics.helpers import Agg, element, indicator
from tests.conftest import bearer

URL = "/api/v1/analytics"


@pytest.fixture
def data(admin_user):
    element("T_TESTED", Agg.SUM, periods.QUARTERLY)
    element("T_POSITIVE", Agg.SUM, periods.QUARTERLY)
    indicator("T_POSITIVITY", "#{T_POSITIVE}", "#{T_TESTED}", factor=100)
    rows = [
        ("T_TESTED", "2026Q1", "35.78", "100"),
        ("T_POSITIVE", "2026Q1", "35.78", "10"),
        ("T_TESTED", "2026Q1", "35.73", "50"),
        ("T_POSITIVE", "2026Q1", "35.73", "45"),
    ]
    summary = write_values(admin_user, [ValueRow(*row) for row in rows])
    assert summary.imported == 4


def get(client, user, **params):
    return client.get(URL, params, **bearer(user))


def test_json_rows_headers_and_names(client, jatim_manager, data):
    response = get(
        client, jatim_manager, dx="T_POSITIVITY;T_TESTED", pe="2026Q1", ou="LEVEL-1;35:CHILDREN"
    )
    assert response.status_code == 200
    body = response.json()
    assert [h["name"] for h in body["headers"]] == [
        "dx",
        "pe",
        "ou",
        "value",
        "numerator",
        "denominator",
    ]
    rows = {(r[0], r[2]): r for r in body["rows"]}
    assert rows[("T_POSITIVITY", "35")][3:] == [pytest.approx(100 * 55 / 150), 55, 150]
    assert rows[("T_TESTED", "35.78")] == ["T_TESTED", "2026Q1", "35.78", 100, None, None]
    items = body["metaData"]["items"]
    assert items["35"]["name"] == "JAWA TIMUR" or "JAWA" in items["35"]["name"].upper()
    assert items["T_POSITIVITY"]["name"].startswith("T_POSITIVITY")
    dims = body["metaData"]["dimensions"]
    assert dims["pe"] == ["2026Q1"]
    assert dims["ou"][0] == "35" and "35.78" in dims["ou"] and len(dims["ou"]) > 30


def test_approved_only_parameter(client, admin_user, data):
    response = get(client, admin_user, dx="T_TESTED", pe="2026", ou="35", approvedOnly="true")
    assert response.status_code == 200
    assert response.json()["rows"] == []
    response = get(client, admin_user, dx="T_TESTED", pe="2026", ou="35")
    assert [r[3] for r in response.json()["rows"]] == [150]


def test_csv(client, admin_user, data):
    response = get(
        client, admin_user, dx="T_POSITIVITY", pe="2026Q1", ou="35.78;35.73", format="csv"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["dx", "dx_name", "pe", "ou", "ou_name", "value", "numerator", "denominator"]
    assert [(r[0], r[3], r[5], r[6], r[7]) for r in rows[1:]] == [
        ("T_POSITIVITY", "35.78", "10", "10", "100"),
        ("T_POSITIVITY", "35.73", "90", "45", "50"),
    ]


def test_csv_neutralises_spreadsheet_formulas_in_text(client, admin_user):
    element("T_SCREENED", Agg.SUM, periods.MONTHLY)
    site = create_site(
        None, name='=HYPERLINK("http://x.example","klik")', site_type="smp", region_code="35.78.01"
    )
    write_values(admin_user, [ValueRow("T_SCREENED", "202603", site.code, "4")])
    response = get(client, admin_user, dx="T_SCREENED", pe="202603", ou=site.code, format="csv")
    row = list(csv.reader(io.StringIO(response.content.decode())))[1]
    assert row[4] == "'" + site.name
    assert row[5] == "4"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"dx": "NO_SUCH", "pe": "2026", "ou": "35"}, "NO_SUCH"),
        ({"dx": "T_TESTED", "pe": "2026Q5", "ou": "35"}, "2026Q5"),
        ({"dx": "T_TESTED", "pe": "2026", "ou": "99.99"}, "99.99"),
        ({"dx": "T_TESTED", "pe": "2026", "ou": "LEVEL-9"}, "LEVEL-9"),
    ],
)
def test_bad_codes_and_periods_are_422_with_a_detail(client, admin_user, data, params, fragment):
    response = get(client, admin_user, **params)
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_missing_dimension_is_422(client, admin_user):
    assert get(client, admin_user, dx="T_TESTED", pe="2026").status_code == 422


def test_org_unit_outside_the_jurisdiction_is_404(client, malang_manager, data):
    response = get(client, malang_manager, dx="T_TESTED", pe="2026Q1", ou="35.78")
    assert response.status_code == 404
    assert "100" not in response.content.decode()
    response = get(client, malang_manager, dx="T_TESTED", pe="2026Q1", ou="LEVEL-2")
    assert [(r[2], r[3]) for r in response.json()["rows"]] == [("35.73", 50)]


def test_anonymous_is_401(client):
    assert client.get(URL, {"dx": "X", "pe": "2026", "ou": "35"}).status_code == 401


def test_schema_documents_json_and_csv(client):
    schema = client.get("/api/v1/openapi.json").json()
    content = schema["paths"][URL]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= content.keys()
    names = {p["name"] for p in schema["paths"][URL]["get"]["parameters"]}
    assert {"dx", "pe", "ou", "approvedOnly", "format"} <= names
