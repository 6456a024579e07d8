"""Login security: argon2 hashes, lockout after repeated failures per username and address,
sliding 8-hour sessions, POST-only logout, and the language switch."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from tests.conftest import PASSWORD, client_for, make_user
from tests.core.fast_hashing import PRODUCTION_HASHERS

ADDRESS = "10.20.30.40"
LOCKOUT_MESSAGE = (
    "Too many failed logins for this username from your address. Login is locked "
    "for 15 minutes; try again later or ask your admin."
)


def login(client, username, password, address=ADDRESS):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_five_times(client, username, address=ADDRESS):
    for _attempt in range(5):
        response = login(client, username, "wrong password", address)
        assert SESSION_KEY not in client.session
    return response


def test_passwords_are_stored_as_argon2_hashes(db):
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        assert type(get_hasher()) is Argon2PasswordHasher
        user = make_user("argon", "viewer", "BNNP-35")
        assert user.password.startswith("argon2$argon2id$")
        assert PASSWORD not in user.password
        assert user.check_password(PASSWORD)


def test_right_password_logs_in(surabaya_manager):
    client = Client()
    response = login(client, "surabaya", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(surabaya_manager.pk)


def test_wrong_password_is_refused_with_a_message(surabaya_manager):
    client = Client()
    response = login(client, "surabaya", "wrong password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert SESSION_KEY not in client.session


def test_five_failures_lock_the_username_even_for_the_right_password(surabaya_manager):
    client = Client()
    fail_five_times(client, "surabaya")

    response = login(client, "surabaya", PASSWORD)

    assert response.status_code == 429
    with override("id"):
        message = escape(gettext(LOCKOUT_MESSAGE))
    assert message in response.content.decode()
    assert 'data-testid="lockout"' in response.content.decode()
    assert SESSION_KEY not in client.session


def test_lockout_message_in_english(surabaya_manager):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    fail_five_times(client, "surabaya")
    response = login(client, "surabaya", PASSWORD)
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()


def test_lockout_does_not_spill_to_other_usernames_from_the_same_address(
    surabaya_manager, malang_manager
):
    client = Client()
    fail_five_times(client, "surabaya")

    response = login(client, "malang", PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(malang_manager.pk)


def test_lockout_does_not_spill_to_the_same_username_from_another_address(surabaya_manager):
    fail_five_times(Client(), "surabaya", address="10.0.0.1")
    client = Client()
    response = login(client, "surabaya", PASSWORD, address="10.0.0.2")
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(surabaya_manager.pk)


def test_four_failures_do_not_lock(surabaya_manager):
    client = Client()
    for _attempt in range(4):
        login(client, "surabaya", "wrong password")
    response = login(client, "surabaya", PASSWORD)
    assert response.status_code == 302


def test_sessions_expire_after_eight_idle_hours_and_slide(surabaya_manager):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60 == 28800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is False
    client = Client()
    login(client, "surabaya", PASSWORD)
    response = client.get(reverse("home"))
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 28800  # renewed on an ordinary page view, not only at login
    assert cookie["httponly"]


def test_logout_is_post_only(surabaya_manager):
    client = client_for(surabaya_manager)
    assert client.get(reverse("logout")).status_code == 405
    assert SESSION_KEY in client.session

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_indonesian_is_the_default_and_english_is_a_switch_away(surabaya_manager):
    client = client_for(surabaya_manager)
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="id">' in page
    assert ">Beranda<" in page  # "Home"

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    page = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in page
    assert ">Home<" in page
    assert ">Beranda<" not in page


def test_login_page_in_both_languages(db):
    client = Client()
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="id">' in page
    assert "Masuk" in page  # "Log in"
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
