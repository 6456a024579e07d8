from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cegah.core.changelog import history_for

from . import services
from .forms import LoginForm, TokenForm
from .models import ApiToken


class CegahLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout(request, credentials, *args, **kwargs):
    """Shown by django-axes while a username is locked for the caller's address."""
    form = LoginForm(request, data=None)
    message = _(
        "Too many failed logins for this username from your address. Login is locked "
        "for 15 minutes; try again later or ask your admin."
    )
    return render(
        request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429
    )


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, _("You have logged out."))
    return redirect("login")


@login_required
def profile(request, token_form=None, new_secret=None):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": tokens,
            "token_form": token_form or TokenForm(),
            "new_secret": new_secret,
            "history": history_for(request.user)[:20],
        },
    )


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.create_token(
                request.user, form.cleaned_data["name"], form.cleaned_data["days"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Token %(name)s created.") % {"name": token.name})
            return profile(request, new_secret=secret)
    return profile(request, token_form=form)


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(request.user, token)
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("profile")
