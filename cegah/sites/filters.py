"""The one filter of the site registry, shared by the list page, the API list and the export
(as NetBox shares one filterset between its UI, REST API and exports).

``SiteFilter`` is a django-ninja schema, so the API documents and validates it as query
parameters; the list page and the export build it from the query string with
``SiteFilter.from_query``, which keeps the valid parameters and reports the others.
"""

from __future__ import annotations

from typing import Literal

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import ValidationError as PydanticValidationError

from cegah.api.schemas import NO_NUL

from .models import SiteType

# A region code or the start of one at a level boundary: 35, 35.78, 35.78.01, 35.78.01.1001.
REGION_PREFIX = r"^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?)?$"

MATURITY_BANDS = {
    "0-1": (0, 1),
    "1-2": (1, 2),
    "2-3": (2, 3),
    "3-4": (3, None),  # 4 is the top of the scale and belongs to the last band
}
MATURITY_CHOICES = [
    ("0-1", _("0 to under 1")),
    ("1-2", _("1 to under 2")),
    ("2-3", _("2 to under 3")),
    ("3-4", _("3 to 4 (can be functioning)")),
    ("none", _("Not assessed")),
]
SORTS = {
    "name": ("name", "id"),
    "-name": (F("name").desc(), F("id").desc()),
    "type": ("site_type", "name", "id"),
    "-type": (F("site_type").desc(), "name", "id"),
    "maturity": (F("maturity").asc(nulls_last=True), "id"),
    "-maturity": (F("maturity").desc(nulls_last=True), "id"),
    "last_assessed": (F("last_assessed_on").asc(nulls_last=True), "id"),
    "-last_assessed": (F("last_assessed_on").desc(nulls_last=True), "id"),
}
SORT_CHOICES = [
    ("name", _("Name A–Z")),
    ("-name", _("Name Z–A")),
    ("type", _("Type")),
    ("maturity", _("Maturity, lowest first")),
    ("-maturity", _("Maturity, highest first")),
    ("-last_assessed", _("Last assessed, newest first")),
    ("last_assessed", _("Last assessed, oldest first")),
]

SiteTypeParam = Literal[tuple(["", *SiteType.values])]  # type: ignore[valid-type]
MaturityParam = Literal["", "0-1", "1-2", "2-3", "3-4", "none"]
FunctioningParam = Literal["", "yes", "no"]
SortParam = Literal[tuple(SORTS)]  # type: ignore[valid-type]


class SiteFilter(Schema):
    q: str = Field(
        "",
        max_length=100,
        pattern=NO_NUL,
        description="name contains the text, or the official identifier or site code is it",
    )
    site_type: SiteTypeParam = Field("", description="one site type")
    region: str = Field(
        "",
        max_length=13,
        pattern=REGION_PREFIX,
        description="region code: the sites of that region and everything under it",
    )
    maturity: MaturityParam = Field(
        "", description="maturity band: 0-1, 1-2, 2-3 (lower bound included), 3-4, or none"
    )
    functioning: FunctioningParam = Field("", description="yes or no")
    overdue: bool = Field(False, description="only sites whose next review date has passed")
    sort: SortParam = Field(
        "name", description="name, type, maturity or last_assessed; a leading '-' reverses"
    )

    @classmethod
    def from_query(cls, params) -> tuple[SiteFilter, list[str]]:
        """The filter from a query string (a QueryDict or dict), keeping every valid
        parameter; the invalid ones are left out and described in the returned messages."""
        data = {}
        for name in cls.model_fields:
            value = params.get(name)
            if value is None:
                continue
            value = value.strip()
            if name == "overdue":
                value = value.lower() in ("1", "true", "on", "yes")
            if value != "":
                data[name] = value
        messages = []
        while True:
            try:
                return cls(**data), messages
            except PydanticValidationError as exc:
                bad = {error["loc"][0]: error["msg"] for error in exc.errors() if error["loc"]}
                if not bad.keys() & data.keys():
                    return cls(), messages
                for name, reason in bad.items():
                    messages.append(
                        _("Ignored the filter %(name)s=%(value)s: %(reason)s")
                        % {"name": name, "value": data.pop(name, ""), "reason": reason}
                    )

    def apply(self, queryset: QuerySet) -> QuerySet:
        """The queryset (already scoped by the caller) filtered and sorted."""
        qs = queryset
        if self.q:
            # Identifiers and codes are stored trimmed and, where letters, in capitals, so
            # an exact match on the text as typed or in capitals finds them by index.
            text = self.q.strip()
            qs = qs.filter(
                Q(name__icontains=text)
                | Q(official_id__in=sorted({text, text.upper()}))
                | Q(code=text.upper())
            )
        if self.site_type:
            qs = qs.filter(site_type=self.site_type)
        if self.region:
            qs = qs.filter(
                Q(region__code=self.region) | Q(region__code__startswith=self.region + ".")
            )
        if self.maturity == "none":
            qs = qs.filter(maturity__isnull=True)
        elif self.maturity:
            low, high = MATURITY_BANDS[self.maturity]
            qs = qs.filter(maturity__gte=low)
            if high is not None:
                qs = qs.filter(maturity__lt=high)
        if self.functioning:
            qs = qs.filter(functioning=self.functioning == "yes")
        if self.overdue:
            qs = qs.filter(next_review_due__lt=timezone.localdate())
        return qs.order_by(*SORTS[self.sort])

    def query_string(self, **extra) -> str:
        """The filter as a query string without its defaults (for links: export, pages)."""
        fields = type(self).model_fields
        values = {k: v for k, v in self.model_dump().items() if v != fields[k].default}
        if values.get("overdue"):
            values["overdue"] = "1"
        values.update({k: v for k, v in extra.items() if v not in ("", None)})
        return urlencode(values)

    @property
    def active(self) -> bool:
        """True when anything but the sort order narrows the list."""
        defaults = {k: f.default for k, f in type(self).model_fields.items()}
        return any(getattr(self, k) != v for k, v in defaults.items() if k != "sort")
