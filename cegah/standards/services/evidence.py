"""Evidence files of assessments: the type read from the content, the size limit, the
private storage (models.PrivateEvidenceStorage)."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cegah.core import changelog

from ..models import Assessment, Evidence
from .assessments import _locked, _require_assessor

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


# (leading bytes, MIME type, extension). The content decides, never the name or the
# browser's content type.
ACCEPTED_SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)
# What a refused file most likely is, to say so in the error.
KNOWN_SIGNATURES = (
    (b"MZ", gettext_lazy("a Windows program (.exe, .dll)")),
    (b"\x7fELF", gettext_lazy("a Linux program")),
    (b"\xcf\xfa\xed\xfe", gettext_lazy("a macOS program")),
    (b"PK\x03\x04", gettext_lazy("a ZIP archive or an Office document")),
    (b"Rar!", gettext_lazy("a RAR archive")),
    (b"\xd0\xcf\x11\xe0", gettext_lazy("an old Office document")),
    (b"GIF8", gettext_lazy("a GIF image")),
    (b"#!", gettext_lazy("a script")),
    (b"<", gettext_lazy("a web page or XML document")),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) of an accepted file from its first bytes, or None."""
    for signature, content_type, extension in ACCEPTED_SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def _looks_like(head: bytes) -> str:
    stripped = head.lstrip()
    for signature, label in KNOWN_SIGNATURES:
        if head.startswith(signature) or (signature == b"<" and stripped.startswith(signature)):
            return str(label)
    return _("an unknown type")


def _clean_filename(name: str) -> str:
    name = os.path.basename((name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip()
    return (name or "evidence")[:200]


def _evidence_snapshot(evidence: Evidence) -> dict:
    data = changelog.snapshot(evidence)
    data["file"] = evidence.file.name  # the stored path, not the file object
    return data


def check_evidence_file(upload) -> tuple[str, str]:
    """(MIME type, extension) of an acceptable upload; ValidationError otherwise."""
    size = upload.size or 0
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            {
                "file": _("The file is %(size).1f MB; the limit is 10 MB.")
                % {"size": size / (1024 * 1024)}
            }
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head)
    if found is None:
        raise ValidationError(
            {
                "file": _(
                    "This file is not a PDF, JPEG or PNG: its content is %(what)s. Only "
                    "PDF, JPEG and PNG files are accepted, whatever the file name says."
                )
                % {"what": _looks_like(head)}
            }
        )
    return found


@transaction.atomic
def add_evidence(actor, assessment: Assessment, upload, component_code: str = "") -> Evidence:
    """Store a file for a draft assessment, privately (see models.PrivateEvidenceStorage)."""
    assessment = _locked(assessment)
    _require_assessor(actor, assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Evidence can be added only while the assessment is a draft."))
    component = None
    if component_code:
        component = assessment.standard.components.filter(code=component_code).first()
        if component is None:
            raise ValidationError({"component": _("Not a component of this standard.")})
    content_type, extension = check_evidence_file(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence = Evidence(
        assessment=assessment,
        component=component,
        stored_name=f"{assessment.site_id}/{uuid.uuid4().hex}.{extension}",
        original_name=_clean_filename(upload.name),
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    evidence.file.save(evidence.stored_name, upload, save=False)
    stored = evidence.file.name
    try:
        evidence.save()
        assessment.save(update_fields=["updated_at"])  # its evidence changed
        changelog.record(actor, "create", evidence, None, _evidence_snapshot(evidence))
    except Exception:
        evidence.file.storage.delete(stored)
        raise
    return evidence


@transaction.atomic
def delete_evidence(actor, evidence: Evidence) -> None:
    assessment = _locked(evidence.assessment)
    _require_assessor(actor, assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Evidence can be removed only while the assessment is a draft."))
    changelog.record(actor, "delete", evidence, _evidence_snapshot(evidence), None)
    name, storage = evidence.file.name, evidence.file.storage
    evidence.delete()
    assessment.save(update_fields=["updated_at"])
    transaction.on_commit(lambda: storage.delete(name))
