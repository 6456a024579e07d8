"""Targets per indicator × region × year: set by managers for their jurisdiction and by
national admins for all, through a service with change log; realisation from the analytics
engine; capaian by the indicator's direction."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from cegah.core.models import ChangeLog
from cegah.core.scope import Roles
from cegah.indicators import targets
from cegah.indicators.models import Indicator, Target
from tests.conftest import client_for, make_user
from tests.indicators.helpers import element, english_client, enter


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def rate(db):
    """UJI_RATE = UJI_NUM / UJI_DEN × 100, higher is better, with values for 2026:
    Kota Surabaya 30/60, Kota Malang 10/40 → Jawa Timur 40/100."""
    element("UJI_NUM", period_type="Yearly")
    element("UJI_DEN", period_type="Yearly")
    indicator = Indicator.objects.create(
        code="UJI_RATE",
        name_id="Rasio uji",
        name_en="Test rate",
        definition_id="uji",
        definition_en="test",
        numerator="#{UJI_NUM}",
        denominator="#{UJI_DEN}",
        factor=100,
        direction="higher",
        kind="outcome",
        field="pencegahan",
    )
    admin = make_user("pengisi", Roles.NATIONAL_ADMIN, "BNN-RI")
    enter(
        admin,
        [
            ("UJI_NUM", "2026", "35.78", 30),
            ("UJI_DEN", "2026", "35.78", 60),
            ("UJI_NUM", "2026", "35.73", 10),
            ("UJI_DEN", "2026", "35.73", 40),
        ],
    )
    return indicator


@pytest.mark.parametrize(
    ("actor", "region", "allowed"),
    [
        ("admin_user", "32.73", True),
        ("admin_user", "35", True),
        ("jatim_manager", "35", True),
        ("jatim_manager", "35.78", True),
        ("jatim_manager", "32", False),
        ("surabaya_manager", "35.78", True),
        ("surabaya_manager", "35.73", False),
        ("surabaya_manager", "35", False),
        ("surabaya_officer", "35.78", False),
        ("jatim_viewer", "35.78", False),
        ("analyst_user", "35.78", False),
    ],
)
def test_who_sets_targets_where(request, rate, actor, region, allowed):
    user = request.getfixturevalue(actor)
    if allowed:
        assert targets.set_target(user, rate, region, 2026, "55").value == 55
    else:
        with pytest.raises(PermissionDenied):
            targets.set_target(user, rate, region, 2026, "55")
        assert not Target.objects.exists()


def test_every_target_change_is_in_the_change_log(rate, jatim_manager):
    targets.set_target(jatim_manager, rate, "35", 2026, "50")
    targets.set_target(jatim_manager, rate, "35", 2026, "50")  # unchanged: no entry
    with translation.override("id"):
        targets.set_target(jatim_manager, rate, "35", 2026, "52,5")
    assert Target.objects.get().value == 52.5
    targets.set_target(jatim_manager, rate, "35", 2026, "")
    assert not Target.objects.exists()
    log = ChangeLog.objects.filter(object_type="indicators.target").order_by("id")
    assert [
        (e.action, (e.before or {}).get("value"), (e.after or {}).get("value")) for e in log
    ] == [
        ("create", None, 50.0),
        ("update", 50.0, 52.5),
        ("delete", 52.5, None),
    ]
    assert {e.region_code for e in log} == {"35"}


@pytest.mark.parametrize(
    ("region", "year", "value", "field"),
    [
        ("35.78.01", 2026, "1", "region"),  # districts have no targets
        ("35.78", 1990, "1", "year"),
        ("35.78", 2026, "banyak", "value"),
        ("35.78", 2026, "inf", "value"),
    ],
)
def test_bad_target_is_refused(rate, admin_user, region, year, value, field):
    with pytest.raises(ValidationError) as refused:
        targets.set_target(admin_user, rate, region, year, value)
    assert field in refused.value.error_dict
    assert not Target.objects.exists()


def test_capaian_follows_the_indicator_direction(rate):
    assert targets.achievement(rate, 50, 40) == pytest.approx(80)
    assert targets.achievement(rate, 50, 60) == pytest.approx(120)
    assert targets.achievement(rate, 0, 40) is None
    assert targets.achievement(rate, 50, None) is None
    lower = Indicator(direction=Indicator.Direction.LOWER)
    # (2 × target − realisation) ÷ target: 10% under the target scores 110%.
    assert targets.achievement(lower, 10, 9) == pytest.approx(110)
    assert targets.achievement(lower, 10, 12) == pytest.approx(80)
    assert targets.achievement(lower, 10, 25) == 0


def test_realisation_comes_from_the_analytics_engine_as_a_ratio_of_sums(rate, jatim_manager):
    assert targets.realisation(jatim_manager, rate, "35.78", 2026) == pytest.approx(50)
    assert targets.realisation(jatim_manager, rate, "35.73", 2026) == pytest.approx(25)
    # The province: 40 / 100, never the mean of 50% and 25%.
    assert targets.realisation(jatim_manager, rate, "35", 2026) == pytest.approx(40)
    assert targets.realisation(jatim_manager, rate, "35", 2025) is None
    assert targets.realisation(jatim_manager, rate, "35", 2026, approved_only=True) is None


def test_targets_page_lists_the_jurisdiction_with_realisation_and_capaian(rate, jatim_manager):
    targets.set_target(jatim_manager, rate, "35", 2026, "50")
    client = english_client(jatim_manager)
    page = client.get(reverse("target-list"), {"indicator": "UJI_RATE", "year": 2026})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="target-3') == 1 + 38  # the province and its regencies
    province = html.split('data-testid="target-35"')[1].split("</tr>")[0]
    assert 'value="50"' in province
    assert "40.0" in province  # realisation
    assert "80.0%" in province  # capaian
    surabaya = html.split('data-testid="target-35.78"')[1].split("</tr>")[0]
    assert "50.0" in surabaya
    assert "Kota Bandung" not in html


def test_targets_page_saves_within_the_jurisdiction_only(
    rate, jatim_manager, surabaya_officer, surabaya_manager
):
    url = reverse("target-list")
    form = {"indicator": "UJI_RATE", "year": "2026", "region": "35.78", "value": "60"}
    response = english_client(jatim_manager).post(url, form)
    assert response.status_code == 302
    assert Target.objects.get(region_id="35.78").value == 60

    assert english_client(jatim_manager).post(url, {**form, "region": "32.73"}).status_code == 404
    assert (
        english_client(surabaya_manager).post(url, {**form, "region": "35.73"}).status_code == 404
    )
    assert english_client(surabaya_officer).post(url, {**form, "value": "1"}).status_code == 403
    page = english_client(jatim_manager).post(url, {**form, "value": "x"}, follow=True)
    assert "Expected a number." in page.content.decode()
    assert Target.objects.get(region_id="35.78").value == 60


def test_target_detail_shows_history_and_edits(rate, surabaya_manager, malang_manager):
    target = targets.set_target(surabaya_manager, rate, "35.78", 2026, "40")
    client = english_client(surabaya_manager)
    url = reverse("target-detail", args=[target.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="history"' in html
    assert "125.0%" in html  # realisation 50 against a target of 40
    client.post(url, {"value": "45"})
    assert Target.objects.get().value == 45
    assert english_client(malang_manager).get(url).status_code == 404
    client.post(url, {"value": ""})
    assert not Target.objects.exists()


@pytest.mark.parametrize(
    ("language", "typed", "value"),
    [
        ("id", "1.250,5", 1250.5),
        ("id", "3.000", 3000),
        ("en", "1,250.5", 1250.5),
        ("en", "3,000", 3000),
    ],
)
def test_a_target_is_read_as_written_in_the_page_language(
    rate, jatim_manager, language, typed, value
):
    with translation.override(language):
        assert targets.set_target(jatim_manager, rate, "35", 2026, typed).value == value


def test_a_target_written_the_other_way_is_refused_saying_how_it_would_read(rate, jatim_manager):
    with pytest.raises(ValidationError) as refused:
        targets.set_target(jatim_manager, rate, "35", 2026, "52,5")  # English
    assert "type 52.5" in refused.value.error_dict["value"][0].message
    assert not Target.objects.exists()


def test_the_indonesian_targets_page_writes_numbers_the_indonesian_way(rate, jatim_manager):
    """The target's input shows it as it is typed here, so saving the form unchanged keeps
    it; realisation and capaian are written the same way."""
    targets.set_target(jatim_manager, rate, "35", 2026, 1250.5)
    client = client_for(jatim_manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get(reverse("target-list"), {"indicator": "UJI_RATE", "year": 2026})
    province = html.content.decode().split('data-testid="target-35"')[1].split("</tr>")[0]
    assert 'value="1.250,5"' in province
    assert "40,0" in province  # realisation
    assert "3,2%" in province  # capaian: 40 of 1250.5
    form = {"indicator": "UJI_RATE", "year": "2026", "region": "35", "value": "1.250,5"}
    client.post(reverse("target-list"), form)
    assert Target.objects.get().value == 1250.5
    detail = client.get(reverse("target-detail", args=[Target.objects.get().pk]))
    assert 'data-testid="target-value">1.250,5<' in detail.content.decode()


@pytest.mark.parametrize(
    ("template", "language", "shown"),
    [
        ("{{ v|number }}", "id", "1.234.567,125"),
        ("{{ v|number }}", "en", "1,234,567.125"),
        ("{{ v|number:2 }}", "id", "1.234.567,13"),
        ('{{ v|number:"-2" }}', "en", "1,234,567.13"),
        ("{{ whole|number:1 }}", "id", "40,0"),
        ('{{ whole|number:"-1" }}', "id", "40"),
        ("{{ nothing|number }}", "id", ""),
        ("{{ text|number }}", "id", ""),
    ],
)
def test_the_number_filter_writes_numbers_as_people_read_them(template, language, shown):
    context = Context({"v": 1234567.125, "whole": 40.0, "nothing": None, "text": "banyak"})
    with translation.override(language):
        assert Template("{% load cegah %}" + template).render(context) == shown
