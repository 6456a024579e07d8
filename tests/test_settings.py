"""Settings from the environment: production refuses to start without a real secret key,
passes Django's deployment checks, defaults to SQLite in WAL mode under CEGAH_DATA_DIR,
and sends a Content-Security-Policy that allows no inline scripts."""

import json
import os
import re
import secrets
import subprocess
import sys

from django.urls import reverse

from cegah.settings import DEVELOPMENT_SECRET_KEY

PRODUCTION_HOST = "cegah.example.go.id"


def run(tmp_path, *args, code=None, **env):
    """`cegah ARGS` (or `python -c CODE`) in a fresh process with only the given CEGAH_*
    variables set, so the developer's or CI's environment does not leak in."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CEGAH_")}
    environ.update({"DJANGO_SETTINGS_MODULE": "cegah.settings", "CEGAH_DATA_DIR": str(tmp_path)})
    environ.update(env)
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "cegah", *args]
    return subprocess.run(
        command, cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=120
    )


def production_env(**extra):
    return {
        "CEGAH_DEBUG": "0",
        "CEGAH_SECRET_KEY": secrets.token_urlsafe(50),
        "CEGAH_ALLOWED_HOSTS": PRODUCTION_HOST,
        **extra,
    }


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run(tmp_path, "check", "--deploy", CEGAH_DEBUG="0")
    assert result.returncode != 0
    assert "CEGAH_SECRET_KEY" in result.stderr


def test_production_with_the_development_key_refuses_to_start(tmp_path):
    result = run(
        tmp_path, "check", "--deploy", CEGAH_DEBUG="0", CEGAH_SECRET_KEY=DEVELOPMENT_SECRET_KEY
    )
    assert result.returncode != 0
    assert "CEGAH_SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run(tmp_path, "check", "--deploy", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_development_runs_without_any_configuration(tmp_path):
    result = run(tmp_path, "check")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


DATABASE_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
print(json.dumps({"engine": settings.DATABASES["default"]["ENGINE"],
                  "name": str(settings.DATABASES["default"]["NAME"]), "journal_mode": mode}))
"""


def test_default_database_is_sqlite_in_wal_mode_under_the_data_dir(tmp_path):
    """Run in a subprocess, so it holds on the PostgreSQL test runs as well."""
    result = run(tmp_path, code=DATABASE_PROBE)
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["engine"] == "django.db.backends.sqlite3"
    assert probe["name"] == str((tmp_path / "cegah.sqlite3").resolve())
    assert probe["journal_mode"] == "wal"
    assert (tmp_path / "cegah.sqlite3").exists()


def test_database_url_selects_postgresql(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'], d['HOST'])"
    )
    result = run(tmp_path, code=code, CEGAH_DATABASE_URL="postgres://cegah@db.internal:5432/cegah")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "cegah", "db.internal"]


# --- response headers ---------------------------------------------------------------------


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_pages_send_a_csp_without_inline_scripts(client, db):
    response = client.get(reverse("login"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    # The pages keep to the policy: every script is a file, none is inline.
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    assert all("src=" in tag for tag in scripts)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


HEADERS_PROBE = f"""
import json, django
django.setup()
from django.test import Client
response = Client().get("/healthz", secure=True, HTTP_HOST="{PRODUCTION_HOST}")
plain = Client().get("/login/", HTTP_HOST="{PRODUCTION_HOST}")
print(json.dumps({{"status": response.status_code, "headers": dict(response.headers),
                  "plain_http": [plain.status_code, plain["Location"]]}}))
"""


def test_production_responses_carry_csp_and_hsts_and_require_https(tmp_path):
    result = run(tmp_path, code=HEADERS_PROBE, **production_env())
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    assert probe["status"] == 200
    policy = directives(probe["headers"]["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert probe["headers"]["Strict-Transport-Security"].startswith("max-age=31536000")
    assert probe["plain_http"] == [301, f"https://{PRODUCTION_HOST}/login/"]
