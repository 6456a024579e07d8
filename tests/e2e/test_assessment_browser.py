"""An assessment in a real browser: the Surabaya officer registers a school, assesses it
against the school standard with an evidence file (a small PNG made here), and submits;
the Surabaya manager verifies; the site page shows the maturity; the Malang manager gets
404 on the site and on its evidence file. No CSP violation or console error on the way
(see ``browsing`` in conftest.py)."""

import re
import secrets
import struct
import zlib

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# Every school component at level 3, the policy at 4: (15·4 + 85·3) / 100 = 3.15.
EXPECTED_MATURITY = re.compile(r"3[.,]15")


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"\x00\xff\xff\xff" * 2
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _switch_user(browsing, username: str) -> None:
    browsing.context.clear_cookies()
    browsing.login(username)


def test_school_assessed_with_evidence_verified_and_hidden_from_another_regency(browsing):
    page = browsing.page
    suffix = secrets.token_hex(3)
    name = f"SMP Negeri Uji Peramban {suffix}"

    # 1. The officer registers a school.
    browsing.login("cegah.surabaya")
    browsing.goto("/sites/baru/")
    page.fill("input[name=name]", name)
    page.select_option("select[name=site_type]", "smp")
    page.fill("input[name=region_code]", "35.78.01")
    page.fill("input[name=official_id]", f"7{secrets.randbelow(10**7):07d}")
    with page.expect_navigation():
        page.get_by_test_id("save").click()
    match = re.search(r"/sites/(\d+)/$", page.url)
    assert match, page.url
    site_path = f"/sites/{match.group(1)}/"
    expect(page.get_by_test_id("site-name")).to_have_text(name)

    # 2. … assesses it: each component shows its five level descriptors.
    with page.expect_navigation():
        page.get_by_test_id("new-assessment").click()
    form = page.get_by_test_id("assessment-form")
    components = form.locator("fieldset[data-testid^=component-]")
    assert components.count() == 7
    for index in range(components.count()):
        component = components.nth(index)
        expect(component.locator("input[type=radio]")).to_have_count(5)
        level = "4" if component.get_attribute("data-testid") == "component-policy" else "3"
        component.locator(f"input[type=radio][value='{level}']").check()
    page.fill("textarea[name=note_policy]", "SK kepala sekolah tentang sekolah bebas narkoba")
    with page.expect_navigation():
        page.get_by_test_id("save").click()
    assert re.search(r"/penilaian/\d+/$", page.url), page.url
    assessment_path = page.url.removeprefix(browsing.server.url)
    expect(page.get_by_test_id("maturity")).to_have_text(EXPECTED_MATURITY)

    # … with an evidence file, uploaded from the page.
    evidence_form = page.get_by_test_id("evidence-form")
    evidence_form.locator("input[type=file]").set_input_files(
        {"name": "foto-poster.png", "mimeType": "image/png", "buffer": _png()}
    )
    with page.expect_navigation():
        page.get_by_test_id("upload").click()
    link = page.get_by_test_id("evidence-link")
    expect(link).to_have_text("foto-poster.png")
    evidence_path = link.get_attribute("href")
    download = browsing.context.request.get(browsing.url(evidence_path))
    assert download.status == 200
    assert download.headers["content-type"] == "image/png"
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.body() == _png()

    # … and submits it.
    with page.expect_navigation():
        page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("evidence-form")).to_have_count(0)
    expect(page.get_by_test_id("verify")).to_have_count(0)  # not for the assessor

    # 3. The Surabaya manager verifies.
    _switch_user(browsing, "surabaya")
    browsing.goto(assessment_path)
    with page.expect_navigation():
        page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("verified-by")).to_be_visible()
    expect(page.get_by_test_id("functioning")).to_contain_text(re.compile(r"\S"))

    # 4. The site page shows the maturity.
    browsing.goto(site_path)
    expect(page.get_by_test_id("site-status")).to_contain_text(EXPECTED_MATURITY)
    expect(page.get_by_test_id("site-assessments")).to_contain_text(EXPECTED_MATURITY)

    # 5. The Malang manager finds neither the site nor its evidence file.
    _switch_user(browsing, "malang")
    browsing.goto(site_path, status=404)
    expect(page.get_by_test_id("not-found")).to_be_visible()
    browsing.goto(evidence_path, status=404)
    expect(page.get_by_test_id("not-found")).to_be_visible()
    browsing.goto(assessment_path, status=404)
    answer = browsing.context.request.get(browsing.url(evidence_path))
    assert answer.status == 404
    assert _png() not in answer.body()
