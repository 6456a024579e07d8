import decimal

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

from . import numbers


def add_service_errors(form, exc: ValidationError, field_map: dict[str, str] | None = None):
    """Put a service's ValidationError on the form: field errors by field, the rest on top."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        name = field_map.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


class NumberField(forms.Field):
    """A number typed by a person, read in the active language by ``core.numbers.read``
    (Indonesian: ``3.000`` is three thousand, ``2,5`` two and a half) and shown back the
    same way: the one reader of every form's numbers. ``kind``: ``int``, ``float`` or
    ``Decimal`` — what ``clean`` returns."""

    widget = forms.TextInput

    def __init__(self, *, kind=float, min_value=None, max_value=None, **kwargs):
        self.kind, self.min_value, self.max_value = kind, min_value, max_value
        kwargs.pop("max_digits", None), kwargs.pop("decimal_places", None)
        kwargs.pop("step_size", None)
        super().__init__(**kwargs)
        if min_value is not None:
            self.validators.append(validators.MinValueValidator(min_value))
        if max_value is not None:
            self.validators.append(validators.MaxValueValidator(max_value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update(inputmode="numeric" if self.kind is int else "decimal", autocomplete="off")
        return attrs

    def prepare_value(self, value):
        if isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
            return numbers.format_number(value)
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
            number = numbers.exact(value)
        else:
            try:
                number = numbers.read(str(value), whole=self.kind is int)
            except numbers.NumberError as exc:
                raise ValidationError(str(exc), code="invalid") from None
        if self.kind is int:
            return int(number)
        return number if self.kind is decimal.Decimal else float(number)


def number_formfield(model_field, **kwargs):
    """A ModelForm's ``formfield_callback``: the model's number fields become
    ``NumberField``s (so they read as people write them); others are Django's own."""
    kinds = (
        (models.DecimalField, decimal.Decimal),
        (models.FloatField, float),
        (models.IntegerField, int),
    )
    for field_class, kind in kinds:
        if isinstance(model_field, field_class) and not model_field.choices:
            defaults = {
                "required": not model_field.blank,
                "label": capfirst(model_field.verbose_name),
                "help_text": model_field.help_text,
                "kind": kind,
            }
            for validator in model_field.validators:
                if isinstance(validator, validators.MinValueValidator):
                    defaults["min_value"] = validator.limit_value
                elif isinstance(validator, validators.MaxValueValidator):
                    defaults["max_value"] = validator.limit_value
            defaults.update(kwargs)
            for name in ("form_class", "choices_form_class"):
                defaults.pop(name, None)
            return NumberField(**defaults)
    return model_field.formfield(**kwargs)
