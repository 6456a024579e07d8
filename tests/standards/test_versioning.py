"""Standards are versioned: national admins copy a version to a draft, edit it and publish
it; a published version, and any version an assessment used, never changes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cegah.core.changelog import history_for
from cegah.standards import services
from cegah.standards.models import Component, Standard

from .helpers import all_levels, verified_assessment


@pytest.fixture
def school_v1(db):
    return Standard.objects.get(code="school", version=1)


def _frozen(standard) -> dict:
    return {
        "standard": Standard.objects.filter(pk=standard.pk).values().get(),
        "components": list(Component.objects.filter(standard=standard).order_by("id").values()),
    }


def test_published_version_refuses_every_change(admin_user, school_v1):
    before = _frozen(school_v1)
    component = school_v1.components.first()
    attempts = [
        lambda: services.update_standard(admin_user, school_v1, name_en="Changed"),
        lambda: services.add_component(admin_user, school_v1, code="extra", weight=5),
        lambda: services.update_component(admin_user, component, level_3_en="Changed"),
        lambda: services.delete_component(admin_user, component),
        lambda: services.publish_standard(admin_user, school_v1),
        lambda: services.delete_draft(admin_user, school_v1),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="published"):
            attempt()
    assert _frozen(school_v1) == before


def test_version_used_by_an_assessment_never_changes_even_if_marked_draft(
    admin_user, surabaya_officer, surabaya_manager, surabaya_site, school_v1
):
    verified_assessment(surabaya_officer, surabaya_manager, surabaya_site)
    # Even if someone flipped the status in the database, the services still refuse.
    Standard.objects.filter(pk=school_v1.pk).update(status=Standard.Status.DRAFT)
    school_v1.refresh_from_db()
    before = _frozen(school_v1)
    with pytest.raises(ValidationError, match="used by an assessment"):
        services.update_component(
            admin_user, school_v1.components.first(), level_3_en="Rewritten history"
        )
    with pytest.raises(ValidationError, match="used by an assessment"):
        services.delete_draft(admin_user, school_v1)
    assert _frozen(school_v1) == before


def test_copy_edit_publish_makes_the_next_version_current(
    admin_user, surabaya_officer, surabaya_manager, surabaya_site, school_v1
):
    old = verified_assessment(surabaya_officer, surabaya_manager, surabaya_site)
    v1_before = _frozen(school_v1)

    draft = services.copy_standard(admin_user, school_v1)
    assert (draft.version, draft.status, draft.based_on_id) == (2, "draft", school_v1.pk)
    assert not draft.is_default
    assert draft.components.count() == school_v1.components.count()
    policy = draft.components.get(code="policy")
    services.update_component(admin_user, policy, weight=25, level_4_en="Reviewed twice a year")
    services.update_standard(admin_user, draft, name_en="School standard 2027")
    # Until it is published, new assessments still use version 1.
    assert services.current_standard("smp") == school_v1
    services.publish_standard(admin_user, draft)

    assert services.current_standard("smp").pk == draft.pk
    new = services.create_assessment(
        surabaya_officer,
        surabaya_site,
        assessed_on=datetime.date(2025, 6, 1),
        levels=all_levels(draft, 2),
    )
    assert new.standard_id == draft.pk
    # The old assessment and version 1 are exactly as they were.
    old.refresh_from_db()
    assert old.standard_id == school_v1.pk
    assert {s.component.standard_id for s in old.scores.select_related("component")} == {
        school_v1.pk
    }
    assert _frozen(school_v1) == v1_before
    assert [e.action for e in history_for(draft)] == ["update", "update", "update", "create"]


def test_only_one_draft_per_standard_at_a_time(admin_user, school_v1):
    draft = services.copy_standard(admin_user, school_v1)
    with pytest.raises(ValidationError, match="already a draft"):
        services.copy_standard(admin_user, school_v1)
    services.delete_draft(admin_user, draft)
    assert services.copy_standard(admin_user, school_v1).version == 2


def test_only_national_admins_copy_or_edit(surabaya_manager, jatim_manager, school_v1):
    for user in (surabaya_manager, jatim_manager):
        with pytest.raises(PermissionDenied):
            services.copy_standard(user, school_v1)
    assert Standard.objects.filter(code="school").count() == 1


def test_publishing_needs_six_to_ten_complete_components(admin_user, school_v1):
    draft = services.copy_standard(admin_user, school_v1)
    for component in list(draft.components.all())[:2]:
        services.delete_component(admin_user, component)
    with pytest.raises(ValidationError, match="6 to 10 components; this one has 5"):
        services.publish_standard(admin_user, draft)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_publishing_refuses_a_site_type_another_standard_covers(admin_user):
    draft = services.copy_standard(admin_user, Standard.objects.get(code="university"))
    services.update_standard(admin_user, draft, site_types=["university", "sma"])
    with pytest.raises(ValidationError, match="sma"):
        services.publish_standard(admin_user, draft)


def test_component_codes_stay_unique_within_a_version(admin_user, school_v1):
    draft = services.copy_standard(admin_user, school_v1)
    with pytest.raises(ValidationError):
        services.update_component(admin_user, draft.components.get(code="family"), code="policy")
