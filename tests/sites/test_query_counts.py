"""The site list's SQL queries do not grow with the rows shown: not with more sites, not
with a larger page, not with filters. A per-row query (a region name, a focal point, a
status looked up per site) would fail here. The counts are also held to a baseline, so a
new query on the list is a deliberate change of BASELINE below."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cegah.sites.services import bulk_create_sites, set_assessment_status
from tests.conftest import client_for

# Every request: session, user, and the sliding session's save (savepoint, update,
# release). Then page: count, the filtered region's name, the rows, their regions' names
# (one query for the page); api: count, the rows; export: the rows (one query, read in
# chunks).
BASELINE = {"page": 9, "api": 7, "export": 6}
URLS = {
    "page": "/sites/?per_page={size}&site_type=sd&maturity=2-3&sort=-maturity&region=35",
    "api": "/api/v1/sites?limit={size}&site_type=sd&maturity=2-3&sort=-maturity&region=35",
    "export": "/sites/ekspor/?site_type=sd&maturity=2-3&region=35",
}


def _add(n, start=0):
    regions = ["35.78.01", "35.73.02", "35.15.01", "35.07"]
    sites = bulk_create_sites(
        None,
        [
            {
                "name": f"SD Negeri Hitung {start + i}",
                "site_type": "sd",
                "region_code": regions[i % len(regions)],
                "official_id": f"2070{start + i:04d}",
            }
            for i in range(n)
        ],
    )
    for site in sites:
        set_assessment_status(site, 2.5, False, datetime.date(2026, 1, 1), None)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def counts(jatim_manager):
    client = client_for(jatim_manager)
    result = {}
    _add(5)
    result["few"] = {kind: _count(client, url.format(size=25)) for kind, url in URLS.items()}
    _add(110, start=5)
    result["many"] = {
        size: {kind: _count(client, url.format(size=size)) for kind, url in URLS.items()}
        for size in (25, 50, 100)
    }
    return result


def test_list_queries_do_not_grow_with_rows_or_page_size(counts):
    few, many = counts["few"], counts["many"]
    assert many[25] == few
    assert many[50] == few
    assert many[100] == few


def test_list_queries_match_the_baseline(counts):
    assert counts["few"] == BASELINE
