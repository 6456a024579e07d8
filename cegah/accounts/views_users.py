"""User administration pages: national admins manage everyone, managers their jurisdiction."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cegah.core.changelog import history_for
from cegah.core.forms import add_service_errors
from cegah.core.pagination import paginate, query_without_page

from . import queries, services
from .forms import UserForm
from .models import User

# What the form sets on create and edit; "is_active" only on edit (a new user is active).
PROFILE_FIELDS = tuple(f for f in services.EDITABLE_USER_FIELDS if f != "is_active")


@login_required
def user_list(request):
    filters = {k: request.GET.get(k, "").strip() for k in ("q", "role", "office")}
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(request, queries.user_list(request.user, **filters)),
            "filters": filters,
            "query": query_without_page(request),
            "roles": User.Role.choices,
            "can_manage": services.can_manage_users(request.user),
        },
    )


@login_required
def user_detail(request, pk):
    person = queries.user_detail(request.user, pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "history": history_for(person)[:50],
            "can_manage": services.can_manage(request.user, person),
        },
    )


@login_required
def user_create(request):
    if not services.can_manage_users(request.user):
        raise PermissionDenied
    form = UserForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.create_user(
                request.user,
                username=data["username"],
                password=data["password"],
                **{k: data[k] for k in PROFILE_FIELDS},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s saved.") % {"name": person.username})
            return redirect("user-detail", pk=person.pk)
    return render(request, "accounts/user_form.html", {"form": form, "title": _("New user")})


@login_required
def user_edit(request, pk):
    person = queries.user_detail(request.user, pk)
    if not services.can_manage(request.user, person):
        raise PermissionDenied
    form = UserForm(request.POST or None, actor=request.user, instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_user(
                request.user,
                person,
                is_active=data["is_active"],
                **{k: data[k] for k in PROFILE_FIELDS},
            )
            if data["password"]:
                services.set_password(request.user, person, data["password"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("User %(name)s saved.") % {"name": person.username})
            return redirect("user-detail", pk=person.pk)
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "person": person, "title": person.username},
    )
