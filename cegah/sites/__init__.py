"""Sites (kawasan / lembaga sasaran) where prevention systems are built.

Owns the site registry: the Site model (identity, type, region, coordinates, population,
official identifier checked per type, and the prevention-system status that only
``services.set_assessment_status`` writes, for the standards app), its one list filter
(``filters.SiteFilter``: page, API and export), the CSV/XLSX import and export, the
``cegah sites`` command and the demo's sites. Imports core, regions, the API's shared
schemas and, in its command, accounts; it must not import standards, indicators or
exchange (they build on it).
"""
