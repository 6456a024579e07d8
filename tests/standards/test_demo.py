"""The demo step and the bulk services it writes through: deterministic for a seed, the
same rules as the forms, and history that shows progress."""

import datetime
import random

import pytest
from django.core.exceptions import ValidationError

from cegah.demo.registry import DemoContext
from cegah.sites.models import Site
from cegah.sites.services import create_site
from cegah.standards import demo_data, services
from cegah.standards.models import Assessment, ComponentScore, DrugProneAssessment
from cegah.standards.services import PastAssessment, PastDrugProne

from .test_drug_prone import KEBRAON, answers


@pytest.fixture
def demo_sites(surabaya_officer, surabaya_manager, malang_manager, jatim_manager, admin_user):
    sites = [
        create_site(None, name=f"SD Demo {n}", site_type="sd", region_code=code)
        for n, code in enumerate(["35.78.01", "35.78.02", "35.73.01", "35.15", "32.73", "11.71"])
    ]
    sites.append(create_site(None, name="Bandara Demo", site_type="airport", region_code="35.15"))
    return sites


def _ctx(seed=7):
    return DemoContext(seed=seed, scale="small", password="", rng=random.Random(seed))


def _snapshot():
    return sorted(
        Assessment.objects.values_list(
            "site__name",
            "assessed_on",
            "status",
            "maturity",
            "assessor__username",
            "verified_by__username",
        )
    ), sorted(DrugProneAssessment.objects.values_list("region_id", "year", "category"))


def test_demo_is_deterministic_follows_the_rules_and_does_not_repeat(demo_sites, monkeypatch):
    monkeypatch.setattr(demo_data, "VILLAGES", {"small": 40})
    monkeypatch.setattr(demo_data, "SHARE", {"small": 1.0})
    demo_data.build(_ctx())
    first = _snapshot()
    assert Assessment.objects.count() >= len(demo_sites)
    assert DrugProneAssessment.objects.count() >= 40 * 3
    for a in Assessment.objects.filter(status="verified").select_related("assessor", "site"):
        assert a.verified_by_id != a.assessor_id
        assert services.verifier_problem(a.verified_by, a) is None
    # Levels rise over the years for most sites: the latest maturity beats the first.
    rising = 0
    for site in Site.objects.filter(assessments__isnull=False).distinct():
        history = list(site.assessments.order_by("assessed_on").values_list("maturity", flat=True))
        rising += len(history) > 1 and history[-1] > history[0]
    assert rising > 0
    verified_sites = Site.objects.filter(assessments__status="verified").distinct()
    assert all(site.maturity is not None for site in verified_sites)

    demo_data.build(_ctx())  # re-run: nothing added
    assert _snapshot() == first

    ComponentScore.objects.all().delete()
    Assessment.objects.all().delete()
    DrugProneAssessment.objects.all().delete()
    demo_data.build(_ctx())
    assert _snapshot() == first


def test_bulk_assessments_refuse_a_self_verified_row_and_write_nothing(
    surabaya_officer, surabaya_manager, surabaya_site
):
    levels = {c.code: 3 for c in services.current_standard("smp").components.all()}
    fine = PastAssessment(
        surabaya_site, datetime.date(2024, 1, 5), surabaya_officer, levels, status="submitted"
    )
    self_verified = PastAssessment(
        surabaya_site,
        datetime.date(2025, 1, 5),
        surabaya_manager,
        levels,
        verifier=surabaya_manager,
    )
    with pytest.raises(ValidationError, match="2 .*own assessment"):
        services.bulk_create_past_assessments([fine, self_verified])
    assert not Assessment.objects.exists()


def test_bulk_assessments_replay_the_site_status_in_date_order(
    surabaya_officer, surabaya_manager, surabaya_site
):
    standard = services.current_standard("smp")
    rows = [
        PastAssessment(
            surabaya_site,
            datetime.date(year, 3, 1),
            surabaya_officer,
            {c.code: level for c in standard.components.all()},
            verifier=surabaya_manager,
        )
        for year, level in ((2025, 3), (2023, 1), (2024, 2))
    ]
    assert services.bulk_create_past_assessments(rows) == 3
    site = Site.objects.get(pk=surabaya_site.pk)
    assert (str(site.maturity), site.functioning, site.last_assessed_on) == (
        "3.00",
        True,
        datetime.date(2025, 3, 1),
    )
    from cegah.core.changelog import history_for

    steps = [e.after["maturity"] for e in reversed(history_for(site)) if e.action == "update"]
    assert steps == ["1.00", "2.00", "3.00"]


def test_bulk_drug_prone_computes_recovery_with_stored_years(surabaya_officer):
    services.record_drug_prone(
        surabaya_officer, region_code=KEBRAON, year=2025, answers=answers(1, 0)
    )
    services.bulk_record_drug_prone(
        [PastDrugProne(KEBRAON, 2023, answers(5, 4)), PastDrugProne(KEBRAON, 2024, answers(3, 1))]
    )
    rows = {o.year: o for o in DrugProneAssessment.objects.all()}
    assert [(rows[y].category, rows[y].recovered) for y in (2023, 2024, 2025)] == [
        ("bahaya", False),
        ("waspada", True),
        ("siaga", True),
    ]
    assert rows[2025].previous_category == "waspada"
    with pytest.raises(ValidationError, match="already has an assessment"):
        services.bulk_record_drug_prone([PastDrugProne(KEBRAON, 2024, answers(0, 0))])
    with pytest.raises(ValidationError, match="village"):
        services.bulk_record_drug_prone([PastDrugProne("35.78.01", 2024, answers(0, 0))])
