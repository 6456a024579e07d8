"""The change log: every edit is recorded with who, when, which request, before and after;
entries cannot be changed; the log page is filtered and scoped."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cegah.core.models import ChangeLog
from cegah.sites.services import create_site
from tests.conftest import client_for
from tests.sites.helpers import site_form_data


def history_table(html: str) -> str:
    start = html.index('data-testid="history"')
    return html[start : html.index("</table>", start)]


def test_edit_through_the_form_shows_before_and_after_in_the_site_history(
    surabaya_manager, surabaya_site
):
    client = client_for(surabaya_manager)
    old_name = surabaya_site.name
    response = client.post(
        reverse("site-edit", args=[surabaya_site.pk]),
        site_form_data(surabaya_site, name="SMP Negeri Uji 1 Surabaya (baru)"),
    )
    assert response.status_code == 302

    page = client.get(reverse("site-detail", args=[surabaya_site.pk])).content.decode()
    history = history_table(page)
    assert old_name in history
    assert "SMP Negeri Uji 1 Surabaya (baru)" in history
    assert surabaya_manager.username in history


def test_entry_records_user_office_request_object_and_values(surabaya_manager, surabaya_site):
    client = client_for(surabaya_manager)
    response = client.post(
        reverse("site-edit", args=[surabaya_site.pk]),
        site_form_data(surabaya_site, population_served="640"),
    )

    entry = ChangeLog.objects.filter(action="update").latest("id")
    assert entry.user == surabaya_manager
    assert entry.username == "surabaya"
    assert entry.office.code == "BNNK-35.78"
    assert entry.request_id == response["X-Request-ID"]
    assert (entry.object_type, entry.object_id) == ("sites.site", str(surabaya_site.pk))
    assert entry.object_repr == surabaya_site.name
    assert (entry.region_code, entry.site_id) == ("35.78.01", surabaya_site.pk)
    assert entry.before["population_served"] is None
    assert entry.after["population_served"] == 640
    assert ("population_served", None, 640) in entry.changes()
    assert ("version", 1, 2) in entry.changes()


def test_a_request_id_sent_by_a_proxy_is_kept(surabaya_manager, surabaya_site):
    client = client_for(surabaya_manager)
    response = client.post(
        reverse("site-edit", args=[surabaya_site.pk]),
        site_form_data(surabaya_site, address="Jl. Uji 1"),
        HTTP_X_REQUEST_ID="proxy-req-0001",
    )
    assert response["X-Request-ID"] == "proxy-req-0001"
    assert ChangeLog.objects.latest("id").request_id == "proxy-req-0001"


def test_creating_a_site_is_logged_with_its_values(surabaya_manager):
    site = create_site(
        surabaya_manager, name="SMA Negeri Log", site_type="sma", region_code="35.78.02"
    )
    entry = ChangeLog.objects.get(object_type="sites.site", object_id=str(site.pk))
    assert entry.action == "create"
    assert entry.before is None
    assert entry.after["name"] == "SMA Negeri Log"
    assert entry.request_id  # commands and services outside a request get one too


@pytest.fixture
def entry(surabaya_site):
    return ChangeLog.objects.get(object_type="sites.site", object_id=str(surabaya_site.pk))


def test_entries_cannot_be_saved_again(entry):
    entry.object_repr = "rewritten"
    with pytest.raises(PermissionDenied):
        entry.save()
    assert ChangeLog.objects.get(pk=entry.pk).object_repr != "rewritten"


def test_entries_cannot_be_deleted(entry):
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        ChangeLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionDenied):
        ChangeLog.objects.all().delete()
    assert ChangeLog.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_updated_in_bulk(entry):
    with pytest.raises(PermissionDenied):
        ChangeLog.objects.filter(pk=entry.pk).update(username="someone else")
    with pytest.raises(PermissionDenied):
        ChangeLog.objects.update(after=None)
    assert ChangeLog.objects.get(pk=entry.pk).username == entry.username


# --- /riwayat/ ---------------------------------------------------------------------------


@pytest.fixture
def two_edits(surabaya_manager, jatim_manager, surabaya_site):
    """One rename by the Surabaya BNNK, one by the Jawa Timur BNNP, of two Surabaya sites."""
    other = create_site(
        None, name="SMA Negeri Uji 2 Surabaya", site_type="sma", region_code="35.78.02"
    )
    client_for(surabaya_manager).post(
        reverse("site-edit", args=[surabaya_site.pk]),
        site_form_data(surabaya_site, name="Diubah Oleh BNNK"),
    )
    client_for(jatim_manager).post(
        reverse("site-edit", args=[other.pk]), site_form_data(other, name="Diubah Oleh BNNP")
    )
    assert ChangeLog.objects.filter(action="update").count() == 2


def changelog_page(viewer, **params) -> str:
    response = client_for(viewer).get(reverse("changelog"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_changelog_filters_by_office(admin_user, two_edits):
    page = changelog_page(admin_user, office="BNNK-35.78")
    assert "Diubah Oleh BNNK" in page
    assert "Diubah Oleh BNNP" not in page
    page = changelog_page(admin_user, office="BNNP-35")
    assert "Diubah Oleh BNNP" in page
    assert "Diubah Oleh BNNK" not in page


def test_changelog_filters_by_user(admin_user, two_edits):
    page = changelog_page(admin_user, user="jatim")
    assert "Diubah Oleh BNNP" in page
    assert "Diubah Oleh BNNK" not in page


def test_changelog_filters_by_date(admin_user, two_edits):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    yesterday = today - datetime.timedelta(days=1)

    page = changelog_page(admin_user, **{"from": today.isoformat(), "to": today.isoformat()})
    assert "Diubah Oleh BNNK" in page
    assert "Diubah Oleh BNNP" in page
    assert "Diubah Oleh BNNK" not in changelog_page(admin_user, **{"from": tomorrow.isoformat()})
    assert "Diubah Oleh BNNK" not in changelog_page(admin_user, to=yesterday.isoformat())


def test_changelog_is_scoped(malang_manager, surabaya_manager, two_edits):
    page = changelog_page(malang_manager)
    assert "Diubah Oleh BNNK" not in page
    assert "Diubah Oleh BNNP" not in page
    page = changelog_page(surabaya_manager)
    assert "Diubah Oleh BNNK" in page
    assert "Diubah Oleh BNNP" in page  # a province edit of a Surabaya site is Surabaya's


def test_changelog_filter_does_not_widen_scope(malang_manager, two_edits):
    page = changelog_page(malang_manager, office="BNNK-35.78", user="surabaya")
    assert "Diubah Oleh BNNK" not in page


def _plan(queryset) -> str:
    """The database's plan for ``queryset``; PostgreSQL told to avoid a sequential scan
    wherever an index can serve (the test tables are small enough to scan)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(row[3] for row in cursor.fetchall())


def test_an_objects_history_is_read_through_the_object_index(surabaya_site):
    """The (object type, object id) index is partial on PostgreSQL (data values' entries
    left out) and whole on SQLite, which cannot use that partial index for another type:
    either way one object's history is an index lookup, never a scan of the log."""
    from cegah.core import changelog

    assert "changelog_object" in _plan(changelog.history_for(surabaya_site))
