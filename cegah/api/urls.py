from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from cegah import __version__

from .auth import ActiveSessionAuth, TokenAuth

api = NinjaAPI(
    title="Cegah API",
    version="1",
    description=(
        "P4GN prevention and community-empowerment data. Authenticate with a personal "
        "token (`Authorization: Bearer cgh_…`, created on the profile page or with "
        "`cegah token create USERNAME`) or a browser session. Every answer is limited to "
        f"the caller's jurisdiction. Server version {__version__}."
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    # Swagger UI from ninja's bundled static files (ninja is in INSTALLED_APPS), started by
    # its external init script: no CDN and no inline script, so it works offline under our CSP.
    # No validator badge: it would fetch an image from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(
        request, {"detail": "Authentication required: send a valid Bearer token."}, status=401
    )


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": exc.messages}, status=422)


@api.exception_handler(NinjaValidationError)
def _invalid_request(request, exc):
    return api.create_response(
        request, {"detail": "Invalid request.", "errors": exc.errors}, status=422
    )


# Each app adds its routes here.
from cegah.accounts.api import router as accounts_router  # noqa: E402
from cegah.analytics.api import router as analytics_router  # noqa: E402
from cegah.exchange.api import router as exchange_router  # noqa: E402
from cegah.indicators.api import router as catalogue_router  # noqa: E402
from cegah.regions.api import router as regions_router  # noqa: E402
from cegah.sites.api import router as sites_router  # noqa: E402
from cegah.standards.api import router as standards_router  # noqa: E402

api.add_router("", accounts_router)
api.add_router("", regions_router)
api.add_router("", sites_router)
api.add_router("", catalogue_router)
api.add_router("", exchange_router)
api.add_router("", standards_router)
api.add_router("", analytics_router)
