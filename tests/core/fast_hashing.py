"""Argon2 with test-sized costs, for test modules that create many users.

Each user the fixtures create costs one argon2 hash: at production cost (100 MiB, two
passes) that was most of the suite's time. Hashes stay real argon2 ("argon2$argon2id$…"),
so logins, lockouts and tokens go through the same code; only the cost is smaller.
tests/accounts/test_login.py checks the production hasher itself.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher

PRODUCTION_HASHERS = list(django_settings.PASSWORD_HASHERS)


class TestArgon2PasswordHasher(Argon2PasswordHasher):
    __test__ = False  # not a test class, despite the name
    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.TestArgon2PasswordHasher"]
