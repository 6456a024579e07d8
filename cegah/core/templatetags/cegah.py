from django import template

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
