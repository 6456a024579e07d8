"""Small real files and ready-made assessments for the standards tests."""

from __future__ import annotations

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from cegah.standards import services


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """A real PNG (white pixels), built by hand: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf_bytes(text: str = "Bukti penilaian") -> bytes:
    """A minimal one-page PDF with ``text`` in it (readable in the bytes, too)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def all_levels(standard, level: int) -> dict:
    return {c.code: level for c in standard.components.all()}


def submitted_assessment(assessor, site, *, level=3, levels=None, assessed_on=None):
    """A draft by ``assessor`` with every component rated, then submitted."""
    standard = services.current_standard(site.site_type)
    assessment = services.create_assessment(
        assessor,
        site,
        assessed_on=assessed_on or datetime.date(2025, 3, 1),
        levels=levels or all_levels(standard, level),
    )
    return services.submit_assessment(assessor, assessment)


def verified_assessment(assessor, verifier, site, **kwargs):
    return services.verify_assessment(verifier, submitted_assessment(assessor, site, **kwargs))
