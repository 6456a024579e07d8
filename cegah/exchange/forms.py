from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from . import parsers, services


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "DHIS2 dataValueSets JSON, DHIS2 CSV or the XLSX template of a data set; "
            "at most %(limit)s MB."
        )
        % {"limit": settings.CEGAH_IMPORT_MAX_MB},
    )
    dry_run = forms.BooleanField(label=_("Dry run: check and count, write nothing"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > services.max_bytes():
            raise forms.ValidationError(services.too_large_conflict(upload.size).value)
        head = upload.read(16)
        upload.seek(0)
        try:
            parsers.detect_format(head, upload.name, upload.content_type)
        except parsers.FileProblem as problem:
            raise forms.ValidationError(problem.conflict.value) from None
        return upload
