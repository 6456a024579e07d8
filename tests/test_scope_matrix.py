"""The scope matrix: every URL the project serves is classified, and every scoped one hides
objects of another jurisdiction.

Two registries below classify every URL pattern (by URL name) and every API operation (by
"METHOD /path"):

- ``SCOPED``: URLs that reach domain objects (lists, details, edits, exports). Each entry
  builds an object in Kota Surabaya (35.78) and says how to reach it. A user of another
  jurisdiction must get 404 on the object's URL (not 403, not data) and must not find it in
  the list; the owner must reach it, so the check cannot pass vacuously.
- ``NOT_SCOPED``: reference data and self-service URLs, each with the reason.

A new URL in neither registry fails ``test_every_url_and_api_operation_is_classified``:
whoever adds it decides which it is and, if scoped, adds a factory here.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cegah.accounts.services import create_token, create_user
from cegah.api.urls import api
from cegah.core.models import ChangeLog
from cegah.core.numbers import format_number
from cegah.core.scope import Roles
from cegah.exchange.models import ImportJob
from cegah.indicators.entry import version_of
from cegah.indicators.models import (
    Approval,
    DataElement,
    DataSet,
    DataSetElement,
    DataValue,
    Indicator,
    Target,
    ValidationRule,
)
from cegah.indicators.services import ValueRow, write_values
from cegah.regions.models import Office
from cegah.sites.models import Site
from cegah.sites.services import create_site
from tests.conftest import bearer, client_for, make_user
from tests.sites.helpers import site_form_data

API_PREFIX = "/api/v1"

# ---------------------------------------------------------------------------------------
# Factories: each builds one object in Kota Surabaya (35.78), owned by ``owner`` (the
# Surabaya manager), and returns it with a text that only this object puts on a page.


@dataclass(frozen=True)
class Built:
    obj: Any
    marker: str


def _unique(label: str) -> str:
    return f"{label} {uuid.uuid4().hex[:10]}"


def surabaya_site(owner) -> Built:
    name = _unique("SMP Rahasia Surabaya")
    site = create_site(
        owner, name=name, site_type="smp", region_code="35.78.01", official_id="20599977"
    )
    return Built(site, name)


def surabaya_token(owner) -> Built:
    name = _unique("skrip sinkron Surabaya")
    token, _secret = create_token(owner, name)
    return Built(token, name)


def surabaya_user(owner) -> Built:
    username = _unique("petugas.rahasia").replace(" ", ".")
    user = create_user(
        owner,
        username=username,
        password="Sangat-Rahasia-2026",
        role=Roles.OFFICER,
        office=Office.objects.get(code="BNNK-35.78"),
        field_prevention=True,
    )
    return Built(user, username)


def surabaya_import_job(owner) -> Built:
    filename = _unique("laporan-rahasia-surabaya").replace(" ", "-") + ".csv"
    job = ImportJob.objects.create(
        user=owner, filename=filename, stored_as="imports/matrix.csv", size=10
    )
    return Built(job, filename)


def surabaya_data_value(owner) -> Built:
    comment = _unique("catatan rahasia Surabaya")
    element = DataElement.objects.filter(derived=False, period_type="Yearly").first()
    value = DataValue.objects.create(
        data_element=element,
        period="2025",
        year=2025,
        org_unit="35.78",
        region_code="35.78",
        value=7,
        comment=comment,
        stored_by=owner.username,
    )
    return Built(value, comment)


def surabaya_analytics_value(owner) -> Built:
    """A value only this test writes (its own data element), through the write path."""
    code = "MATRIX_" + uuid.uuid4().hex[:10].upper()
    DataElement.objects.create(
        code=code,
        name_id=code,
        name_en=code,
        definition_id="uji",
        definition_en="test",
        value_type="INTEGER",
        aggregation="SUM",
        period_type="Yearly",
        field="pencegahan",
    )
    number = str(uuid.uuid4().int % 9_000_000 + 1_000_000)
    summary = write_values(owner, [ValueRow(code, "2025", "35.78.01", number)])
    assert summary.imported == 1, summary.as_dict()
    return Built(DataValue.objects.get(data_element__code=code), number)


def _entry_data_set(owner, rule_code: str = "") -> tuple:
    """A quarterly data set of its own (one element) with a value in Surabaya whose comment
    only this object carries; with ``rule_code``, a rule that the value breaks."""
    code = "MATRIX_" + uuid.uuid4().hex[:10].upper()
    element = DataElement.objects.create(
        code=code,
        name_id=code,
        name_en=code,
        definition_id="uji",
        definition_en="test",
        value_type="INTEGER",
        aggregation="SUM",
        period_type="Quarterly",
        field="pencegahan",
    )
    name = _unique("Laporan rahasia")
    data_set = DataSet.objects.create(
        code=code,
        name_id=name,
        name_en=name,
        definition_id="uji",
        definition_en="test",
        period_type="Quarterly",
    )
    DataSetElement.objects.create(data_set=data_set, data_element=element)
    if rule_code:
        ValidationRule.objects.create(
            code=rule_code,
            name_id=rule_code,
            name_en=rule_code,
            definition_id="uji",
            definition_en="test",
            left=f"#{{{code}}}",
            operator="<=",
            right="1",
            data_set=data_set,
        )
    comment = _unique("catatan isian Surabaya")
    row = ValueRow(code, "2026Q1", "35.78", "5", comment=comment)
    summary = write_values(owner, [row], check_rules=False)
    assert summary.imported == 1, summary.as_dict()
    value = DataValue.objects.get(data_element=element)
    return data_set, value, comment


def surabaya_entry_value(owner) -> Built:
    _data_set, value, comment = _entry_data_set(owner)
    return Built(value, comment)


def _grid(value) -> dict:
    return {"dataSet": value.data_element.code, "orgUnit": value.org_unit, "period": value.period}


def _cell(value) -> dict:
    return {**_grid(value), "de": value.data_element.code, "coc": value.coc}


def surabaya_violation(owner) -> Built:
    rule_code = "MATRIX_RULE_" + uuid.uuid4().hex[:8].upper()
    data_set, value, _comment = _entry_data_set(owner, rule_code)
    return Built(value, rule_code)


def surabaya_approval(owner) -> Built:
    """A draft approval in Surabaya (opened by entering a value), named by its own data set."""
    data_set, value, _comment = _entry_data_set(owner)
    approval = Approval.objects.get(data_set=data_set, org_unit="35.78", period="2026Q1")
    return Built(approval, data_set.name_id)


def surabaya_approval_link(owner) -> Built:
    """As above, for lists: the link to the approval is what only it puts on a page."""
    approval = surabaya_approval(owner).obj
    return Built(approval, reverse("approval-detail", args=[approval.pk]))


def surabaya_target(owner) -> Built:
    number = uuid.uuid4().int % 9_000_000 + 1_000_000
    target = Target.objects.create(
        indicator=Indicator.objects.order_by("code").first(),
        region_id="35.78",
        year=2026,
        value=number,
    )
    return Built(target, format_number(number, "id"))  # as the page shows it: 3.414.476


def surabaya_target_link(owner) -> Built:
    target = surabaya_target(owner).obj
    return Built(target, reverse("target-detail", args=[target.pk]))


def user_edit_form(user) -> dict:
    return {
        "first_name": "Diubah",
        "role": user.role,
        "office": user.office.code,
        "field_prevention": "on",
        "is_active": "on",
    }


def site_edit_form(site: Site) -> dict:
    return site_form_data(site, name="Diubah dari luar yurisdiksi", site_type="sma")


def site_api_put(site: Site) -> dict:
    return {
        "version": site.version,
        "name": "Diubah lewat API",
        "site_type": site.site_type,
        "region_code": site.region_id,
        "official_id": site.official_id,
    }


def site_api_patch(site: Site) -> dict:
    return {"version": site.version, "address": "Jl. Diubah lewat API"}


# Standards app: assessments (scoped by their site), evidence files, drug-prone areas.


def _matrix_site(owner, label: str):
    return create_site(owner, name=_unique(label), site_type="smp", region_code="35.78.01")


def _matrix_officer():
    return create_user(
        None,
        username=_unique("penilai").replace(" ", "."),
        password="Sangat-Rahasia-2026",
        role=Roles.OFFICER,
        office=Office.objects.get(code="BNNK-35.78"),
        field_prevention=True,
    )


def _rated_assessment(assessor, site, assessed_on=None, summary=""):
    import datetime

    from cegah.standards import services as standards

    standard = standards.current_standard(site.site_type)
    return standards.create_assessment(
        assessor,
        site,
        assessed_on=assessed_on or datetime.date(2025, 3, 1),
        summary=summary,
        levels={c.code: 3 for c in standard.components.all()},
    )


def surabaya_assessment(owner) -> Built:
    """A draft by the owner; the site's name and the evidence note carry the marker."""
    site = _matrix_site(owner, "SMP Penilaian Rahasia")
    return Built(_rated_assessment(owner, site, summary=site.name), site.name)


def surabaya_submitted_assessment(owner) -> Built:
    from cegah.standards import services as standards

    site = _matrix_site(owner, "SMP Diajukan Rahasia")
    assessment = _rated_assessment(_matrix_officer(), site)
    return Built(standards.submit_assessment(assessment.assessor, assessment), site.name)


def surabaya_verified_assessment(owner) -> Built:
    from cegah.standards import services as standards

    built = surabaya_submitted_assessment(owner)
    return Built(standards.verify_assessment(owner, built.obj), built.marker)


def surabaya_overdue_assessment(owner) -> Built:
    """Verified in 2020, so its review is long overdue."""
    import datetime

    from cegah.standards import services as standards

    site = _matrix_site(owner, "SMP Terlambat Rahasia")
    assessment = _rated_assessment(_matrix_officer(), site, datetime.date(2020, 2, 1))
    standards.submit_assessment(assessment.assessor, assessment)
    return Built(standards.verify_assessment(owner, assessment), site.name)


def _matrix_pdf(text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.standards.helpers import pdf_bytes

    return SimpleUploadedFile("bukti.pdf", pdf_bytes(text), content_type="application/pdf")


def surabaya_evidence(owner) -> Built:
    """A PDF whose content carries the marker."""
    from cegah.standards import services as standards

    marker = _unique("bukti-rahasia")
    assessment = surabaya_assessment(owner).obj
    return Built(standards.add_evidence(owner, assessment, _matrix_pdf(marker)), marker)


def surabaya_assessment_with_evidence(owner) -> Built:
    from cegah.standards import services as standards

    built = surabaya_assessment(owner)
    standards.add_evidence(owner, built.obj, _matrix_pdf(built.marker))
    return built


def assessment_edit_form(assessment) -> dict:
    return {
        "assessed_on": "2025-03-02",
        "version": assessment.version,
        "summary": "Diubah dari luar yurisdiksi",
    }


def evidence_upload_form(assessment) -> dict:
    return {"file": _matrix_pdf("unggahan")}


def surabaya_drug_prone(owner) -> Built:
    """A Surabaya kelurahan's year; its note carries the marker."""
    from cegah.standards import services as standards

    marker = _unique("catatan rawan")
    obj = standards.record_drug_prone(
        owner,
        region_code="35.78.01.1002",
        year=2025,
        answers={"main_dealers": True},
        notes={"main_dealers": marker},
    )
    return Built(obj, marker)


def surabaya_drug_prone_listed(owner) -> Built:
    """The list page names the village by its code."""
    built = surabaya_drug_prone(owner)
    return Built(built.obj, built.obj.region_id)


def drug_prone_edit_form(obj) -> dict:
    return {"version": obj.version, "main_dealers": "on", "main_couriers": "on"}


OBJECT, LIST = "object", "list"


@dataclass(frozen=True)
class Scoped:
    """A URL that reaches domain objects, with how to build one and reach it."""

    build: Callable[[Any], Built]
    kind: str  # OBJECT: the URL names one object; LIST: the URL lists objects
    kwargs: Callable[[Any], dict] = lambda obj: {}
    methods: tuple[str, ...] = ("GET",)
    form: Callable[[Any], dict] = lambda obj: {}
    query: Callable[[Any], dict] = lambda obj: {}  # query string, for GETs that need one


SCOPED: dict[str, Scoped] = {
    # Web pages
    "site-list": Scoped(surabaya_site, LIST),
    "site-detail": Scoped(surabaya_site, OBJECT, kwargs=lambda site: {"pk": site.pk}),
    "site-edit": Scoped(
        surabaya_site,
        OBJECT,
        kwargs=lambda site: {"pk": site.pk},
        methods=("GET", "POST"),
        form=site_edit_form,
    ),
    # The site's creation entry names it; the log is scoped like the object it records.
    "changelog": Scoped(surabaya_site, LIST),
    # Tokens belong to one user: anyone else gets 404, even a national admin.
    "token-revoke": Scoped(
        surabaya_token, OBJECT, kwargs=lambda token: {"pk": token.pk}, methods=("POST",)
    ),
    "user-list": Scoped(surabaya_user, LIST),
    "user-detail": Scoped(surabaya_user, OBJECT, kwargs=lambda user: {"pk": user.pk}),
    "user-edit": Scoped(
        surabaya_user,
        OBJECT,
        kwargs=lambda user: {"pk": user.pk},
        methods=("GET", "POST"),
        form=user_edit_form,
    ),
    # Import jobs belong to their owner (national admins see all); the list shows one's own.
    "import": Scoped(surabaya_import_job, LIST),
    "import-job": Scoped(surabaya_import_job, OBJECT, kwargs=lambda job: {"pk": job.pk}),
    "import-job-status": Scoped(surabaya_import_job, OBJECT, kwargs=lambda job: {"pk": job.pk}),
    # Data entry: the org unit named in the query is what is scoped (404 outside).
    "data-entry": Scoped(surabaya_entry_value, OBJECT, query=_grid),
    "data-entry-value": Scoped(
        surabaya_entry_value,
        OBJECT,
        methods=("POST",),
        # sent with the version the owner's grid loaded, as the page sends it
        form=lambda value: {**_cell(value), "value": "6", "version": version_of(value)},
    ),
    "data-entry-comment": Scoped(
        surabaya_entry_value,
        OBJECT,
        methods=("POST",),
        form=lambda value: {**_cell(value), "comment": "diubah"},
    ),
    "data-entry-history": Scoped(surabaya_entry_value, OBJECT, query=_cell),
    "data-entry-sites": Scoped(surabaya_site, LIST, query=lambda site: {"q": site.name}),
    "data-validation": Scoped(surabaya_violation, LIST, query=_grid),
    # Approvals: the inbox and completeness link each approval they show.
    "approval-inbox": Scoped(surabaya_approval_link, LIST),
    "approval-completeness": Scoped(
        surabaya_approval_link,
        LIST,
        query=lambda a: {"dataSet": a.data_set.code, "period": a.period},
    ),
    "approval-detail": Scoped(surabaya_approval, OBJECT, kwargs=lambda a: {"pk": a.pk}),
    "approval-transition": Scoped(
        surabaya_approval,
        OBJECT,
        kwargs=lambda a: {"pk": a.pk, "action": "submit"},
        methods=("POST",),
    ),
    "approval-submit": Scoped(
        surabaya_approval,
        OBJECT,
        methods=("POST",),
        form=lambda a: {"dataSet": a.data_set.code, "orgUnit": a.org_unit, "period": a.period},
    ),
    "target-list": Scoped(
        surabaya_target_link,
        LIST,
        query=lambda t: {"indicator": t.indicator.code, "year": t.year},
    ),
    "target-detail": Scoped(
        surabaya_target,
        OBJECT,
        kwargs=lambda t: {"pk": t.pk},
        methods=("GET", "POST"),
        form=lambda t: {"value": "12"},
    ),
    # API operations
    "GET /api/v1/dataValueSets": Scoped(surabaya_data_value, LIST),
    # Naming Surabaya explicitly is a 404 for others (LEVEL-n lists only in-scope regions:
    # tests/analytics/test_engine.py).
    "GET /api/v1/analytics": Scoped(
        surabaya_analytics_value,
        OBJECT,
        query=lambda dv: {"dx": dv.data_element.code, "pe": dv.period, "ou": "35.78"},
    ),
    "GET /api/v1/sites": Scoped(surabaya_site, LIST),
    "GET /api/v1/sites/{site_id}": Scoped(
        surabaya_site, OBJECT, kwargs=lambda site: {"site_id": site.pk}
    ),
    "PUT /api/v1/sites/{site_id}": Scoped(
        surabaya_site, OBJECT, kwargs=lambda site: {"site_id": site.pk}, form=site_api_put
    ),
    "PATCH /api/v1/sites/{site_id}": Scoped(
        surabaya_site, OBJECT, kwargs=lambda site: {"site_id": site.pk}, form=site_api_patch
    ),
    # Standards app: assessments, evidence files, drug-prone areas.
    "assessment-list": Scoped(surabaya_assessment, LIST),
    "assessment-overdue": Scoped(surabaya_overdue_assessment, LIST),
    "assessment-create": Scoped(
        surabaya_site,
        OBJECT,
        kwargs=lambda site: {"site_pk": site.pk},
    ),
    "assessment-detail": Scoped(surabaya_assessment, OBJECT, kwargs=lambda a: {"pk": a.pk}),
    "assessment-edit": Scoped(
        surabaya_assessment,
        OBJECT,
        kwargs=lambda a: {"pk": a.pk},
        methods=("GET", "POST"),
        form=assessment_edit_form,
    ),
    "assessment-submit": Scoped(
        surabaya_assessment, OBJECT, kwargs=lambda a: {"pk": a.pk}, methods=("POST",)
    ),
    "assessment-delete": Scoped(
        surabaya_assessment, OBJECT, kwargs=lambda a: {"pk": a.pk}, methods=("POST",)
    ),
    "assessment-verify": Scoped(
        surabaya_submitted_assessment, OBJECT, kwargs=lambda a: {"pk": a.pk}, methods=("POST",)
    ),
    "assessment-return": Scoped(
        surabaya_submitted_assessment,
        OBJECT,
        kwargs=lambda a: {"pk": a.pk},
        methods=("POST",),
        form=lambda a: {"reason": "Lengkapi dokumen"},
    ),
    "assessment-unverify": Scoped(
        surabaya_verified_assessment,
        OBJECT,
        kwargs=lambda a: {"pk": a.pk},
        methods=("POST",),
        form=lambda a: {"reason": "Bukti keliru"},
    ),
    "evidence-upload": Scoped(
        surabaya_assessment,
        OBJECT,
        kwargs=lambda a: {"pk": a.pk},
        methods=("POST",),
        form=evidence_upload_form,
    ),
    # The file itself: the owner's download carries the marker inside the PDF.
    "evidence-file": Scoped(surabaya_evidence, OBJECT, kwargs=lambda e: {"pk": e.pk}),
    # Removing a file touches its assessment, which is what the matrix compares.
    "evidence-delete": Scoped(
        surabaya_assessment_with_evidence,
        OBJECT,
        kwargs=lambda a: {"pk": a.evidence.get().pk},
        methods=("POST",),
    ),
    "drug-prone-list": Scoped(surabaya_drug_prone_listed, LIST),
    "drug-prone-detail": Scoped(surabaya_drug_prone, OBJECT, kwargs=lambda o: {"pk": o.pk}),
    "drug-prone-edit": Scoped(
        surabaya_drug_prone,
        OBJECT,
        kwargs=lambda o: {"pk": o.pk},
        methods=("GET", "POST"),
        form=drug_prone_edit_form,
    ),
    "GET /api/v1/assessments": Scoped(surabaya_assessment, LIST),
    "GET /api/v1/assessments/{assessment_id}": Scoped(
        surabaya_assessment, OBJECT, kwargs=lambda a: {"assessment_id": a.pk}
    ),
    "GET /api/v1/drug-prone-assessments": Scoped(surabaya_drug_prone, LIST),
    "GET /api/v1/drug-prone-assessments/{assessment_id}": Scoped(
        surabaya_drug_prone, OBJECT, kwargs=lambda o: {"assessment_id": o.pk}
    ),
    # The export runs the list's filter and scoped query (its CSV names the site).
    "site-export": Scoped(surabaya_site, LIST),
}

NOT_SCOPED: dict[str, str] = {
    "home": "self-service: summarises the signed-in user's own jurisdiction",
    "login": "authentication",
    "logout": "authentication",
    "profile": "self-service: the signed-in user's own profile, tokens and history",
    "token-create": "self-service: creates a token for the signed-in user only",
    "set_language": "self-service: the language cookie",
    "healthz": "operations: answers ok without data",
    "region-browser": "reference: the Kemendagri regions are public",
    "region-detail": "reference: the Kemendagri regions are public",
    "office-list": "reference: the directory of BNN offices is public",
    "office-detail": "reference: the office directory and the history of the office itself",
    "office-create": "national-admin administration of the office directory (403 for others)",
    "office-edit": "national-admin administration of the office directory (403 for others)",
    "office-retire": "national-admin administration of the office directory (403 for others)",
    "site-create": (
        "create form, reaches no existing object; the region typed in is checked against "
        "scope (test_officer_cannot_create_site_outside_jurisdiction)"
    ),
    "site-import": (
        "import form: every row's region is checked against scope, a row reaches a stored "
        "site only inside the jurisdiction (tests/sites/test_import.py::"
        "test_import_cannot_reach_a_site_of_another_jurisdiction)"
    ),
    "site-import-template": "reference: the empty import template",
    "POST /api/v1/sites": (
        "create, reaches no existing object; the region is checked against scope "
        "(tests/sites/test_api.py::test_api_create_refuses_a_region_outside_the_jurisdiction)"
    ),
    # Standards are national rubrics: everyone reads the published versions; national
    # admins version them (drafts are theirs alone: 404 for others, tests/standards).
    "standard-list": "reference: the national standards (drafts listed to national admins only)",
    "standard-detail": "reference: a national standard version (drafts 404 for non-admins)",
    "standard-copy": "national-admin administration of the standards (403 for others)",
    "standard-edit": "national-admin administration of the standards (403 for others)",
    "standard-publish": "national-admin administration of the standards (403 for others)",
    "standard-delete": "national-admin administration of the standards (403 for others)",
    "component-create": "national-admin administration of the standards (403 for others)",
    "component-edit": "national-admin administration of the standards (403 for others)",
    "component-delete": "national-admin administration of the standards (403 for others)",
    "category-rule": (
        "reference: the national drug-prone category rule; national admins change it "
        "(403 for others)"
    ),
    "drug-prone-create": (
        "create form, reaches no existing object; the village typed in is checked against "
        "scope (tests/standards/test_drug_prone.py::test_only_villages_inside_the_jurisdiction)"
    ),
    "GET /api/v1/standards": "reference: the national standards",
    "GET /api/v1/standards/{standard_id}": "reference: a national standard version",
    "POST /api/v1/assessments": (
        "create; the site named in the body is read through scope, 404 outside "
        "(tests/standards/test_api.py::test_post_assessment_out_of_scope_or_invalid)"
    ),
    "POST /api/v1/drug-prone-assessments": (
        "create; the village is checked against scope, nothing is written outside "
        "(tests/standards/test_api.py::test_drug_prone_api_is_scoped)"
    ),
    "user-create": (
        "create form, reaches no existing user; office and site choices are limited to "
        "the actor's scope (tests/test_user_admin.py)"
    ),
    "api:api-root": "API documentation",
    "api:openapi-json": "API documentation: the OpenAPI schema",
    "api:openapi-view": "API documentation: the interactive docs",
    "GET /api/v1/me": "self-service: the calling user",
    "GET /api/v1/regions": "reference: the Kemendagri regions are public",
    "GET /api/v1/regions/{code}": "reference: the Kemendagri regions are public",
    "GET /api/v1/offices": "reference: the directory of BNN offices is public",
    # The indicator catalogue (cegah/indicators/urls_catalogue.py, api.py) is reference data.
    "indicator-list": "reference: the indicator catalogue is the same for every user",
    "indicator-detail": "reference: any signed-in user may open any definition",
    "data-element-list": "reference: the indicator catalogue is the same for every user",
    "data-element-detail": "reference: any signed-in user may open any definition",
    "data-set-list": "reference: the indicator catalogue is the same for every user",
    "data-set-detail": "reference: any signed-in user may open any definition",
    "indicator-create": "national-admin catalogue editing (403 for others)",
    "indicator-edit": "national-admin catalogue editing (403 for others)",
    "data-element-create": "national-admin catalogue editing (403 for others)",
    "data-element-edit": "national-admin catalogue editing (403 for others)",
    "GET /api/v1/dataElements": "reference: the indicator catalogue",
    "GET /api/v1/dataElements/{code}": "reference: the indicator catalogue",
    "GET /api/v1/indicators": "reference: the indicator catalogue",
    "GET /api/v1/indicators/{code}": "reference: the indicator catalogue",
    "GET /api/v1/dataSets": "reference: the indicator catalogue",
    "data-set-template": "reference: a data set's XLSX template holds catalogue codes only",
    "POST /api/v1/dataValueSets": (
        "import: write_values checks every row against the caller's scope; an out-of-scope "
        "org unit is a conflict and nothing is written (tests/exchange/test_api.py)"
    ),
    "GET /api/v1/dataSets/{code}": "reference: the indicator catalogue",
}


# ---------------------------------------------------------------------------------------
# Walking the URL configuration.


def _as_api_path(route: str) -> str:
    """Django route 'api/v1/sites/<int:site_id>' → OpenAPI path '/api/v1/sites/{site_id}'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def api_operations() -> set[str]:
    schema = api.get_openapi_schema(path_prefix=API_PREFIX + "/")
    return {
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def url_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(route, key) of every URL pattern; the key is 'namespace:name', the name, or the route."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            yield from url_patterns(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield route, name or route


def every_url_key() -> set[str]:
    operations = api_operations()
    operation_paths = {key.split(" ", 1)[1] for key in operations}
    keys = set(operations)
    for route, key in url_patterns():
        if _as_api_path(route) in operation_paths:
            continue  # classified per operation (method + path) instead
        keys.add(key)
    return keys


def test_every_url_and_api_operation_is_classified():
    keys = every_url_key()
    unclassified = sorted(keys - SCOPED.keys() - NOT_SCOPED.keys())
    assert unclassified == [], (
        "Classify these URLs in tests/test_scope_matrix.py: add a factory to SCOPED "
        "(lists, details, edits, exports of domain objects) or a reason to NOT_SCOPED."
    )
    assert sorted((SCOPED.keys() | NOT_SCOPED.keys()) - keys) == [], "stale registry entries"
    assert SCOPED.keys() & NOT_SCOPED.keys() == set()


def test_the_walk_sees_web_pages_and_api_operations():
    """Guards the walker itself: if it stopped descending into includes or the API, the
    classification test above would pass on an empty set."""
    keys = every_url_key()
    assert {"site-detail", "GET /api/v1/sites/{site_id}", "api:openapi-json"} <= keys


# ---------------------------------------------------------------------------------------
# The matrix.


def _url(key: str, kwargs: dict, query: dict | None = None) -> tuple[str, str | None]:
    """(URL, method) for a registry key; the method is fixed for API operations."""
    suffix = "?" + urlencode(query) if query else ""
    if " " in key:
        method, path = key.split(" ", 1)
        return path.format(**kwargs) + suffix, method
    return reverse(key, kwargs=kwargs) + suffix, None


def _client(user, key: str):
    if " " in key:  # API operations: authenticate as scripts do, with a personal token
        client = client_for(user)
        client.logout()
        client.defaults.update(bearer(user))
        return client
    return client_for(user)


def _request(client, method: str, url: str, data: dict):
    if method == "GET":
        return client.get(url)
    if url.startswith(API_PREFIX + "/"):  # the API reads JSON bodies
        return getattr(client, method.lower())(url, data, content_type="application/json")
    return getattr(client, method.lower())(url, data)


def _text(response) -> str:
    """The body as text, whether streamed (exports) or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _stored(obj) -> dict | None:
    """The object's stored row; None once deleted (a delete is the owner's write)."""
    return type(obj)._default_manager.filter(pk=obj.pk).values().first()


@pytest.fixture
def other_surabaya_focal_point(db):
    """The focal point of another Surabaya site: same regency, but only their own site."""
    site = create_site(None, name="SD Negeri Lain Surabaya", site_type="sd", region_code="35.78.02")
    return make_user("sekolah.lain", Roles.FOCAL_POINT, site=site)


OUTSIDERS = ["malang_manager", "other_surabaya_focal_point"]


def _cases(kind: str):
    return [
        pytest.param(key, entry, outsider, id=f"{key} as {outsider}")
        for key, entry in SCOPED.items()
        if entry.kind == kind
        for outsider in OUTSIDERS
    ]


@pytest.mark.parametrize(("key", "entry", "outsider_fixture"), _cases(OBJECT))
def test_object_of_another_jurisdiction_is_not_found(
    request, surabaya_manager, key, entry, outsider_fixture
):
    outsider = request.getfixturevalue(outsider_fixture)
    built = entry.build(surabaya_manager)
    url, api_method = _url(key, entry.kwargs(built.obj), entry.query(built.obj))
    for method in (api_method,) if api_method else entry.methods:
        stored = _stored(built.obj)
        response = _request(_client(outsider, key), method, url, entry.form(built.obj))
        assert response.status_code == 404, f"{method} {url} as {outsider.username}"
        assert built.marker not in _text(response)
        assert _stored(built.obj) == stored, f"{method} {url} changed an out-of-scope object"

    # The owner does reach it, so the 404 above is about scope, not a broken URL.
    for method in (api_method,) if api_method else entry.methods:
        stored = _stored(built.obj)
        response = _request(_client(surabaya_manager, key), method, url, entry.form(built.obj))
        assert response.status_code < 400, f"{method} {url} as the owner"
        if method == "GET":
            assert built.marker in _text(response)
        else:  # the owner's write goes through, so the outsider's refusal above is scope
            assert _stored(built.obj) != stored, f"{method} {url}: the owner's write failed"


@pytest.mark.parametrize(("key", "entry", "outsider_fixture"), _cases(LIST))
def test_list_does_not_show_objects_of_another_jurisdiction(
    request, surabaya_manager, key, entry, outsider_fixture
):
    outsider = request.getfixturevalue(outsider_fixture)
    built = entry.build(surabaya_manager)
    url, _method = _url(key, entry.kwargs(built.obj), entry.query(built.obj))

    response = _client(outsider, key).get(url)
    assert response.status_code == 200
    assert built.marker not in _text(response)

    response = _client(surabaya_manager, key).get(url)
    assert response.status_code == 200
    assert built.marker in _text(response)


# ---------------------------------------------------------------------------------------
# Roles inside a jurisdiction.


def test_focal_point_sees_only_their_own_site(focal_point, surabaya_site):
    other = create_site(
        None, name="SMA Negeri Tetangga Surabaya", site_type="sma", region_code="35.78.01"
    )
    client = client_for(focal_point)

    assert client.get(reverse("site-detail", args=[surabaya_site.pk])).status_code == 200
    assert client.get(reverse("site-detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("site-list")).content.decode()
    assert surabaya_site.name in listing
    assert other.name not in listing


def test_focal_point_cannot_edit_even_their_own_site(focal_point, surabaya_site):
    response = client_for(focal_point).post(
        reverse("site-edit", args=[surabaya_site.pk]), site_edit_form(surabaya_site)
    )
    assert response.status_code == 403
    assert Site.objects.get(pk=surabaya_site.pk).name == surabaya_site.name


def test_province_manager_sees_sites_of_every_regency_in_the_province(
    jatim_manager, surabaya_site, malang_site
):
    client = client_for(jatim_manager)
    listing = client.get(reverse("site-list")).content.decode()
    assert surabaya_site.name in listing
    assert malang_site.name in listing
    assert client.get(reverse("site-detail", args=[surabaya_site.pk])).status_code == 200
    assert client.get(reverse("site-detail", args=[malang_site.pk])).status_code == 200

    api_ids = {row["id"] for row in client.get("/api/v1/sites").json()["items"]}
    assert {surabaya_site.pk, malang_site.pk} <= api_ids


def test_province_manager_does_not_see_another_province(jatim_manager):
    bandung = create_site(None, name="SMP Negeri Uji Bandung", site_type="smp", region_code="32.73")
    client = client_for(jatim_manager)
    assert client.get(reverse("site-detail", args=[bandung.pk])).status_code == 404
    assert bandung.name not in client.get(reverse("site-list")).content.decode()


def test_viewer_reads_in_scope_but_cannot_post_edits(jatim_viewer, surabaya_site):
    client = client_for(jatim_viewer)
    page = client.get(reverse("site-detail", args=[surabaya_site.pk]))
    assert page.status_code == 200
    assert surabaya_site.name in page.content.decode()

    response = client.post(
        reverse("site-edit", args=[surabaya_site.pk]), site_edit_form(surabaya_site)
    )
    assert response.status_code == 403
    assert Site.objects.get(pk=surabaya_site.pk).name == surabaya_site.name
    assert client.get(reverse("site-create")).status_code == 403


def test_officer_cannot_create_site_outside_jurisdiction(db):
    officer = make_user("cegah.malang", Roles.OFFICER, "BNNK-35.73")
    sites_before = Site.objects.count()
    log_before = ChangeLog.objects.count()

    response = client_for(officer).post(
        reverse("site-create"),
        {
            "name": "SMP Negeri Salah Wilayah",
            "site_type": "smp",
            "region_code": "35.78.01",
            "official_id": "",
            "address": "",
            "population_served": "",
        },
    )

    assert response.status_code == 200  # the form again, with the error on the region
    assert response.context["form"].errors.keys() == {"region_code"}
    assert Site.objects.count() == sites_before
    assert ChangeLog.objects.count() == log_before


def test_officer_creates_site_inside_jurisdiction(db):
    """The counterpart of the test above: the same form works for an in-scope region."""
    officer = make_user("cegah.malang", Roles.OFFICER, "BNNK-35.73")
    response = client_for(officer).post(
        reverse("site-create"),
        {
            "name": "SMP Negeri Wilayah Sendiri",
            "site_type": "smp",
            "region_code": "35.73.01",
            "official_id": "",
            "address": "",
            "population_served": "",
        },
    )
    site = Site.objects.get(name="SMP Negeri Wilayah Sendiri")
    assert response.status_code == 302
    assert site.region_id == "35.73.01"
