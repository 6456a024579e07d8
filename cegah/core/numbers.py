"""Numbers as people write them, and as machines do (DESIGN §5).

One reader and one formatter for every human channel — the entry grid, forms, XLSX cells
that hold text, CSV files written by spreadsheets with ``;`` — and one strict reader for
the machine channels (DHIS2 JSON and CSV, the API).

- Indonesian: ``.`` groups thousands and ``,`` is the decimal mark (``3.000`` is three
  thousand, ``2,5`` two and a half, ``Rp 1.250.000,50``). English: the reverse.
- Input that does not read in the session's language but does in the other one, or that
  reads as a fraction where a whole number is expected while the other way it is whole,
  is refused with a message saying how it would have been read: a number is never stored
  as anything but what its sender meant.
- Machine text: ``.`` is the decimal mark, no grouping, no exponent (``1000000.50``).
- Every number is kept exactly: integers within ±2^53 (what a double holds exactly) and
  decimals that a double gives back digit for digit (up to 15 significant digits).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

MACHINE = "machine"
INDONESIAN, ENGLISH = "id", "en"
# (decimal mark, group mark) per language
_MARKS = {INDONESIAN: (",", "."), ENGLISH: (".", ",")}
LARGEST_EXACT = 2**53  # every integer up to this is exact in a double
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")
_MINUSES = ("-", "\u2212", "\u2013")  # hyphen-minus, minus sign, en dash (Word's "minus")
_MACHINE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# Machine text of at most 15 digits: always exact in a double, no further check needed.
MACHINE_SHORT = re.compile(r"-?(?=[\d.]{1,15}$)\d*\.?\d+")
_BODY = re.compile(r"[\d.,]+")
_EXPONENT = re.compile(r"[\d.,]+[eE][+-]?\d+")


class NumberError(ValueError):
    """Text that is not a number as expected; the message says why, for the user."""


def language(code: str | None = None) -> str:
    """``id`` or ``en`` for a language code (the active language when None)."""
    code = (code if code is not None else get_language()) or INDONESIAN
    return ENGLISH if code.lower().startswith("en") else INDONESIAN


# ---------------------------------------------------------------------------------------
# Reading


def read_machine(text: str, *, whole: bool = False) -> Decimal:
    """A number written the machine way (``.`` decimal, no grouping, no exponent)."""
    raw = (text or "").strip()
    if not _MACHINE.fullmatch(raw):
        if _EXPONENT.fullmatch(raw.lstrip("+-")):
            raise NumberError(
                _("%(text)s: write the number in full, without an exponent.") % {"text": raw}
            )
        if raw and _looks_grouped(raw):
            raise NumberError(
                _(
                    "%(text)s: write numbers without thousands separators and with a point "
                    "as the decimal mark (for example 1250000.5)."
                )
                % {"text": raw}
            )
        raise NumberError(_("Expected a number."))
    number = Decimal(raw)
    return _checked(number, raw, whole)


def _looks_grouped(raw: str) -> bool:
    return bool(re.fullmatch(r"[+-]?[\d.,\s]+", raw)) and "," in raw


def read(
    text: str,
    lang: str | None = None,
    *,
    whole: bool = False,
    currency: bool = False,
    percent: bool = False,
) -> Decimal:
    """A number as a person writes it in ``lang`` (``id``/``en``; the active language
    when None), or ``NumberError`` with a message in the active language.

    ``currency``: a leading ``Rp`` is allowed. ``percent``: a trailing ``%`` is allowed.
    Spaces (also non-breaking ones) are ignored, so ``1 250 000`` reads too.
    """
    lang = language(lang)
    raw = (text or "").strip()
    body = raw.translate(_SPACES)
    if currency and body[:2].lower() == "rp":
        body = body[2:].lstrip(".")
    if percent and body.endswith("%"):
        body = body[:-1]
    negative = False
    if body[:1] in _MINUSES:
        negative, body = True, body[1:]
    elif body[:1] == "+":
        body = body[1:]
    if not body or not _BODY.fullmatch(body) or not any(c.isdigit() for c in body):
        if _EXPONENT.fullmatch(body):
            raise NumberError(
                _("%(text)s: write the number in full, without an exponent.") % {"text": raw}
            )
        raise NumberError(_("Expected a number."))
    decimal_mark, group_mark = _MARKS[lang]
    here = _interpret(body, decimal_mark, group_mark)
    other = _interpret(body, group_mark, decimal_mark)
    if negative:
        here = -here if here is not None else None
        other = -other if other is not None else None
    if here is None:
        if other is not None:
            raise NumberError(_misread(raw, lang, other))
        raise NumberError(_("Expected a number."))
    if whole and here != here.to_integral_value():
        if other is not None and other == other.to_integral_value():
            raise NumberError(_two_ways(raw, lang, here, other))
        raise NumberError(_("Expected a whole number."))
    return _checked(here, raw, whole)


def _interpret(body: str, decimal_mark: str, group_mark: str) -> Decimal | None:
    """``body`` (digits and marks only) read with these marks, or None if it does not
    read that way: at most one decimal mark, groups of three after the first."""
    whole_part, mark, fraction = body.partition(decimal_mark)
    if decimal_mark in fraction or group_mark in fraction:
        return None
    if mark and not fraction:
        return None
    if group_mark in whole_part:
        groups = whole_part.split(group_mark)
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        if not all(g.isdigit() for g in groups):
            return None
        whole_part = "".join(groups)
    elif whole_part and not whole_part.isdigit():
        return None
    if not whole_part and not fraction:
        return None
    return Decimal(f"{whole_part or '0'}.{fraction}" if fraction else whole_part)


def _language_name(lang: str) -> str:
    return _("Indonesian") if lang == INDONESIAN else _("English")


def _misread(raw: str, lang: str, other: Decimal) -> str:
    decimal_mark, group_mark = _MARKS[lang]
    return _(
        "%(text)s is not a number as written in %(language)s, where “%(group)s” groups "
        "thousands and “%(decimal)s” is the decimal mark. Written the other way it would "
        "read %(other)s: if that is what you meant, type %(other)s."
    ) % {
        "text": raw,
        "language": _language_name(lang),
        "group": group_mark,
        "decimal": decimal_mark,
        "other": format_number(other, lang),
    }


def _two_ways(raw: str, lang: str, here: Decimal, other: Decimal) -> str:
    decimal_mark, _group = _MARKS[lang]
    return _(
        "%(text)s reads two ways: in %(language)s “%(decimal)s” is the decimal mark, so it "
        "reads %(here)s, which is not a whole number; with “%(decimal)s” grouping "
        "thousands it would read %(other)s. If you meant %(other)s, type %(typed)s."
    ) % {
        "text": raw,
        "language": _language_name(lang),
        "decimal": decimal_mark,
        "here": format_number(here, lang),
        "other": format_number(other, lang, grouping=False),
        "typed": format_number(other, lang),
    }


def _checked(number: Decimal, raw: str, whole: bool) -> Decimal:
    """The number if it can be kept exactly (and is whole when it must be)."""
    if whole and number != number.to_integral_value():
        raise NumberError(_("Expected a whole number."))
    if abs(number) > LARGEST_EXACT:
        raise NumberError(
            _("%(text)s is too large: Cegah keeps numbers up to %(max)s exactly.")
            % {"text": raw, "max": format_number(LARGEST_EXACT)}
        )
    if number != number.to_integral_value() and Decimal(repr(float(number))) != number:
        raise NumberError(
            _(
                "%(text)s has more digits than Cegah can keep exactly (15 significant "
                "digits); round it."
            )
            % {"text": raw}
        )
    return number


# ---------------------------------------------------------------------------------------
# Writing


def exact(value) -> Decimal:
    """A stored number (a float, an int, a Decimal) as the Decimal it means: a float's
    shortest text, so 0.1 is 0.1."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(float(value)))


def format_number(
    value, lang: str | None = None, *, decimals: int | None = None, grouping: bool = True
) -> str:
    """``value`` as a person reads it in ``lang`` (the active language when None):
    ``1.250.000,5`` in Indonesian, ``1,250,000.5`` in English. ``decimals``: rounded to
    that many places (half up); otherwise every digit the value has. ``read`` gives back
    the same number."""
    if value is None:
        return ""
    lang = language(lang)
    number = exact(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = machine_text(number)
    sign = "-" if text.startswith("-") else ""
    digits, _point, fraction = text.lstrip("-").partition(".")
    if decimals is not None and decimals > 0:
        fraction = fraction.ljust(decimals, "0")
    decimal_mark, group_mark = _MARKS[lang]
    if grouping and len(digits) > 3:
        head = len(digits) % 3 or 3
        digits = group_mark.join(
            [digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))]
        )
    if sign and not digits.strip("0" + group_mark) and not fraction.strip("0"):
        sign = ""  # no "-0"
    return f"{sign}{digits}{decimal_mark}{fraction}" if fraction else f"{sign}{digits}"


def machine_text(value) -> str:
    """``value`` the machine way: ``.`` decimal mark, no grouping, no exponent, no
    trailing zeros (``1000000.5``, ``3``)."""
    number = exact(value)
    if not number:
        return "0"
    whole = number.to_integral_value()
    return f"{whole:f}" if number == whole else f"{number.normalize():f}"
