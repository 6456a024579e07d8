"""A data value's references to its data element and site are kept by the database with
triggers instead of FOREIGN KEY constraints (indicators migration 0004): every rule of a
foreign key holds, on both databases, through raw SQL as well as through the ORM."""

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from cegah.indicators.models import DataElement, DataValue

MISSING = 987_654_321
COLUMNS = (
    "data_element_id, period, year, month, org_unit, region_code, site_id, coc, value, "
    "status, comment, source, stored_by, updated_at"
)


def _insert(*rows):
    """Raw multi-row INSERT of (element id, site id, org unit), one statement."""
    values = ", ".join(
        ["(%s, '202601', 2026, 1, %s, '35.78', %s, 'default', 1, 'draft', '', 'entered', "
         "'uji', CURRENT_TIMESTAMP)"] * len(rows)
    )  # fmt: skip
    params = [x for element, site, org_unit in rows for x in (element, org_unit, site)]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO indicators_datavalue ({COLUMNS}) VALUES {values}", params)  # noqa: S608


def _ours():
    """The values these tests wrote (registering a site derives values of its own)."""
    return DataValue.objects.filter(stored_by="uji")


def _execute(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def element(db):
    return DataElement.objects.filter(derived=False).order_by("id").first()


def test_a_value_needs_an_existing_data_element(element):
    _insert((element.id, None, "35.78"))
    with pytest.raises(IntegrityError):
        _insert((MISSING, None, "35.79"))
    assert list(_ours().values_list("org_unit", flat=True)) == ["35.78"]


def test_one_bad_row_refuses_its_whole_statement(element, surabaya_site):
    with pytest.raises(IntegrityError):
        _insert(
            (element.id, None, "35.78"),
            (element.id, surabaya_site.id, surabaya_site.code),
            (MISSING, None, "35.73"),
        )
    assert not _ours().exists()


def test_a_value_needs_an_existing_site_when_it_names_one(element, surabaya_site):
    _insert((element.id, surabaya_site.id, surabaya_site.code), (element.id, None, "35.78"))
    with pytest.raises(IntegrityError):
        _insert((element.id, MISSING, "35.78.01.9"))
    assert _ours().count() == 2


def test_changing_a_values_reference_is_checked(element, surabaya_site):
    _insert((element.id, None, "35.78"))
    pk = _ours().get().pk
    for column in ("data_element_id", "site_id"):
        with pytest.raises(IntegrityError):
            _execute(f"UPDATE indicators_datavalue SET {column} = %s WHERE id = %s", [MISSING, pk])  # noqa: S608
    _execute("UPDATE indicators_datavalue SET site_id = %s WHERE id = %s", [surabaya_site.id, pk])
    _execute("UPDATE indicators_datavalue SET status = 'submitted' WHERE id = %s", [pk])
    assert _ours().values_list("data_element_id", "site_id", "status").get() == (
        element.id,
        surabaya_site.id,
        "submitted",
    )


def test_a_referenced_element_or_site_cannot_be_deleted_or_renumbered(element, surabaya_site):
    _insert((element.id, surabaya_site.id, surabaya_site.code))
    for table, pk in (("indicators_dataelement", element.id), ("sites_site", surabaya_site.id)):
        with pytest.raises(IntegrityError):
            _execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
        with pytest.raises(IntegrityError):
            _execute(f"UPDATE {table} SET id = %s WHERE id = %s", [MISSING, pk])  # noqa: S608
    with pytest.raises(ProtectedError):
        surabaya_site.delete()
    assert DataElement.objects.filter(pk=element.pk).exists()
    # Without values, the same delete goes through.
    DataValue.objects.filter(site=surabaya_site).delete()
    _execute("DELETE FROM sites_site WHERE id = %s", [surabaya_site.id])


def _other_connection():
    """A second connection to the test database, outside the test's transaction; the
    error it gets when a write must wait for that transaction (PostgreSQL waits on a row
    lock, given up after 300 ms; SQLite refuses a second writer); its parameter marker."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        other = psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
            password=settings["PASSWORD"] or None,
        )
        other.execute("SET lock_timeout = '300ms'")
        return other, psycopg.errors.LockNotAvailable, "%s"
    name = settings["NAME"]
    other = sqlite3.connect(name, uri=name.startswith("file:"), timeout=0.3)
    other.execute("BEGIN")
    return other, sqlite3.OperationalError, "?"


def test_a_referenced_element_cannot_be_deleted_while_the_values_are_uncommitted(element):
    """As a foreign key's check does, the insert keeps what it refers to from being
    deleted by another transaction before these values are visible to it: PostgreSQL
    through the row lock the trigger takes (FOR KEY SHARE; without it the delete would go
    through), SQLite through its single writer."""
    _insert((element.id, None, "35.78"))  # in the test's transaction, not committed
    other, waits, marker = _other_connection()
    try:
        with pytest.raises(waits):
            other.execute(f"DELETE FROM indicators_dataelement WHERE id = {marker}", [element.id])  # noqa: S608
    finally:
        other.rollback()  # whatever happened, the other transaction changes nothing
        other.close()
    assert DataElement.objects.filter(pk=element.pk).exists()
