from django.db import models
from django.utils.translation import gettext_lazy as _

from cegah.core.versioning import Versioned


class Region(models.Model):
    """An official Kemendagri region. Reference data: everyone may read it."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        REGENCY = 2, _("Regency/city")
        DISTRICT = 3, _("District")
        VILLAGE = 4, _("Village/kelurahan")

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("type"), max_length=20)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def regency_code(self) -> str | None:
        return self.code[:5] if self.level >= 2 else None

    def ancestor_codes(self) -> list[str]:
        parts = self.code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]


class Office(Versioned):
    """A BNN work unit (satker). BNN RI has no region: its jurisdiction is all of Indonesia."""

    class Kind(models.TextChoices):
        RI = "RI", _("BNN RI")
        BNNP = "BNNP", _("BNNP (province)")
        BNNK = "BNNK", _("BNNK (regency/city)")

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    region = models.ForeignKey(
        Region,
        verbose_name=_("jurisdiction"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
    )
    active = models.BooleanField(_("active"), default=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    # Offices are a public directory; only their history is scoped like other objects.
    scope_region_path = "region__code"

    class Meta:
        ordering = ["code"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(active=True),
                name="one_active_office_per_region",
            )
        ]

    def __str__(self):
        return self.name
