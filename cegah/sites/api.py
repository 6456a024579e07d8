from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from . import queries

router = Router(tags=["sites"])


class SiteOut(Schema):
    id: int
    code: str
    name: str
    site_type: str
    region: str = Field(..., alias="region_id")
    official_id: str
    population_served: int | None
    version: int


class SiteFilter(Schema):
    q: str = Field("", max_length=100)
    site_type: str = Field("", max_length=20)
    region: str = Field("", max_length=13)


@router.get("/sites", response=list[SiteOut], summary="Sites in your jurisdiction")
@paginate(LimitOffsetPagination)
def list_sites(request, filters: Query[SiteFilter]):
    return queries.site_list(request.auth, **filters.dict())


@router.get("/sites/{site_id}", response=SiteOut, summary="One site")
def get_site(request, site_id: int):
    return queries.site_detail(request.auth, site_id)
