"""One settings module, configured by CEGAH_* environment variables with embedded defaults.

CEGAH_DATABASE_URL   database URL; default: SQLite file $CEGAH_DATA_DIR/cegah.sqlite3 (WAL)
CEGAH_DATA_DIR       where the SQLite file, uploads and other state live; default ./var
CEGAH_SECRET_KEY     required when CEGAH_DEBUG=0
CEGAH_DEBUG          1 (default, for the embedded demo) or 0 (production)
CEGAH_ALLOWED_HOSTS  comma-separated host names; default: localhost names when debugging
CEGAH_IMPORT_MAX_MB  largest data file an import accepts, in MB; default 50
CEGAH_DHIS2_DEFAULT_COC  the DHIS2 id a file may give the default category option combo;
                     default HllvX50cXC0 (DHIS2's own)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


DATA_DIR = Path(os.environ.get("CEGAH_DATA_DIR", "var")).resolve()
DEBUG = _env_bool("CEGAH_DEBUG", True)

# The development key is public; production refuses to start with it or without a key.
DEVELOPMENT_SECRET_KEY = "cegah-development-key-not-for-production"  # noqa: S105
SECRET_KEY = os.environ.get("CEGAH_SECRET_KEY", "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "CEGAH_SECRET_KEY must be set to a long random value when CEGAH_DEBUG=0 "
        '(for example: python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY

_hosts = os.environ.get("CEGAH_ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()] or (
    ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its templates and static swagger-ui: the API docs load nothing from a CDN
    "cegah.core",
    "cegah.regions",
    "cegah.accounts",
    "cegah.sites",
    "cegah.standards",
    "cegah.indicators",
    "cegah.exchange",
    "cegah.analytics",
    "cegah.api",
    "cegah.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cegah.core.middleware.RequestIdMiddleware",
    "cegah.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cegah.core.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cegah.urls"
WSGI_APPLICATION = "cegah.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cegah.core.context_processors.shell",
            ],
        },
    }
]

_default_sqlite = f"sqlite:///{DATA_DIR / 'cegah.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("CEGAH_DATABASE_URL") or _default_sqlite, conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            ),
            "transaction_mode": "IMMEDIATE",
        }
    )
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("CEGAH_TEST_SQLITE") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "cegah.accounts.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cegah.accounts.views.lockout"
AXES_VERBOSE = False

# Idle sessions end after 8 hours: the expiry moves forward on every request.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = _env_bool("CEGAH_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts anywhere, in development as in production, so tests see what users get.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"axes": {"level": "WARNING"}},
}

CEGAH_API_TOKEN_DAYS = int(os.environ.get("CEGAH_API_TOKEN_DAYS", "90"))

# Background work (imports): Django's tasks API with the database backend; `cegah worker`
# runs them, and `cegah serve` / `cegah demo` start one beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Largest file an import accepts (page, API, command).
CEGAH_IMPORT_MAX_MB = int(os.environ.get("CEGAH_IMPORT_MAX_MB", "50"))
# The DHIS2 id of the default category option combo a peer's file may carry (besides
# "default" and an empty cell).
CEGAH_DHIS2_DEFAULT_COC = os.environ.get("CEGAH_DHIS2_DEFAULT_COC", "HllvX50cXC0").strip()
