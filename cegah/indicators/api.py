"""The catalogue over HTTP: data elements, indicators and data sets (reference data, the
same for every signed-in caller). Names follow DHIS2's resources (dataElements, …)."""

from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from cegah.api.pagination import Pagination
from cegah.api.schemas import ERRORS, NO_NUL, NOT_FOUND

from . import queries_catalogue as queries
from .services import category_option_combos

router = Router(tags=["catalogue"])

CODE = Path(..., max_length=50, pattern=NO_NUL, description="the code, e.g. URINE_TESTED")


class _Named(Schema):
    code: str
    name_id: str
    name_en: str
    definition_id: str
    definition_en: str


class DataElementOut(_Named):
    value_type: str
    aggregation: str = Field(..., description="SUM, AVERAGE, LAST, MAX or COUNT (of yes)")
    period_type: str = Field(..., description="Monthly, Quarterly, SixMonthly or Yearly")
    field: str
    side: str = Field(..., description="demand or supply")
    disaggregation: str = Field(..., description="'', sex, age or sex_age")
    category_option_combos: list[str]
    min_value: float | None
    max_value: float | None
    derived: bool = Field(..., description="computed by Cegah; cannot be entered or imported")
    version: int

    @staticmethod
    def resolve_category_option_combos(obj) -> list[str]:
        return category_option_combos(obj.disaggregation)


class IndicatorOut(_Named):
    numerator: str
    denominator: str
    factor: float
    unit: str
    decimals: int
    direction: str = Field(..., description="higher or lower (is better)")
    kind: str = Field(..., description="outcome or output")
    field: str
    data_elements: list[str] = Field(..., description="the data element codes it uses")
    version: int

    @staticmethod
    def resolve_data_elements(obj) -> list[str]:
        return sorted(queries.indicator_codes(obj))


class DataSetOut(_Named):
    period_type: str
    org_unit_kind: str = Field(..., description="regency or site")
    deadline_days: int
    data_elements: list[str] = Field(..., description="its data element codes, in order")
    required_data_elements: list[str]
    version: int

    @staticmethod
    def resolve_data_elements(obj) -> list[str]:
        return [m.data_element.code for m in obj.members.all()]

    @staticmethod
    def resolve_required_data_elements(obj) -> list[str]:
        return [m.data_element.code for m in obj.members.all() if m.required]


def _text(description: str, max_length: int = 100):
    return Field("", max_length=max_length, pattern=NO_NUL, description=description)


class DataElementFilter(Schema):
    q: str = _text("code or name contains")
    field: str = _text("pencegahan, pemberdayaan or both", 20)
    side: str = _text("demand or supply", 10)


class IndicatorFilter(Schema):
    q: str = _text("code or name contains")
    field: str = _text("pencegahan, pemberdayaan or both", 20)
    kind: str = _text("outcome or output", 10)


class DataSetFilter(Schema):
    q: str = _text("code or name contains")
    period_type: str = _text("Monthly, Quarterly, SixMonthly or Yearly", 20)


@router.get(
    "/dataElements", response={200: list[DataElementOut], **ERRORS}, summary="Data elements"
)
@paginate(Pagination)
def list_data_elements(request, filters: Query[DataElementFilter]):
    return queries.data_elements(**filters.dict())


@router.get(
    "/dataElements/{code}",
    response={200: DataElementOut, **ERRORS, **NOT_FOUND},
    summary="One data element",
)
def get_data_element(request, code: str = CODE):
    return queries.data_element(code)


@router.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, summary="Indicators")
@paginate(Pagination)
def list_indicators(request, filters: Query[IndicatorFilter]):
    return queries.indicators(**filters.dict())


@router.get(
    "/indicators/{code}",
    response={200: IndicatorOut, **ERRORS, **NOT_FOUND},
    summary="One indicator",
)
def get_indicator(request, code: str = CODE):
    return queries.indicator(code)


@router.get("/dataSets", response={200: list[DataSetOut], **ERRORS}, summary="Data sets")
@paginate(Pagination)
def list_data_sets(request, filters: Query[DataSetFilter]):
    return queries.data_sets(**filters.dict())


@router.get(
    "/dataSets/{code}", response={200: DataSetOut, **ERRORS, **NOT_FOUND}, summary="One data set"
)
def get_data_set(request, code: str = CODE):
    return queries.data_set(code)
