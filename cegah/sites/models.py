import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
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


# Types whose official identifier is the NPSN (Nomor Pokok Sekolah Nasional, 8 digits).
SCHOOL_TYPES = frozenset(
    {
        SiteType.SD,
        SiteType.SMP,
        SiteType.SMA,
        SiteType.SMK,
        SiteType.MI,
        SiteType.MTS,
        SiteType.MA,
        SiteType.PESANTREN,
    }
)


class PopulationKind(models.TextChoices):
    STUDENTS = "students", _("students")
    STAFF = "staff", _("staff")
    PASSENGERS_PER_DAY = "passengers_per_day", _("passengers a day")
    RESIDENTS = "residents", _("residents")


# Indonesia's bounding box, a little generous: Rote (−11.0) to Weh (6.0), Sabang (95.0) to
# Merauke (141.0).
LATITUDE_RANGE = (Decimal("-11.1"), Decimal("6.1"))
LONGITUDE_RANGE = (Decimal("94.7"), Decimal("141.1"))
LATITUDE_MESSAGE = _(
    "Latitude must lie inside Indonesia: between −11.1 and 6.1 (south is negative)."
)
LONGITUDE_MESSAGE = _("Longitude must lie inside Indonesia: between 94.7 and 141.1 (east).")

NPSN = re.compile(r"\d{8}")
IATA = re.compile(r"[A-Z]{3}")
ICAO = re.compile(r"[A-Z]{4}")
UN_LOCODE = re.compile(r"ID[A-Z2-9]{3}")  # Indonesia's country part, then 3 letters/digits 2–9
VILLAGE_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")


def normalise_official_id(site_type: str, official_id: str) -> str:
    """The identifier as stored: trimmed; airport and port codes in capitals."""
    value = (official_id or "").strip()
    if site_type in (SiteType.AIRPORT, SiteType.SEAPORT):
        value = value.upper()
    return value


def official_id_problem(site_type: str, official_id: str) -> str | None:
    """Why ``official_id`` cannot identify a site of ``site_type``, or None if it can.
    (Whether a village code names a real village is checked against the regions by the
    services, which hold them.)"""
    if not official_id:
        return None
    if site_type in SCHOOL_TYPES and not NPSN.fullmatch(official_id):
        return _("A school's official identifier is its NPSN: exactly 8 digits.")
    if site_type == SiteType.AIRPORT and not (
        IATA.fullmatch(official_id) or ICAO.fullmatch(official_id)
    ):
        return _(
            "An airport's official identifier is its IATA code (3 letters, e.g. CGK) or "
            "ICAO code (4 letters, e.g. WIII)."
        )
    if site_type == SiteType.SEAPORT and not UN_LOCODE.fullmatch(official_id):
        return _(
            "A seaport's official identifier is its UN/LOCODE: ID followed by 3 letters "
            "or digits, e.g. IDTPP."
        )
    if site_type == SiteType.VILLAGE and not VILLAGE_CODE.fullmatch(official_id):
        return _(
            "A village's official identifier is its Kemendagri village code, e.g. 35.78.01.1001."
        )
    return None


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
        help_text=_(
            "NPSN (8 digits) for schools, IATA or ICAO code for airports, UN/LOCODE for "
            "seaports, Kemendagri village code for villages."
        ),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(LATITUDE_RANGE[0], message=LATITUDE_MESSAGE),
            MaxValueValidator(LATITUDE_RANGE[1], message=LATITUDE_MESSAGE),
        ],
        help_text=_("Decimal degrees, south negative, e.g. -7.265."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(LONGITUDE_RANGE[0], message=LONGITUDE_MESSAGE),
            MaxValueValidator(LONGITUDE_RANGE[1], message=LONGITUDE_MESSAGE),
        ],
        help_text=_("Decimal degrees east, e.g. 112.752."),
    )
    population_served = models.PositiveIntegerField(
        _("population served"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(300_000_000)],
        help_text=_("Students, staff, passengers a day or residents."),
    )
    population_kind = models.CharField(
        _("population kind"), max_length=20, choices=PopulationKind.choices, blank=True
    )

    # The prevention system's status, kept current by the standards app from verified
    # assessments (sites.services.set_assessment_status); never edited by hand.
    maturity = models.DecimalField(
        _("maturity"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        validators=[MinValueValidator(0), MaxValueValidator(4)],
        help_text=_("0–4, from the latest verified assessment; empty when never assessed."),
    )
    functioning = models.BooleanField(_("functioning"), default=False, editable=False)
    last_assessed_on = models.DateField(_("last assessed"), null=True, blank=True, editable=False)
    next_review_due = models.DateField(_("next review due"), null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_region_path = "region__code"
    scope_site_path = "id"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        indexes = [
            models.Index(fields=["site_type", "region"]),
            models.Index(fields=["name", "id"], name="site_name_id"),
            # One type, by name: without it, a type's page is found by walking the names of
            # every other type that sorts before it.
            models.Index(fields=["site_type", "name", "id"], name="site_type_name_id"),
            # Region subtrees are code-prefix filters (LIKE '35.78.%'); on PostgreSQL a
            # plain btree serves them only under the C collation, this one always.
            models.Index(
                fields=["region"], name="site_region_prefix", opclasses=["varchar_pattern_ops"]
            ),
            # The list's sort orders (never-assessed sites last both ways), so a page is
            # read from an index instead of sorting the whole filtered set. The descending
            # ones (DESC NULLS LAST, which SQLite cannot index) and a trigram index for the
            # name search are made on PostgreSQL only, by migration 0003.
            models.Index(fields=["maturity", "id"], name="site_maturity_id"),
            models.Index(fields=["last_assessed_on", "id"], name="site_last_assessed_id"),
            models.Index(fields=["next_review_due"], name="site_next_review_due"),
            # Text search matches the identifier exactly (see filters.SiteFilter).
            models.Index(fields=["official_id"], name="site_official_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site_type", "official_id"],
                condition=~Q(official_id=""),
                name="site_unique_official_id_per_type",
                violation_error_message=_(
                    "Another site of this type already has this official identifier."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        problem = official_id_problem(self.site_type, self.official_id)
        if problem:
            errors["official_id"] = problem
        if (self.latitude is None) != (self.longitude is None):
            missing = "longitude" if self.longitude is None else "latitude"
            errors[missing] = _("Give both latitude and longitude, or neither.")
        if self.population_kind and self.population_served is None:
            errors["population_served"] = _("Give the number for this kind of population.")
        if errors:
            raise ValidationError(errors)

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def coordinates_text(self) -> str:
        """'-7.2575, 112.7521': decimal degrees without trailing zeros, in any language."""
        if not self.has_coordinates:
            return ""
        return f"{self.latitude.normalize():f}, {self.longitude.normalize():f}"

    @property
    def maturity_band(self) -> str:
        """'none', or the band the maturity falls in: '0-1', '1-2', '2-3', '3-4'."""
        if self.maturity is None:
            return "none"
        lower = min(int(self.maturity), 3)
        return f"{lower}-{lower + 1}"
