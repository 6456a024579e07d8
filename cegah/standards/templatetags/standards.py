"""``{% site_assessments site %}``: the assessments card for a site's page.

The site registry must not import this app, so its detail template pulls the card in by
this tag: the site's assessments in the viewer's scope, newest first, and the button to
start one when the viewer may."""

from django import template

from .. import queries, services

register = template.Library()


@register.inclusion_tag("standards/site_assessments.html", takes_context=True)
def site_assessments(context, site, limit: int = 20):
    user = context["request"].user
    rows = list(queries.site_assessments(user, site)[:limit])
    return {
        "site": site,
        "assessments": rows,
        "can_assess": services.assess_problem(user, site) is None,
        "has_standard": services.current_standard(site.site_type) is not None,
        "request": context["request"],
    }
