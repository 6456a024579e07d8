"""Writes of drug-prone area assessments and of the category rule."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cegah.core import changelog
from cegah.core.scope import Roles, scope_for
from cegah.core.versioning import ConflictError
from cegah.regions.models import Region

from .. import derived
from ..models import (
    MAIN_FIELDS,
    SEVERITY,
    SUPPORTING_FIELDS,
    CategoryRule,
    DrugProneAssessment,
)
from .standards import _require_national_admin

DRUG_PRONE_WRITERS = frozenset({Roles.NATIONAL_ADMIN, Roles.MANAGER, Roles.OFFICER})


def current_rule() -> CategoryRule:
    rule = CategoryRule.objects.order_by("-version").first()
    if rule is None:  # the data migration ships version 1; this only guards a wiped table
        from ..defaults import load_defaults

        load_defaults()
        rule = CategoryRule.objects.order_by("-version").first()
    return rule


def _rule_errors(values: dict) -> dict:
    errors = {}
    for band in CategoryRule.BANDS:
        min_main = values.get(f"{band}_min_main")
        min_sup = values.get(f"{band}_min_supporting")
        join = values.get(f"{band}_join")
        if not isinstance(min_main, int) or not 0 <= min_main <= len(MAIN_FIELDS):
            errors[f"{band}_min_main"] = _("From 0 to 8.")
        if not isinstance(min_sup, int) or not 0 <= min_sup <= len(SUPPORTING_FIELDS):
            errors[f"{band}_min_supporting"] = _("From 0 to 5.")
        if join not in CategoryRule.Join.values:
            errors[f"{band}_join"] = _("Choose and/or.")
        if errors:
            continue
        # A band must not catch a village with no indicator at all: that one is aman.
        catches_nothing = (
            (min_main == 0 and min_sup == 0)
            if join == CategoryRule.Join.AND
            else (min_main == 0 or min_sup == 0)
        )
        if catches_nothing:
            errors[f"{band}_min_main"] = _(
                "With these thresholds a village with no indicator would fall in this band."
            )
    return errors


@transaction.atomic
def change_rule(actor, *, note: str, **values) -> CategoryRule:
    """A new version of the category rule. Existing assessments keep the category (and
    rule version) they were recorded with; new and edited ones use this version."""
    _require_national_admin(actor)
    unknown = set(values) - set(CategoryRule.FIELDS)
    if unknown:
        raise ValidationError({key: _("This field cannot be set.") for key in unknown})
    previous = current_rule()
    merged = {name: getattr(previous, name) for name in CategoryRule.FIELDS}
    merged.update(values)
    errors = _rule_errors(merged)
    if not (note or "").strip():
        errors["note"] = _("Say why the rule changes and on what authority.")
    if errors:
        raise ValidationError(errors)
    latest = CategoryRule.objects.select_for_update().order_by("-version").first()
    rule = CategoryRule.objects.create(
        version=latest.version + 1, note=note.strip(), created_by=actor, **merged
    )
    changelog.record(actor, "create", rule, changelog.snapshot(previous), changelog.snapshot(rule))
    return rule


def _require_drug_prone_writer(actor) -> None:
    scope = scope_for(actor)
    if not scope.can_write or actor.role not in DRUG_PRONE_WRITERS:
        raise PermissionDenied(_("Your role cannot record drug-prone area assessments."))


def drug_prone_problem(user, region_code: str) -> str | None:
    scope = scope_for(user)
    if not scope.can_write or user.role not in DRUG_PRONE_WRITERS:
        return _("Your role cannot record drug-prone area assessments.")
    if not scope.covers_region(region_code):
        return _("This village is outside your jurisdiction.")
    return None


def _check_answers(answers: dict, notes: dict) -> tuple[dict, dict]:
    fields = set(MAIN_FIELDS) | set(SUPPORTING_FIELDS)
    unknown = sorted((set(answers) | set(notes)) - fields)
    if unknown:
        raise ValidationError(
            {"answers": _("Unknown indicator: %(names)s.") % {"names": ", ".join(unknown)}}
        )
    for name, value in answers.items():
        if not isinstance(value, bool):
            raise ValidationError({name: _("Answer yes or no.")})
    clean_notes = {k: str(v).strip() for k, v in notes.items() if v and str(v).strip()}
    return answers, clean_notes


def _categorise(obj: DrugProneAssessment, rule: CategoryRule) -> None:
    obj.main_count = sum(bool(getattr(obj, name)) for name in MAIN_FIELDS)
    obj.supporting_count = sum(bool(getattr(obj, name)) for name in SUPPORTING_FIELDS)
    obj.category = rule.categorise(obj.main_count, obj.supporting_count)
    obj.rule = rule


def _recovery(obj: DrugProneAssessment) -> tuple[str, bool]:
    previous = (
        DrugProneAssessment.objects.filter(region_id=obj.region_id, year__lt=obj.year)
        .order_by("-year")
        .values_list("category", flat=True)
        .first()
    )
    if previous is None:
        return "", False
    return previous, SEVERITY[obj.category] < SEVERITY[previous]


def _refresh_next_year(obj: DrugProneAssessment) -> None:
    """The village's next later record compares with this one: keep its flag true."""
    later = (
        DrugProneAssessment.objects.select_for_update()
        .filter(region_id=obj.region_id, year__gt=obj.year)
        .order_by("year")
        .first()
    )
    if later is None:
        return
    previous, recovered = _recovery(later)
    if (later.previous_category, later.recovered) != (previous, recovered):
        DrugProneAssessment.objects.filter(pk=later.pk).update(
            previous_category=previous, recovered=recovered
        )


def _check_year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError({"year": _("Give the year.")})
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": _("The year must be from 2000 to this year.")})
    return year


@transaction.atomic
def record_drug_prone(
    actor, *, region_code: str, year: int, answers: dict, notes: dict | None = None
) -> DrugProneAssessment:
    """A village's assessment for one year; the category comes from the current rule."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise ValidationError(
            {"region": _("Unknown region code %(code)s.") % {"code": region_code}}
        )
    if region.level != Region.Level.VILLAGE:
        raise ValidationError(
            {"region": _("Give a village/kelurahan code (four parts, e.g. 35.78.01.1002).")}
        )
    _require_drug_prone_writer(actor)
    if not scope_for(actor).covers_region(region.code):
        raise ValidationError({"region": _("This village is outside your jurisdiction.")})
    year = _check_year(year)
    if DrugProneAssessment.objects.filter(region=region, year=year).exists():
        raise ValidationError(
            {
                "year": _("This village already has an assessment for %(year)s: edit that one.")
                % {"year": year}
            }
        )
    answers, notes = _check_answers(dict(answers or {}), dict(notes or {}))
    obj = DrugProneAssessment(region=region, year=year, notes=notes, recorded_by=actor, **answers)
    _categorise(obj, current_rule())
    obj.previous_category, obj.recovered = _recovery(obj)
    obj.full_clean()
    obj.save()
    _refresh_next_year(obj)
    changelog.record(actor, "create", obj, None, changelog.snapshot(obj))
    derived.refresh_drug_prone([obj.region_id])
    return obj


@transaction.atomic
def update_drug_prone(
    actor,
    obj: DrugProneAssessment,
    expected_version: int,
    *,
    answers: dict,
    notes: dict | None = None,
) -> DrugProneAssessment:
    """New answers for a recorded year; recategorised with the current rule."""
    problem = drug_prone_problem(actor, obj.region_id)
    if problem:
        raise PermissionDenied(problem)
    obj = DrugProneAssessment.objects.select_for_update().get(pk=obj.pk)
    if obj.version != expected_version:
        raise ConflictError(ConflictError.message)
    before = changelog.snapshot(obj)
    keep_notes = notes is None
    answers, notes = _check_answers(dict(answers or {}), dict(notes or {}))
    for name, value in answers.items():
        setattr(obj, name, value)
    if not keep_notes:
        obj.notes = notes
    _categorise(obj, current_rule())
    obj.previous_category, obj.recovered = _recovery(obj)
    obj.recorded_by = actor
    obj.version += 1
    obj.full_clean()
    obj.save()
    _refresh_next_year(obj)
    changelog.record(actor, "update", obj, before, changelog.snapshot(obj))
    derived.refresh_drug_prone([obj.region_id])
    return obj


# ---------------------------------------------------------------------------------------
# Many at once, for system jobs (the demo; a later import of past years).


@dataclass
class PastDrugProne:
    region_code: str
    year: int
    answers: dict[str, bool]
    notes: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def bulk_record_drug_prone(rows: list[PastDrugProne], actor=None, batch_size=2000) -> int:
    """Record many village-years under the rules of ``record_drug_prone`` (village level,
    year, yes/no answers, one per village and year, scope when ``actor`` is a user; any
    broken row raises ValidationError and nothing is written), categorised by the current
    rule, with "recovered" computed against each village's earlier years — those in the
    batch and those already stored. A few INSERTs, one change-log entry each."""
    if actor is not None:
        _require_drug_prone_writer(actor)
    scope = scope_for(actor) if actor is not None else None
    rule = current_rule()
    codes = {row.region_code for row in rows}
    levels = dict(Region.objects.filter(code__in=codes).values_list("code", "level"))
    stored: dict[str, dict[int, str]] = {}
    for region_id, year, category in DrugProneAssessment.objects.filter(
        region_id__in=codes
    ).values_list("region_id", "year", "category"):
        stored.setdefault(region_id, {})[year] = category
    errors, objects, seen = [], [], set()
    for index, row in enumerate(rows):
        where = f"{index + 1} ({row.region_code} {row.year})"
        try:
            if levels.get(row.region_code) != Region.Level.VILLAGE:
                raise ValidationError(_("Give a village/kelurahan code."))
            if scope is not None and not scope.covers_region(row.region_code):
                raise ValidationError(_("This village is outside your jurisdiction."))
            _check_year(row.year)
            key = (row.region_code, row.year)
            if key in seen or row.year in stored.get(row.region_code, {}):
                raise ValidationError(_("This village already has an assessment for that year."))
            seen.add(key)
            answers, notes = _check_answers(dict(row.answers), dict(row.notes))
        except ValidationError as exc:
            errors.append(f"{where}: {'; '.join(exc.messages)}")
            continue
        obj = DrugProneAssessment(
            region_id=row.region_code, year=row.year, notes=notes, recorded_by=actor, **answers
        )
        _categorise(obj, rule)
        objects.append(obj)
    if errors:
        raise ValidationError(errors[:20])
    # Each village's years, stored and new, in order: each compares with the one before.
    years: dict[str, dict[int, object]] = {}
    for region_id, by_year in stored.items():
        years.setdefault(region_id, {}).update(by_year)
    for obj in objects:
        years.setdefault(obj.region_id, {})[obj.year] = obj
    changed_stored = []  # stored years whose previous year is now a new one
    for region_id, by_year in years.items():
        previous = None  # (category, is it new?)
        for year in sorted(by_year):
            entry = by_year[year]
            if isinstance(entry, DrugProneAssessment):
                category = entry.category
                entry.previous_category = previous[0] if previous else ""
                entry.recovered = (
                    previous is not None and SEVERITY[category] < SEVERITY[previous[0]]
                )
                previous = (category, True)
            else:
                category = entry
                if previous is not None and previous[1]:
                    changed_stored.append((region_id, year, previous[0], category))
                previous = (category, False)
    DrugProneAssessment.objects.bulk_create(objects, batch_size=batch_size)
    for region_id, year, previous, category in changed_stored:
        DrugProneAssessment.objects.filter(region_id=region_id, year=year).update(
            previous_category=previous, recovered=SEVERITY[category] < SEVERITY[previous]
        )
    changelog.record_many(
        actor,
        "create",
        ((obj, None, changelog.snapshot(obj)) for obj in objects),
        batch_size=batch_size,
    )
    derived.refresh_drug_prone({obj.region_id for obj in objects})
    return len(objects)
