"""Standards, assessments, evidence files and drug-prone area assessments (DESIGN §3).

Writes go through ``services``; reads through ``queries``. A standard version that is
published is frozen: a new version is made by copying it, so a past assessment always
points at the exact rubric it was scored against.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cegah.core.versioning import Versioned

LEVELS = (0, 1, 2, 3, 4)
FUNCTIONING_MATURITY = Decimal("3")


def localized(obj, base: str) -> str:
    """``obj.<base>_en`` in English, else ``obj.<base>_id`` (Indonesian first, DESIGN §5)."""
    language = (translation.get_language() or "id")[:2]
    if language == "en":
        return getattr(obj, f"{base}_en", "") or getattr(obj, f"{base}_id", "")
    return getattr(obj, f"{base}_id", "") or getattr(obj, f"{base}_en", "")


class PrivateEvidenceStorage(FileSystemStorage):
    """Evidence files under CEGAH_DATA_DIR/private/evidence: no URL at all (``url()``
    raises), so the only way out is the scoped download view. The location is read from
    settings on every use, so a test or an operator moving DATA_DIR moves it too."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.DATA_DIR / "private" / "evidence"

    @property
    def location(self):
        return str(self.base_location)

    @cached_property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Evidence files have no public URL; use the evidence download view.")

    def deconstruct(self):
        return ("cegah.standards.models.PrivateEvidenceStorage", (), {})


evidence_storage = PrivateEvidenceStorage()


class Standard(models.Model):
    """One version of the rubric for a family of site types (``code``, e.g. ``school``)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    site_types = models.JSONField(_("site types"), default=list)
    is_default = models.BooleanField(
        _("shipped default"),
        default=False,
        help_text=_("Shipped with Cegah as an editable default, not an official BNN standard."),
    )
    source_id = models.TextField(_("source (Indonesian)"), blank=True)
    source_en = models.TextField(_("source (English)"), blank=True)
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="copies",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="standard_code_version")
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def source(self) -> str:
        return localized(self, "source")

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def site_type_labels(self) -> list[str]:
        from cegah.sites.models import SiteType

        labels = dict(SiteType.choices)
        return [str(labels.get(value, value)) for value in self.site_types]


class Component(models.Model):
    """A weighted part of a standard with what each level 0–4 looks like."""

    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.CASCADE, related_name="components"
    )
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Relative weight in the maturity (weighted mean of the levels)."),
    )
    level_0_id = models.TextField(_("level 0 (Indonesian)"))
    level_0_en = models.TextField(_("level 0 (English)"))
    level_1_id = models.TextField(_("level 1 (Indonesian)"))
    level_1_en = models.TextField(_("level 1 (English)"))
    level_2_id = models.TextField(_("level 2 (Indonesian)"))
    level_2_en = models.TextField(_("level 2 (English)"))
    level_3_id = models.TextField(_("level 3 (Indonesian)"))
    level_3_en = models.TextField(_("level 3 (English)"))
    level_4_id = models.TextField(_("level 4 (Indonesian)"))
    level_4_en = models.TextField(_("level 4 (English)"))

    CONTENT_FIELDS = (
        "code",
        "order",
        "name_id",
        "name_en",
        "description_id",
        "description_en",
        "weight",
        *(f"level_{n}_{lang}" for n in LEVELS for lang in ("id", "en")),
    )

    class Meta:
        ordering = ["standard", "order", "id"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="component_code_per_standard")
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    def descriptor(self, level: int) -> str:
        return localized(self, f"level_{level}")

    def levels(self) -> list[tuple[int, str]]:
        return [(level, self.descriptor(level)) for level in LEVELS]


class Assessment(Versioned):
    """A site against one published standard version on a date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VERIFIED = "verified", _("Verified")

    site = models.ForeignKey(
        "sites.Site", verbose_name=_("site"), on_delete=models.PROTECT, related_name="assessments"
    )
    standard = models.ForeignKey(
        Standard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField(_("assessment date"))
    next_review_due = models.DateField(_("next review due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    self_assessment = models.BooleanField(
        _("self-assessment"),
        default=False,
        help_text=_("Filled in by the site's own focal point."),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("evidence note"), blank=True)
    maturity = models.DecimalField(
        _("maturity"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    review_note = models.TextField(
        _("reviewer's note"),
        blank=True,
        help_text=_("Why it was returned or un-verified, or the verifier's remark."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_region_path = "site__region__code"
    scope_site_path = "site_id"

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [
            models.Index(fields=["site", "status", "assessed_on"]),
            models.Index(fields=["status", "next_review_due"]),
        ]

    def __str__(self):
        return f"{self.site} · {self.assessed_on:%Y-%m-%d}"

    @property
    def functioning(self) -> bool:
        """Only a verified assessment counts; functioning means maturity ≥ 3."""
        return (
            self.status == self.Status.VERIFIED
            and self.maturity is not None
            and self.maturity >= FUNCTIONING_MATURITY
        )


class ComponentScore(models.Model):
    """The level an assessment gives one component, with its evidence note."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    component = models.ForeignKey(
        Component, verbose_name=_("component"), on_delete=models.PROTECT, related_name="scores"
    )
    level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, validators=[MaxValueValidator(4)]
    )
    note = models.TextField(_("evidence note"), blank=True)

    scope_region_path = "assessment__site__region__code"
    scope_site_path = "assessment__site_id"

    class Meta:
        ordering = ["component__order", "component_id"]
        verbose_name = _("component score")
        verbose_name_plural = _("component scores")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "component"], name="one_score_per_component"
            )
        ]

    def __str__(self):
        return f"{self.component}: {self.level}"


def _evidence_path(instance, filename):
    # The stored name never comes from the user: a random name with the detected extension.
    return f"{instance.stored_name}"


class Evidence(models.Model):
    """A file backing an assessment (PDF, JPEG or PNG), kept outside any public URL."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="evidence"
    )
    component = models.ForeignKey(
        Component,
        verbose_name=_("component"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), storage=evidence_storage, upload_to=_evidence_path)
    stored_name = models.CharField(max_length=100, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope_region_path = "assessment__site__region__code"
    scope_site_path = "assessment__site_id"

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self):
        return self.original_name


# --- Drug-prone areas (kawasan rawan narkoba) ----------------------------------------


class Category(models.TextChoices):
    """Worst first. ``SEVERITY`` orders them for "recovered"."""

    BAHAYA = "bahaya", _("Bahaya (danger)")
    WASPADA = "waspada", _("Waspada (alert)")
    SIAGA = "siaga", _("Siaga (standby)")
    AMAN = "aman", _("Aman (safe)")


SEVERITY = {Category.BAHAYA: 3, Category.WASPADA: 2, Category.SIAGA: 1, Category.AMAN: 0}

# (field, Indonesian term, English label) — DESIGN §3, data README: 8 main, 5 supporting.
MAIN_INDICATORS = (
    ("main_drug_crime", "kasus tindak pidana narkoba", _("Drug-crime cases")),
    ("main_crime_violence", "angka kriminalitas/kekerasan", _("Crime and violence rate")),
    ("main_dealers", "pengedar/bandar", _("Dealers")),
    ("main_production", "produksi/laboratorium gelap", _("Production")),
    ("main_users", "jumlah pengguna", _("Number of users")),
    ("main_seized_evidence", "barang bukti sitaan", _("Seized evidence")),
    ("main_entry_points", "jalur masuk", _("Entry points")),
    ("main_couriers", "kurir", _("Couriers")),
)
SUPPORTING_INDICATORS = (
    ("sup_entertainment", "tempat hiburan", _("Entertainment venues")),
    (
        "sup_private_housing",
        "kos/hunian privasi tinggi",
        _("Boarding houses, high-privacy housing"),
    ),
    ("sup_poverty", "kemiskinan", _("Poverty")),
    ("sup_lacking_facilities", "minim fasilitas umum", _("Lack of public facilities")),
    ("sup_low_interaction", "interaksi sosial rendah", _("Low social interaction")),
)
INDICATOR_FIELDS = tuple(f for f, _id, _en in MAIN_INDICATORS + SUPPORTING_INDICATORS)
MAIN_FIELDS = tuple(f for f, _id, _en in MAIN_INDICATORS)
SUPPORTING_FIELDS = tuple(f for f, _id, _en in SUPPORTING_INDICATORS)


class CategoryRule(models.Model):
    """One version of the rule from indicator counts to a category. Never edited: a change
    is a new version, so each drug-prone assessment names the rule that categorised it.

    Bands are tried worst first (bahaya, waspada, siaga); the first that matches wins, and
    a village matching none is aman. A band matches when main ≥ its minimum AND (or OR,
    as its ``join`` says) supporting ≥ its minimum."""

    class Join(models.TextChoices):
        AND = "and", _("and")
        OR = "or", _("or")

    version = models.PositiveIntegerField(_("version"), unique=True)
    bahaya_min_main = models.PositiveSmallIntegerField(validators=[MaxValueValidator(8)])
    bahaya_join = models.CharField(max_length=3, choices=Join.choices, default=Join.AND)
    bahaya_min_supporting = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    waspada_min_main = models.PositiveSmallIntegerField(validators=[MaxValueValidator(8)])
    waspada_join = models.CharField(max_length=3, choices=Join.choices, default=Join.AND)
    waspada_min_supporting = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    siaga_min_main = models.PositiveSmallIntegerField(validators=[MaxValueValidator(8)])
    siaga_join = models.CharField(max_length=3, choices=Join.choices, default=Join.AND)
    siaga_min_supporting = models.PositiveSmallIntegerField(validators=[MaxValueValidator(5)])
    note = models.TextField(_("why this version"), blank=True)
    is_default = models.BooleanField(_("shipped default"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    BANDS = (Category.BAHAYA, Category.WASPADA, Category.SIAGA)
    FIELDS = tuple(
        f"{band}_{part}" for band in BANDS for part in ("min_main", "join", "min_supporting")
    )

    class Meta:
        ordering = ["-version"]
        verbose_name = _("drug-prone category rule")
        verbose_name_plural = _("drug-prone category rules")

    def __str__(self):
        return f"v{self.version}"

    def band(self, category: str) -> tuple[int, str, int]:
        return (
            getattr(self, f"{category}_min_main"),
            getattr(self, f"{category}_join"),
            getattr(self, f"{category}_min_supporting"),
        )

    def categorise(self, main: int, supporting: int) -> str:
        for category in self.BANDS:
            min_main, join, min_supporting = self.band(category)
            hits = (main >= min_main, supporting >= min_supporting)
            if all(hits) if join == self.Join.AND else any(hits):
                return category.value
        return Category.AMAN.value


class DrugProneAssessment(Versioned):
    """A village/kelurahan in one year: 13 yes/no indicators → a category."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village/kelurahan"),
        on_delete=models.PROTECT,
        related_name="drug_prone_assessments",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    main_drug_crime = models.BooleanField(default=False)
    main_crime_violence = models.BooleanField(default=False)
    main_dealers = models.BooleanField(default=False)
    main_production = models.BooleanField(default=False)
    main_users = models.BooleanField(default=False)
    main_seized_evidence = models.BooleanField(default=False)
    main_entry_points = models.BooleanField(default=False)
    main_couriers = models.BooleanField(default=False)
    sup_entertainment = models.BooleanField(default=False)
    sup_private_housing = models.BooleanField(default=False)
    sup_poverty = models.BooleanField(default=False)
    sup_lacking_facilities = models.BooleanField(default=False)
    sup_low_interaction = models.BooleanField(default=False)
    notes = models.JSONField(_("notes"), default=dict, blank=True)
    main_count = models.PositiveSmallIntegerField(_("main indicators"), default=0)
    supporting_count = models.PositiveSmallIntegerField(_("supporting indicators"), default=0)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    rule = models.ForeignKey(
        CategoryRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+"
    )
    previous_category = models.CharField(
        _("previous year's category"), max_length=10, choices=Category.choices, blank=True
    )
    recovered = models.BooleanField(
        _("recovered"),
        default=False,
        help_text=_("The category is better than the previous year's."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_region_path = "region__code"

    class Meta:
        ordering = ["region_id", "-year"]
        verbose_name = _("drug-prone area assessment")
        verbose_name_plural = _("drug-prone area assessments")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="one_drug_prone_per_year")
        ]
        indexes = [
            models.Index(fields=["year", "category"]),
            models.Index(fields=["year", "recovered"]),
        ]

    def __str__(self):
        return f"{self.region_id} {self.year}: {self.category}"

    def answers(self) -> dict[str, bool]:
        return {name: getattr(self, name) for name in INDICATOR_FIELDS}
