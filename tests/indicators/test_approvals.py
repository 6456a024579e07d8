"""Approvals: BNNK submits → BNNP approves → BNN RI accepts; BNNP submits where there is
no BNNK; approved data is locked for entry and import until a higher level reopens it
with a reason; every transition is in the change log; the inbox and completeness."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from cegah.core.models import ChangeLog
from cegah.core.scope import Roles
from cegah.indicators import approvals
from cegah.indicators.approvals import ACCEPT, APPROVE, REOPEN, SUBMIT, TransitionError
from cegah.indicators.models import Approval, DataValue
from tests.conftest import make_user
from tests.indicators.helpers import data_set, element, english_client, enter

KAB_MALANG = "35.07"  # Jawa Timur regency without a BNNK: the BNNP submits
KOTA_MALANG = "35.73"  # has its own BNNK
SIDOARJO = "35.15"  # has its own BNNK
WIB = datetime.timezone(datetime.timedelta(hours=7))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def quarterly(db):
    """A quarterly data set with a quarterly and a monthly element, and an element of
    another data set."""
    tested = element("UJI_TESTED")
    monthly = element("UJI_MONTHLY", period_type="Monthly")
    element("UJI_OTHER", period_type="Monthly")
    return data_set("UJI_TRIWULAN", [tested, monthly], deadline_days=10)


@pytest.fixture
def jatim_officer(db):
    return make_user("petugas.jatim", Roles.OFFICER, "BNNP-35")


def approval_of(ds, org_unit, period="2026Q1") -> Approval:
    return Approval.objects.get(data_set=ds, org_unit=org_unit, period=period)


def submitted(user, ds, org_unit, period="2026Q1") -> Approval:
    return approvals.submit(user, ds, org_unit, (org_unit, None), period)


def log_of(approval) -> list[tuple[str | None, str]]:
    entries = ChangeLog.objects.filter(
        object_type="indicators.approval", object_id=str(approval.pk)
    ).order_by("id")
    return [((e.before or {}).get("status"), e.after["status"]) for e in entries]


def test_full_chain_bnnk_submits_bnnp_approves_ri_accepts(
    quarterly, surabaya_officer, jatim_manager, admin_user
):
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 40)])
    draft = approval_of(quarterly, "35.78")  # entering data opened a draft for the inbox
    assert draft.status == "draft"

    approval = approvals.transition(surabaya_officer, draft, SUBMIT)
    assert approval.status == "submitted"
    assert approval.submitted_at is not None
    approval = approvals.transition(jatim_manager, approval, APPROVE)
    assert approval.status == "approved"
    approval = approvals.transition(admin_user, approval, ACCEPT)

    stored = approval_of(quarterly, "35.78")
    assert stored.status == "accepted"
    assert stored.updated_by == admin_user
    assert log_of(stored) == [
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "accepted"),
    ]
    users = ChangeLog.objects.filter(object_type="indicators.approval").order_by("id")
    assert [e.username for e in users] == [surabaya_officer.username, "jatim", "nasional"]
    assert DataValue.objects.get(org_unit="35.78").status == "accepted"


def test_bnnp_submits_and_ri_approves_and_accepts_where_there_is_no_bnnk(
    quarterly, jatim_manager, jatim_officer, admin_user, surabaya_manager
):
    enter(jatim_officer, [("UJI_TESTED", "2026Q1", KAB_MALANG, 12)])
    approval = approval_of(quarterly, KAB_MALANG)
    chain = approvals.chain_for(KAB_MALANG)
    assert (chain.submitter.code, chain.approver.code, chain.acceptor.code) == (
        "BNNP-35",
        "BNN-RI",
        "BNN-RI",
    )

    # The BNNP does not approve what it submitted itself.
    approval = approvals.transition(jatim_officer, approval, SUBMIT)
    with pytest.raises(TransitionError, match="approved by a manager of BNN RI"):
        approvals.transition(jatim_manager, approval, APPROVE)

    approval = approvals.transition(admin_user, approval, APPROVE)
    approval = approvals.transition(admin_user, approval, ACCEPT)
    assert log_of(approval) == [
        ("draft", "submitted"),
        ("submitted", "approved"),
        ("approved", "accepted"),
    ]


def test_a_site_follows_the_chain_of_its_region(surabaya_site, db):
    chain = approvals.chain_for(surabaya_site.region_id)
    assert (chain.submitter.code, chain.approver.code) == ("BNNK-35.78", "BNNP-35")


@pytest.mark.parametrize(
    ("actor", "setup", "action", "message"),
    [
        ("jatim_manager", None, SUBMIT, "submitted by BNNK Kota Surabaya"),
        ("admin_user", None, SUBMIT, "submitted by BNNK Kota Surabaya"),
        ("surabaya_manager", SUBMIT, APPROVE, "approved by a manager of BNNP Jawa Timur"),
        ("jatim_officer", SUBMIT, APPROVE, "approved by a manager of BNNP Jawa Timur"),
        ("admin_user", SUBMIT, APPROVE, "approved by a manager of BNNP Jawa Timur"),
        ("jatim_manager", APPROVE, ACCEPT, "Only a national admin"),
        ("analyst_user", APPROVE, ACCEPT, "Only a national admin"),
        ("admin_user", SUBMIT, ACCEPT, "Only approved data can be accepted"),
        ("surabaya_manager", SUBMIT, SUBMIT, "Only draft data can be submitted"),
        ("jatim_manager", None, APPROVE, "Only submitted data can be approved"),
    ],
)
def test_wrong_level_transitions_are_refused_with_a_clear_message(
    request, quarterly, surabaya_officer, jatim_manager, actor, setup, action, message
):
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 40)])
    approval = approval_of(quarterly, "35.78")
    if setup in (SUBMIT, APPROVE):
        approval = approvals.transition(surabaya_officer, approval, SUBMIT)
    if setup == APPROVE:
        approval = approvals.transition(jatim_manager, approval, APPROVE)
    before = approval_of(quarterly, "35.78").status
    log_before = ChangeLog.objects.filter(object_type="indicators.approval").count()

    with pytest.raises(TransitionError, match=message):
        approvals.transition(request.getfixturevalue(actor), approval, action)

    assert approval_of(quarterly, "35.78").status == before
    assert ChangeLog.objects.filter(object_type="indicators.approval").count() == log_before


def test_values_take_the_status_of_their_approval_including_months_inside_the_quarter(
    quarterly, surabaya_officer, jatim_manager
):
    enter(
        surabaya_officer,
        [
            ("UJI_TESTED", "2026Q1", "35.78", 40),
            ("UJI_MONTHLY", "202602", "35.78", 4),
            ("UJI_MONTHLY", "202604", "35.78", 5),  # next quarter
            ("UJI_OTHER", "202602", "35.78", 6),  # not in the data set
        ],
    )
    enter(jatim_manager, [("UJI_TESTED", "2026Q1", "35.73", 7)])  # another regency
    submitted(surabaya_officer, quarterly, "35.78")
    approvals.transition(jatim_manager, approval_of(quarterly, "35.78"), APPROVE)

    status = {
        (dv.data_element.code, dv.period, dv.org_unit): dv.status
        for dv in DataValue.objects.select_related("data_element")
    }
    assert status == {
        ("UJI_TESTED", "2026Q1", "35.78"): "approved",
        ("UJI_MONTHLY", "202602", "35.78"): "approved",
        ("UJI_MONTHLY", "202604", "35.78"): "draft",
        ("UJI_OTHER", "202602", "35.78"): "draft",
        ("UJI_TESTED", "2026Q1", "35.73"): "draft",
    }


def test_approved_quarter_locks_entry_and_import_until_reopened(
    quarterly, surabaya_officer, surabaya_manager, jatim_manager
):
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 40)])
    submitted(surabaya_officer, quarterly, "35.78")
    approval = approvals.transition(jatim_manager, approval_of(quarterly, "35.78"), APPROVE)

    for rows in (
        [("UJI_TESTED", "2026Q1", "35.78", 41)],  # the approved value itself
        [("UJI_MONTHLY", "202601", "35.78", 1)],  # a month inside the quarter
        [("UJI_MONTHLY", "202603", "35.78", 1)],
    ):
        result = enter(surabaya_manager, rows)
        assert result.status == "ERROR"
        assert "locked" in result.conflicts[0].value
    assert DataValue.objects.get(org_unit="35.78", period="2026Q1").value == 40
    assert not DataValue.objects.filter(data_element__code="UJI_MONTHLY").exists()

    # Outside the approval: the next quarter's month, an element of another data set,
    # another regency.
    free = enter(
        jatim_manager,
        [
            ("UJI_MONTHLY", "202604", "35.78", 1),
            ("UJI_OTHER", "202602", "35.78", 1),
            ("UJI_TESTED", "2026Q1", KOTA_MALANG, 1),
        ],
    )
    assert (free.status, free.imported) == ("SUCCESS", 3)

    approvals.transition(jatim_manager, approval, REOPEN, "Angka tes urine salah ketik")
    after = enter(surabaya_manager, [("UJI_TESTED", "2026Q1", "35.78", 41)])
    assert (after.status, after.updated) == ("SUCCESS", 1)


def test_a_year_approval_locks_every_period_inside_the_year(db, surabaya_manager, admin_user):
    monthly = element("UJI_BULAN", period_type="Monthly")
    yearly = data_set("UJI_TAHUNAN", [monthly], period_type="Yearly")
    Approval.objects.create(
        data_set=yearly, org_unit="35.78", region_code="35.78", period="2026", status="accepted"
    )
    assert enter(surabaya_manager, [("UJI_BULAN", "202611", "35.78", 1)]).status == "ERROR"
    assert enter(surabaya_manager, [("UJI_BULAN", "202701", "35.78", 1)]).status == "SUCCESS"


def test_reopen_needs_a_reason_and_records_it(quarterly, surabaya_officer, jatim_manager):
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 40)])
    approval = submitted(surabaya_officer, quarterly, "35.78")
    approval = approvals.transition(jatim_manager, approval, APPROVE)

    with pytest.raises(TransitionError, match="reason"):
        approvals.transition(jatim_manager, approval, REOPEN, "   ")
    assert approval_of(quarterly, "35.78").status == "approved"

    approvals.transition(jatim_manager, approval, REOPEN, "Data bulan Maret belum masuk")
    stored = approval_of(quarterly, "35.78")
    assert (stored.status, stored.reopen_reason) == ("draft", "Data bulan Maret belum masuk")
    last = ChangeLog.objects.filter(object_type="indicators.approval").first()
    assert last.before["status"] == "approved"
    assert last.after["status"] == "draft"
    assert last.after["reopen_reason"] == "Data bulan Maret belum masuk"
    assert DataValue.objects.get(org_unit="35.78").status == "draft"


def test_only_a_higher_level_reopens(
    quarterly, surabaya_officer, surabaya_manager, jatim_manager, admin_user
):
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 40)])
    approval = submitted(surabaya_officer, quarterly, "35.78")
    with pytest.raises(TransitionError, match="Only BNN RI / BNNP Jawa Timur can reopen"):
        approvals.transition(surabaya_manager, approval, REOPEN, "ingin mengubah")
    approval = approvals.transition(jatim_manager, approval, APPROVE)
    approval = approvals.transition(admin_user, approval, ACCEPT)
    # Once accepted, only BNN RI reopens.
    with pytest.raises(TransitionError, match="Only BNN RI can reopen accepted data"):
        approvals.transition(jatim_manager, approval, REOPEN, "koreksi")
    approval = approvals.transition(admin_user, approval, REOPEN, "koreksi nasional")
    assert approval.status == "draft"


# ---------------------------------------------------------------------------------------
# Pages


def test_transitions_through_the_pages(quarterly, surabaya_officer, jatim_manager, malang_manager):
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 40)])
    response = english_client(surabaya_officer).post(
        reverse("approval-submit"),
        {"dataSet": "UJI_TRIWULAN", "orgUnit": "35.78", "period": "2026Q1"},
    )
    assert response.status_code == 302
    approval = approval_of(quarterly, "35.78")
    assert approval.status == "submitted"

    url = reverse("approval-transition", args=[approval.pk, "approve"])
    assert english_client(malang_manager).post(url).status_code == 404
    assert approval_of(quarterly, "35.78").status == "submitted"
    assert english_client(jatim_manager).post(url).status_code == 302
    assert approval_of(quarterly, "35.78").status == "approved"

    bogus = reverse("approval-transition", args=[approval.pk, "delete"])
    assert english_client(jatim_manager).post(bogus).status_code == 404
    assert english_client(jatim_manager).get(url).status_code == 405

    reopen = reverse("approval-transition", args=[approval.pk, "reopen"])
    page = english_client(jatim_manager).post(reopen, {"reason": ""}, follow=True)
    assert "Give the reason for reopening." in page.content.decode()
    assert approval_of(quarterly, "35.78").status == "approved"
    english_client(jatim_manager).post(reopen, {"reason": "Salah angka"})
    assert approval_of(quarterly, "35.78").status == "draft"

    detail = english_client(jatim_manager).get(reverse("approval-detail", args=[approval.pk]))
    assert detail.status_code == 200
    assert "Salah angka" in detail.content.decode()
    assert (
        english_client(malang_manager)
        .get(reverse("approval-detail", args=[approval.pk]))
        .status_code
        == 404
    )


def test_submitting_an_out_of_scope_org_unit_is_not_found(quarterly, malang_manager):
    response = english_client(malang_manager).post(
        reverse("approval-submit"),
        {"dataSet": "UJI_TRIWULAN", "orgUnit": "35.78", "period": "2026Q1"},
    )
    assert response.status_code == 404
    assert not Approval.objects.exists()


def test_wrong_level_on_the_page_is_a_message_not_a_change(
    quarterly, surabaya_officer, surabaya_manager
):
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 40)])
    approval = submitted(surabaya_officer, quarterly, "35.78")
    page = english_client(surabaya_manager).post(
        reverse("approval-transition", args=[approval.pk, "approve"]), follow=True
    )
    assert "approved by a manager of BNNP Jawa Timur" in page.content.decode()
    assert approval_of(quarterly, "35.78").status == "submitted"


@pytest.fixture
def inbox_data(quarterly, surabaya_officer, jatim_manager, jatim_officer, malang_manager):
    """Surabaya draft, Kota Malang submitted, Kab. Malang (BNNP-served) draft and
    submitted in Q2, Sidoarjo approved."""
    sidoarjo = make_user("sidoarjo", Roles.MANAGER, "BNNK-35.15")
    enter(surabaya_officer, [("UJI_TESTED", "2026Q1", "35.78", 1)])
    enter(malang_manager, [("UJI_TESTED", "2026Q1", KOTA_MALANG, 1)])
    submitted(malang_manager, quarterly, KOTA_MALANG)
    enter(jatim_officer, [("UJI_TESTED", "2026Q1", KAB_MALANG, 1)])
    enter(jatim_officer, [("UJI_TESTED", "2026Q2", KAB_MALANG, 1)])
    submitted(jatim_officer, quarterly, KAB_MALANG, "2026Q2")
    enter(sidoarjo, [("UJI_TESTED", "2026Q1", SIDOARJO, 1)])
    submitted(sidoarjo, quarterly, SIDOARJO)
    approvals.transition(jatim_manager, approval_of(quarterly, SIDOARJO), APPROVE)


def _inbox(user, **filters) -> set[tuple[str, str, str]]:
    return {(a.org_unit, a.period, a.status) for a in approvals.inbox(user, **filters)}


def test_inbox_lists_what_waits_for_each_user(
    inbox_data,
    surabaya_officer,
    jatim_manager,
    jatim_officer,
    admin_user,
    malang_manager,
    analyst_user,
    jatim_viewer,
):
    assert _inbox(surabaya_officer) == {("35.78", "2026Q1", "draft")}
    assert _inbox(malang_manager) == set()  # its own is submitted: waiting for the BNNP
    assert _inbox(jatim_manager) == {
        (KOTA_MALANG, "2026Q1", "submitted"),
        (KAB_MALANG, "2026Q1", "draft"),
    }
    assert _inbox(jatim_officer) == {(KAB_MALANG, "2026Q1", "draft")}
    assert _inbox(admin_user) == {
        (KAB_MALANG, "2026Q2", "submitted"),
        (SIDOARJO, "2026Q1", "approved"),
    }
    assert _inbox(analyst_user) == set()
    assert _inbox(jatim_viewer) == set()
    # Filters: every status in scope, one status, one period, one data set.
    assert len(_inbox(malang_manager, status="all")) == 1
    assert _inbox(jatim_manager, status="approved") == {(SIDOARJO, "2026Q1", "approved")}
    assert _inbox(jatim_manager, status="all", period="2026Q2") == {
        (KAB_MALANG, "2026Q2", "submitted")
    }
    assert _inbox(jatim_manager, status="all", data_set="NOPE") == set()


def test_inbox_page_shows_rows_with_their_buttons(inbox_data, jatim_manager, malang_manager):
    page = english_client(jatim_manager).get(reverse("approval-inbox")).content.decode()
    kota_malang = Approval.objects.get(org_unit=KOTA_MALANG)
    kab_malang = Approval.objects.get(org_unit=KAB_MALANG, period="2026Q1")
    assert f'action="/approvals/{kota_malang.pk}/approve/"' in page
    assert f'action="/approvals/{kab_malang.pk}/submit/"' in page
    assert f'action="/approvals/{kota_malang.pk}/submit/"' not in page
    surabaya = Approval.objects.get(org_unit="35.78")
    assert f"/approvals/{surabaya.pk}/" not in page  # a Surabaya draft is the BNNK's to send

    # Another regency's manager sees none of Surabaya, whatever the filter.
    other = english_client(malang_manager).get(reverse("approval-inbox"), {"status": "all"})
    assert f"/approvals/{surabaya.pk}/" not in other.content.decode()


def test_inbox_paginates(quarterly, jatim_officer, jatim_manager):
    regencies = ["35.01", "35.02", "35.03", "35.04", "35.05", "35.06", "35.07"]
    for year in range(2019, 2027):
        enter(jatim_officer, [("UJI_TESTED", f"{year}Q1", code, 1) for code in regencies])
    assert Approval.objects.count() == 56
    client = english_client(jatim_manager)
    first = client.get(reverse("approval-inbox")).content.decode()
    assert "1 / 2" in first
    second = client.get(reverse("approval-inbox"), {"page": 2}).content.decode()
    assert second.count('data-testid="approval-') == 6 + 1  # six rows and the table


# ---------------------------------------------------------------------------------------
# Completeness and timeliness


def _submit_at(user, ds, org_unit, when: datetime.datetime):
    enter(user, [("UJI_TESTED", "2026Q1", org_unit, 1)])
    approval = submitted(user, ds, org_unit)
    Approval.objects.filter(pk=approval.pk).update(submitted_at=when)
    return approval


def test_completeness_and_timeliness_per_scope(
    quarterly,
    surabaya_officer,
    malang_manager,
    jatim_manager,
    jatim_officer,
    admin_user,
    surabaya_manager,
):
    # Q1 2026 ends 31 March; deadline_days=10 → on time until 10 April 23:59:59 WIB.
    _submit_at(
        surabaya_officer, quarterly, "35.78", datetime.datetime(2026, 4, 5, 9, 0, tzinfo=WIB)
    )
    _submit_at(
        malang_manager, quarterly, KOTA_MALANG, datetime.datetime(2026, 4, 11, 0, 0, 30, tzinfo=WIB)
    )
    sidoarjo = make_user("sidoarjo", Roles.MANAGER, "BNNK-35.15")
    late_ok = _submit_at(
        sidoarjo, quarterly, SIDOARJO, datetime.datetime(2026, 4, 10, 23, 59, 59, tzinfo=WIB)
    )
    approvals.transition(jatim_manager, late_ok, APPROVE)  # approved still counts
    enter(jatim_officer, [("UJI_TESTED", "2026Q1", KAB_MALANG, 1)])  # draft: not submitted
    # A reopened report no longer counts.
    reopened = _submit_at(
        jatim_officer, quarterly, "35.01", datetime.datetime(2026, 4, 2, tzinfo=WIB)
    )
    approvals.transition(admin_user, reopened, REOPEN, "belum lengkap")
    bandung = make_user("bandung", Roles.MANAGER, "BNNK-32.73")
    _submit_at(bandung, quarterly, "32.73", datetime.datetime(2026, 4, 1, tzinfo=WIB))

    from cegah.core import periods

    q1 = periods.parse("2026Q1")
    jatim = approvals.completeness(jatim_manager, quarterly, q1)
    assert jatim.deadline == datetime.datetime(2026, 4, 10, 23, 59, 59, 999999, tzinfo=WIB)
    assert (jatim.expected, jatim.submitted, jatim.on_time) == (38, 3, 2)
    assert (jatim.completeness, jatim.timeliness) == (7.9, 5.3)

    surabaya = approvals.completeness(surabaya_manager, quarterly, q1)
    assert (surabaya.expected, surabaya.submitted, surabaya.on_time) == (1, 1, 1)
    assert (surabaya.completeness, surabaya.timeliness) == (100.0, 100.0)

    national = approvals.completeness(admin_user, quarterly, q1)
    assert (national.expected, national.submitted, national.on_time) == (514, 4, 3)
    assert (national.completeness, national.timeliness) == (0.8, 0.6)

    page = english_client(jatim_manager).get(
        reverse("approval-completeness"), {"dataSet": "UJI_TRIWULAN", "period": "2026Q1"}
    )
    html = page.content.decode()
    assert 'data-testid="expected">38<' in html
    assert 'data-testid="completeness">7.9%<' in html
    assert 'data-testid="timeliness">5.3%<' in html
    assert "Kota Bandung" not in html

    malang = (
        english_client(malang_manager)
        .get(reverse("approval-completeness"), {"dataSet": "UJI_TRIWULAN", "period": "2026Q1"})
        .content.decode()
    )
    assert 'data-testid="expected">1<' in malang
    assert "Kota Surabaya" not in malang


def test_completeness_of_a_site_data_set_counts_the_sites_in_scope(
    db, surabaya_site, malang_site, surabaya_manager, jatim_manager
):
    per_site = element("UJI_SITE")
    ds = data_set("UJI_KAWASAN", [per_site], org_unit_kind="site")
    enter(surabaya_manager, [("UJI_SITE", "2026Q1", surabaya_site.code, 3)])
    approvals.submit(
        surabaya_manager, ds, surabaya_site.code, ("35.78.01", surabaya_site.pk), "2026Q1"
    )
    from cegah.core import periods

    result = approvals.completeness(jatim_manager, ds, periods.parse("2026Q1"))
    assert (result.expected, result.submitted) == (2, 1)
    assert result.completeness == 50.0


def test_entering_data_opens_drafts_only_for_org_units_that_report_the_data_set(
    quarterly, surabaya_manager, surabaya_site
):
    summary = enter(
        surabaya_manager,
        [
            ("UJI_TESTED", "2026Q1", "35.78", 1),
            ("UJI_MONTHLY", "202602", "35.78", 1),  # rolls into the same quarter
            ("UJI_OTHER", "202602", "35.78", 1),  # in no data set
            ("UJI_OTHER", "202602", surabaya_site.code, 1),  # a site may hold it
        ],
    )
    assert (summary.imported, summary.conflicts) == (4, [])
    assert list(Approval.objects.values_list("org_unit", "period", "status")) == [
        ("35.78", "2026Q1", "draft")
    ]
    # A district or a site does not report the regency data set: its value is refused,
    # and no draft is opened for it.
    refused = enter(
        surabaya_manager,
        [
            ("UJI_TESTED", "2026Q1", "35.78.01", 1),
            ("UJI_TESTED", "2026Q1", surabaya_site.code, 1),
        ],
        atomic=False,
    )
    assert refused.imported == 0 and len(refused.conflicts) == 2
    assert Approval.objects.count() == 1
