"""Attachments to messages: checked by the shared upload checker (``app.security.uploads``).

The type is read from the file's bytes, never from its name or the browser's claim; the size is
limited; the stored name gets the extension of the detected type. Files are served back only as
downloads (``app.security.uploads.send_download``), never as HTML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from app.security.uploads import ALLOWED, UploadRejected, check_upload

# For the form's help text: "pdf, png, jpg, …".
OMSCHRIJVING = ", ".join(dict.fromkeys(ALLOWED.values()))


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


def controleer(naam: str, data: bytes, *, max_bytes: int) -> GecontroleerdeBijlage:
    try:
        checked = check_upload(data, naam or "bijlage", max_bytes=max_bytes)
    except UploadRejected as exc:
        raise BijlageFout(str(exc)) from None
    return GecontroleerdeBijlage(
        bestandsnaam=checked.filename,
        mimetype=checked.mimetype,
        inhoud=checked.data,
        sha256=hashlib.sha256(checked.data).hexdigest(),
    )
