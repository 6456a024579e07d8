"""Demo values (issue 3, item 9) and the bulk approval-state path the demo uses."""

import datetime
import random

import pytest
from django.core.exceptions import PermissionDenied

from cegah.core.models import ChangeLog
from cegah.demo.registry import DemoContext
from cegah.indicators import demo_data
from cegah.indicators.models import Approval, DataSet, DataValue, Status
from cegah.indicators.services import ApprovalState, ValueRow, set_approval_states, write_values
from cegah.regions.models import Region

pytestmark = pytest.mark.django_db


def _screening(org_unit, period, tested, positive):
    return [
        ValueRow("URINE_TESTED", period, org_unit, str(tested), coc="M"),
        ValueRow("URINE_POSITIVE", period, org_unit, str(positive), coc="M"),
        ValueRow("REHAB_REFERRED", period, org_unit, "0"),
    ]


def test_bulk_states_set_approvals_their_values_and_the_log():
    rows = _screening("35.78", "202601", 100, 3) + _screening("35.73", "202601", 80, 1)
    rows += _screening("35.78", "202602", 90, 2)
    assert write_values(None, rows).imported == 9
    data_set = DataSet.objects.get(code="SKRINING_BULANAN")
    when = datetime.datetime(2026, 2, 5, 3, tzinfo=datetime.UTC)

    changed = set_approval_states(
        None,
        {
            data_set: [
                ApprovalState("35.78", "35.78", "202601", Status.ACCEPTED, submitted_at=when),
                ApprovalState("35.73", "35.73", "202601", Status.SUBMITTED, submitted_at=when),
                ApprovalState("35.78", "35.78", "202602", Status.DRAFT),
            ]
        },
    )

    assert changed == 2  # the draft of 202602 was opened when its values were written
    statuses = dict(
        DataValue.objects.filter(data_element__code="URINE_TESTED")
        .values_list("org_unit", "status")
        .filter(period="202601")
    )
    assert statuses == {"35.78": Status.ACCEPTED, "35.73": Status.SUBMITTED}
    assert set(DataValue.objects.filter(period="202602").values_list("status", flat=True)) == {
        Status.DRAFT
    }
    accepted = Approval.objects.get(data_set=data_set, org_unit="35.78", period="202601")
    assert accepted.status == Status.ACCEPTED and accepted.submitted_at == when
    assert Approval.objects.get(org_unit="35.78", period="202602").submitted_at is None
    assert ChangeLog.objects.filter(
        object_type="indicators.approval", object_id=str(accepted.pk)
    ).exists()
    # Setting the same states again changes nothing.
    assert (
        set_approval_states(
            None, {data_set: [ApprovalState("35.78", "35.78", "202601", Status.ACCEPTED)]}
        )
        == 0
    )


def test_bulk_states_refuse_a_wrong_period_type_and_non_national_actors(surabaya_manager):
    data_set = DataSet.objects.get(code="SKRINING_BULANAN")
    with pytest.raises(ValueError):
        set_approval_states(None, {data_set: [ApprovalState("35.78", "35.78", "2026Q1", "draft")]})
    with pytest.raises(PermissionDenied):
        set_approval_states(
            surabaya_manager, {data_set: [ApprovalState("35.78", "35.78", "202601", "approved")]}
        )
    assert not Approval.objects.filter(org_unit="35.78", period="202601").exists()


# --- the demo step ------------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 27)


def _snapshot():
    """The demo's entered values (not the derived ones that follow them)."""
    return sorted(
        DataValue.objects.exclude(source="derived").values_list(
            "data_element__code", "period", "org_unit", "coc", "value", "status"
        )
    )


def _jatim(seed=2026, first=None):
    """The regencies of Jawa Timur (or the ``first`` few of them)."""
    regencies = sorted(
        Region.objects.filter(level=Region.Level.REGENCY, code__startswith="35.").values_list(
            "code", flat=True
        )
    )[:first]
    return demo_data.build_values(seed, regencies=regencies, today=TODAY), regencies


def test_demo_values_are_the_same_for_the_same_seed_and_differ_for_another():
    result, regencies = _jatim(first=8)
    first = _snapshot()
    assert result.values == len(first) > 2_000
    assert result.regencies == len(regencies) == 8
    DataValue.objects.all().delete()
    Approval.objects.all().delete()

    _jatim(first=8)
    assert _snapshot() == first

    DataValue.objects.all().delete()
    Approval.objects.all().delete()
    _jatim(seed=7, first=8)
    assert _snapshot() != first


def test_a_regency_gets_the_same_values_whichever_others_are_built():
    demo_data.build_values(2026, regencies=["35.78"], today=TODAY)
    alone = _snapshot()
    DataValue.objects.all().delete()
    Approval.objects.all().delete()
    demo_data.build_values(2026, regencies=["35.73", "35.78", "11.01"], today=TODAY)
    assert [row for row in _snapshot() if row[2] == "35.78"] == alone


def test_three_years_up_to_the_current_month_and_quarter():
    _jatim()
    periods_of = {
        code: set(
            DataValue.objects.filter(data_element__code=code).values_list("period", flat=True)
        )
        for code in ("URINE_TESTED", "ACTIVITIES_PREVENTION", "PERDA_P4GN_ADOPTED")
    }
    assert min(periods_of["URINE_TESTED"]) == "202401"
    assert max(periods_of["URINE_TESTED"]) == "202611"
    assert len(periods_of["URINE_TESTED"]) == 35
    assert periods_of["ACTIVITIES_PREVENTION"] == {
        f"{y}Q{q}" for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)
    }
    assert periods_of["PERDA_P4GN_ADOPTED"] == {"2024", "2025", "2026"}
    # Every regency reports every complete period.
    complete = DataValue.objects.filter(data_element__code="URINE_TESTED", period="202610")
    assert complete.values("org_unit").distinct().count() == 38


def _ratio(numerator, denominator, **filters):
    def total(code):
        return sum(
            DataValue.objects.filter(data_element__code=code, **filters).values_list(
                "value", flat=True
            )
        )

    return total(numerator) / total(denominator)


def test_trends_are_believable():
    _jatim()
    positivity = [_ratio("URINE_POSITIVE", "URINE_TESTED", year=y) for y in (2024, 2025, 2026)]
    assert positivity[0] > positivity[1] > positivity[2]
    assert 0.003 < positivity[2] < 0.05
    coverage = [
        _ratio("URINE_TESTED", "SCREENING_TARGET", period=p) for p in ("202403", "202503", "202603")
    ]
    assert coverage[0] < coverage[1] < coverage[2]
    # Some regencies improve faster than others.
    drops = []
    for code in ("35.01", "35.02", "35.03", "35.04", "35.05", "35.06", "35.07", "35.08"):
        before = _ratio("URINE_POSITIVE", "URINE_TESTED", year=2024, org_unit=code)
        after = _ratio("URINE_POSITIVE", "URINE_TESTED", year=2026, org_unit=code)
        drops.append(after / before)
    assert max(drops) - min(drops) > 0.2
    perda = [
        DataValue.objects.filter(data_element__code="PERDA_P4GN_ADOPTED", period=y, value=1).count()
        for y in ("2024", "2025")
    ]
    assert perda[0] <= perda[1]


def test_values_respect_the_validation_rules_and_ranges():
    _jatim()
    keyed = {}
    for code, period, org_unit, _coc, value, _status in _snapshot():
        keyed.setdefault((period, org_unit), {}).setdefault(code, 0)
        keyed[(period, org_unit)][code] += value
    for values in keyed.values():
        if "URINE_TESTED" in values:
            assert values["URINE_POSITIVE"] <= values["URINE_TESTED"] <= values["SCREENING_TARGET"]
            assert values["REHAB_REFERRED"] <= values["URINE_POSITIVE"]
        if "TRAFFICKING_REPORTS" in values:
            assert values["TRAFFICKING_FORWARDED"] <= values["TRAFFICKING_REPORTS"]
        if "IKOTAN_SCORE" in values:
            assert values["IKOTAN_MEASURED"] == 1 and 1 <= values["IKOTAN_SCORE"] <= 4


def test_older_periods_are_approved_the_last_mixed_the_current_draft():
    result, _regencies = _jatim()
    assert set(result.by_status) == {"draft", "submitted", "approved", "accepted"}

    def statuses(period):
        return set(
            Approval.objects.filter(period=period).values_list("status", flat=True).distinct()
        )

    assert statuses("2024Q1") <= {Status.ACCEPTED, Status.APPROVED}
    assert statuses("202401") <= {Status.ACCEPTED, Status.APPROVED}
    assert statuses("2026Q4") == {Status.DRAFT}
    assert statuses("202611") == {Status.DRAFT}
    assert Status.SUBMITTED in statuses("2026Q3") and Status.DRAFT in statuses("2026Q3")
    # The values carry their approval's status; submitted reports have a submission time.
    assert set(DataValue.objects.filter(period="2024Q1").values_list("status", flat=True)) <= {
        Status.ACCEPTED,
        Status.APPROVED,
    }
    assert not Approval.objects.filter(status=Status.SUBMITTED, submitted_at=None).exists()
    late = Approval.objects.filter(
        period="2026Q2", submitted_at__gt=datetime.datetime(2026, 7, 15, 23, tzinfo=datetime.UTC)
    )
    assert late.exists()  # some report late, so timeliness is not trivially 100%


def test_approved_demo_periods_are_locked_for_writes():
    _jatim()
    summary = write_values(None, [ValueRow("ACTIVITIES_PREVENTION", "2024Q1", "35.78", "99")])
    assert summary.conflicts and summary.imported == summary.updated == 0


def test_the_step_skips_other_scales_and_keeps_existing_values():
    ctx = DemoContext(seed=1, scale="national", password="", rng=random.Random(1))
    demo_data.build(ctx)
    assert ctx.summary == [] and not DataValue.objects.exists()

    demo_data.build_values(2026, regencies=["35.78"], today=TODAY)
    ctx = DemoContext(seed=1, scale="small", password="", rng=random.Random(1))
    count = DataValue.objects.exclude(source="derived").count()
    demo_data.build(ctx)
    assert DataValue.objects.exclude(source="derived").count() == count
    assert ctx.summary == [f"Data values: {count:,} (kept)"]
