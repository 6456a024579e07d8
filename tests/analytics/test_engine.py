"""The engine's behaviour on hand-made data: ratios of sums, LAST, approved-only, scope,
LEVEL-n and CODE:CHILDREN, site rollup, relative periods, errors and query counts."""

from datetime import date

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cegah.analytics import cube
from cegah.analytics.dimensions import resolve_periods
from cegah.analytics.engine import AnalyticsError, analytics
from cegah.analytics.models import Aggregate
from cegah.core import periods
from cegah.indicators.models import DataElement, DataValue
from cegah.indicators.services import ValueRow, write_values
from cegah.indicators.signals import changed_keys, values_changed
from cegah.regions.models import Region
from tests.analytics.helpers import Agg, as_table, element, indicator

BOTH_SOURCES = pytest.mark.parametrize("use_cube", [True, False], ids=["aggregate", "values"])


def write(actor, *rows):
    summary = write_values(actor, [ValueRow(*row) for row in rows])
    assert summary.status == "SUCCESS", summary.as_dict()
    return summary


@pytest.fixture
def screening(db):
    tested = element("T_TESTED", Agg.SUM, periods.QUARTERLY)
    positive = element("T_POSITIVE", Agg.SUM, periods.QUARTERLY)
    positivity = indicator("T_POSITIVITY", "#{T_POSITIVE}", "#{T_TESTED}", factor=100)
    return tested, positive, positivity


@BOTH_SOURCES
def test_province_ratio_is_sum_of_numerators_over_sum_of_denominators(
    admin_user, screening, use_cube
):
    """Surabaya 10 of 100 positive (10 %), Malang 45 of 50 (90 %): Jawa Timur is 55 of 150
    (36.7 %), not the mean of the two percentages (50 %)."""
    write(
        admin_user,
        ("T_TESTED", "2026Q1", "35.78", "100"),
        ("T_POSITIVE", "2026Q1", "35.78", "10"),
        ("T_TESTED", "2026Q1", "35.73", "50"),
        ("T_POSITIVE", "2026Q1", "35.73", "45"),
    )
    rows = analytics(
        admin_user, ["T_POSITIVITY"], ["2026Q1"], ["35", "35:CHILDREN"], use_cube=use_cube
    )
    by_ou = {row.ou: row for row in rows}

    assert by_ou["35.78"].value == pytest.approx(10.0)
    assert by_ou["35.73"].value == pytest.approx(90.0)
    regencies = [by_ou["35.78"], by_ou["35.73"]]
    province = by_ou["35"]
    assert province.numerator == sum(r.numerator for r in regencies) == 55
    assert province.denominator == sum(r.denominator for r in regencies) == 150
    assert province.value == pytest.approx(100 * 55 / 150)
    mean_of_percentages = sum(r.value for r in regencies) / len(regencies)
    assert mean_of_percentages == pytest.approx(50.0)
    assert province.value != pytest.approx(mean_of_percentages)
    assert province.factor == 100


@BOTH_SOURCES
def test_last_takes_the_last_quarter_with_a_value_per_org_unit(admin_user, use_cube):
    element("T_ACTIVE", Agg.LAST, periods.QUARTERLY)
    write(
        admin_user,
        *[("T_ACTIVE", f"2025Q{q}", "35.78", str(10 * q)) for q in (1, 2, 3, 4)],
        *[("T_ACTIVE", f"2025Q{q}", "35.73", str(q)) for q in (1, 2, 3)],  # no Q4
    )
    table = as_table(
        analytics(
            admin_user,
            ["T_ACTIVE"],
            ["2025", "2025S1"],
            ["35", "35.78", "35.73"],
            use_cube=use_cube,
        )
    )
    assert table[("T_ACTIVE", "2025", "35.78")] == 40  # Q4
    assert table[("T_ACTIVE", "2025", "35.73")] == 3  # Q3, Q4 is missing
    assert table[("T_ACTIVE", "2025", "35")] == 43  # summed over the org units
    assert table[("T_ACTIVE", "2025S1", "35")] == 20 + 2


@BOTH_SOURCES
def test_average_max_and_count_of_yes(admin_user, use_cube):
    element("T_SCORE", Agg.AVERAGE, periods.MONTHLY)
    element("T_PEAK", Agg.MAX, periods.MONTHLY)
    element("T_TEAM", Agg.COUNT, periods.MONTHLY, value_type="BOOLEAN")
    write(
        admin_user,
        ("T_SCORE", "202601", "35.78", "2"),
        ("T_SCORE", "202602", "35.78", "4"),
        ("T_SCORE", "202601", "35.73", "9"),
        ("T_PEAK", "202601", "35.78", "7"),
        ("T_PEAK", "202603", "35.73", "5"),
        ("T_TEAM", "202601", "35.78", "ya"),
        ("T_TEAM", "202602", "35.78", "tidak"),
        ("T_TEAM", "202603", "35.73", "true"),
    )
    table = as_table(
        analytics(
            admin_user, ["T_SCORE", "T_PEAK", "T_TEAM"], ["2026Q1"], ["35"], use_cube=use_cube
        )
    )
    assert table[("T_SCORE", "2026Q1", "35")] == pytest.approx(5.0)  # (2 + 4 + 9) / 3
    assert table[("T_PEAK", "2026Q1", "35")] == 7
    assert table[("T_TEAM", "2026Q1", "35")] == 2


@BOTH_SOURCES
def test_months_roll_into_quarters_halves_and_years_but_not_the_other_way(admin_user, use_cube):
    element("T_VISITS", Agg.SUM, periods.MONTHLY)
    element("T_YEARLY", Agg.SUM, periods.YEARLY)
    write(
        admin_user,
        ("T_VISITS", "202601", "35.78", "1"),
        ("T_VISITS", "202604", "35.78", "2"),
        ("T_VISITS", "202612", "35.78", "4"),
        ("T_VISITS", "202512", "35.78", "8"),
        ("T_YEARLY", "2026", "35.78", "100"),
    )
    table = as_table(
        analytics(
            admin_user,
            ["T_VISITS", "T_YEARLY"],
            ["2026", "2026S1", "2026Q2", "202612", "2025Q4"],
            ["35.78"],
            use_cube=use_cube,
        )
    )
    assert table == {
        ("T_VISITS", "2026", "35.78"): 7,
        ("T_VISITS", "2026S1", "35.78"): 3,
        ("T_VISITS", "2026Q2", "35.78"): 2,
        ("T_VISITS", "202612", "35.78"): 4,
        ("T_VISITS", "2025Q4", "35.78"): 8,
        ("T_YEARLY", "2026", "35.78"): 100,  # a year has no value for its quarters
    }


@BOTH_SOURCES
def test_a_sites_values_roll_up_to_its_district_regency_and_province(
    admin_user, surabaya_site, use_cube
):
    element("T_REFERRED", Agg.SUM, periods.MONTHLY)
    write(
        admin_user,
        ("T_REFERRED", "202603", surabaya_site.code, "3"),
        ("T_REFERRED", "202603", "35.78.01", "5"),
        ("T_REFERRED", "202603", "35.78.02.1001", "7"),
    )
    table = as_table(
        analytics(
            admin_user,
            ["T_REFERRED"],
            ["202603"],
            [surabaya_site.code, "35.78.01", "35.78", "35", "32"],
            use_cube=use_cube,
        )
    )
    assert table == {
        ("T_REFERRED", "202603", surabaya_site.code): 3,
        ("T_REFERRED", "202603", "35.78.01"): 3 + 5,
        ("T_REFERRED", "202603", "35.78"): 3 + 5 + 7,
        ("T_REFERRED", "202603", "35"): 3 + 5 + 7,
    }


def test_children_and_levels(admin_user):
    element("T_SESSIONS", Agg.SUM, periods.MONTHLY)
    write(
        admin_user,
        ("T_SESSIONS", "202603", "35.78.01", "5"),
        ("T_SESSIONS", "202603", "35.78.02.1001", "7"),
        ("T_SESSIONS", "202603", "32.73", "11"),
        ("T_SESSIONS", "202603", "35", "100"),  # recorded at the province itself
    )
    children = analytics(admin_user, ["T_SESSIONS"], ["202603"], ["35.78:CHILDREN"])
    assert {(r.ou, r.value) for r in children} == {("35.78.01", 5), ("35.78.02", 7)}

    provinces = analytics(admin_user, ["T_SESSIONS"], ["202603"], ["LEVEL-1"])
    assert {(r.ou, r.value) for r in provinces} == {("35", 112), ("32", 11)}
    regencies = analytics(admin_user, ["T_SESSIONS"], ["202603"], ["LEVEL-2"])
    assert {(r.ou, r.value) for r in regencies} == {("35.78", 12), ("32.73", 11)}


def test_approved_only_counts_approved_and_accepted_values(admin_user, screening):
    write(
        admin_user,
        ("T_TESTED", "2026Q1", "35.78", "100"),
        ("T_TESTED", "2026Q1", "35.73", "50"),
        ("T_TESTED", "2026Q1", "35.15", "20"),
    )
    approved = DataValue.objects.filter(org_unit="35.78")
    keys = changed_keys(approved)
    approved.update(status="approved")
    DataValue.objects.filter(org_unit="35.73").update(status="accepted")
    keys |= changed_keys(DataValue.objects.filter(org_unit="35.73"))
    values_changed(keys)

    every = analytics(admin_user, ["T_TESTED"], ["2026Q1"], ["35"])
    only_approved = analytics(admin_user, ["T_TESTED"], ["2026Q1"], ["35"], approved_only=True)
    assert [r.value for r in every] == [170]
    assert [r.value for r in only_approved] == [150]
    raw = analytics(admin_user, ["T_TESTED"], ["2026Q1"], ["35"], True, use_cube=False)
    assert [r.value for r in raw] == [150]


def test_write_path_keeps_the_aggregate_table_current(admin_user, screening):
    write(admin_user, ("T_TESTED", "2026Q1", "35.78.01", "10"))
    assert [r.value for r in analytics(admin_user, ["T_TESTED"], ["2026"], ["35"])] == [10]
    write(admin_user, ("T_TESTED", "2026Q1", "35.78.01", "25"))  # an update
    write(admin_user, ("T_TESTED", "2026Q2", "35.73", "5"))
    assert [r.value for r in analytics(admin_user, ["T_TESTED"], ["2026"], ["35"])] == [30]
    stored = sorted(Aggregate.objects.values_list("level", "region", "period", "approved", "total"))
    cube.rebuild()
    assert stored == sorted(
        Aggregate.objects.values_list("level", "region", "period", "approved", "total")
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's settings")
def test_a_large_refresh_sets_its_planner_settings_back(admin_user, screening, monkeypatch):
    """A large refresh changes work_mem, sorting and JIT for its own statements only."""
    names = ["work_mem", "enable_sort", "enable_incremental_sort", "jit"]

    def settings():
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(["current_setting(%s)"] * len(names)), names)
            return cursor.fetchone()

    before = settings()
    monkeypatch.setattr(cube, "LARGE_REFRESH_REGENCIES", 1)
    seen = []
    real_refresh_year = cube._refresh_year
    monkeypatch.setattr(
        cube, "_refresh_year", lambda *args: (seen.append(settings()), real_refresh_year(*args))
    )
    write(admin_user, ("T_TESTED", "2026Q1", "35.78.01", "10"))

    assert seen == [("128MB", "off", "off", "off")]
    assert settings() == before
    assert [r.value for r in analytics(admin_user, ["T_TESTED"], ["2026"], ["35"])] == [10]


# ---------------------------------------------------------------------------------------
# Scope


def test_bnnk_user_cannot_get_another_regencys_numbers(admin_user, malang_manager, screening):
    write(admin_user, ("T_TESTED", "2026Q1", "35.78", "100"), ("T_TESTED", "2026Q1", "35.73", "9"))
    for ou in (["35.78"], ["35"], ["35:CHILDREN"], ["35.78:CHILDREN"], ["35.73", "35.78"]):
        with pytest.raises(Http404):
            analytics(malang_manager, ["T_TESTED"], ["2026Q1"], ou)
    assert [
        (r.ou, r.value) for r in analytics(malang_manager, ["T_TESTED"], ["2026Q1"], ["35.73"])
    ] == [("35.73", 9)]


def test_level_n_lists_only_org_units_inside_the_scope(
    admin_user, malang_manager, jatim_manager, screening
):
    write(
        admin_user,
        ("T_TESTED", "2026Q1", "35.78", "100"),
        ("T_TESTED", "2026Q1", "35.73", "9"),
        ("T_TESTED", "2026Q1", "32.73", "4"),
    )
    # A province is not inside a regency: LEVEL-1 is empty for a BNNK user.
    assert analytics(malang_manager, ["T_TESTED"], ["2026Q1"], ["LEVEL-1"]) == []
    level2 = analytics(malang_manager, ["T_TESTED"], ["2026Q1"], ["LEVEL-2"])
    assert [(r.ou, r.value) for r in level2] == [("35.73", 9)]

    jatim = analytics(jatim_manager, ["T_TESTED"], ["2026Q1"], ["LEVEL-1", "LEVEL-2"])
    assert {(r.ou, r.value) for r in jatim} == {("35", 109), ("35.78", 100), ("35.73", 9)}


def test_focal_point_reaches_only_their_site(admin_user, focal_point, surabaya_site, malang_site):
    element("T_REFERRED", Agg.SUM, periods.MONTHLY)
    write(
        admin_user,
        ("T_REFERRED", "202603", surabaya_site.code, "3"),
        ("T_REFERRED", "202603", malang_site.code, "4"),
    )
    rows = analytics(focal_point, ["T_REFERRED"], ["202603"], [surabaya_site.code])
    assert [(r.ou, r.value) for r in rows] == [(surabaya_site.code, 3)]
    for ou in ([malang_site.code], ["35.78"], ["S9999-9999"]):
        with pytest.raises(Http404):
            analytics(focal_point, ["T_REFERRED"], ["202603"], ou)
    assert analytics(focal_point, ["T_REFERRED"], ["202603"], ["LEVEL-2", "LEVEL-3"]) == []


# ---------------------------------------------------------------------------------------
# Dimensions and errors


def test_relative_periods_count_from_today():
    today = date(2026, 11, 27)
    ids = lambda *names: [p.id for p in resolve_periods(list(names), today)]  # noqa: E731
    assert ids("THIS_YEAR", "LAST_YEAR") == ["2026", "2025"]
    assert ids("LAST_4_QUARTERS") == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]
    assert ids("THIS_QUARTER", "LAST_QUARTER") == ["2026Q4", "2026Q3"]
    assert ids("LAST_12_MONTHS")[0] == "202511"
    assert ids("LAST_12_MONTHS")[-1] == "202610"
    assert ids("THIS_SIX_MONTH", "LAST_2_SIXMONTHS") == ["2026S2", "2025S2", "2026S1"]
    assert ids("LAST_MONTH") == ["202610"]
    assert resolve_periods(["LAST_MONTH"], date(2026, 1, 5))[0].id == "202512"
    assert ids("2026Q1", "2026Q1", "THIS_QUARTER") == ["2026Q1", "2026Q4"]


@pytest.mark.parametrize(
    ("dx", "pe", "ou", "message"),
    [
        (["NO_SUCH_CODE"], ["2026"], ["35"], "NO_SUCH_CODE"),
        (["T_TESTED"], ["2026Q5"], ["35"], "2026Q5"),
        (["T_TESTED"], ["202613"], ["35"], "202613"),
        (["T_TESTED"], ["26Q1"], ["35"], "26Q1"),
        (["T_TESTED"], ["2026"], ["99.99"], "99.99"),
        (["T_TESTED"], ["2026"], ["LEVEL-7"], "LEVEL-7"),
        (["T_TESTED.M"], ["2026"], ["35"], "T_TESTED"),
        ([], ["2026"], ["35"], "dx"),
        (["T_TESTED"], [], ["35"], "pe"),
        (["T_TESTED"], ["2026"], [], "ou"),
    ],
)
def test_bad_requests_say_what_is_wrong(admin_user, screening, dx, pe, ou, message):
    with pytest.raises(AnalyticsError) as error:
        analytics(admin_user, dx, pe, ou)
    assert message in str(error.value)


def test_single_disaggregation(admin_user):
    element("T_BY_SEX", Agg.SUM, periods.MONTHLY, disaggregation="sex")
    summary = write_values(
        admin_user,
        [
            ValueRow("T_BY_SEX", "202603", "35.78", "3", coc="M"),
            ValueRow("T_BY_SEX", "202603", "35.78", "4", coc="F"),
        ],
    )
    assert summary.imported == 2
    table = as_table(
        analytics(admin_user, ["T_BY_SEX", "T_BY_SEX.F", "t_by_sex.m"], ["2026"], ["35"])
    )
    assert table == {
        ("T_BY_SEX", "2026", "35"): 7,
        ("T_BY_SEX.F", "2026", "35"): 4,
        ("T_BY_SEX.M", "2026", "35"): 3,
    }


def test_queries_do_not_grow_with_org_units_or_periods(admin_user, screening):
    write(
        admin_user, ("T_TESTED", "2026Q1", "35.78", "100"), ("T_POSITIVE", "2026Q1", "35.78", "3")
    )
    dx = ["T_POSITIVITY", "T_TESTED"]
    counts = []
    for pe, ou in (
        (["2026Q1"], ["35"]),
        ([f"{y}Q{q}" for y in (2025, 2026) for q in (1, 2, 3, 4)], ["LEVEL-1"]),
        (["2026Q1"], ["LEVEL-1", "LEVEL-2"]),
    ):
        with CaptureQueriesContext(connection) as captured:
            analytics(admin_user, dx, pe, ou)
        counts.append(len(captured.captured_queries))
    # One data query per source level more for LEVEL-1 + LEVEL-2, never one per org unit.
    assert counts[0] == counts[1]
    assert counts[2] == counts[0] + 1
    assert Region.objects.filter(level=2).count() > 500


def test_an_element_that_becomes_last_is_still_right_before_its_rows_are_refreshed(admin_user):
    """The aggregate table keeps LAST columns for LAST elements only; when an admin turns
    a SUM element into LAST, the engine reads it from the data values until refreshed."""
    element("T_STOCK", Agg.SUM, periods.QUARTERLY)
    write(admin_user, *[("T_STOCK", f"2025Q{q}", "35.78", str(q)) for q in (1, 2, 3, 4)])
    assert [r.value for r in analytics(admin_user, ["T_STOCK"], ["2025"], ["35"])] == [10]

    write(admin_user, *[("T_STOCK", f"2025Q{q}", "35.73", str(10 * q)) for q in (1, 2, 3)])
    assert [r.value for r in analytics(admin_user, ["T_STOCK"], ["2025"], ["35"])] == [70]

    DataElement.objects.filter(code="T_STOCK").update(aggregation=Agg.LAST)
    expected = [("35", 4 + 30), ("35.78", 4), ("35.73", 30)]
    ou = ["35", "35.78", "35.73"]
    assert [(r.ou, r.value) for r in analytics(admin_user, ["T_STOCK"], ["2025"], ou)] == expected
    # One regency refreshed (computed as LAST), the other not yet: no partial sums.
    write(admin_user, ("T_STOCK", "2025Q1", "35.78", "2"))
    assert [(r.ou, r.value) for r in analytics(admin_user, ["T_STOCK"], ["2025"], ou)] == expected
    cube.rebuild()
    assert [(r.ou, r.value) for r in analytics(admin_user, ["T_STOCK"], ["2025"], ou)] == expected


def test_a_request_for_too_many_cells_is_refused(admin_user, screening, monkeypatch):
    monkeypatch.setattr("cegah.analytics.engine.MAX_CELLS", 100)
    analytics(admin_user, ["T_TESTED", "T_POSITIVE"], ["2026"], ["LEVEL-1"])  # 76 cells
    with pytest.raises(AnalyticsError) as error:
        analytics(admin_user, ["T_TESTED", "T_POSITIVE", "T_POSITIVITY"], ["2026"], ["LEVEL-1"])
    assert "114" in str(error.value)
