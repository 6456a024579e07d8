"""Writes to accounts: users and personal API tokens, each recorded in the change log."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog
from cegah.core.scope import Roles, scope_for
from cegah.regions.models import Office

from .models import ApiToken, User, hash_token

TOKEN_PREFIX = "cgh_"  # noqa: S105 (a public marker, not a secret)


def validate_assignment(role: str, office: Office | None, site, fields: tuple[bool, bool]) -> None:
    errors = {}
    if role in (Roles.NATIONAL_ADMIN, Roles.NATIONAL_ANALYST):
        if office is None or office.kind != Office.Kind.RI:
            errors["office"] = _("National roles belong to BNN RI.")
    elif role == Roles.FOCAL_POINT:
        if site is None:
            errors["site"] = _("A site focal point needs a site.")
    elif office is None:
        errors["office"] = _("Choose the user's office.")
    if role == Roles.OFFICER and not any(fields):
        errors["field_prevention"] = _(
            "An officer works in Pencegahan, Pemberdayaan Masyarakat, or both."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    password: str,
    role: str,
    office: Office | None = None,
    site=None,
    field_prevention: bool = False,
    field_empowerment: bool = False,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    position: str = "",
) -> User:
    """Create a user. ``actor`` None means the system (demo, command line)."""
    if actor is not None:
        if not can_manage_users(actor):
            raise PermissionDenied(_("You cannot create users."))
        _check_manageable(actor, role, office, site)
    validate_assignment(role, office, site, (field_prevention, field_empowerment))
    if role == Roles.FOCAL_POINT and office is None:
        from cegah.regions.queries import serving_office

        office = serving_office(site.region_id)
    user = User(
        username=username,
        role=role,
        office=office,
        site=site,
        field_prevention=field_prevention,
        field_empowerment=field_empowerment,
        first_name=first_name,
        last_name=last_name,
        email=email,
        position=position,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    changelog.record(actor, "create", user, None, changelog.snapshot(user))
    return user


@transaction.atomic
def create_token(user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new personal token; returns the stored row and the secret, which is never kept."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    days = settings.CEGAH_API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= 366:
        raise ValidationError({"days": _("A token lasts between 1 and 366 days.")})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 8],
        token_hash=hash_token(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    changelog.record(user, "create", token, None, changelog.snapshot(token))
    return token, secret


@transaction.atomic
def revoke_token(user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        return
    before = changelog.snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    changelog.record(user, "update", token, before, changelog.snapshot(token))


def user_for_token(secret: str) -> User | None:
    """The active user a bearer token acts for, or None."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user", "user__office", "user__office__region")
        .filter(token_hash=hash_token(secret))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute, so a busy script does not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


EDITABLE_USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "position",
    "role",
    "office",
    "site",
    "field_prevention",
    "field_empowerment",
    "is_active",
)


def can_manage_users(actor) -> bool:
    return actor.role in (Roles.NATIONAL_ADMIN, Roles.MANAGER) and not scope_for(actor).nothing


def _check_manageable(actor, role: str, office: Office | None, site) -> None:
    """A national admin manages everyone; a manager, non-manager users inside their scope."""
    if actor.role == Roles.NATIONAL_ADMIN:
        return
    scope = scope_for(actor)
    region = site.region_id if site is not None else (office.region_id if office else None)
    if (
        actor.role != Roles.MANAGER
        or role in (Roles.NATIONAL_ADMIN, Roles.NATIONAL_ANALYST, Roles.MANAGER)
        or not scope.covers_region(region)
    ):
        raise PermissionDenied(_("You cannot manage this user."))


def can_manage(actor, user: User) -> bool:
    try:
        _check_manageable(actor, user.role, user.office, user.site)
    except PermissionDenied:
        return False
    return can_manage_users(actor)


@transaction.atomic
def update_user(actor, user: User, **values) -> User:
    """Change a user's profile, role, office, fields or active flag; logged before/after."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_manageable(actor, user.role, user.office, user.site)
    changes_own_role = values.get("role", user.role) != user.role
    if user.pk == actor.pk and (values.get("is_active") is False or changes_own_role):
        raise ValidationError(_("You cannot deactivate yourself or change your own role."))
    before = changelog.snapshot(user)
    for key, value in values.items():
        if key not in EDITABLE_USER_FIELDS:
            raise ValidationError({key: _("This field cannot be changed.")})
        setattr(user, key, value)
    _check_manageable(actor, user.role, user.office, user.site)
    validate_assignment(
        user.role, user.office, user.site, (user.field_prevention, user.field_empowerment)
    )
    user.full_clean(exclude=["password"])
    user.save()
    changelog.record(actor, "update", user, before, changelog.snapshot(user))
    return user


@transaction.atomic
def set_password(actor, user: User, password: str) -> None:
    """An admin or manager sets a new password; the user's tokens keep working."""
    from django.contrib.auth.password_validation import validate_password

    _check_manageable(actor, user.role, user.office, user.site)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    changelog.record(actor, "update", user, {"password": "…"}, {"password": "(changed)"})
