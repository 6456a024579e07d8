from django.urls import reverse

from cegah.regions.models import Region
from tests.conftest import client_for


def test_regions_are_loaded_for_every_test(db):
    assert Region.objects.filter(level=1).count() == 38


def test_manager_sees_home_with_jurisdiction(surabaya_manager):
    response = client_for(surabaya_manager).get(reverse("home"))
    assert response.status_code == 200
    assert "Kota Surabaya" in response.content.decode()
