"""Data elements and a data set of our own (EXC_* codes, so the shipped catalogue never
collides), and helpers to build import files."""

import csv
import io
import json

import pytest
from django.utils import translation

from cegah.indicators.models import DataElement, DataSet, DataSetElement

ELEMENTS = [
    # code, value type, period type, disaggregation, derived
    ("EXC_TESTED", "INTEGER", "Monthly", "", False),
    ("EXC_POSITIVE", "INTEGER", "Monthly", "", False),
    ("EXC_BY_SEX", "INTEGER", "Monthly", "sex", False),
    ("EXC_SHARE", "PERCENTAGE", "Quarterly", "", False),
    ("EXC_PERDA", "BOOLEAN", "Yearly", "", False),
    ("EXC_DERIVED", "INTEGER", "Monthly", "", True),
]


@pytest.fixture(autouse=True)
def english():
    """Conflict messages in English, so tests can read them."""
    with translation.override("en"):
        yield


@pytest.fixture
def elements(db):
    made = {}
    for code, value_type, period_type, disaggregation, derived in ELEMENTS:
        made[code] = DataElement.objects.create(
            code=code,
            name_id=f"Uji {code}",
            name_en=f"Test {code}",
            definition_id="Elemen data uji.",
            definition_en="A test data element.",
            value_type=value_type,
            aggregation="SUM",
            period_type=period_type,
            field="pencegahan",
            disaggregation=disaggregation,
            derived=derived,
        )
    return made


@pytest.fixture
def data_set(elements):
    data_set = DataSet.objects.create(
        code="EXC_MONTHLY",
        name_id="Laporan Bulanan Uji",
        name_en="Test monthly report",
        definition_id="Data set uji.",
        definition_en="A test data set.",
        period_type="Monthly",
    )
    for order, code in enumerate(("EXC_TESTED", "EXC_POSITIVE", "EXC_BY_SEX")):
        DataSetElement.objects.create(data_set=data_set, data_element=elements[code], order=order)
    return data_set


def data_value_set(values, **top) -> bytes:
    return json.dumps({**top, "dataValues": values}).encode()


def dhis2_csv(rows, header=True) -> bytes:
    """rows: (dataelement, period, orgunit, coc, value[, comment])"""
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(
            [
                "dataelement",
                "period",
                "orgunit",
                "categoryoptioncombo",
                "attributeoptioncombo",
                "value",
                "storedby",
                "lastupdated",
                "comment",
                "followup",
            ]
        )
    for row in rows:
        de, pe, ou, coc, value, *rest = row
        writer.writerow([de, pe, ou, coc, "", value, "", "", rest[0] if rest else "", "false"])
    return out.getvalue().encode()


SURABAYA_VALUES = [
    {"dataElement": "EXC_TESTED", "period": "202601", "orgUnit": "35.78", "value": "120"},
    {"dataElement": "EXC_POSITIVE", "period": "202601", "orgUnit": "35.78", "value": 3},
    {
        "dataElement": "EXC_BY_SEX",
        "period": "202601",
        "orgUnit": "35.78",
        "categoryOptionCombo": "F",
        "value": "40",
        "comment": "posko terminal",
    },
]
