"""DHIS2-compatible data value exchange: ``POST /dataValueSets`` imports (JSON, CSV or XLSX;
``dryRun``), ``GET /dataValueSets`` exports what the caller may see (JSON, CSV, XLSX),
streamed."""

import datetime
import os
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from cegah.api.schemas import ERRORS, NO_NUL, NOT_FOUND, ErrorOut

from . import exports, parsers, queries, services

router = Router(tags=["data values"])

Code = Annotated[str, StringConstraints(max_length=50, pattern=NO_NUL)]
Short = Annotated[str, StringConstraints(max_length=40, pattern=NO_NUL)]


class ImportConflictOut(Schema):
    object: str = Field(..., description="where: 'dataValues[3]', 'row 12', 'file', …")
    value: str = Field(..., description="what is wrong")


class ImportCountOut(Schema):
    imported: int
    updated: int
    ignored: int
    deleted: int


class ImportSummaryOut(Schema):
    status: str = Field(..., description="SUCCESS, WARNING (some rows written) or ERROR")
    dryRun: bool  # noqa: N815 - DHIS2's names
    importCount: ImportCountOut  # noqa: N815
    conflicts: list[ImportConflictOut]


class ImportOptions(Schema):
    dryRun: bool = Field(False, description="validate and count, write nothing")  # noqa: N815
    atomicMode: Literal["ALL", "NONE"] = Field(  # noqa: N815
        "ALL",
        description=(
            "ALL: nothing is written unless every row is valid (Cegah's default); NONE: the "
            "valid rows are written and the others listed as conflicts (DHIS2's behaviour)"
        ),
    )
    importStrategy: Short = Field(  # noqa: N815
        "CREATE_AND_UPDATE",
        description=(
            "DHIS2's import strategy: CREATE (new values only; stored ones are ignored), "
            "UPDATE (stored values only; new ones are ignored), CREATE_AND_UPDATE, DELETE "
            "(removes the rows' values; no value needed). NEW, UPDATES, NEW_AND_UPDATES and "
            "DELETES are read as the same. Another name refuses the file (409)."
        ),
    )


class DataValueOut(Schema):
    dataElement: str  # noqa: N815
    period: str
    orgUnit: str  # noqa: N815
    categoryOptionCombo: str  # noqa: N815
    attributeOptionCombo: str  # noqa: N815
    value: str = Field(..., description="'.' decimal mark, no grouping, no exponent")
    storedBy: str  # noqa: N815
    created: str
    lastUpdated: str  # noqa: N815
    comment: str | None = None
    followup: bool
    deleted: bool


class DataValueSetOut(Schema):
    dataValues: list[DataValueOut]  # noqa: N815


class ExportFilter(Schema):
    dataSet: list[Code] = Field([], description="data set codes")  # noqa: N815
    dataElement: list[Code] = Field([], description="data element codes")  # noqa: N815
    period: list[Code] = Field([], description="periods; 2026 also takes its quarters and months")
    orgUnit: list[Code] = Field(  # noqa: N815
        [], description="region or site codes; none: your whole jurisdiction"
    )
    children: bool = Field(False, description="include the org units below each orgUnit")
    startDate: datetime.date | None = Field(  # noqa: N815
        None, description="with endDate: values of the periods within these dates"
    )
    endDate: datetime.date | None = None  # noqa: N815
    lastUpdated: Short = Field(  # noqa: N815
        "", description="values changed since this date or date-time (ISO 8601)"
    )
    lastUpdatedDuration: Short = Field(  # noqa: N815
        "", description="values changed in this last span: 10d, 2h, 30m, 45s (or 1d12h)"
    )
    includeDeleted: bool = Field(  # noqa: N815
        False, description="also the values deleted since (JSON and CSV; deleted=true)"
    )
    limit: int | None = Field(None, ge=0, le=100_000_000, description="at most this many values")
    format: Literal["json", "csv", "xlsx"] = "json"


_BINARY = {"schema": {"type": "string", "format": "binary"}}
_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": (
            "A DHIS2 dataValueSet (JSON), DHIS2 CSV (dataelement, period, orgunit, "
            "categoryoptioncombo, attributeoptioncombo, value, storedby, lastupdated, "
            "comment, followup; header optional) or our XLSX template; or a multipart "
            "upload with the file in the field `file`. Codes are Cegah codes."
        ),
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "text/csv": {"schema": {"type": "string"}},
            parsers.XLSX_CONTENT_TYPE: _BINARY,
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}
_EXPORT_CONTENT = {
    "responses": {
        200: {
            "description": "the values, streamed",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                parsers.XLSX_CONTENT_TYPE: _BINARY,
            },
        }
    }
}


@router.post(
    "/dataValueSets",
    response={
        200: ImportSummaryOut,
        403: ErrorOut,
        409: ImportSummaryOut,
        413: ImportSummaryOut,
        **ERRORS,
    },
    summary="Import data values (DHIS2 dataValueSets)",
    description=(
        "Every row is validated first (type, code, period, scope, approval lock); with "
        "atomicMode=ALL nothing is written unless all rows are valid (409 with the "
        "conflicts). Re-sending the same values changes nothing (ignored)."
    ),
    openapi_extra=_IMPORT_BODY,
)
def import_data_values(request, options: Query[ImportOptions]):
    limit = services.max_bytes()
    content_type = request.META.get("CONTENT_TYPE", "")
    filename = ""
    if content_type.startswith("multipart/form-data"):
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
            return _too_large(int(request.META["CONTENT_LENGTH"]), options.dryRun)
        upload = request.FILES.get("file")
        if upload is None:
            return Status(422, {"detail": "Send the file in the multipart field 'file'."})
        if upload.size > limit:
            return _too_large(upload.size, options.dryRun)
        data, filename, content_type = upload.read(), upload.name, upload.content_type
    else:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > limit:
            return _too_large(length, options.dryRun)
        data = request.read(limit + 1)
        if len(data) > limit:
            return _too_large(len(data), options.dryRun)
    summary = services.import_file(
        request.auth,
        data,
        filename=filename,
        content_type=content_type,
        dry_run=options.dryRun,
        atomic=options.atomicMode == "ALL",
        strategy=options.importStrategy,
    )
    return Status(409 if summary.status == "ERROR" else 200, summary.as_dict())


def _too_large(size: int, dry_run: bool):
    return Status(413, services.refused(services.too_large_conflict(size), dry_run).as_dict())


@router.get(
    "/dataValueSets",
    response={200: DataValueSetOut, **ERRORS, **NOT_FOUND},
    summary="Export data values (DHIS2 dataValueSets; JSON, CSV or XLSX)",
    description=(
        "The values you may see, filtered by data set, data element, period (a year takes "
        "its quarters and months) or startDate/endDate, org unit (children=true: and "
        "everything below), lastUpdated or lastUpdatedDuration; includeDeleted adds the "
        "values deleted (deleted=true), limit caps the rows. Streamed; an org unit outside "
        "your jurisdiction is 404."
    ),
    openapi_extra=_EXPORT_CONTENT,
)
def export_data_values(request, filters: Query[ExportFilter]):
    if filters.includeDeleted and filters.format == "xlsx":
        # The template's columns have no "deleted": re-imported, they would come back.
        raise ValidationError(_("includeDeleted is for JSON and CSV exports."))
    query = queries.export_values(
        request.auth,
        data_sets=filters.dataSet,
        data_elements=filters.dataElement,
        period_ids=filters.period,
        org_units=filters.orgUnit,
        children=filters.children,
        start_date=filters.startDate,
        end_date=filters.endDate,
        last_updated=filters.lastUpdated,
        last_updated_duration=filters.lastUpdatedDuration,
        include_deleted=filters.includeDeleted,
        limit=filters.limit,
    )
    rows = queries.export_rows(query)
    if filters.format == "csv":
        response = StreamingHttpResponse(exports.stream_csv(rows), content_type="text/csv")
    elif filters.format == "xlsx":
        from cegah.indicators.models import DataElement

        names = dict(DataElement.objects.values_list("code", "name_id"))
        path = exports.write_xlsx(rows, names)
        handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
        os.unlink(path)  # the open handle keeps the data until the response is sent
        response = FileResponse(handle, content_type=parsers.XLSX_CONTENT_TYPE)
    else:
        header = {"dataSet": filters.dataSet[0]} if len(filters.dataSet) == 1 else {}
        response = StreamingHttpResponse(
            exports.stream_json(rows, header), content_type="application/json"
        )
    response["Content-Disposition"] = f'attachment; filename="dataValueSet.{filters.format}"'
    return response
