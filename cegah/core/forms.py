from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError, field_map: dict[str, str] | None = None):
    """Put a service's ValidationError on the form: field errors by field, the rest on top."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = field_map.get(field, field)
        form.add_error(name if name in form.fields else None, errors)
