"""What a site must be: coordinates inside Indonesia, an official identifier that fits its
type and is unique per type, a village code that names a real village; and the assessment
status that only set_assessment_status writes."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cegah.core.models import ChangeLog
from cegah.sites.models import LATITUDE_MESSAGE, PopulationKind, Site
from cegah.sites.services import (
    BulkValidationError,
    bulk_create_sites,
    create_site,
    set_assessment_status,
    update_site,
)


def _errors(**values):
    with pytest.raises(ValidationError) as caught:
        create_site(None, **values)
    return caught.value.message_dict


SCHOOL = {"name": "SD Negeri Uji", "site_type": "sd", "region_code": "35.78.01"}


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("-12.0", "112.7", "latitude"),  # south of Rote
        ("6.2", "112.7", "latitude"),
        ("-7.2", "94.6", "longitude"),  # west of Sabang
        ("-7.2", "141.2", "longitude"),
        ("-7.2", "", "longitude"),  # one without the other
        ("", "112.7", "latitude"),
    ],
)
def test_coordinates_outside_indonesia_are_refused_with_the_range(db, latitude, longitude, field):
    errors = _errors(**SCHOOL, latitude=latitude, longitude=longitude)
    assert list(errors) == [field]
    assert not Site.objects.filter(name="SD Negeri Uji").exists()


def test_coordinates_inside_indonesia_are_kept_to_six_places(db):
    site = create_site(None, **SCHOOL, latitude="-7,2575", longitude=112.75211149)
    site.refresh_from_db()
    assert site.latitude == Decimal("-7.257500")
    assert site.longitude == Decimal("112.752111")


def test_coordinate_message_gives_indonesias_range(db):
    errors = _errors(**SCHOOL, latitude="-45", longitude="112")
    assert errors == {"latitude": [str(LATITUDE_MESSAGE)]}


@pytest.mark.parametrize(
    ("site_type", "official_id"),
    [
        ("smp", "1234567"),  # NPSN has 8 digits
        ("pesantren", "ABCDEFGH"),
        ("airport", "CG"),
        ("airport", "CGK1"),
        ("seaport", "SUB"),
        ("seaport", "SGSIN"),  # not an Indonesian port
        ("village", "35.78.01"),  # a district, not a village code
    ],
)
def test_official_identifier_must_fit_the_site_type(db, site_type, official_id):
    region = "35.78.01.1001" if site_type == "village" else "35.78"
    errors = _errors(name="X", site_type=site_type, region_code=region, official_id=official_id)
    assert list(errors) == ["official_id"]


@pytest.mark.parametrize(
    ("site_type", "official_id", "stored"),
    [
        ("smp", "20532201", "20532201"),
        ("airport", "cgk", "CGK"),
        ("airport", "WIII", "WIII"),
        ("seaport", " idtpp ", "IDTPP"),
        ("tourist_area", "bebas-123", "bebas-123"),  # no official scheme: free text
    ],
)
def test_fitting_identifiers_are_stored_normalised(db, site_type, official_id, stored):
    site = create_site(
        None, name="Y", site_type=site_type, region_code="35.78", official_id=official_id
    )
    assert Site.objects.get(pk=site.pk).official_id == stored


def test_village_code_must_name_a_real_village_in_the_sites_region(db):
    assert "official_id" in _errors(
        name="Desa Palsu", site_type="village", region_code="35.78", official_id="35.78.01.9999"
    )
    assert "official_id" in _errors(  # a real village, but in Malang, not Surabaya
        name="Desa Lain", site_type="village", region_code="35.78", official_id="35.73.01.1001"
    )
    site = create_site(
        None,
        name="Kelurahan Karang Pilang",
        site_type="village",
        region_code="35.78.01.1001",
        official_id="35.78.01.1001",
    )
    assert site.official_id == "35.78.01.1001"


def test_official_identifier_is_unique_per_type(db, surabaya_site):
    errors = _errors(
        name="SMP Kembar", site_type="smp", region_code="35.78.02", official_id="20599901"
    )
    assert list(errors) == ["official_id"]
    # The same digits for another type are another identifier.
    other = create_site(
        None, name="SD Kembar", site_type="sd", region_code="35.78.02", official_id="20599901"
    )
    assert other.pk


def test_editing_a_site_to_a_taken_identifier_is_refused(surabaya_manager, surabaya_site):
    other = create_site(None, name="SMP Lain", site_type="smp", region_code="35.78.02")
    with pytest.raises(ValidationError) as caught:
        update_site(surabaya_manager, other, other.version, official_id="20599901")
    assert list(caught.value.message_dict) == ["official_id"]
    # The site keeps its own identifier on an edit of another field.
    update_site(surabaya_manager, surabaya_site, surabaya_site.version, address="Jl. Baru")


def test_population_kind_needs_a_number(db):
    assert "population_served" in _errors(**SCHOOL, population_kind="students")
    site = create_site(None, **SCHOOL, population_served=420, population_kind="students")
    assert site.population_kind == PopulationKind.STUDENTS


def test_status_fields_cannot_be_set_by_create_or_update(surabaya_manager, surabaya_site):
    assert "maturity" in _errors(**SCHOOL, maturity=4)
    with pytest.raises(ValidationError):
        update_site(surabaya_manager, surabaya_site, surabaya_site.version, functioning=True)
    assert Site.objects.get(pk=surabaya_site.pk).functioning is False


def test_set_assessment_status_records_the_status_and_logs_it(surabaya_site):
    day = datetime.date(2026, 3, 1)
    site = set_assessment_status(surabaya_site, 3.256, True, day, datetime.date(2027, 3, 1))
    stored = Site.objects.get(pk=surabaya_site.pk)
    assert stored.maturity == Decimal("3.26")
    assert stored.functioning is True
    assert stored.last_assessed_on == day
    assert stored.next_review_due == datetime.date(2027, 3, 1)
    assert stored.version == surabaya_site.version  # not a user's edit: no conflict with forms
    entry = ChangeLog.objects.filter(object_id=str(site.pk), action="update").get()
    assert entry.after["maturity"] == "3.26"
    assert entry.before["maturity"] is None

    # The same status again changes nothing and logs nothing.
    set_assessment_status(stored, "3.26", True, day, datetime.date(2027, 3, 1))
    assert ChangeLog.objects.filter(object_id=str(site.pk), action="update").count() == 1


@pytest.mark.parametrize(
    ("maturity", "functioning"),
    [(2.99, True), (None, True), (4.01, False), (-0.5, False), ("tinggi", False)],
)
def test_set_assessment_status_refuses_an_impossible_status(surabaya_site, maturity, functioning):
    with pytest.raises(ValidationError):
        set_assessment_status(surabaya_site, maturity, functioning, None, None)
    assert Site.objects.get(pk=surabaya_site.pk).maturity is None


def test_a_form_edit_after_a_verification_is_not_a_conflict(surabaya_manager, surabaya_site):
    set_assessment_status(surabaya_site, 3, True, datetime.date(2026, 1, 5), None)
    update_site(surabaya_manager, surabaya_site, surabaya_site.version, name="Nama Baru")
    stored = Site.objects.get(pk=surabaya_site.pk)
    assert (stored.name, stored.maturity, stored.functioning) == ("Nama Baru", 3, True)


def test_bulk_create_checks_every_row_and_writes_nothing_if_one_fails(db):
    rows = [
        {
            "name": f"SD Negeri {i} Uji",
            "site_type": "sd",
            "region_code": "35.78.01",
            "official_id": f"2059{i:04d}",
        }
        for i in range(5)
    ]
    rows.append(
        {
            "name": "SD Kembar",
            "site_type": "sd",
            "region_code": "35.78.01",
            "official_id": "20590001",
        }
    )  # the same NPSN as row 1
    rows.append({"name": "SD Luar", "site_type": "sd", "region_code": "99.99"})
    before = Site.objects.count()
    with pytest.raises(BulkValidationError) as caught:
        bulk_create_sites(None, rows)
    assert [(e.index, list(e.error.message_dict)) for e in caught.value.errors] == [
        (5, ["official_id"]),
        (6, ["region"]),
    ]
    assert Site.objects.count() == before

    created = bulk_create_sites(None, rows[:5])
    assert [s.code for s in created] == [f"S3578-{n:05d}" for n in range(1, 6)]
    assert ChangeLog.objects.filter(object_type="sites.site", action="create").count() == 5


def test_bulk_create_refuses_a_region_outside_the_actors_jurisdiction(malang_manager):
    with pytest.raises(BulkValidationError) as caught:
        bulk_create_sites(
            malang_manager, [{"name": "SD Luar", "site_type": "sd", "region_code": "35.78.01"}]
        )
    assert caught.value.errors[0].error.message_dict["region"]
