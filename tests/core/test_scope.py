"""core.scope: the one function that decides what a user may see and change."""

import pytest
from django.http import Http404

from cegah.core.scope import Roles, Scope, get_scoped_or_404, scope_for, scoped
from cegah.regions.models import Office
from cegah.regions.services import retire_office
from cegah.sites.models import Site
from cegah.sites.services import create_site


def test_regency_scope_covers_its_own_code_and_everything_below():
    surabaya = Scope(region_code="35.78")
    assert surabaya.covers_region("35.78")
    assert surabaya.covers_region("35.78.01")
    assert surabaya.covers_region("35.78.01.1001")


def test_scope_is_a_code_path_not_a_string_prefix():
    """'35.7' is a prefix of '35.78' as a string, but not as a region path."""
    assert not Scope(region_code="35.7").covers_region("35.78")
    assert not Scope(region_code="35.7").covers_region("35.78.01")
    assert not Scope(region_code="3").covers_region("35")
    assert not Scope(region_code="35.78.0").covers_region("35.78.01.1001")


def test_regency_scope_does_not_cover_parent_or_sibling():
    surabaya = Scope(region_code="35.78")
    assert not surabaya.covers_region("35")
    assert not surabaya.covers_region("35.73")
    assert not surabaya.covers_region("35.73.01")
    assert not surabaya.covers_region("")
    assert not surabaya.covers_region(None)


def test_national_scope_covers_every_region_and_empty_scope_covers_none():
    assert Scope(everything=True).covers_region("94.71.01.1001")
    assert Scope().nothing
    assert not Scope().covers_region("35.78")


def test_site_scope_covers_no_region():
    """A focal point reaches their site by id, never a region subtree."""
    assert not Scope(site_id=7).covers_region("35.78")
    assert not Scope(site_id=7).nothing


def test_filter_uses_the_same_path_rule_as_covers_region(db):
    surabaya = create_site(None, name="Sekolah 35.78", site_type="smp", region_code="35.78.01")
    malang = create_site(None, name="Sekolah 35.73", site_type="smp", region_code="35.73.01")
    batu = create_site(None, name="Sekolah 35.79", site_type="smp", region_code="35.79")

    def names(scope):
        return set(scope.filter(Site.objects.all()).values_list("name", flat=True))

    assert names(Scope(region_code="35.7")) == set()
    assert names(Scope(region_code="35.73")) == {malang.name}
    assert names(Scope(region_code="35")) == {surabaya.name, malang.name, batu.name}
    assert names(Scope(site_id=surabaya.pk)) == {surabaya.name}
    assert names(Scope()) == set()
    assert {surabaya.name, malang.name, batu.name} <= names(Scope(everything=True))


def test_scope_for_each_role(
    admin_user, analyst_user, jatim_manager, surabaya_officer, jatim_viewer, focal_point
):
    assert scope_for(admin_user) == Scope(everything=True, can_write=True)
    assert scope_for(analyst_user) == Scope(everything=True, can_write=False)
    assert scope_for(jatim_manager) == Scope(region_code="35", can_write=True)
    assert scope_for(surabaya_officer) == Scope(region_code="35.78", can_write=True)
    assert scope_for(jatim_viewer) == Scope(region_code="35", can_write=False)
    assert scope_for(focal_point) == Scope(site_id=focal_point.site_id, can_write=True)


def test_anonymous_and_inactive_users_reach_nothing(surabaya_manager):
    from django.contrib.auth.models import AnonymousUser

    assert scope_for(AnonymousUser()).nothing
    assert scope_for(None).nothing
    surabaya_manager.is_active = False
    assert scope_for(surabaya_manager).nothing


def test_users_of_a_retired_office_reach_nothing(admin_user, surabaya_manager, surabaya_site):
    office = Office.objects.get(code="BNNK-35.78")
    retire_office(admin_user, office, office.version)
    surabaya_manager.refresh_from_db()
    assert scope_for(surabaya_manager).nothing
    assert not scoped(surabaya_manager, Site).exists()


def test_user_without_office_reaches_nothing(db):
    from cegah.accounts.models import User

    loose = User(username="tanpa.kantor", role=Roles.MANAGER)
    assert scope_for(loose) == Scope()


def test_get_scoped_or_404_hides_existence(malang_manager, surabaya_site, malang_site):
    assert get_scoped_or_404(malang_manager, Site, pk=malang_site.pk) == malang_site
    with pytest.raises(Http404):
        get_scoped_or_404(malang_manager, Site, pk=surabaya_site.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(malang_manager, Site.objects.all(), pk=surabaya_site.pk)
    with pytest.raises(Http404):
        get_scoped_or_404(malang_manager, Site, pk="not-a-number")
