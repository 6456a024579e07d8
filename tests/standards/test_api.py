"""/api/v1/standards, /api/v1/assessments, /api/v1/drug-prone-assessments."""

import datetime

from cegah.standards.models import Assessment, DrugProneAssessment, Standard
from tests.conftest import bearer, client_for

from .helpers import submitted_assessment, verified_assessment
from .test_drug_prone import KEBRAON, answers, record


def api(user):
    client = client_for(user)
    client.logout()
    client.defaults.update(bearer(user))
    return client


def test_standards_list_and_detail_with_components(surabaya_manager):
    client = api(surabaya_manager)
    items = client.get("/api/v1/standards?site_type=airport").json()["items"]
    assert [(s["code"], s["version"], s["status"]) for s in items] == [("airport", 1, "published")]
    assert items[0]["is_default"] and "to verify" in items[0]["source_en"]
    detail = client.get(f"/api/v1/standards/{items[0]['id']}").json()
    codes = [c["code"] for c in detail["components"]]
    assert "reporting_channel" in codes and len(codes) == 8
    policy = detail["components"][0]
    assert [lvl["level"] for lvl in policy["levels"]] == [0, 1, 2, 3, 4]
    assert policy["levels"][3]["id"] and policy["levels"][3]["en"]
    assert sum(c["weight"] for c in detail["components"]) == 100


def test_drafts_are_for_national_admins_only(admin_user, surabaya_manager):
    from cegah.standards import services

    draft = services.copy_standard(admin_user, Standard.objects.get(code="school"))
    assert api(surabaya_manager).get(f"/api/v1/standards/{draft.pk}").status_code == 404
    assert draft.pk not in {
        s["id"] for s in api(surabaya_manager).get("/api/v1/standards?limit=100").json()["items"]
    }
    assert api(admin_user).get(f"/api/v1/standards/{draft.pk}").json()["status"] == "draft"


def test_assessments_list_is_scoped_and_filtered(
    surabaya_officer, surabaya_manager, malang_manager, surabaya_site
):
    verified = verified_assessment(surabaya_officer, surabaya_manager, surabaya_site, level=4)
    submitted = submitted_assessment(
        surabaya_officer, surabaya_site, assessed_on=datetime.date(2025, 5, 1)
    )
    rows = api(surabaya_manager).get(f"/api/v1/assessments?site={surabaya_site.pk}").json()
    assert {r["id"] for r in rows["items"]} == {verified.pk, submitted.pk}
    rows = api(surabaya_manager).get("/api/v1/assessments?status=verified").json()["items"]
    assert [(r["id"], r["maturity"], r["functioning"], r["verified_by"]) for r in rows] == [
        (verified.pk, 4.0, True, "surabaya")
    ]
    assert rows[0]["levels"]["policy"] == 4 and rows[0]["site_code"] == surabaya_site.code
    assert api(malang_manager).get("/api/v1/assessments").json()["items"] == []
    assert api(malang_manager).get(f"/api/v1/assessments/{verified.pk}").status_code == 404


def test_post_assessment_creates_a_draft_against_the_current_standard(
    surabaya_officer, surabaya_site
):
    response = api(surabaya_officer).post(
        "/api/v1/assessments",
        {
            "site": surabaya_site.pk,
            "assessed_on": "2025-08-17",
            "levels": {"policy": 3, "family": 2},
            "notes": {"policy": "SK kepala sekolah"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["standard_code"], body["next_review_due"]) == (
        "draft",
        "school",
        "2026-08-17",
    )
    assert body["levels"]["policy"] == 3 and body["levels"]["cadres"] is None
    assessment = Assessment.objects.get(pk=body["id"])
    assert assessment.scores.get(component__code="policy").note == "SK kepala sekolah"


def test_post_assessment_out_of_scope_or_invalid(
    malang_manager, surabaya_officer, surabaya_site, jatim_viewer
):
    out = api(malang_manager).post(
        "/api/v1/assessments",
        {"site": surabaya_site.pk, "assessed_on": "2025-01-01"},
        content_type="application/json",
    )
    assert out.status_code == 404
    bad = api(surabaya_officer).post(
        "/api/v1/assessments",
        {"site": surabaya_site.pk, "assessed_on": "2025-01-01", "levels": {"weather": 2}},
        content_type="application/json",
    )
    assert bad.status_code == 422 and "weather" in str(bad.json()["detail"])
    viewer = api(jatim_viewer).post(
        "/api/v1/assessments",
        {"site": surabaya_site.pk, "assessed_on": "2025-01-01"},
        content_type="application/json",
    )
    assert viewer.status_code == 403
    assert not Assessment.objects.exists()


def test_post_drug_prone_computes_the_category(surabaya_officer):
    response = api(surabaya_officer).post(
        "/api/v1/drug-prone-assessments",
        {
            "region": KEBRAON,
            "year": 2024,
            "answers": answers(5, 4),
            "notes": {"main_dealers": "2 bandar ditangkap"},
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["category"],
        body["main_count"],
        body["supporting_count"],
        body["rule_version"],
    ) == ("bahaya", 5, 4, 1)
    assert body["answers"]["main_drug_crime"] is True
    later = (
        api(surabaya_officer)
        .post(
            "/api/v1/drug-prone-assessments",
            {"region": KEBRAON, "year": 2025, "answers": answers(1, 0)},
            content_type="application/json",
        )
        .json()
    )
    assert (later["category"], later["previous_category"], later["recovered"]) == (
        "siaga",
        "bahaya",
        True,
    )


def test_post_drug_prone_needs_all_thirteen_answers(surabaya_officer):
    partial = {k: v for k, v in answers(1, 0).items() if k != "sup_poverty"}
    response = api(surabaya_officer).post(
        "/api/v1/drug-prone-assessments",
        {"region": KEBRAON, "year": 2025, "answers": partial},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not DrugProneAssessment.objects.exists()


def test_drug_prone_api_is_scoped(surabaya_officer, malang_manager):
    obj = record(surabaya_officer, 2025, 1, 0)
    assert api(malang_manager).get(f"/api/v1/drug-prone-assessments/{obj.pk}").status_code == 404
    assert api(malang_manager).get("/api/v1/drug-prone-assessments").json()["items"] == []
    rows = api(surabaya_officer).get("/api/v1/drug-prone-assessments?year=2025").json()["items"]
    assert [r["id"] for r in rows] == [obj.pk]
    response = api(malang_manager).post(
        "/api/v1/drug-prone-assessments",
        {"region": KEBRAON, "year": 2024, "answers": answers(0, 0)},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "jurisdiction" in str(response.json()["detail"]) or "wilayah" in str(
        response.json()["detail"]
    )
    assert DrugProneAssessment.objects.count() == 1
