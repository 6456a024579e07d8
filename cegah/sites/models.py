from django.db import models
from django.utils.translation import gettext_lazy as _

from cegah.core.versioning import Versioned


class SiteType(models.TextChoices):
    SD = "sd", _("Primary school (SD)")
    SMP = "smp", _("Junior secondary school (SMP)")
    SMA = "sma", _("Senior secondary school (SMA)")
    SMK = "smk", _("Vocational school (SMK)")
    MI = "mi", _("Islamic primary school (MI)")
    MTS = "mts", _("Islamic junior school (MTs)")
    MA = "ma", _("Islamic senior school (MA)")
    PESANTREN = "pesantren", _("Islamic boarding school (pesantren)")
    UNIVERSITY = "university", _("University")
    AIRPORT = "airport", _("Airport")
    SEAPORT = "seaport", _("Seaport")
    BORDER_POST = "border_post", _("Land border post")
    TERMINAL = "terminal", _("Bus/rail terminal")
    TOURIST_AREA = "tourist_area", _("Tourist area")
    ENTERTAINMENT = "entertainment", _("Entertainment venue")
    HOTEL = "hotel", _("Hotel")
    GOVERNMENT = "government", _("Government agency")
    WORKPLACE = "workplace", _("Company/workplace")
    VILLAGE = "village", _("Village/kelurahan")
    BOARDING_AREA = "boarding_area", _("Boarding-house area")
    COMMUNITY = "community", _("Community")


class Site(Versioned):
    code = models.CharField(_("site code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    site_type = models.CharField(_("site type"), max_length=20, choices=SiteType.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="sites",
        help_text=_("As deep as known: regency, district or village code."),
    )
    official_id = models.CharField(
        _("official identifier"),
        max_length=20,
        blank=True,
        help_text=_("NPSN for schools, IATA/ICAO for airports, port code, village code."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    population_served = models.PositiveIntegerField(
        _("population served"),
        null=True,
        blank=True,
        help_text=_("Students, staff, passengers a day or residents."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_region_path = "region__code"
    scope_site_path = "id"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        indexes = [models.Index(fields=["site_type", "region"])]

    def __str__(self):
        return self.name
