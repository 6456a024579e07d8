"""The pages: standards for everyone to read and for national admins to version, the
assessment form with each level's descriptor, the review actions, the site page's block."""

import datetime
import re

from django.urls import reverse
from django.utils.html import escape

from cegah.standards import services
from cegah.standards.models import Assessment, Standard
from tests.conftest import client_for

from .helpers import submitted_assessment


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_standard_pages_show_components_levels_and_the_default_source(surabaya_officer):
    client = english(client_for(surabaya_officer))
    listing = client.get(reverse("standard-list")).content.decode()
    airport = Standard.objects.get(code="airport")
    assert reverse("standard-detail", args=[airport.pk]) in listing
    assert "editable default" in listing
    page = client.get(reverse("standard-detail", args=[airport.pk])).content.decode()
    assert "Reporting channel for suspicious goods and couriers" in page
    assert page.count('data-testid="component"') == 8
    assert "to verify" in page
    assert 'data-testid="copy"' not in page  # only national admins version standards
    assert client.post(reverse("standard-copy", args=[airport.pk])).status_code == 403


def test_admin_copies_edits_and_publishes_through_the_pages(admin_user):
    client = english(client_for(admin_user))
    school = Standard.objects.get(code="school")
    response = client.post(reverse("standard-copy", args=[school.pk]))
    draft = Standard.objects.get(code="school", version=2)
    assert response.url == reverse("standard-detail", args=[draft.pk])
    component = draft.components.get(code="monitoring")
    form = {name: getattr(component, name) for name in component.CONTENT_FIELDS}
    form["level_4_en"] = "Results published for parents every term"
    response = client.post(reverse("component-edit", args=[draft.pk, component.pk]), form)
    assert response.status_code == 302
    assert client.post(reverse("standard-publish", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published"
    assert services.current_standard("sd") == draft
    # The published page no longer offers edits, and the edit URL refuses.
    response = client.post(reverse("component-edit", args=[draft.pk, component.pk]), form)
    assert response.status_code == 200 and "published" in response.content.decode()


def test_assessment_form_shows_every_level_descriptor_and_saves_a_draft(
    surabaya_officer, surabaya_site
):
    client = english(client_for(surabaya_officer))
    url = reverse("assessment-create", args=[surabaya_site.pk])
    page = client.get(url).content.decode()
    standard = services.current_standard("smp")
    for component in standard.components.all():
        for level in range(5):
            assert escape(component.descriptor(level)) in page
    form = {"assessed_on": "2025-07-01", "summary": "Kunjungan lapangan"}
    form.update({f"level_{c.code}": 3 for c in standard.components.all()})
    form["level_policy"] = 4
    form["note_policy"] = "SK No. 12/2025"
    response = client.post(url, form)
    assessment = Assessment.objects.get()
    assert response.url == reverse("assessment-detail", args=[assessment.pk])
    assert (assessment.status, str(assessment.maturity)) == ("draft", "3.15")
    detail = client.get(response.url).content.decode()
    assert "SK No. 12/2025" in detail and 'data-testid="submit"' in detail

    client.post(reverse("assessment-submit", args=[assessment.pk]))
    assert Assessment.objects.get().status == "submitted"


def test_manager_verifies_on_the_page_and_the_site_page_shows_it(
    surabaya_officer, surabaya_manager, surabaya_site
):
    assessment = submitted_assessment(surabaya_officer, surabaya_site, level=4)
    manager = english(client_for(surabaya_manager))
    page = manager.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    assert 'data-testid="verify"' in page
    officer_page = (
        english(client_for(surabaya_officer))
        .get(reverse("assessment-detail", args=[assessment.pk]))
        .content.decode()
    )
    assert 'data-testid="verify"' not in officer_page

    manager.post(reverse("assessment-verify", args=[assessment.pk]), {"note": "Dokumen lengkap"})
    assessment.refresh_from_db()
    assert assessment.status == "verified" and assessment.verified_by == surabaya_manager
    site_page = manager.get(reverse("site-detail", args=[surabaya_site.pk])).content.decode()
    assert 'data-testid="site-assessments"' in site_page
    assert reverse("assessment-detail", args=[assessment.pk]) in site_page
    assert re.search(r"4[.,]00", site_page)


def test_refusals_are_messages_not_errors(surabaya_officer, surabaya_site):
    assessment = submitted_assessment(surabaya_officer, surabaya_site)
    client = english(client_for(surabaya_officer))
    response = client.post(reverse("assessment-verify", args=[assessment.pk]), follow=True)
    assert response.status_code == 200
    assert "Only managers" in response.content.decode()
    assert Assessment.objects.get().status == "submitted"


def test_only_the_assessor_opens_the_edit_form(surabaya_officer, surabaya_manager, surabaya_site):
    draft = services.create_assessment(
        surabaya_officer, surabaya_site, assessed_on=datetime.date(2025, 1, 1)
    )
    assert (
        client_for(surabaya_manager).get(reverse("assessment-edit", args=[draft.pk])).status_code
        == 403
    )
    assert (
        client_for(surabaya_officer).get(reverse("assessment-edit", args=[draft.pk])).status_code
        == 200
    )


def test_focal_point_sees_self_assessment_marked(focal_point, surabaya_site):
    client = english(client_for(focal_point))
    assert client.get(reverse("assessment-create", args=[surabaya_site.pk])).status_code == 200
    assessment = submitted_assessment(focal_point, surabaya_site)
    page = client.get(reverse("assessment-detail", args=[assessment.pk])).content.decode()
    assert 'data-testid="self-assessment"' in page
    assert 'data-testid="verify"' not in page
    listing = client.get(reverse("assessment-list") + "?self=1").content.decode()
    assert reverse("assessment-detail", args=[assessment.pk]) in listing


def test_lists_render(surabaya_manager):
    client = client_for(surabaya_manager)
    for name in (
        "assessment-list",
        "assessment-overdue",
        "drug-prone-list",
        "standard-list",
        "category-rule",
        "drug-prone-create",
    ):
        assert client.get(reverse(name)).status_code == 200, name
