from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.forms import number_formfield
from cegah.core.versioning import ConflictError

from .models import Site


class SiteForm(forms.ModelForm):
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=13,
        help_text=_("Kemendagri code, as deep as known, e.g. 35.78 or 35.78.01.1001."),
    )
    # Typed as text: the service reads a decimal comma too and gives the range message.
    latitude = forms.CharField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        help_text=_("Decimal degrees, south negative, e.g. -7.265. Leave empty if unknown."),
    )
    longitude = forms.CharField(
        label=_("Longitude"),
        required=False,
        max_length=20,
        help_text=_("Decimal degrees east, e.g. 112.752."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Site
        formfield_callback = staticmethod(number_formfield)  # numbers as people write them
        fields = [
            "name",
            "site_type",
            "official_id",
            "address",
            "population_served",
            "population_kind",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["region_code"].initial = self.instance.region_id
            self.fields["version"].initial = self.instance.version
            for name in ("latitude", "longitude"):
                value = getattr(self.instance, name)
                self.fields[name].initial = "" if value is None else f"{value.normalize():f}"
        self.order_fields(
            [
                "name",
                "site_type",
                "region_code",
                "official_id",
                "address",
                "latitude",
                "longitude",
                "population_served",
                "population_kind",
            ]
        )

    def clean(self):
        data = super().clean()
        # An edit that does not say which version it was loaded at cannot be checked for a
        # conflict; it must not silently overwrite what is stored now.
        if self.instance.pk and data.get("version") is None:
            raise forms.ValidationError(ConflictError.message)
        return data

    def _post_clean(self):
        # The service checks the whole site (region, identifier per type, coordinates,
        # uniqueness) with the region the form cannot put on the instance; checking the
        # half-built instance here would only repeat those checks without the region.
        pass


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("Use the template: one site per row, Indonesian column headers."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only (dry run): report what would change, write nothing"),
        required=False,
    )
