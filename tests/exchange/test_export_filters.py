"""``GET dataValueSets`` filters as DHIS2 names them: startDate/endDate, lastUpdated,
lastUpdatedDuration, includeDeleted, limit; and the fields DHIS2 writes (attributeOptionCombo,
created, lastUpdated, followup, deleted; the CSV ``deleted`` column)."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from cegah.exchange.services import import_file
from cegah.indicators.models import DataValue, DeletedDataValue
from tests.conftest import bearer
from tests.exchange.conftest import data_value_set

URL = "/api/v1/dataValueSets"


def _values(months=("202601", "202602", "202603"), org_unit="35.78"):
    return [
        {"dataElement": "EXC_TESTED", "period": m, "orgUnit": org_unit, "value": str(100 + i)}
        for i, m in enumerate(months)
    ]


def _get(client, user, **params):
    response = client.get(URL, params, **bearer(user))
    assert response.status_code == 200, response.content[:500]
    return b"".join(response.streaming_content) if response.streaming else response.content


def _json(client, user, **params) -> list[dict]:
    return json.loads(_get(client, user, **params))["dataValues"]


@pytest.fixture
def stored(surabaya_manager, data_set):
    summary = import_file(surabaya_manager, data_value_set(_values()))
    assert summary.status == "SUCCESS", summary.as_dict()
    return surabaya_manager


def test_json_carries_dhis2s_fields(client, stored):
    values = _json(client, stored, dataElement="EXC_TESTED", period="202601")
    assert len(values) == 1
    value = values[0]
    assert value["attributeOptionCombo"] == "default"
    assert value["value"] == "100"
    assert value["followup"] is False and value["deleted"] is False
    created = datetime.datetime.fromisoformat(value["created"])
    updated = datetime.datetime.fromisoformat(value["lastUpdated"])
    assert created == updated  # stored once


def test_start_and_end_date_take_the_periods_within(client, stored):
    within = _json(client, stored, startDate="2026-01-15", endDate="2026-03-31")
    assert sorted(v["period"] for v in within) == ["202602", "202603"]  # January starts before
    everything = _json(client, stored, startDate="2026-01-01", endDate="2026-12-31")
    assert len(everything) == 3


def test_dates_and_periods_together_or_backwards_are_422(client, stored):
    for params in (
        {"startDate": "2026-01-01", "endDate": "2026-12-31", "period": "2026"},
        {"startDate": "2026-03-01", "endDate": "2026-01-01"},
        {"startDate": "2026-03-01"},
        {"lastUpdated": "2026-02-30"},
        {"lastUpdatedDuration": "10 days"},
        {"lastUpdated": "2026-01-01", "lastUpdatedDuration": "1d"},
        {"limit": "-1"},
    ):
        response = client.get(URL, params, **bearer(stored))
        assert response.status_code == 422, params


def test_last_updated_and_duration(client, stored):
    old = timezone.now() - datetime.timedelta(days=3)
    DataValue.objects.filter(period="202601").update(updated_at=old)
    recent = _json(client, stored, lastUpdatedDuration="2d")
    assert sorted(v["period"] for v in recent) == ["202602", "202603"]
    assert len(_json(client, stored, lastUpdatedDuration="4d")) == 3
    assert len(_json(client, stored, lastUpdatedDuration="1d12h")) == 2
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    assert len(_json(client, stored, lastUpdated=since)) == 2
    assert len(_json(client, stored, lastUpdated=old.isoformat())) == 3


def test_include_deleted_lists_what_was_deleted_and_not_stored_again(client, stored):
    deleting = data_value_set([{**_values()[0], "deleted": True}])
    assert import_file(stored, deleting).deleted == 1
    assert len(_json(client, stored)) == 2
    listed = _json(client, stored, includeDeleted="true")
    assert len(listed) == 3
    gone = [v for v in listed if v["deleted"]]
    assert [(v["period"], v["value"]) for v in gone] == [("202601", "100")]
    # A peer that syncs by lastUpdated learns of the deletion.
    assert [
        v["period"]
        for v in _json(client, stored, includeDeleted="true", lastUpdatedDuration="1h")
        if v["deleted"]
    ] == ["202601"]  # noqa: E501
    # Stored again, the key is live: its tombstone is no longer listed.
    import_file(stored, data_value_set(_values()[:1]))
    listed = _json(client, stored, includeDeleted="true")
    assert [v["deleted"] for v in listed] == [False, False, False]
    assert DeletedDataValue.objects.count() == 1


def test_deleted_values_are_scoped(client, stored, malang_manager):
    import_file(stored, data_value_set([{**_values()[0], "deleted": True}]))
    assert _json(client, malang_manager, includeDeleted="true") == []


def test_csv_has_dhis2s_deleted_column(client, stored):
    import_file(stored, data_value_set([{**_values()[0], "deleted": True}]))
    rows = list(
        csv.DictReader(
            io.StringIO(_get(client, stored, format="csv", includeDeleted="true").decode())
        )
    )  # noqa: E501
    assert [(r["period"], r["deleted"]) for r in rows] == [
        ("202602", "false"),
        ("202603", "false"),
        ("202601", "true"),
    ]
    assert {r["attributeoptioncombo"] for r in rows} == {"default"}


def test_include_deleted_is_not_for_the_xlsx_template(client, stored):
    response = client.get(URL, {"format": "xlsx", "includeDeleted": "true"}, **bearer(stored))
    assert response.status_code == 422


def test_limit_caps_the_rows(client, stored):
    import_file(stored, data_value_set([{**_values()[0], "deleted": True}]))
    assert len(_json(client, stored, limit=2)) == 2
    assert len(_json(client, stored, limit=0)) == 0
    assert len(_json(client, stored, limit=3, includeDeleted="true")) == 3
    assert len(_json(client, stored, limit=2, includeDeleted="true")) == 2


def test_exported_numbers_are_never_in_exponent_form(client, surabaya_manager, elements):
    from cegah.indicators.models import DataElement

    rupiah = DataElement.objects.get(code="EXC_TESTED")
    DataValue.objects.create(
        data_element=rupiah, period="202601", year=2026, half=1, quarter=1, month=1,
        org_unit="35.78", region_code="35.78", value=9_007_199_254_740_992,
    )  # fmt: skip
    DataValue.objects.create(
        data_element=rupiah, period="202602", year=2026, half=1, quarter=1, month=2,
        org_unit="35.78", region_code="35.78", value=0.000001,
    )  # fmt: skip
    values = {v["period"]: v["value"] for v in _json(client, surabaya_manager)}
    assert values == {"202601": "9007199254740992", "202602": "0.000001"}
