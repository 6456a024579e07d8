"""The default catalogue: every install has it (data migration), it is complete and
consistent, and loading it again neither duplicates anything nor undoes an admin's edit."""

import pytest

from cegah.core.models import ChangeLog
from cegah.indicators import catalogue, expressions
from cegah.indicators.catalogue import load_default_catalogue
from cegah.indicators.models import (
    DataElement,
    DataSet,
    DataSetElement,
    Indicator,
    ValidationRule,
)
from cegah.indicators.services import category_option_combos

pytestmark = pytest.mark.django_db


def _codes():
    return set(DataElement.objects.values_list("code", flat=True))


def test_migration_installed_the_whole_default_catalogue():
    """The test database is built by the migrations, so this is what a fresh install has."""
    assert DataElement.objects.count() >= 25
    assert Indicator.objects.count() >= 15
    assert set(DataElement.objects.values_list("code", flat=True)) >= {
        d.code for d in catalogue.DATA_ELEMENTS
    }
    assert set(Indicator.objects.values_list("code", flat=True)) >= {
        d.code for d in catalogue.INDICATORS
    }
    assert set(DataSet.objects.values_list("code", flat=True)) >= {
        "P2M_TRIWULAN",
        "SKRINING_BULANAN",
        "KOMITMEN_TAHUNAN",
    }
    assert ValidationRule.objects.count() >= len(catalogue.VALIDATION_RULES)


def test_every_entry_has_indonesian_and_english_names_and_definitions():
    for model in (DataElement, Indicator, DataSet, ValidationRule):
        for obj in model.objects.all():
            assert obj.name_id.strip() and obj.name_en.strip(), obj.code
            assert obj.definition_id.strip() and obj.definition_en.strip(), obj.code
            assert obj.definition_id != obj.definition_en, obj.code


def test_every_indicator_and_rule_expression_is_valid_against_the_catalogue():
    codes = _codes()
    for indicator in Indicator.objects.all():
        assert expressions.validate(indicator.numerator, codes), indicator.code
        expressions.validate(indicator.denominator, codes)
    for rule in ValidationRule.objects.all():
        assert expressions.validate(rule.left, codes), rule.code
        expressions.validate(rule.right, codes)


def test_every_data_element_is_used_by_an_indicator_or_a_data_set():
    used = set(DataSetElement.objects.values_list("data_element__code", flat=True))
    for indicator in Indicator.objects.all():
        used |= expressions.references(expressions.parse(indicator.numerator))
        used |= expressions.references(expressions.parse(indicator.denominator))
    assert _codes() - used == set()


def test_choices_are_valid_model_choices():
    for element in DataElement.objects.all():
        element.full_clean()
    for indicator in Indicator.objects.all():
        indicator.full_clean()
    for data_set in DataSet.objects.all():
        data_set.full_clean()
    for rule in ValidationRule.objects.all():
        rule.full_clean()


def test_the_screening_pair_and_positivity_are_as_designed():
    positivity = Indicator.objects.get(code="SCREENING_POSITIVITY")
    assert (positivity.numerator, positivity.denominator) == (
        "#{URINE_POSITIVE}",
        "#{URINE_TESTED}",
    )
    assert positivity.factor == 100
    assert positivity.direction == Indicator.Direction.LOWER
    assert positivity.kind == Indicator.Kind.OUTCOME
    rules = {(r.left, r.operator, r.right) for r in ValidationRule.objects.all()}
    assert ("#{URINE_POSITIVE}", "<=", "#{URINE_TESTED}") in rules
    assert ("#{REHAB_REFERRED}", "<=", "#{URINE_POSITIVE}") in rules
    tested = DataElement.objects.get(code="URINE_TESTED")
    assert tested.disaggregation and len(category_option_combos(tested.disaggregation)) > 1
    participants = DataElement.objects.get(code="ACTIVITY_PARTICIPANTS")
    assert participants.disaggregation == DataElement.Disaggregation.SEX_AGE


def test_outputs_are_labelled_as_outputs():
    outputs = set(
        Indicator.objects.filter(kind=Indicator.Kind.OUTPUT).values_list("code", flat=True)
    )
    assert {"ACTIVITIES_TOTAL", "ACTIVITY_PARTICIPANTS_TOTAL"} <= outputs
    assert "SCREENING_POSITIVITY" not in outputs


def test_trafficking_elements_are_supply_side_and_derived_ones_are_marked():
    supply = set(
        DataElement.objects.filter(side=DataElement.Side.SUPPLY).values_list("code", flat=True)
    )
    assert {"TRAFFICKING_REPORTS", "TRAFFICKING_FORWARDED"} <= supply
    derived = set(DataElement.objects.filter(derived=True).values_list("code", flat=True))
    assert {
        "SITES_REGISTERED",
        "SITES_FUNCTIONING",
        "MATURITY_SUM",
        "COMMITMENTS_FULFILLED",
        "KAWASAN_RAWAN_BAHAYA",
    } <= derived
    assert "URINE_TESTED" not in derived


def test_data_sets_hold_only_elements_of_their_period_type_and_never_derived_ones():
    for data_set in DataSet.objects.prefetch_related("members__data_element"):
        members = list(data_set.members.all())
        assert members, data_set.code
        assert any(m.required for m in members), data_set.code
        for member in members:
            assert member.data_element.period_type == data_set.period_type, member.data_element
            assert not member.data_element.derived, member.data_element


def test_p2m_quarterly_report_is_quarterly_and_per_regency():
    p2m = DataSet.objects.get(code="P2M_TRIWULAN")
    assert p2m.name_id == "Laporan Triwulan P2M"
    assert p2m.period_type == "Quarterly"
    assert p2m.org_unit_kind == DataSet.OrgUnitKind.REGENCY


def test_to_verify_facts_name_their_source():
    for code in ("IKOTAN_SCORE", "IKDR_SCORE", "KAWASAN_RAWAN_WASPADA"):
        element = DataElement.objects.get(code=code)
        assert "perlu verifikasi" in element.definition_id
        assert "Sumber:" in element.definition_id
        assert "Source:" in element.definition_en


def test_loading_again_adds_nothing():
    counts = [
        m.objects.count() for m in (DataElement, Indicator, DataSet, DataSetElement, ValidationRule)
    ]
    result = load_default_catalogue()
    assert result.created == 0
    assert counts == [
        m.objects.count() for m in (DataElement, Indicator, DataSet, DataSetElement, ValidationRule)
    ]


def test_loading_keeps_an_admins_edits_and_restores_only_what_is_missing():
    DataElement.objects.filter(code="URINE_TESTED").update(name_id="Jumlah dites (diubah admin)")
    Indicator.objects.filter(code="SCREENING_POSITIVITY").update(factor=1000)
    p2m = DataSet.objects.get(code="P2M_TRIWULAN")
    removed = p2m.members.get(data_element__code="INFO_REACH")
    removed.delete()
    Indicator.objects.filter(code="AD_HECTARES").delete()

    result = load_default_catalogue()

    assert result.indicators == 1 and result.data_elements == 0 and result.data_sets == 0
    assert DataElement.objects.get(code="URINE_TESTED").name_id == "Jumlah dites (diubah admin)"
    assert Indicator.objects.get(code="SCREENING_POSITIVITY").factor == 1000
    # The data set exists, so its membership is the admin's: the removed element stays out.
    assert not p2m.members.filter(data_element__code="INFO_REACH").exists()
    restored = Indicator.objects.get(code="AD_HECTARES")
    assert ChangeLog.objects.filter(
        object_type="indicators.indicator", object_id=str(restored.pk), action="create"
    ).exists()


def test_loading_into_an_empty_catalogue_builds_it_all():
    ValidationRule.objects.all().delete()
    DataSet.objects.all().delete()
    Indicator.objects.all().delete()
    DataElement.objects.all().delete()

    result = load_default_catalogue()

    assert result.data_elements == len(catalogue.DATA_ELEMENTS)
    assert result.indicators == len(catalogue.INDICATORS)
    assert result.data_sets == len(catalogue.DATA_SETS)
    assert result.validation_rules == len(catalogue.VALIDATION_RULES)
    assert DataSetElement.objects.count() == sum(len(d.elements) for d in catalogue.DATA_SETS)
    rule = ValidationRule.objects.get(code="URINE_POSITIVE_LE_TESTED")
    assert rule.data_set.code == "SKRINING_BULANAN"
