"""Attachments: size-limited and type-checked by their content, never by name or browser claim.

Allowed: PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), OpenDocument text (.odt) and plain UTF-8
text. The type is read from the file's bytes (``filetype``'s magic numbers; plain text by a
strict UTF-8 check); the stored name gets the extension of the detected type. Files are served
back only as downloads (``Content-Disposition: attachment``) with their detected type, never as
HTML (see ``views.bijlage``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import filetype

TOEGESTAAN = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "text/plain": "txt",
}
OMSCHRIJVING = "pdf, png, jpg, docx, xlsx, odt of txt"
MAX_NAAM = 100


class BijlageFout(ValueError):
    pass


@dataclass(frozen=True)
class GecontroleerdeBijlage:
    bestandsnaam: str
    mimetype: str
    inhoud: bytes
    sha256: str

    @property
    def grootte(self) -> int:
        return len(self.inhoud)


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(
        unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f" for ch in text[:100_000]
    )


def detecteer(data: bytes) -> str | None:
    """The MIME type read from the content, or None when it is not an allowed type."""
    kind = filetype.guess(data)
    if kind is not None:
        return kind.mime if kind.mime in TOEGESTAAN else None
    if data[:5] == b"%PDF-":
        return "application/pdf"
    if _is_text(data):
        # Defence in depth: markup is refused even as text (it is never served as HTML anyway).
        head = data[:4096].lower()
        if any(tag in head for tag in (b"<html", b"<script", b"<svg", b"<!doctype", b"<iframe")):
            return None
        return "text/plain"
    return None


def veilige_naam(naam: str, mimetype: str) -> str:
    """Only the last path part, only safe characters, the extension of the detected type."""
    naam = naam.replace("\\", "/").rsplit("/", 1)[-1]
    naam = unicodedata.normalize("NFKC", naam)
    stam = naam.rsplit(".", 1)[0] if "." in naam else naam
    stam = re.sub(r"[^\w\- ]+", "_", stam).strip(" ._-")[: MAX_NAAM - 6] or "bijlage"
    return f"{stam}.{TOEGESTAAN[mimetype]}"


def controleer(naam: str, data: bytes, *, max_bytes: int) -> GecontroleerdeBijlage:
    if not data:
        raise BijlageFout("Het bestand is leeg.")
    if len(data) > max_bytes:
        raise BijlageFout(
            f"Het bestand is te groot: hooguit {max_bytes // (1024 * 1024)} MB."
            if max_bytes >= 1024 * 1024
            else f"Het bestand is te groot: hooguit {max_bytes} bytes."
        )
    mimetype = detecteer(data)
    if mimetype is None:
        raise BijlageFout(f"Dit soort bestand kan niet mee. Kies een {OMSCHRIJVING}-bestand.")
    return GecontroleerdeBijlage(
        bestandsnaam=veilige_naam(naam or "bijlage", mimetype),
        mimetype=mimetype,
        inhoud=data,
        sha256=hashlib.sha256(data).hexdigest(),
    )
