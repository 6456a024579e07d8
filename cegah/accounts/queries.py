"""Reads of users, through the scope: a manager sees the users of offices in their jurisdiction."""

from django.db.models import Q, QuerySet

from cegah.core.scope import get_scoped_or_404, scoped

from .models import User


def user_list(actor, *, q: str = "", role: str = "", office: str = "") -> QuerySet:
    users = scoped(actor, User).select_related("office", "site")
    if q:
        users = users.filter(
            Q(username__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
        )
    if role:
        users = users.filter(role=role)
    if office:
        users = users.filter(office__code=office)
    return users.order_by("username")


def user_detail(actor, pk) -> User:
    return get_scoped_or_404(actor, User.objects.select_related("office", "site"), pk=pk)
