from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.forms import number_formfield
from cegah.core.versioning import ConflictError

from .models import DataElement, Indicator
from .services_catalogue import ELEMENT_FIELDS, INDICATOR_FIELDS


class _CatalogueForm(forms.ModelForm):
    """Create: the code is typed once. Edit: the code is fixed (expressions and imports
    name it) and the version loaded is sent back for the conflict check."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["code"]
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
        for name in ("definition_id", "definition_en"):
            self.fields[name].widget.attrs["rows"] = 3

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("version") is None:
            raise forms.ValidationError(ConflictError.message)
        return data

    def _post_clean(self):
        # Validation is the service's job (one rule for the page, the API and imports);
        # the ModelForm must not copy values onto the instance the view passes on.
        pass

    def values(self) -> dict:
        fields = self.Meta.editable
        return {name: self.cleaned_data[name] for name in fields}


class DataElementForm(_CatalogueForm):
    class Meta:
        formfield_callback = staticmethod(number_formfield)  # numbers as people write them
        model = DataElement
        fields = ["code", *ELEMENT_FIELDS]
        editable = ELEMENT_FIELDS


class IndicatorForm(_CatalogueForm):
    class Meta:
        formfield_callback = staticmethod(number_formfield)  # numbers as people write them
        model = Indicator
        fields = ["code", *INDICATOR_FIELDS]
        editable = INDICATOR_FIELDS
        widgets = {
            "numerator": forms.TextInput(
                attrs={"class": "code", "placeholder": "#{URINE_POSITIVE}"}
            ),
            "denominator": forms.TextInput(
                attrs={"class": "code", "placeholder": "#{URINE_TESTED}"}
            ),
        }
        help_texts = {
            "numerator": _(
                "Data element codes as #{CODE}, numbers, + − × ÷ and parentheses, e.g. "
                "#{URINE_POSITIVE}."
            ),
            "denominator": _("The same; 1 for a plain count."),
            "factor": _("100 for a percentage."),
        }
