"""User administration: national admins manage everyone, managers only non-manager users of
their jurisdiction, and every change is in the user's history."""

from cegah.accounts.models import User
from cegah.core.models import ChangeLog
from tests.conftest import client_for


def _new_user_form(**overrides):
    data = {
        "username": "petugas.baru",
        "first_name": "Petugas",
        "last_name": "Baru",
        "role": "officer",
        "office": "BNNK-35.78",
        "field_prevention": "on",
        "password": "Sangat-Rahasia-2026",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_manager_creates_an_officer_in_their_regency(surabaya_manager):
    response = client_for(surabaya_manager).post("/pengguna/baru/", _new_user_form())
    assert response.status_code == 302
    user = User.objects.get(username="petugas.baru")
    assert user.office.code == "BNNK-35.78"
    assert user.check_password("Sangat-Rahasia-2026")
    assert ChangeLog.objects.filter(
        object_type="accounts.user", object_id=str(user.pk), action="create", username="surabaya"
    ).exists()


def test_manager_cannot_place_a_user_in_another_regency(surabaya_manager):
    response = client_for(surabaya_manager).post(
        "/pengguna/baru/", _new_user_form(office="BNNK-35.73")
    )
    assert response.status_code == 200  # the form again, with the office refused
    assert "office" in response.context["form"].errors
    assert not User.objects.filter(username="petugas.baru").exists()


def test_manager_cannot_create_a_national_admin(surabaya_manager):
    response = client_for(surabaya_manager).post(
        "/pengguna/baru/", _new_user_form(role="national_admin", office="BNN-RI")
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="petugas.baru").exists()


def test_officer_without_a_field_is_refused(admin_user):
    data = _new_user_form()
    del data["field_prevention"]
    response = client_for(admin_user).post("/pengguna/baru/", data)
    assert response.status_code == 200
    assert not User.objects.filter(username="petugas.baru").exists()


def test_admin_deactivates_a_user_and_the_history_shows_it(admin_user, surabaya_officer):
    client = client_for(admin_user)
    form = _new_user_form(username=surabaya_officer.username)
    del form["is_active"]
    form["password"] = ""
    response = client.post(f"/pengguna/{surabaya_officer.pk}/ubah/", form)
    assert response.status_code == 302
    surabaya_officer.refresh_from_db()
    assert surabaya_officer.is_active is False
    entry = ChangeLog.objects.filter(
        object_type="accounts.user", object_id=str(surabaya_officer.pk), action="update"
    ).get()
    assert entry.before["is_active"] is True and entry.after["is_active"] is False
    page = client.get(f"/pengguna/{surabaya_officer.pk}/").content.decode()
    assert "is_active" in page


def test_malang_manager_cannot_see_or_edit_surabaya_users(malang_manager, surabaya_officer):
    client = client_for(malang_manager)
    assert client.get(f"/pengguna/{surabaya_officer.pk}/").status_code == 404
    assert client.get(f"/pengguna/{surabaya_officer.pk}/ubah/").status_code == 404
    assert surabaya_officer.username not in client.get("/pengguna/").content.decode()


def test_viewer_cannot_create_users(jatim_viewer):
    assert client_for(jatim_viewer).get("/pengguna/baru/").status_code == 403
