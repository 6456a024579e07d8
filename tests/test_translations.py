"""Every UI string has its Indonesian translation, and the shipped catalogue is current.

The source strings are English; Indonesian (the default language) comes from
cegah/locale/id. `make messages` refreshes and compiles the catalogue.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

PACKAGE = Path(__file__).resolve().parent.parent / "cegah"
CATALOGUE = PACKAGE / "locale" / "id" / "LC_MESSAGES"


def _entries(po):
    return {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}


def test_every_indonesian_entry_is_translated():
    po = polib.pofile(str(CATALOGUE / "django.po"))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert len(po) > 100
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source_catalogue():
    po = _entries(polib.pofile(str(CATALOGUE / "django.po")))
    mo = _entries(polib.mofile(str(CATALOGUE / "django.mo")))
    assert {k: e.msgstr for k, e in po.items()} == {k: e.msgstr for k, e in mo.items() if k[1]}


def test_catalogue_has_every_string_in_the_code(tmp_path):
    """makemessages over a copy of the source finds no string the catalogue lacks."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install gettext (make test does on Debian)")
    copy = tmp_path / "cegah"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("vendor", "__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "id",
            "--no-obsolete",
            "--settings=cegah.settings",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = set(_entries(polib.pofile(str(copy / "locale/id/LC_MESSAGES/django.po"))))
    shipped = set(_entries(polib.pofile(str(CATALOGUE / "django.po"))))
    assert sorted(m for _c, m in fresh - shipped) == [], "run `make messages` and translate"


def test_indonesian_is_the_default_and_english_is_available(db):
    page = Client().get("/login/")
    assert '<html lang="id">' in page.content.decode()
    assert "Masuk ke akun Anda" in page.content.decode()
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get("/login/")
    assert "Log in to your account" in page.content.decode()


def test_an_english_browser_still_gets_indonesian_until_the_user_switches(db):
    browser = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke akun Anda" in browser.get("/login/").content.decode()
    browser.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Log in to your account" in browser.get("/login/").content.decode()
