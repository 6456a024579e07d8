from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from cegah.api.pagination import Pagination
from cegah.api.schemas import ERRORS, NO_NUL, NOT_FOUND

from . import queries
from .models import Office, Region

router = Router(tags=["regions"])


class ServingOfficeOut(Schema):
    code: str
    name: str
    kind: str


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent: str | None = Field(None, alias="parent_id")


class RegionDetailOut(RegionOut):
    serving_office: ServingOfficeOut | None
    children_count: int


class RegionFilter(Schema):
    level: int | None = Field(None, ge=1, le=4, description="1 province … 4 village")
    parent: str | None = Field(
        None, max_length=13, pattern=NO_NUL, description="parent region code"
    )
    q: str | None = Field(
        None, max_length=100, pattern=NO_NUL, description="name contains, or code prefix"
    )


class OfficeOut(Schema):
    code: str
    name: str
    kind: str
    region: str | None = Field(None, alias="region_id")
    active: bool


@router.get("/regions", response={200: list[RegionOut], **ERRORS}, summary="Kemendagri regions")
@paginate(Pagination)
def list_regions(request, filters: Query[RegionFilter]):
    return queries.regions(level=filters.level, parent=filters.parent, q=filters.q or "")


@router.get(
    "/regions/{code}", response={200: RegionDetailOut, **ERRORS, **NOT_FOUND}, summary="One region"
)
def get_region(request, code: str = Path(..., max_length=13, pattern=NO_NUL)):
    region = get_object_or_404(Region, code=code)
    office = queries.serving_office(region.code)
    region.serving_office = office
    region.children_count = region.children.count()
    return region


@router.get("/offices", response={200: list[OfficeOut], **ERRORS}, summary="BNN offices")
@paginate(Pagination)
def list_offices(
    request,
    kind: str | None = Query(None, max_length=4, pattern=NO_NUL, description="RI, BNNP or BNNK"),
    include_retired: bool = False,
):
    offices = Office.objects.order_by("code")
    if kind:
        offices = offices.filter(kind=kind)
    if not include_retired:
        offices = offices.filter(active=True)
    return offices
