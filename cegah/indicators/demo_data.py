"""Demo step: three years of indicator data for every regency (``--scale small``).

The current year and the two before it, up to the current month and quarter, for the
three default data sets (monthly screening, Laporan Triwulan P2M, yearly regional
commitment). Each regency has its own profile drawn from a generator seeded by the demo
seed and its code, so a regency's numbers are the same whichever other regencies are
built. Trends are believable: screening positivity slowly falls and coverage rises, some
regencies improve faster; Perda/RAD/Tim Terpadu spread; IKOTAN rises. Older periods are
accepted or approved, the last complete period is a mix of submitted, approved and draft,
and the current one is a draft that only some regencies have started.

Values go through ``services.write_values`` (the one write path, with its validation and
change log) and approval states through ``services.set_approval_states``. Derived data
elements are left to the paths that derive them. ``--scale national`` is built elsewhere.
"""

from __future__ import annotations

import datetime
import math
import random
import time
from dataclasses import dataclass, field

from django.utils import timezone

from cegah.core import periods
from cegah.regions.models import Office, Region

from . import services
from .catalogue import load_default_catalogue
from .models import DataSet, DataValue, Status

ORDER = 40
FIRST_YEAR_BACK = 2  # the current year and the two before it

SEASON = {1: 0.8, 2: 0.95, 3: 1.0, 4: 1.0, 5: 0.95, 6: 0.7, 7: 0.9,
          8: 1.25, 9: 1.2, 10: 1.15, 11: 1.1, 12: 0.75}  # fmt: skip
AGE_SHARES = {"LT15": 0.14, "15_24": 0.41, "25_64": 0.40, "65P": 0.05}
MILLION = 1_000_000


@dataclass
class DemoResult:
    values: int = 0
    regencies: int = 0
    approvals: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def build(ctx):
    if ctx.scale != "small":
        return
    load_default_catalogue()
    entered = DataValue.objects.exclude(source=DataValue.Source.DERIVED)
    if entered.exists():
        ctx.summary.append(f"Data values: {entered.count():,} (kept)")
        return
    started = time.monotonic()
    result = build_values(ctx.seed, progress=ctx.progress)
    seconds = time.monotonic() - started
    statuses = ", ".join(f"{n:,} {s}" for s, n in sorted(result.by_status.items()))
    ctx.summary.append(
        f"Data values: {result.values:,} for {result.regencies} regencies, "
        f"{result.approvals:,} data set reports ({statuses}) ({seconds:.1f} s)"
    )


def build_values(seed: int, regencies=None, today: datetime.date | None = None, progress=None):
    """Write the demo values for ``regencies`` (region codes; default all) up to ``today``.
    Deterministic for a seed and a date."""
    today = today or timezone.localdate()
    codes = sorted(
        regencies
        if regencies is not None
        else Region.objects.filter(level=Region.Level.REGENCY).values_list("code", flat=True)
    )
    with_bnnk = set(
        Office.objects.filter(kind=Office.Kind.BNNK, active=True).values_list(
            "region_id", flat=True
        )
    )
    data_sets = {d.code: d for d in DataSet.objects.prefetch_related("members__data_element")}
    members = {
        code: {m.data_element.code for m in data_set.members.all()}
        for code, data_set in data_sets.items()
    }
    result = DemoResult(regencies=len(codes))
    plan = _Plan(today)
    rows: dict[str, list[services.ValueRow]] = {code: [] for code in data_sets}
    states: dict[str, list[services.ApprovalState]] = {code: [] for code in data_sets}
    bar = progress(total=len(codes), desc="indicator values") if progress else None
    for code in codes:
        regency = _Regency(seed, code, code in with_bnnk, plan)
        for data_set_code, generate in (
            ("SKRINING_BULANAN", regency.screening),
            ("P2M_TRIWULAN", regency.quarterly),
            ("KOMITMEN_TAHUNAN", regency.yearly),
        ):
            if data_set_code not in data_sets:
                continue  # an admin removed it: nothing to fill
            for period, values, status, submitted_at in generate():
                kept = [v for v in values if v.data_element in members[data_set_code]]
                if not kept:
                    continue
                rows[data_set_code] += kept
                states[data_set_code].append(
                    services.ApprovalState(code, code, period, status, submitted_at=submitted_at)
                )
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    # Every value first (one write), then the approval states: approved periods are locked.
    all_rows = [row for data_set_rows in rows.values() for row in data_set_rows]
    summary = services.write_values(None, all_rows)
    if summary.conflicts:
        raise RuntimeError(f"demo values refused: {summary.conflicts[:3]}")
    result.values = summary.imported + summary.updated + summary.ignored
    services.set_approval_states(
        None, {data_sets[code]: data_set_states for code, data_set_states in states.items()}
    )
    for data_set_states in states.values():
        for state in data_set_states:
            result.by_status[state.status] = result.by_status.get(state.status, 0) + 1
        result.approvals += len(data_set_states)
    return result


class _Plan:
    """The periods to fill and how far each lies behind the current one."""

    def __init__(self, today: datetime.date):
        self.today = today
        first = today.year - FIRST_YEAR_BACK
        self.years = list(range(first, today.year + 1))
        self.months = [
            p for y in self.years for p in periods.periods_of_type(periods.MONTHLY, y)
            if p.start <= today
        ]  # fmt: skip
        self.quarters = [
            p for y in self.years for p in periods.periods_of_type(periods.QUARTERLY, y)
            if p.start <= today
        ]  # fmt: skip

    def lag(self, period: periods.Period, series: list[periods.Period]) -> int:
        """0 for the current period, 1 for the last complete one, …"""
        return len(series) - 1 - series.index(period)


def _n(value: float) -> str:
    return str(max(0, int(round(value))))


class _Regency:
    """One regency's profile: its levels, its pace of improvement and its reporting habits."""

    def __init__(self, seed: int, code: str, has_bnnk: bool, plan: _Plan):
        self.rng = rng = random.Random(f"cegah-demo-indicators-{seed}-{code}")
        self.code, self.plan, self.has_bnnk = code, plan, has_bnnk
        self.fast = rng.random() < 0.3  # some regencies improve faster
        self.target = int(min(40_000, max(800, rng.lognormvariate(8.3, 0.6))))
        self.coverage = rng.uniform(0.015, 0.05)
        self.coverage_gain = rng.uniform(0.008, 0.014) if self.fast else rng.uniform(0.002, 0.006)
        self.positivity = rng.uniform(0.008, 0.04)
        self.positivity_fall = rng.uniform(0.2, 0.3) if self.fast else rng.uniform(0.03, 0.1)
        self.referral = rng.uniform(0.45, 0.8)
        self.male_share = rng.uniform(0.5, 0.62)
        self.activities = (rng.uniform(6, 20), rng.uniform(4, 15))
        self.activity_growth = rng.uniform(0.06, 0.15) if self.fast else rng.uniform(0.0, 0.06)
        self.per_activity = rng.uniform(25, 70)
        self.reach = rng.lognormvariate(9.5, 0.9)
        self.penggiat = rng.randint(5, 40)
        self.desa_bersinar = rng.randint(0, 4)
        self.alternative_development = code.startswith("11.") and rng.random() < 0.6
        self.life_skills = self.alternative_development or rng.random() < 0.25
        self.reports = rng.uniform(0.5, 8)
        self.forwarded = rng.uniform(0.35, 0.6)
        self.perda = rng.random() < (0.45 if self.fast else 0.3)
        self.rad = rng.random() < (0.3 if self.fast else 0.18)
        self.team = rng.random() < 0.5
        self.ikotan = min(3.7, max(1.8, rng.gauss(2.95, 0.3)))
        self.ikotan_gain = rng.uniform(0.08, 0.15) if self.fast else rng.uniform(0.0, 0.06)
        self.measures_ikdr = rng.random() < 0.3
        self.ikdr = rng.uniform(55, 78)
        self.measures_family = rng.random() < 0.25
        self.family = rng.uniform(70, 84)
        self.timely = rng.uniform(0.6, 0.95)

    # -- reporting ------------------------------------------------------------------------

    def _starts_current(self) -> bool:
        """Whether this regency has begun the current (unfinished) period."""
        return self.rng.random() < 0.45

    def _status(self, lag: int, kind: str) -> str:
        roll = self.rng.random()
        if lag == 0:
            return Status.DRAFT
        if lag == 1:
            return (
                Status.SUBMITTED
                if roll < 0.5
                else Status.APPROVED
                if roll < (0.7 if kind != "year" else 0.9)
                else Status.DRAFT
            )
        if lag == 2 and kind != "year":
            return Status.APPROVED if roll < 0.5 else Status.ACCEPTED
        return Status.ACCEPTED if roll < 0.97 else Status.APPROVED

    def _submitted_at(self, period: periods.Period, status: str, deadline_days: int):
        if status == Status.DRAFT:
            return None
        late = self.rng.random() > self.timely
        days = (
            self.rng.randint(deadline_days + 1, deadline_days + 25)
            if late
            else (self.rng.randint(1, deadline_days))
        )
        day = min(period.end + datetime.timedelta(days=days), self.plan.today)
        return datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=datetime.UTC) + (
            datetime.timedelta(minutes=self.rng.randint(0, 480))
        )

    # -- data sets --------------------------------------------------------------------------

    def screening(self):
        plan = self.plan
        for period in plan.months:
            lag = plan.lag(period, plan.months)
            if lag == 0 and not self._starts_current():
                continue
            years = (period.start - datetime.date(plan.years[0], 1, 1)).days / 365.25
            target = int(self.target * (1 + 0.03 * years))
            coverage = min(0.2, self.coverage + self.coverage_gain * years)
            tested = target * coverage * SEASON[period.start.month] * self.rng.uniform(0.85, 1.15)
            tested = min(target, int(round(tested)))
            male = int(round(tested * self.male_share))
            female = tested - male
            rate = self.positivity * (1 - self.positivity_fall) ** years
            positive_m = min(male, self._count(male * rate * 1.5))
            positive_f = min(female, self._count(female * rate * 0.45))
            referral = min(0.95, self.referral + 0.06 * years)
            referred = min(
                positive_m + positive_f, self._count((positive_m + positive_f) * referral)
            )
            o, p = self.code, period.id
            values = [
                services.ValueRow("URINE_TESTED", p, o, str(male), coc="M"),
                services.ValueRow("URINE_TESTED", p, o, str(female), coc="F"),
                services.ValueRow("URINE_POSITIVE", p, o, str(positive_m), coc="M"),
                services.ValueRow("URINE_POSITIVE", p, o, str(positive_f), coc="F"),
                services.ValueRow("REHAB_REFERRED", p, o, str(referred)),
                services.ValueRow("SCREENING_TARGET", p, o, str(target)),
            ]
            status = self._status(lag, "month")
            yield period.id, values, status, self._submitted_at(period, status, 10)

    def _count(self, expected: float) -> int:
        """A whole count around ``expected`` (small numbers stay small and vary)."""
        if expected <= 0:
            return 0
        noise = self.rng.gauss(0, math.sqrt(expected))
        return max(0, int(round(expected + noise)))

    def quarterly(self):
        plan = self.plan
        penggiat, desa = self.penggiat, self.desa_bersinar
        for period in plan.quarters:
            lag = plan.lag(period, plan.quarters)
            years = (period.start - datetime.date(plan.years[0], 1, 1)).days / 365.25
            growth = (1 + self.activity_growth) ** years
            penggiat = max(0, penggiat + self.rng.randint(-2, 6 if self.fast else 3))
            if self.rng.random() < (0.4 if self.fast else 0.2):
                desa += 1
            if lag == 0 and not self._starts_current():
                continue
            o, p = self.code, period.id
            prevention = self._count(self.activities[0] * growth)
            empowerment = self._count(self.activities[1] * growth)
            participants = (prevention + empowerment) * self.per_activity
            reach = _n(self.reach * growth * self.rng.uniform(0.6, 1.4))
            trained = min(penggiat, self._count(penggiat * 0.2))
            values = [
                services.ValueRow("ACTIVITIES_PREVENTION", p, o, str(prevention)),
                services.ValueRow("ACTIVITIES_EMPOWERMENT", p, o, str(empowerment)),
                services.ValueRow("INFO_REACH", p, o, reach),
                services.ValueRow("PENGGIAT_ACTIVE", p, o, str(penggiat)),
                services.ValueRow("PENGGIAT_TRAINED", p, o, str(trained)),
                services.ValueRow("DESA_BERSINAR", p, o, str(desa)),
            ]
            for sex, share in (("M", self.male_share), ("F", 1 - self.male_share)):
                for band, band_share in AGE_SHARES.items():
                    count = self._count(participants * share * band_share)
                    values.append(
                        services.ValueRow(
                            "ACTIVITY_PARTICIPANTS", p, o, str(count), coc=f"{sex}_{band}"
                        )
                    )
            if self.alternative_development:
                hectares = round(self.rng.uniform(2, 30) * growth, 1)
                values += [
                    services.ValueRow("AD_HECTARES_CONVERTED", p, o, str(hectares)),
                    services.ValueRow("AD_LIVELIHOOD_CHANGED", p, o, str(self._count(15 * growth))),
                ]
            if self.life_skills:
                values.append(
                    services.ValueRow(
                        "LIFE_SKILLS_PARTICIPANTS", p, o, str(self._count(30 * growth))
                    )
                )
            reports = self._count(self.reports)
            share = min(0.9, self.forwarded + 0.05 * years)
            forwarded = min(reports, self._count(reports * share))
            values += [
                services.ValueRow("TRAFFICKING_REPORTS", p, o, str(reports)),
                services.ValueRow("TRAFFICKING_FORWARDED", p, o, str(forwarded)),
            ]
            status = self._status(lag, "quarter")
            yield period.id, values, status, self._submitted_at(period, status, 15)

    def yearly(self):
        plan = self.plan
        ikotan = self.ikotan
        for index, year in enumerate(plan.years):
            lag = len(plan.years) - 1 - index
            # Commitments, once made, stay: each year some more regencies adopt them.
            self.perda = self.perda or self.rng.random() < (0.3 if self.fast else 0.12)
            self.rad = self.rad or self.rng.random() < (0.25 if self.fast else 0.1)
            self.team = self.team or self.rng.random() < 0.2
            ikotan = min(4.0, ikotan + self.ikotan_gain + self.rng.gauss(0, 0.03))
            if lag == 0 and not self._starts_current():
                continue
            o, p = self.code, str(year)
            apbd = self.rng.uniform(200, 2500) if self.perda else self.rng.uniform(0, 300)
            values = [
                services.ValueRow("PERDA_P4GN_ADOPTED", p, o, _yes(self.perda)),
                services.ValueRow("RAD_P4GN_ADOPTED", p, o, _yes(self.rad)),
                services.ValueRow("TIM_TERPADU_FORMED", p, o, _yes(self.team)),
                services.ValueRow("APBD_P4GN_RUPIAH", p, o, str(int(apbd) * MILLION)),
                services.ValueRow(
                    "DANA_DESA_P4GN_RUPIAH", p, o, str(int(self.rng.uniform(0, 600)) * MILLION)
                ),
            ]
            measured = self.has_bnnk or self.rng.random() < 0.1
            values.append(services.ValueRow("IKOTAN_MEASURED", p, o, _yes(measured)))
            if measured:
                values.append(services.ValueRow("IKOTAN_SCORE", p, o, f"{ikotan:.3f}"))
            values.append(services.ValueRow("IKDR_MEASURED", p, o, _yes(self.measures_ikdr)))
            if self.measures_ikdr:
                score = min(100.0, self.ikdr + 1.5 * index + self.rng.gauss(0, 1))
                values.append(services.ValueRow("IKDR_SCORE", p, o, f"{score:.1f}"))
            values.append(
                services.ValueRow("FAMILY_RESILIENCE_MEASURED", p, o, _yes(self.measures_family))
            )
            if self.measures_family:
                index_value = min(100.0, self.family + 1.0 * index + self.rng.gauss(0, 0.8))
                values.append(
                    services.ValueRow("FAMILY_RESILIENCE_INDEX", p, o, f"{index_value:.2f}")
                )
            period = periods.parse(p)
            status = self._status(lag, "year")
            yield p, values, status, self._submitted_at(period, status, 31)


def _yes(flag: bool) -> str:
    return "true" if flag else "false"
