from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

from cegah.core import numbers

register = template.Library()


@register.filter
def control(field):
    """Render a bound field's widget with Tabler's class and aria-invalid when it has errors."""
    css = "form-select" if field.widget_type in ("select", "selectmultiple") else "form-control"
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
    if field.help_text:
        attrs["aria-describedby"] = f"{field.id_for_label}_help"
    return field.as_widget(attrs=attrs)


@register.filter
def number(value, decimals=None):
    """A number as people write it in the active language (``numbers.format_number``):
    ``{{ value|number }}`` every digit it has, ``{{ value|number:2 }}`` rounded to two
    places, ``{{ value|number:"-2" }}`` to at most two (no trailing zeros). Thousands are
    grouped, so ``numbers.read`` reads the text back. Empty for None or a non-number."""
    if value is None or value == "":
        return ""
    try:
        places = int(decimals) if decimals not in (None, "") else None
        exact = numbers.exact(value)
        if not exact.is_finite():
            return ""
        if places is not None and places < 0:
            exact = exact.quantize(Decimal(1).scaleb(places), rounding=ROUND_HALF_UP)
            return numbers.format_number(exact)
        return numbers.format_number(exact, decimals=places)
    except (TypeError, ValueError, InvalidOperation):
        return ""
