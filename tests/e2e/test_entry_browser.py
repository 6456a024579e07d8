"""Data entry in a real browser, on a phone-sized screen: the Surabaya officer opens the
quarterly P2M report, types a value that saves itself (a reload shows it), then an invalid
one that is refused inline and not saved. The page must not scroll sideways at 360 px and
must raise no CSP violation or console error (see ``browsing`` in conftest.py)."""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
CELL = "#v-ACTIVITIES_PREVENTION-default"
FEEDBACK = "#fb-ACTIVITIES_PREVENTION-default"


def _open_an_unlocked_quarter(browsing) -> str:
    """Open the P2M grid of Kota Surabaya for the most recent quarter that is not approved
    (the demo approves some of its past quarters)."""
    page = browsing.page
    browsing.goto("/data/entry/")
    with page.expect_navigation():
        page.select_option("#dataSet", "P2M_TRIWULAN")  # submits itself (data-autosubmit)
    expect(page.locator("#orgUnit")).to_have_value("35.78")
    quarters = page.locator("#period option").evaluate_all("options => options.map(o => o.value)")
    assert quarters and all(re.fullmatch(r"\d{4}Q[1-4]", q) for q in quarters)
    for quarter in quarters:
        browsing.goto(f"/data/entry/?dataSet=P2M_TRIWULAN&orgUnit=35.78&period={quarter}")
        if page.locator("[data-testid=locked-banner]").count() == 0:
            return quarter
    raise AssertionError("every quarter of Kota Surabaya is locked in the demo")


@pytest.mark.parametrize("browsing", [PHONE], indirect=True)
def test_officer_enters_a_value_that_saves_itself_and_an_invalid_one_that_does_not(browsing):
    page = browsing.page
    browsing.login("cegah.surabaya")
    quarter = _open_an_unlocked_quarter(browsing)
    expect(page.get_by_test_id("grid-org-unit")).to_contain_text("Kota Surabaya")

    cell = page.locator(CELL)
    before = cell.input_value()
    new_value = str(int(before) + 1) if before else "17"
    cell.fill(new_value)  # no button: the cell saves itself shortly after typing stops
    expect(page.locator(f"{FEEDBACK} [data-cell-state=saved]")).to_be_visible()
    expect(cell).not_to_have_attribute("aria-invalid", "true")

    page.reload()
    expect(page.locator(CELL)).to_have_value(new_value)

    cell = page.locator(CELL)
    cell.fill("dua belas")
    expect(page.locator(f"{FEEDBACK} [data-cell-state=error] [role=alert]")).to_be_visible()
    expect(cell).to_have_attribute("aria-invalid", "true")
    expect(cell).to_have_value("dua belas")  # what was typed stays, to be corrected

    page.reload()
    expect(page.locator(CELL)).to_have_value(new_value)  # nothing was saved
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 2, f"{quarter} grid scrolls sideways: {width}px"

    # The value's history names the officer.
    page.get_by_test_id("history-ACTIVITIES_PREVENTION-default").click()
    expect(page.locator("#hist-ACTIVITIES_PREVENTION-default")).to_contain_text("cegah.surabaya")


def test_on_a_slow_connection_the_cell_keeps_what_is_typed_and_saves_the_last_value(browsing):
    """The first save is held (a slow network): the cell shows it is saving, the user keeps
    typing, the newer value waits for the older save (never overtaking it) and is what is
    stored in the end."""
    page = browsing.page
    browsing.login("cegah.surabaya")
    _open_an_unlocked_quarter(browsing)
    held = []

    def hold_the_first(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route("**/data/entry/value/", hold_the_first)

    cell = page.locator(CELL)
    cell.fill("4")
    expect(page.locator("#sv-ACTIVITIES_PREVENTION-default")).to_be_visible()  # Saving…
    cell.press_sequentially("2")  # still typing while the first save is on its way
    expect(cell).to_have_value("42")
    page.wait_for_timeout(1500)  # past the typing delay: the newer save is queued, not sent
    assert page.locator(f"{FEEDBACK} [data-cell-state]").count() == 0  # nothing answered yet

    def saves_42(response):
        return response.url.endswith("/data/entry/value/") and "value=42" in (
            response.request.post_data or ""
        )

    with page.expect_response(saves_42):
        held[0].continue_()  # the first save goes through, then the queued one
    expect(page.locator(f"{FEEDBACK} [data-cell-state=saved]")).to_be_visible()
    expect(cell).to_have_value("42")
    page.reload()
    expect(page.locator(CELL)).to_have_value("42")


# ---------------------------------------------------------------------------------------
# Numbers as people write them, and no lost update between two pages on the same grid.

COUNT = "INFO_REACH-default"  # a whole number
HECTARES = "AD_HECTARES_CONVERTED-default"  # a number with decimals
SHARED = "ACTIVITIES_EMPOWERMENT-default"  # the cell two pages edit


def _saved(page, cell: str):
    """The cell's feedback once its save is answered with success (a new value, or the
    one stored already)."""
    return page.locator(
        f"#fb-{cell} [data-cell-state=saved], #fb-{cell} [data-cell-state=unchanged]"
    )


def _api_values(browsing, quarter: str) -> dict[str, str]:
    """The grid's values as the API gives them (machine notation), through the session."""
    query = f"format=json&dataSet=P2M_TRIWULAN&period={quarter}&orgUnit=35.78"
    answer = browsing.context.request.get(browsing.url(f"/api/v1/dataValueSets?{query}"))
    assert answer.ok, answer.status
    return {
        f"{v['dataElement']}-{v['categoryOptionCombo']}": v["value"]
        for v in answer.json()["dataValues"]
    }


def _indonesian(number: int) -> str:
    return f"{number:,}".replace(",", ".")


@pytest.mark.parametrize("browsing", [PHONE], indirect=True)
def test_the_indonesian_grid_reads_numbers_as_they_are_written_in_indonesian(browsing):
    page = browsing.page
    browsing.login("cegah.surabaya")
    quarter = _open_an_unlocked_quarter(browsing)
    expect(page.locator("html")).to_have_attribute("lang", "id")
    count = "4.000" if page.locator(f"#v-{COUNT}").input_value() == "3.000" else "3.000"
    hectares = "3,5" if page.locator(f"#v-{HECTARES}").input_value() == "2,5" else "2,5"

    page.locator(f"#v-{COUNT}").fill(count)
    expect(_saved(page, COUNT)).to_be_visible()
    page.locator(f"#v-{HECTARES}").fill(hectares)
    expect(_saved(page, HECTARES)).to_be_visible()

    stored = _api_values(browsing, quarter)
    assert stored[COUNT] == count.replace(".", "")  # 3000: the dot groups thousands
    assert stored[HECTARES] == hectares.replace(",", ".")  # 2.5: the comma is the decimal mark
    page.reload()
    expect(page.locator(f"#v-{COUNT}")).to_have_value(count)
    expect(page.locator(f"#v-{HECTARES}")).to_have_value(hectares)


RUPIAH = "APBD_P4GN_RUPIAH-default"  # the yearly commitment report's APBD amount


@pytest.mark.parametrize("browsing", [PHONE], indirect=True)
def test_a_rupiah_typed_in_the_grid_is_the_number_a_dhis2_file_sends(browsing):
    """``Rp 1.250.000`` typed in the Indonesian grid and ``1250000`` in a DHIS2 JSON file
    are the same number: the file, sent after the grid's save, changes nothing."""
    page = browsing.page
    browsing.login("surabaya")
    browsing.goto("/data/entry/?dataSet=KOMITMEN_TAHUNAN&orgUnit=35.78")
    years = page.locator("#period option").evaluate_all("options => options.map(o => o.value)")
    for year in years:
        browsing.goto(f"/data/entry/?dataSet=KOMITMEN_TAHUNAN&orgUnit=35.78&period={year}")
        if page.locator("[data-testid=locked-banner]").count() == 0:
            break
    else:
        raise AssertionError("every year of Kota Surabaya's commitment report is locked")
    amount = 1_350_000 if page.locator(f"#v-{RUPIAH}").input_value() == "1.250.000" else 1_250_000
    page.locator(f"#v-{RUPIAH}").fill(f"Rp {_indonesian(amount)}")
    expect(_saved(page, RUPIAH)).to_be_visible()
    query = f"format=json&dataSet=KOMITMEN_TAHUNAN&period={year}&orgUnit=35.78"
    answer = browsing.context.request.get(browsing.url(f"/api/v1/dataValueSets?{query}"))
    stored = {v["dataElement"]: v["value"] for v in answer.json()["dataValues"]}
    assert stored["APBD_P4GN_RUPIAH"] == str(amount)

    csrf = next(c["value"] for c in browsing.context.cookies() if c["name"] == "csrftoken")
    value = {"dataElement": "APBD_P4GN_RUPIAH", "period": year, "orgUnit": "35.78"}
    sent = browsing.context.request.post(
        browsing.url("/api/v1/dataValueSets"),
        data=json.dumps({"dataValues": [{**value, "value": amount}]}),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf,
                 "Referer": browsing.url("/data/entry/")},
    )  # fmt: skip
    assert sent.ok, sent.text()
    assert sent.json()["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 0}


@pytest.fixture
def second_browsing(chromium, demo_server):
    """Another person's browser (a context of its own) on a phone, with the same checks
    as ``browsing``."""
    from tests.e2e.conftest import browser_context

    with browser_context(chromium, demo_server, PHONE) as state:
        yield state


def test_a_second_page_does_not_overwrite_the_first_and_confirming_saves_it(
    browsing, second_browsing, tmp_path
):
    officer, manager = browsing, second_browsing
    officer.login("cegah.surabaya")
    quarter = _open_an_unlocked_quarter(officer)
    manager.login("surabaya")
    manager.goto(f"/data/entry/?dataSet=P2M_TRIWULAN&orgUnit=35.78&period={quarter}")
    # Both pages are open on the same grid; the officer saves first.
    now = officer.page.locator(f"#v-{SHARED}").input_value()
    base = int(now.replace(".", "")) if now else 0
    first, second, third, fourth = (base + n for n in (1, 2, 3, 4))
    officer.page.locator(f"#v-{SHARED}").fill(str(first))
    expect(_saved(officer.page, SHARED)).to_be_visible()

    # The manager's page was loaded before: its edit is not saved, and says whose is there.
    manager.page.locator(f"#v-{SHARED}").fill(str(second))
    conflict = manager.page.get_by_test_id(f"conflict-{SHARED}")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text(f"Petugas Pencegahan menyimpan {_indonesian(first)} pada")
    expect(conflict).to_contain_text("WIB")
    expect(manager.page.locator(f"#v-{SHARED}")).to_have_attribute("aria-invalid", "true")
    assert _api_values(officer, quarter)[SHARED] == str(first)
    # It fits a phone: neither the page nor the grid's table scrolls sideways to show it.
    width = manager.page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 2, f"the conflict makes the page scroll sideways: {width}px"
    overflow = conflict.evaluate(
        "e => { const t = e.closest('.table-responsive'); return t.scrollWidth - t.clientWidth; }"
    )
    assert overflow <= 1, f"the conflict makes the table scroll sideways by {overflow}px"
    conflict.scroll_into_view_if_needed()
    manager.page.screenshot(path=tmp_path / "conflict-360.png")

    # "Save my value anyway" saves it over the officer's.
    manager.page.get_by_test_id(f"save-mine-{SHARED}").click()
    expect(_saved(manager.page, SHARED)).to_be_visible()
    expect(manager.page.locator(f"#v-{SHARED}")).not_to_have_attribute("aria-invalid", "true")
    assert _api_values(officer, quarter)[SHARED] == str(second)

    # Now the officer's page is behind: "Use their value" takes the manager's, without a
    # request, and the officer's next edit is saved over it without a conflict.
    officer.page.locator(f"#v-{SHARED}").fill(str(third))
    expect(officer.page.get_by_test_id(f"conflict-{SHARED}")).to_contain_text(
        f"Kasi P2M Kota Surabaya menyimpan {_indonesian(second)}"
    )
    sent = []
    officer.page.on("request", lambda request: sent.append(request.url))
    officer.page.get_by_test_id(f"use-theirs-{SHARED}").click()
    expect(officer.page.locator(f"#v-{SHARED}")).to_have_value(str(second))
    assert sent == []
    assert _api_values(officer, quarter)[SHARED] == str(second)
    officer.page.locator(f"#v-{SHARED}").fill(str(fourth))
    expect(_saved(officer.page, SHARED)).to_be_visible()
    assert _api_values(officer, quarter)[SHARED] == str(fourth)
