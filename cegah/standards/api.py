"""/api/v1/standards, /api/v1/assessments and /api/v1/drug-prone-assessments.

Standards are national reference data. Assessments and drug-prone area assessments are
scoped like the pages: out of scope is 404, and a create goes through the same service
as the form (a draft assessment; a drug-prone assessment categorised by the current
rule)."""

import datetime
from typing import Annotated

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from cegah.api.pagination import Pagination
from cegah.api.schemas import ERRORS, NO_NUL, NOT_FOUND, ErrorOut
from cegah.sites import queries as site_queries

from . import queries, services
from .models import LEVELS

router = Router(tags=["standards and assessments"])

FORBIDDEN = {403: ErrorOut}
BAD_BODY = {400: ErrorOut}  # a body that is not JSON at all
NoNulText = Annotated[str, Field(max_length=5000, pattern=NO_NUL)]
ComponentCode = Annotated[str, Field(max_length=40)]
Level = Annotated[int, Field(ge=0, le=4)]
VILLAGE_CODE = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"


# --- Standards -------------------------------------------------------------------------


class StandardOut(Schema):
    id: int
    code: str
    version: int
    status: str
    name_id: str
    name_en: str
    site_types: list[str]
    is_default: bool = Field(..., description="shipped with Cegah as an editable default")
    source_id: str
    source_en: str
    published_at: datetime.datetime | None


class LevelOut(Schema):
    level: int
    id: str
    en: str


class ComponentOut(Schema):
    id: int
    code: str
    order: int
    name_id: str
    name_en: str
    description_id: str
    description_en: str
    weight: float
    levels: list[LevelOut]

    @staticmethod
    def resolve_levels(obj) -> list[dict]:
        return [
            {"level": n, "id": getattr(obj, f"level_{n}_id"), "en": getattr(obj, f"level_{n}_en")}
            for n in LEVELS
        ]


class StandardDetailOut(StandardOut):
    components: list[ComponentOut]

    @staticmethod
    def resolve_components(obj) -> list:
        return list(obj.components.all())


class StandardFilter(Schema):
    site_type: str = Field("", max_length=20, pattern=NO_NUL)
    status: str = Field(
        "", max_length=10, pattern=NO_NUL, description="draft (admins) or published"
    )


@router.get(
    "/standards",
    response={200: list[StandardOut], **ERRORS},
    summary="Standard versions (drafts for national admins only)",
)
@paginate(Pagination)
def list_standards(request, filters: Query[StandardFilter]):
    return queries.standard_list(request.auth, **filters.dict())


@router.get(
    "/standards/{standard_id}",
    response={200: StandardDetailOut, **ERRORS, **NOT_FOUND},
    summary="One standard version with its components and level descriptors",
)
def get_standard(request, standard_id: int):
    return queries.standard_detail(request.auth, standard_id)


# --- Assessments -----------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    site: int = Field(..., alias="site_id")
    site_code: str
    standard: int = Field(..., alias="standard_id")
    standard_code: str
    standard_version: int
    assessed_on: datetime.date
    next_review_due: datetime.date
    status: str
    self_assessment: bool
    maturity: float | None
    functioning: bool
    assessor: str
    verified_by: str | None
    verified_at: datetime.datetime | None
    summary: str
    levels: dict[str, int | None]
    version: int

    @staticmethod
    def resolve_site_code(obj) -> str:
        return obj.site.code

    @staticmethod
    def resolve_standard_code(obj) -> str:
        return obj.standard.code

    @staticmethod
    def resolve_standard_version(obj) -> int:
        return obj.standard.version

    @staticmethod
    def resolve_assessor(obj) -> str:
        return obj.assessor.username

    @staticmethod
    def resolve_verified_by(obj) -> str | None:
        return obj.verified_by.username if obj.verified_by_id else None

    @staticmethod
    def resolve_levels(obj) -> dict:
        return {score.component.code: score.level for score in obj.scores.all()}


class AssessmentFilter(Schema):
    site: int | None = Field(None, ge=1, le=2**62)
    status: str = Field("", max_length=10, pattern=NO_NUL)
    region: str = Field("", max_length=13, pattern=NO_NUL)
    self_assessment: bool | None = None


class AssessmentIn(Schema):
    site: int = Field(..., ge=1, le=2**62, description="site id")
    assessed_on: datetime.date
    next_review_due: datetime.date | None = Field(
        None, description="default: 12 months after assessed_on"
    )
    summary: NoNulText = ""
    levels: dict[ComponentCode, Level | None] = Field(
        default_factory=dict, description="component code → level 0–4"
    )
    notes: dict[ComponentCode, NoNulText] = Field(
        default_factory=dict, description="component code → evidence note"
    )


def _with_scores(qs):
    from django.db.models import Prefetch

    from .models import ComponentScore

    return qs.prefetch_related(
        Prefetch("scores", queryset=ComponentScore.objects.select_related("component"))
    )


@router.get(
    "/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    summary="Assessments of sites in your jurisdiction",
)
@paginate(Pagination)
def list_assessments(request, filters: Query[AssessmentFilter]):
    return _with_scores(queries.assessment_list(request.auth, **filters.dict()))


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, **ERRORS, **NOT_FOUND},
    summary="One assessment",
)
def get_assessment(request, assessment_id: int):
    return queries.assessment_detail(request.auth, assessment_id)


@router.post(
    "/assessments",
    response={201: AssessmentOut, **BAD_BODY, **ERRORS, **FORBIDDEN, **NOT_FOUND},
    summary="Start a draft assessment of a site (against its current published standard)",
)
def create_assessment(request, payload: AssessmentIn):
    site = site_queries.site_detail(request.auth, payload.site)
    assessment = services.create_assessment(
        request.auth,
        site,
        assessed_on=payload.assessed_on,
        next_review_due=payload.next_review_due,
        summary=payload.summary,
        levels=payload.levels,
        notes=payload.notes,
    )
    return Status(201, queries.assessment_detail(request.auth, assessment.pk))


# --- Drug-prone areas ------------------------------------------------------------------


class Answers(Schema):
    """The 8 main and 5 supporting indicators, each yes (true) or no (false)."""

    main_drug_crime: bool
    main_crime_violence: bool
    main_dealers: bool
    main_production: bool
    main_users: bool
    main_seized_evidence: bool
    main_entry_points: bool
    main_couriers: bool
    sup_entertainment: bool
    sup_private_housing: bool
    sup_poverty: bool
    sup_lacking_facilities: bool
    sup_low_interaction: bool


IndicatorName = Annotated[str, Field(max_length=40)]


class DrugProneOut(Schema):
    id: int
    region: str = Field(..., alias="region_id")
    year: int
    answers: Answers
    notes: dict[str, str]
    main_count: int
    supporting_count: int
    category: str
    previous_category: str
    recovered: bool
    rule_version: int
    version: int

    @staticmethod
    def resolve_answers(obj) -> dict:
        return obj.answers()

    @staticmethod
    def resolve_rule_version(obj) -> int:
        return obj.rule.version


class DrugProneFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    category: str = Field("", max_length=10, pattern=NO_NUL)
    region: str = Field("", max_length=13, pattern=NO_NUL)
    recovered: bool | None = None


class DrugProneIn(Schema):
    region: str = Field(..., pattern=VILLAGE_CODE, description="village/kelurahan code")
    year: int = Field(..., ge=2000, le=2100)
    answers: Answers
    notes: dict[IndicatorName, Annotated[str, Field(max_length=500, pattern=NO_NUL)]] = Field(
        default_factory=dict
    )


@router.get(
    "/drug-prone-assessments",
    response={200: list[DrugProneOut], **ERRORS},
    summary="Drug-prone area assessments of villages in your jurisdiction",
)
@paginate(Pagination)
def list_drug_prone(request, filters: Query[DrugProneFilter]):
    return queries.drug_prone_list(request.auth, **filters.dict()).select_related("rule")


@router.get(
    "/drug-prone-assessments/{assessment_id}",
    response={200: DrugProneOut, **ERRORS, **NOT_FOUND},
    summary="One drug-prone area assessment",
)
def get_drug_prone(request, assessment_id: int):
    return queries.drug_prone_detail(request.auth, assessment_id)


@router.post(
    "/drug-prone-assessments",
    response={201: DrugProneOut, **BAD_BODY, **ERRORS, **FORBIDDEN},
    summary="Record a village's year: the 13 answers give the category by the current rule",
)
def create_drug_prone(request, payload: DrugProneIn):
    obj = services.record_drug_prone(
        request.auth,
        region_code=payload.region,
        year=payload.year,
        answers=payload.answers.dict(),
        notes=payload.notes,
    )
    return Status(201, queries.drug_prone_detail(request.auth, obj.pk))
