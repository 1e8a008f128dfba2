"""Checking and serving uploaded files (for later features, e.g. attachments to messages).

* :func:`check_upload` decides the type by the file's *content* (magic bytes, via ``filetype``;
  for plain text: valid UTF-8 without markup), never by the name or the browser's Content-Type,
  and only allows the types in ``ALLOWED``. It refuses files over the size limit while reading
  (nothing larger is held in memory) and empty files.
* :func:`send_upload` serves a stored file as a download (``Content-Disposition: attachment``),
  with the type that was checked, ``nosniff`` and a sandboxing CSP — user content is never
  rendered as a page of ours (no HTML, no SVG: both can carry script).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from typing import IO, Any

import filetype
from flask import Response, send_file

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# type -> extension we store and serve it with
ALLOWED: dict[str, str] = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/plain": "txt",
}

_MARKUP = re.compile(rb"<\s*(script|html|body|svg|iframe|object|embed|meta|!doctype)", re.I)


class UploadRejected(ValueError):
    """The file is not accepted; the message is Dutch and can be shown to the user."""


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    mimetype: str
    extension: str
    filename: str  # a safe display name, with the extension that matches the content

    @property
    def size(self) -> int:
        return len(self.data)


def safe_filename(name: str, extension: str) -> str:
    """A harmless display name: no path, no control characters, the checked extension."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKC", base)
    base = base.rsplit(".", 1)[0] if "." in base else base
    base = re.sub(r"[^\w\- ]+", "", base).strip()[:100] or "bestand"
    return f"{base}.{extension}"


def _read_limited(stream: IO[bytes], max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UploadRejected(
            f"Het bestand is te groot. Het mag hooguit {max_bytes // (1024 * 1024)} MB zijn."
        )
    return data


def _sniff(data: bytes) -> str | None:
    kind = filetype.guess(data)
    if kind is not None:
        return str(kind.mime)
    if _MARKUP.search(data[:4096]):
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\f" for ch in text):
        return None
    return "text/plain"


def check_upload(
    stream: IO[bytes] | bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allowed: dict[str, str] | None = None,
) -> CheckedUpload:
    """Read and check an upload; raise :class:`UploadRejected` with a Dutch reason."""
    allowed = ALLOWED if allowed is None else allowed
    data = _read_limited(io.BytesIO(stream) if isinstance(stream, bytes) else stream, max_bytes)
    if not data:
        raise UploadRejected("Het bestand is leeg.")
    mimetype = _sniff(data)
    if mimetype is None or mimetype not in allowed:
        kinds = ", ".join(sorted({ext.upper() for ext in allowed.values()}))
        raise UploadRejected(f"Dit soort bestand kan niet. Wel mogelijk: {kinds}.")
    ext = allowed[mimetype]
    return CheckedUpload(
        data=data, mimetype=mimetype, extension=ext, filename=safe_filename(filename, ext)
    )


def send_upload(upload: CheckedUpload) -> Response:
    """Serve a checked upload as a download, never as a page."""
    return send_download(upload.data, upload.mimetype, upload.filename)


def send_download(data: bytes, mimetype: str, filename: str) -> Response:
    """Serve stored user content: always a download, sandboxed, never sniffed or cached."""
    if mimetype not in ALLOWED:
        mimetype = "application/octet-stream"
    if mimetype == "text/plain":
        mimetype = "text/plain; charset=utf-8"
    resp: Any = send_file(
        io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename, max_age=0
    )
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox; frame-ancestors 'none'"
    resp.headers["Cache-Control"] = "no-store"
    return resp
