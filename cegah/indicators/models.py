from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cegah.core import periods
from cegah.core.versioning import Versioned

code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9_]{1,49}$",
    _("Use capital letters, digits and _ only, starting with a letter (e.g. URINE_TESTED)."),
)

PERIOD_TYPE_CHOICES = [
    (periods.MONTHLY, _("Monthly")),
    (periods.QUARTERLY, _("Quarterly")),
    (periods.SIX_MONTHLY, _("Six-monthly")),
    (periods.YEARLY, _("Yearly")),
]


class Field(models.TextChoices):
    PREVENTION = "pencegahan", _("Pencegahan")
    EMPOWERMENT = "pemberdayaan", _("Pemberdayaan Masyarakat")
    BOTH = "both", _("Both fields")


class Bilingual(models.Model):
    """Names and definitions in Indonesian and English; `name` follows the active language."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    definition_id = models.TextField(_("definition (Indonesian)"))
    definition_en = models.TextField(_("definition (English)"))

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def definition(self) -> str:
        return (
            self.definition_en if (get_language() or "id").startswith("en") else self.definition_id
        )


class DataElement(Versioned, Bilingual):
    class ValueType(models.TextChoices):
        NUMBER = "NUMBER", _("Number")
        INTEGER = "INTEGER", _("Integer")
        PERCENTAGE = "PERCENTAGE", _("Percentage")
        BOOLEAN = "BOOLEAN", _("Yes/no")
        RUPIAH = "RUPIAH", _("Rupiah")

    class Aggregation(models.TextChoices):
        SUM = "SUM", _("Sum")
        AVERAGE = "AVERAGE", _("Average")
        LAST = "LAST", _("Last value in the period")
        MAX = "MAX", _("Maximum")
        COUNT = "COUNT", _("Count of yes")

    class Side(models.TextChoices):
        DEMAND = "demand", _("Demand (abuse)")
        SUPPLY = "supply", _("Supply (trafficking)")

    class Disaggregation(models.TextChoices):
        NONE = "", _("None")
        SEX = "sex", _("Sex")
        AGE = "age", _("Age band")
        SEX_AGE = "sex_age", _("Sex and age band")
        SITE_TYPE = "site", _("Site type")

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    value_type = models.CharField(_("value type"), max_length=12, choices=ValueType.choices)
    aggregation = models.CharField(_("aggregation"), max_length=8, choices=Aggregation.choices)
    period_type = models.CharField(_("period type"), max_length=12, choices=PERIOD_TYPE_CHOICES)
    field = models.CharField(_("field"), max_length=12, choices=Field.choices)
    side = models.CharField(_("side"), max_length=6, choices=Side.choices, default=Side.DEMAND)
    disaggregation = models.CharField(
        _("disaggregation"), max_length=8, choices=Disaggregation.choices, blank=True
    )
    min_value = models.FloatField(_("minimum"), null=True, blank=True)
    max_value = models.FloatField(_("maximum"), null=True, blank=True)
    derived = models.BooleanField(
        _("derived"),
        default=False,
        help_text=_("Computed from sites, assessments, commitments or activities; not typed in."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")


class Indicator(Versioned, Bilingual):
    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Kind(models.TextChoices):
        OUTCOME = "outcome", _("Outcome")
        OUTPUT = "output", _("Output")

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    numerator = models.CharField(_("numerator"), max_length=500)
    denominator = models.CharField(_("denominator"), max_length=500, default="1")
    factor = models.FloatField(_("factor"), default=1)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    decimals = models.PositiveSmallIntegerField(_("decimals"), default=1)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    field = models.CharField(_("field"), max_length=12, choices=Field.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")


class DataSet(Versioned, Bilingual):
    """A group of data elements reported together for one org unit and period."""

    class OrgUnitKind(models.TextChoices):
        REGENCY = "regency", _("Regency/city")
        SITE = "site", _("Site")

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    period_type = models.CharField(_("period type"), max_length=12, choices=PERIOD_TYPE_CHOICES)
    org_unit_kind = models.CharField(
        _("reported by"), max_length=8, choices=OrgUnitKind.choices, default=OrgUnitKind.REGENCY
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("deadline (days after the period ends)"), default=15
    )
    elements = models.ManyToManyField(
        DataElement, through="DataSetElement", related_name="data_sets"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("data set")
        verbose_name_plural = _("data sets")


class DataSetElement(models.Model):
    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="members")
    data_element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["data_set", "data_element"], name="one_element_once")
        ]

    def __str__(self):
        return f"{self.data_set_id}:{self.data_element_id}"


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    ACCEPTED = "accepted", _("Accepted")


LOCKED_STATUSES = (Status.APPROVED, Status.ACCEPTED)


class ValueKey(models.Model):
    """What a data value and its tombstone share: the key (element, period, org unit,
    category option combo; the element is each one's own), where it lies, who sent it."""

    period = models.CharField(_("period"), max_length=7)
    year = models.PositiveSmallIntegerField()
    half = models.PositiveSmallIntegerField(null=True)
    quarter = models.PositiveSmallIntegerField(null=True)
    month = models.PositiveSmallIntegerField(null=True)
    org_unit = models.CharField(_("org unit"), max_length=32)
    region_code = models.CharField(_("region code"), max_length=13)
    coc = models.CharField(_("category option combo"), max_length=32, default="default")
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    stored_by = models.CharField(_("stored by"), max_length=150, blank=True)
    # When the value was first stored; empty for values stored before this was kept (an
    # export then gives their last change).
    created_at = models.DateTimeField(_("created"), null=True, blank=True)

    scope_region_path = "region_code"
    scope_site_path = "site_id"

    class Meta:
        abstract = True


class DataValue(ValueKey):
    """One number: data element × org unit × period × category option combo.

    ``org_unit`` is a region code or a site code; ``region_code`` is the region the value
    belongs to (the site's region for a site), used for scope and hierarchy rollup by
    prefix. Year/quarter/month are stored so rollups are plain GROUP BYs.
    """

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered")
        IMPORTED = "imported", _("Imported")
        DERIVED = "derived", _("Derived")

    # The database keeps both references with triggers instead of FOREIGN KEY constraints
    # (migration 0004, which explains them): PostgreSQL checks a foreign key row by row at
    # commit, even a NULL site, which cost an import of 100,000 values 0.5-0.8 s; the
    # triggers check each statement's new rows in one query and lock what they refer to
    # as a foreign key does. Deleting a referenced element or site is refused either way.
    data_element = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, related_name="values", db_constraint=False
    )
    site = models.ForeignKey(
        "sites.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    value = models.FloatField(_("value"))
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.ENTERED
    )
    # DHIS2's follow-up mark, as a file sends it (a DB default: the table is large).
    followup = models.BooleanField(_("follow up"), default=False, db_default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # What a change-log entry keeps of a value (``changelog.snapshot``; the import composes
    # the same JSON in ``services._Store``). The rest is in the entry already: the id is
    # its object id, year/half/quarter/month follow from the period, region code and site
    # are its own columns, stored by and updated at are its user and time.
    log_fields = (
        "data_element_id",
        "period",
        "org_unit",
        "coc",
        "value",
        "comment",
        "followup",
        "status",
        "source",
    )

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [
            models.UniqueConstraint(
                fields=["data_element", "period", "org_unit", "coc"], name="one_value_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["data_element", "year", "region_code"], name="dv_de_year_region"),
            models.Index(fields=["region_code"], name="dv_region"),
        ]

    def __str__(self):
        return f"{self.data_element_id}/{self.period}/{self.org_unit}/{self.coc}={self.value}"

    @staticmethod
    def period_columns(period: periods.Period) -> dict:
        """The stored year/half/quarter/month of a period (None where coarser)."""
        rank = periods.PERIOD_TYPES.index(period.type)
        month = period.start.month
        return {
            "year": period.year,
            "half": (1 if month <= 6 else 2) if rank <= 2 else None,
            "quarter": (month - 1) // 3 + 1 if rank <= 1 else None,
            "month": month if rank == 0 else None,
        }


class DeletedDataValue(ValueKey):
    """A data value as it was when it was deleted: what DHIS2 calls a soft-deleted value,
    kept apart so that nothing reading values has to leave deleted ones out. Exports with
    ``includeDeleted`` list them (a peer learns of the deletion); a key stored again is
    live, and its tombstone is ignored from then on. An import row with ``deleted=true``
    for a key that holds no value leaves one too, as DHIS2 stores such a row deleted."""

    data_element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    value = models.FloatField(_("value"), null=True, blank=True)
    followup = models.BooleanField(_("follow up"), default=False)
    deleted_at = models.DateTimeField(_("deleted"))

    class Meta:
        verbose_name = _("deleted data value")
        verbose_name_plural = _("deleted data values")
        constraints = [
            models.UniqueConstraint(
                fields=["data_element", "period", "org_unit", "coc"], name="one_tombstone_per_key"
            )
        ]
        indexes = [models.Index(fields=["deleted_at"], name="ddv_deleted_at")]

    def __str__(self):
        return f"{self.data_element_id}/{self.period}/{self.org_unit}/{self.coc} (deleted)"


class ValidationRule(Versioned, Bilingual):
    class Operator(models.TextChoices):
        LE = "<=", "≤"
        LT = "<", "<"
        EQ = "==", "="
        NE = "!=", "≠"
        GE = ">=", "≥"
        GT = ">", ">"

    code = models.CharField(_("code"), max_length=50, unique=True, validators=[code_validator])
    left = models.CharField(_("left side"), max_length=500)
    operator = models.CharField(_("operator"), max_length=2, choices=Operator.choices)
    right = models.CharField(_("right side"), max_length=500)
    data_set = models.ForeignKey(
        DataSet, on_delete=models.CASCADE, related_name="rules", null=True, blank=True
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")


class Approval(models.Model):
    """The state of one data set × org unit × period in the send-up chain."""

    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="approvals")
    org_unit = models.CharField(_("org unit"), max_length=32)
    region_code = models.CharField(_("region code"), max_length=13)
    site = models.ForeignKey(
        "sites.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=7)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reopen_reason = models.CharField(_("reason for reopening"), max_length=500, blank=True)

    scope_region_path = "region_code"
    scope_site_path = "site_id"

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "org_unit", "period"], name="one_approval_per_key"
            )
        ]

    def __str__(self):
        return f"{self.data_set.code} {self.org_unit} {self.period}: {self.status}"


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("target"))

    scope_region_path = "region__code"

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "region", "year"], name="one_target")
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.region_id} {self.year}: {self.value}"
