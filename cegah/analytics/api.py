"""``GET /api/v1/analytics``: the engine over HTTP, as DHIS2-like JSON or as CSV."""

from __future__ import annotations

import csv
import io
from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status

from cegah.api.schemas import ERRORS, NO_NUL, NOT_FOUND, ErrorOut

from .engine import AnalyticsError, Row, resolve, run

router = Router(tags=["analytics"])

HEADERS = [
    ("dx", "Data", "TEXT"),
    ("pe", "Period", "TEXT"),
    ("ou", "Organisation unit", "TEXT"),
    ("value", "Value", "NUMBER"),
    ("numerator", "Numerator", "NUMBER"),
    ("denominator", "Denominator", "NUMBER"),
]
CSV_COLUMNS = ["dx", "dx_name", "pe", "ou", "ou_name", "value", "numerator", "denominator"]
# Text a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class HeaderOut(Schema):
    name: str
    column: str
    valueType: str  # noqa: N815 - DHIS2's name


class ItemOut(Schema):
    name: str


class MetaDataOut(Schema):
    items: dict[str, ItemOut]
    dimensions: dict[str, list[str]]


class AnalyticsOut(Schema):
    """rows: [dx, pe, ou, value, numerator, denominator]; numerator and denominator are
    null for data elements. Only cells with a value are listed."""

    headers: list[HeaderOut]
    rows: list[list[str | float | None]]
    metaData: MetaDataOut  # noqa: N815 - DHIS2's name


DIMENSION_HELP = {
    "dx": "Indicator or data element codes separated by ';' (ELEMENT.COC for one "
    "disaggregation), e.g. SCREENING_POSITIVITY;URINE_TESTED.M",
    "pe": "Periods separated by ';': 2026, 2026S1, 2026Q1, 202603, or relative ones such as "
    "THIS_YEAR, LAST_YEAR, LAST_4_QUARTERS, LAST_12_MONTHS",
    "ou": "Org units separated by ';': region codes (35, 35.78), site codes, LEVEL-n (every "
    "region of level n in your jurisdiction), CODE:CHILDREN",
}
CSV_RESPONSE = {
    "responses": {
        200: {
            "content": {
                "text/csv": {
                    "schema": {
                        "type": "string",
                        "description": "with format=csv: columns " + ", ".join(CSV_COLUMNS),
                    }
                }
            }
        }
    }
}


def _dimension(name: str):
    help_text = DIMENSION_HELP[name]
    return Query(..., min_length=1, max_length=4000, pattern=NO_NUL, description=help_text)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


@router.get(
    "/analytics",
    response={200: AnalyticsOut, **ERRORS, **NOT_FOUND},
    summary="Aggregated indicators and data elements",
    description=(
        "Data (dx) × periods (pe) × org units (ou), aggregated as DHIS2 does: each data "
        "element over the period and the org unit's whole subtree by its aggregation type, "
        "then indicators as sum of numerators over sum of denominators. Org units outside "
        "your jurisdiction are a 404; LEVEL-n lists only those inside it. Unknown codes and "
        "invalid periods are a 422."
    ),
    openapi_extra=CSV_RESPONSE,
)
def get_analytics(
    request,
    dx: str = Query(
        ..., min_length=1, max_length=4000, pattern=NO_NUL, description=DIMENSION_HELP["dx"]
    ),
    pe: str = Query(
        ..., min_length=1, max_length=4000, pattern=NO_NUL, description=DIMENSION_HELP["pe"]
    ),
    ou: str = Query(
        ..., min_length=1, max_length=4000, pattern=NO_NUL, description=DIMENSION_HELP["ou"]
    ),
    approved_only: bool = Query(
        False, alias="approvedOnly", description="count approved and accepted values only"
    ),
    format: Literal["json", "csv"] = Query("json", description="json (default) or csv"),  # noqa: A002
):
    try:
        query = resolve(request.auth, _split(dx), _split(pe), _split(ou), approved_only)
        rows = run(query)
    except AnalyticsError as exc:
        return Status(422, ErrorOut(detail=str(exc)))
    names = {item.code: item.name for item in query.items}
    names.update({p.id: p.id for p in query.periods})
    names.update({u.code: u.name for u in query.org_units})
    if format == "csv":
        return _csv(rows, names)
    return {
        "headers": [{"name": n, "column": c, "valueType": t} for n, c, t in HEADERS],
        "rows": [[r.dx, r.pe, r.ou, r.value, r.numerator, r.denominator] for r in rows],
        "metaData": {
            "items": {code: {"name": name} for code, name in names.items()},
            "dimensions": {
                "dx": [item.code for item in query.items],
                "pe": [p.id for p in query.periods],
                "ou": [u.code for u in query.org_units],
            },
        },
    }


def _text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _csv(rows: list[Row], names: dict[str, str]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                _text(r.dx),
                _text(names.get(r.dx, "")),
                _text(r.pe),
                _text(r.ou),
                _text(names.get(r.ou, "")),
                _number(r.value),
                _number(r.numerator),
                _number(r.denominator),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="analytics.csv"'
    return response
