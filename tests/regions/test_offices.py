"""Which office serves a region, and how national admins open and retire BNNK."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cegah.core.models import ChangeLog
from cegah.core.versioning import ConflictError
from cegah.regions.models import Office
from cegah.regions.queries import ServingOffices, serving_office
from cegah.regions.services import create_bnnk, retire_office, update_office
from tests.conftest import client_for

# Kabupaten Pacitan (35.01) has no BNNK in the seed: BNNP Jawa Timur serves it.
REGENCY_WITHOUT_BNNK = "35.01"


def office(code: str) -> Office:
    return Office.objects.get(code=code)


def test_a_regency_with_a_bnnk_is_served_by_it(db):
    assert serving_office("35.78").code == "BNNK-35.78"
    assert serving_office("35.78.01").code == "BNNK-35.78"
    assert serving_office("35.78.01.1001").code == "BNNK-35.78"


def test_a_regency_without_a_bnnk_is_served_by_its_bnnp(db):
    assert serving_office(REGENCY_WITHOUT_BNNK).code == "BNNP-35"
    assert serving_office(REGENCY_WITHOUT_BNNK + ".01").code == "BNNP-35"
    assert serving_office("35").code == "BNNP-35"


def test_serving_offices_answers_many_regions_from_one_query(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        serving = ServingOffices()
    with django_assert_num_queries(0):
        answers = {code: serving.for_code(code).code for code in ("35.78", "35.73", "35.01")}
    assert answers == {"35.78": "BNNK-35.78", "35.73": "BNNK-35.73", "35.01": "BNNP-35"}


def test_retiring_a_bnnk_makes_the_bnnp_serve_its_regency(admin_user):
    surabaya = office("BNNK-35.78")
    retire_office(admin_user, surabaya, surabaya.version)

    surabaya.refresh_from_db()
    assert not surabaya.active
    assert surabaya.retired_on == timezone.localdate()
    assert serving_office("35.78").code == "BNNP-35"
    assert serving_office("35.78.01.1001").code == "BNNP-35"
    entry = ChangeLog.objects.filter(object_type="regions.office", object_id=str(surabaya.pk))
    assert entry.latest("id").after["active"] is False
    assert entry.latest("id").user == admin_user


def test_retiring_with_a_stale_version_is_refused(admin_user):
    surabaya = office("BNNK-35.78")
    with pytest.raises(ConflictError):
        retire_office(admin_user, surabaya, surabaya.version + 1)
    assert office("BNNK-35.78").active


def test_only_a_bnnk_can_be_retired(admin_user):
    jatim = office("BNNP-35")
    with pytest.raises(ValidationError):
        retire_office(admin_user, jatim, jatim.version)
    assert office("BNNP-35").active


@pytest.mark.parametrize("who", ["surabaya_manager", "jatim_manager", "analyst_user"])
def test_only_a_national_admin_manages_offices(request, who):
    user = request.getfixturevalue(who)
    surabaya = office("BNNK-35.78")
    with pytest.raises(PermissionDenied):
        retire_office(user, surabaya, surabaya.version)
    with pytest.raises(PermissionDenied):
        create_bnnk(user, REGENCY_WITHOUT_BNNK)
    with pytest.raises(PermissionDenied):
        update_office(user, surabaya, surabaya.version, name="BNNK Suroboyo")
    assert office("BNNK-35.78").active
    assert not Office.objects.filter(region_id=REGENCY_WITHOUT_BNNK).exists()


def test_a_second_bnnk_for_the_same_regency_is_refused(admin_user):
    with pytest.raises(ValidationError) as error:
        create_bnnk(admin_user, "35.78")
    assert "region" in error.value.error_dict
    assert Office.objects.filter(region_id="35.78").count() == 1


def test_a_bnnk_needs_a_regency(admin_user):
    for code in ("35", "35.78.01", "99.99"):
        with pytest.raises(ValidationError):
            create_bnnk(admin_user, code)


def test_a_new_bnnk_serves_its_regency(admin_user):
    pacitan = create_bnnk(admin_user, REGENCY_WITHOUT_BNNK)
    assert (pacitan.code, pacitan.name) == ("BNNK-35.01", "BNNK Pacitan")
    assert serving_office(REGENCY_WITHOUT_BNNK).code == "BNNK-35.01"


def test_reopening_a_retired_bnnk_keeps_the_same_office(admin_user):
    surabaya = office("BNNK-35.78")
    retire_office(admin_user, surabaya, surabaya.version)
    reopened = create_bnnk(admin_user, "35.78")
    assert reopened.pk == surabaya.pk
    assert reopened.active and reopened.retired_on is None
    assert serving_office("35.78").code == "BNNK-35.78"


def test_reloading_regions_does_not_reopen_a_retired_bnnk(admin_user):
    surabaya = office("BNNK-35.78")
    retire_office(admin_user, surabaya, surabaya.version)
    out = StringIO()
    call_command("regions", "load", stdout=out, stderr=StringIO())
    assert "No change" in out.getvalue()
    assert not office("BNNK-35.78").active


# --- office pages --------------------------------------------------------------------------


def test_non_admin_cannot_open_the_office_forms(surabaya_manager):
    client = client_for(surabaya_manager)
    assert client.get(reverse("office-create")).status_code == 403
    assert client.get(reverse("office-edit", args=["BNNK-35.78"])).status_code == 403
    response = client.post(
        reverse("office-retire", args=["BNNK-35.78"]), {"version": office("BNNK-35.78").version}
    )
    assert response.status_code == 403
    assert office("BNNK-35.78").active


def test_admin_retires_a_bnnk_from_its_page(admin_user):
    surabaya = office("BNNK-35.78")
    response = client_for(admin_user).post(
        reverse("office-retire", args=[surabaya.code]), {"version": surabaya.version}
    )
    assert response.status_code == 302
    assert not office("BNNK-35.78").active


def test_admin_opens_a_bnnk_through_the_form(admin_user):
    response = client_for(admin_user).post(
        reverse("office-create"), {"region": REGENCY_WITHOUT_BNNK, "name": "", "address": ""}
    )
    assert response.status_code == 302
    assert office("BNNK-35.01").region_id == REGENCY_WITHOUT_BNNK


def test_bnnp_page_lists_its_regencies_with_their_serving_office(surabaya_manager):
    response = client_for(surabaya_manager).get(reverse("office-detail", args=["BNNP-35"]))
    served = {regency.code: serving.code for regency, serving in response.context["served"]}
    assert len(served) == 38  # Jawa Timur's 29 regencies and 9 cities
    assert served["35.78"] == "BNNK-35.78"
    assert served[REGENCY_WITHOUT_BNNK] == "BNNP-35"


def test_retire_with_a_missing_or_garbled_version_is_a_conflict_not_an_error(admin_user):
    client = client_for(admin_user)
    for version in ({}, {"version": "dua"}, {"version": "²"}, {"version": "9" * 30}):
        response = client.post(reverse("office-retire", args=["BNNK-35.78"]), version)
        assert response.status_code == 302
        assert office("BNNK-35.78").active
