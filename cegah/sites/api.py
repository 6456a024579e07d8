"""/api/v1/sites: the registry's list (the list page's filter), create, read and update,
all through the caller's scope; an update names the version it read (409 if stale)."""

import datetime
from typing import Literal

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cegah.api.pagination import Pagination
from cegah.api.schemas import ERRORS, NO_NUL, NOT_FOUND, ErrorOut
from cegah.core.versioning import ConflictError

from . import queries, services
from .filters import SiteFilter
from .models import PopulationKind, SiteType

router = Router(tags=["sites"])

# A regency, district or village code (a site is placed at least at the regency).
REGION_CODE = r"^\d{2}\.\d{2}(\.\d{2}(\.\d{4})?)?$"
FORBIDDEN = {403: ErrorOut}
BAD_BODY = {400: ErrorOut}  # a body that is not JSON at all
MAX_INT = 2**31 - 1

SiteTypeIn = Literal[tuple(SiteType.values)]  # type: ignore[valid-type]
PopulationKindIn = Literal[tuple(["", *PopulationKind.values])]  # type: ignore[valid-type]


class SiteOut(Schema):
    id: int
    code: str
    name: str
    site_type: str
    region: str = Field(..., alias="region_id")
    official_id: str
    address: str
    latitude: float | None
    longitude: float | None
    population_served: int | None
    population_kind: str
    maturity: float | None = Field(..., description="0–4 from the latest verified assessment")
    functioning: bool
    last_assessed_on: datetime.date | None
    next_review_due: datetime.date | None
    version: int


class SiteIn(Schema):
    name: str = Field(..., min_length=1, max_length=200, pattern=NO_NUL)
    site_type: SiteTypeIn
    region_code: str = Field(
        ..., pattern=REGION_CODE, description="Kemendagri code: regency, district or village"
    )
    official_id: str = Field(
        "",
        max_length=20,
        pattern=NO_NUL,
        description="NPSN (schools), IATA/ICAO (airports), UN/LOCODE (seaports), village code",
    )
    address: str = Field("", max_length=255, pattern=NO_NUL)
    latitude: float | None = Field(None, ge=-11.1, le=6.1)
    longitude: float | None = Field(None, ge=94.7, le=141.1)
    population_served: int | None = Field(None, ge=0, le=300_000_000)
    population_kind: PopulationKindIn = ""

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "name": "SMP Negeri Contoh 1 Surabaya",
                    "site_type": "smp",
                    "region_code": "35.78.01",
                    "official_id": "20599801",
                    "address": "Jl. Contoh 1",
                    "latitude": -7.3,
                    "longitude": 112.7,
                    "population_served": 640,
                    "population_kind": "students",
                }
            ]
        }
    }


class SiteUpdate(SiteIn):
    version: int = Field(..., ge=1, le=MAX_INT, description="the version you read")


class SitePatch(Schema):
    version: int = Field(..., ge=1, le=MAX_INT, description="the version you read")
    name: str | None = Field(None, min_length=1, max_length=200, pattern=NO_NUL)
    site_type: SiteTypeIn | None = None
    region_code: str | None = Field(None, pattern=REGION_CODE)
    official_id: str | None = Field(None, max_length=20, pattern=NO_NUL)
    address: str | None = Field(None, max_length=255, pattern=NO_NUL)
    latitude: float | None = Field(None, ge=-11.1, le=6.1)
    longitude: float | None = Field(None, ge=94.7, le=141.1)
    population_served: int | None = Field(None, ge=0, le=300_000_000)
    population_kind: PopulationKindIn | None = None

    model_config = {"json_schema_extra": {"examples": [{"version": 1, "address": "Jl. Baru 2"}]}}


class VersionConflictOut(Schema):
    detail: str
    current_version: int


def _invalid(exc: ValidationError) -> Status:
    """A service's field errors in the shape of the API's other validation errors."""
    if hasattr(exc, "error_dict"):
        errors = [
            {
                "loc": ["body", "region_code" if name in ("region", "region_id") else name],
                "msg": message,
                "type": "invalid",
            }
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "msg": m, "type": "invalid"} for m in exc.messages]
    return Status(422, {"detail": "The site is not valid.", "errors": errors})


def _values(body: Schema, *, partial: bool) -> dict:
    values = body.dict(exclude_unset=partial)
    values.pop("version", None)
    if partial:  # a field sent as null in a PATCH means "clear it" only where null is a value
        for name in (
            "name",
            "site_type",
            "region_code",
            "official_id",
            "address",
            "population_kind",
        ):
            if values.get(name, "") is None:
                values.pop(name)
    if "region_code" in values:
        values["region_id"] = values.pop("region_code")
    return values


@router.get("/sites", response={200: list[SiteOut], **ERRORS}, summary="Sites in your jurisdiction")
@paginate(Pagination)
def list_sites(request, filters: Query[SiteFilter]):
    return queries.site_list(request.auth, filters)


@router.post(
    "/sites",
    response={201: SiteOut, **BAD_BODY, **ERRORS, **FORBIDDEN},
    summary="Register a site in your jurisdiction",
)
def create_site(request, body: SiteIn):
    values = body.dict()
    try:
        site = services.create_site(
            request.auth,
            name=values.pop("name"),
            site_type=values.pop("site_type"),
            region_code=values.pop("region_code"),
            **values,
        )
    except ValidationError as exc:
        return _invalid(exc)
    return Status(201, queries.site_detail(request.auth, site.pk))


@router.get("/sites/{site_id}", response={200: SiteOut, **ERRORS, **NOT_FOUND}, summary="One site")
def get_site(request, site_id: int):
    return queries.site_detail(request.auth, site_id)


def _update(request, site_id: int, body, *, partial: bool):
    site = queries.site_detail(request.auth, site_id)
    try:
        services.update_site(request.auth, site, body.version, **_values(body, partial=partial))
    except ValidationError as exc:
        return _invalid(exc)
    except ConflictError as exc:
        current = queries.site_detail(request.auth, site_id)
        return Status(409, {"detail": str(exc.message), "current_version": current.version})
    return Status(200, queries.site_detail(request.auth, site_id))


UPDATE_RESPONSES = {
    200: SiteOut,
    **BAD_BODY,
    **ERRORS,
    **NOT_FOUND,
    **FORBIDDEN,
    409: VersionConflictOut,
}


@router.put(
    "/sites/{site_id}",
    response=UPDATE_RESPONSES,
    summary="Replace a site's fields (give the version you read; 409 if it changed since)",
)
def put_site(request, site_id: int, body: SiteUpdate):
    return _update(request, site_id, body, partial=False)


@router.patch(
    "/sites/{site_id}",
    response=UPDATE_RESPONSES,
    summary="Change some fields of a site (give the version you read; 409 if it changed since)",
)
def patch_site(request, site_id: int, body: SitePatch):
    return _update(request, site_id, body, partial=True)
