from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cegah.core import periods


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), periods.YEARLY),
        ("2026S1", date(2026, 1, 1), date(2026, 6, 30), periods.SIX_MONTHLY),
        ("2026S2", date(2026, 7, 1), date(2026, 12, 31), periods.SIX_MONTHLY),
        ("2026Q1", date(2026, 1, 1), date(2026, 3, 31), periods.QUARTERLY),
        ("2024Q4", date(2024, 10, 1), date(2024, 12, 31), periods.QUARTERLY),
        ("202402", date(2024, 2, 1), date(2024, 2, 29), periods.MONTHLY),
        ("202603", date(2026, 3, 1), date(2026, 3, 31), periods.MONTHLY),
    ],
)
def test_dhis2_periods_parse_to_their_dates(text, start, end, kind):
    period = periods.parse(text)
    assert (period.start, period.end, period.type, period.id) == (start, end, kind, text)


@pytest.mark.parametrize(
    "text", ["2026Q5", "202613", "26Q1", "2026Q0", "202600", "2026S3", "", "2026-01", "Q1", "20261"]
)
def test_invalid_periods_are_rejected_with_a_message(text):
    with pytest.raises(periods.InvalidPeriod) as info:
        periods.parse(text)
    assert str(info.value)


def test_months_roll_up_into_quarters_halves_and_years():
    may = periods.parse("202605")
    assert may.rolls_into(periods.QUARTERLY).id == "2026Q2"
    assert may.rolls_into(periods.SIX_MONTHLY).id == "2026S1"
    assert may.rolls_into(periods.YEARLY).id == "2026"
    assert periods.parse("2026Q3").rolls_into(periods.SIX_MONTHLY).id == "2026S2"


def test_a_coarse_period_cannot_be_split():
    with pytest.raises(periods.InvalidPeriod):
        periods.parse("2026Q1").rolls_into(periods.MONTHLY)


@given(st.integers(min_value=2000, max_value=2099), st.integers(min_value=1, max_value=12))
def test_every_month_lies_in_exactly_its_quarter_half_and_year(year, month):
    m = periods.parse(f"{year}{month:02d}")
    for kind in (periods.QUARTERLY, periods.SIX_MONTHLY, periods.YEARLY):
        containing = [p for p in periods.periods_of_type(kind, year) if p.contains(m)]
        assert containing == [m.rolls_into(kind)]
