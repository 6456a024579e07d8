"""The standards pages and API lists run the same number of queries for 2 rows as for 12:
nothing is fetched per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cegah.sites.services import create_site
from cegah.standards import services
from tests.conftest import client_for

from .helpers import png_bytes, upload, verified_assessment
from .test_drug_prone import answers

KEBRAON_DISTRICT = "35.78.01"


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)
    return len(queries)


def _add(officer, manager, villages, start, n):
    for i in range(start, start + n):
        site = create_site(None, name=f"SMP Hitung {i}", site_type="smp", region_code="35.78.01")
        verified_assessment(officer, manager, site, assessed_on=datetime.date(2023, 1, 2))
        services.record_drug_prone(
            officer, region_code=villages[i], year=2024, answers=answers(i % 6, i % 5)
        )


@pytest.fixture
def pages(surabaya_officer, surabaya_manager):
    from cegah.regions.models import Region

    villages = list(
        Region.objects.filter(level=4, code__startswith="35.78.").values_list("code", flat=True)
    )
    site = create_site(None, name="SMP Bukti", site_type="smp", region_code="35.78.01")
    draft = services.create_assessment(
        surabaya_officer, site, assessed_on=datetime.date(2025, 1, 1)
    )
    return {
        "villages": villages,
        "draft": draft,
        "urls": [
            "/penilaian/",
            "/penilaian/terlambat/",
            "/kawasan-rawan/",
            "/standards/",
            f"/penilaian/{draft.pk}/",
            f"/sites/{site.pk}/",
            "/api/v1/assessments",
            "/api/v1/drug-prone-assessments",
            "/api/v1/standards",
        ],
    }


def test_pages_do_not_query_per_row(pages, surabaya_officer, surabaya_manager):
    # The API is read with the session too: a token records its use at most once a
    # minute, which would add a write to whichever count crosses that minute.
    client = client_for(surabaya_manager)

    def counts():
        return {url: _count(client, url) for url in pages["urls"]}

    counts()  # warm up: the session is created on the first request
    _add(surabaya_officer, surabaya_manager, pages["villages"], 0, 2)
    services.add_evidence(surabaya_officer, pages["draft"], upload("a.png", png_bytes()))
    few = counts()
    _add(surabaya_officer, surabaya_manager, pages["villages"], 2, 10)
    for i in range(5):
        services.add_evidence(surabaya_officer, pages["draft"], upload(f"{i}.png", png_bytes()))
    many = counts()
    assert {url: (few[url], many[url]) for url in few if few[url] != many[url]} == {}
