import pytest

from tests.conftest import client_for


@pytest.mark.parametrize("url", ["/wilayah/?q=%00", "/sites/?q=a%00b", "/riwayat/?user=%00"])
def test_nul_in_the_query_string_is_a_clear_400_not_a_crash(surabaya_manager, url):
    response = client_for(surabaya_manager).get(url)
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_nul_in_a_form_field_is_refused_and_nothing_is_written(surabaya_manager):
    from cegah.sites.models import Site

    before = Site.objects.count()
    response = client_for(surabaya_manager).post(
        "/sites/baru/", {"name": "Sekolah\x00", "site_type": "smp", "region_code": "35.78"}
    )
    assert response.status_code == 400
    assert Site.objects.count() == before
