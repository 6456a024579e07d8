"""Bearer personal tokens and the browser session, both acting with the user's scope."""

from ninja.security import HttpBearer, SessionAuth

from cegah.accounts.services import user_for_token


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def __call__(self, request):
        # ninja's own __call__ logs an Authorization header of another scheme in full when
        # DEBUG is on ("Unexpected auth - 'Basic …'"), credentials included. A header this
        # scheme does not take is simply not ours: nothing of it is logged.
        scheme, _space, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token:
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """Django's session with CSRF for unsafe methods, as ninja's SessionAuth does."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None
