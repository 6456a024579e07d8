"""Writes of assessments: draft → submitted → verified (and back), the maturity, the
verifier rules, and the site's status after every (un)verification."""

from __future__ import annotations

import datetime
from calendar import monthrange
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog
from cegah.core.scope import Roles, scope_for, scoped
from cegah.core.versioning import ConflictError
from cegah.sites.models import Site

from .. import derived
from ..models import LEVELS, Assessment, Component, ComponentScore, Standard
from .standards import current_standard

REVIEW_MONTHS = 12
VERIFIER_ROLES = frozenset({Roles.MANAGER, Roles.NATIONAL_ADMIN})
ASSESSOR_ROLES = frozenset({Roles.NATIONAL_ADMIN, Roles.MANAGER, Roles.OFFICER, Roles.FOCAL_POINT})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day (29 Feb → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def default_review_due(assessed_on: datetime.date) -> datetime.date:
    return add_months(assessed_on, REVIEW_MONTHS)


TWO_PLACES = Decimal("0.01")


def weighted_maturity(pairs) -> Decimal | None:
    """Σ(weight × level) / Σ(weight), to 2 decimals; None while any level is missing."""
    pairs = list(pairs)
    if not pairs or any(level is None for _weight, level in pairs):
        return None
    total_weight = sum(Decimal(weight) for weight, _level in pairs)
    if total_weight <= 0:
        return None
    score = sum(Decimal(weight) * level for weight, level in pairs)
    return (score / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _site_in_scope(user, site: Site) -> bool:
    return scoped(user, Site).filter(pk=site.pk).exists()


def assess_problem(user, site: Site) -> str | None:
    """Why ``user`` cannot start an assessment of ``site``, or None."""
    scope = scope_for(user)
    if not scope.can_write or user.role not in ASSESSOR_ROLES:
        return _("Your role cannot record assessments.")
    if not _site_in_scope(user, site):
        return _("This site is outside your jurisdiction.")
    return None


def _require_assessor(actor, assessment: Assessment) -> None:
    if actor is None or actor.pk != assessment.assessor_id:
        raise PermissionDenied(_("Only the assessor can change or submit this assessment."))


def _locked(assessment: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("site", "standard", "assessor__office")
        .get(pk=assessment.pk)
    )


def _assessment_snapshot(assessment: Assessment) -> dict:
    data = changelog.snapshot(assessment)
    data["levels"] = {
        score.component.code: score.level for score in assessment.scores.select_related("component")
    }
    return data


def _check_dates(assessed_on, next_review_due) -> tuple[datetime.date, datetime.date]:
    if not isinstance(assessed_on, datetime.date) or isinstance(assessed_on, datetime.datetime):
        raise ValidationError({"assessed_on": _("Give the assessment date.")})
    if assessed_on > timezone.localdate():
        raise ValidationError({"assessed_on": _("The assessment date cannot be in the future.")})
    if assessed_on.year < 2000:
        raise ValidationError({"assessed_on": _("Give a date from 2000 on.")})
    if next_review_due is None:
        next_review_due = default_review_due(assessed_on)
    if next_review_due <= assessed_on:
        raise ValidationError(
            {"next_review_due": _("The next review must come after the assessment date.")}
        )
    return assessed_on, next_review_due


def _check_levels(components: dict[str, Component], levels: dict, notes: dict) -> None:
    unknown = sorted((set(levels) | set(notes)) - set(components))
    if unknown:
        raise ValidationError(
            {
                "levels": _("Not a component of this standard: %(codes)s.")
                % {"codes": ", ".join(map(str, unknown))}
            }
        )
    for code, level in levels.items():
        if level is not None and (isinstance(level, bool) or level not in LEVELS):
            raise ValidationError(
                {"levels": _("The level of %(code)s must be 0, 1, 2, 3 or 4.") % {"code": code}}
            )


def _write_scores(assessment: Assessment, levels: dict, notes: dict) -> None:
    scores = {s.component.code: s for s in assessment.scores.select_related("component")}
    changed = []
    for code, score in scores.items():
        if code in levels:
            score.level = levels[code]
        if code in notes:
            score.note = notes[code] or ""
        changed.append(score)
    ComponentScore.objects.bulk_update(changed, ["level", "note"])
    assessment.maturity = weighted_maturity((s.component.weight, s.level) for s in scores.values())


@transaction.atomic
def create_assessment(
    actor,
    site: Site,
    *,
    assessed_on: datetime.date,
    next_review_due: datetime.date | None = None,
    summary: str = "",
    levels: dict | None = None,
    notes: dict | None = None,
    standard: Standard | None = None,
) -> Assessment:
    """A draft assessment of ``site`` against ``standard`` (default: the current published
    version for its type). ``levels``/``notes`` are keyed by component code."""
    problem = assess_problem(actor, site)
    if problem:
        raise PermissionDenied(problem)
    levels, notes = dict(levels or {}), dict(notes or {})
    if standard is None:
        standard = current_standard(site.site_type)
        if standard is None:
            raise ValidationError(
                {"standard": _("There is no published standard for this site type yet.")}
            )
    elif standard.status != Standard.Status.PUBLISHED or site.site_type not in standard.site_types:
        raise ValidationError({"standard": _("Choose a published standard for this site's type.")})
    assessed_on, next_review_due = _check_dates(assessed_on, next_review_due)
    components = {c.code: c for c in standard.components.all()}
    _check_levels(components, levels, notes)
    assessment = Assessment(
        site=site,
        standard=standard,
        assessed_on=assessed_on,
        next_review_due=next_review_due,
        summary=summary or "",
        assessor=actor,
        self_assessment=actor.role == Roles.FOCAL_POINT,
    )
    assessment.full_clean(exclude=["maturity"])
    assessment.save()
    ComponentScore.objects.bulk_create(
        ComponentScore(assessment=assessment, component=component)
        for component in components.values()
    )
    _write_scores(assessment, levels, notes)
    assessment.save(update_fields=["maturity"])
    changelog.record(actor, "create", assessment, None, _assessment_snapshot(assessment))
    return assessment


@transaction.atomic
def update_assessment(
    actor,
    assessment: Assessment,
    expected_version: int,
    *,
    assessed_on: datetime.date | None = None,
    next_review_due: datetime.date | None = None,
    summary: str | None = None,
    levels: dict | None = None,
    notes: dict | None = None,
) -> Assessment:
    """Change a draft. Only its assessor; a stale version is a conflict."""
    assessment = _locked(assessment)
    _require_assessor(actor, assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be changed."))
    if assessment.version != expected_version:
        raise ConflictError(ConflictError.message)
    before = _assessment_snapshot(assessment)
    levels, notes = dict(levels or {}), dict(notes or {})
    components = {c.code: c for c in assessment.standard.components.all()}
    _check_levels(components, levels, notes)
    if assessed_on is not None:
        due = next_review_due
        if due is None and assessed_on != assessment.assessed_on:
            due = default_review_due(assessed_on)
        assessment.assessed_on, assessment.next_review_due = _check_dates(
            assessed_on, due or assessment.next_review_due
        )
    elif next_review_due is not None:
        _check_dates(assessment.assessed_on, next_review_due)
        assessment.next_review_due = next_review_due
    if summary is not None:
        assessment.summary = summary
    _write_scores(assessment, levels, notes)
    assessment.version += 1
    assessment.save()
    changelog.record(actor, "update", assessment, before, _assessment_snapshot(assessment))
    return assessment


@transaction.atomic
def delete_draft_assessment(actor, assessment: Assessment) -> None:
    """Delete a draft (started by mistake, or for the wrong site), with its levels and
    evidence files. Only its assessor; a submitted or verified assessment is history and
    stays (a verifier returns it to draft first). Logged, with what it held."""
    assessment = _locked(assessment)
    _require_assessor(actor, assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    before = {
        **_assessment_snapshot(assessment),
        "evidence": list(assessment.evidence.values_list("original_name", flat=True)),
    }
    files = [(e.file.storage, e.file.name) for e in assessment.evidence.all()]
    assessment.evidence.all().delete()
    changelog.record(actor, "delete", assessment, before, None)
    assessment.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


@transaction.atomic
def submit_assessment(actor, assessment: Assessment) -> Assessment:
    """Draft → submitted, for a verifier to check. Every component needs a level."""
    assessment = _locked(assessment)
    _require_assessor(actor, assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    missing = [
        s.component.name for s in assessment.scores.select_related("component") if s.level is None
    ]
    if missing:
        raise ValidationError(
            _("Give every component a level before submitting. Missing: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    before = _assessment_snapshot(assessment)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.review_note = ""
    assessment.version += 1
    assessment.save()
    changelog.record(actor, "update", assessment, before, _assessment_snapshot(assessment))
    return assessment


def verifier_problem(user, assessment: Assessment) -> str | None:
    """Why ``user`` cannot verify (or return, or un-verify) ``assessment``, or None.

    The verifier is a manager or national admin (never a focal point), is not the
    assessor, and belongs to the same or a higher office: their jurisdiction holds both the
    site and the office of the assessor (for a focal point's self-assessment, the site)."""
    if user is None or not user.is_authenticated:
        return _("Sign in to verify.")
    if user.role == Roles.FOCAL_POINT:
        return _("A site focal point cannot verify assessments.")
    if user.role not in VERIFIER_ROLES:
        return _("Only managers (Kasi/Kabid P2M) and national admins verify assessments.")
    if user.pk == assessment.assessor_id:
        return _("The assessor cannot verify their own assessment.")
    scope = scope_for(user)
    if not scope.covers_region(assessment.site.region_id):
        return _("This site is outside your jurisdiction.")
    assessor = assessment.assessor
    if assessor.role != Roles.FOCAL_POINT and assessor.office is not None:
        assessor_region = assessor.office.region_id
        if assessor_region is None and not scope.everything:
            return _("An assessment by BNN RI is verified at BNN RI.")
        if assessor_region is not None and not scope.covers_region(assessor_region):
            return _("The verifier must belong to the assessor's office or a higher one.")
    return None


def _require_verifier(actor, assessment: Assessment) -> None:
    problem = verifier_problem(actor, assessment)
    if problem:
        raise PermissionDenied(problem)


def refresh_site_status(site: Site, actor=None, *, derive: bool = True) -> None:
    """Give the site the status of its latest verified assessment (by assessment date), or
    'not assessed' when none is left. The one call into the site registry's status; with
    ``derive`` (bulk writers pass False and refresh once) the regency's derived data values
    follow too."""
    from cegah.sites.services import set_assessment_status

    latest = (
        Assessment.objects.filter(site_id=site.pk, status=Assessment.Status.VERIFIED)
        .order_by("-assessed_on", "-verified_at", "-id")
        .first()
    )
    if latest is None:
        set_assessment_status(site, None, False, None, None, actor=actor)
    else:
        set_assessment_status(
            site,
            latest.maturity,
            latest.functioning,
            latest.assessed_on,
            latest.next_review_due,
            actor=actor,
        )
    if derive:
        derived.refresh_sites([site.region_id])


@transaction.atomic
def verify_assessment(actor, assessment: Assessment, note: str = "") -> Assessment:
    """Submitted → verified. From now on it counts for the site's status."""
    assessment = _locked(assessment)
    _require_verifier(actor, assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be verified."))
    if assessment.maturity is None:
        raise ValidationError(_("Every component needs a level before verification."))
    before = _assessment_snapshot(assessment)
    assessment.status = Assessment.Status.VERIFIED
    assessment.verified_by = actor
    assessment.verified_at = timezone.now()
    assessment.review_note = note or ""
    assessment.version += 1
    assessment.save()
    changelog.record(actor, "update", assessment, before, _assessment_snapshot(assessment))
    refresh_site_status(assessment.site, actor)
    return assessment


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why.")})
    return reason


@transaction.atomic
def unverify_assessment(actor, assessment: Assessment, reason: str) -> Assessment:
    """Verified → submitted, with a reason; the site falls back to its previous verified
    assessment, if any."""
    assessment = _locked(assessment)
    _require_verifier(actor, assessment)
    if assessment.status != Assessment.Status.VERIFIED:
        raise ValidationError(_("Only a verified assessment can be un-verified."))
    reason = _require_reason(reason)
    before = _assessment_snapshot(assessment)
    assessment.status = Assessment.Status.SUBMITTED
    assessment.verified_by = None
    assessment.verified_at = None
    assessment.review_note = reason
    assessment.version += 1
    assessment.save()
    changelog.record(actor, "update", assessment, before, _assessment_snapshot(assessment))
    refresh_site_status(assessment.site, actor)
    return assessment


@transaction.atomic
def return_assessment(actor, assessment: Assessment, reason: str) -> Assessment:
    """Submitted → draft, back to the assessor with the reason."""
    assessment = _locked(assessment)
    _require_verifier(actor, assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted assessment can be returned."))
    reason = _require_reason(reason)
    before = _assessment_snapshot(assessment)
    assessment.status = Assessment.Status.DRAFT
    assessment.submitted_at = None
    assessment.review_note = reason
    assessment.version += 1
    assessment.save()
    changelog.record(actor, "update", assessment, before, _assessment_snapshot(assessment))
    return assessment


# ---------------------------------------------------------------------------------------
# Many at once, for system jobs (the demo; a later import of past paper assessments).


@dataclass
class PastAssessment:
    """One assessment as it happened: who assessed, who verified (if anyone), the levels."""

    site: Site
    assessed_on: datetime.date
    assessor: object
    levels: dict[str, int | None]
    status: str = Assessment.Status.VERIFIED
    verifier: object | None = None
    summary: str = ""
    notes: dict[str, str] = field(default_factory=dict)


def _reaches(user, site: Site) -> bool:
    scope = scope_for(user)
    if scope.site_id is not None:
        return scope.site_id == site.pk
    return scope.covers_region(site.region_id)


def _past_problem(row: PastAssessment, standard: Standard | None, components) -> str | None:
    """The one-by-one path's rules, checked in memory (users come with their office)."""
    if standard is None:
        return _("There is no published standard for this site type yet.")
    assessor = row.assessor
    if not scope_for(assessor).can_write or assessor.role not in ASSESSOR_ROLES:
        return _("Your role cannot record assessments.")
    if not _reaches(assessor, row.site):
        return _("This site is outside your jurisdiction.")
    try:
        _check_dates(row.assessed_on, None)
        _check_levels(components, row.levels, row.notes)
    except ValidationError as exc:
        return "; ".join(exc.messages)
    if row.status not in Assessment.Status.values:
        return _("Unknown status %(status)s.") % {"status": row.status}
    if row.status != Assessment.Status.DRAFT and any(
        row.levels.get(code) is None for code in components
    ):
        return _("Give every component a level before submitting.")
    if row.status == Assessment.Status.VERIFIED:
        probe = Assessment(site=row.site, assessor=assessor)
        return verifier_problem(row.verifier, probe)
    return None


@transaction.atomic
def bulk_create_past_assessments(
    rows: list[PastAssessment], actor=None, batch_size=2000, replay: bool = True
) -> int:
    """Create many assessments under the rules of ``create_assessment``, ``submit`` and
    ``verify`` (checked in memory; any broken row raises ValidationError naming it and
    nothing is written), in a few INSERTs with one change-log entry each. With ``replay``
    each site's verified assessments are applied to its status in date order, so the
    site's history (and its maturity chart) shows the trajectory; without, only the latest
    is applied (one status write per site, for large batches). Either way the site ends at
    its latest verified assessment."""
    standards: dict[str, Standard | None] = {}
    components: dict[int, dict[str, Component]] = {}
    errors = []
    planned = []
    for index, row in enumerate(rows):
        site_type = row.site.site_type
        if site_type not in standards:
            standards[site_type] = current_standard(site_type)
        standard = standards[site_type]
        if standard is not None and standard.pk not in components:
            components[standard.pk] = {c.code: c for c in standard.components.all()}
        parts = components.get(standard.pk, {}) if standard else {}
        problem = _past_problem(row, standard, parts)
        if problem:
            errors.append(f"{index + 1} ({row.site.code}): {problem}")
            continue
        planned.append((row, standard, parts))
    if errors:
        raise ValidationError(errors[:20])

    def moment(day: datetime.date, days: int) -> datetime.datetime:
        when = datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time(10))
        return min(timezone.make_aware(when), timezone.now())

    assessments = []
    for row, standard, parts in planned:
        submitted = row.status != Assessment.Status.DRAFT
        verified = row.status == Assessment.Status.VERIFIED
        assessments.append(
            Assessment(
                site=row.site,
                standard=standard,
                assessed_on=row.assessed_on,
                next_review_due=default_review_due(row.assessed_on),
                status=row.status,
                self_assessment=row.assessor.role == Roles.FOCAL_POINT,
                assessor=row.assessor,
                summary=row.summary,
                maturity=weighted_maturity(
                    (component.weight, row.levels.get(code)) for code, component in parts.items()
                ),
                submitted_at=moment(row.assessed_on, 2) if submitted else None,
                verified_by=row.verifier if verified else None,
                verified_at=moment(row.assessed_on, 9) if verified else None,
            )
        )
    last_before = Assessment.objects.aggregate(last=Max("pk"))["last"] or 0
    Assessment.objects.bulk_create(assessments, batch_size=batch_size)
    scores = [
        ComponentScore(
            assessment=assessment,
            component=component,
            level=row.levels.get(code),
            note=row.notes.get(code, ""),
        )
        for assessment, (row, _standard, parts) in zip(assessments, planned, strict=True)
        for code, component in parts.items()
    ]
    ComponentScore.objects.bulk_create(scores, batch_size=batch_size)
    changelog.record_many(
        actor,
        "create",
        (
            (a, None, {**changelog.snapshot(a), "levels": dict(row.levels)})
            for a, (row, _s, _p) in zip(assessments, planned, strict=True)
        ),
        batch_size=batch_size,
    )
    from cegah.sites.services import set_assessment_status

    by_site: dict[int, list[Assessment]] = {}
    for assessment in assessments:
        if assessment.status == Assessment.Status.VERIFIED:
            by_site.setdefault(assessment.site_id, []).append(assessment)
    for site_assessments in by_site.values():
        ordered = sorted(site_assessments, key=lambda a: (a.assessed_on, a.pk))
        for assessment in ordered if replay else ordered[-1:]:
            set_assessment_status(
                assessment.site,
                assessment.maturity,
                assessment.functioning,
                assessment.assessed_on,
                assessment.next_review_due,
                actor=actor,
            )
    # A site that already had verified assessments ends at its latest one, stored or new.
    earlier = set()
    site_ids = list(by_site)
    for start in range(0, len(site_ids), 500):
        earlier.update(
            Assessment.objects.filter(
                site_id__in=site_ids[start : start + 500],
                status=Assessment.Status.VERIFIED,
                pk__lte=last_before,
            ).values_list("site_id", flat=True)
        )
    for site_id in earlier:
        refresh_site_status(by_site[site_id][0].site, actor, derive=False)
    derived.refresh_sites({items[0].site.region_id for items in by_site.values()})
    return len(assessments)
