"""Demo step: the site registry.

--scale small: about 5,000 sites in all 38 provinces: the six named sites the demo users
and tests rely on, the real airports (IATA codes), seaports (UN/LOCODE where certain),
land border posts and terminals of ``demo_places``, villages under their real Kemendagri
codes, and synthetic schools, universities, tourist areas, hotels, offices, workplaces and
communities named after their district. --scale national: 250,000 sites, the same mix.

Synthetic sites say so in their address, and their NPSNs are in a range real schools do
not use (9xxxxxxx: 9, the province code, a serial). Deterministic for a seed; built through
``services.bulk_create_sites`` (the same checks as a form, a few INSERTs per 2,000 sites and
one change-log entry each). Re-running adds only what is missing.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from cegah.regions.models import Region

from .demo_places import all_places
from .models import PopulationKind, Site, SiteType
from .services import bulk_create_sites, create_site

ORDER = 20

# (region code, name, type, official id) — names are synthetic, codes are official.
DEMO_SITES = [
    ("35.78.01", "SMP Negeri Demo 1 Surabaya", SiteType.SMP, "20500001"),
    ("35.78.02", "SMA Negeri Demo 2 Surabaya", SiteType.SMA, "20500002"),
    ("35.78", "Pelabuhan Tanjung Perak", SiteType.SEAPORT, "IDSUB"),
    ("35.73.01", "SMP Negeri Demo 3 Malang", SiteType.SMP, "20500003"),
    ("35.73", "Kawasan Wisata Demo Malang", SiteType.TOURIST_AREA, ""),
    ("35.15", "Bandara Internasional Juanda", SiteType.AIRPORT, "SUB"),
]

TOTAL = {"small": 5_000, "national": 250_000}
SYNTHETIC = "Data demo sintetis"
# Extra schools in the demo users' regencies, so their lists are not thin.
FOCUS = {"35.78": 120, "35.73": 60}
# Per 5,000 sites (scaled for national); schools take the rest.
MIX = {
    SiteType.VILLAGE: 400,
    SiteType.TOURIST_AREA: 99,
    SiteType.UNIVERSITY: 60,
    SiteType.HOTEL: 60,
    SiteType.GOVERNMENT: 80,
    SiteType.WORKPLACE: 80,
    SiteType.COMMUNITY: 60,
    SiteType.ENTERTAINMENT: 40,
    SiteType.BOARDING_AREA: 40,
    SiteType.TERMINAL: 34,
}
SCHOOL_MIX = [
    (SiteType.SD, 45),
    (SiteType.SMP, 18),
    (SiteType.SMA, 9),
    (SiteType.SMK, 8),
    (SiteType.MI, 8),
    (SiteType.MTS, 6),
    (SiteType.MA, 3),
    (SiteType.PESANTREN, 3),
]
SCHOOL_PREFIX = {
    SiteType.SD: "SD Negeri",
    SiteType.SMP: "SMP Negeri",
    SiteType.SMA: "SMA Negeri",
    SiteType.SMK: "SMK Negeri",
    SiteType.MI: "MI Negeri",
    SiteType.MTS: "MTs Negeri",
    SiteType.MA: "MA Negeri",
}
PESANTREN_NAMES = [
    "Al-Hikmah",
    "Darul Ulum",
    "Nurul Huda",
    "Al-Falah",
    "Miftahul Jannah",
    "Darussalam",
    "Al-Amin",
    "Baitul Qurro",
]
THEMES = {
    SiteType.TOURIST_AREA: [
        "Kawasan Wisata Pantai",
        "Kawasan Wisata Danau",
        "Kawasan Wisata Air Terjun",
        "Kawasan Kota Lama",
        "Kawasan Wisata Bukit",
        "Pasar Seni",
        "Taman Wisata",
    ],
    SiteType.UNIVERSITY: [
        "Universitas",
        "Politeknik",
        "Institut Teknologi",
        "Sekolah Tinggi Ilmu Kesehatan",
    ],
    SiteType.HOTEL: ["Hotel Melati", "Hotel Nusantara", "Hotel Permata", "Hotel Cendana"],
    SiteType.GOVERNMENT: [
        "Kantor Kecamatan",
        "UPT Dinas Pendidikan",
        "Puskesmas",
        "Kantor Dinas Perhubungan",
    ],
    SiteType.WORKPLACE: [
        "PT Sinar Jaya",
        "PT Karya Abadi",
        "PT Maju Bersama",
        "Pabrik Tekstil",
        "Perkebunan",
    ],
    SiteType.COMMUNITY: ["Karang Taruna", "Remaja Masjid", "Komunitas Pemuda", "Kelompok Nelayan"],
    SiteType.ENTERTAINMENT: ["Pusat Hiburan", "Karaoke Keluarga", "Kafe dan Musik"],
    SiteType.BOARDING_AREA: ["Kawasan Kos", "Asrama Mahasiswa"],
    SiteType.TERMINAL: ["Terminal Bus", "Terminal Angkutan Kota", "Stasiun"],
}
POPULATION = {  # kind, low, high
    "school": (PopulationKind.STUDENTS, 80, 1500),
    SiteType.UNIVERSITY: (PopulationKind.STUDENTS, 800, 30_000),
    SiteType.AIRPORT: (PopulationKind.PASSENGERS_PER_DAY, 2_000, 150_000),
    SiteType.SEAPORT: (PopulationKind.PASSENGERS_PER_DAY, 200, 20_000),
    SiteType.BORDER_POST: (PopulationKind.PASSENGERS_PER_DAY, 100, 3_000),
    SiteType.TERMINAL: (PopulationKind.PASSENGERS_PER_DAY, 500, 40_000),
    SiteType.VILLAGE: (PopulationKind.RESIDENTS, 800, 20_000),
    SiteType.HOTEL: (PopulationKind.STAFF, 10, 300),
    SiteType.GOVERNMENT: (PopulationKind.STAFF, 20, 500),
    SiteType.WORKPLACE: (PopulationKind.STAFF, 50, 5_000),
    SiteType.ENTERTAINMENT: (PopulationKind.STAFF, 10, 150),
    SiteType.BOARDING_AREA: (PopulationKind.RESIDENTS, 50, 2_000),
    SiteType.COMMUNITY: (PopulationKind.RESIDENTS, 30, 1_000),
}


class _Planner:
    """The rows of one demo build, from a seeded generator and the regions table."""

    def __init__(self, seed: int, scale: str):
        self.rng = random.Random(f"cegah-sites-{seed}")
        self.scale = scale
        self.districts = list(
            Region.objects.filter(level=Region.Level.DISTRICT)
            .order_by("code")
            .values_list("code", "name")
        )
        self.by_province: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, name in self.districts:
            self.by_province[code[:2]].append((code, name))
        self.serials: dict[tuple, int] = defaultdict(int)
        self.npsn: dict[str, int] = defaultdict(int)
        self.rows: list[dict] = []

    def _population(self, key) -> dict:
        kind, low, high = POPULATION[key]
        return {"population_served": self.rng.randint(low, high), "population_kind": kind}

    def _named(self, stem: str, district: tuple[str, str]) -> str:
        """'<stem> <district>', numbered from the second one on, so names stay unique."""
        key = (stem, district[0])
        self.serials[key] += 1
        n = self.serials[key]
        return f"{stem} {district[1]}" if n == 1 else f"{stem} {district[1]} {n}"

    def real_places(self) -> None:
        for kind, code, name, regency, _regency_name in all_places():
            self.rows.append(
                {
                    "site_type": kind,
                    "name": name,
                    "region_code": regency,
                    "official_id": code,
                    **self._population(kind),
                }
            )

    def villages(self, count: int) -> None:
        codes = list(
            Region.objects.filter(level=Region.Level.VILLAGE)
            .order_by("code")
            .values_list("code", "name", "kind")
        )
        for code, name, kind in sorted(self.rng.sample(codes, min(count, len(codes)))):
            prefix = "Kelurahan" if kind == "kelurahan" else "Desa"
            self.rows.append(
                {
                    "site_type": SiteType.VILLAGE,
                    "name": f"{prefix} {name}",
                    "region_code": code,
                    "official_id": code,
                    **self._population(SiteType.VILLAGE),
                }
            )

    def synthetic(self, site_type: str, district: tuple[str, str]) -> None:
        row = {"site_type": site_type, "region_code": district[0], "address": SYNTHETIC}
        if site_type in SCHOOL_PREFIX:
            key = (site_type, district[0])
            self.serials[key] += 1
            row["name"] = f"{SCHOOL_PREFIX[site_type]} {self.serials[key]} {district[1]}"
        elif site_type == SiteType.PESANTREN:
            row["name"] = self._named(
                f"Pondok Pesantren {self.rng.choice(PESANTREN_NAMES)}", district
            )
        else:
            row["name"] = self._named(self.rng.choice(THEMES[site_type]), district)
        if site_type in SCHOOL_PREFIX or site_type == SiteType.PESANTREN:
            province = district[0][:2]
            self.npsn[province] += 1
            row["official_id"] = f"9{province}{self.npsn[province]:05d}"
            row.update(self._population("school"))
        elif site_type in POPULATION:
            row.update(self._population(site_type))
        self.rows.append(row)

    def school_type(self) -> str:
        return self.rng.choices([t for t, _w in SCHOOL_MIX], [w for _t, w in SCHOOL_MIX])[0]

    def plan(self) -> list[dict]:
        total = TOTAL[self.scale]
        factor = total // TOTAL["small"]
        self.real_places()
        self.villages(MIX[SiteType.VILLAGE] * factor)
        for site_type, count in MIX.items():
            if site_type == SiteType.VILLAGE:
                continue
            for _ in range(count * factor):
                self.synthetic(site_type, self.rng.choice(self.districts))
        for regency, count in FOCUS.items():
            local = [d for d in self.districts if d[0].startswith(regency + ".")]
            for _ in range(count * factor):
                self.synthetic(self.school_type(), self.rng.choice(local))
        # Every province gets schools first; the rest fall on districts at random.
        for province in sorted(self.by_province):
            for _ in range(10 * factor):
                self.synthetic(self.school_type(), self.rng.choice(self.by_province[province]))
        remaining = total - len(DEMO_SITES) - len(self.rows)
        for _ in range(max(0, remaining)):
            self.synthetic(self.school_type(), self.rng.choice(self.districts))
        return self.rows


def plan_rows(seed: int, scale: str) -> list[dict]:
    """The rows a demo build registers (besides DEMO_SITES), the same for the same seed."""
    return _Planner(seed, scale).plan()


def _missing(rows: list[dict]) -> list[dict]:
    """The rows not registered yet, by (type, official id) or (type, name, region)."""
    by_id, by_name = set(), set()
    for site_type, official_id, name, region in Site.objects.values_list(
        "site_type", "official_id", "name", "region_id"
    ).iterator(chunk_size=10_000):
        if official_id:
            by_id.add((site_type, official_id))
        by_name.add((site_type, name, region))
    return [
        row
        for row in rows
        if not (
            (row["site_type"], row.get("official_id", "")) in by_id
            or (row["site_type"], row["name"], row["region_code"]) in by_name
        )
    ]


def build(ctx):
    for region_code, name, site_type, official_id in DEMO_SITES:
        if not Site.objects.filter(name=name).exists():
            create_site(
                None,
                name=name,
                site_type=site_type,
                region_code=region_code,
                official_id=official_id,
                population_served=ctx.rng.randint(300, 1500),
            )
    started = time.monotonic()
    rows = _missing(plan_rows(ctx.seed, ctx.scale))
    bar = ctx.progress(len(rows), "sites")
    try:
        bulk_create_sites(None, rows, batch_size=5_000, progress=bar)
    finally:
        bar.close()
    seconds = time.monotonic() - started
    ctx.summary.append(f"Sites: {Site.objects.count():,} ({len(rows):,} new in {seconds:.1f} s)")
