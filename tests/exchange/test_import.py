"""Imports through the one write path: counts, idempotence, all-or-nothing, locks, scope,
the change log — for each format."""

import pytest

from cegah.core.models import ChangeLog
from cegah.exchange.services import import_file
from cegah.indicators.models import Approval, DataValue
from tests.exchange.conftest import SURABAYA_VALUES, data_value_set, dhis2_csv


def _values():
    return {
        (dv.data_element.code, dv.period, dv.org_unit, dv.coc): (dv.value, dv.comment)
        for dv in DataValue.objects.select_related("data_element")
    }


def test_json_imports_with_the_right_counts_and_again_changes_nothing(surabaya_manager, elements):
    document = data_value_set(SURABAYA_VALUES)

    first = import_file(surabaya_manager, document).as_dict()
    assert first["status"] == "SUCCESS"
    assert first["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    assert _values() == {
        ("EXC_TESTED", "202601", "35.78", "default"): (120.0, ""),
        ("EXC_POSITIVE", "202601", "35.78", "default"): (3.0, ""),
        ("EXC_BY_SEX", "202601", "35.78", "F"): (40.0, "posko terminal"),
    }
    stored = DataValue.objects.get(data_element__code="EXC_TESTED")
    assert (stored.source, stored.stored_by, stored.region_code) == (
        "imported",
        "surabaya",
        "35.78",
    )
    log_count = ChangeLog.objects.filter(object_type="indicators.datavalue").count()
    assert log_count == 3

    again = import_file(surabaya_manager, document).as_dict()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}
    assert again["status"] == "SUCCESS"
    assert ChangeLog.objects.filter(object_type="indicators.datavalue").count() == log_count


def test_changed_value_is_updated_and_logged_with_before_and_after(surabaya_manager, elements):
    import_file(surabaya_manager, data_value_set(SURABAYA_VALUES))
    changed = [dict(SURABAYA_VALUES[0], value="125", comment="koreksi"), *SURABAYA_VALUES[1:]]

    result = import_file(surabaya_manager, data_value_set(changed)).as_dict()

    assert result["importCount"] == {"imported": 0, "updated": 1, "ignored": 2, "deleted": 0}
    value = DataValue.objects.get(data_element__code="EXC_TESTED")
    assert (value.value, value.comment) == (125.0, "koreksi")
    entry = ChangeLog.objects.filter(
        object_type="indicators.datavalue", object_id=str(value.pk), action="update"
    ).get()
    assert entry.before["value"] == 120
    assert entry.after["value"] == 125
    assert entry.after["comment"] == "koreksi"
    assert entry.username == "surabaya"
    assert entry.region_code == "35.78"
    created = ChangeLog.objects.filter(
        object_type="indicators.datavalue", object_id=str(value.pk), action="create"
    ).get()
    assert created.before is None
    assert created.after["org_unit"] == "35.78"


def test_one_bad_row_writes_nothing_and_names_the_row(surabaya_manager, elements):
    values = [*SURABAYA_VALUES, {**SURABAYA_VALUES[0], "period": "202602", "value": "banyak"}]

    result = import_file(surabaya_manager, data_value_set(values)).as_dict()

    assert result["status"] == "ERROR"
    assert result["importCount"] == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0}
    assert [c["object"] for c in result["conflicts"]] == ["dataValues[3]"]
    assert "banyak" in result["conflicts"][0]["value"]
    assert DataValue.objects.count() == 0
    assert not ChangeLog.objects.filter(object_type="indicators.datavalue").exists()


def test_dry_run_reports_counts_and_writes_nothing(surabaya_manager, elements):
    result = import_file(surabaya_manager, data_value_set(SURABAYA_VALUES), dry_run=True)

    assert result.as_dict()["dryRun"] is True
    assert result.as_dict()["importCount"]["imported"] == 3
    assert DataValue.objects.count() == 0
    assert not ChangeLog.objects.filter(object_type="indicators.datavalue").exists()


def test_partial_mode_writes_the_valid_rows(surabaya_manager, elements):
    values = [*SURABAYA_VALUES, {**SURABAYA_VALUES[0], "orgUnit": "35.73"}]

    result = import_file(surabaya_manager, data_value_set(values), atomic=False).as_dict()

    assert result["status"] == "WARNING"
    assert result["importCount"] == {"imported": 3, "updated": 0, "ignored": 1, "deleted": 0}
    assert [c["object"] for c in result["conflicts"]] == ["dataValues[3]"]
    assert DataValue.objects.count() == 3


def test_out_of_scope_org_unit_is_a_conflict(malang_manager, elements):
    result = import_file(malang_manager, data_value_set(SURABAYA_VALUES)).as_dict()

    assert result["status"] == "ERROR"
    assert [c["object"] for c in result["conflicts"]] == [
        "dataValues[0]",
        "dataValues[1]",
        "dataValues[2]",
    ]
    assert all("35.78" in c["value"] for c in result["conflicts"])
    assert DataValue.objects.count() == 0


def test_focal_point_imports_only_for_their_own_site(focal_point, surabaya_site, elements):
    other = {**SURABAYA_VALUES[0], "orgUnit": "35.78"}
    own = {**SURABAYA_VALUES[0], "orgUnit": surabaya_site.code}

    refused = import_file(focal_point, data_value_set([other])).as_dict()
    accepted = import_file(focal_point, data_value_set([own])).as_dict()

    assert refused["status"] == "ERROR"
    assert accepted["importCount"]["imported"] == 1
    stored = DataValue.objects.exclude(source="derived").get()
    assert (stored.org_unit, stored.site_id, stored.region_code) == (
        surabaya_site.code,
        surabaya_site.pk,
        "35.78.01",
    )


def test_locked_period_is_a_conflict_until_reopened(surabaya_manager, data_set):
    approval = Approval.objects.create(
        data_set=data_set,
        org_unit="35.78",
        region_code="35.78",
        period="202601",
        status="approved",
    )
    result = import_file(surabaya_manager, data_value_set(SURABAYA_VALUES)).as_dict()

    assert result["status"] == "ERROR"
    assert len(result["conflicts"]) == 3
    assert "locked" in result["conflicts"][0]["value"]
    assert DataValue.objects.count() == 0

    Approval.objects.filter(pk=approval.pk).update(status="draft")
    assert import_file(surabaya_manager, data_value_set(SURABAYA_VALUES)).imported == 3


def test_a_year_approval_locks_its_months(surabaya_manager, data_set):
    Approval.objects.create(
        data_set=data_set,
        org_unit="35.78",
        region_code="35.78",
        period="2026",
        status="accepted",
    )
    result = import_file(surabaya_manager, data_value_set(SURABAYA_VALUES[:1]))
    assert result.status == "ERROR"


def test_viewer_cannot_import(jatim_viewer, elements):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_file(jatim_viewer, data_value_set(SURABAYA_VALUES))


def test_csv_with_and_without_header_imports_the_same(surabaya_manager, elements):
    rows = [
        ("EXC_TESTED", "202601", "35.78", "", "120"),
        ("EXC_BY_SEX", "202601", "35.78", "M", "7", "catatan"),
    ]
    with_header = import_file(surabaya_manager, dhis2_csv(rows), filename="a.csv").as_dict()
    assert with_header["importCount"]["imported"] == 2
    without = import_file(surabaya_manager, dhis2_csv(rows, header=False), filename="b.csv")
    assert without.as_dict()["importCount"] == {
        "imported": 0,
        "updated": 0,
        "ignored": 2,
        "deleted": 0,
    }
    assert _values()[("EXC_BY_SEX", "202601", "35.78", "M")] == (7.0, "catatan")


def test_csv_conflicts_name_the_spreadsheet_row(surabaya_manager, elements):
    rows = [
        ("EXC_TESTED", "202601", "35.78", "", "120"),
        ("EXC_TESTED", "202613", "35.78", "", "120"),
    ]
    result = import_file(surabaya_manager, dhis2_csv(rows), filename="a.csv").as_dict()
    assert [c["object"] for c in result["conflicts"]] == ["row 3"]  # the header is row 1
    assert "202613" in result["conflicts"][0]["value"]


def test_semicolon_csv_from_an_indonesian_excel_is_read(surabaya_manager, elements):
    data = b"EXC_TESTED;202601;35.78;;;120;;;;\r\nEXC_POSITIVE;202601;35.78;;;4;;;;\r\n"
    result = import_file(surabaya_manager, data, filename="excel.csv")
    assert result.imported == 2


def test_json_top_level_defaults_apply_to_each_value(surabaya_manager, data_set):
    document = data_value_set(
        [
            {"dataElement": "EXC_TESTED", "value": "9"},
            {"dataElement": "EXC_POSITIVE", "value": "1"},
        ],
        dataSet="EXC_MONTHLY",
        period="202603",
        orgUnit="35.78",
    )
    assert import_file(surabaya_manager, document).imported == 2
    assert set(DataValue.objects.values_list("period", "org_unit")) == {("202603", "35.78")}


def test_json_data_set_must_contain_the_elements(surabaya_manager, data_set):
    document = data_value_set(
        [{"dataElement": "EXC_PERDA", "period": "2026", "orgUnit": "35.78", "value": "true"}],
        dataSet="EXC_MONTHLY",
    )
    result = import_file(surabaya_manager, document).as_dict()
    assert result["conflicts"] == [
        {"object": "dataValues[0]", "value": "EXC_PERDA is not in data set EXC_MONTHLY."}
    ]
    unknown = import_file(surabaya_manager, data_value_set(SURABAYA_VALUES, dataSet="NOPE"))
    assert unknown.conflicts[0].object == "dataSet"
    assert DataValue.objects.count() == 0


def test_value_types_are_stored_as_numbers(surabaya_manager, elements):
    document = data_value_set(
        [
            {"dataElement": "EXC_PERDA", "period": "2026", "orgUnit": "35.78", "value": True},
            {"dataElement": "EXC_SHARE", "period": "2026Q1", "orgUnit": "35.78", "value": 12.5},
        ]
    )
    assert import_file(surabaya_manager, document).imported == 2
    assert _values()[("EXC_PERDA", "2026", "35.78", "default")] == (1.0, "")
    assert _values()[("EXC_SHARE", "2026Q1", "35.78", "default")] == (12.5, "")
    stored = DataValue.objects.get(data_element__code="EXC_SHARE")
    assert (stored.year, stored.quarter, stored.month) == (2026, 1, None)


def test_command_line_system_import_without_user_has_full_scope(elements):
    result = import_file(None, data_value_set(SURABAYA_VALUES))
    assert result.imported == 3
    assert set(DataValue.objects.values_list("stored_by", flat=True)) == {"system"}
