from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Wrong username or password. After 5 failed attempts the login is "
            "locked for 15 minutes."
        ),
        "inactive": _("This account is inactive."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username")
        self.fields["password"].label = _("Password")


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What uses it, e.g. 'DHIS2 sync script'."),
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=366,
        initial=settings.CEGAH_API_TOKEN_DAYS,
    )


class UserForm(forms.Form):
    """Create or edit a user; the office and site choices are limited to the actor's scope."""

    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        help_text=_("Letters, digits and . @ + - _ only."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    position = forms.CharField(label=_("Position"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    office = forms.ModelChoiceField(
        label=_("Office"), queryset=None, required=False, to_field_name="code"
    )
    site = forms.ModelChoiceField(label=_("Site (focal point only)"), queryset=None, required=False)
    field_prevention = forms.BooleanField(label=_("Pencegahan"), required=False)
    field_empowerment = forms.BooleanField(label=_("Pemberdayaan Masyarakat"), required=False)
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_(
            "At least 8 characters, not only digits. Leave empty to keep the current password."
        ),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, actor, instance=None, **kwargs):
        from cegah.core.scope import Roles, scope_for, scoped
        from cegah.regions.models import Office
        from cegah.sites.models import Site

        from .models import User

        super().__init__(*args, **kwargs)
        self.instance = instance
        scope = scope_for(actor)
        offices = Office.objects.filter(active=True).order_by("code")
        if not scope.everything:
            offices = offices.filter(scope.region_q("region__code"))
        self.fields["office"].queryset = offices
        self.fields["site"].queryset = scoped(actor, Site).order_by("name")
        roles = User.Role.choices
        if actor.role != Roles.NATIONAL_ADMIN:
            roles = [
                (v, label)
                for v, label in roles
                if v in (Roles.OFFICER, Roles.FOCAL_POINT, Roles.VIEWER)
            ]
        self.fields["role"].choices = roles
        if instance is not None:
            self.fields["username"].disabled = True
            for name in self.fields:
                if name not in ("password",):
                    value = getattr(instance, name, None)
                    self.initial[name] = value.code if name == "office" and value else value
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = _("At least 8 characters, not only digits.")

    def clean_username(self):
        from .models import User

        username = self.cleaned_data["username"]
        if self.instance is None and User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username
