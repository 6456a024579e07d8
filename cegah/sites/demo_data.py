"""Demo step: a handful of sites per demo regency (issue-level demo data grows later)."""

from .models import Site, SiteType
from .services import create_site

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
    ctx.summary.append(f"Sites: {Site.objects.count():,}")
