"""Catalogue pages: everyone signed in reads every definition; only national admins create
and edit, through the services (change log, version check, expression validation)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cegah.core.models import ChangeLog
from cegah.core.numbers import format_number
from cegah.indicators.models import DataElement, DataSet, DataSetElement, DataValue, Indicator
from cegah.indicators.services import ValueRow, write_values
from cegah.indicators.services_catalogue import (
    create_data_element,
    create_indicator,
    update_data_element,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def english_client(user):
    """Error messages are compared in English (Indonesian is the default language)."""
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def indicator_form(indicator=None, **changes) -> dict:
    data = {
        "code": "PENGGIAT_PER_DESA",
        "name_id": "Penggiat per Desa Bersinar",
        "name_en": "Activists per drug-free village",
        "definition_id": "Penggiat aktif dibagi Desa Bersinar.",
        "definition_en": "Active activists divided by drug-free villages.",
        "numerator": "#{PENGGIAT_ACTIVE}",
        "denominator": "#{DESA_BERSINAR}",
        "factor": "1",
        "unit": "orang",
        "decimals": "1",
        "direction": "higher",
        "kind": "outcome",
        "field": "pemberdayaan",
    }
    if indicator is not None:
        data.update(
            {
                # as the page shows them: a number in the active language (100, not 100.0)
                name: format_number(value) if isinstance(value, float) else value
                for name in data
                if name != "code" and (value := getattr(indicator, name)) is not None
            }
        )
        data["version"] = indicator.version
    data.update(changes)
    return data


def element_form(element=None, **changes) -> dict:
    data = {
        "code": "SATGAS_FORMED",
        "name_id": "Satgas anti narkoba desa dibentuk",
        "name_en": "Village anti-drug task forces formed",
        "definition_id": "Jumlah Satgas desa yang dibentuk dengan SK kepala desa.",
        "definition_en": "Number of village task forces formed by decree of the village head.",
        "value_type": "INTEGER",
        "aggregation": "SUM",
        "period_type": "Quarterly",
        "field": "pemberdayaan",
        "side": "demand",
        "disaggregation": "",
        "min_value": "0",
        "max_value": "",
    }
    if element is not None:
        for name in data:
            if name != "code":
                value = getattr(element, name)
                data[name] = "" if value is None else value
        data["version"] = element.version
        if element.derived:
            data["derived"] = "on"
    data.update(changes)
    return data


# --- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["indicator-list", "data-element-list", "data-set-list"])
def test_any_signed_in_user_reads_the_catalogue_lists(focal_point, name):
    response = client_for(focal_point).get(reverse(name))
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0
    assert response.context["can_edit"] is False


def test_lists_search_by_code_or_name(jatim_viewer):
    client = client_for(jatim_viewer)
    page = client.get(reverse("data-element-list"), {"q": "urine"}).context["page"]
    codes = {e.code for e in page}
    assert {"URINE_TESTED", "URINE_POSITIVE"} <= codes
    assert "IKOTAN_SCORE" not in codes
    page = client.get(reverse("indicator-list"), {"q": "IKOTAN"}).context["page"]
    assert {i.code for i in page} == {"IKOTAN_MEAN", "IKOTAN_TANGGAP_SHARE"}
    page = client.get(reverse("data-set-list"), {"q": "triwulan"}).context["page"]
    assert [d.code for d in page] == ["P2M_TRIWULAN"]


def test_lists_filter_and_paginate(jatim_viewer):
    client = client_for(jatim_viewer)
    outputs = client.get(reverse("indicator-list"), {"kind": "output"}).context["page"]
    assert outputs.paginator.count >= 2
    assert all(i.kind == "output" for i in outputs)
    supply = client.get(reverse("data-element-list"), {"side": "supply"}).context["page"]
    assert "TRAFFICKING_REPORTS" in {e.code for e in supply}
    assert all(e.side == "supply" for e in supply)
    first = client.get(reverse("data-element-list")).context["page"]
    assert first.paginator.num_pages >= 1
    junk = client.get(reverse("data-element-list"), {"page": "banyak"})
    assert junk.status_code == 200


def test_indicator_definition_links_its_data_elements_and_data_sets(focal_point):
    response = client_for(focal_point).get(
        reverse("indicator-detail", args=["SCREENING_POSITIVITY"])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("data-element-detail", args=["URINE_POSITIVE"]) in html
    assert reverse("data-element-detail", args=["URINE_TESTED"]) in html
    assert "Hasil tes urine positif" in html  # the element's name, not only its code
    assert reverse("data-set-detail", args=["SKRINING_BULANAN"]) in html
    assert [p.element.code for p in response.context["numerator"] if p.element] == [
        "URINE_POSITIVE"
    ]


def test_data_element_definition_shows_its_indicators_data_sets_and_rules(jatim_viewer):
    response = client_for(jatim_viewer).get(reverse("data-element-detail", args=["URINE_TESTED"]))
    assert response.status_code == 200
    assert {i.code for i in response.context["indicators"]} >= {
        "SCREENING_POSITIVITY",
        "SCREENING_COVERAGE",
    }
    assert [d.code for d in response.context["data_sets"]] == ["SKRINING_BULANAN"]
    assert "URINE_POSITIVE_LE_TESTED" in {r.code for r in response.context["rules"]}


def test_data_set_definition_lists_elements_with_required_flags(surabaya_officer):
    response = client_for(surabaya_officer).get(reverse("data-set-detail", args=["P2M_TRIWULAN"]))
    members = {m.data_element.code: m.required for m in response.context["members"]}
    assert members["ACTIVITIES_PREVENTION"] is True
    assert members["INFO_REACH"] is False
    assert "TRAFFICKING_FORWARDED_LE_REPORTS" in {r.code for r in response.context["rules"]}


def test_unknown_code_is_not_found(jatim_viewer):
    client = client_for(jatim_viewer)
    assert client.get(reverse("indicator-detail", args=["TIDAK_ADA"])).status_code == 404
    assert client.get(reverse("data-element-detail", args=["TIDAK_ADA"])).status_code == 404
    assert client.get(reverse("data-set-detail", args=["TIDAK_ADA"])).status_code == 404


def test_catalogue_needs_sign_in(client):
    response = client.get(reverse("indicator-list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_nav_has_the_indicator_entry(surabaya_officer):
    html = client_for(surabaya_officer).get(reverse("home")).content.decode()
    assert f'href="{reverse("indicator-list")}"' in html


# --- editing: national admins only --------------------------------------------------------


EDIT_PAGES = [
    ("indicator-create", []),
    ("indicator-edit", ["SCREENING_POSITIVITY"]),
    ("data-element-create", []),
    ("data-element-edit", ["URINE_TESTED"]),
]


@pytest.mark.parametrize("fixture", ["jatim_manager", "surabaya_officer", "analyst_user"])
@pytest.mark.parametrize(("name", "args"), EDIT_PAGES)
def test_edit_pages_are_forbidden_to_everyone_but_national_admins(request, fixture, name, args):
    client = client_for(request.getfixturevalue(fixture))
    before = ChangeLog.objects.count()
    assert client.get(reverse(name, args=args)).status_code == 403
    data = indicator_form() if name.startswith("indicator") else element_form()
    assert client.post(reverse(name, args=args), data).status_code == 403
    assert ChangeLog.objects.count() == before
    assert Indicator.objects.get(code="SCREENING_POSITIVITY").version == 1
    assert not Indicator.objects.filter(code="PENGGIAT_PER_DESA").exists()
    assert not DataElement.objects.filter(code="SATGAS_FORMED").exists()


def test_edit_links_only_for_national_admins(admin_user, jatim_manager):
    url = reverse("indicator-detail", args=["SCREENING_POSITIVITY"])
    edit = reverse("indicator-edit", args=["SCREENING_POSITIVITY"])
    assert edit in client_for(admin_user).get(url).content.decode()
    assert edit not in client_for(jatim_manager).get(url).content.decode()


@pytest.mark.parametrize(("name", "args"), EDIT_PAGES)
def test_admin_opens_every_edit_page(admin_user, name, args):
    response = client_for(admin_user).get(reverse(name, args=args))
    assert response.status_code == 200
    assert ("code" in response.context["form"].fields) == (not args)  # a code is fixed


def test_admin_creates_an_indicator_and_it_is_logged(admin_user):
    response = client_for(admin_user).post(reverse("indicator-create"), indicator_form())
    indicator = Indicator.objects.get(code="PENGGIAT_PER_DESA")
    assert response.status_code == 302
    assert response["Location"] == reverse("indicator-detail", args=[indicator.code])
    entry = ChangeLog.objects.get(object_type="indicators.indicator", object_id=str(indicator.pk))
    assert entry.action == "create" and entry.username == admin_user.username


@pytest.mark.parametrize(
    ("field", "expression", "message"),
    [
        ("numerator", "#{PENGGIAT_ACTIVE} / (#{DESA_BERSINAR}", "closing parenthesis"),
        ("numerator", "#{PENGGIAT_AKTIF}", "PENGGIAT_AKTIF"),
        ("denominator", "#{DESA_BERSINAR} +", "ends too early"),
        ("denominator", "#{desa_bersinar} * #{NOPE_CODE}", "NOPE_CODE"),
        ("numerator", "__import__('os')", "Unexpected"),
    ],
)
def test_bad_expression_is_a_form_error_naming_the_problem(admin_user, field, expression, message):
    before = ChangeLog.objects.count()
    response = english_client(admin_user).post(
        reverse("indicator-create"), indicator_form(**{field: expression})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert not Indicator.objects.filter(code="PENGGIAT_PER_DESA").exists()
    assert ChangeLog.objects.count() == before


def test_bad_expression_on_edit_keeps_the_stored_indicator(admin_user):
    indicator = Indicator.objects.get(code="SCREENING_POSITIVITY")
    response = client_for(admin_user).post(
        reverse("indicator-edit", args=[indicator.code]),
        indicator_form(indicator, denominator="#{URINE_TESTED_TYPO}"),
    )
    assert "URINE_TESTED_TYPO" in " ".join(response.context["form"].errors["denominator"])
    indicator.refresh_from_db()
    assert indicator.denominator == "#{URINE_TESTED}" and indicator.version == 1


def test_admin_edits_an_indicator_with_the_change_in_its_history(admin_user):
    indicator = Indicator.objects.get(code="SCREENING_POSITIVITY")
    client = client_for(admin_user)
    response = client.post(
        reverse("indicator-edit", args=[indicator.code]),
        indicator_form(indicator, name_en="Urine test positivity rate"),
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.name_en == "Urine test positivity rate" and indicator.version == 2
    page = client.get(reverse("indicator-detail", args=[indicator.code]))
    assert any(e.action == "update" for e in page.context["history"])


def test_stale_version_is_refused_and_the_first_edit_kept(admin_user):
    indicator = Indicator.objects.get(code="SCREENING_POSITIVITY")
    client = client_for(admin_user)
    first = indicator_form(indicator, unit="persen")
    second = indicator_form(indicator, unit="per seratus")
    assert client.post(reverse("indicator-edit", args=[indicator.code]), first).status_code == 302
    response = client.post(reverse("indicator-edit", args=[indicator.code]), second)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    indicator.refresh_from_db()
    assert indicator.unit == "persen"


def test_edit_without_version_is_refused(admin_user):
    indicator = Indicator.objects.get(code="SCREENING_POSITIVITY")
    data = indicator_form(indicator, unit="persen")
    del data["version"]
    response = client_for(admin_user).post(reverse("indicator-edit", args=[indicator.code]), data)
    assert response.status_code == 200
    indicator.refresh_from_db()
    assert indicator.unit == "%"


def test_admin_creates_a_data_element_usable_in_an_indicator(admin_user):
    client = client_for(admin_user)
    response = client.post(reverse("data-element-create"), element_form())
    assert response.status_code == 302
    assert DataElement.objects.get(code="SATGAS_FORMED").period_type == "Quarterly"
    response = client.post(
        reverse("indicator-create"),
        indicator_form(code="SATGAS_PER_DESA", numerator="#{SATGAS_FORMED}"),
    )
    assert response.status_code == 302


def test_duplicate_or_malformed_code_is_a_form_error(admin_user):
    client = client_for(admin_user)
    response = client.post(reverse("data-element-create"), element_form(code="URINE_TESTED"))
    assert "code" in response.context["form"].errors
    response = client.post(reverse("data-element-create"), element_form(code="1BAD CODE"))
    assert "code" in response.context["form"].errors


def test_count_aggregation_needs_a_yes_no_value_type(admin_user):
    response = client_for(admin_user).post(
        reverse("data-element-create"), element_form(aggregation="COUNT")
    )
    assert "aggregation" in response.context["form"].errors
    assert not DataElement.objects.filter(code="SATGAS_FORMED").exists()


def test_minimum_above_maximum_is_refused(admin_user):
    response = client_for(admin_user).post(
        reverse("data-element-create"), element_form(min_value="10", max_value="5")
    )
    assert "max_value" in response.context["form"].errors


def _store_one_value(admin_user):
    summary = write_values(admin_user, [ValueRow("PENGGIAT_ACTIVE", "2026Q1", "35.78", "12")])
    assert summary.imported == 1


def test_element_with_values_cannot_change_value_or_period_type_and_says_why(admin_user):
    _store_one_value(admin_user)
    element = DataElement.objects.get(code="PENGGIAT_ACTIVE")
    client = english_client(admin_user)
    response = client.post(
        reverse("data-element-edit", args=[element.code]),
        element_form(element, value_type="NUMBER", period_type="Monthly"),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"value_type", "period_type"}
    assert "1 stored values" in errors["value_type"][0]
    element.refresh_from_db()
    assert (element.value_type, element.period_type, element.version) == (
        "INTEGER",
        "Quarterly",
        1,
    )
    # Its names and definitions stay editable.
    response = client.post(
        reverse("data-element-edit", args=[element.code]),
        element_form(element, name_en="Active anti-drug activists"),
    )
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.name_en == "Active anti-drug activists"
    assert DataValue.objects.filter(data_element=element).count() == 1


def test_element_without_values_can_change_its_period_type(admin_user):
    element = DataElement.objects.get(code="INFO_REACH")
    updated = update_data_element(admin_user, element, element.version, period_type="Monthly")
    assert updated.period_type == "Monthly" and updated.version == 2


CATALOGUE_PAGES = [
    reverse("indicator-list"),
    reverse("indicator-detail", args=["SCREENING_POSITIVITY"]),
    reverse("data-element-list"),
    reverse("data-element-detail", args=["URINE_TESTED"]),
    reverse("data-set-list"),
    reverse("data-set-detail", args=["P2M_TRIWULAN"]),
]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_catalogue_page_queries_do_not_grow_with_the_catalogue(admin_user):
    """tests/query_counts.json holds the baseline; this adds catalogue rows instead of sites."""
    client = client_for(admin_user)
    few = {url: _queries(client, url) for url in CATALOGUE_PAGES}
    p2m = DataSet.objects.get(code="P2M_TRIWULAN")
    for i in range(6):
        values = {k: v for k, v in element_form().items() if k != "code"}
        element = create_data_element(
            admin_user, code=f"EXTRA_{i}", **{**values, "min_value": 0, "max_value": None}
        )
        DataSetElement.objects.create(data_set=p2m, data_element=element, order=50 + i)
        create_indicator(
            admin_user,
            code=f"EXTRA_RATE_{i}",
            **{
                **{k: v for k, v in indicator_form().items() if k != "code"},
                "numerator": f"#{{EXTRA_{i}}} + #{{URINE_TESTED}}",
                "factor": 1,
                "decimals": 1,
            },
        )
    many = {url: _queries(client, url) for url in CATALOGUE_PAGES}
    assert many == few
