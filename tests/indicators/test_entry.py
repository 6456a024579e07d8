"""The entry page (/data/entry/): pick a data set, an org unit in scope and a period; each
cell saves through write_values as it is typed, answers with inline validation and saves
nothing on error; clearing a cell deletes the value; comments and history per value;
approved periods are read-only."""

import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from cegah.core.models import ChangeLog
from cegah.indicators import approvals, entry, views_entry
from cegah.indicators.models import Approval, DataValue
from tests.conftest import bearer, client_for
from tests.indicators.helpers import data_set, element, english_client, enter, rule

GRID = {"dataSet": "UJI_TRIWULAN", "orgUnit": "35.78", "period": "2026Q1"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def quarterly(db):
    tested = element("UJI_TESTED", max_value=10_000)
    positive = element("UJI_POSITIVE", disaggregation="sex")
    perda = element("UJI_PERDA", value_type="BOOLEAN")
    derived = element("UJI_DERIVED", derived=True)
    ds = data_set("UJI_TRIWULAN", [(tested, True), positive, perda, derived])
    rule("UJI_POS_LE_TESTED", "#{UJI_POSITIVE}", "<=", "#{UJI_TESTED}", ds)
    return ds


CURRENT = object()


def save(client, de, value, coc="default", version=CURRENT, **grid):
    """Post a cell as the grid does, with the version of the value the cell was loaded
    with; by default the grid is up to date (the version stored now)."""
    if version is CURRENT:
        version = entry.version_of(stored(de, coc, grid.get("orgUnit", "35.78")))
    return client.post(
        reverse("data-entry-value"),
        {**GRID, **grid, "de": de, "coc": coc, "value": value, "version": version},
    )


def stored(de="UJI_TESTED", coc="default", org_unit="35.78"):
    return DataValue.objects.filter(
        data_element__code=de, coc=coc, org_unit=org_unit, period="2026Q1"
    ).first()


def versions(html: str) -> dict[str, str]:
    """The version each cell of a grid page (or of a save's answer, out of band) holds."""
    return dict(re.findall(r'id="ver-([^"]+)" name="version" value="([^"]*)"', html))


def test_picker_lists_the_regencies_in_scope_and_the_data_set_periods(
    quarterly, jatim_manager, surabaya_officer
):
    page = english_client(jatim_manager).get(reverse("data-entry"), {"dataSet": "UJI_TRIWULAN"})
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<option value="35.') == 38
    assert "Kota Surabaya (35.78)" in html
    assert "Kota Bandung" not in html
    assert '<option value="2026Q1"' in html
    assert '<option value="202601"' not in html

    own = english_client(surabaya_officer).get(reverse("data-entry"), {"dataSet": "UJI_TRIWULAN"})
    assert own.content.decode().count('<option value="35.') == 1


def test_grid_of_an_org_unit_out_of_scope_is_not_found(quarterly, malang_manager, focal_point):
    assert english_client(malang_manager).get(reverse("data-entry"), GRID).status_code == 404
    assert english_client(focal_point).get(reverse("data-entry"), GRID).status_code == 404
    response = save(english_client(malang_manager), "UJI_TESTED", "5")
    assert response.status_code == 404
    assert not DataValue.objects.filter(data_element__code="UJI_TESTED").exists()


def test_grid_has_a_row_per_element_and_a_cell_per_category_option_combo(
    quarterly, surabaya_officer
):
    html = english_client(surabaya_officer).get(reverse("data-entry"), GRID).content.decode()
    for cell in ("UJI_TESTED-default", "UJI_POSITIVE-M", "UJI_POSITIVE-F", "UJI_PERDA-default"):
        assert f'id="v-{cell}"' in html
    assert 'hx-trigger="input changed delay:800ms, change"' in html
    assert "Derived by Cegah from its records; not typed in." in html
    assert "<th>Male</th><th>Female</th>" in html
    assert 'data-testid="submit-data-set"' in html  # the BNNK submits its own regency
    assert 'data-testid="locked-banner"' not in html


def test_a_cell_saves_as_it_is_typed_through_the_write_path(quarterly, surabaya_officer):
    client = english_client(surabaya_officer)
    response = save(client, "UJI_TESTED", "120")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-cell-state="saved"' in html
    assert stored().value == 120
    log = ChangeLog.objects.get(object_type="indicators.datavalue")
    assert (log.action, log.username) == ("create", "cegah.surabaya")

    save(client, "UJI_POSITIVE", "7", coc="F")
    assert stored("UJI_POSITIVE", "F").value == 7
    save(client, "UJI_PERDA", "1")
    assert stored("UJI_PERDA").value == 1.0

    # The same value again changes nothing and still says it is saved.
    again = save(client, "UJI_TESTED", "120")
    assert 'data-cell-state="unchanged"' in again.content.decode()
    assert ChangeLog.objects.filter(object_type="indicators.datavalue").count() == 3


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Expected a number."),
        ("1.5", "Expected a whole number."),
        ("20000", "Above the maximum of 10,000"),
    ],
)
def test_an_invalid_value_answers_with_an_inline_error_and_saves_nothing(
    quarterly, surabaya_officer, typed, message
):
    client = english_client(surabaya_officer)
    save(client, "UJI_TESTED", "40")
    response = save(client, "UJI_TESTED", typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-cell-state="error"' in html
    assert 'role="alert"' in html
    assert message in html
    assert stored().value == 40
    assert ChangeLog.objects.filter(object_type="indicators.datavalue").count() == 1


def test_clearing_a_cell_deletes_the_value_with_a_change_log_entry(quarterly, surabaya_officer):
    client = english_client(surabaya_officer)
    save(client, "UJI_TESTED", "40")
    response = save(client, "UJI_TESTED", "  ")
    assert 'data-cell-state="deleted"' in response.content.decode()
    assert stored() is None
    entry = ChangeLog.objects.filter(object_type="indicators.datavalue").first()
    assert (entry.action, entry.before["value"], entry.after) == ("delete", 40.0, None)
    # Clearing an empty cell does nothing.
    assert 'data-cell-state="empty"' in save(client, "UJI_TESTED", "").content.decode()


def test_saving_a_value_keeps_its_comment_and_a_comment_keeps_its_value(
    quarterly, surabaya_officer
):
    client = english_client(surabaya_officer)
    save(client, "UJI_TESTED", "40")
    comment_url = reverse("data-entry-comment")
    response = client.post(
        comment_url, {**GRID, "de": "UJI_TESTED", "coc": "default", "comment": "posko terminal"}
    )
    assert "Comment saved" in response.content.decode()
    assert (stored().value, stored().comment) == (40, "posko terminal")
    save(client, "UJI_TESTED", "41")
    assert (stored().value, stored().comment) == (41, "posko terminal")

    empty = client.post(comment_url, {**GRID, "de": "UJI_POSITIVE", "coc": "M", "comment": "x"})
    assert "Enter a value before commenting on it." in empty.content.decode()
    assert stored("UJI_POSITIVE", "M") is None


def test_value_history_lists_every_change_even_across_a_deletion(
    quarterly, surabaya_officer, surabaya_manager
):
    save(english_client(surabaya_officer), "UJI_TESTED", "40")
    save(english_client(surabaya_manager), "UJI_TESTED", "42")
    save(english_client(surabaya_manager), "UJI_TESTED", "")
    save(english_client(surabaya_officer), "UJI_TESTED", "43")
    response = english_client(surabaya_officer).get(
        reverse("data-entry-history"), {**GRID, "de": "UJI_TESTED", "coc": "default"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<tr>") == 5  # header and four changes
    assert "40 → 42" in html
    assert "<del>42</del> (deleted)" in html
    assert html.index("43") < html.index("40 → 42")  # newest first
    # Another cell's history is its own.
    other = english_client(surabaya_officer).get(
        reverse("data-entry-history"), {**GRID, "de": "UJI_POSITIVE", "coc": "M"}
    )
    assert "No changes recorded yet." in other.content.decode()


def test_violations_are_shown_after_each_save_without_blocking_it(quarterly, surabaya_officer):
    client = english_client(surabaya_officer)
    save(client, "UJI_TESTED", "5")
    response = save(client, "UJI_POSITIVE", "6", coc="M")
    html = response.content.decode()
    assert 'data-cell-state="saved"' in html
    assert 'id="violations" hx-swap-oob="true"' in html
    assert "6 ≤ 5 is false" in html
    assert stored("UJI_POSITIVE", "M").value == 6
    fixed = save(client, "UJI_TESTED", "9").content.decode()
    assert "is false" not in fixed


def test_an_approved_period_is_read_only_with_a_banner_and_refuses_posts(
    quarterly, surabaya_officer, jatim_manager
):
    client = english_client(surabaya_officer)
    save(client, "UJI_TESTED", "40")
    save(client, "UJI_POSITIVE", "4", coc="M")
    approvals.submit(surabaya_officer, quarterly, "35.78", ("35.78", None), "2026Q1")
    approvals.transition(jatim_manager, Approval.objects.get(), approvals.APPROVE)

    html = client.get(reverse("data-entry"), GRID).content.decode()
    assert 'data-testid="locked-banner"' in html
    assert "hx-post" not in html.split('id="entry-grid"')[1]
    assert 'readonly aria-readonly="true"' in html

    refused = save(client, "UJI_TESTED", "41").content.decode()
    assert "locked" in refused
    assert 'data-cell-state="error"' in refused
    cleared = save(client, "UJI_TESTED", "").content.decode()
    assert "locked" in cleared
    assert stored().value == 40


def test_viewer_reads_the_grid_but_cannot_save(quarterly, jatim_viewer, surabaya_officer):
    save(english_client(surabaya_officer), "UJI_TESTED", "40")
    client = english_client(jatim_viewer)
    html = client.get(reverse("data-entry"), GRID).content.decode()
    assert 'value="40"' in html
    assert "Your role can read this data but not enter it." in html
    assert save(client, "UJI_TESTED", "41").status_code == 403
    assert stored().value == 40


def test_wrong_period_or_org_unit_kind_is_a_message(quarterly, jatim_manager, surabaya_site):
    client = english_client(jatim_manager)
    html = client.get(reverse("data-entry"), {**GRID, "period": "202601"}).content.decode()
    assert "Pick a quarterly period." in html
    html = client.get(reverse("data-entry"), {**GRID, "orgUnit": surabaya_site.code}).content
    assert "pick a regency or city" in html.decode()
    html = client.get(reverse("data-entry"), {**GRID, "orgUnit": "35"}).content.decode()
    assert "pick a regency or city" in html


def test_site_data_set_finds_sites_in_scope_and_opens_their_grid(
    db, surabaya_site, malang_site, surabaya_manager
):
    per_site = element("UJI_SITE")
    data_set("UJI_KAWASAN", [per_site], org_unit_kind="site")
    client = english_client(surabaya_manager)
    page = client.get(reverse("data-entry"), {"dataSet": "UJI_KAWASAN"}).content.decode()
    assert 'id="site-search"' in page

    found = client.get(
        reverse("data-entry-sites"), {"q": "SMP Negeri Uji", "dataSet": "UJI_KAWASAN"}
    ).content.decode()
    assert surabaya_site.name in found
    assert malang_site.name not in found

    grid = {"dataSet": "UJI_KAWASAN", "orgUnit": surabaya_site.code, "period": "2026Q1"}
    html = client.get(reverse("data-entry"), grid).content.decode()
    assert 'id="v-UJI_SITE-default"' in html
    response = client.post(
        reverse("data-entry-value"), {**grid, "de": "UJI_SITE", "coc": "default", "value": "3"}
    )
    assert 'data-cell-state="saved"' in response.content.decode()
    value = DataValue.objects.get(org_unit=surabaya_site.code)
    assert (value.site_id, value.region_code) == (surabaya_site.pk, "35.78.01")
    other = {**grid, "orgUnit": malang_site.code}
    assert client.get(reverse("data-entry"), other).status_code == 404


def test_unknown_element_or_combo_is_not_found(quarterly, surabaya_officer):
    client = english_client(surabaya_officer)
    assert save(client, "URINE_TESTED", "1").status_code == 404  # not in this data set
    assert save(client, "UJI_POSITIVE", "1", coc="X").status_code == 404
    assert save(client, "UJI_TESTED", "1", period="2026Q5").status_code == 404
    assert not DataValue.objects.exists()


def test_grid_with_values_entered_elsewhere_shows_them(quarterly, surabaya_manager):
    enter(surabaya_manager, [("UJI_POSITIVE", "2026Q1", "35.78", 3, "F")])
    html = english_client(surabaya_manager).get(reverse("data-entry"), GRID).content.decode()
    cell = html.split('id="v-UJI_POSITIVE-F"')[1].split(">")[0]
    assert 'value="3"' in cell


def test_the_approver_sees_a_link_to_review_instead_of_submit(
    quarterly, surabaya_officer, jatim_manager
):
    client = english_client(surabaya_officer)
    save(client, "UJI_TESTED", "40")
    approval = approvals.submit(surabaya_officer, quarterly, "35.78", ("35.78", None), "2026Q1")
    html = english_client(jatim_manager).get(reverse("data-entry"), GRID).content.decode()
    assert 'data-testid="submit-data-set"' not in html
    assert html.count(f'href="/approvals/{approval.pk}/"') == 1
    assert "Review the approval" in html
    own = client.get(reverse("data-entry"), GRID).content.decode()
    assert "Approval and history" in own  # nothing left for the BNNK to do


# ---------------------------------------------------------------------------------------
# Numbers as people write them (DESIGN §5): the grid reads and shows the page's language.


def indonesian_client(user):
    client = client_for(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    return client


@pytest.fixture
def amounts(db):
    """A quarterly report with a count, a measure and an amount in rupiah."""
    return data_set(
        "UJI_ANGKA",
        [
            element("UJI_COUNT"),
            element("UJI_HECTARES", value_type="NUMBER"),
            element("UJI_BUDGET", value_type="RUPIAH"),
        ],
    )


AMOUNTS = {**GRID, "dataSet": "UJI_ANGKA"}


def api_values(user, data_set_code: str) -> dict[str, str]:
    """The values of the grid's org unit and period as the API (machine notation) gives
    them, by element code."""
    client = client_for(user)
    client.logout()
    client.defaults.update(bearer(user))
    response = client.get(
        "/api/v1/dataValueSets",
        {"format": "json", "dataSet": data_set_code, "period": "2026Q1", "orgUnit": "35.78"},
    )
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return {v["dataElement"]: v["value"] for v in json.loads(body)["dataValues"]}


def shown(html: str, cell: str) -> str:
    return re.search(r'value="([^"]*)"', html.split(f'id="v-{cell}"')[1].split(">")[0])[1]


def test_the_indonesian_grid_reads_numbers_as_written_in_indonesian(amounts, surabaya_officer):
    client = indonesian_client(surabaya_officer)
    for de, typed in [
        ("UJI_COUNT", "3.000"),
        ("UJI_HECTARES", "2,5"),
        ("UJI_BUDGET", "Rp 1.250.000"),
    ]:
        answer = save(client, de, typed, dataSet="UJI_ANGKA").content.decode()
        assert 'data-cell-state="saved"' in answer, answer
    assert api_values(surabaya_officer, "UJI_ANGKA") == {
        "UJI_COUNT": "3000",
        "UJI_HECTARES": "2.5",
        "UJI_BUDGET": "1250000",
    }

    # The grid shows each number as it is typed here, so what it shows reads back the same:
    # a comment (which sends the value shown) keeps the value.
    html = client.get(reverse("data-entry"), AMOUNTS).content.decode()
    assert shown(html, "UJI_COUNT-default") == "3.000"
    assert shown(html, "UJI_HECTARES-default") == "2,5"
    assert shown(html, "UJI_BUDGET-default") == "1.250.000"
    commented = client.post(
        reverse("data-entry-comment"),
        {
            **AMOUNTS,
            "de": "UJI_BUDGET",
            "coc": "default",
            "comment": "APBD perubahan",
            "version": versions(html)["UJI_BUDGET-default"],
        },
    )
    assert "Komentar disimpan" in commented.content.decode()
    assert (stored("UJI_BUDGET").value, stored("UJI_BUDGET").comment) == (1250000, "APBD perubahan")
    assert stored("UJI_HECTARES").value == 2.5

    # The same values in the English grid.
    english = english_client(surabaya_officer).get(reverse("data-entry"), AMOUNTS)
    assert shown(english.content.decode(), "UJI_BUDGET-default") == "1,250,000"
    assert shown(english.content.decode(), "UJI_HECTARES-default") == "2.5"


def test_the_english_grid_refuses_a_whole_number_written_the_indonesian_way(
    quarterly, surabaya_officer
):
    client = english_client(surabaya_officer)
    answer = save(client, "UJI_TESTED", "1.250").content.decode()
    assert 'data-cell-state="error"' in answer
    assert "1.250 reads two ways" in answer
    assert "it would read 1250. If you meant 1250, type 1,250." in answer
    assert stored() is None

    assert 'data-cell-state="saved"' in save(client, "UJI_TESTED", "1,250").content.decode()
    assert stored().value == 1250


def test_the_value_history_and_rule_messages_write_numbers_in_the_page_language(
    quarterly, surabaya_officer
):
    client = indonesian_client(surabaya_officer)
    save(client, "UJI_TESTED", "1.500")
    save(client, "UJI_TESTED", "2.000")
    answer = save(client, "UJI_POSITIVE", "2.500", coc="M").content.decode()
    assert "2.500 ≤ 2.000" in answer  # the rule's violation, in the grid's language
    history = client.get(
        reverse("data-entry-history"), {**GRID, "de": "UJI_TESTED", "coc": "default"}
    ).content.decode()
    assert "1.500 → 2.000" in history


# ---------------------------------------------------------------------------------------
# No lost update: a save over someone else's change since the grid was loaded writes
# nothing and shows theirs.


@pytest.fixture
def manager_named(surabaya_manager):
    surabaya_manager.first_name, surabaya_manager.last_name = "Sri", "Wahyuni"
    surabaya_manager.save()
    return surabaya_manager


def grid_versions(client) -> dict[str, str]:
    return versions(client.get(reverse("data-entry"), GRID).content.decode())


def changed_after_loading(officer_user, other_user, theirs: str):
    """The officer saves 40 and loads the grid; then the other user saves ``theirs`` to
    the same cell. Returns the officer's client and the version its grid holds."""
    officer = english_client(officer_user)
    save(officer, "UJI_TESTED", "40")
    loaded = grid_versions(officer)["UJI_TESTED-default"]
    save(english_client(other_user), "UJI_TESTED", theirs)
    return officer, loaded


def logged() -> int:
    return ChangeLog.objects.filter(object_type="indicators.datavalue").count()


def save_mine_anyway(client, answer: str, value: str, cell="UJI_TESTED-default"):
    """Click "Save my value anyway": the button posts the cell's input with the version
    stored now, which the conflict's answer gives it."""
    button = re.search(rf'<button[^>]*data-testid="save-mine-{cell}"', answer, re.S)[0]
    vals = json.loads(re.search(r"hx-vals='([^']*)'", button)[1])
    return client.post(reverse("data-entry-value"), {**GRID, **vals, "value": value})


def test_a_save_over_a_change_made_since_the_grid_was_loaded_writes_nothing_and_shows_it(
    quarterly, surabaya_officer, manager_named
):
    officer = english_client(surabaya_officer)
    save(officer, "UJI_TESTED", "4000")
    loaded = grid_versions(officer)["UJI_TESTED-default"]
    assert loaded == entry.version_of(stored())
    save(english_client(manager_named), "UJI_TESTED", "4200")
    before = logged()

    answer = save(officer, "UJI_TESTED", "4500", version=loaded).content.decode()
    assert 'data-cell-state="conflict"' in answer
    assert "Sri Wahyuni saved <strong>4,200</strong> on" in answer
    assert "after this page was opened" in answer
    assert "Yours, <strong>4500</strong>, is not saved." in answer
    assert 'data-testid="save-mine-UJI_TESTED-default"' in answer
    assert 'data-testid="use-theirs-UJI_TESTED-default"' in answer
    assert f'data-value="4,200" data-version="{entry.version_of(stored())}"' in answer
    # The cell keeps the version it was loaded with: its next save meets theirs again.
    assert "UJI_TESTED-default" not in versions(answer)
    assert (stored().value, stored().stored_by, logged()) == (4200, "surabaya", before)
    again = save(officer, "UJI_TESTED", "4600", version=loaded).content.decode()
    assert 'data-cell-state="conflict"' in again
    assert (stored().value, logged()) == (4200, before)

    # "Save my value anyway" writes over theirs, as a change of theirs.
    confirmed = save_mine_anyway(officer, again, "4600").content.decode()
    assert 'data-cell-state="saved"' in confirmed
    assert versions(confirmed) == {"UJI_TESTED-default": entry.version_of(stored())}
    assert (stored().value, stored().stored_by) == (4600, "cegah.surabaya")
    last = ChangeLog.objects.filter(object_type="indicators.datavalue").first()
    assert (last.action, last.before["value"], last.after["value"]) == ("update", 4200, 4600)


def test_the_conflict_says_who_and_when_in_the_page_language_and_local_time(
    quarterly, surabaya_officer, manager_named
):
    officer = indonesian_client(surabaya_officer)
    loaded = grid_versions(officer)["UJI_TESTED-default"]
    assert loaded == ""  # no value yet
    save(indonesian_client(manager_named), "UJI_TESTED", "4200")
    answer = save(officer, "UJI_TESTED", "45", version=loaded).content.decode()
    change = ChangeLog.objects.filter(object_type="indicators.datavalue").get()
    at = timezone.localtime(change.timestamp)  # Asia/Jakarta
    months = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November"
    month = [*months.split(), "Desember"][at.month - 1]
    assert (
        f"Sri Wahyuni menyimpan <strong>4.200</strong> pada "
        f"{at.day} {month} {at.year} {at:%H.%M} WIB, setelah halaman ini dibuka."
    ) in answer
    assert "Tetap simpan nilai saya" in answer
    assert "Pakai nilai mereka" in answer
    assert stored().value == 4200


def test_a_cells_own_saves_follow_each_other_without_a_conflict(quarterly, surabaya_officer):
    """Each answer gives the cell the version it stored (out of band); the grid sends it
    with the next save, whatever that save is: a new value, the same again (typing and
    leaving the cell both save), a comment, a clearing, a value again."""
    client = english_client(surabaya_officer)
    version = grid_versions(client)["UJI_TESTED-default"]
    for typed, state in [
        ("4", "saved"),
        ("42", "saved"),
        ("42", "unchanged"),
        ("", "deleted"),
        ("", "empty"),
        ("7", "saved"),
    ]:
        answer = save(client, "UJI_TESTED", typed, version=version).content.decode()
        assert f'data-cell-state="{state}"' in answer, (typed, answer)
        version = versions(answer)["UJI_TESTED-default"]
        assert version == entry.version_of(stored())
    comment = client.post(
        reverse("data-entry-comment"),
        {**GRID, "de": "UJI_TESTED", "coc": "default", "comment": "x", "version": version},
    ).content.decode()
    version = versions(comment)["UJI_TESTED-default"]
    assert version == entry.version_of(stored())
    answer = save(client, "UJI_TESTED", "8", version=version).content.decode()
    assert 'data-cell-state="saved"' in answer
    assert (stored().value, stored().comment) == (8, "x")


def test_a_comment_on_a_stale_cell_does_not_move_its_version_on(
    quarterly, surabaya_officer, surabaya_manager
):
    officer, loaded = changed_after_loading(surabaya_officer, surabaya_manager, "42")
    comment = officer.post(
        reverse("data-entry-comment"),
        {**GRID, "de": "UJI_TESTED", "coc": "default", "comment": "x", "version": loaded},
    ).content.decode()
    assert "Comment saved" in comment
    assert versions(comment) == {}
    answer = save(officer, "UJI_TESTED", "45", version=loaded).content.decode()
    assert 'data-cell-state="conflict"' in answer
    assert stored().value == 42


def test_clearing_a_cell_changed_since_the_grid_was_loaded_deletes_nothing(
    quarterly, surabaya_officer, surabaya_manager
):
    officer, loaded = changed_after_loading(surabaya_officer, surabaya_manager, "42")

    answer = save(officer, "UJI_TESTED", "", version=loaded).content.decode()
    assert 'data-cell-state="conflict"' in answer
    assert "You cleared the cell; nothing was deleted." in answer
    assert "Delete anyway" in answer
    assert stored().value == 42
    confirmed = save_mine_anyway(officer, answer, "").content.decode()
    assert 'data-cell-state="deleted"' in confirmed
    assert versions(confirmed) == {"UJI_TESTED-default": ""}
    assert stored() is None


def test_a_save_over_a_value_deleted_or_created_since_the_grid_was_loaded_writes_nothing(
    quarterly, surabaya_officer, surabaya_manager
):
    officer, manager = english_client(surabaya_officer), english_client(surabaya_manager)
    save(officer, "UJI_TESTED", "40")
    loaded = grid_versions(officer)
    save(manager, "UJI_TESTED", "")  # deleted by someone else
    deleted = save(officer, "UJI_TESTED", "41", version=loaded["UJI_TESTED-default"])
    assert "surabaya deleted this value on" in deleted.content.decode()
    assert "Keep it deleted" in deleted.content.decode()
    assert 'data-value="" data-version=""' in deleted.content.decode()
    assert stored() is None

    save(manager, "UJI_POSITIVE", "3", coc="F")  # created by someone else
    created = save(officer, "UJI_POSITIVE", "5", coc="F", version=loaded["UJI_POSITIVE-F"])
    assert 'data-cell-state="conflict"' in created.content.decode()
    assert "surabaya saved <strong>3</strong>" in created.content.decode()
    assert stored("UJI_POSITIVE", "F").value == 3


def test_typing_what_someone_else_stored_since_is_no_conflict(
    quarterly, surabaya_officer, surabaya_manager
):
    officer, loaded = changed_after_loading(surabaya_officer, surabaya_manager, "1,200")
    answer = save(officer, "UJI_TESTED", "1200", version=loaded).content.decode()
    assert 'data-cell-state="unchanged"' in answer
    assert versions(answer) == {"UJI_TESTED-default": entry.version_of(stored())}
    assert stored().stored_by == "surabaya"


def test_a_value_created_between_the_check_and_the_write_is_not_overwritten(
    quarterly, surabaya_officer, surabaya_manager, monkeypatch
):
    """On PostgreSQL an absent row cannot be locked: another writer's new value can land
    after the check read nothing and before the write. The write then finds a value to
    update where it expected to create one, and is undone. (Here the check is made to read
    nothing while the other value is there, as it would have been a moment earlier.)"""
    enter(surabaya_manager, [("UJI_TESTED", "2026Q1", "35.78", 42)])
    before = logged()
    read = views_entry._stored
    monkeypatch.setattr(
        views_entry, "_stored", lambda *args, lock=False: None if lock else read(*args)
    )
    answer = save(english_client(surabaya_officer), "UJI_TESTED", "45", version="")
    assert 'data-cell-state="conflict"' in answer.content.decode()
    assert "surabaya saved <strong>42</strong>" in answer.content.decode()
    assert (stored().value, logged()) == (42, before)
