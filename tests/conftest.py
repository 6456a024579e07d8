"""Shared fixtures: the real Kemendagri regions loaded once per test database, and users
for each role at real offices (BNNK Kota Surabaya 35.78, BNNK Kota Malang 35.73, BNNP Jawa
Timur 35, BNN RI)."""

import pytest
from django.test import Client

from cegah.accounts.services import create_token, create_user
from cegah.core.scope import Roles
from cegah.regions.models import Office
from cegah.regions.services import load_regions
from cegah.sites.services import create_site

# Argon2 at test-sized cost for every test (the production hasher is tested on its own).
from tests.core.fast_hashing import fast_password_hashing  # noqa: E402, F401

PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture(scope="session", autouse=True)
def private_data_dir(tmp_path_factory):
    """Files the code keeps under CEGAH_DATA_DIR (evidence uploads, import files) go to a
    temporary directory for the test session, never into the working tree's ./var."""
    from django.conf import settings

    settings.DATA_DIR = tmp_path_factory.mktemp("cegah-data")
    return settings.DATA_DIR


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the whole official hierarchy and the offices."""
    with django_db_blocker.unblock():
        load_regions()


def office(code: str) -> Office:
    return Office.objects.get(code=code)


def make_user(username, role, office_code=None, site=None, prevention=True, empowerment=True):
    return create_user(
        None,
        username=username,
        password=PASSWORD,
        role=role,
        office=office(office_code) if office_code else None,
        site=site,
        field_prevention=prevention if role == Roles.OFFICER else False,
        field_empowerment=empowerment if role == Roles.OFFICER else False,
    )


@pytest.fixture
def admin_user(db):
    return make_user("nasional", Roles.NATIONAL_ADMIN, "BNN-RI")


@pytest.fixture
def analyst_user(db):
    return make_user("analis", Roles.NATIONAL_ANALYST, "BNN-RI")


@pytest.fixture
def jatim_manager(db):
    return make_user("jatim", Roles.MANAGER, "BNNP-35")


@pytest.fixture
def surabaya_manager(db):
    return make_user("surabaya", Roles.MANAGER, "BNNK-35.78")


@pytest.fixture
def surabaya_officer(db):
    return make_user("cegah.surabaya", Roles.OFFICER, "BNNK-35.78", empowerment=False)


@pytest.fixture
def malang_manager(db):
    return make_user("malang", Roles.MANAGER, "BNNK-35.73")


@pytest.fixture
def jatim_viewer(db):
    return make_user("tamu", Roles.VIEWER, "BNNP-35")


@pytest.fixture
def surabaya_site(db):
    return create_site(
        None,
        name="SMP Negeri Uji 1 Surabaya",
        site_type="smp",
        region_code="35.78.01",
        official_id="20599901",
    )


@pytest.fixture
def malang_site(db):
    return create_site(
        None,
        name="SMP Negeri Uji 1 Malang",
        site_type="smp",
        region_code="35.73.01",
        official_id="20599902",
    )


@pytest.fixture
def focal_point(db, surabaya_site):
    return make_user("sekolah.surabaya", Roles.FOCAL_POINT, site=surabaya_site)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="cegah.accounts.backends.UserBackend")
    return client


def bearer(user) -> dict:
    _token, secret = create_token(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
