"""Numbers as people write them (``core.numbers``): the one reader and formatter of every
human channel, and the machine reader of DHIS2's files."""

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from cegah.core import numbers
from cegah.indicators.models import DataElement
from cegah.indicators.services import parse_value

LANGUAGES = ("id", "en")
LARGEST = numbers.LARGEST_EXACT

# Every value type's numbers: whole ones (integer, rupiah, booleans as 0/1), decimals up
# to 15 significant digits (what a double keeps exactly), percentages.
wholes = st.integers(min_value=-LARGEST, max_value=LARGEST)
decimals = st.decimals(
    min_value=Decimal("-1e14"), max_value=Decimal("1e14"), places=4, allow_nan=False
).filter(lambda d: len(d.normalize().as_tuple().digits) <= 15)
percentages = st.decimals(min_value=0, max_value=100, places=2)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("3.000", "id", 3000),
        ("2,5", "id", Decimal("2.5")),
        ("1.250.000,50", "id", Decimal("1250000.50")),
        ("-1.250", "id", -1250),
        ("3,000", "en", 3000),
        ("2.5", "en", Decimal("2.5")),
        ("1,250,000.50", "en", Decimal("1250000.50")),
        ("1 250 000", "id", 1250000),
        ("\u2212" + "7", "id", -7),
        (",5", "id", Decimal("0.5")),
        ("0", "en", 0),
    ],
)
def test_reads_as_people_write(text, lang, expected):
    assert numbers.read(text, lang) == expected


def test_rupiah_and_percent_marks():
    assert numbers.read("Rp 1.250.000", "id", currency=True) == 1250000
    assert numbers.read("Rp. 1.250.000,50", "id", currency=True) == Decimal("1250000.50")
    assert numbers.read("12,5%", "id", percent=True) == Decimal("12.5")
    with pytest.raises(numbers.NumberError):
        numbers.read("Rp 5", "id")  # a currency only where one is expected


@pytest.mark.parametrize(
    ("text", "lang", "whole", "says"),
    [
        ("1.250", "en", True, "reads two ways"),  # 1.25 here, 1250 with "." grouping
        ("2,500", "id", True, "reads two ways"),
        ("2.5", "id", False, "Written the other way it would read 2,5"),
        ("1,250,000", "id", False, "1.250.000"),
        ("1000000.50", "id", False, "1.000.000,5"),
        ("12.34.567", "id", False, "Expected a number"),
        ("1e5", "en", False, "without an exponent"),
        ("abc", "id", False, "Expected a number"),
        ("", "id", False, "Expected a number"),
        ("99999999999999999999999", "id", False, "too large"),
        ("3,14159265358979323846", "id", False, "15 significant digits"),
        ("1,5", "id", True, "whole number"),
    ],
)
def test_refuses_what_it_cannot_read_one_way_and_says_why(text, lang, whole, says):
    with translation.override("en"), pytest.raises(numbers.NumberError) as refused:
        numbers.read(text, lang, whole=whole)
    assert says in str(refused.value)


def test_an_ambiguous_number_says_both_readings():
    with translation.override("en"), pytest.raises(numbers.NumberError) as refused:
        numbers.read("1.250", "en", whole=True)
    message = str(refused.value)
    assert "1.25" in message and "1250" in message and "1,250" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000000.50", Decimal("1000000.5")),
        ("1000000.0", 1000000),
        ("-3", -3),
        ("0.1", Decimal("0.1")),
    ],
)
def test_machine_text_is_read_with_a_point_and_no_grouping(text, expected):
    assert numbers.read_machine(text) == expected


@pytest.mark.parametrize(
    "text", ["1e400", "1E5", "99999999999999999999999", "1,5", "1.000.000", "0x10", "nan", "inf"]
)
def test_machine_text_refuses_exponents_grouping_and_what_a_double_cannot_hold(text):
    with pytest.raises(numbers.NumberError):
        numbers.read_machine(text)


def test_formats_as_each_language_writes():
    assert numbers.format_number(1250000.5, "id") == "1.250.000,5"
    assert numbers.format_number(1250000.5, "en") == "1,250,000.5"
    assert numbers.format_number(3000, "id") == "3.000"
    assert numbers.format_number(0.1, "id") == "0,1"
    assert numbers.format_number(-0.0, "id") == "0"
    assert numbers.format_number(2 / 3, "id", decimals=2) == "0,67"
    assert numbers.format_number(1e22, "en") == "10,000,000,000,000,000,000,000"
    assert numbers.machine_text(1e22) == "10000000000000000000000"
    assert numbers.machine_text(0.00001) == "0.00001"


@given(number=wholes, lang=st.sampled_from(LANGUAGES))
def test_a_whole_number_formatted_reads_back(number, lang):
    assert numbers.read(numbers.format_number(number, lang), lang, whole=True) == number


@given(number=decimals, lang=st.sampled_from(LANGUAGES))
def test_a_decimal_formatted_reads_back(number, lang):
    stored = float(number)  # what the value table keeps
    assert numbers.read(numbers.format_number(stored, lang), lang) == number
    assert numbers.read_machine(numbers.machine_text(stored)) == number


def _element(value_type: str) -> DataElement:
    return DataElement(code="X", value_type=value_type, aggregation="SUM", period_type="Yearly")


@given(
    value_type=st.sampled_from(["INTEGER", "RUPIAH", "NUMBER", "PERCENTAGE"]),
    whole=wholes,
    fraction=decimals,
    share=percentages,
    lang=st.sampled_from(LANGUAGES),
)
def test_every_value_type_round_trips_through_the_grid_and_files(
    value_type, whole, fraction, share, lang
):
    """What the grid shows (``format_number``) and a file sends (``machine_text``) reads
    back, through the element's own value parser, as the stored number."""
    number = {"INTEGER": whole, "RUPIAH": abs(whole), "NUMBER": fraction, "PERCENTAGE": share}[
        value_type
    ]
    stored = float(number)
    element = _element(value_type)
    assert parse_value(element, numbers.format_number(stored, lang), lang) == stored
    assert parse_value(element, numbers.machine_text(stored)) == stored


@pytest.mark.parametrize("lang", LANGUAGES)
def test_booleans_read_the_same_in_every_notation(lang):
    element = _element("BOOLEAN")
    for text, value in [("true", 1), ("F", 0), ("1", 1), ("ya", 1), ("tidak", 0)]:
        assert parse_value(element, text, lang) == value
        assert parse_value(element, text) == value
