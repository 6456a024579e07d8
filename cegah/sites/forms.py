from django import forms
from django.utils.translation import gettext_lazy as _

from cegah.core.versioning import ConflictError

from .models import Site


class SiteForm(forms.ModelForm):
    region_code = forms.CharField(
        label=_("Region code"),
        max_length=13,
        help_text=_("Kemendagri code, as deep as known, e.g. 35.78 or 35.78.01.1001."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Site
        fields = ["name", "site_type", "official_id", "address", "population_served"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["region_code"].initial = self.instance.region_id
            self.fields["version"].initial = self.instance.version
        self.order_fields(["name", "site_type", "region_code"])

    def clean(self):
        data = super().clean()
        # An edit that does not say which version it was loaded at cannot be checked for a
        # conflict; it must not silently overwrite what is stored now.
        if self.instance.pk and data.get("version") is None:
            raise forms.ValidationError(ConflictError.message)
        return data
