"""Per-page SQL query baseline (as NetBox keeps one): a page that grows new queries, or
whose query count grows with the number of rows, fails here.

The baseline lives in tests/query_counts.json. After a deliberate change, regenerate it
with `CEGAH_UPDATE_QUERY_COUNTS=1 make test PYTEST_ARGS=tests/test_query_counts.py` and
review the diff.
"""

import json
import os
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cegah.sites.services import create_site, update_site
from tests.conftest import client_for

BASELINE = Path(__file__).with_name("query_counts.json")
PAGES = [
    "/",
    "/sites/",
    "/wilayah/",
    "/wilayah/35/",
    "/wilayah/35.78/",
    "/kantor/",
    "/kantor/BNNP-35/",
    "/riwayat/",
    "/profil/",
    "/pengguna/",
    "/indikator/",
    "/indikator/SCREENING_POSITIVITY/",
    "/indikator/elemen-data/",
    "/indikator/elemen-data/URINE_TESTED/",
    "/indikator/set-data/",
    "/indikator/set-data/P2M_TRIWULAN/",
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _add_rows(actor, n):
    for i in range(n):
        site = create_site(
            None, name=f"SD Negeri Hitung {i}", site_type="sd", region_code="35.78.01"
        )
        update_site(actor, site, site.version, name=f"SD Negeri Hitung {i} (ubah)")


@pytest.fixture
def counts(jatim_manager, surabaya_manager, surabaya_officer):
    client = client_for(jatim_manager)
    _add_rows(surabaya_manager, 2)
    few = {url: _count(client, url) for url in PAGES}
    _add_rows(surabaya_manager, 12)
    many = {url: _count(client, url) for url in PAGES}
    return few, many


def test_query_counts_do_not_grow_with_rows(counts):
    few, many = counts
    grown = {url: (few[url], many[url]) for url in PAGES if many[url] != few[url]}
    assert grown == {}


def test_query_counts_match_the_baseline(counts):
    _few, many = counts
    if os.environ.get("CEGAH_UPDATE_QUERY_COUNTS") == "1":
        BASELINE.write_text(json.dumps(many, indent=2, sort_keys=True) + "\n")
    baseline = json.loads(BASELINE.read_text())
    more = {url: (baseline.get(url), n) for url, n in many.items() if n > baseline.get(url, -1)}
    assert more == {}, "pages now run more queries than tests/query_counts.json allows"
