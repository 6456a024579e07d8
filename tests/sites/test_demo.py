"""The sites demo step: real places in the right regencies, all 38 provinces, the same
sites for the same seed, and a re-run that adds nothing."""

import random
from collections import Counter

from cegah.core.models import ChangeLog
from cegah.demo.registry import DemoContext
from cegah.regions.models import Region
from cegah.sites import demo_data
from cegah.sites.demo_places import AIRPORTS, SEAPORTS, all_places
from cegah.sites.models import IATA, UN_LOCODE, Site, SiteType


def test_every_real_place_lies_in_the_regency_it_names(db):
    names = dict(Region.objects.filter(level=Region.Level.REGENCY).values_list("code", "name"))
    wrong = [
        (name, regency, names.get(regency), expected)
        for _kind, _code, name, regency, expected in all_places()
        if names.get(regency) != expected
    ]
    assert wrong == []


def test_airport_and_port_codes_are_well_formed_and_distinct():
    iata = [code for code, *_ in AIRPORTS]
    assert all(IATA.fullmatch(code) for code in iata)
    assert len(set(iata)) == len(iata)
    assert "SUB" not in iata  # Juanda is one of the six named demo sites
    locodes = [code for code, *_ in SEAPORTS if code]
    assert all(UN_LOCODE.fullmatch(code) for code in locodes)
    assert len(set(locodes)) == len(locodes)
    assert "IDSUB" not in locodes


def test_the_plan_is_the_same_for_a_seed_and_covers_every_province(db):
    first = demo_data.plan_rows(7, "small")
    assert demo_data.plan_rows(7, "small") == first
    assert demo_data.plan_rows(8, "small") != first
    assert len(first) + len(demo_data.DEMO_SITES) == 5_000
    assert {row["region_code"][:2] for row in first} == set(
        Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True)
    )
    kinds = Counter(row["site_type"] for row in first)
    assert kinds[SiteType.AIRPORT] == len(AIRPORTS)
    assert kinds[SiteType.SEAPORT] == len(SEAPORTS)
    assert kinds[SiteType.TOURIST_AREA] == 99
    assert kinds[SiteType.VILLAGE] == 400
    schools = sum(kinds[t] for t in ("sd", "smp", "sma", "smk", "mi", "mts", "ma", "pesantren"))
    assert schools > 3_500
    villages = [row["official_id"] for row in first if row["site_type"] == SiteType.VILLAGE]
    assert Region.objects.filter(code__in=villages, level=Region.Level.VILLAGE).count() == 400


def test_the_demo_step_builds_about_5000_sites_once(db):
    ctx = DemoContext(seed=2026, scale="small", password="x", rng=random.Random(2026))
    demo_data.build(ctx)
    assert Site.objects.count() == 5_000
    # One creation entry per site, written in bulk (COPY on PostgreSQL), each scoped.
    entries = ChangeLog.objects.filter(object_type="sites.site", action="create")
    assert entries.count() == 5_000
    last = Site.objects.order_by("-id").first()
    entry = entries.get(object_id=str(last.pk))
    assert (entry.site_id, entry.region_code, entry.after["code"]) == (
        last.pk,
        last.region_id,
        last.code,
    )
    named = Site.objects.get(name="SMP Negeri Demo 1 Surabaya")
    assert named.code == "S3578-00001"
    synthetic = Site.objects.filter(site_type="smp", address=demo_data.SYNTHETIC).first()
    assert synthetic.official_id.startswith("9")

    demo_data.build(ctx)
    assert Site.objects.count() == 5_000
