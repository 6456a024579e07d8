"""Validation rules: pairs such as ``#{URINE_POSITIVE} <= #{URINE_TESTED}`` and required
elements of a data set. (Min/max and value types are checked per value by
``services.parse_value``.)

A rule compares two expressions over data element codes at one org unit and one period;
``#{CODE}`` is the element's value summed over its category option combos. A rule is only
evaluated when every element it names has a value there (DHIS2's "skip if any value is
missing"): a half-filled form is not flagged, and a missing required element is reported
as missing, not as a broken pair. A division by zero skips the rule too.

Rules run
- on entry: the grid shows the violations of its data set after each save (entry saves
  anyway; the user may be typing the other half of a pair);
- on import: ``import_rule_conflicts`` is called by ``services.write_values``; a violation
  is a conflict naming the rule, and the file is refused;
- on submission: ``check_data_set`` must return nothing (``approvals.transition``);
- on the page /data/validation/: ``data_set_violations`` for a data set and period.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from cegah.core import numbers, periods
from cegah.core.scope import scoped

from . import expressions
from .models import Approval, DataElement, DataSet, DataSetElement, DataValue, ValidationRule

_COMPARE = {
    ValidationRule.Operator.LE: operator.le,
    ValidationRule.Operator.LT: operator.lt,
    ValidationRule.Operator.GE: operator.ge,
    ValidationRule.Operator.GT: operator.gt,
    ValidationRule.Operator.EQ: lambda a, b: math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9),
    ValidationRule.Operator.NE: lambda a, b: not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9),
}


def fmt(number: float | None) -> str:
    """A side of a rule as people write numbers in the active language (``numbers``): a
    whole number in full, a fraction (a ratio, a sum of decimals) to six significant
    digits, but never fewer than its whole part has."""
    if number is None:
        return "—"
    value = float(number)
    if not value.is_integer():
        digits = max(6, len(str(int(abs(value)))))
        value = float(f"{value:.{digits}g}")
    return numbers.format_number(value)


@dataclass(frozen=True)
class ParsedRule:
    rule: ValidationRule
    left: object
    right: object
    codes: frozenset[str]

    def check(self, values: dict[str, float]) -> tuple[float, float] | None:
        """(left, right) when the rule is violated; None when it holds or is skipped."""
        if not self.codes <= values.keys():
            return None
        left = expressions.evaluate(self.left, values)
        right = expressions.evaluate(self.right, values)
        if left is None or right is None:
            return None
        if _COMPARE[self.rule.operator](left, right):
            return None
        return left, right

    def message(self, left: float, right: float) -> str:
        return _("Rule %(code)s (%(name)s) is violated: %(left)s %(op)s %(right)s is false.") % {
            "code": self.rule.code,
            "name": self.rule.name,
            "left": fmt(left),
            "op": self.rule.get_operator_display(),
            "right": fmt(right),
        }


@dataclass
class Violation:
    org_unit: str
    period: str
    message: str
    rule: ValidationRule | None = None
    element: DataElement | None = None
    left: float | None = None
    right: float | None = None

    @property
    def kind(self) -> str:
        return "rule" if self.rule is not None else "required"


def parse_rules(rules) -> list[ParsedRule]:
    """Rules with their parsed sides. A rule whose expressions no longer parse (an element
    was renamed) is left out rather than breaking entry and imports."""
    parsed = []
    for rule in rules:
        try:
            left, right = expressions.parse(rule.left), expressions.parse(rule.right)
        except expressions.ExpressionError:
            continue
        codes = frozenset(expressions.references(left) | expressions.references(right))
        parsed.append(ParsedRule(rule, left, right, codes))
    return parsed


def rules_for_data_set(data_set: DataSet, element_codes: set[str] | None = None):
    """The rules of a data set, and the global rules that only name its elements."""
    if element_codes is None:
        element_codes = set(
            DataSetElement.objects.filter(data_set=data_set).values_list(
                "data_element__code", flat=True
            )
        )
    rules = ValidationRule.objects.filter(Q(data_set=data_set) | Q(data_set__isnull=True))
    return [
        r
        for r in parse_rules(rules.order_by("code"))
        if r.rule.data_set_id == data_set.pk or r.codes <= element_codes
    ]


def _members(data_set: DataSet) -> list[DataSetElement]:
    return list(DataSetElement.objects.filter(data_set=data_set).select_related("data_element"))


def _violations_at(
    org_unit: str, period: str, sums: dict[str, float], members, rules
) -> list[Violation]:
    found = []
    period_type = periods.parse(period).type
    for member in members:
        element = member.data_element
        # An element reported per another period type is entered in another form; derived
        # elements are computed by Cegah: neither can be missing from this one.
        typed_here = element.period_type == period_type and not element.derived
        if member.required and typed_here and element.code not in sums:
            found.append(
                Violation(
                    org_unit,
                    period,
                    _("%(code)s (%(name)s) is required.")
                    % {"code": element.code, "name": element.name},
                    element=element,
                )
            )
    for parsed in rules:
        failed = parsed.check(sums)
        if failed is not None:
            found.append(
                Violation(
                    org_unit,
                    period,
                    parsed.message(*failed),
                    rule=parsed.rule,
                    left=failed[0],
                    right=failed[1],
                )
            )
    return found


def check_data_set(data_set: DataSet, org_unit: str, period: str) -> list[Violation]:
    """Missing required elements and violated rules of one data set × org unit × period."""
    members = _members(data_set)
    sums: dict[str, float] = defaultdict(float)
    for code, value in DataValue.objects.filter(
        data_element_id__in=[m.data_element_id for m in members], org_unit=org_unit, period=period
    ).values_list("data_element__code", "value"):
        sums[code] += value
    rules = rules_for_data_set(data_set, {m.data_element.code for m in members})
    return _violations_at(org_unit, period, dict(sums), members, rules)


def data_set_violations(user, data_set: DataSet, period: str) -> list[Violation]:
    """Violations of a data set in one period for every org unit in the user's scope that
    reported anything (a value or an approval row)."""
    members = _members(data_set)
    rules = rules_for_data_set(data_set, {m.data_element.code for m in members})
    by_org_unit: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for org_unit, code, value in (
        scoped(user, DataValue)
        .filter(data_element_id__in=[m.data_element_id for m in members], period=period)
        .values_list("org_unit", "data_element__code", "value")
    ):
        by_org_unit[org_unit][code] += value
    for org_unit in (
        scoped(user, Approval)
        .filter(data_set=data_set, period=period)
        .values_list("org_unit", flat=True)
    ):
        by_org_unit[org_unit]  # noqa: B018 - reported (an approval row), maybe without values
    found = []
    for org_unit in sorted(by_org_unit):
        found += _violations_at(org_unit, period, dict(by_org_unit[org_unit]), members, rules)
    return found


# One parsed row of a write, as ``import_rule_conflicts`` needs it (a plain tuple: imports
# pass 100,000 of them): (data_element_id, code, org_unit, period_id, coc, value, ref).
IncomingValue = tuple[int, str, str, str, str, float, str]


@dataclass
class RuleConflict:
    refs: list[str]  # the incoming rows the violated rule names
    org_unit: str
    period: str
    message: str


def import_rule_conflicts(incoming: list[IncomingValue]) -> list[RuleConflict]:
    """Rules broken by writing ``incoming`` on top of what is stored.

    Per (org unit, period) touched: the stored values of every element the relevant rules
    name, overlaid with the incoming ones, are checked against each rule that names an
    incoming element. Costs one query for the rules and, only when a rule applies, one per
    2,000 org units for the stored values.
    """
    if not incoming:
        return []
    check = ImportRuleCheck(
        {value[1] for value in incoming},
        {value[2] for value in incoming},
        {value[3] for value in incoming},
    )
    return check.conflicts(incoming)


class ImportRuleCheck:
    """``import_rule_conflicts`` in two steps, so a large write reads the database before
    its first row is stored: ``__init__`` reads the rules naming any of ``codes`` and the
    stored values they need at the given org units and periods (the state before the write);
    ``conflicts`` then checks the incoming values against them in memory."""

    def __init__(self, codes, org_units, period_ids):
        self.rules = [
            r for r in parse_rules(ValidationRule.objects.order_by("code")) if r.codes & codes
        ]
        self.codes: dict[int, str] = {}
        # (org unit, period) → {(element id, coc): stored value}
        self.stored: dict[tuple[str, str], dict[tuple[int, str], float]] = defaultdict(dict)
        if not self.rules:
            return
        needed_codes = set().union(*(r.codes for r in self.rules))
        self.codes = dict(
            DataElement.objects.filter(code__in=needed_codes).values_list("id", "code")
        )
        org_units = sorted(org_units)
        # Only periods in which any of these elements has a value anywhere, one cheap probe
        # each: a file of a new year then reads nothing (the query below searches the key
        # index once per element, period and org unit, 60-170 ms for a 100,000-row file
        # that finds nothing).
        period_ids = [
            period
            for period in sorted(period_ids)
            if DataValue.objects.filter(
                data_element_id__in=list(self.codes), period=period
            ).exists()
        ]
        if not period_ids:
            return
        for start in range(0, len(org_units), 2000):
            for element_id, org_unit, period, coc, number in DataValue.objects.filter(
                data_element_id__in=list(self.codes),
                org_unit__in=org_units[start : start + 2000],
                period__in=period_ids,
            ).values_list("data_element_id", "org_unit", "period", "coc", "value"):
                self.stored[(org_unit, period)][(element_id, coc)] = number

    def conflicts(self, incoming: list[IncomingValue]) -> list[RuleConflict]:
        if not self.rules:
            return []
        codes = self.codes
        by_group: dict[tuple[str, str], list[IncomingValue]] = defaultdict(list)
        for value in incoming:
            if value[0] in codes:
                by_group[(value[2], value[3])].append(value)
        conflicts = []
        rules = self.rules
        for group, values in by_group.items():
            cells = dict(self.stored.get(group, ()))
            for element_id, _code, _ou, _pe, coc, number, _ref in values:
                cells[(element_id, coc)] = number
            sums: dict[str, float] = defaultdict(float)
            for (element_id, _coc), number in cells.items():
                sums[codes[element_id]] += number
            codes_in = {value[1] for value in values}
            for parsed in rules:
                if parsed.codes.isdisjoint(codes_in):
                    continue
                failed = parsed.check(sums)
                if failed is None:
                    continue
                conflicts.append(
                    RuleConflict(
                        refs=[value[6] for value in values if value[1] in parsed.codes],
                        org_unit=group[0],
                        period=group[1],
                        message=parsed.message(*failed),
                    )
                )
        return conflicts
