"""The site registry, verified assessments and drug-prone areas as derived data values
(issue 4, "into the indicator spine"): what ``cegah.indicators.derived`` stores per
regency/city and period, so ``/api/v1/analytics`` answers functioning coverage, mean
maturity and drug-prone categories like any other indicator.

Sites, per quarter, by site type (category option combo = the site type code):

- ``SITES_REGISTERED`` — sites registered by the end of the quarter. A site counts from its
  registration or from the date of its first verified assessment, whichever is earlier
  (past assessments entered later show the site existed then);
- ``SITES_ASSESSED`` / ``MATURITY_SUM`` — sites with a verified assessment dated by the
  end of the quarter, and the sum of the maturity of each one's latest such assessment
  (latest by assessment date, then verification time, as the site registry decides);
- ``SITES_FUNCTIONING`` — of those, the ones at maturity 3 or more;
- ``SCHOOL_SITES_REGISTERED`` / ``SCHOOL_SITES_FUNCTIONING`` — the same for schools,
  madrasahs, pesantren and universities together (no disaggregation).

The current quarter holds the state as it is now. Every quarter from the regency's first
registered site to the current one has values (zeros included, so coverage is 0 %, not
missing). Drug-prone areas, per year: ``KAWASAN_RAWAN_ASSESSED``, one count per category
(``_BAHAYA``, ``_WASPADA``, ``_SIAGA``, ``_AMAN``) and ``_RECOVERED`` (the category is better
than the village's previous assessment), for every year the regency has assessments.

The services call ``refresh_sites`` / ``refresh_drug_prone`` inside their transaction when a
site is registered, moved or retyped, an assessment is verified or un-verified, or a
drug-prone assessment is recorded or changed; so analytics follows in the same commit.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from cegah.core import periods
from cegah.indicators import derived
from cegah.sites.models import SCHOOL_TYPES, Site, SiteType

from .models import FUNCTIONING_MATURITY, Assessment, Category, DrugProneAssessment

SITES = "sites"
# Ties of one assessment date go to the later verification (as the site registry decides).
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
DRUG_PRONE = "drug-prone-areas"

SITE_CODES = (
    "SITES_REGISTERED",
    "SITES_FUNCTIONING",
    "SITES_ASSESSED",
    "MATURITY_SUM",
    "SCHOOL_SITES_REGISTERED",
    "SCHOOL_SITES_FUNCTIONING",
)
EDUCATION_TYPES = frozenset(SCHOOL_TYPES | {SiteType.UNIVERSITY})
CATEGORY_CODES = {
    Category.BAHAYA: "KAWASAN_RAWAN_BAHAYA",
    Category.WASPADA: "KAWASAN_RAWAN_WASPADA",
    Category.SIAGA: "KAWASAN_RAWAN_SIAGA",
    Category.AMAN: "KAWASAN_RAWAN_AMAN",
}
DRUG_PRONE_CODES = (
    "KAWASAN_RAWAN_ASSESSED",
    *CATEGORY_CODES.values(),
    "KAWASAN_RAWAN_RECOVERED",
)


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarters(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    out, (year, q) = [], first
    while (year, q) <= last:
        out.append((year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def quarter_end(year: int, q: int) -> datetime.date:
    return periods.parse(f"{year}Q{q}").end


def site_values(keys: list[str], today: datetime.date | None = None) -> dict:
    """The site elements of the regency ``keys``, every quarter up to ``today``'s."""
    today = today or timezone.localdate()
    current = quarter_of(today)
    region = derived.under("region__code", keys)
    sites = {
        pk: (site_type, derived.regency_key(region_id), timezone.localdate(created))
        for pk, site_type, region_id, created in Site.objects.filter(region).values_list(
            "pk", "site_type", "region_id", "created_at"
        )
    }
    first_seen = {pk: created for pk, (_t, _k, created) in sites.items()}
    verified: dict[int, list[tuple]] = defaultdict(list)
    for site_id, assessed_on, verified_at, pk, maturity in (
        Assessment.objects.filter(
            derived.under("site__region__code", keys), status=Assessment.Status.VERIFIED
        )
        .values_list("site_id", "assessed_on", "verified_at", "pk", "maturity")
        .iterator(chunk_size=5000)
    ):
        if site_id in sites and maturity is not None:
            first_seen[site_id] = min(first_seen[site_id], assessed_on)
            verified[site_id].append((assessed_on, verified_at, pk, maturity))

    # (regency key, (year, quarter), site type) → [registered, assessed, functioning, sum]
    counts: dict[tuple, list] = defaultdict(lambda: [0, 0, 0, Decimal(0)])
    for pk, (site_type, key, _created) in sites.items():
        history = sorted(verified.get(pk, ()), key=lambda a: (a[0], a[1] or _EPOCH, a[2]))
        latest, index = None, 0
        for year, q in quarters(min(quarter_of(first_seen[pk]), current), current):
            end = quarter_end(year, q)
            while index < len(history) and history[index][0] <= end:
                latest = history[index][3]
                index += 1
            cell = counts[(key, (year, q), site_type)]
            cell[0] += 1
            if latest is not None:
                cell[1] += 1
                cell[2] += latest >= FUNCTIONING_MATURITY
                cell[3] += latest

    values: dict[derived.Key, float] = {}
    schools: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for (key, (year, q), site_type), (registered, assessed, functioning, total) in counts.items():
        period = f"{year}Q{q}"
        values[("SITES_REGISTERED", period, key, site_type)] = registered
        values[("SITES_ASSESSED", period, key, site_type)] = assessed
        values[("SITES_FUNCTIONING", period, key, site_type)] = functioning
        values[("MATURITY_SUM", period, key, site_type)] = float(total)
        if site_type in EDUCATION_TYPES:
            school = schools[(key, period)]
            school[0] += registered
            school[1] += functioning
    for (key, period), (registered, functioning) in schools.items():
        values[("SCHOOL_SITES_REGISTERED", period, key, "default")] = registered
        values[("SCHOOL_SITES_FUNCTIONING", period, key, "default")] = functioning
    return values


def drug_prone_values(keys: list[str]) -> dict:
    """The drug-prone-area elements of the regency ``keys``, every year with assessments."""
    counts: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for region_id, year, category, recovered in DrugProneAssessment.objects.filter(
        derived.under("region__code", keys)
    ).values_list("region_id", "year", "category", "recovered"):
        cell = counts[(derived.regency_key(region_id), year)]
        cell["KAWASAN_RAWAN_ASSESSED"] += 1
        cell[CATEGORY_CODES[category]] += 1
        cell["KAWASAN_RAWAN_RECOVERED"] += bool(recovered)
    return {
        (code, str(year), key, "default"): cell.get(code, 0)
        for (key, year), cell in counts.items()
        for code in DRUG_PRONE_CODES
    }


def refresh_sites(region_codes: Iterable[str]) -> derived.Change:
    return derived.refresh(SITES, region_codes)


def refresh_drug_prone(region_codes: Iterable[str]) -> derived.Change:
    return derived.refresh(DRUG_PRONE, region_codes)


def on_sites_changed(sender, region_codes, **kwargs) -> None:
    refresh_sites(region_codes)


def register() -> None:
    derived.register(SITES, SITE_CODES, site_values)
    derived.register(DRUG_PRONE, DRUG_PRONE_CODES, drug_prone_values)
