"""Demo values (issue 3, item 9) and the bulk approval-state path the demo uses."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from cegah.core.models import ChangeLog
from cegah.indicators.models import Approval, DataSet, DataValue, Status
from cegah.indicators.services import ApprovalState, ValueRow, set_approval_states, write_values

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
        data_set,
        [
            ApprovalState("35.78", "35.78", "202601", Status.ACCEPTED, submitted_at=when),
            ApprovalState("35.73", "35.73", "202601", Status.SUBMITTED, submitted_at=when),
            ApprovalState("35.78", "35.78", "202602", Status.DRAFT),
        ],
    )

    assert changed == 3
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
            None, data_set, [ApprovalState("35.78", "35.78", "202601", Status.ACCEPTED)]
        )
        == 0
    )


def test_bulk_states_refuse_a_wrong_period_type_and_non_national_actors(surabaya_manager):
    data_set = DataSet.objects.get(code="SKRINING_BULANAN")
    with pytest.raises(ValueError):
        set_approval_states(None, data_set, [ApprovalState("35.78", "35.78", "2026Q1", "draft")])
    with pytest.raises(PermissionDenied):
        set_approval_states(
            surabaya_manager, data_set, [ApprovalState("35.78", "35.78", "202601", "approved")]
        )
    assert not Approval.objects.filter(org_unit="35.78", period="202601").exists()
