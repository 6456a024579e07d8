"""DHIS2 period identifiers: `2026` (year), `2026S1` (six-month), `2026Q1` (quarter),
`202603` (month). A period knows its dates and the coarser periods it rolls up into."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext as _

YEARLY, SIX_MONTHLY, QUARTERLY, MONTHLY = "Yearly", "SixMonthly", "Quarterly", "Monthly"
PERIOD_TYPES = (MONTHLY, QUARTERLY, SIX_MONTHLY, YEARLY)  # finest first
_RANK = {t: i for i, t in enumerate(PERIOD_TYPES)}

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:(?P<month>\d{2})|Q(?P<q>\d)|S(?P<s>\d))?$")
MIN_YEAR, MAX_YEAR = 1990, 2100


class InvalidPeriod(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    type: str
    id: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def month_numbers(self) -> range:
        return range(self.start.month, self.end.month + 1)

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def rolls_into(self, period_type: str) -> Period:
        """The period of ``period_type`` that contains this one (coarser or equal only)."""
        if _RANK[period_type] < _RANK[self.type]:
            raise InvalidPeriod(
                _("%(period)s cannot be split into %(type)s periods.")
                % {"period": self.id, "type": period_type}
            )
        year, month = self.start.year, self.start.month
        if period_type == YEARLY:
            return parse(str(year))
        if period_type == SIX_MONTHLY:
            return parse(f"{year}S{1 if month <= 6 else 2}")
        if period_type == QUARTERLY:
            return parse(f"{year}Q{(month - 1) // 3 + 1}")
        return parse(f"{year}{month:02d}")

    def months(self) -> list[Period]:
        return [parse(f"{self.year}{m:02d}") for m in self.month_numbers]

    def __str__(self) -> str:
        return self.id


@lru_cache(maxsize=4096)
def parse(value: str) -> Period:
    """Parse a DHIS2 period id, or raise InvalidPeriod with a message a user can act on."""
    text = (value or "").strip()
    match = _PATTERN.match(text)
    if not match:
        raise InvalidPeriod(
            _(
                "%(value)s is not a period. Use 2026 (year), 2026S1 (half), 2026Q1 (quarter) "
                "or 202603 (month)."
            )
            % {"value": text or "''"}
        )
    year = int(match["year"])
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidPeriod(
            _("%(value)s: the year must be between %(min)s and %(max)s.")
            % {"value": text, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise InvalidPeriod(_("%(value)s: the month must be 01 to 12.") % {"value": text})
        return Period(
            date(year, month, 1),
            date(year, month, calendar.monthrange(year, month)[1]),
            MONTHLY,
            text,
        )
    if match["q"]:
        q = int(match["q"])
        if not 1 <= q <= 4:
            raise InvalidPeriod(_("%(value)s: the quarter must be Q1 to Q4.") % {"value": text})
        first = 3 * (q - 1) + 1
        return Period(
            date(year, first, 1),
            date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
            QUARTERLY,
            text,
        )
    if match["s"]:
        s = int(match["s"])
        if s not in (1, 2):
            raise InvalidPeriod(_("%(value)s: the half must be S1 or S2.") % {"value": text})
        return Period(
            date(year, 1 if s == 1 else 7, 1),
            date(year, 6 if s == 1 else 12, 30 if s == 1 else 31),
            SIX_MONTHLY,
            text,
        )
    return Period(date(year, 1, 1), date(year, 12, 31), YEARLY, text)


_ISO_MONTH = re.compile(r"\s*(\d{4})-(\d{2})\s*")


def parse_import(value: str) -> Period:
    """``parse`` for what a DHIS2 file may send: a month also as ``2017-01`` (DHIS2 reads
    both; the period is the month ``201701``)."""
    match = _ISO_MONTH.fullmatch(value or "")
    return parse(f"{match[1]}{match[2]}" if match else value)


def is_valid(value: str) -> bool:
    try:
        parse(value)
    except InvalidPeriod:
        return False
    return True


def periods_of_type(period_type: str, year: int) -> list[Period]:
    if period_type == YEARLY:
        return [parse(str(year))]
    if period_type == SIX_MONTHLY:
        return [parse(f"{year}S{s}") for s in (1, 2)]
    if period_type == QUARTERLY:
        return [parse(f"{year}Q{q}") for q in (1, 2, 3, 4)]
    return [parse(f"{year}{m:02d}") for m in range(1, 13)]
