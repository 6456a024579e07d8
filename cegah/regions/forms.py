from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Office, Region


class BnnkForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Regency/city"),
        queryset=Region.objects.filter(level=Region.Level.REGENCY).order_by("code"),
        to_field_name="code",
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Leave empty for the standard name, e.g. BNNK Kota Batu."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)


class OfficeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Office
        fields = ["name", "address"]
