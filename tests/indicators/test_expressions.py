import pytest
from hypothesis import given
from hypothesis import strategies as st

from cegah.indicators import expressions as ex


def test_ratio_expression_evaluates_with_aggregated_values():
    tree = ex.parse("#{URINE_POSITIVE} / #{URINE_TESTED}")
    assert ex.references(tree) == {"URINE_POSITIVE", "URINE_TESTED"}
    assert ex.evaluate(tree, {"URINE_POSITIVE": 3, "URINE_TESTED": 120}) == pytest.approx(0.025)


def test_typographic_operators_precedence_and_parentheses():
    tree = ex.parse("(#{A} − #{B}) × 2 ÷ 4 + -1")
    assert ex.evaluate(tree, {"A": 10, "B": 4}) == pytest.approx(2.0)
    assert ex.evaluate(ex.parse("2 + 3 * 4"), {}) == 14


def test_division_by_zero_is_no_value_not_an_error():
    assert ex.evaluate(ex.parse("#{A} / #{B}"), {"A": 1, "B": 0}) is None


@pytest.mark.parametrize(
    "text",
    ["", "#{A} +", "(#{A}", "#{A} #{B}", "__import__('os')", "#{A} ** 2", "#{a-b}", "1 +* 2"],
)
def test_syntax_errors_are_reported(text):
    with pytest.raises(ex.ExpressionError):
        ex.parse(text)


def test_unknown_codes_are_named():
    with pytest.raises(ex.ExpressionError, match="NOPE"):
        ex.validate("#{URINE_TESTED} / #{NOPE}", {"URINE_TESTED"})


@given(st.lists(st.integers(min_value=-1000, max_value=1000), min_size=1, max_size=6))
def test_sums_match_python(numbers):
    text = " + ".join(f"#{{V{i}}}" for i in range(len(numbers)))
    values = {f"V{i}": n for i, n in enumerate(numbers)}
    assert ex.evaluate(ex.parse(text), values) == sum(numbers)
