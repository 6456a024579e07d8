"""The data pages run the same number of queries however many rows they show (no query
per approval, org unit, element or violation)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cegah.indicators import approvals, targets
from cegah.indicators.models import Indicator
from tests.indicators.helpers import data_set, element, english_client, enter, rule

REGENCIES = ["35.01", "35.02", "35.03", "35.04", "35.05", "35.06", "35.07", "35.08"]


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


def test_approval_and_validation_pages_do_not_grow_with_rows(db, jatim_manager):
    tested = element("UJI_TESTED")
    positive = element("UJI_POSITIVE", disaggregation="sex")
    ds = data_set("UJI_TRIWULAN", [(tested, True), positive])
    rule("UJI_POS_LE_TESTED", "#{UJI_POSITIVE}", "<=", "#{UJI_TESTED}", ds)
    client = english_client(jatim_manager)
    pages = [
        (reverse("approval-inbox"), {}),
        (reverse("approval-inbox"), {"status": "all"}),
        (reverse("approval-completeness"), {"dataSet": "UJI_TRIWULAN", "period": "2026Q1"}),
        (reverse("data-validation"), {"dataSet": "UJI_TRIWULAN", "period": "2026Q1"}),
    ]

    def add(regencies):
        """Values in each regency (a violation in every other one); the first submitted."""
        for i, code in enumerate(regencies):
            enter(
                jatim_manager,
                [("UJI_TESTED", "2026Q1", code, 1), ("UJI_POSITIVE", "2026Q1", code, i % 2, "M")],
                check_rules=False,
            )
        approvals.submit(jatim_manager, ds, regencies[0], (regencies[0], None), "2026Q1")

    add(REGENCIES[:2])
    few = [_count(client, url, params) for url, params in pages]
    add(REGENCIES[2:])
    many = [_count(client, url, params) for url, params in pages]
    assert few == many


def test_entry_grid_does_not_grow_with_elements(db, surabaya_officer):
    small = data_set("UJI_KECIL", [element("UJI_A"), element("UJI_B", disaggregation="sex")])
    large = data_set(
        "UJI_BESAR",
        [element(f"UJI_E{i}", disaggregation="sex_age" if i % 2 else "") for i in range(8)],
    )
    client = english_client(surabaya_officer)
    enter(surabaya_officer, [("UJI_A", "2026Q1", "35.78", 1), ("UJI_E0", "2026Q1", "35.78", 1)])
    url = reverse("data-entry")
    grid = {"orgUnit": "35.78", "period": "2026Q1"}
    assert _count(client, url, {**grid, "dataSet": small.code}) == _count(
        client, url, {**grid, "dataSet": large.code}
    )


def test_targets_page_does_not_grow_with_targets(db, jatim_manager):
    indicator = Indicator.objects.order_by("code").first()
    client = english_client(jatim_manager)
    params = {"indicator": indicator.code, "year": 2026}
    targets.set_target(jatim_manager, indicator, "35", 2026, 1)
    few = _count(client, reverse("target-list"), params)
    for code in REGENCIES:
        targets.set_target(jatim_manager, indicator, code, 2026, 2)
    assert _count(client, reverse("target-list"), params) == few
