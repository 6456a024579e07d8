"""Validation rules: pairs such as URINE_POSITIVE ≤ URINE_TESTED and required elements run
on entry (shown, not blocking), on import (a conflict naming the rule; nothing written)
and on submission (refused with the list); /data/validation/ lists violations in scope."""

import pytest
from django.urls import reverse
from django.utils import translation

from cegah.indicators import approvals, validation
from cegah.indicators.approvals import TransitionError
from cegah.indicators.models import Approval, DataValue
from tests.indicators.helpers import data_set, element, english_client, enter, rule


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def screening(db):
    tested = element("UJI_TESTED", disaggregation="sex")
    positive = element("UJI_POSITIVE", disaggregation="sex")
    referred = element("UJI_REFERRED")
    note = element("UJI_NOTE")
    ds = data_set(
        "UJI_SKRINING", [(tested, True), (positive, True), (referred, False), (note, False)]
    )
    rule("UJI_POS_LE_TESTED", "#{UJI_POSITIVE}", "<=", "#{UJI_TESTED}", ds)
    # A global rule naming only this data set's elements applies to it too.
    rule("UJI_REF_LE_POS", "#{UJI_REFERRED}", "<=", "#{UJI_POSITIVE} * 1", None)
    return ds


def test_rule_skips_until_every_element_has_a_value_and_sums_disaggregations(screening):
    parsed = {p.rule.code: p for p in validation.rules_for_data_set(screening)}
    assert set(parsed) == {"UJI_POS_LE_TESTED", "UJI_REF_LE_POS"}
    pair = parsed["UJI_POS_LE_TESTED"]
    assert pair.check({"UJI_POSITIVE": 5}) is None  # half-filled: not flagged
    assert pair.check({"UJI_POSITIVE": 5, "UJI_TESTED": 5}) is None
    assert pair.check({"UJI_POSITIVE": 6, "UJI_TESTED": 5}) == (6, 5)


def test_global_rules_naming_other_elements_do_not_apply(screening):
    rule("UJI_ELSEWHERE", "#{UJI_TESTED}", "<=", "#{URINE_TESTED}", None)
    codes = {p.rule.code for p in validation.rules_for_data_set(screening)}
    assert "UJI_ELSEWHERE" not in codes


def test_operators(db):
    made = [
        rule(f"UJI_OP_{i}", "#{A}", op, "#{B}")
        for i, op in enumerate(["<=", "<", "==", "!=", ">=", ">"])
    ]
    parsed = validation.parse_rules(made)
    holds = [p.check({"A": 2, "B": 2}) is None for p in parsed]
    assert holds == [True, False, True, False, True, False]


def test_check_data_set_lists_missing_required_elements_and_broken_rules(
    screening, surabaya_manager
):
    enter(
        surabaya_manager,
        [
            ("UJI_TESTED", "2026Q1", "35.78", 10, "M"),
            ("UJI_POSITIVE", "2026Q1", "35.78", 8, "M"),
            ("UJI_POSITIVE", "2026Q1", "35.78", 4, "F"),
        ],
        check_rules=False,
    )
    messages = [v.message for v in validation.check_data_set(screening, "35.78", "2026Q1")]
    assert messages == [
        "Rule UJI_POS_LE_TESTED (Rule UJI_POS_LE_TESTED) is violated: 12 ≤ 10 is false."
    ]
    messages = [v.message for v in validation.check_data_set(screening, "35.73", "2026Q1")]
    assert messages == [
        "UJI_TESTED (Test UJI_TESTED) is required.",
        "UJI_POSITIVE (Test UJI_POSITIVE) is required.",
    ]


def test_import_violating_a_rule_is_a_conflict_naming_the_rule_and_writes_nothing(
    screening, surabaya_manager
):
    enter(surabaya_manager, [("UJI_TESTED", "2026Q1", "35.78", 10, "M")])
    result = enter(
        surabaya_manager,
        [
            ("UJI_POSITIVE", "2026Q1", "35.78", 11, "M"),
            ("UJI_REFERRED", "2026Q2", "35.78", 3),  # fine on its own (no positive then)
        ],
    )
    assert result.status == "ERROR"
    assert [c.as_dict() for c in result.conflicts] == [
        {
            "object": "UJI_POSITIVE/2026Q1/35.78",
            "value": "35.78 2026Q1: Rule UJI_POS_LE_TESTED (Rule UJI_POS_LE_TESTED) is "
            "violated: 11 ≤ 10 is false.",
        }
    ]
    assert DataValue.objects.count() == 1

    # The same file with the other half corrected in it goes through.
    fixed = enter(
        surabaya_manager,
        [
            ("UJI_POSITIVE", "2026Q1", "35.78", 11, "M"),
            ("UJI_TESTED", "2026Q1", "35.78", 12, "M"),
        ],
    )
    assert (fixed.status, fixed.imported, fixed.updated) == ("SUCCESS", 1, 1)


def test_a_rule_across_disaggregations_counts_stored_and_incoming_values(
    screening, surabaya_manager
):
    enter(
        surabaya_manager,
        [("UJI_TESTED", "2026Q1", "35.78", 10, "M"), ("UJI_TESTED", "2026Q1", "35.78", 5, "F")],
    )
    ok = enter(surabaya_manager, [("UJI_POSITIVE", "2026Q1", "35.78", 15, "F")])
    assert ok.status == "SUCCESS"
    bad = enter(surabaya_manager, [("UJI_POSITIVE", "2026Q1", "35.78", 1, "M")])
    assert bad.status == "ERROR"
    assert "16 ≤ 15" in bad.conflicts[0].value


def test_non_atomic_import_skips_only_the_rows_of_the_broken_rule(screening, surabaya_manager):
    enter(surabaya_manager, [("UJI_TESTED", "2026Q1", "35.78", 10, "M")])
    result = enter(
        surabaya_manager,
        [("UJI_POSITIVE", "2026Q1", "35.78", 11, "M"), ("UJI_NOTE", "2026Q1", "35.78", 1)],
        atomic=False,
    )
    assert (result.status, result.imported, result.ignored) == ("WARNING", 1, 1)
    assert not DataValue.objects.filter(data_element__code="UJI_POSITIVE").exists()


def test_submitting_with_missing_required_elements_or_violations_is_refused_with_the_list(
    screening, surabaya_manager
):
    enter(
        surabaya_manager,
        [("UJI_POSITIVE", "2026Q1", "35.78", 3, "M"), ("UJI_REFERRED", "2026Q1", "35.78", 4)],
        check_rules=False,
    )
    with pytest.raises(TransitionError) as refused:
        approvals.submit(surabaya_manager, screening, "35.78", ("35.78", None), "2026Q1")
    assert refused.value.messages == [
        "UJI_TESTED (Test UJI_TESTED) is required.",
        "Rule UJI_REF_LE_POS (Rule UJI_REF_LE_POS) is violated: 4 ≤ 3 is false.",
    ]
    assert Approval.objects.get(org_unit="35.78").status == "draft"

    page = english_client(surabaya_manager).post(
        reverse("approval-submit"),
        {"dataSet": "UJI_SKRINING", "orgUnit": "35.78", "period": "2026Q1"},
        follow=True,
    )
    html = page.content.decode()
    assert "UJI_TESTED (Test UJI_TESTED) is required." in html
    assert "4 ≤ 3 is false" in html

    enter(
        surabaya_manager,
        [("UJI_TESTED", "2026Q1", "35.78", 9, "M"), ("UJI_REFERRED", "2026Q1", "35.78", 2)],
    )
    approval = approvals.submit(surabaya_manager, screening, "35.78", ("35.78", None), "2026Q1")
    assert approval.status == "submitted"


def test_violations_page_lists_org_units_in_scope(
    screening, surabaya_manager, malang_manager, jatim_manager
):
    enter(
        surabaya_manager,
        [("UJI_TESTED", "2026Q1", "35.78", 1, "M"), ("UJI_POSITIVE", "2026Q1", "35.78", 2, "M")],
        check_rules=False,
    )
    enter(malang_manager, [("UJI_TESTED", "2026Q1", "35.73", 1, "F")])
    url = reverse("data-validation")
    params = {"dataSet": "UJI_SKRINING", "period": "2026Q1"}

    jatim = english_client(jatim_manager).get(url, params).content.decode()
    assert "Kota Surabaya" in jatim
    assert "2 ≤ 1 is false" in jatim
    assert "Kota Malang" in jatim  # UJI_POSITIVE is required and missing there
    assert "UJI_POSITIVE (Test UJI_POSITIVE) is required." in jatim

    malang = english_client(malang_manager).get(url, params).content.decode()
    assert "Kota Surabaya" not in malang
    assert "2 ≤ 1 is false" not in malang
    assert "Kota Malang" in malang

    wrong = english_client(jatim_manager).get(url, {"dataSet": "UJI_SKRINING", "period": "202601"})
    assert "Pick a quarterly period." in wrong.content.decode()


def test_required_elements_of_another_period_type_or_derived_are_not_missing(db):
    monthly = element("UJI_BULANAN", period_type="Monthly")
    derived = element("UJI_TURUNAN", derived=True)
    typed = element("UJI_DIKETIK")
    ds = data_set("UJI_CAMPUR", [(monthly, True), (derived, True), (typed, True)])
    messages = [v.message for v in validation.check_data_set(ds, "35.78", "2026Q1")]
    assert messages == ["UJI_DIKETIK (Test UJI_DIKETIK) is required."]


@pytest.mark.parametrize(
    ("language", "number", "shown"),
    [
        ("id", 12500, "12.500"),
        ("en", 12500, "12,500"),
        ("id", 2 / 3, "0,666667"),  # a ratio: six significant digits
        ("en", 1234567.891, "1,234,568"),  # never fewer than the whole part
        ("id", -0.5, "-0,5"),
        ("id", None, "—"),
    ],
)
def test_a_rules_sides_are_written_as_people_read_numbers(language, number, shown):
    with translation.override(language):
        assert validation.fmt(number) == shown


def test_a_rule_message_writes_numbers_in_the_active_language(screening, surabaya_manager):
    enter(
        surabaya_manager,
        [
            ("UJI_TESTED", "2026Q1", "35.78", 1000, "M"),
            ("UJI_POSITIVE", "2026Q1", "35.78", 1500, "M"),
        ],
        check_rules=False,
    )
    with translation.override("id"):
        messages = [v.message for v in validation.check_data_set(screening, "35.78", "2026Q1")]
    assert any("1.500 ≤ 1.000" in message for message in messages), messages
