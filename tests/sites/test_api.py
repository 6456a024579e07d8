"""/api/v1/sites: create, read, update with the version read (409 when stale), scoped."""

import pytest

from cegah.core.models import ChangeLog
from cegah.sites.models import Site
from tests.conftest import bearer, client_for


def _api(user):
    client = client_for(user)
    client.logout()
    client.defaults.update(bearer(user))
    return client


NEW = {
    "name": "SMP Negeri API 1 Surabaya",
    "site_type": "smp",
    "region_code": "35.78.01",
    "official_id": "20588801",
    "latitude": -7.3,
    "longitude": 112.7,
    "population_served": 640,
    "population_kind": "students",
}


def test_api_creates_a_site_in_the_jurisdiction(surabaya_officer):
    response = _api(surabaya_officer).post("/api/v1/sites", NEW, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("S3578-")
    assert (body["latitude"], body["maturity"], body["functioning"], body["version"]) == (
        -7.3,
        None,
        False,
        1,
    )
    site = Site.objects.get(pk=body["id"])
    assert ChangeLog.objects.filter(object_id=str(site.pk), action="create").exists()


def test_api_create_refuses_a_region_outside_the_jurisdiction(malang_manager):
    response = _api(malang_manager).post("/api/v1/sites", NEW, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "region_code"]
    assert not Site.objects.filter(name=NEW["name"]).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"official_id": "12"}, "official_id"),
        ({"latitude": -20.0}, "latitude"),
        ({"region_code": "35.78.99"}, "region_code"),
        ({"site_type": "kantin"}, "site_type"),
    ],
)
def test_api_create_names_the_invalid_field(surabaya_manager, change, field):
    response = _api(surabaya_manager).post(
        "/api/v1/sites", {**NEW, **change}, content_type="application/json"
    )
    assert response.status_code == 422
    fields = [e["loc"][-1] for e in response.json()["errors"]]
    assert field in fields


def test_viewer_and_focal_point_cannot_create(jatim_viewer, focal_point):
    for user in (jatim_viewer, focal_point):
        response = _api(user).post("/api/v1/sites", NEW, content_type="application/json")
        assert response.status_code == 403
    assert not Site.objects.filter(name=NEW["name"]).exists()


def test_put_replaces_and_patch_changes_with_the_version(surabaya_manager, surabaya_site):
    client = _api(surabaya_manager)
    url = f"/api/v1/sites/{surabaya_site.pk}"
    put = client.put(url, {**NEW, "version": 1}, content_type="application/json")
    assert put.status_code == 200, put.content
    assert (put.json()["name"], put.json()["version"]) == (NEW["name"], 2)

    patch = client.patch(
        url, {"version": 2, "address": "Jl. Baru"}, content_type="application/json"
    )
    assert patch.status_code == 200
    assert (patch.json()["address"], patch.json()["name"], patch.json()["version"]) == (
        "Jl. Baru",
        NEW["name"],
        3,
    )


def test_a_stale_version_is_a_conflict_and_changes_nothing(surabaya_manager, surabaya_site):
    client = _api(surabaya_manager)
    url = f"/api/v1/sites/{surabaya_site.pk}"
    assert (
        client.patch(
            url, {"version": 1, "name": "Pertama"}, content_type="application/json"
        ).status_code
        == 200
    )
    late = client.patch(url, {"version": 1, "name": "Kedua"}, content_type="application/json")
    assert late.status_code == 409
    assert late.json()["current_version"] == 2
    assert late.json()["detail"]
    assert Site.objects.get(pk=surabaya_site.pk).name == "Pertama"


def test_patch_without_version_is_refused(surabaya_manager, surabaya_site):
    response = _api(surabaya_manager).patch(
        f"/api/v1/sites/{surabaya_site.pk}",
        {"name": "Tanpa Versi"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert Site.objects.get(pk=surabaya_site.pk).name == surabaya_site.name


def test_patch_can_clear_coordinates(surabaya_manager):
    client = _api(surabaya_manager)
    site_id = client.post("/api/v1/sites", NEW, content_type="application/json").json()["id"]
    response = client.patch(
        f"/api/v1/sites/{site_id}",
        {"version": 1, "latitude": None, "longitude": None},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["latitude"] is None


def test_focal_point_cannot_update_their_own_site(focal_point, surabaya_site):
    response = _api(focal_point).patch(
        f"/api/v1/sites/{surabaya_site.pk}",
        {"version": 1, "name": "Oleh Sekolah"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Site.objects.get(pk=surabaya_site.pk).name == surabaya_site.name


def test_list_gives_the_assessment_status(surabaya_manager, surabaya_site):
    import datetime

    from cegah.sites.services import set_assessment_status

    set_assessment_status(
        surabaya_site, 3.5, True, datetime.date(2026, 2, 1), datetime.date(2027, 2, 1)
    )
    item = _api(surabaya_manager).get("/api/v1/sites?functioning=yes").json()["items"][0]
    assert (item["maturity"], item["functioning"], item["last_assessed_on"]) == (
        3.5,
        True,
        "2026-02-01",
    )
