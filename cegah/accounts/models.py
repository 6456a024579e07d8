import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cegah.core.scope import Roles


class User(AbstractUser):
    class Role(models.TextChoices):
        NATIONAL_ADMIN = Roles.NATIONAL_ADMIN, _("National admin")
        NATIONAL_ANALYST = Roles.NATIONAL_ANALYST, _("National analyst / leadership")
        MANAGER = Roles.MANAGER, _("Manager (Kabid/Kasi P2M)")
        OFFICER = Roles.OFFICER, _("Officer")
        FOCAL_POINT = Roles.FOCAL_POINT, _("Site focal point")
        VIEWER = Roles.VIEWER, _("Viewer")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)
    office = models.ForeignKey(
        "regions.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    field_prevention = models.BooleanField(_("Pencegahan (prevention)"), default=False)
    field_empowerment = models.BooleanField(
        _("Pemberdayaan Masyarakat (community empowerment)"), default=False
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("site (focal point)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_points",
    )
    position = models.CharField(_("position"), max_length=150, blank=True)

    scope_region_path = "office__region__code"
    scope_site_path = "site_id"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def fields_display(self) -> list[str]:
        names = []
        if self.field_prevention:
            names.append(str(_("Pencegahan")))
        if self.field_empowerment:
            names.append(str(_("Pemberdayaan Masyarakat")))
        return names


def hash_token(secret: str) -> str:
    # Tokens are 256-bit random strings, so one SHA-256 round is enough; no salt needed.
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    scope_region_path = "user__office__region__code"
    scope_site_path = "user__site_id"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
