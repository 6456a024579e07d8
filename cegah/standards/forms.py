from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cegah.core.forms import number_formfield
from cegah.sites.models import SiteType

from .models import (
    LEVELS,
    MAIN_INDICATORS,
    SUPPORTING_INDICATORS,
    Assessment,
    CategoryRule,
    Component,
    Standard,
)
from .services import MAX_EVIDENCE_BYTES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StandardForm(forms.ModelForm):
    site_types = forms.MultipleChoiceField(
        label=_("Site types"),
        choices=SiteType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Standard
        fields = [
            "name_id",
            "name_en",
            "description_id",
            "description_en",
            "site_types",
            "source_id",
            "source_en",
        ]
        widgets = {
            "description_id": forms.Textarea(attrs={"rows": 2}),
            "description_en": forms.Textarea(attrs={"rows": 2}),
            "source_id": forms.Textarea(attrs={"rows": 3}),
            "source_en": forms.Textarea(attrs={"rows": 3}),
        }


class ComponentForm(forms.ModelForm):
    class Meta:
        model = Component
        formfield_callback = staticmethod(number_formfield)  # numbers as people write them
        fields = list(Component.CONTENT_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in Component.CONTENT_FIELDS
            if name.startswith(("level_", "description_"))
        }


class AssessmentForm(forms.Form):
    """The assessment's date and, per component of its standard, a level (each choice shows
    its descriptor) and an evidence note."""

    assessed_on = forms.DateField(label=_("Assessment date"), widget=DateInput())
    next_review_due = forms.DateField(
        label=_("Next review due"),
        required=False,
        widget=DateInput(),
        help_text=_("Empty: 12 months after the assessment date."),
    )
    summary = forms.CharField(
        label=_("Overall evidence note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was seen, who was met, which documents were checked."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, components, assessment: Assessment | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        scores = {}
        if assessment is not None:
            scores = {s.component_id: s for s in assessment.scores.all()}
            initial.update(
                assessed_on=assessment.assessed_on,
                next_review_due=assessment.next_review_due,
                summary=assessment.summary,
                version=assessment.version,
            )
        else:
            initial.setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, initial=initial, **kwargs)
        self.components = list(components)
        for component in self.components:
            score = scores.get(component.pk)
            self.fields[f"level_{component.code}"] = forms.TypedChoiceField(
                label=component.name,
                choices=[(level, f"{level} — {text}") for level, text in component.levels()],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=score.level if score else None,
            )
            self.fields[f"note_{component.code}"] = forms.CharField(
                label=_("Evidence note"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.note if score else "",
            )

    def component_rows(self):
        """(component, level field, note field) for the template."""
        return [(c, self[f"level_{c.code}"], self[f"note_{c.code}"]) for c in self.components]

    def levels(self) -> dict:
        return {c.code: self.cleaned_data.get(f"level_{c.code}") for c in self.components}

    def notes(self) -> dict:
        return {c.code: self.cleaned_data.get(f"note_{c.code}", "") for c in self.components}


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=_("PDF, JPEG or PNG, at most 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"}
        ),
    )
    component = forms.ChoiceField(label=_("Component"), required=False)

    def __init__(self, *args, components=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].choices = [("", _("The whole assessment"))] + [
            (c.code, c.name) for c in components
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_EVIDENCE_BYTES:  # said early; the service checks again
            raise forms.ValidationError(
                _("The file is %(size).1f MB; the limit is 10 MB.")
                % {"size": upload.size / (1024 * 1024)}
            )
        return upload


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(forms.Form):
    note = forms.CharField(
        label=_("Verifier's note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


def _year_choices():
    this_year = timezone.localdate().year
    return [(year, str(year)) for year in range(this_year, 1999, -1)]


class DrugProneForm(forms.Form):
    region_code = forms.CharField(
        label=_("Village/kelurahan code"),
        max_length=13,
        help_text=_("Kemendagri code with four parts, e.g. 35.78.01.1002."),
    )
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.instance = instance
        for name, term, label in MAIN_INDICATORS + SUPPORTING_INDICATORS:
            self.fields[name] = forms.BooleanField(label=label, required=False, help_text=term)
            self.fields[f"note_{name}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )
        if instance is not None:
            self.fields["region_code"].disabled = True
            self.fields["year"].disabled = True
            self.initial.update(
                region_code=instance.region_id, year=instance.year, version=instance.version
            )
            for name, _term, _label in MAIN_INDICATORS + SUPPORTING_INDICATORS:
                self.initial[name] = getattr(instance, name)
                self.initial[f"note_{name}"] = instance.notes.get(name, "")

    def rows(self, indicators):
        return [(self[name], self[f"note_{name}"]) for name, _term, _label in indicators]

    def main_rows(self):
        return self.rows(MAIN_INDICATORS)

    def supporting_rows(self):
        return self.rows(SUPPORTING_INDICATORS)

    def answers(self) -> dict:
        return {
            name: bool(self.cleaned_data.get(name))
            for name, _t, _l in MAIN_INDICATORS + SUPPORTING_INDICATORS
        }

    def notes(self) -> dict:
        return {
            name: self.cleaned_data.get(f"note_{name}", "")
            for name, _t, _l in MAIN_INDICATORS + SUPPORTING_INDICATORS
        }


class CategoryRuleForm(forms.Form):
    note = forms.CharField(
        label=_("Why this change, on what authority"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rule: CategoryRule, **kwargs):
        super().__init__(*args, **kwargs)
        for band in CategoryRule.BANDS:
            self.fields[f"{band}_min_main"] = forms.IntegerField(
                label=_("main indicators at least"),
                min_value=0,
                max_value=8,
                initial=getattr(rule, f"{band}_min_main"),
            )
            self.fields[f"{band}_join"] = forms.ChoiceField(
                label=_("and/or"),
                choices=CategoryRule.Join.choices,
                initial=getattr(rule, f"{band}_join"),
            )
            self.fields[f"{band}_min_supporting"] = forms.IntegerField(
                label=_("supporting indicators at least"),
                min_value=0,
                max_value=5,
                initial=getattr(rule, f"{band}_min_supporting"),
            )

    def bands(self):
        from .models import Category

        return [
            (
                Category(band).label,
                self[f"{band}_min_main"],
                self[f"{band}_join"],
                self[f"{band}_min_supporting"],
            )
            for band in CategoryRule.BANDS
        ]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in CategoryRule.FIELDS}


LEVEL_CHOICES = [(level, str(level)) for level in LEVELS]
