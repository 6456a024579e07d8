"""The site edit form's POST data, shared by tests that edit sites through the web."""


def site_form_data(site, **changes) -> dict:
    """What the edit form posts for ``site`` as loaded now, with ``changes`` typed in."""
    form = {
        "name": site.name,
        "site_type": site.site_type,
        "region_code": site.region_id,
        "official_id": site.official_id,
        "address": site.address,
        "population_served": site.population_served or "",
        "version": site.version,
    }
    form.update(changes)
    return form
