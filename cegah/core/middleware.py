"""Every request gets an id, carried into the change log and the response headers."""

import re
import uuid

from . import context

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = context.request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            context.request_id.reset(token)
        response["X-Request-ID"] = request_id
        return response


class DefaultLanguageMiddleware:
    """Bahasa Indonesia unless the user chose otherwise (the language cookie set by the
    switch). The browser's Accept-Language is not consulted: many office PCs run an
    English browser, and DESIGN §5 makes Indonesian the default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class RejectNulMiddleware:
    """A NUL character in the query string or a form field is never valid input; PostgreSQL
    refuses it in text, so answer 400 before any view tries to use it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponseBadRequest

        if request.path.startswith("/api/"):  # the API validates its input itself (422)
            return self.get_response(request)
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            return HttpResponseBadRequest("NUL characters are not allowed in the address.")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if any("\x00" in v for values in request.POST.lists() for v in values[1]):
                return HttpResponseBadRequest("NUL characters are not allowed in form fields.")
        return self.get_response(request)
