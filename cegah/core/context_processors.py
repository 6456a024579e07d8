from .scope import scope_for


def shell(request):
    """What the page header needs: the user's office and jurisdiction."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from cegah.regions.queries import jurisdiction_label

    return {"user_scope": scope_for(user), "jurisdiction": jurisdiction_label(user)}
