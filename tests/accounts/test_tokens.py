"""Personal API tokens: shown once, stored hashed, refused when expired or revoked, acting
with the user's scope; also created from the command line."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cegah.accounts.models import ApiToken, hash_token
from cegah.accounts.services import create_token, revoke_token
from cegah.core.models import ChangeLog
from tests.conftest import client_for

SECRET = re.compile(r'data-testid="new-token">(cgh_[^<]+)<')


def api_get(secret, path="/api/v1/me"):
    return Client().get(path, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_profile_shows_a_new_token_once(surabaya_manager):
    client = client_for(surabaya_manager)
    response = client.post(reverse("token-create"), {"name": "sinkron DHIS2", "days": 30})
    assert response.status_code == 200
    secret = SECRET.search(response.content.decode()).group(1)

    later = client.get(reverse("profile")).content.decode()
    assert "sinkron DHIS2" in later
    assert secret not in later
    assert 'data-testid="new-token"' not in later
    assert api_get(secret).json()["username"] == "surabaya"


def test_only_a_hash_of_the_token_is_stored(surabaya_manager):
    token, secret = create_token(surabaya_manager, "skrip")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["token_hash"] == hash_token(secret) != secret
    assert secret not in {str(value) for value in stored.values()}
    assert not ApiToken.objects.filter(token_hash=secret).exists()
    entry = ChangeLog.objects.get(object_type="accounts.apitoken", object_id=str(token.pk))
    assert secret not in str(entry.after)


def test_token_form_rejects_bad_input_and_creates_nothing(surabaya_manager):
    response = client_for(surabaya_manager).post(
        reverse("token-create"), {"name": "", "days": 1000}
    )
    assert response.status_code == 200
    assert set(response.context["token_form"].errors) == {"name", "days"}
    assert not ApiToken.objects.filter(user=surabaya_manager).exists()


def test_a_valid_token_authenticates(surabaya_manager):
    _token, secret = create_token(surabaya_manager, "skrip")
    response = api_get(secret)
    assert response.status_code == 200
    assert response.json()["office"]["code"] == "BNNK-35.78"


def test_an_expired_token_is_refused(surabaya_manager):
    token, secret = create_token(surabaya_manager, "skrip", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_get(secret).status_code == 401


def test_a_revoked_token_is_refused(surabaya_manager):
    token, secret = create_token(surabaya_manager, "skrip")
    revoke_token(surabaya_manager, token)
    assert api_get(secret).status_code == 401


def test_revoking_from_the_profile_page(surabaya_manager):
    token, secret = create_token(surabaya_manager, "skrip")
    response = client_for(surabaya_manager).post(reverse("token-revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api_get(secret).status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(surabaya_manager):
    _token, secret = create_token(surabaya_manager, "skrip")
    surabaya_manager.is_active = False
    surabaya_manager.save(update_fields=["is_active"])
    assert api_get(secret).status_code == 401


def test_unknown_or_malformed_tokens_are_refused(db):
    assert api_get("cgh_" + "x" * 43).status_code == 401
    assert api_get("not-a-token").status_code == 401
    assert Client().get("/api/v1/me").status_code == 401


def test_a_token_acts_with_its_users_scope(malang_manager, surabaya_site, malang_site):
    _token, secret = create_token(malang_manager, "skrip")
    names = {row["name"] for row in api_get(secret, "/api/v1/sites").json()["items"]}
    assert malang_site.name in names
    assert surabaya_site.name not in names
    assert api_get(secret, f"/api/v1/sites/{surabaya_site.pk}").status_code == 404


def test_command_prints_the_token_as_its_last_line(surabaya_manager):
    out = StringIO()
    call_command("token", "create", "surabaya", stdout=out)
    secret = out.getvalue().strip().splitlines()[-1]
    assert secret.startswith("cgh_")
    response = api_get(secret)
    assert response.status_code == 200
    assert response.json()["username"] == "surabaya"


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("token", "create", "tidak.ada", stdout=StringIO())
