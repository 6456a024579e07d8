"""The region browser: provinces, search by name or code, a region with its serving office."""

from django.urls import reverse

from cegah.regions.models import Region
from tests.conftest import client_for


def codes(response) -> list[str]:
    return [region.code for region, _office in response.context["rows"]]


def test_browser_lists_the_provinces(surabaya_manager):
    response = client_for(surabaya_manager).get(reverse("region-browser"))
    assert response.status_code == 200
    assert codes(response) == list(Region.objects.filter(level=1).values_list("code", flat=True))
    assert len(codes(response)) == 38
    assert "Jawa Timur" in response.content.decode()


def test_search_by_name(surabaya_manager):
    response = client_for(surabaya_manager).get(reverse("region-browser"), {"q": "surabaya"})
    assert "35.78" in codes(response)
    assert "Kota Surabaya" in response.content.decode()
    assert all("surabaya" in region.name.lower() for region, _o in response.context["rows"])


def test_search_by_code(surabaya_manager):
    response = client_for(surabaya_manager).get(reverse("region-browser"), {"q": "35.78"})
    found = codes(response)
    assert found[0] == "35.78"
    assert "Kota Surabaya" in response.content.decode()
    assert all(code == "35.78" or code.startswith("35.78.") for code in found)


def test_region_page_shows_its_districts_and_serving_office(surabaya_manager):
    response = client_for(surabaya_manager).get(reverse("region-detail", args=["35.78"]))
    districts = list(
        Region.objects.filter(parent_id="35.78").order_by("code").values_list("code", "name")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert len(districts) == 31
    assert codes(response) == [code for code, _name in districts]
    assert all(name in page for _code, name in districts)
    assert 'data-testid="serving-office">BNNK Kota Surabaya<' in page


def test_region_without_bnnk_shows_the_bnnp(surabaya_manager):
    page = client_for(surabaya_manager).get(reverse("region-detail", args=["35.01"]))
    assert 'data-testid="serving-office">BNNP Jawa Timur<' in page.content.decode()


def test_unknown_region_is_not_found(surabaya_manager):
    response = client_for(surabaya_manager).get(reverse("region-detail", args=["99.99"]))
    assert response.status_code == 404


def test_browser_needs_a_login(db):
    from django.test import Client

    response = Client().get(reverse("region-browser"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
