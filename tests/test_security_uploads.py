"""The upload checker: type by content, size limit, safe names, served as a download only."""

from __future__ import annotations

import io
import zipfile

import pytest
from flask import Flask

from app.security.uploads import (
    CheckedUpload,
    UploadRejected,
    check_upload,
    safe_filename,
    send_upload,
)

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "mimetype", "ext"),
    [
        (PDF, "verslag.pdf", "application/pdf", "pdf"),
        (PNG, "foto.png", "image/png", "png"),
        (JPEG, "scan.jpeg", "image/jpeg", "jpg"),
        (PDF, "verslag.exe", "application/pdf", "pdf"),  # the content decides, not the name
        (
            docx(),
            "brief.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        (
            "Afspraak om 10 uur\r\nMet vriendelijke groet,\tNoor ☀".encode(),
            "notitie.txt",
            "text/plain",
            "txt",
        ),
    ],
)
def test_allowed_types_are_recognised_by_their_content(
    data: bytes, name: str, mimetype: str, ext: str
) -> None:
    checked = check_upload(io.BytesIO(data), name)
    assert (checked.mimetype, checked.extension) == (mimetype, ext)
    assert checked.filename.endswith("." + ext) and checked.size == len(data)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!doctype html><html><script>alert(1)</script></html>", "verslag.pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "logo.png"),
        (b"  <ScRiPt>alert(1)</script>", "notitie.txt"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "factuur.pdf"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "plaatje.gif"),
        (b"PK\x03\x04" + b"\x00" * 40, "archief.zip"),
        (b"tekst met een \x00 nul-byte", "notitie.txt"),
        (b"\xff\xfe\x00\x00 geen utf-8 \xc3\x28", "notitie.txt"),
    ],
)
def test_other_types_are_refused_whatever_their_name(data: bytes, name: str) -> None:
    with pytest.raises(UploadRejected, match="Dit soort bestand kan niet"):
        check_upload(io.BytesIO(data), name)


def test_size_limit_and_empty_files() -> None:
    with pytest.raises(UploadRejected, match="te groot"):
        check_upload(io.BytesIO(PDF + b"x" * 2048), "groot.pdf", max_bytes=1024)
    assert check_upload(io.BytesIO(PDF), "klein.pdf", max_bytes=len(PDF)).size == len(PDF)
    with pytest.raises(UploadRejected, match="leeg"):
        check_upload(io.BytesIO(b""), "leeg.pdf")


def test_only_the_size_limit_plus_one_byte_is_read() -> None:
    class Endless(io.RawIOBase):
        read_total = 0

        def readable(self) -> bool:
            return True

        def readinto(self, b: memoryview) -> int:  # type: ignore[override]
            n = len(b)
            b[:n] = b"a" * n
            Endless.read_total += n
            return n

    with pytest.raises(UploadRejected):
        check_upload(io.BufferedReader(Endless()), "oneindig.txt", max_bytes=10_000)
    assert Endless.read_total < 10_000 + 64 * 1024


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("C:\\Users\\x\\brief.docx", "brief.pdf"),
        ('"><script>.pdf', "script.pdf"),
        ("", "bestand.pdf"),
        ("rapport 2026 (def).PDF", "rapport 2026 def.pdf"),
    ],
)
def test_file_names_are_made_harmless(name: str, expected: str) -> None:
    assert safe_filename(name, "pdf") == expected


def test_uploads_are_served_as_downloads_never_as_pages(app: Flask) -> None:
    upload = CheckedUpload(
        data=b"<script>alert(1)</script>", mimetype="text/plain", extension="txt", filename="x.txt"
    )
    html_claim = CheckedUpload(
        data=b"<p>hoi</p>", mimetype="text/html", extension="html", filename="x.html"
    )
    with app.test_request_context("/"):
        resp = send_upload(upload)
        assert resp.headers["Content-Disposition"].startswith("attachment;")
        assert resp.mimetype == "text/plain"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in resp.headers["Content-Security-Policy"]
        assert resp.headers["Cache-Control"] == "no-store"
        assert send_upload(html_claim).mimetype == "application/octet-stream"
