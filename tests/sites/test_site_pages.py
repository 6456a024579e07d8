"""The site page (profile, coordinates, focal points, maturity over time, history) and the
create/edit form (coordinates and population; the assessment status only shown)."""

import datetime
import json
from decimal import Decimal

from django.urls import reverse

from cegah.core.scope import Roles
from cegah.sites.models import Site
from cegah.sites.services import set_assessment_status, update_site
from tests.conftest import client_for, make_user
from tests.sites.helpers import site_form_data


def test_site_page_shows_coordinates_and_focal_points(surabaya_manager, surabaya_site, focal_point):
    update_site(surabaya_manager, surabaya_site, 1, latitude="-7.31", longitude="112.72")
    former = make_user("mantan.sekolah", Roles.FOCAL_POINT, site=surabaya_site)
    former.is_active = False
    former.save(update_fields=["is_active"])
    page = client_for(surabaya_manager).get(reverse("site-detail", args=[surabaya_site.pk]))
    html = page.content.decode()
    assert "-7.31, 112.72" in html
    assert [u.username for u in page.context["focal_points"]] == ["sekolah.surabaya"]
    assert "mantan.sekolah" not in html


def test_maturity_trajectory_follows_the_verified_assessments(surabaya_manager, surabaya_site):
    client = client_for(surabaya_manager)
    url = reverse("site-detail", args=[surabaya_site.pk])
    assert client.get(url).context["trajectory"] == []
    assert 'data-testid="no-trajectory"' in client.get(url).content.decode()

    set_assessment_status(surabaya_site, 1.5, False, datetime.date(2024, 5, 1), None)
    set_assessment_status(surabaya_site, 2.25, False, datetime.date(2025, 5, 1), None)
    set_assessment_status(surabaya_site, 2.5, False, datetime.date(2025, 5, 1), None)  # corrected
    set_assessment_status(surabaya_site, 3.4, True, datetime.date(2026, 5, 1), None)
    update_site(surabaya_manager, surabaya_site, 1, address="Jl. Baru")  # not an assessment

    page = client.get(url)
    expected = [
        {"date": "2024-05-01", "maturity": 1.5, "functioning": False},
        {"date": "2025-05-01", "maturity": 2.5, "functioning": False},
        {"date": "2026-05-01", "maturity": 3.4, "functioning": True},
    ]
    assert page.context["trajectory"] == expected
    html = page.content.decode()
    start = html.index('<script id="maturity-trajectory" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    assert json.loads(body) == expected
    assert "vendor/echarts/echarts.min.js" in html
    assert "cegah/sites.js" in html


def test_site_page_has_the_assessments_block(surabaya_manager, surabaya_site):
    html = (
        client_for(surabaya_manager)
        .get(reverse("site-detail", args=[surabaya_site.pk]))
        .content.decode()
    )
    assert "=== Assessments of this site" not in html  # template comments stay server-side
    assert 'data-testid="site-assessments"' in html  # the placeholder until standards fills it


def test_form_sets_coordinates_and_population_and_shows_status_read_only(
    surabaya_manager, surabaya_site
):
    set_assessment_status(surabaya_site, 3.2, True, datetime.date(2026, 1, 10), None)
    client = client_for(surabaya_manager)
    url = reverse("site-edit", args=[surabaya_site.pk])
    form_page = client.get(url)
    assert 'data-testid="status-readonly"' in form_page.content.decode()
    assert "maturity" not in form_page.context["form"].fields

    posted = site_form_data(
        surabaya_site,
        latitude="-7,29",
        longitude="112.73",
        population_served="720",
        population_kind="students",
        maturity="0",
        functioning="",
    )
    assert client.post(url, posted).status_code == 302
    site = Site.objects.get(pk=surabaya_site.pk)
    assert (str(site.latitude), site.population_kind, site.maturity, site.functioning) == (
        "-7.290000",
        "students",
        Decimal("3.2"),
        True,
    )


def test_form_shows_field_errors_for_coordinates_and_identifier(surabaya_manager, surabaya_site):
    response = client_for(surabaya_manager).post(
        reverse("site-edit", args=[surabaya_site.pk]),
        site_form_data(surabaya_site, latitude="30", longitude="112", official_id="12"),
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"latitude", "official_id"}
    assert Site.objects.get(pk=surabaya_site.pk).latitude is None


def test_form_keeps_the_latitude_as_typed_when_editing(surabaya_manager, surabaya_site):
    update_site(surabaya_manager, surabaya_site, 1, latitude="-7.25", longitude="112.5")
    form = (
        client_for(surabaya_manager)
        .get(reverse("site-edit", args=[surabaya_site.pk]))
        .context["form"]
    )
    assert (form["latitude"].value(), form["longitude"].value()) == ("-7.25", "112.5")
