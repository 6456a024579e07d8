"""The catalogue API: paginated lists with codes, names and (for indicators) the formula;
data sets list their data element codes; one item by code; reference data for everyone."""

import pytest

from tests.conftest import bearer, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(focal_point):
    """The narrowest user there is (one site) still reads the whole catalogue."""
    client = client_for(focal_point)
    client.logout()
    client.defaults.update(bearer(focal_point))
    return client


def test_data_elements_list_is_paginated_with_codes_and_names(api):
    body = api.get("/api/v1/dataElements", {"limit": 10}).json()
    assert body["count"] >= 25
    assert len(body["items"]) == 10
    item = body["items"][0]
    assert {"code", "name_id", "name_en", "value_type", "aggregation", "period_type"} <= set(item)
    codes = [i["code"] for i in api.get("/api/v1/dataElements", {"limit": 1000}).json()["items"]]
    assert codes == sorted(codes) and len(codes) == body["count"]


def test_data_element_shows_its_category_option_combos(api):
    item = api.get("/api/v1/dataElements/URINE_TESTED").json()
    assert item["name_id"] == "Peserta tes urine (deteksi dini)"
    assert item["disaggregation"] == "sex"
    assert item["category_option_combos"] == ["M", "F"]
    assert item["derived"] is False
    assert api.get("/api/v1/dataElements/SITES_FUNCTIONING").json()["derived"] is True


def test_indicators_carry_numerator_denominator_and_factor(api):
    body = api.get("/api/v1/indicators", {"limit": 1000}).json()
    assert body["count"] >= 15
    by_code = {i["code"]: i for i in body["items"]}
    positivity = by_code["SCREENING_POSITIVITY"]
    assert positivity["numerator"] == "#{URINE_POSITIVE}"
    assert positivity["denominator"] == "#{URINE_TESTED}"
    assert positivity["factor"] == 100
    assert positivity["name_en"] == "Urine screening positivity"
    assert positivity["data_elements"] == ["URINE_POSITIVE", "URINE_TESTED"]
    assert api.get("/api/v1/indicators/SCREENING_POSITIVITY").json() == positivity


def test_data_sets_list_their_data_element_codes(api):
    body = api.get("/api/v1/dataSets").json()
    by_code = {d["code"]: d for d in body["items"]}
    assert body["count"] == len(by_code) >= 3
    p2m = by_code["P2M_TRIWULAN"]
    assert p2m["name_id"] == "Laporan Triwulan P2M"
    assert p2m["period_type"] == "Quarterly"
    assert p2m["data_elements"][:3] == [
        "ACTIVITIES_PREVENTION",
        "ACTIVITIES_EMPOWERMENT",
        "ACTIVITY_PARTICIPANTS",
    ]
    assert "INFO_REACH" in p2m["data_elements"]
    assert "INFO_REACH" not in p2m["required_data_elements"]
    assert api.get("/api/v1/dataSets/P2M_TRIWULAN").json() == p2m


def test_filters(api):
    outputs = api.get("/api/v1/indicators", {"kind": "output"}).json()["items"]
    assert outputs and all(i["kind"] == "output" for i in outputs)
    supply = api.get("/api/v1/dataElements", {"side": "supply", "q": "trafficking"}).json()
    assert {i["code"] for i in supply["items"]} == {"TRAFFICKING_REPORTS", "TRAFFICKING_FORWARDED"}
    yearly = api.get("/api/v1/dataSets", {"period_type": "Yearly"}).json()["items"]
    assert [d["code"] for d in yearly] == ["KOMITMEN_TAHUNAN"]


@pytest.mark.parametrize("path", ["dataElements", "indicators", "dataSets"])
def test_unknown_code_is_a_json_404(api, path):
    response = api.get(f"/api/v1/{path}/TIDAK_ADA")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("path", ["dataElements", "indicators", "dataSets"])
def test_needs_authentication(client, path):
    assert client.get(f"/api/v1/{path}").status_code == 401
