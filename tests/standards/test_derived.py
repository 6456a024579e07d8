"""Sites, verified assessments and drug-prone areas as derived data values (issue 4,
item 5): what analytics answers follows every change, in the same transaction."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cegah.analytics.engine import analytics
from cegah.indicators import derived
from cegah.indicators.models import DataValue
from cegah.indicators.services import ValueRow, write_values
from cegah.sites.services import create_site, update_site
from cegah.standards import services
from cegah.standards.derived import quarter_end, quarters, site_values
from cegah.standards.models import MAIN_FIELDS, SUPPORTING_FIELDS
from tests.conftest import bearer
from tests.standards.helpers import submitted_assessment

SURABAYA, MALANG = "35.78", "35.73"


def current_quarter() -> str:
    today = timezone.localdate()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def stored(code, period, org_unit, coc="default"):
    """The derived value stored for an element, or None."""
    row = DataValue.objects.filter(
        data_element__code=code, period=period, org_unit=org_unit, coc=coc
    ).first()
    if row is None:
        return None
    assert row.source == DataValue.Source.DERIVED and row.status == "approved"
    return row.value


def coverage_from_api(client, user, ou=SURABAYA) -> dict:
    response = client.get(
        "/api/v1/analytics",
        {
            "dx": "FUNCTIONING_SYSTEM_COVERAGE;MEAN_MATURITY;SITES_FUNCTIONING.smp;"
            "SITES_REGISTERED",
            "pe": current_quarter(),
            "ou": ou,
        },
        **bearer(user),
    )
    assert response.status_code == 200, response.content
    return {row[0]: row[3:] for row in response.json()["rows"]}


@pytest.fixture
def second_surabaya_site(db):
    return create_site(
        None,
        name="SD Negeri Uji 2 Surabaya",
        site_type="sd",
        region_code="35.78.02",
        official_id="20599903",
    )


def test_a_verified_assessment_at_maturity_3_changes_functioning_coverage_in_analytics(
    client, surabaya_officer, surabaya_manager, jatim_manager, surabaya_site, second_surabaya_site
):
    before = coverage_from_api(client, surabaya_manager)
    assert before["SITES_REGISTERED"][0] == 2
    assert before["FUNCTIONING_SYSTEM_COVERAGE"] == [0, 0, 2]
    assert before["SITES_FUNCTIONING.smp"][0] == 0
    assert "MEAN_MATURITY" not in before  # no site assessed: no mean (0 / 0)

    assessment = submitted_assessment(
        surabaya_officer, surabaya_site, level=3, assessed_on=timezone.localdate()
    )
    assert coverage_from_api(client, surabaya_manager) == before  # submitted: does not count

    services.verify_assessment(surabaya_manager, assessment)
    surabaya_site.refresh_from_db()
    assert surabaya_site.functioning
    after = coverage_from_api(client, surabaya_manager)
    assert after["FUNCTIONING_SYSTEM_COVERAGE"] == [50, 1, 2]
    assert after["SITES_FUNCTIONING.smp"][0] == 1
    assert after["MEAN_MATURITY"] == [3, 3, 1]
    # The province rolls the regency up; the regency's user cannot ask for it.
    province = coverage_from_api(client, jatim_manager, ou="35")
    assert province["FUNCTIONING_SYSTEM_COVERAGE"] == [50, 1, 2]

    services.unverify_assessment(surabaya_manager, assessment, reason="Bukti tidak lengkap")
    assert coverage_from_api(client, surabaya_manager)["FUNCTIONING_SYSTEM_COVERAGE"] == [0, 0, 2]


def test_a_verified_assessment_below_3_is_assessed_but_not_functioning(
    surabaya_officer, surabaya_manager, surabaya_site
):
    assessment = submitted_assessment(
        surabaya_officer, surabaya_site, level=2, assessed_on=timezone.localdate()
    )
    services.verify_assessment(surabaya_manager, assessment)
    quarter = current_quarter()
    assert stored("SITES_ASSESSED", quarter, SURABAYA, "smp") == 1
    assert stored("MATURITY_SUM", quarter, SURABAYA, "smp") == 2
    assert stored("SITES_FUNCTIONING", quarter, SURABAYA, "smp") == 0
    assert stored("SCHOOL_SITES_REGISTERED", quarter, SURABAYA) == 1
    assert stored("SCHOOL_SITES_FUNCTIONING", quarter, SURABAYA) == 0


def test_each_quarter_counts_the_latest_verified_assessment_dated_by_its_end(
    surabaya_officer, surabaya_manager, surabaya_site, admin_user
):
    for day, level in ((datetime.date(2025, 3, 1), 2), (datetime.date(2025, 8, 1), 4)):
        services.verify_assessment(
            surabaya_manager,
            submitted_assessment(surabaya_officer, surabaya_site, level=level, assessed_on=day),
        )
    # Registered from its first verified assessment (it existed then), long before today.
    assert stored("SITES_REGISTERED", "2024Q4", SURABAYA, "smp") is None
    expected = {"2025Q1": (2, 0), "2025Q2": (2, 0), "2025Q3": (4, 1), "2025Q4": (4, 1)}
    for quarter, (maturity, functioning) in expected.items():
        assert stored("SITES_REGISTERED", quarter, SURABAYA, "smp") == 1
        assert stored("MATURITY_SUM", quarter, SURABAYA, "smp") == maturity
        assert stored("SITES_FUNCTIONING", quarter, SURABAYA, "smp") == functioning
    rows = analytics(admin_user, ["MEAN_MATURITY"], ["2025Q2", "2025Q3", "2025"], [SURABAYA])
    means = {row.pe: row.value for row in rows}
    # LAST: the year is its last quarter's value, not a sum over quarters.
    assert means == {"2025Q2": 2, "2025Q3": 4, "2025": 4}


def test_a_site_moved_to_another_regency_is_counted_there(
    surabaya_manager, admin_user, surabaya_site
):
    quarter = current_quarter()
    assert stored("SITES_REGISTERED", quarter, SURABAYA, "smp") == 1
    update_site(admin_user, surabaya_site, surabaya_site.version, region_id="35.73.01")
    assert stored("SITES_REGISTERED", quarter, SURABAYA, "smp") is None
    assert stored("SITES_REGISTERED", quarter, MALANG, "smp") == 1
    surabaya_site.refresh_from_db()
    update_site(admin_user, surabaya_site, surabaya_site.version, site_type="sma")
    assert stored("SITES_REGISTERED", quarter, MALANG, "smp") is None
    assert stored("SITES_REGISTERED", quarter, MALANG, "sma") == 1


def test_drug_prone_areas_by_category_and_recovered_per_year(admin_user, client):
    village = "35.78.01.1001"
    bahaya = {name: True for name in MAIN_FIELDS[:5] + SUPPORTING_FIELDS[:4]}
    services.record_drug_prone(admin_user, region_code=village, year=2024, answers=bahaya)
    assert stored("KAWASAN_RAWAN_BAHAYA", "2024", SURABAYA) == 1
    assert stored("KAWASAN_RAWAN_RECOVERED", "2024", SURABAYA) == 0
    services.record_drug_prone(admin_user, region_code=village, year=2025, answers={})
    assert stored("KAWASAN_RAWAN_ASSESSED", "2025", SURABAYA) == 1
    assert stored("KAWASAN_RAWAN_AMAN", "2025", SURABAYA) == 1
    assert stored("KAWASAN_RAWAN_BAHAYA", "2025", SURABAYA) == 0
    assert stored("KAWASAN_RAWAN_RECOVERED", "2025", SURABAYA) == 1
    response = client.get(
        "/api/v1/analytics",
        {"dx": "KAWASAN_RAWAN_RECOVERED_COUNT", "pe": "2024;2025", "ou": "35"},
        **bearer(admin_user),
    )
    assert {row[1]: row[3] for row in response.json()["rows"]} == {"2024": 0, "2025": 1}


def test_derived_elements_are_refused_by_the_write_path(admin_user):
    summary = write_values(
        admin_user, [ValueRow("SITES_REGISTERED", current_quarter(), SURABAYA, "9", coc="smp")]
    )
    assert summary.conflicts and "derived" in summary.conflicts[0].value


def test_rebuild_finds_nothing_to_change_after_incremental_updates(
    surabaya_officer, surabaya_manager, surabaya_site, second_surabaya_site, admin_user
):
    services.verify_assessment(
        surabaya_manager,
        submitted_assessment(
            surabaya_officer, surabaya_site, assessed_on=datetime.date(2024, 5, 2)
        ),
    )
    services.record_drug_prone(admin_user, region_code="35.78.01.1001", year=2025, answers={})
    rows = set(
        DataValue.objects.filter(source="derived").values_list(
            "data_element__code", "period", "org_unit", "coc", "value"
        )
    )
    assert len(rows) > 40
    assert derived.rebuild().total == 0
    # Values edited behind the services' back are put right by `cegah derive`.
    DataValue.objects.filter(source="derived", data_element__code="SITES_REGISTERED").update(
        value=7
    )
    call_command("derive", "--quiet")
    assert rows == set(
        DataValue.objects.filter(source="derived").values_list(
            "data_element__code", "period", "org_unit", "coc", "value"
        )
    )


def test_quarter_helpers():
    assert quarters((2025, 3), (2026, 2)) == [(2025, 3), (2025, 4), (2026, 1), (2026, 2)]
    assert quarter_end(2025, 4) == datetime.date(2025, 12, 31)
    assert quarter_end(2026, 1) == datetime.date(2026, 3, 31)


def test_registered_sites_without_assessments_count_from_their_registration(surabaya_site):
    today = timezone.localdate()
    values = site_values([SURABAYA], today=today)
    assert values == {
        ("SITES_REGISTERED", current_quarter(), SURABAYA, "smp"): 1,
        ("SITES_ASSESSED", current_quarter(), SURABAYA, "smp"): 0,
        ("SITES_FUNCTIONING", current_quarter(), SURABAYA, "smp"): 0,
        ("MATURITY_SUM", current_quarter(), SURABAYA, "smp"): 0.0,
        ("SCHOOL_SITES_REGISTERED", current_quarter(), SURABAYA, "default"): 1,
        ("SCHOOL_SITES_FUNCTIONING", current_quarter(), SURABAYA, "default"): 0,
    }
