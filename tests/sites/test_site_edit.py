"""Editing sites: through the form and the service, with the version check that tells the
second of two concurrent writers instead of overwriting the first."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override

from cegah.core.models import ChangeLog
from cegah.core.versioning import ConflictError
from cegah.sites.models import Site
from cegah.sites.services import create_site, update_site
from tests.conftest import client_for, make_user
from tests.sites.helpers import site_form_data


def test_second_of_two_concurrent_edits_is_told_and_the_first_value_stays(
    surabaya_manager, surabaya_officer, surabaya_site
):
    first, second = client_for(surabaya_manager), client_for(surabaya_officer)
    url = reverse("site-edit", args=[surabaya_site.pk])
    # Both open the form while the site is at version 1.
    for client in (first, second):
        assert client.get(url).context["form"]["version"].value() == 1

    saved = first.post(url, site_form_data(surabaya_site, name="Nama Dari Penyunting Pertama"))
    assert saved.status_code == 302

    refused = second.post(url, site_form_data(surabaya_site, name="Nama Dari Penyunting Kedua"))
    assert refused.status_code == 200
    with override("id"):
        message = escape(str(ConflictError.message))
    assert message in refused.content.decode()

    site = Site.objects.get(pk=surabaya_site.pk)
    assert site.name == "Nama Dari Penyunting Pertama"
    assert site.version == 2
    assert ChangeLog.objects.filter(action="update", object_id=str(site.pk)).count() == 1


def test_service_refuses_a_stale_version(surabaya_manager, surabaya_site):
    update_site(surabaya_manager, surabaya_site, 1, name="Versi Dua")
    with pytest.raises(ConflictError):
        update_site(surabaya_manager, surabaya_site, 1, name="Versi Basi")
    assert Site.objects.get(pk=surabaya_site.pk).name == "Versi Dua"


def test_edit_form_cannot_move_a_site_out_of_the_jurisdiction(surabaya_manager, surabaya_site):
    response = client_for(surabaya_manager).post(
        reverse("site-edit", args=[surabaya_site.pk]),
        site_form_data(surabaya_site, region_code="35.73.01"),
    )
    assert response.status_code == 200
    assert "region_code" in response.context["form"].errors
    assert Site.objects.get(pk=surabaya_site.pk).region_id == "35.78.01"


def test_service_refuses_an_actor_outside_the_jurisdiction(malang_manager, surabaya_site):
    with pytest.raises(PermissionDenied):
        update_site(malang_manager, surabaya_site, surabaya_site.version, name="Dari Malang")
    assert Site.objects.get(pk=surabaya_site.pk).name == surabaya_site.name


def test_unknown_or_province_level_region_is_a_field_error(surabaya_manager):
    with pytest.raises(ValidationError) as unknown:
        create_site(surabaya_manager, name="X", site_type="smp", region_code="35.78.99")
    assert "region" in unknown.value.error_dict
    with pytest.raises(ValidationError) as province:
        create_site(
            make_user("jatim.petugas", "officer", "BNNP-35"),
            name="X",
            site_type="smp",
            region_code="35",
        )
    assert "region" in province.value.error_dict
    assert not Site.objects.filter(name="X").exists()


def test_site_codes_are_numbered_per_regency(surabaya_manager):
    first = create_site(surabaya_manager, name="A", site_type="sd", region_code="35.78.01")
    second = create_site(surabaya_manager, name="B", site_type="sd", region_code="35.78.02")
    assert first.code == "S3578-00001"
    assert second.code == "S3578-00002"


def test_an_edit_without_the_version_is_refused_not_applied(surabaya_manager, surabaya_site):
    """A POST that does not say which version it edits cannot be checked for a conflict, so it
    must not overwrite whatever is stored now."""
    update_site(surabaya_manager, surabaya_site, 1, name="Versi Dua")
    form = site_form_data(surabaya_site, name="Tanpa Versi")
    del form["version"]
    response = client_for(surabaya_manager).post(
        reverse("site-edit", args=[surabaya_site.pk]), form
    )
    assert response.status_code == 200
    with override("id"):
        assert escape(str(ConflictError.message)) in response.content.decode()
    assert Site.objects.get(pk=surabaya_site.pk).name == "Versi Dua"
