"""Evidence files: the type comes from the content (PDF, JPEG, PNG), at most 10 MB, kept
outside any public URL, and served only through a scoped view."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cegah.core.models import ChangeLog
from cegah.core.scope import Roles
from cegah.sites.services import create_site
from cegah.standards import services
from cegah.standards.models import Assessment, Evidence, evidence_storage
from tests.conftest import client_for, make_user

from .helpers import EXE_BYTES, JPEG_HEAD, pdf_bytes, png_bytes, submitted_assessment, upload


@pytest.fixture
def draft(surabaya_officer, surabaya_site):
    return services.create_assessment(
        surabaya_officer, surabaya_site, assessed_on=datetime.date(2025, 4, 1)
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("kebijakan.pdf", pdf_bytes(), "application/pdf"),
        ("foto.png", png_bytes(), "image/png"),
        ("foto.jpg", JPEG_HEAD + b"\x00" * 64, "image/jpeg"),
        # The name and the browser's type do not matter, only the content does.
        ("scan.pdf", png_bytes(), "image/png"),
        ("no-extension", pdf_bytes(), "application/pdf"),
    ],
)
def test_accepted_types_are_read_from_the_content(surabaya_officer, draft, name, content, expected):
    evidence = services.add_evidence(
        surabaya_officer, draft, upload(name, content, "application/x-msdownload")
    )
    assert evidence.content_type == expected
    assert evidence.size == len(content)
    assert evidence.stored_name.endswith(
        {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}[expected]
    )
    assert Path(evidence_storage.path(evidence.file.name)).read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("laporan.pdf", EXE_BYTES, "Windows program"),
        ("foto.png", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "Linux program"),
        ("dokumen.pdf", b"PK\x03\x04" + b"\x00" * 50, "ZIP archive"),
        ("halaman.pdf", b"  <html><script>alert(1)</script></html>", "web page"),
        ("gambar.jpg", b"GIF89a" + b"\x00" * 20, "GIF image"),
        ("acak.pdf", b"hello, world, not a pdf", "unknown type"),
    ],
)
def test_other_content_is_refused_with_a_clear_message(
    surabaya_officer, draft, name, content, what
):
    with pytest.raises(ValidationError) as error:
        services.add_evidence(surabaya_officer, draft, upload(name, content, "application/pdf"))
    message = error.value.message_dict["file"][0]
    assert "not a PDF, JPEG or PNG" in message and what in message
    assert not Evidence.objects.exists()
    assert not any(Path(evidence_storage.location).rglob("*.*"))


def test_files_over_ten_megabytes_are_refused(surabaya_officer, draft):
    limit = services.MAX_EVIDENCE_BYTES
    with pytest.raises(ValidationError, match="limit is 10 MB"):
        services.add_evidence(
            surabaya_officer, draft, upload("besar.pdf", pdf_bytes() + b"\x00" * limit)
        )
    exactly = pdf_bytes() + b"\x00" * (limit - len(pdf_bytes()))
    assert len(exactly) == limit
    assert services.add_evidence(surabaya_officer, draft, upload("pas.pdf", exactly)).size == limit


def test_empty_files_are_refused(surabaya_officer, draft):
    with pytest.raises(ValidationError, match="empty"):
        services.add_evidence(surabaya_officer, draft, upload("kosong.pdf", b""))


def test_files_live_under_the_private_data_dir_with_no_url(surabaya_officer, draft):
    # A name no random hex name can contain ("a.png" matched one ending in "a" once in 16).
    evidence = services.add_evidence(surabaya_officer, draft, upload("foto-posko.png", png_bytes()))
    path = Path(evidence_storage.path(evidence.file.name)).resolve()
    assert path.is_relative_to(Path(settings.DATA_DIR).resolve() / "private" / "evidence")
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert "foto-posko" not in path.name  # the stored name never comes from the user
    with pytest.raises(ValueError):
        evidence.file.url  # noqa: B018


def test_only_the_assessor_adds_evidence_and_only_to_a_draft(
    surabaya_officer, surabaya_manager, draft
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.add_evidence(surabaya_manager, draft, upload("a.png", png_bytes()))
    services.update_assessment(
        surabaya_officer,
        draft,
        draft.version,
        levels={c.code: 2 for c in draft.standard.components.all()},
    )
    services.submit_assessment(surabaya_officer, draft)
    with pytest.raises(ValidationError, match="draft"):
        services.add_evidence(surabaya_officer, draft, upload("a.png", png_bytes()))


def test_filename_is_cleaned_for_display(surabaya_officer, draft):
    evidence = services.add_evidence(
        surabaya_officer, draft, upload("..\\..\\etc/pass\x07wd  foto.png", png_bytes())
    )
    assert evidence.original_name == "passwd foto.png"


def test_removing_evidence_deletes_the_file(
    surabaya_officer, draft, django_capture_on_commit_callbacks
):
    evidence = services.add_evidence(surabaya_officer, draft, upload("a.png", png_bytes()))
    path = Path(evidence_storage.path(evidence.file.name))
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_evidence(surabaya_officer, evidence)
    assert not path.exists()
    assert not Evidence.objects.exists()


# --- Serving ---------------------------------------------------------------------------


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_download_in_scope_is_the_file_with_safe_headers(
    surabaya_officer, surabaya_manager, jatim_manager, draft
):
    pdf = services.add_evidence(surabaya_officer, draft, upload("SK Satgas.pdf", pdf_bytes()))
    png = services.add_evidence(surabaya_officer, draft, upload("foto.exe", png_bytes()))
    for user in (surabaya_officer, surabaya_manager, jatim_manager):
        response = client_for(user).get(reverse("evidence-file", args=[pdf.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="SK Satgas.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert _body(response) == pdf_bytes()
    image = client_for(surabaya_officer).get(reverse("evidence-file", args=[png.pk]))
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"].startswith("inline;")
    assert 'filename="foto.png"' in image["Content-Disposition"]  # the real type's extension


def test_download_out_of_scope_is_not_found(malang_manager, surabaya_officer, draft):
    evidence = services.add_evidence(surabaya_officer, draft, upload("a.pdf", pdf_bytes()))
    other_site = create_site(None, name="SD Tetangga", site_type="sd", region_code="35.78.02")
    other_focal_point = make_user("sekolah.tetangga", Roles.FOCAL_POINT, site=other_site)
    url = reverse("evidence-file", args=[evidence.pk])
    for user in (malang_manager, other_focal_point):
        response = client_for(user).get(url)
        assert response.status_code == 404
        assert b"%PDF" not in response.content
    assert (
        client_for(malang_manager)
        .get(reverse("evidence-file", args=[evidence.pk + 1000]))
        .status_code
        == 404
    )
    # Anonymous: to the login page, not the file.
    from django.test import Client

    assert Client().get(url).status_code == 302


def test_focal_point_reads_evidence_of_their_own_site(focal_point, surabaya_officer, draft):
    evidence = services.add_evidence(surabaya_officer, draft, upload("a.png", png_bytes()))
    response = client_for(focal_point).get(reverse("evidence-file", args=[evidence.pk]))
    assert response.status_code == 200


def test_upload_through_the_page(surabaya_officer, draft):
    client = client_for(surabaya_officer)
    url = reverse("evidence-upload", args=[draft.pk])
    response = client.post(
        url, {"file": upload("bukti.png", png_bytes(), "image/png"), "component": "policy"}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (evidence.component.code, evidence.content_type) == ("policy", "image/png")

    response = client.post(
        url, {"file": upload("program.pdf", EXE_BYTES, "application/pdf")}, follow=True
    )
    assert Evidence.objects.count() == 1
    page = response.content.decode()
    assert "PDF, JPEG" in page and ".exe" in page  # the refusal is shown on the page


def test_upload_by_someone_out_of_scope_is_not_found(malang_manager, draft):
    response = client_for(malang_manager).post(
        reverse("evidence-upload", args=[draft.pk]), {"file": upload("a.png", png_bytes())}
    )
    assert response.status_code == 404
    assert not Evidence.objects.exists()


# --- Deleting a draft assessment -------------------------------------------------------


def test_the_assessor_deletes_a_draft_with_its_files_and_the_log_keeps_it(
    surabaya_officer, surabaya_manager, draft, django_capture_on_commit_callbacks
):
    evidence = services.add_evidence(surabaya_officer, draft, upload("a.png", png_bytes()))
    path = Path(evidence_storage.path(evidence.file.name))
    with pytest.raises(PermissionDenied):
        services.delete_draft_assessment(surabaya_manager, draft)  # not the assessor
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_draft_assessment(surabaya_officer, draft)
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert not Evidence.objects.exists() and not path.exists()
    entry = ChangeLog.objects.get(object_type="standards.assessment", action="delete")
    assert entry.before["evidence"] == ["a.png"] and entry.after is None


def test_a_submitted_assessment_cannot_be_deleted(surabaya_officer, surabaya_site):
    assessment = submitted_assessment(surabaya_officer, surabaya_site)
    with pytest.raises(ValidationError, match="Only a draft can be deleted"):
        services.delete_draft_assessment(surabaya_officer, assessment)
    response = client_for(surabaya_officer).post(
        reverse("assessment-delete", args=[assessment.pk]), follow=True
    )
    assert Assessment.objects.filter(pk=assessment.pk).exists()
    assert response.redirect_chain[-1][0] == reverse("assessment-detail", args=[assessment.pk])


def test_the_delete_button_removes_the_draft_and_returns_to_the_site(surabaya_officer, draft):
    client = client_for(surabaya_officer)
    page = client.get(reverse("assessment-detail", args=[draft.pk])).content.decode()
    assert reverse("assessment-delete", args=[draft.pk]) in page
    response = client.post(reverse("assessment-delete", args=[draft.pk]))
    assert response.status_code == 302
    assert response.url == reverse("site-detail", args=[draft.site_id])
    assert not Assessment.objects.filter(pk=draft.pk).exists()
