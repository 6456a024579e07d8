"""What a user does in a real browser: log in, switch language, browse regions, hit a page
outside their jurisdiction, use a phone-sized screen, and get locked out after repeated
wrong passwords. Every test also fails on a CSP violation or console error (see
``browsing`` in conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

NAV = "#navbar-menu"


def test_manager_logs_in_switches_language_and_browses_regions(browsing):
    page = browsing.page
    browsing.login("surabaya")
    expect(page.get_by_test_id("header-office")).to_contain_text("BNNK Kota Surabaya")

    # Indonesian by default, even though this browser asks for English.
    assert page.locator("html").get_attribute("lang") == "id"
    indonesian_nav = page.locator(NAV).inner_text()
    assert "Beranda" in indonesian_nav
    with page.expect_navigation():
        page.get_by_test_id("lang-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(NAV).get_by_role("link", name="Home", exact=True)).to_be_visible()
    assert page.locator(NAV).inner_text() != indonesian_nav
    # The switch stays put: the next page is English too.
    browsing.goto("/wilayah/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Provinces → Jawa Timur → Kota Surabaya, which its own BNNK serves.
    table = page.get_by_test_id("region-table")
    with page.expect_navigation():
        table.get_by_role("link", name="Jawa Timur", exact=True).click()
    expect(page.get_by_test_id("region-name")).to_have_text("Jawa Timur")
    expect(page.get_by_test_id("serving-office")).to_have_text("BNNP Jawa Timur")
    with page.expect_navigation():
        page.get_by_test_id("region-table").get_by_role(
            "link", name="Kota Surabaya", exact=True
        ).click()
    assert page.url.endswith("/wilayah/35.78/")
    expect(page.get_by_test_id("region-name")).to_have_text("Kota Surabaya")
    expect(page.get_by_test_id("serving-office")).to_have_text("BNNK Kota Surabaya")

    # Search for a village by name from the region browser's form.
    browsing.goto("/wilayah/")
    page.fill("#q", "Jemur Wonosari")
    with page.expect_navigation():
        page.locator("form[role=search] button").click()
    assert "q=Jemur+Wonosari" in page.url
    row = page.get_by_test_id("region-table").locator("tr", has_text="35.78.02.1004")
    expect(row).to_contain_text("Jemur Wonosari")
    expect(row).to_contain_text("BNNK Kota Surabaya")
    # And by ?q= in the address.
    browsing.goto("/wilayah/?q=Kebraon")
    expect(page.get_by_test_id("region-table")).to_contain_text("35.78.01.1002")


def test_object_of_another_regency_is_not_found(browsing, chromium, demo_server):
    # Find a Malang site's id through the API, as the national admin (session auth).
    admin = chromium.new_context()
    try:
        admin_page = admin.new_page()
        admin_page.goto(demo_server.url + "/login/")
        admin_page.fill("input[name=username]", "nasional")
        admin_page.fill("input[name=password]", demo_server.password)
        with admin_page.expect_navigation():
            admin_page.locator("form[action$='/login/'] button[type=submit]").click()
        answer = admin.request.get(demo_server.url + "/api/v1/sites?q=Demo 3 Malang")
        assert answer.status == 200, answer.text()
        items = answer.json()["items"]
        assert [item["region"] for item in items] == ["35.73.01"]
        malang_site = items[0]["id"]
    finally:
        admin.close()

    page = browsing.page
    browsing.login("surabaya")
    browsing.goto(f"/sites/{malang_site}/", status=404)
    expect(page.get_by_test_id("not-found")).to_be_visible()
    # The same answer through the API with the manager's session: existence is not revealed.
    answer = browsing.context.request.get(browsing.url(f"/api/v1/sites/{malang_site}"))
    assert answer.status == 404
    assert answer.json() == {"detail": "Not found."}
    # While a site of their own opens.
    own = browsing.context.request.get(browsing.url("/api/v1/sites?q=Demo 1 Surabaya"))
    own_id = own.json()["items"][0]["id"]
    browsing.goto(f"/sites/{own_id}/")
    expect(page.get_by_text("SMP Negeri Demo 1 Surabaya").first).to_be_visible()


@pytest.mark.parametrize("browsing", [{"width": 360, "height": 740}], indirect=True)
def test_phone_width_menu_and_no_horizontal_scroll(browsing):
    page = browsing.page
    browsing.login("surabaya")
    menu = page.locator(NAV)
    toggler = page.locator(".navbar-toggler")
    expect(toggler).to_be_visible()
    expect(menu).to_be_hidden()
    toggler.click()
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="Wilayah", exact=True)).to_be_visible()
    for path in ["/", "/wilayah/", "/wilayah/35.78/", "/sites/"]:
        browsing.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 362, f"{path} scrolls sideways at 360 px: scrollWidth={width}"


def test_api_docs_render_offline_under_csp(browsing):
    page = browsing.page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    browsing.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Cegah API", timeout=15_000)
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/regions/{code}")).to_be_visible()
    outside = [
        url
        for url in requested
        if not url.startswith(browsing.server.url) and not url.startswith("data:")
    ]
    assert not outside, f"the docs page fetched from outside: {outside}"


def test_five_wrong_passwords_lock_the_login(browsing):
    page = browsing.page
    browsing.expect_status("/login/", 429)
    for attempt in range(5):
        browsing.login("malang", password=f"wrong-password-{attempt}", expect_ok=False)
        if attempt < 4:
            expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    browsing.login("malang", expect_ok=False)
    expect(page.get_by_test_id("lockout")).to_be_visible()
    assert page.url.endswith("/login/")
    expect(page.get_by_test_id("header-office")).to_have_count(0)
    # Still locked on the next page load: nothing but the login page.
    browsing.goto("/login/")
    with page.expect_navigation():
        page.goto(browsing.url("/"))
    assert re.search(r"/login/\?next=", page.url)
