"""Logboek lines as records of *Logboek Dataverwerkingen* (LDV), as the application serves them.

:meth:`audit.LogLine.to_ldv` makes the record; this module adds what only the application knows:

* the URI of the processing activity in the register it serves
  (``/api/verwerkingsregister/v1/verwerkingsactiviteiten/{key}``, see
  :mod:`app.verwerkingsregister.api`) for ``dpl.core.processing_activity_id``;
* for an exchange with another *application*, that application's URI for
  ``dpl.core.foreign_operation.processor``. Applications are named by the party in the line's
  ``sender``/``recipient``; their URIs come from ``EENPLAN_APPLICATIES`` (``{"naam": "uri"}``)
  and from the features that talk to them (:func:`register_application`: the BRP adapter
  registers its endpoint). Exchanges with people or organisations (a download, a question to a
  hulpverlener) name no processor.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit

from flask import current_app, has_request_context, url_for

from audit import LogLine

_EXTENSION = "eenplan_applicaties"


def activity_uri(key: str) -> str:
    """The URI of a processing activity in the register Eenplan serves: absolute, on
    ``EENPLAN_BASE_URL`` (else the request's host)."""
    base = str(current_app.config.get("EENPLAN_BASE_URL") or "").rstrip("/")
    if not base and has_request_context():
        return url_for("verwerkingsregister_api.activiteit", key=key, _external=True)
    base = base or "http://localhost"
    return f"{base}/api/verwerkingsregister/v1/verwerkingsactiviteiten/{quote(key, safe='')}"


_ACTIVITY_PATH = re.compile(
    r"^/api/verwerkingsregister/v1/verwerkingsactiviteiten/([a-z0-9][a-z0-9-]{0,99})$"
)


def activity_key(uri: str) -> str | None:
    """The register key in a processing activity's URI (as a record names it), or ``None``."""
    parts = urlsplit(uri)
    match = _ACTIVITY_PATH.match(parts.path) if parts.scheme in ("http", "https") else None
    return match.group(1) if match else None


def register_application(app: Any, name: str, uri: str) -> None:
    """Make ``name`` (a party as it appears in ``sender``/``recipient``) an application with
    this URI: its exchanges carry ``dpl.core.foreign_operation.processor``."""
    app.extensions.setdefault(_EXTENSION, {})[name] = uri


def applications() -> dict[str, str]:
    configured = current_app.config.get("EENPLAN_APPLICATIES") or {}
    return {**current_app.extensions.get(_EXTENSION, {}), **configured}


def processor(line: LogLine, known: dict[str, str] | None = None) -> str | None:
    """The URI of the other application in an exchange, if the other party is one."""
    if line.kind != "uitwisseling":
        return None
    known = applications() if known is None else known
    for party in (line.sender, line.recipient):
        if party and party in known:
            return known[party]
    return None


def record(line: LogLine, known: dict[str, str] | None = None) -> dict[str, Any]:
    """The line as the LDV record Eenplan serves."""
    return line.to_ldv(activity_uri=activity_uri, processor=processor(line, known))


def records(lines: list[LogLine]) -> list[dict[str, Any]]:
    known = applications()
    return [record(line, known) for line in lines]
