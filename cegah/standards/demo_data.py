"""Demo step: three years of site assessments showing progress, and drug-prone area
assessments of villages with some recovering.

Runs after the sites (20) and the demo users (30). Assessments: about a third of the sites
that have a standard (more in Kota Surabaya and Kota Malang, where the demo users work),
one a year, levels rising over time; older ones verified, the latest verified, submitted
or still a draft; the demo school's focal point has a self-assessment waiting. Assessors
and verifiers follow the verifier rules: the demo officer and manager in Surabaya, and
per province an officer and a manager of the BNNP (created here without a password: they
sign nothing in, they only make the history plausible). Drug-prone areas: about 2,000
villages (every kelurahan of Surabaya and Malang among them) over the last three full
years, mostly improving. Deterministic for a seed; written through the bulk services,
which check the same rules as the forms. Re-running adds nothing once data exists.
"""

from __future__ import annotations

import datetime
import random
import time

from django.utils import timezone

from cegah.accounts.models import User
from cegah.accounts.services import create_user
from cegah.core.scope import Roles
from cegah.indicators.models import DataValue
from cegah.regions.models import Office, Region
from cegah.sites.models import Site

from . import services
from .models import (
    MAIN_FIELDS,
    SUPPORTING_FIELDS,
    Assessment,
    DrugProneAssessment,
    Standard,
)
from .services import PastAssessment, PastDrugProne

ORDER = 35

SHARE = {"small": 0.3, "national": 0.1}
FOCUS_SHARE = 0.6
FOCUS = ("35.78", "35.73")
VILLAGES = {"small": 2_000, "national": 20_000}
DEMO_FOCAL_SITE = "SMP Negeri Demo 1 Surabaya"


def build(ctx):
    rng = random.Random(f"{ctx.seed}:standards")
    today = timezone.localdate()
    if not Assessment.objects.exists():
        started = time.monotonic()
        created = _assessments(ctx, rng, today)
        ctx.summary.append(
            f"Assessments: {created:,} ({time.monotonic() - started:.1f} s), "
            f"functioning sites: {Site.objects.filter(functioning=True).count():,}"
        )
    if not DrugProneAssessment.objects.exists():
        started = time.monotonic()
        created = _drug_prone(ctx, rng, today)
        recovered = DrugProneAssessment.objects.filter(recovered=True).count()
        ctx.summary.append(
            f"Drug-prone area assessments: {created:,}, recovered: {recovered:,} "
            f"({time.monotonic() - started:.1f} s)"
        )
    derived_values = DataValue.objects.filter(source=DataValue.Source.DERIVED).count()
    ctx.summary.append(
        f"Derived data values (sites, maturity, drug-prone areas per regency): {derived_values:,}"
    )


# --- People -----------------------------------------------------------------------------


class Signers:
    """Who assesses and who verifies a site of a region."""

    def __init__(self):
        self.users = {
            u.username: u
            for u in User.objects.select_related("office", "site").filter(
                username__in=["cegah.surabaya", "surabaya", "malang", "jatim", "nasional"]
            )
        }
        self.offices = {o.code: o for o in Office.objects.filter(active=True)}

    def _user(self, username, role, office_code, full_name):
        user = self.users.get(username)
        if user is None:
            user = User.objects.select_related("office").filter(username=username).first()
        if user is None:
            first, _sep, last = full_name.partition(" ")
            user = create_user(
                None,
                username=username,
                password=None,  # unusable: these demo people never sign in
                role=role,
                office=self.offices[office_code],
                field_prevention=role == Roles.OFFICER,
                first_name=first,
                last_name=last,
            )
        self.users[username] = user
        return user

    def for_region(self, code: str) -> tuple[User, User]:
        regency, province = code[:5], code[:2]
        if regency == "35.78" and {"cegah.surabaya", "surabaya"} <= self.users.keys():
            return self.users["cegah.surabaya"], self.users["surabaya"]
        if regency == "35.73" and "malang" in self.users and "BNNK-35.73" in self.offices:
            officer = self._user(
                "penilai.35.73", Roles.OFFICER, "BNNK-35.73", "Penilai BNNK Kota Malang"
            )
            return officer, self.users["malang"]
        office = f"BNNP-{province}"
        if office in self.offices:
            officer = self._user(
                f"penilai.{province}", Roles.OFFICER, office, f"Penilai BNNP {province}"
            )
            if province == "35" and "jatim" in self.users:
                return officer, self.users["jatim"]
            manager = self._user(
                f"verifikator.{province}", Roles.MANAGER, office, f"Verifikator BNNP {province}"
            )
            return officer, manager
        officer = self._user("penilai.ri", Roles.OFFICER, "BNN-RI", "Penilai BNN RI")
        verifier = self.users.get("nasional") or self._user(
            "verifikator.ri", Roles.NATIONAL_ADMIN, "BNN-RI", "Verifikator BNN RI"
        )
        return officer, verifier


# --- Assessments -----------------------------------------------------------------------


def _dates(rng: random.Random, today: datetime.date) -> list[datetime.date]:
    """One assessment a year over the last three years, never in the future."""
    first = datetime.date(today.year - 2, rng.randint(1, 10), rng.randint(1, 28))
    dates, day = [], first
    for _ in range(3):
        if day > today - datetime.timedelta(days=3):
            break
        dates.append(day)
        day = services.add_months(day, 12) + datetime.timedelta(days=rng.randint(-40, 40))
    start = rng.choices([0, 1, 2], weights=[70, 20, 10])[0]  # some sites joined later
    return dates[start:] or dates[-1:]


def _trajectory(rng: random.Random, codes: list[str], years: int) -> list[dict[str, int]]:
    """Levels per year: a start mostly at 0–2, then most components rise."""
    pace = rng.choices([0.35, 0.6, 0.85], weights=[30, 45, 25])[0]
    levels = {code: rng.choices([0, 1, 2, 3], weights=[15, 35, 35, 15])[0] for code in codes}
    out = [dict(levels)]
    for _ in range(years - 1):
        for code in codes:
            roll = rng.random()
            if roll < pace:
                levels[code] = min(4, levels[code] + 1)
            elif roll > 0.96:
                levels[code] = max(0, levels[code] - 1)
        out.append(dict(levels))
    return out


SUMMARIES = [
    "Kunjungan penilaian: dokumen kebijakan diperiksa, wawancara pimpinan dan satgas, "
    "observasi lingkungan.",
    "Penilaian bersama pengelola: SK satgas, daftar hadir kegiatan, dan laporan rujukan diperiksa.",
    "Verifikasi lapangan: poster kanal pelaporan terpasang, catatan kegiatan triwulanan ada.",
]


def _assessments(ctx, rng: random.Random, today: datetime.date) -> int:
    published = Standard.objects.filter(status=Standard.Status.PUBLISHED)
    with_standard = {site_type for standard in published for site_type in standard.site_types}
    sites = list(
        Site.objects.filter(site_type__in=with_standard).select_related("region").order_by("id")
    )
    share = SHARE.get(ctx.scale, SHARE["small"])
    chosen = [
        site
        for site in sites
        if site.name == DEMO_FOCAL_SITE
        or rng.random() < (FOCUS_SHARE if site.region_id[:5] in FOCUS else share)
    ]
    signers = Signers()
    focal_point = User.objects.filter(username="sekolah.surabaya", site__isnull=False).first()
    standards, components = {}, {}
    rows: list[PastAssessment] = []
    with ctx.progress(len(chosen), "assessments") as bar:
        for site in chosen:
            if site.site_type not in standards:
                standards[site.site_type] = services.current_standard(site.site_type)
            standard = standards[site.site_type]
            if standard.pk not in components:
                components[standard.pk] = list(standard.components.values_list("code", flat=True))
            codes = components[standard.pk]
            dates = _dates(rng, today)
            levels = _trajectory(rng, codes, len(dates))
            assessor, verifier = signers.for_region(site.region_id)
            for index, (day, year_levels) in enumerate(zip(dates, levels, strict=True)):
                latest = index == len(dates) - 1
                status = Assessment.Status.VERIFIED
                if latest:
                    status = rng.choices(
                        [
                            Assessment.Status.VERIFIED,
                            Assessment.Status.SUBMITTED,
                            Assessment.Status.DRAFT,
                        ],
                        weights=[78, 14, 8],
                    )[0]
                by = assessor
                if latest and focal_point is not None and site.pk == focal_point.site_id:
                    by, status = focal_point, Assessment.Status.SUBMITTED  # self-assessment
                rows.append(
                    PastAssessment(
                        site=site,
                        assessed_on=day,
                        assessor=by,
                        levels=year_levels,
                        status=status,
                        verifier=verifier if status == Assessment.Status.VERIFIED else None,
                        summary=rng.choice(SUMMARIES),
                    )
                )
            bar.update(1)
    # Where the demo users look, each site's status follows every verified assessment, so
    # its maturity chart shows the climb; elsewhere only the latest is applied (faster).
    focus = [row for row in rows if row.site.region_id[:5] in FOCUS]
    others = [row for row in rows if row.site.region_id[:5] not in FOCUS]
    return services.bulk_create_past_assessments(focus) + services.bulk_create_past_assessments(
        others, replay=False
    )


# --- Drug-prone areas ------------------------------------------------------------------


def _answers(rng: random.Random, risk: float) -> dict[str, bool]:
    main = {name: rng.random() < risk * 0.6 for name in MAIN_FIELDS}
    supporting = {name: rng.random() < min(0.9, risk * 1.1 + 0.05) for name in SUPPORTING_FIELDS}
    return main | supporting


def _next_year(rng: random.Random, answers: dict[str, bool], fix: float) -> dict[str, bool]:
    """A village's next year: some problems are dealt with (``fix``), a few new ones appear."""
    return {
        name: (rng.random() >= fix) if yes else (rng.random() < 0.01)
        for name, yes in answers.items()
    }


NOTES = {
    "main_drug_crime": "Kasus dari laporan Polsek",
    "main_users": "Data rujukan puskesmas",
    "main_dealers": "Informasi satgas desa",
    "sup_private_housing": "Banyak rumah kos baru",
    "sup_entertainment": "Tempat hiburan di jalan utama",
}


def _drug_prone(ctx, rng: random.Random, today: datetime.date) -> int:
    target = VILLAGES.get(ctx.scale, VILLAGES["small"])
    villages = list(
        Region.objects.filter(level=Region.Level.VILLAGE).values_list("code", flat=True)
    )
    focus = [code for code in villages if code[:5] in FOCUS]
    others = sorted(set(villages) - set(focus))
    chosen = sorted(
        set(focus) | set(rng.sample(others, max(0, min(len(others), target - len(focus)))))
    )
    years = [today.year - 3, today.year - 2, today.year - 1]
    rows = []
    with ctx.progress(len(chosen), "drug-prone areas") as bar:
        for code in chosen:
            answers = _answers(rng, rng.betavariate(1.1, 5.0))
            # A third of the villages work on it (Desa Bersinar, task forces), the rest drift.
            fix = rng.choices([0.08, 0.35], weights=[2, 1])[0]
            for year in years:
                notes = {k: v for k, v in NOTES.items() if answers.get(k) and rng.random() < 0.3}
                rows.append(PastDrugProne(code, year, answers, notes))
                answers = _next_year(rng, answers, fix)
            bar.update(1)
    return services.bulk_record_drug_prone(rows)
