"""Values derived from other values: REGENCIES (the denominator of the regency shares) and
IKOTAN_TANGGAP (from the IKOTAN score), kept current by the write path's signal."""

import pytest

from cegah.analytics.engine import analytics
from cegah.indicators import derived
from cegah.indicators.models import DataSet, DataValue, Status
from cegah.indicators.services import (
    ApprovalState,
    ValueRow,
    delete_value,
    set_approval_states,
    write_values,
)
from cegah.regions.models import Region


def regencies(year: str) -> dict[str, float]:
    return dict(
        DataValue.objects.filter(data_element__code="REGENCIES", period=year).values_list(
            "org_unit", "value"
        )
    )


def test_a_year_with_yearly_data_counts_every_regency_and_the_share_is_out_of_them(admin_user):
    assert regencies("2025") == {}
    rows = [ValueRow("PERDA_P4GN_ADOPTED", "2025", code, "true") for code in ("35.78", "35.73")]
    assert write_values(admin_user, rows).imported == 2
    counted = regencies("2025")
    assert len(counted) == Region.objects.filter(level=Region.Level.REGENCY).count() == 514
    assert set(counted.values()) == {1.0}
    jatim = Region.objects.filter(parent_id="35").count()  # 38 regencies and cities
    (row,) = analytics(admin_user, ["PERDA_P4GN_SHARE"], ["2025"], ["35"])
    assert (row.numerator, row.denominator) == (2, jatim)
    assert row.value == pytest.approx(100 * 2 / jatim)
    # Monthly data alone does not add a year of regencies; nothing else changes them.
    write_values(admin_user, [ValueRow("URINE_TESTED", "202403", "35.78", "10")])
    assert regencies("2024") == {}
    assert derived.rebuild().total == 0


def test_ikotan_tanggap_follows_the_score_and_its_status(admin_user):
    def tanggap():
        return (
            DataValue.objects.filter(data_element__code="IKOTAN_TANGGAP", org_unit="35.78")
            .values_list("period", "value", "status", "source")
            .get()
        )

    write_values(
        admin_user,
        [
            ValueRow("IKOTAN_MEASURED", "2025", "35.78", "true"),
            ValueRow("IKOTAN_SCORE", "2025", "35.78", "3.2"),
        ],
    )
    assert tanggap() == ("2025", 1.0, "draft", "derived")
    write_values(admin_user, [ValueRow("IKOTAN_SCORE", "2025", "35.78", "3.0")])
    assert tanggap() == ("2025", 0.0, "draft", "derived")
    assert delete_value(admin_user, "IKOTAN_SCORE", "2025", "35.78").deleted == 1
    assert not DataValue.objects.filter(data_element__code="IKOTAN_TANGGAP").exists()
    write_values(admin_user, [ValueRow("IKOTAN_SCORE", "2025", "35.78", "3.065")])
    assert tanggap()[1] == 1.0
    data_set = DataSet.objects.get(code="KOMITMEN_TAHUNAN")
    state = ApprovalState("35.78", "35.78", "2025", Status.APPROVED)
    assert set_approval_states(None, {data_set: [state]}) == 1
    assert tanggap()[2] == "approved"
    (row,) = analytics(admin_user, ["IKOTAN_TANGGAP_SHARE"], ["2025"], ["35.78"], True)
    assert (row.numerator, row.denominator, row.value) == (1, 1, 100)
