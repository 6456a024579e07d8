"""Writes of standards: copy a version to a draft, edit it, publish it. A published
version, and any version an assessment used, never changes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog
from cegah.core.scope import Roles, scope_for
from cegah.sites.models import SiteType

from ..models import Component, Standard

MIN_COMPONENTS, MAX_COMPONENTS = 6, 10


def _is_national_admin(user) -> bool:
    return user is not None and user.role == Roles.NATIONAL_ADMIN and scope_for(user).everything


def _require_national_admin(actor) -> None:
    if not _is_national_admin(actor):
        raise PermissionDenied(_("Only national admins change standards and the category rule."))


def standards_for_site_type(site_type: str) -> list[Standard]:
    """Published versions that apply to ``site_type``, newest first. (Site types are a
    short JSON list per standard; there are a few dozen versions, so this filters in
    Python and works the same on SQLite and PostgreSQL.)"""
    published = Standard.objects.filter(status=Standard.Status.PUBLISHED).order_by("-version")
    return [standard for standard in published if site_type in standard.site_types]


def current_standard(site_type: str) -> Standard | None:
    """The newest published version for a site type: what a new assessment uses."""
    found = standards_for_site_type(site_type)
    return found[0] if found else None


def _ensure_editable(standard: Standard) -> None:
    if standard.status != Standard.Status.DRAFT:
        raise ValidationError(
            _(
                "Version %(version)s is published and can no longer change. Copy it to make a "
                "new version."
            )
            % {"version": standard.version}
        )
    if standard.assessments.exists():
        raise ValidationError(
            _("Version %(version)s was used by an assessment and can no longer change.")
            % {"version": standard.version}
        )


def _locked_standard(standard: Standard) -> Standard:
    return Standard.objects.select_for_update().get(pk=standard.pk)


def _standard_snapshot(standard: Standard) -> dict:
    data = changelog.snapshot(standard)
    data["components"] = [
        {name: changelog._plain(getattr(c, name)) for name in Component.CONTENT_FIELDS}
        for c in standard.components.all()
    ]
    return data


def _check_site_types(site_types) -> list[str]:
    valid = set(SiteType.values)
    site_types = list(dict.fromkeys(site_types or []))
    if not site_types:
        raise ValidationError({"site_types": _("Choose at least one site type.")})
    unknown = [value for value in site_types if value not in valid]
    if unknown:
        raise ValidationError(
            {"site_types": _("Unknown site type: %(value)s.") % {"value": ", ".join(unknown)}}
        )
    return site_types


@transaction.atomic
def copy_standard(actor, standard: Standard) -> Standard:
    """A new draft version of ``standard``'s family with the same content, to edit."""
    _require_national_admin(actor)
    standard = _locked_standard(standard)
    draft = Standard.objects.filter(code=standard.code, status=Standard.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("Version %(version)s of this standard is already a draft: edit or delete it first.")
            % {"version": draft.version}
        )
    latest = Standard.objects.filter(code=standard.code).aggregate(v=Max("version"))["v"] or 0
    copy = Standard.objects.create(
        code=standard.code,
        version=latest + 1,
        status=Standard.Status.DRAFT,
        name_id=standard.name_id,
        name_en=standard.name_en,
        description_id=standard.description_id,
        description_en=standard.description_en,
        site_types=list(standard.site_types),
        is_default=False,
        source_id=standard.source_id,
        source_en=standard.source_en,
        based_on=standard,
        created_by=actor,
    )
    Component.objects.bulk_create(
        Component(standard=copy, **{name: getattr(c, name) for name in Component.CONTENT_FIELDS})
        for c in standard.components.all()
    )
    changelog.record(actor, "create", copy, None, _standard_snapshot(copy))
    return copy


STANDARD_EDITABLE = (
    "name_id",
    "name_en",
    "description_id",
    "description_en",
    "site_types",
    "source_id",
    "source_en",
)


@transaction.atomic
def update_standard(actor, standard: Standard, **values) -> Standard:
    _require_national_admin(actor)
    standard = _locked_standard(standard)
    _ensure_editable(standard)
    before = _standard_snapshot(standard)
    for key, value in values.items():
        if key not in STANDARD_EDITABLE:
            raise ValidationError({key: _("This field cannot be changed.")})
        if key == "site_types":
            value = _check_site_types(value)
        setattr(standard, key, value)
    standard.full_clean()
    standard.save()
    changelog.record(actor, "update", standard, before, _standard_snapshot(standard))
    return standard


COMPONENT_EDITABLE = tuple(name for name in Component.CONTENT_FIELDS)


def _save_component(component: Component, values: dict) -> None:
    for key, value in values.items():
        if key not in COMPONENT_EDITABLE:
            raise ValidationError({key: _("This field cannot be changed.")})
        setattr(component, key, value)
    clash = Component.objects.filter(standard=component.standard, code=component.code)
    if component.pk:
        clash = clash.exclude(pk=component.pk)
    if clash.exists():
        raise ValidationError({"code": _("Another component of this version has this code.")})
    component.full_clean()
    component.save()


@transaction.atomic
def add_component(actor, standard: Standard, **values) -> Component:
    _require_national_admin(actor)
    standard = _locked_standard(standard)
    _ensure_editable(standard)
    if standard.components.count() >= MAX_COMPONENTS:
        raise ValidationError(_("A standard has at most %(n)s components.") % {"n": MAX_COMPONENTS})
    before = _standard_snapshot(standard)
    values.setdefault("order", (standard.components.aggregate(o=Max("order"))["o"] or 0) + 1)
    component = Component(standard=standard)
    _save_component(component, values)
    changelog.record(actor, "update", standard, before, _standard_snapshot(standard))
    return component


@transaction.atomic
def update_component(actor, component: Component, **values) -> Component:
    _require_national_admin(actor)
    standard = _locked_standard(component.standard)
    _ensure_editable(standard)
    before = _standard_snapshot(standard)
    component = Component.objects.get(pk=component.pk)
    _save_component(component, values)
    changelog.record(actor, "update", standard, before, _standard_snapshot(standard))
    return component


@transaction.atomic
def delete_component(actor, component: Component) -> None:
    _require_national_admin(actor)
    standard = _locked_standard(component.standard)
    _ensure_editable(standard)
    before = _standard_snapshot(standard)
    Component.objects.filter(pk=component.pk).delete()
    changelog.record(actor, "update", standard, before, _standard_snapshot(standard))


@transaction.atomic
def publish_standard(actor, standard: Standard) -> Standard:
    """Freeze a draft: from now on it is what new assessments of its site types use."""
    _require_national_admin(actor)
    standard = _locked_standard(standard)
    _ensure_editable(standard)
    components = list(standard.components.all())
    errors = []
    if not MIN_COMPONENTS <= len(components) <= MAX_COMPONENTS:
        errors.append(
            _("A standard has %(min)s to %(max)s components; this one has %(n)s.")
            % {"min": MIN_COMPONENTS, "max": MAX_COMPONENTS, "n": len(components)}
        )
    for component in components:
        try:
            component.full_clean()
        except ValidationError:
            errors.append(
                _(
                    "Component %(code)s is incomplete: it needs both names, a weight and all "
                    "ten level descriptors."
                )
                % {"code": component.code}
            )
    site_types = _check_site_types(standard.site_types)
    for other in Standard.objects.filter(status=Standard.Status.PUBLISHED).exclude(
        code=standard.code
    ):
        shared = sorted(set(site_types) & set(other.site_types))
        if shared:
            errors.append(
                _("Site type %(types)s already has its own standard: %(other)s.")
                % {"types": ", ".join(shared), "other": other.name}
            )
    if errors:
        raise ValidationError(errors)
    before = _standard_snapshot(standard)
    standard.status = Standard.Status.PUBLISHED
    standard.published_at = timezone.now()
    standard.published_by = actor
    standard.save(update_fields=["status", "published_at", "published_by"])
    changelog.record(actor, "update", standard, before, _standard_snapshot(standard))
    return standard


@transaction.atomic
def delete_draft(actor, standard: Standard) -> None:
    _require_national_admin(actor)
    standard = _locked_standard(standard)
    _ensure_editable(standard)
    before = _standard_snapshot(standard)
    changelog.record(actor, "delete", standard, before, None)
    standard.delete()
