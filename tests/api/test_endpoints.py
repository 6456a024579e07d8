"""The /api/v1 endpoints: authentication, error shapes, regions, offices, the caller."""

import logging
import re

import pytest

from tests.conftest import bearer, client_for

pytestmark = pytest.mark.django_db


def test_regions_by_level_with_bearer_token(client, surabaya_manager):
    response = client.get("/api/v1/regions", {"level": 1}, **bearer(surabaya_manager))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 38
    assert isinstance(body["items"], list)
    assert body["items"], "the first page lists provinces"
    first = body["items"][0]
    assert set(first) >= {"code", "name", "level", "kind", "parent"}
    assert all(item["level"] == 1 and item["parent"] is None for item in body["items"])
    codes = [item["code"] for item in body["items"]]
    assert codes == sorted(codes)


def test_regions_pages_with_limit_and_offset(client, surabaya_manager):
    auth = bearer(surabaya_manager)
    page1 = client.get("/api/v1/regions", {"level": 1, "limit": 10}, **auth).json()
    page2 = client.get("/api/v1/regions", {"level": 1, "limit": 10, "offset": 10}, **auth).json()
    assert page1["count"] == page2["count"] == 38
    assert len(page1["items"]) == len(page2["items"]) == 10
    assert page1["items"][-1]["code"] < page2["items"][0]["code"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions?level=1",
        "/api/v1/regions/35.78",
        "/api/v1/me",
        "/api/v1/offices",
        "/api/v1/sites",
        "/api/v1/sites/1",
    ],
)
def test_every_endpoint_requires_authentication(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize(
    "authorization",
    ["Bearer cgh_not-a-real-token", "Bearer ", "Basic c3VyYWJheWE6eA==", "cgh_no-scheme"],
)
def test_bad_credentials_are_401_with_json_detail(client, surabaya_manager, authorization):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic c3VyYWJheWE6cmFoYXNpYS1zZWthbGk=",
        "ApiToken d2hhdGV2ZXItc2VjcmV0",
        "Token rahasia-sekali",
        "Bearer cgh_rahasia-sekali",
    ],
)
def test_a_rejected_authorization_header_never_reaches_the_log(
    client, surabaya_manager, settings, caplog, authorization
):
    settings.DEBUG = True  # ninja logs other schemes in full only when debugging
    secret = authorization.split(" ", 1)[1]
    with caplog.at_level(logging.DEBUG):
        response = client.get("/api/v1/me", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    logged = " ".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.args!r}"
        for record in caplog.records
    )
    assert secret not in logged
    assert "Unexpected auth" not in logged


def test_revoked_token_no_longer_works(client, surabaya_manager):
    from cegah.accounts.models import ApiToken
    from cegah.accounts.services import revoke_token

    auth = bearer(surabaya_manager)
    assert client.get("/api/v1/me", **auth).status_code == 200
    revoke_token(surabaya_manager, ApiToken.objects.get(user=surabaya_manager))
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_inactive_user_token_is_refused(client, surabaya_manager):
    auth = bearer(surabaya_manager)
    surabaya_manager.is_active = False
    surabaya_manager.save(update_fields=["is_active"])
    assert client.get("/api/v1/me", **auth).status_code == 401


def test_region_detail_names_the_serving_bnnk(client, surabaya_manager):
    response = client.get("/api/v1/regions/35.78", **bearer(surabaya_manager))
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "35.78"
    assert body["name"] == "Kota Surabaya"
    assert body["level"] == 2
    assert body["parent"] == "35"
    assert body["serving_office"]["kind"] == "BNNK"
    assert body["serving_office"]["name"] == "BNNK Kota Surabaya"
    assert body["children_count"] > 0


def test_village_is_served_by_its_regency_bnnk(client, surabaya_manager):
    villages = client.get(
        "/api/v1/regions", {"level": 4, "q": "35.78.01", "limit": 1}, **bearer(surabaya_manager)
    ).json()["items"]
    assert villages, "Kota Surabaya has villages"
    detail = client.get(f"/api/v1/regions/{villages[0]['code']}", **bearer(surabaya_manager))
    assert detail.json()["serving_office"]["name"] == "BNNK Kota Surabaya"
    assert detail.json()["children_count"] == 0


def test_province_is_served_by_its_bnnp(client, surabaya_manager):
    body = client.get("/api/v1/regions/35", **bearer(surabaya_manager)).json()
    assert body["name"] == "Jawa Timur"
    assert body["serving_office"]["kind"] == "BNNP"


@pytest.mark.parametrize("code", ["99.99", "35.78.99.9999", "nope", "35.78."])
def test_unknown_region_is_404_with_json_detail(client, surabaya_manager, code):
    response = client.get(f"/api/v1/regions/{code}", **bearer(surabaya_manager))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "Not found."}


def test_regions_filtered_by_parent_and_name(client, surabaya_manager):
    response = client.get(
        "/api/v1/regions", {"parent": "35", "q": "malang"}, **bearer(surabaya_manager)
    )
    assert response.status_code == 200
    body = response.json()
    names = {item["name"] for item in body["items"]}
    assert names == {"Kabupaten Malang", "Kota Malang"}
    assert body["count"] == 2
    assert all(item["parent"] == "35" for item in body["items"])


def test_regions_search_by_code_prefix(client, surabaya_manager):
    body = client.get(
        "/api/v1/regions", {"q": "35.78", "level": 3}, **bearer(surabaya_manager)
    ).json()
    assert body["count"] > 0
    assert all(item["code"].startswith("35.78.") for item in body["items"])


def test_invalid_filter_is_422_with_json_detail(client, surabaya_manager):
    response = client.get("/api/v1/regions", {"level": 9}, **bearer(surabaya_manager))
    assert response.status_code == 422
    assert response.json()["detail"]
    response = client.get("/api/v1/regions", {"level": "x"}, **bearer(surabaya_manager))
    assert response.status_code == 422


def test_me_describes_the_caller(client, surabaya_manager):
    response = client.get("/api/v1/me", **bearer(surabaya_manager))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "surabaya"
    assert body["role"] == "manager"
    assert body["office"] == {
        "code": "BNNK-35.78",
        "name": "BNNK Kota Surabaya",
        "kind": "BNNK",
        "region": "35.78",
    }
    assert body["jurisdiction"] == "Kota Surabaya"
    assert body["site_id"] is None
    assert body["fields"] == []  # the conftest gives field flags to officers only


def test_me_lists_an_officers_fields(client, surabaya_officer):
    body = client.get("/api/v1/me", **bearer(surabaya_officer)).json()
    assert body["role"] == "officer"
    assert body["fields"] == ["pencegahan"]


def test_me_for_national_admin_and_focal_point(client, admin_user, focal_point, surabaya_site):
    admin = client.get("/api/v1/me", **bearer(admin_user)).json()
    assert admin["office"]["kind"] == "RI"
    assert admin["office"]["region"] is None
    assert admin["jurisdiction"] == "Indonesia"
    focal = client.get("/api/v1/me", **bearer(focal_point)).json()
    assert focal["role"] == "focal_point"
    assert focal["office"]["code"] == "BNNK-35.78"  # the office serving the site's regency
    assert focal["site_id"] == surabaya_site.pk


def test_me_reports_the_request_language(client, surabaya_manager):
    """Indonesian by default, whatever the client's Accept-Language; the language cookie
    (set by the switch) chooses English."""
    auth = bearer(surabaya_manager)
    assert client.get("/api/v1/me", **auth).json()["language"] == "id"
    assert client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en", **auth).json()["language"] == "id"
    client.cookies["django_language"] = "en"
    assert client.get("/api/v1/me", **auth).json()["language"] == "en"


def test_offices_list_active_offices(client, surabaya_manager):
    auth = bearer(surabaya_manager)
    body = client.get("/api/v1/offices", {"limit": 1000}, **auth).json()
    by_code = {item["code"]: item for item in body["items"]}
    assert body["count"] == len(body["items"])
    assert by_code["BNN-RI"]["region"] is None
    assert by_code["BNNP-35"]["kind"] == "BNNP"
    assert by_code["BNNK-35.78"] == {
        "code": "BNNK-35.78",
        "name": "BNNK Kota Surabaya",
        "kind": "BNNK",
        "region": "35.78",
        "active": True,
    }
    assert sum(1 for item in body["items"] if item["kind"] == "BNNP") == 38 or body["count"] > 38
    assert all(item["active"] for item in body["items"])
    bnnk = client.get("/api/v1/offices", {"kind": "BNNK", "limit": 1000}, **auth).json()
    assert bnnk["count"] > 0
    assert {item["kind"] for item in bnnk["items"]} == {"BNNK"}


def test_retired_offices_only_on_request(client, admin_user, surabaya_manager):
    from cegah.regions.models import Office
    from cegah.regions.services import retire_office

    office = Office.objects.get(code="BNNK-35.73")
    retire_office(admin_user, office, office.version)
    auth = bearer(surabaya_manager)
    codes = {
        i["code"] for i in client.get("/api/v1/offices", {"limit": 1000}, **auth).json()["items"]
    }
    assert "BNNK-35.73" not in codes
    everything = client.get(
        "/api/v1/offices", {"limit": 1000, "include_retired": "true"}, **auth
    ).json()["items"]
    retired = [i for i in everything if i["code"] == "BNNK-35.73"]
    assert retired and retired[0]["active"] is False
    # A regency whose BNNK retired is served by its BNNP.
    served = client.get("/api/v1/regions/35.73", **auth).json()["serving_office"]
    assert served["kind"] == "BNNP"


def test_sites_are_limited_to_the_callers_jurisdiction(
    client, surabaya_manager, surabaya_site, malang_site
):
    auth = bearer(surabaya_manager)
    body = client.get("/api/v1/sites", **auth).json()
    assert [item["id"] for item in body["items"]] == [surabaya_site.pk]
    assert client.get(f"/api/v1/sites/{surabaya_site.pk}", **auth).status_code == 200
    outside = client.get(f"/api/v1/sites/{malang_site.pk}", **auth)
    assert outside.status_code == 404
    assert outside.json() == {"detail": "Not found."}


def test_session_auth_works_for_get(surabaya_manager):
    client = client_for(surabaya_manager)
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["username"] == "surabaya"
    regions = client.get("/api/v1/regions", {"level": 1})
    assert regions.status_code == 200
    assert regions.json()["count"] == 38


def test_session_of_inactive_user_is_refused(surabaya_manager):
    client = client_for(surabaya_manager)
    surabaya_manager.is_active = False
    surabaya_manager.save(update_fields=["is_active"])
    assert client.get("/api/v1/me").status_code == 401


def test_openapi_schema_is_public_json(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Cegah API"
    for path in [
        "/api/v1/regions",
        "/api/v1/regions/{code}",
        "/api/v1/offices",
        "/api/v1/me",
        "/api/v1/sites",
        "/api/v1/sites/{site_id}",
    ]:
        assert path in schema["paths"], path
    schemes = schema["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_docs_page_is_served_offline_without_inline_script(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "https://" not in html, "the docs load nothing from the internet"
    # Every executable <script> has a src (the JSON settings block does not execute).
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        if 'type="application/json"' in attrs:
            continue
        assert "src=" in attrs and not body.strip(), f"inline script: {attrs} {body[:80]}"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    script_src = csp.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in script_src and "unsafe-inline" not in script_src
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client.get(src).status_code == 200, src


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions?q=a%00b",
        "/api/v1/regions?parent=3%005",
        "/api/v1/regions/35%0078",
        "/api/v1/offices?kind=%00",
        "/api/v1/sites?q=%00",
        "/api/v1/sites?region=%00",
        "/api/v1/sites?site_type=%00",
    ],
)
def test_nul_characters_are_422_not_a_database_error(client, surabaya_manager, path):
    """PostgreSQL refuses NUL in a query; the API refuses it first, with a JSON 422."""
    response = client.get(path, **bearer(surabaya_manager))
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [{"limit": 0}, {"limit": 1001}, {"offset": -1}, {"offset": 10**30}, {"limit": 10**40}],
)
def test_pagination_bounds_are_422(client, surabaya_manager, query):
    response = client.get("/api/v1/regions", query, **bearer(surabaya_manager))
    assert response.status_code == 422
    assert response.json()["detail"]
