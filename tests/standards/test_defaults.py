"""The shipped standards and category rule: every family of site types, 6–10 weighted
components with real level descriptors in both languages, the trafficking side where
trafficking happens, marked as editable defaults with their source."""

from cegah.sites.models import SiteType
from cegah.standards.defaults import DEFAULT_STANDARDS, load_defaults
from cegah.standards.models import LEVELS, CategoryRule, Standard
from cegah.standards.services import current_standard

TRAFFICKING = {"reporting_channel", "coordination", "courier_awareness", "staff_screening"}


def test_every_listed_family_ships_one_published_version(db):
    codes = set(Standard.objects.filter(version=1).values_list("code", flat=True))
    assert codes == {
        "school",
        "university",
        "pesantren",
        "airport",
        "seaport",
        "border_post",
        "terminal",
        "tourist_area",
        "entertainment_hotel",
        "government",
        "workplace",
        "village",
    }
    assert set(Standard.objects.values_list("status", flat=True)) == {"published"}


def test_each_site_type_but_community_areas_finds_its_standard(db):
    uncovered = {t for t in SiteType.values if current_standard(t) is None}
    assert uncovered == {"boarding_area", "community"}
    for school in ("sd", "smp", "sma", "smk", "mi", "mts", "ma"):
        assert current_standard(school).code == "school"
    assert current_standard("hotel").code == current_standard("entertainment").code


def test_components_are_six_to_ten_weighted_with_five_distinct_levels_in_both_languages(db):
    for standard in Standard.objects.prefetch_related("components"):
        components = list(standard.components.all())
        assert 6 <= len(components) <= 10, standard.code
        assert sum(c.weight for c in components) == 100, standard.code
        for c in components:
            assert c.weight > 0 and c.name_id and c.name_en
            for lang in ("id", "en"):
                texts = [getattr(c, f"level_{n}_{lang}") for n in LEVELS]
                assert all(len(t) > 15 for t in texts), (standard.code, c.code, lang)
                assert len(set(texts)) == 5, (standard.code, c.code, lang)
                assert "{" not in "".join(texts), (standard.code, c.code, "unfilled placeholder")
            assert c.level_0_id != c.level_0_en


def test_transport_hubs_and_tourist_areas_carry_the_trafficking_side(db):
    for code in ("airport", "seaport", "border_post", "tourist_area"):
        standard = Standard.objects.get(code=code, version=1)
        assert TRAFFICKING <= set(standard.components.values_list("code", flat=True)), code
    airport = Standard.objects.get(code="airport").components.get(code="coordination")
    assert "Bea Cukai" in airport.description_id
    assert "customs" in airport.description_en
    seaport = Standard.objects.get(code="seaport").components.get(code="courier_awareness")
    assert "kontainer" in seaport.description_id


def test_schools_carry_policy_skills_education_detection_parents_cadres_monitoring(db):
    codes = set(Standard.objects.get(code="school").components.values_list("code", flat=True))
    assert {
        "policy",
        "skills_education",
        "early_detection",
        "family",
        "cadres",
        "monitoring",
    } <= codes
    skills = Standard.objects.get(code="school").components.get(code="skills_education")
    assert "UNODC/WHO" in skills.description_en


def test_desa_bersinar_uses_its_published_components(db):
    codes = set(Standard.objects.get(code="village").components.values_list("code", flat=True))
    assert codes == {
        "volunteers",
        "information_post",
        "plan_budget",
        "village_regulation",
        "official_urine_tests",
        "task_force",
        "recovery_agents",
    }


def test_defaults_are_marked_editable_with_their_source(db):
    for standard in Standard.objects.all():
        assert standard.is_default
        assert "to verify" in standard.source_en and "perlu diverifikasi" in standard.source_id


def test_loader_is_idempotent_and_leaves_admin_versions_alone(db):
    school = Standard.objects.get(code="school")
    Standard.objects.filter(pk=school.pk).update(name_en="Edited by an admin")
    assert load_defaults() == (0, False)
    assert Standard.objects.count() == len(DEFAULT_STANDARDS)
    assert Standard.objects.get(pk=school.pk).name_en == "Edited by an admin"


def test_the_loader_recreates_a_missing_family(db):
    Standard.objects.filter(code="terminal").delete()
    assert load_defaults() == (1, False)
    assert Standard.objects.get(code="terminal").components.count() == 7


def test_default_category_rule_is_version_one_with_the_published_bahaya_band(db):
    rule = CategoryRule.objects.get()
    assert (rule.version, rule.is_default) == (1, True)
    assert rule.band("bahaya") == (5, "and", 4)
