"""Drug-prone areas: the category rule (the published bahaya band and Cegah's defaults for
the others), versioned rule changes by national admins, recovery against the village's
previous year, scope by the village's code."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cegah.core.changelog import history_for
from cegah.standards import queries, services
from cegah.standards.models import (
    MAIN_FIELDS,
    SUPPORTING_FIELDS,
    CategoryRule,
    DrugProneAssessment,
)
from tests.conftest import client_for

KEBRAON = "35.78.01.1002"  # a kelurahan in Kota Surabaya
JEMUR = "35.78.02.1004"  # another
MALANG_VILLAGE = "35.73.01.1001"


def answers(main: int, supporting: int) -> dict:
    """The first ``main`` main and ``supporting`` supporting indicators answered yes."""
    result = {name: i < main for i, name in enumerate(MAIN_FIELDS)}
    result.update({name: i < supporting for i, name in enumerate(SUPPORTING_FIELDS)})
    return result


def record(user, year, main, supporting, region=KEBRAON):
    return services.record_drug_prone(
        user, region_code=region, year=year, answers=answers(main, supporting)
    )


@pytest.mark.parametrize(
    ("main", "supporting", "category"),
    [
        (5, 4, "bahaya"),  # the published rule: at least 5 main and 4 supporting
        (8, 5, "bahaya"),
        (5, 3, "waspada"),  # one supporting short of bahaya
        (4, 5, "waspada"),  # one main short of bahaya
        (3, 0, "waspada"),  # default: at least 3 main
        (2, 2, "siaga"),  # default: at least 1 main …
        (1, 0, "siaga"),
        (0, 3, "siaga"),  # … or at least 3 supporting
        (0, 2, "aman"),
        (0, 0, "aman"),
    ],
)
def test_default_rule(db, main, supporting, category):
    assert services.current_rule().categorise(main, supporting) == category


def test_recorded_assessment_counts_answers_and_takes_the_category(surabaya_officer):
    obj = record(surabaya_officer, 2024, 5, 4)
    assert (obj.main_count, obj.supporting_count, obj.category) == (5, 4, "bahaya")
    assert obj.rule.version == 1
    assert history_for(obj)[0].after["category"] == "bahaya"


def test_bahaya_to_siaga_is_recovered(surabaya_officer):
    record(surabaya_officer, 2024, 6, 4)
    later = record(surabaya_officer, 2025, 1, 1)
    assert (later.category, later.previous_category, later.recovered) == (
        "siaga",
        "bahaya",
        True,
    )


def test_the_same_or_a_worse_category_is_not_recovered(surabaya_officer):
    record(surabaya_officer, 2023, 1, 0)
    same = record(surabaya_officer, 2024, 2, 0)
    worse = record(surabaya_officer, 2025, 5, 4)
    assert (same.category, same.recovered) == ("siaga", False)
    assert (worse.category, worse.previous_category, worse.recovered) == (
        "bahaya",
        "siaga",
        False,
    )


def test_first_year_on_record_is_not_recovered(surabaya_officer):
    first = record(surabaya_officer, 2025, 0, 0)
    assert (first.previous_category, first.recovered) == ("", False)


def test_entering_an_earlier_year_afterwards_updates_the_later_one(surabaya_officer):
    later = record(surabaya_officer, 2025, 0, 0)
    assert not later.recovered
    record(surabaya_officer, 2024, 5, 4)
    later.refresh_from_db()
    assert (later.previous_category, later.recovered) == ("bahaya", True)


def test_editing_a_year_recategorises_it_and_its_successor(surabaya_officer):
    earlier = record(surabaya_officer, 2024, 5, 4)
    later = record(surabaya_officer, 2025, 1, 0)
    assert later.recovered
    services.update_drug_prone(surabaya_officer, earlier, earlier.version, answers=answers(0, 0))
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert earlier.category == "aman"
    assert (later.previous_category, later.recovered) == ("aman", False)


def test_compares_with_the_most_recent_earlier_year_on_record(surabaya_officer):
    record(surabaya_officer, 2021, 5, 4)
    record(surabaya_officer, 2023, 3, 0)
    latest = record(surabaya_officer, 2025, 3, 0)
    assert (latest.previous_category, latest.recovered) == ("waspada", False)


def test_one_assessment_per_village_and_year(surabaya_officer):
    record(surabaya_officer, 2025, 1, 0)
    with pytest.raises(ValidationError, match="already has an assessment"):
        record(surabaya_officer, 2025, 2, 0)


def test_only_villages_inside_the_jurisdiction(surabaya_officer):
    with pytest.raises(ValidationError, match="village/kelurahan code"):
        record(surabaya_officer, 2025, 1, 0, region="35.78.01")
    with pytest.raises(ValidationError, match="outside your jurisdiction"):
        record(surabaya_officer, 2025, 1, 0, region=MALANG_VILLAGE)
    with pytest.raises(ValidationError, match="Unknown region"):
        record(surabaya_officer, 2025, 1, 0, region="99.99.99.9999")
    assert not DrugProneAssessment.objects.exists()


def test_viewers_and_focal_points_do_not_record(jatim_viewer, focal_point):
    for user in (jatim_viewer, focal_point):
        with pytest.raises(PermissionDenied):
            record(user, 2025, 1, 0)


def test_years_after_this_one_are_refused(surabaya_officer):
    import datetime

    with pytest.raises(ValidationError, match="to this year"):
        record(surabaya_officer, datetime.date.today().year + 1, 1, 0)


def test_answers_are_yes_or_no(surabaya_officer):
    with pytest.raises(ValidationError):
        services.record_drug_prone(
            surabaya_officer, region_code=KEBRAON, year=2025, answers={"main_dealers": "ya"}
        )
    with pytest.raises(ValidationError, match="Unknown indicator"):
        services.record_drug_prone(
            surabaya_officer, region_code=KEBRAON, year=2025, answers={"main_weather": True}
        )


# --- The rule --------------------------------------------------------------------------


def test_admin_changes_the_rule_as_a_new_version(admin_user, surabaya_officer):
    before = record(surabaya_officer, 2024, 3, 0)
    assert before.category == "waspada"
    rule = services.change_rule(
        admin_user, note="BNN guidance 2026", waspada_min_main=3, waspada_min_supporting=2
    )
    assert rule.version == 2 and rule.band("bahaya") == (5, "and", 4)
    assert CategoryRule.objects.get(version=1).waspada_min_supporting == 0  # kept as it was
    # An assessment recorded earlier keeps its category and rule version …
    before.refresh_from_db()
    assert (before.category, before.rule.version) == ("waspada", 1)
    # … new ones use the new version.
    after = record(surabaya_officer, 2025, 3, 0)
    assert (after.category, after.rule.version) == ("siaga", 2)
    assert history_for(rule)[0].before["version"] == 1


def test_rule_changes_need_an_admin_a_reason_and_sane_thresholds(admin_user, surabaya_manager):
    with pytest.raises(PermissionDenied):
        services.change_rule(surabaya_manager, note="x", siaga_min_main=2)
    with pytest.raises(ValidationError) as error:
        services.change_rule(admin_user, note=" ", siaga_min_main=2)
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.change_rule(admin_user, note="typo", siaga_min_main=0, siaga_join="or")
    assert "siaga_min_main" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.change_rule(admin_user, note="typo", bahaya_min_main=9)
    assert CategoryRule.objects.count() == 1


# --- Lists and pages -------------------------------------------------------------------


def test_list_filters_and_scope(surabaya_officer, malang_manager, jatim_manager):
    from cegah.accounts.services import create_user
    from cegah.core.scope import Roles
    from cegah.regions.models import Office

    record(surabaya_officer, 2024, 5, 4)
    recovered = record(surabaya_officer, 2025, 1, 0)
    other = record(surabaya_officer, 2025, 0, 0, region=JEMUR)
    malang_officer = create_user(
        None,
        username="cegah.malang",
        password="x-Sangat-Rahasia-1",
        role=Roles.OFFICER,
        office=Office.objects.get(code="BNNK-35.73"),
        field_prevention=True,
    )
    malang = record(malang_officer, 2025, 5, 4, region=MALANG_VILLAGE)

    def ids(user, **filters):
        return {o.pk for o in queries.drug_prone_list(user, **filters)}

    assert ids(surabaya_officer, recovered=True) == {recovered.pk}
    assert ids(surabaya_officer, year=2025) == {recovered.pk, other.pk}
    assert ids(surabaya_officer, category="aman") == {other.pk}
    assert ids(surabaya_officer, region="35.78.02") == {other.pk}
    assert ids(malang_manager) == {malang.pk}
    assert ids(jatim_manager, year=2025, category="bahaya") == {malang.pk}
    counts = queries.drug_prone_counts(jatim_manager, year=2025)
    assert (counts["bahaya"], counts["siaga"], counts["aman"], counts["recovered"]) == (1, 1, 1, 1)


def test_pages_record_show_and_hide(surabaya_officer, malang_manager):
    client = client_for(surabaya_officer)
    form = {
        "region_code": KEBRAON,
        "year": 2024,
        **{k: "on" for k, v in answers(5, 4).items() if v},
    }
    response = client.post(reverse("drug-prone-create"), form)
    assert response.status_code == 302
    first = DrugProneAssessment.objects.get()
    assert first.category == "bahaya"
    response = client.post(
        reverse("drug-prone-create"),
        {"region_code": KEBRAON, "year": 2025, "main_users": "on", "note_main_users": "2 kasus"},
    )
    second = DrugProneAssessment.objects.get(year=2025)
    assert (second.category, second.recovered, second.notes) == (
        "siaga",
        True,
        {"main_users": "2 kasus"},
    )
    page = client.get(reverse("drug-prone-detail", args=[second.pk])).content.decode()
    assert 'data-testid="recovered"' in page and "2 kasus" in page
    listing = client.get(reverse("drug-prone-list") + "?recovered=1&year=2025").content.decode()
    assert reverse("drug-prone-detail", args=[second.pk]) in listing
    assert reverse("drug-prone-detail", args=[first.pk]) not in listing
    assert (
        client_for(malang_manager).get(reverse("drug-prone-detail", args=[second.pk])).status_code
        == 404
    )

    edit = {"year": 2025, "region_code": KEBRAON, "version": second.version}
    response = client.post(reverse("drug-prone-edit", args=[second.pk]), edit)
    second.refresh_from_db()
    assert (second.category, second.recovered, second.notes) == ("aman", True, {})


def test_rule_page_states_the_defaults_and_only_admins_change_it(admin_user, surabaya_manager):
    page = client_for(surabaya_manager).get(reverse("category-rule"))
    assert page.status_code == 200
    assert 'data-testid="rule-note"' in page.content.decode()
    assert 'data-testid="rule-form"' not in page.content.decode()
    assert client_for(surabaya_manager).post(reverse("category-rule"), {}).status_code == 403
    form = {f: getattr(services.current_rule(), f) for f in CategoryRule.FIELDS}
    form.update(siaga_min_supporting=2, note="Pedoman baru")
    response = client_for(admin_user).post(reverse("category-rule"), form)
    assert response.status_code == 302
    assert services.current_rule().siaga_min_supporting == 2
