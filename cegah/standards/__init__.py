"""Prevention-system standards, site assessments and drug-prone area assessments.

Owns: versioned standards (a rubric per site type: weighted components with level
descriptors 0–4), assessments of a site against a published version (per-component
levels, evidence notes and private evidence files, draft → submitted → verified), the
overdue-review list, and the yearly drug-prone area (kawasan rawan narkoba) assessment of
villages with its configurable category rule.

Imports core, regions, accounts and sites (a verified assessment sets the site's status
through ``cegah.sites.services.set_assessment_status``). Must not import indicators,
analytics or exchange: they read this app, never the reverse.
"""
