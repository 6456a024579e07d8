"""Reads of the catalogue, shared by the catalogue pages and the API. The catalogue is
reference data: every signed-in user may read all of it, so nothing here is scoped."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from . import expressions
from .models import DataElement, DataSet, DataSetElement, Indicator, ValidationRule

_REF = re.compile(r"#\{([A-Za-z0-9_]+)\}")


def _search(queryset: QuerySet, q: str) -> QuerySet:
    q = (q or "").strip()
    if not q:
        return queryset
    return queryset.filter(Q(code__icontains=q) | Q(name_id__icontains=q) | Q(name_en__icontains=q))


def data_elements(q: str = "", field: str = "", side: str = "") -> QuerySet:
    queryset = _search(DataElement.objects.order_by("code"), q)
    if field:
        queryset = queryset.filter(field=field)
    if side:
        queryset = queryset.filter(side=side)
    return queryset


def indicators(q: str = "", field: str = "", kind: str = "") -> QuerySet:
    queryset = _search(Indicator.objects.order_by("code"), q)
    if field:
        queryset = queryset.filter(field=field)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def _with_members(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch(
            "members",
            queryset=DataSetElement.objects.select_related("data_element").order_by("order", "id"),
        )
    )


def data_sets(q: str = "", period_type: str = "") -> QuerySet:
    queryset = _with_members(_search(DataSet.objects.order_by("code"), q))
    if period_type:
        queryset = queryset.filter(period_type=period_type)
    return queryset


def data_element(code: str) -> DataElement:
    return get_object_or_404(DataElement, code=code)


def indicator(code: str) -> Indicator:
    return get_object_or_404(Indicator, code=code)


def data_set(code: str) -> DataSet:
    return get_object_or_404(_with_members(DataSet.objects.all()), code=code)


def element_codes(expression: str) -> set[str]:
    """The codes an expression names, or none when it does not parse."""
    try:
        return expressions.references(expressions.parse(expression))
    except expressions.ExpressionError:
        return set()


def indicator_codes(indicator: Indicator) -> set[str]:
    return element_codes(indicator.numerator) | element_codes(indicator.denominator)


@dataclass(frozen=True)
class FormulaPart:
    text: str
    element: DataElement | None = None


def formula_parts(expression: str, elements: dict[str, DataElement]) -> list[FormulaPart]:
    """The expression as text pieces and data-element references, for showing it with the
    elements' names linked."""
    parts, pos = [], 0
    for match in _REF.finditer(expression):
        if match.start() > pos:
            parts.append(FormulaPart(expression[pos : match.start()]))
        code = match[1].upper()
        parts.append(FormulaPart(match[0], elements.get(code)))
        pos = match.end()
    if pos < len(expression):
        parts.append(FormulaPart(expression[pos:]))
    return parts


def indicators_using(code: str) -> list[Indicator]:
    return [i for i in Indicator.objects.order_by("code") if code in indicator_codes(i)]


def data_sets_with(codes) -> QuerySet:
    return DataSet.objects.filter(members__data_element__code__in=list(codes)).distinct()


def rules_for(codes) -> list[ValidationRule]:
    codes = set(codes)
    return [
        rule
        for rule in ValidationRule.objects.select_related("data_set").order_by("code")
        if codes & (element_codes(rule.left) | element_codes(rule.right))
    ]
