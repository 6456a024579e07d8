"""Assessments: weighted maturity, the functioning threshold, who may verify, focal-point
self-assessments, the site's status after (un)verification, review dates."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cegah.core.scope import Roles
from cegah.sites.models import Site
from cegah.sites.services import create_site
from cegah.standards import queries, services
from cegah.standards.models import Assessment, Standard
from tests.conftest import make_user

from .helpers import submitted_assessment, verified_assessment

# The school standard's components and weights (sum 100).
SCHOOL_WEIGHTS = {
    "policy": 15,
    "skills_education": 20,
    "early_detection": 15,
    "family": 15,
    "cadres": 15,
    "environment": 10,
    "monitoring": 10,
}


def test_maturity_is_the_weighted_mean_of_levels_to_two_decimals(surabaya_officer, surabaya_site):
    levels = {
        "policy": 4,
        "skills_education": 3,
        "early_detection": 2,
        "family": 1,
        "cadres": 3,
        "environment": 0,
        "monitoring": 2,
    }
    assessment = services.create_assessment(
        surabaya_officer, surabaya_site, assessed_on=datetime.date(2025, 2, 1), levels=levels
    )
    expected = sum(SCHOOL_WEIGHTS[c] * level for c, level in levels.items()) / Decimal(100)
    assert expected == Decimal("2.30")
    assert assessment.maturity == Decimal("2.30")
    # Not the plain mean of the levels (15/7 = 2.14).
    assert assessment.maturity != round(Decimal(sum(levels.values())) / 7, 2)


def test_weighted_maturity_rounds_half_up_and_waits_for_every_level():
    assert services.weighted_maturity([(1, 3), (2, 2)]) == Decimal("2.33")
    assert services.weighted_maturity([(3, 3), (5, 2), (0.5, 4)]) == Decimal("2.47")
    assert services.weighted_maturity([(1, 3), (1, None)]) is None


def test_functioning_needs_verification_and_maturity_of_at_least_three(
    surabaya_officer, surabaya_manager, surabaya_site
):
    just_below = {**{c: 3 for c in SCHOOL_WEIGHTS}, "environment": 2}  # 2.90
    low = verified_assessment(surabaya_officer, surabaya_manager, surabaya_site, levels=just_below)
    assert low.maturity == Decimal("2.90") and not low.functioning
    site = Site.objects.get(pk=surabaya_site.pk)
    assert (site.maturity, site.functioning) == (Decimal("2.90"), False)

    exactly_three = submitted_assessment(
        surabaya_officer, surabaya_site, level=3, assessed_on=datetime.date(2025, 9, 1)
    )
    assert exactly_three.maturity == Decimal("3.00")
    assert not exactly_three.functioning  # submitted does not count
    assert Site.objects.get(pk=surabaya_site.pk).functioning is False

    services.verify_assessment(surabaya_manager, exactly_three)
    exactly_three.refresh_from_db()
    assert exactly_three.functioning
    site = Site.objects.get(pk=surabaya_site.pk)
    assert (site.maturity, site.functioning) == (Decimal("3.00"), True)
    assert site.last_assessed_on == datetime.date(2025, 9, 1)
    assert site.next_review_due == datetime.date(2026, 9, 1)


def test_submit_needs_every_component_rated(surabaya_officer, surabaya_site):
    assessment = services.create_assessment(
        surabaya_officer,
        surabaya_site,
        assessed_on=datetime.date(2025, 2, 1),
        levels={"policy": 3},
    )
    assert assessment.maturity is None
    with pytest.raises(ValidationError, match="Missing"):
        services.submit_assessment(surabaya_officer, assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == "draft"


def test_assessor_cannot_verify_their_own(surabaya_manager, surabaya_site):
    assessment = submitted_assessment(surabaya_manager, surabaya_site)
    with pytest.raises(PermissionDenied, match="own assessment"):
        services.verify_assessment(surabaya_manager, assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"


def test_officers_and_viewers_do_not_verify(surabaya_officer, jatim_viewer, surabaya_site):
    other_officer = make_user("dayamas.surabaya", Roles.OFFICER, "BNNK-35.78")
    assessment = submitted_assessment(surabaya_officer, surabaya_site)
    for user in (other_officer, jatim_viewer):
        with pytest.raises(PermissionDenied, match="managers"):
            services.verify_assessment(user, assessment)


def test_verifier_from_the_same_or_a_higher_office(
    surabaya_officer, surabaya_manager, jatim_manager, admin_user, malang_manager, surabaya_site
):
    for verifier in (surabaya_manager, jatim_manager, admin_user):
        assessment = submitted_assessment(surabaya_officer, surabaya_site)
        assert services.verifier_problem(verifier, assessment) is None
        services.verify_assessment(verifier, assessment)
    assessment = submitted_assessment(surabaya_officer, surabaya_site)
    with pytest.raises(PermissionDenied, match="outside your jurisdiction"):
        services.verify_assessment(malang_manager, assessment)


def test_a_regency_manager_cannot_verify_a_province_officers_assessment(
    surabaya_manager, jatim_manager, surabaya_site
):
    province_officer = make_user("cegah.jatim", Roles.OFFICER, "BNNP-35")
    assessment = submitted_assessment(province_officer, surabaya_site)
    with pytest.raises(PermissionDenied, match="assessor's office or a higher one"):
        services.verify_assessment(surabaya_manager, assessment)
    services.verify_assessment(jatim_manager, assessment)


def test_focal_point_self_assessment_is_marked_and_never_self_verified(
    focal_point, surabaya_manager, surabaya_site
):
    assessment = submitted_assessment(focal_point, surabaya_site)
    assert assessment.self_assessment
    with pytest.raises(PermissionDenied, match="focal point cannot verify"):
        services.verify_assessment(focal_point, assessment)
    with pytest.raises(PermissionDenied, match="focal point cannot verify"):
        services.return_assessment(focal_point, assessment, "try")
    services.verify_assessment(surabaya_manager, assessment)
    assert Assessment.objects.get(pk=assessment.pk).status == "verified"
    assert Site.objects.get(pk=surabaya_site.pk).maturity == Decimal("3.00")


def test_focal_point_verifies_nothing_and_assesses_only_their_own_site(
    focal_point, surabaya_officer, surabaya_site
):
    other = create_site(None, name="SD Lain", site_type="sd", region_code="35.78.02")
    officers = submitted_assessment(surabaya_officer, surabaya_site)
    with pytest.raises(PermissionDenied, match="focal point cannot verify"):
        services.verify_assessment(focal_point, officers)
    with pytest.raises(PermissionDenied, match="outside your jurisdiction"):
        services.create_assessment(focal_point, other, assessed_on=datetime.date(2025, 1, 1))


def test_only_the_assessor_edits_or_submits_a_draft(
    surabaya_officer, surabaya_manager, surabaya_site
):
    draft = services.create_assessment(
        surabaya_officer, surabaya_site, assessed_on=datetime.date(2025, 2, 1)
    )
    with pytest.raises(PermissionDenied):
        services.update_assessment(surabaya_manager, draft, draft.version, levels={"policy": 4})
    with pytest.raises(PermissionDenied):
        services.submit_assessment(surabaya_manager, draft)


def test_stale_edit_is_a_conflict(surabaya_officer, surabaya_site):
    from cegah.core.versioning import ConflictError

    draft = services.create_assessment(
        surabaya_officer, surabaya_site, assessed_on=datetime.date(2025, 2, 1)
    )
    services.update_assessment(surabaya_officer, draft, draft.version, levels={"policy": 2})
    with pytest.raises(ConflictError):
        services.update_assessment(surabaya_officer, draft, draft.version, levels={"policy": 4})
    assert draft.scores.get(component__code="policy").level == 2


def test_latest_verified_assessment_wins_and_unverify_falls_back(
    surabaya_officer, surabaya_manager, surabaya_site
):
    older = verified_assessment(
        surabaya_officer,
        surabaya_manager,
        surabaya_site,
        level=2,
        assessed_on=datetime.date(2024, 3, 1),
    )
    newer = verified_assessment(
        surabaya_officer,
        surabaya_manager,
        surabaya_site,
        level=4,
        assessed_on=datetime.date(2025, 3, 1),
    )
    # Verifying an older assessment afterwards does not override the newer one.
    late = verified_assessment(
        surabaya_officer,
        surabaya_manager,
        surabaya_site,
        level=1,
        assessed_on=datetime.date(2023, 3, 1),
    )
    site = Site.objects.get(pk=surabaya_site.pk)
    assert (site.maturity, site.functioning) == (Decimal("4.00"), True)

    with pytest.raises(ValidationError):
        services.unverify_assessment(surabaya_manager, newer, "  ")
    services.unverify_assessment(surabaya_manager, newer, "Evidence was from another school")
    site = Site.objects.get(pk=surabaya_site.pk)
    assert (site.maturity, site.functioning) == (Decimal("2.00"), False)
    assert site.last_assessed_on == older.assessed_on
    assert Assessment.objects.get(pk=newer.pk).status == "submitted"

    for assessment in (older, late):
        services.unverify_assessment(surabaya_manager, assessment, "re-check")
    site = Site.objects.get(pk=surabaya_site.pk)
    assert (site.maturity, site.functioning, site.last_assessed_on) == (None, False, None)


def test_return_sends_a_submitted_assessment_back_to_draft(
    surabaya_officer, surabaya_manager, surabaya_site
):
    assessment = submitted_assessment(surabaya_officer, surabaya_site)
    services.return_assessment(surabaya_manager, assessment, "Add the policy document")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.review_note) == ("draft", "Add the policy document")
    services.update_assessment(
        surabaya_officer, assessment, assessment.version, levels={"policy": 4}
    )
    services.submit_assessment(surabaya_officer, assessment)


def test_next_review_defaults_to_twelve_months(surabaya_officer, surabaya_site):
    assessment = services.create_assessment(
        surabaya_officer, surabaya_site, assessed_on=datetime.date(2024, 2, 29)
    )
    assert assessment.next_review_due == datetime.date(2025, 2, 28)
    assert services.add_months(datetime.date(2025, 11, 30), 3) == datetime.date(2026, 2, 28)
    with pytest.raises(ValidationError, match="after the assessment date"):
        services.create_assessment(
            surabaya_officer,
            surabaya_site,
            assessed_on=datetime.date(2025, 1, 1),
            next_review_due=datetime.date(2024, 12, 1),
        )


def test_assessment_date_cannot_be_in_the_future(surabaya_officer, surabaya_site):
    with pytest.raises(ValidationError, match="future"):
        services.create_assessment(
            surabaya_officer,
            surabaya_site,
            assessed_on=datetime.date.today() + datetime.timedelta(days=2),
        )


def test_levels_must_be_zero_to_four_for_components_of_the_standard(
    surabaya_officer, surabaya_site
):
    for levels in ({"policy": 5}, {"policy": -1}, {"no_such_component": 2}, {"policy": True}):
        with pytest.raises(ValidationError):
            services.create_assessment(
                surabaya_officer,
                surabaya_site,
                assessed_on=datetime.date(2025, 1, 1),
                levels=levels,
            )
    assert not Assessment.objects.exists()


def test_viewers_cannot_assess(jatim_viewer, surabaya_site):
    with pytest.raises(PermissionDenied):
        services.create_assessment(
            jatim_viewer, surabaya_site, assessed_on=datetime.date(2025, 1, 1)
        )


def test_a_site_type_without_a_standard_cannot_be_assessed(surabaya_officer):
    area = create_site(
        None, name="Kos-kosan Demo", site_type="boarding_area", region_code="35.78.01"
    )
    with pytest.raises(ValidationError, match="no published standard"):
        services.create_assessment(surabaya_officer, area, assessed_on=datetime.date(2025, 1, 1))


def test_an_assessment_can_use_an_older_published_version_but_not_a_draft(
    admin_user, surabaya_officer, surabaya_site
):
    v1 = Standard.objects.get(code="school", version=1)
    draft = services.copy_standard(admin_user, v1)
    with pytest.raises(ValidationError, match="published standard"):
        services.create_assessment(
            surabaya_officer,
            surabaya_site,
            assessed_on=datetime.date(2025, 1, 1),
            standard=draft,
        )
    village = Standard.objects.get(code="village")
    with pytest.raises(ValidationError, match="published standard"):
        services.create_assessment(
            surabaya_officer,
            surabaya_site,
            assessed_on=datetime.date(2025, 1, 1),
            standard=village,
        )


def test_overdue_list_holds_each_sites_latest_verified_assessment_past_due(
    surabaya_officer, surabaya_manager, surabaya_site, malang_site, malang_manager
):
    old = verified_assessment(
        surabaya_officer, surabaya_manager, surabaya_site, assessed_on=datetime.date(2023, 1, 10)
    )
    today = datetime.date(2024, 6, 1)
    assert list(queries.overdue_reviews(surabaya_manager, today=today)) == [old]
    # A newer verified assessment (not yet due) takes the site off the list …
    verified_assessment(
        surabaya_officer, surabaya_manager, surabaya_site, assessed_on=datetime.date(2024, 1, 10)
    )
    assert list(queries.overdue_reviews(surabaya_manager, today=today)) == []
    # … a draft or submitted one does not.
    other = create_site(None, name="SMA Lain", site_type="sma", region_code="35.78.02")
    due = verified_assessment(
        surabaya_officer, surabaya_manager, other, assessed_on=datetime.date(2023, 2, 1)
    )
    submitted_assessment(surabaya_officer, other, assessed_on=datetime.date(2024, 2, 1))
    assert list(queries.overdue_reviews(surabaya_manager, today=today)) == [due]
    assert list(queries.overdue_reviews(malang_manager, today=today)) == []


def test_every_write_is_in_the_change_log(surabaya_officer, surabaya_manager, surabaya_site):
    from cegah.core.changelog import history_for

    assessment = verified_assessment(surabaya_officer, surabaya_manager, surabaya_site)
    entries = list(history_for(assessment))
    assert [(e.action, e.username) for e in reversed(entries)] == [
        ("create", "cegah.surabaya"),
        ("update", "cegah.surabaya"),
        ("update", "surabaya"),
    ]
    assert entries[0].after["status"] == "verified"
    assert entries[-1].after["levels"]["policy"] == 3
    assert entries[0].region_code == "35.78.01"
