"""The site list: one filter for the page, the API list and the export; sorting, paging,
the region search; and exports that a spreadsheet cannot turn into formulas."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from cegah.sites.filters import SiteFilter
from cegah.sites.services import bulk_create_sites, create_site, set_assessment_status
from tests.conftest import client_for

TODAY = timezone.localdate()


def _site(name, site_type="smp", region="35.78.01", official_id="", status=None):
    site = create_site(
        None, name=name, site_type=site_type, region_code=region, official_id=official_id
    )
    if status:
        maturity, due = status
        set_assessment_status(
            site,
            maturity,
            maturity >= 3,
            TODAY - datetime.timedelta(days=int(maturity * 100)),
            TODAY + datetime.timedelta(days=due),
        )
    return site


@pytest.fixture
def registry(db):
    """Sites of Kota Surabaya and one of Kota Malang, at known maturities."""
    return {
        "a": _site("SMP Alfa", status=(0.5, 30)),
        "b": _site("SMP Beta", region="35.78.02", status=(1.0, -5)),  # review overdue
        "c": _site("SMA Gama", site_type="sma", official_id="20511111", status=(2.99, 100)),
        "d": _site("SMA Delta", site_type="sma", status=(3.0, -1)),  # overdue, functioning
        "e": _site("Bandara Epsilon", site_type="airport", region="35.78", status=(4.0, 200)),
        "f": _site("SD Zeta", site_type="sd"),  # never assessed
        "m": _site("SMP Malang", region="35.73.01", status=(3.5, 10)),
    }


def _names(client, query: str) -> dict[str, list[str]]:
    """The site names that the page, the API and the CSV export give for one query."""
    page = client.get(reverse("site-list") + "?" + query + "&per_page=100")
    assert page.status_code == 200
    api = client.get("/api/v1/sites?" + query + "&limit=1000")
    assert api.status_code == 200, api.content
    export = client.get(reverse("site-export") + "?" + query)
    rows = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    return {
        "page": [s.name for s in page.context["page"]],
        "api": [s["name"] for s in api.json()["items"]],
        "export": [r["Nama"] for r in rows],
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Bandara Epsilon", "SD Zeta", "SMA Delta", "SMA Gama", "SMP Alfa", "SMP Beta"]),
        ("site_type=sma", ["SMA Delta", "SMA Gama"]),
        ("region=35.78.02", ["SMP Beta"]),
        ("region=35.78.01", ["SD Zeta", "SMA Delta", "SMA Gama", "SMP Alfa"]),
        ("maturity=0-1", ["SMP Alfa"]),
        ("maturity=1-2", ["SMP Beta"]),  # 1.00 is the bottom of 1–2, not the top of 0–1
        ("maturity=2-3", ["SMA Gama"]),
        ("maturity=3-4", ["Bandara Epsilon", "SMA Delta"]),  # 4.00 is in the top band
        ("maturity=none", ["SD Zeta"]),
        ("functioning=yes", ["Bandara Epsilon", "SMA Delta"]),
        ("functioning=no", ["SD Zeta", "SMA Gama", "SMP Alfa", "SMP Beta"]),
        ("overdue=1", ["SMA Delta", "SMP Beta"]),
        ("q=gama", ["SMA Gama"]),
        ("q=20511111", ["SMA Gama"]),  # the official identifier
        ("q=alfa&site_type=sma", []),
        (
            "sort=-maturity",
            ["Bandara Epsilon", "SMA Delta", "SMA Gama", "SMP Beta", "SMP Alfa", "SD Zeta"],
        ),
        (
            "sort=maturity",
            ["SMP Alfa", "SMP Beta", "SMA Gama", "SMA Delta", "Bandara Epsilon", "SD Zeta"],
        ),  # never assessed last either way
        (
            "sort=-last_assessed",
            ["SMP Alfa", "SMP Beta", "SMA Gama", "SMA Delta", "Bandara Epsilon", "SD Zeta"],
        ),
        ("sort=-name&functioning=yes", ["SMA Delta", "Bandara Epsilon"]),
    ],
)
def test_page_api_and_export_apply_the_same_filter(surabaya_manager, registry, query, expected):
    names = _names(client_for(surabaya_manager), query)
    assert names == {"page": expected, "api": expected, "export": expected}


def test_province_manager_filters_across_regencies(jatim_manager, registry):
    names = _names(client_for(jatim_manager), "maturity=3-4")
    assert names["page"] == ["Bandara Epsilon", "SMA Delta", "SMP Malang"]
    assert names["api"] == names["export"] == names["page"]


def test_a_bad_filter_is_reported_and_the_others_still_apply(surabaya_manager, registry):
    response = client_for(surabaya_manager).get(
        reverse("site-list") + "?maturity=9-10&site_type=sma"
    )
    assert [s.name for s in response.context["page"]] == ["SMA Delta", "SMA Gama"]
    assert response.context["filter_problems"]
    assert "maturity" in response.content.decode()


def test_the_api_refuses_a_bad_filter_with_422(surabaya_manager, registry):
    client = client_for(surabaya_manager)
    assert client.get("/api/v1/sites?maturity=9-10").status_code == 422
    assert client.get("/api/v1/sites?region=35.7").status_code == 422
    assert client.get("/api/v1/sites?sort=password").status_code == 422


@pytest.mark.parametrize("size", [25, 50, 100])
def test_pages_hold_the_page_size_chosen(surabaya_manager, size):
    # One write, not 110: each single registration refreshes the regency's derived values.
    bulk_create_sites(
        None,
        [
            {"name": f"SD Halaman {i:03d}", "site_type": "sd", "region_code": "35.78.03"}
            for i in range(110)
        ],
    )
    client = client_for(surabaya_manager)
    page = client.get(reverse("site-list") + f"?per_page={size}&region=35.78.03&page=2")
    assert [s.name for s in page.context["page"]] == [
        f"SD Halaman {i:03d}" for i in range(size, min(2 * size, 110))
    ]
    # The pagination links keep the filter and the page size.
    assert f"?per_page={size}&amp;region=35.78.03&amp;page=1" in page.content.decode()


def test_an_unknown_page_size_falls_back_to_the_default(surabaya_manager, registry):
    page = client_for(surabaya_manager).get(reverse("site-list") + "?per_page=100000")
    assert page.context["page"].paginator.per_page == 50


def test_region_filter_shows_the_regions_name(surabaya_manager, registry):
    page = client_for(surabaya_manager).get(reverse("site-list") + "?region=35.78.01")
    assert "Karang Pilang" in page.content.decode()


def test_filter_from_query_keeps_the_valid_parameters():
    filters, problems = SiteFilter.from_query(
        {"q": " alfa ", "overdue": "on", "sort": "nope", "functioning": "yes"}
    )
    assert (filters.q, filters.overdue, filters.sort, filters.functioning) == (
        "alfa",
        True,
        "name",
        "yes",
    )
    assert len(problems) == 1
    assert filters.query_string() == "q=alfa&functioning=yes&overdue=1"


# ---------------------------------------------------------------------------------------
# Exports


FORMULAS = ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1)"]


def test_neutralise_prefixes_every_formula_start():
    from cegah.sites.exports import neutralise

    for text in [*FORMULAS, "\tTab", "\rCR"]:
        assert neutralise(text) == "'" + text
    assert neutralise("SMP Negeri 1") == "SMP Negeri 1"


@pytest.fixture
def formula_sites(db):
    return [
        create_site(None, name=f"{text} SMP", site_type="smp", region_code="35.78.01", address=text)
        for text in FORMULAS
    ]


def test_csv_export_neutralises_formulas(surabaya_manager, formula_sites):
    response = client_for(surabaya_manager).get(reverse("site-export") + "?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    names = {r["Nama"] for r in rows}
    addresses = {r["Alamat"] for r in rows}
    assert names == {"'" + f + " SMP" for f in FORMULAS}
    assert addresses == {"'" + f for f in FORMULAS}
    # Numbers stay numbers: a negative latitude is not prefixed.
    assert all(not r["Kode kawasan"].startswith("'") for r in rows)


def test_xlsx_export_writes_text_cells_and_neutralises_formulas(surabaya_manager, formula_sites):
    from python_calamine import CalamineWorkbook

    create_site(
        None,
        name="SMP Koordinat",
        site_type="smp",
        region_code="35.78.01",
        latitude="-7.25",
        longitude="112.75",
        population_served=300,
    )
    response = client_for(surabaya_manager).get(reverse("site-export") + "?format=xlsx")
    data = b"".join(response.streaming_content)
    assert data.startswith(b"PK\x03\x04")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header = rows[0]
    name_col, lat_col = header.index("Nama"), header.index("Lintang")
    names = {r[name_col] for r in rows[1:]}
    assert {"'" + f + " SMP" for f in FORMULAS} <= names
    row = next(r for r in rows[1:] if r[name_col] == "SMP Koordinat")
    assert row[lat_col] == -7.25  # a number cell
