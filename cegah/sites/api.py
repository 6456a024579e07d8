from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from cegah.api.pagination import Pagination
from cegah.api.schemas import ERRORS, NO_NUL, NOT_FOUND

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
    q: str = Field("", max_length=100, pattern=NO_NUL)
    site_type: str = Field("", max_length=20, pattern=NO_NUL)
    region: str = Field("", max_length=13, pattern=NO_NUL)


@router.get("/sites", response={200: list[SiteOut], **ERRORS}, summary="Sites in your jurisdiction")
@paginate(Pagination)
def list_sites(request, filters: Query[SiteFilter]):
    return queries.site_list(request.auth, **filters.dict())


@router.get("/sites/{site_id}", response={200: SiteOut, **ERRORS, **NOT_FOUND}, summary="One site")
def get_site(request, site_id: int):
    return queries.site_detail(request.auth, site_id)
