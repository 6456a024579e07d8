from django.db import models

from cegah.indicators.models import DataElement


class Aggregate(models.Model):
    """Pre-aggregated data values, what DHIS2 calls its analytics tables.

    One row per data element × category option combo × region × period × bucket, at two
    levels: ``level=1`` a province, ``level=2`` a regency/city (values recorded at a
    province itself keep the province code at level 2, so level 1 is the sum of level 2).
    ``approved`` rows count approved/accepted values only; the others count every value.
    Values of districts, villages and sites are folded into their regency and province.

    ``last_quarter``/``last_half``/``last_year`` add, over the leaf org units
    (org unit × category option combo), the value of this period when it is that leaf's
    last period with a value inside the quarter/half/year: LAST for a coarser requested
    period is then a plain SUM (computed for LAST elements only, NULL for the others).
    Kept current by ``cube.refresh`` (through ``indicators.signals``); ``cube.rebuild``
    recomputes everything from the data values.
    """

    # Derived rows: no database constraint (no per-row check when the table is rebuilt,
    # and TRUNCATE stays possible inside the writing transaction).
    data_element = models.ForeignKey(
        DataElement,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    coc = models.CharField(max_length=32)
    level = models.PositiveSmallIntegerField()
    region = models.CharField(max_length=13)
    approved = models.BooleanField()
    period = models.CharField(max_length=7)
    year = models.PositiveSmallIntegerField()
    half = models.PositiveSmallIntegerField(null=True)
    quarter = models.PositiveSmallIntegerField(null=True)
    month = models.PositiveSmallIntegerField(null=True)
    total = models.FloatField()
    count = models.IntegerField()
    maximum = models.FloatField()
    true_count = models.IntegerField()
    # NULL for data elements that were not LAST when the row was computed.
    last_quarter = models.FloatField(null=True)
    last_half = models.FloatField(null=True)
    last_year = models.FloatField(null=True)

    class Meta:
        # Every query names elements, a level, years and (the engine) the bucket; a refresh
        # names no bucket and still uses the first three columns.
        indexes = [
            models.Index(
                fields=["data_element", "level", "year", "approved", "region"],
                name="agg_lookup",
            )
        ]

    def __str__(self):
        return f"{self.data_element_id}/{self.coc}/L{self.level} {self.region}/{self.period}"
