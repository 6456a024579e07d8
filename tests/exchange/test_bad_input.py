"""Bad input: each gets a clear conflict list naming where, and nothing is written."""

import io
import zipfile

import pytest

from cegah.core.models import ChangeLog
from cegah.exchange.services import import_file
from cegah.indicators.models import DataValue
from tests.exchange.conftest import SURABAYA_VALUES, data_value_set, dhis2_csv


def _refused(result, where=None):
    answer = result.as_dict()
    assert answer["status"] == "ERROR"
    assert answer["importCount"]["imported"] == answer["importCount"]["updated"] == 0
    assert DataValue.objects.count() == 0
    assert not ChangeLog.objects.filter(object_type="indicators.datavalue").exists()
    if where is not None:
        assert [c["object"] for c in answer["conflicts"]] == where
    return answer["conflicts"]


def test_wrong_types(surabaya_manager, elements):
    values = [
        {"dataElement": "EXC_TESTED", "period": "202601", "orgUnit": "35.78", "value": "12.5"},
        {"dataElement": "EXC_SHARE", "period": "2026Q1", "orgUnit": "35.78", "value": "140"},
        {"dataElement": "EXC_PERDA", "period": "2026", "orgUnit": "35.78", "value": "mungkin"},
        {"dataElement": "EXC_POSITIVE", "period": "202601", "orgUnit": "35.78", "value": []},
        {"dataElement": 17, "period": "202601", "orgUnit": "35.78", "value": "1"},
        "not an object",
    ]
    conflicts = _refused(
        import_file(surabaya_manager, data_value_set(values)),
        [f"dataValues[{i}]" for i in range(6)],
    )
    messages = [c["value"] for c in conflicts]
    assert "whole number" in messages[0]
    assert "percentage" in messages[1]
    assert "yes/no" in messages[2]
    assert messages[3] == "value must be a number or text."
    assert messages[4] == "dataElement must be text."
    assert messages[5] == "Each data value must be an object."


def test_unknown_codes(surabaya_manager, elements):
    values = [
        {**SURABAYA_VALUES[0], "dataElement": "NO_SUCH_ELEMENT"},
        {**SURABAYA_VALUES[0], "orgUnit": "99.99"},
        {**SURABAYA_VALUES[0], "orgUnit": "S-NOPE-0001"},
        {**SURABAYA_VALUES[2], "categoryOptionCombo": "X"},
        {**SURABAYA_VALUES[0], "dataElement": "EXC_DERIVED"},
    ]
    conflicts = _refused(import_file(surabaya_manager, data_value_set(values)))
    assert "Unknown data element NO_SUCH_ELEMENT" in conflicts[0]["value"]
    assert "99.99 is unknown" in conflicts[1]["value"]
    assert "S-NOPE-0001 is unknown" in conflicts[2]["value"]
    assert "X does not apply" in conflicts[3]["value"]
    assert "derived" in conflicts[4]["value"]


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026Q5", "quarter must be Q1 to Q4"),
        ("202613", "month must be 01 to 12"),
        ("26Q1", "is not a period"),
        ("2026Q1", "reported per monthly period"),
    ],
)
def test_invalid_periods(surabaya_manager, elements, period, message):
    csv = dhis2_csv([("EXC_TESTED", period, "35.78", "", "5")])
    conflicts = _refused(import_file(surabaya_manager, csv, filename="x.csv"), ["row 2"])
    assert message in conflicts[0]["value"]


def test_duplicate_rows_within_one_file(surabaya_manager, elements):
    csv = dhis2_csv(
        [
            ("EXC_TESTED", "202601", "35.78", "", "5"),
            ("EXC_POSITIVE", "202601", "35.78", "", "1"),
            ("exc_tested", "202601", " 35.78", "default", "6"),
        ]
    )
    conflicts = _refused(import_file(surabaya_manager, csv, filename="x.csv"), ["row 4"])
    assert conflicts[0]["value"] == "Duplicate of row 2 in the same file."


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "empty.csv"),
        (b"  \r\n\r\n", "blank.csv"),
        (
            b"dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value\n",
            "header-only.csv",
        ),
        (b'{"dataValues": []}', "empty.json"),
        (b"", "empty.json"),
    ],
)
def test_empty_file(surabaya_manager, elements, data, filename):
    conflicts = _refused(import_file(surabaya_manager, data, filename=filename), ["file"])
    assert "empty" in conflicts[0]["value"]


def test_non_utf8_csv_says_which_byte_where(surabaya_manager, elements):
    data = "EXC_TESTED,202601,35.78,,,5,,,Café Surabaya,\n".encode("cp1252")
    data = dhis2_csv([("EXC_POSITIVE", "202601", "35.78", "", "1")]) + data

    conflicts = _refused(import_file(surabaya_manager, data, filename="x.csv"), ["line 3"])

    message = conflicts[0]["value"]
    assert "not UTF-8" in message
    assert "0xE9" in message
    assert "line 3, column 34" in message
    assert "Windows-1252" in message


def test_utf16_csv_is_named(surabaya_manager, elements):
    data = dhis2_csv([("EXC_TESTED", "202601", "35.78", "", "5")]).decode().encode("utf-16")
    conflicts = _refused(import_file(surabaya_manager, data, filename="x.csv"), ["file"])
    assert "UTF-16" in conflicts[0]["value"]


def test_file_that_claims_to_be_xlsx_and_is_not(surabaya_manager, elements):
    csv = dhis2_csv([("EXC_TESTED", "202601", "35.78", "", "5")])
    conflicts = _refused(import_file(surabaya_manager, csv, filename="laporan.xlsx"), ["file"])
    assert "claims to be an XLSX workbook but is not" in conflicts[0]["value"]

    by_type = import_file(
        surabaya_manager,
        csv,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    _refused(by_type, ["file"])


def test_zip_that_is_not_a_workbook(surabaya_manager, elements):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    conflicts = _refused(
        import_file(surabaya_manager, buffer.getvalue(), filename="laporan.xlsx"), ["file"]
    )
    assert "not an XLSX workbook" in conflicts[0]["value"]


def test_workbook_sent_as_csv_is_named(surabaya_manager, elements):
    conflicts = _refused(
        import_file(surabaya_manager, b"PK\x03\x04rest-of-a-zip", filename="data.csv"), ["file"]
    )
    assert "ZIP archive" in conflicts[0]["value"]


def test_file_over_the_size_limit(surabaya_manager, elements, settings):
    settings.CEGAH_IMPORT_MAX_MB = 1
    rows = [("EXC_TESTED", f"2026{m:02d}", "35.78", "", "5", "x" * 400) for m in range(1, 13)]
    data = dhis2_csv(rows) * 250  # ~1.2 MB
    conflicts = _refused(import_file(surabaya_manager, data, filename="big.csv"), ["file"])
    assert "the limit is 1 MB" in conflicts[0]["value"]


def test_malformed_json_names_line_and_column(surabaya_manager, elements):
    data = b'{"dataValues": [\n  {"dataElement": "EXC_TESTED", "value": 1}\n  {"x": 2}\n]}'
    conflicts = _refused(
        import_file(surabaya_manager, data, filename="x.json"), ["line 3, column 3"]
    )
    assert conflicts[0]["value"].startswith("Malformed JSON at line 3, column 3: Expecting")


def test_json_that_is_not_a_data_value_set(surabaya_manager, elements):
    conflicts = _refused(import_file(surabaya_manager, b"[1, 2]", filename="x.json"), ["file"])
    assert "dataValues" in conflicts[0]["value"]


def test_csv_row_with_too_few_columns(surabaya_manager, elements):
    data = b"EXC_TESTED,202601,35.78,,,5\nEXC_POSITIVE,202601\n"
    conflicts = _refused(import_file(surabaya_manager, data, filename="x.csv"), ["row 2"])
    assert "Expected at least 6 columns" in conflicts[0]["value"]


def test_nul_characters_are_refused_before_the_database(surabaya_manager, elements):
    csv = b"EXC_TESTED,202601,35.78,,,5,,,ko\x00mentar,\n"
    _refused(import_file(surabaya_manager, csv, filename="x.csv"), ["line 1"])
    document = data_value_set([{**SURABAYA_VALUES[0], "comment": "ko\u0000mentar"}])
    _refused(import_file(surabaya_manager, document), ["dataValues[0]"])


def test_every_problem_of_a_file_is_listed_at_once(surabaya_manager, elements):
    """Reading problems and value problems together, in row order."""
    data = b"EXC_TESTED,202601,35.78,,,x\nEXC_TESTED\nEXC_POSITIVE,202613,35.78,,,1\n"
    conflicts = _refused(import_file(surabaya_manager, data, filename="x.csv"))
    assert [c["object"] for c in conflicts] == ["row 1", "row 2", "row 3"]


def test_unsupported_attribute_option_combo(surabaya_manager, elements):
    data = b"EXC_TESTED,202601,35.78,,FUNDING_A,5\n"
    conflicts = _refused(import_file(surabaya_manager, data, filename="x.csv"), ["row 1"])
    assert "attributeOptionCombo FUNDING_A" in conflicts[0]["value"]
