"""DHIS2's own import test cases (dhis2-core, ``DataValueSetServiceIntegrationTest`` and the
``datavalueset`` test resources), remapped to Cegah codes, and the rest of DHIS2's import
semantics: strategies, ``deleted``, CSV headers long and short, booleans, ISO months, the
default category option combo, a data set's org-unit level, numbers kept exactly.

The remapping: data elements f7n9E0hX8qk, Ix2HsbDMLea, eY5ehpbEsB7 → EXC_TESTED,
EXC_POSITIVE, EXC_REFERRED (members of the monthly regency data set EXC_MONTHLY); org units
DiszpKrYNg8, BdfsJfj87js → 35.78 (Kota Surabaya), 35.73 (Kota Malang); periods as they are.
DHIS2 counts an unchanged value as updated in its older tests and as ignored in its newer
documentation ("an unchanged data value ... will be ignored"); Cegah ignores it, so where
a DHIS2 test re-sends identical values, the expectation below says ignored.
"""

import csv
import io
import json

import pytest
from django.test import override_settings

from cegah.exchange.services import import_file
from cegah.indicators.models import DataElement, DataSetElement, DataValue, DeletedDataValue
from tests.conftest import client_for
from tests.exchange.conftest import data_value_set
from tests.indicators.helpers import element

ELEMENTS = ("EXC_TESTED", "EXC_POSITIVE", "EXC_REFERRED")  # f7n9…, Ix2H…, eY5e…
ORG_UNITS = ("35.78", "35.73")  # DiszpKrYNg8, BdfsJfj87js


def _element(code, value_type="INTEGER", period_type="Monthly"):
    return element(code, period_type, value_type)


@pytest.fixture
def dhis2_set(data_set):
    """EXC_MONTHLY with a third plain element, as DHIS2's test data set dsA has deA…deC."""
    referred = _element("EXC_REFERRED")
    DataSetElement.objects.create(data_set=data_set, data_element=referred, order=9)
    return data_set


@pytest.fixture
def rupiah(db):
    return _element("EXC_RUPIAH", "RUPIAH", "Yearly")


def _set_b(deleted=(), periods=("201201", "201202"), **extra):
    """dataValueSetB: 3 elements × 2 periods × 2 org units, values 10001…10012, each with
    storedBy john and a comment; ``deleted``: the indexes marked deleted=true."""
    values = []
    for code in ELEMENTS:
        for period in periods:
            for org_unit in ORG_UNITS:
                item = {
                    "dataElement": code,
                    "period": period,
                    "orgUnit": org_unit,
                    "value": str(10001 + len(values)),
                    "storedBy": "john",
                    "comment": "comment",
                    "followup": False,
                }
                if len(values) in deleted:
                    item["deleted"] = True
                values.append(item)
    return data_value_set(values, **extra)


def _stored():
    """The values an import stored (derived ones, which sites and elements bring, apart)."""
    return DataValue.objects.exclude(source=DataValue.Source.DERIVED)


def _counts(summary) -> tuple[int, int, int, int]:
    count = summary.as_dict()["importCount"]
    return count["imported"], count["updated"], count["deleted"], count["ignored"]


def _import(user, document, **kwargs):
    summary = import_file(user, document, **kwargs)
    assert not summary.conflicts, summary.as_dict()["conflicts"]
    return summary


# --- dataValueSetB and its variants ------------------------------------------------------


def test_import_values(jatim_manager, dhis2_set):
    """testImportValuesXml: 12 values imported."""
    assert _counts(_import(jatim_manager, _set_b())) == (12, 0, 0, 0)
    assert _stored().count() == 12
    stored = _stored().get(data_element__code="EXC_TESTED", period="201201", org_unit="35.78")
    assert (stored.value, stored.stored_by, stored.comment, stored.followup) == (
        10001.0,
        "john",
        "comment",
        False,
    )
    assert stored.created_at is not None


def test_import_deleted_values_count_as_imports_when_nothing_is_stored(jatim_manager, dhis2_set):
    """testImportDeletedValuesXml: 12 imported, 4 of them deleted, 8 values."""
    summary = _import(jatim_manager, _set_b(deleted=range(8, 12)))
    assert _counts(summary) == (12, 0, 0, 0)
    assert _stored().count() == 8
    assert DeletedDataValue.objects.filter(data_element__code="EXC_REFERRED").count() == 4


def test_import_reverses_deleted_values(jatim_manager, dhis2_set):
    """testImportReverseDeletedValuesXml: after BDeleted, B brings the 4 back as imported
    (DHIS2's older test counts the 8 unchanged as updated; Cegah ignores them)."""
    _import(jatim_manager, _set_b(deleted=range(8, 12)))
    assert _counts(_import(jatim_manager, _set_b())) == (4, 0, 0, 8)
    assert _stored().count() == 12


def test_delete_values_with_the_deleted_flag(jatim_manager, dhis2_set):
    """testDeleteValuesXml: B, then BDeleted: 4 deleted, 8 left."""
    _import(jatim_manager, _set_b())
    assert _counts(_import(jatim_manager, _set_b(deleted=range(8, 12)))) == (0, 0, 4, 8)
    assert _stored().count() == 8
    assert not _stored().filter(data_element__code="EXC_REFERRED").exists()
    tombstone = DeletedDataValue.objects.get(
        data_element__code="EXC_REFERRED", period="201201", org_unit="35.78"
    )
    assert (tombstone.value, tombstone.stored_by, tombstone.comment) == (10009.0, "john", "comment")


def test_import_and_delete_values(jatim_manager, dhis2_set):
    """testImportAndDeleteValuesXml with dataValueSetBNewDeleted: 2 new, 4 deleted, 10
    left (the 6 others: 4 unchanged, 2 of EXC_REFERRED unchanged)."""
    _import(jatim_manager, _set_b())
    new_deleted = json.loads(_set_b(deleted=range(4, 8)))
    for item in new_deleted["dataValues"][8:]:
        if item["period"] == "201202":
            item["period"] = "201203"
    summary = _import(jatim_manager, json.dumps(new_deleted).encode())
    assert _counts(summary) == (2, 0, 4, 6)
    assert _stored().count() == 10


def test_delete_strategy_deletes_every_value_of_the_file(jatim_manager, dhis2_set):
    """testImportValuesDeleteStrategyXml: B, then B with DELETE: 12 deleted, none left."""
    _import(jatim_manager, _set_b())
    summary = _import(jatim_manager, _set_b(), strategy="DELETE")
    assert _counts(summary) == (0, 0, 12, 0)
    assert not _stored().exists()
    assert DeletedDataValue.objects.count() == 12


def test_delete_strategy_needs_no_value_and_ignores_what_is_not_stored(jatim_manager, dhis2_set):
    """testImportDeleteValueJson, _OmittingValue and _NewValue (dataValueSetJ)."""
    j = {"period": "201201", "orgUnit": "35.78", "dataElement": "EXC_TESTED", "value": "10"}
    for deleting in (j, {k: v for k, v in j.items() if k != "value"}, {**j, "value": "11"}):
        assert _counts(_import(jatim_manager, data_value_set([j]))) == (1, 0, 0, 0)
        summary = _import(jatim_manager, data_value_set([deleting]), strategy="DELETE")
        assert _counts(summary) == (0, 0, 1, 0)
        assert not _stored().exists()
    # Nothing stored: ignored, as DHIS2 does.
    assert _counts(_import(jatim_manager, data_value_set([j]), strategy="DELETES")) == (0, 0, 0, 1)


def test_update_strategy_ignores_new_values(jatim_manager, dhis2_set):
    """testImportDataValuesXmlUpdatesOnly: UPDATES on an empty database: 12 ignored."""
    assert _counts(_import(jatim_manager, _set_b(), strategy="UPDATES")) == (0, 0, 0, 12)
    assert not _stored().exists()
    _import(jatim_manager, _set_b(periods=("201201",)))
    changed = json.loads(_set_b())
    for item in changed["dataValues"]:
        item["value"] = str(int(item["value"]) + 1)
    summary = _import(jatim_manager, json.dumps(changed).encode(), strategy="UPDATE")
    assert _counts(summary) == (0, 6, 0, 6)  # the 201201 values changed, 201202 not stored
    assert _stored().count() == 6


def test_create_strategy_leaves_stored_values_alone(jatim_manager, dhis2_set):
    _import(jatim_manager, _set_b(periods=("201201",)))
    changed = json.loads(_set_b())
    for item in changed["dataValues"]:
        item["value"] = "7"
    summary = _import(jatim_manager, json.dumps(changed).encode(), strategy="CREATE")
    assert _counts(summary) == (6, 0, 0, 6)
    assert set(_stored().filter(period="201201").values_list("value", flat=True)) != {7.0}
    assert set(_stored().filter(period="201202").values_list("value", flat=True)) == {7.0}


def test_an_unknown_strategy_is_refused_and_writes_nothing(jatim_manager, dhis2_set, client):
    summary = import_file(jatim_manager, _set_b(), strategy="MERGE")
    assert summary.status == "ERROR"
    assert summary.conflicts[0].object == "importStrategy"
    assert "MERGE" in summary.conflicts[0].value
    assert not _stored().exists()
    api = client_for(jatim_manager)
    response = api.post(
        "/api/v1/dataValueSets?importStrategy=SYNC", _set_b(), content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["conflicts"][0]["object"] == "importStrategy"
    response = api.post(
        "/api/v1/dataValueSets?importStrategy=NEW_AND_UPDATES",
        _set_b(),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["importCount"]["imported"] == 12


def test_deleting_in_a_locked_period_is_a_conflict(jatim_manager, dhis2_set):
    from cegah.indicators.models import Approval, Status

    _import(jatim_manager, _set_b(periods=("201201",)))
    Approval.objects.update_or_create(
        data_set=dhis2_set, org_unit="35.78", period="201201",
        defaults={"region_code": "35.78", "status": Status.APPROVED},
    )  # fmt: skip
    summary = import_file(jatim_manager, _set_b(periods=("201201",)), strategy="DELETE")
    assert summary.status == "ERROR"
    assert len(summary.conflicts) == 3  # the three values of 35.78
    assert _stored().count() == 6


# --- CSV ---------------------------------------------------------------------------------


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def test_csv_with_dhis2s_short_headers_keeps_category_option_combos(jatim_manager, data_set):
    """The header of DHIS2's import example: catoptcombo, attroptcombo, strby, lstupd, cmt."""
    header = ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value",
              "strby", "lstupd", "cmt"]  # fmt: skip
    rows = [
        ["EXC_BY_SEX", "202601", "35.78", "M", "", "30", "ani", "2026-02-01", "terminal"],
        ["EXC_BY_SEX", "202601", "35.78", "F", "HllvX50cXC0", "40", "ani", "2026-02-01", ""],
    ]
    summary = _import(jatim_manager, _csv(header, rows))
    assert _counts(summary) == (2, 0, 0, 0)
    stored = {dv.coc: dv for dv in _stored().all()}
    assert (stored["M"].value, stored["M"].stored_by, stored["M"].comment) == (
        30,
        "ani",
        "terminal",
    )
    assert stored["F"].value == 40


def test_csv_long_headers_any_case_spaces_before_quotes_and_flags(jatim_manager, data_set):
    text = (
        'DataElement, "Period", "OrgUnit", "CategoryOptionCombo", "AttributeOptionCombo", '
        '"Value", "StoredBy", "LastUpdated", "Comment", "FollowUp", "Deleted"\n'
        'EXC_TESTED, "202601", "35.78", "", "", "100", "budi", "", "", "true", "false"\n'
        'EXC_POSITIVE, "202601", "35.78", "default", "", "5", "", "", "", "False", ""\n'
    )
    _import(jatim_manager, text.encode())
    tested = _stored().get(data_element__code="EXC_TESTED")
    assert (tested.value, tested.followup, tested.stored_by) == (100, True, "budi")
    positive = _stored().get(data_element__code="EXC_POSITIVE")
    assert (positive.followup, positive.stored_by) == (False, "jatim")  # the importing user
    deleting = text.replace('"false"\n', '"true"\n').encode()
    assert _counts(_import(jatim_manager, deleting)) == (0, 0, 1, 1)
    assert not _stored().filter(data_element__code="EXC_TESTED").exists()


def test_csv_without_header_reads_dhis2s_column_order_with_deleted(jatim_manager, data_set):
    """dataValueSetBNoHeader: DHIS2's 11 columns, the 11th ``deleted``."""
    row = [
        "EXC_TESTED",
        "201201",
        "35.78",
        "",
        "",
        "10001",
        "john",
        "2012-01-01",
        "comment",
        "false",
    ]
    _import(jatim_manager, _csv(None, [row]))
    assert _stored().get().value == 10001
    summary = _import(jatim_manager, _csv(None, [[*row, "true"]]))
    assert _counts(summary) == (0, 0, 1, 0)


def test_a_flag_that_is_not_a_boolean_deletes_nothing(jatim_manager, data_set):
    header = ["dataelement", "period", "orgunit", "value", "deleted"]
    _import(jatim_manager, _csv(header, [["EXC_TESTED", "202601", "35.78", "5", ""]]))
    summary = import_file(
        jatim_manager, _csv(header, [["EXC_TESTED", "202601", "35.78", "5", "ya?"]])
    )
    assert summary.status == "ERROR"
    assert "deleted must be true or false" in summary.conflicts[0].value
    assert _stored().count() == 1


def test_booleans_as_dhis2_reads_them(jatim_manager, elements):
    """dataValueSetBooleanTest: true, True, false, False, f, F, t, T, 1, 0 are booleans;
    'test' and 'not true' are conflicts (E7619), each on its own row. (Each value here has
    its own org unit: Cegah refuses one key twice in a file.)"""
    words = ["true", "True", "false", "False", "f", "F", "t", "T", "1", "0", "test", "not true"]
    regencies = ["35.01", "35.02", "35.03", "35.04", "35.05", "35.06", "35.07", "35.08",
                 "35.09", "35.10", "35.11", "35.12"]  # fmt: skip
    rows = [
        ["EXC_PERDA", "2026", ou, "", "", word] for ou, word in zip(regencies, words, strict=True)
    ]
    summary = import_file(jatim_manager, _csv(["dataelement", "period", "orgunit",
        "categoryoptioncombo", "attributeoptioncombo", "value"], rows), atomic=False)  # fmt: skip
    assert [c.object for c in summary.conflicts] == ["row 12", "row 13"]
    stored = dict(_stored().values_list("org_unit", "value"))
    assert [stored[ou] for ou in regencies[:10]] == [1, 1, 0, 0, 0, 0, 1, 1, 1, 0]


def test_a_month_as_an_iso_date_is_the_month(jatim_manager, data_set):
    _import(jatim_manager, data_value_set(
        [{"dataElement": "EXC_TESTED", "period": "2017-01", "orgUnit": "35.78", "value": "4"}]
    ))  # fmt: skip
    assert _stored().get().period == "201701"


# --- the default category option combo --------------------------------------------------


def test_the_default_combo_by_name_empty_or_dhis2_id(jatim_manager, data_set):
    values = [
        {"dataElement": "EXC_TESTED", "period": "202601", "orgUnit": "35.78", "value": "1",
         "categoryOptionCombo": "default"},
        {"dataElement": "EXC_TESTED", "period": "202602", "orgUnit": "35.78", "value": "2",
         "categoryOptionCombo": ""},
        {"dataElement": "EXC_TESTED", "period": "202603", "orgUnit": "35.78", "value": "3",
         "categoryOptionCombo": "HllvX50cXC0", "attributeOptionCombo": "HllvX50cXC0"},
    ]  # fmt: skip
    _import(jatim_manager, data_value_set(values))
    assert set(_stored().values_list("coc", flat=True)) == {"default"}


@override_settings(CEGAH_DHIS2_DEFAULT_COC="bRowv6yZOF2")
def test_the_default_combos_dhis2_id_is_configurable(jatim_manager, data_set):
    item = {"dataElement": "EXC_TESTED", "period": "202601", "orgUnit": "35.78", "value": "1"}
    _import(jatim_manager, data_value_set([{**item, "categoryOptionCombo": "bRowv6yZOF2"}]))
    assert _stored().get().coc == "default"
    refused = import_file(
        jatim_manager, data_value_set([{**item, "categoryOptionCombo": "HllvX50cXC0"}])
    )
    assert refused.status == "ERROR"


# --- a data set's org-unit level ---------------------------------------------------------


@pytest.mark.parametrize(
    ("org_unit", "kind"),
    [("35.78.01", "a district"), ("35", "a province"), ("35.78.01.1001", "a village")],
)
def test_a_regency_data_set_refuses_other_levels(jatim_manager, data_set, org_unit, kind):
    item = {"dataElement": "EXC_TESTED", "period": "202601", "orgUnit": org_unit, "value": "9"}
    for document in (data_value_set([item]), data_value_set([item], dataSet="EXC_MONTHLY")):
        summary = import_file(jatim_manager, document)
        assert summary.status == "ERROR"
        message = summary.conflicts[0].value
        assert f"Data set EXC_MONTHLY is not usable with org unit {org_unit}" in message
        assert kind in message
    assert not _stored().exists()


def test_a_regency_data_set_refuses_a_site(jatim_manager, data_set, surabaya_site):
    item = {"dataElement": "EXC_TESTED", "period": "202601", "orgUnit": surabaya_site.code,
            "value": "9"}  # fmt: skip
    summary = import_file(jatim_manager, data_value_set([item]))
    assert "not for a site" in summary.conflicts[0].value
    assert not _stored().exists()


def test_a_value_stored_at_the_wrong_level_is_found_by_the_check(jatim_manager, data_set):
    from django.core import management

    from cegah.indicators.checks import values_at_wrong_level

    element = DataElement.objects.get(code="EXC_TESTED")
    assert values_at_wrong_level() == []
    DataValue.objects.create(  # as a value stored before the rule existed
        data_element=element, period="202601", year=2026, half=1, quarter=1, month=1,
        org_unit="35.78.01", region_code="35.78.01", value=3,
    )  # fmt: skip
    found = values_at_wrong_level()
    assert [(f.data_set, f.count, f.examples[0]) for f in found] == [
        ("EXC_MONTHLY", 1, "EXC_TESTED/202601/35.78.01/default")
    ]
    out = io.StringIO()
    with pytest.raises(management.CommandError):
        management.call_command("check", "--database", "default", "--fail-level", "WARNING",
                                stdout=out, stderr=out)  # fmt: skip


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e400", "99999999999999999999999", "1E5", "0x10", "1,5"])
def test_numbers_that_cannot_be_kept_exactly_are_refused(jatim_manager, data_set, value):
    item = {"dataElement": "EXC_TESTED", "period": "202601", "orgUnit": "35.78", "value": value}
    summary = import_file(jatim_manager, data_value_set([item]))
    assert summary.status == "ERROR", value
    header = ["dataelement", "period", "orgunit", "value"]
    summary = import_file(jatim_manager, _csv(header, [["EXC_TESTED", "202601", "35.78", value]]))
    assert summary.status == "ERROR", value
    assert not _stored().exists()


@pytest.mark.parametrize("number", ["1e400", "99999999999999999999999", "3.14159265358979323846"])
def test_json_numbers_are_read_as_written(jatim_manager, elements, number):
    """A JSON number is not rounded through a float before it is checked."""
    text = f'{{"dataValues": [{{"dataElement": "EXC_SHARE", "period": "2026Q1", "orgUnit": "35.78", "value": {number}}}]}}'  # noqa: E501
    summary = import_file(jatim_manager, text.encode())
    assert summary.status == "ERROR"
    assert not _stored().exists()


def test_rupiah_in_a_dhis2_csv_is_read_the_machine_way(jatim_manager, rupiah):
    header = ["dataelement", "period", "orgunit", "value"]
    refused = import_file(
        jatim_manager, _csv(header, [["EXC_RUPIAH", "2026", "35.78", "1000000.50"]])
    )
    assert refused.status == "ERROR"
    assert "whole number" in refused.conflicts[0].value
    assert not _stored().exists()
    _import(jatim_manager, _csv(header, [["EXC_RUPIAH", "2026", "35.78", "1000000.0"]]))
    assert _stored().get().value == 1_000_000


def test_rupiah_in_json_and_a_largest_exact_integer(jatim_manager, rupiah):
    values = [
        {"dataElement": "EXC_RUPIAH", "period": "2026", "orgUnit": "35.78", "value": 1250000},
        {"dataElement": "EXC_RUPIAH", "period": "2026", "orgUnit": "35.73",
         "value": "9007199254740992"},
    ]  # fmt: skip
    _import(jatim_manager, data_value_set(values))
    assert dict(_stored().values_list("org_unit", "value")) == {
        "35.78": 1_250_000,
        "35.73": 2**53,
    }


def test_a_spreadsheet_csv_with_semicolons_is_read_in_the_users_language(
    jatim_manager, rupiah, data_set
):
    text = (
        b"dataelement;period;orgunit;value\n"
        b"EXC_TESTED;202601;35.78;3.000\n"
        b"EXC_RUPIAH;2026;35.78;Rp 1.250.000\n"
    )
    _import(jatim_manager, text, language="id")
    assert sorted(_stored().values_list("value", flat=True)) == [3000, 1_250_000]
    english = text.replace(b"3.000", b"3,001").replace(b"Rp 1.250.000", b"1,250,001")
    _import(jatim_manager, english, language="en")
    assert sorted(_stored().values_list("value", flat=True)) == [3001, 1_250_001]
    # "1.250" from an English spreadsheet for a whole number reads two ways: refused.
    ambiguous = import_file(
        jatim_manager, b"dataelement;period;orgunit;value\nEXC_TESTED;202601;35.78;1.250\n",
        language="en",
    )  # fmt: skip
    assert "reads two ways" in ambiguous.conflicts[0].value
