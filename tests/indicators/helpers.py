"""Data elements, data sets and rules of our own for the entry/approval/validation tests
(UJI_* codes, so the shipped catalogue never collides)."""

from __future__ import annotations

from cegah.core import periods
from cegah.indicators.models import DataElement, DataSet, DataSetElement, ValidationRule
from cegah.indicators.services import ValueRow, write_values


def element(code, period_type=periods.QUARTERLY, value_type="INTEGER", **extra) -> DataElement:
    return DataElement.objects.create(
        code=code,
        name_id=f"Uji {code}",
        name_en=f"Test {code}",
        definition_id="Elemen data uji.",
        definition_en="A test data element.",
        value_type=value_type,
        aggregation=extra.pop("aggregation", "SUM"),
        period_type=period_type,
        field="pencegahan",
        **extra,
    )


def data_set(code, members, period_type=periods.QUARTERLY, **extra) -> DataSet:
    """``members``: data elements, or (element, required) pairs."""
    made = DataSet.objects.create(
        code=code,
        name_id=f"Laporan uji {code}",
        name_en=f"Test report {code}",
        definition_id="Data set uji.",
        definition_en="A test data set.",
        period_type=period_type,
        **extra,
    )
    for order, member in enumerate(members):
        item, required = member if isinstance(member, tuple) else (member, False)
        DataSetElement.objects.create(
            data_set=made, data_element=item, required=required, order=order
        )
    return made


def rule(code, left, operator, right, data_set=None) -> ValidationRule:
    return ValidationRule.objects.create(
        code=code,
        name_id=f"Aturan {code}",
        name_en=f"Rule {code}",
        definition_id="Aturan uji.",
        definition_en="A test rule.",
        left=left,
        operator=operator,
        right=right,
        data_set=data_set,
    )


def enter(user, rows, **kwargs):
    """Write (element code, period, org unit, value[, coc]) tuples through write_values."""
    return write_values(
        user,
        [
            ValueRow(
                data_element=r[0],
                period=r[1],
                org_unit=r[2],
                value=str(r[3]),
                coc=r[4] if len(r) > 4 else "",
            )
            for r in rows
        ],
        **kwargs,
    )


def english_client(user):
    """A logged-in test client that reads pages in English (the language switch's cookie)."""
    from django.conf import settings

    from tests.conftest import client_for

    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client
