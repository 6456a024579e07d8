from dataclasses import dataclass

import pytest

from cegah.core import periods
from cegah.regions.models import Region
from cegah.sites.services import create_site
from tests.analytics.helpers import Agg, element, indicator


@dataclass
class Catalogue:
    elements: list  # every aggregation type, monthly and quarterly, some by sex
    indicators: list
    by_code: dict


@pytest.fixture
def catalogue(db):
    elements = []
    for aggregation in (Agg.SUM, Agg.AVERAGE, Agg.MAX, Agg.COUNT, Agg.LAST):
        for period_type, suffix in ((periods.MONTHLY, "M"), (periods.QUARTERLY, "Q")):
            elements.append(
                element(
                    f"T_{aggregation}_{suffix}",
                    aggregation,
                    period_type,
                    disaggregation="sex" if suffix == "M" else "",
                )
            )
    by_code = {e.code: e for e in elements}
    indicators = [
        indicator("T_RATIO", "#{T_SUM_M}", "#{T_SUM_Q}", factor=100),
        indicator("T_MIXED", "#{T_SUM_M} + #{T_LAST_Q} * 2", "#{T_MAX_M} + #{T_COUNT_Q} + 1"),
        indicator("T_AVERAGE", "#{T_AVERAGE_M}"),
    ]
    return Catalogue(elements, indicators, by_code)


@dataclass
class Places:
    provinces: list[str]
    regencies: list[str]
    districts: list[str]
    villages: list[str]
    site_code: str
    site_id: int
    site_region: str

    @property
    def value_regions(self) -> list[str]:
        """Where values are recorded: every level, provinces included."""
        return self.provinces + self.regencies + self.districts + self.villages

    @property
    def requested(self) -> list[str]:
        return self.provinces + self.regencies + self.districts + self.villages + [self.site_code]


def _first_child(code: str) -> str:
    return Region.objects.filter(parent_id=code).order_by("code").values_list("code", flat=True)[0]


@pytest.fixture
def places(db):
    """Real codes: two provinces, two regencies in each, a district and a village in each
    regency, and a site in a Surabaya district."""
    provinces = ["35", "32"]
    regencies = ["35.78", "35.73", "32.73", "32.04"]
    districts = [_first_child(r) for r in regencies]
    villages = [_first_child(d) for d in districts]
    site = create_site(None, name="SMP Uji Analitik", site_type="smp", region_code=districts[0])
    return Places(provinces, regencies, districts, villages, site.code, site.pk, districts[0])
