"""A local HTTP server that speaks the Haal Centraal "BRP bevragen" personen API (v2).

It serves the recorded answers in ``tests/fixtures/haalcentraal/`` (one file per BSN): it checks
the request as the real API does (``POST``, JSON body of type ``RaadpleegMetBurgerservicenummer``
with ``burgerservicenummer`` and ``fields``, the ``X-API-KEY`` header), answers in the API's
response shape filtered by ``fields``, and errors as ``application/problem+json``. A real server
on a loopback port, so the adapter's real HTTP client is what gets tested.
"""

from __future__ import annotations

import copy
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent.parent / "fixtures" / "haalcentraal"
PATH = "/haalcentraal/api/brp/personen"
API_KEY = "test-api-key"


def select_fields(obj: Any, fields: list[str]) -> Any:
    """Keep only the given dot paths (lists apply the rest of the path to every item)."""
    if isinstance(obj, list):
        return [select_fields(item, fields) for item in obj]
    if not isinstance(obj, dict):
        return obj
    out: dict[str, Any] = {}
    heads: dict[str, list[str]] = {}
    for f in fields:
        head, _, rest = f.partition(".")
        heads.setdefault(head, [])
        if rest:
            heads[head].append(rest)
        else:
            heads[head] = [""]
    for head, rests in heads.items():
        if head not in obj:
            continue
        out[head] = copy.deepcopy(obj[head]) if "" in rests else select_fields(obj[head], rests)
    return out


class HaalCentraalServer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(self, status: int, body: dict[str, Any], ctype: str) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _problem(self, status: int, title: str, **extra: Any) -> None:
                self._send(
                    status,
                    {
                        "type": "about:blank",
                        "title": title,
                        "status": status,
                        "instance": PATH,
                        **extra,
                    },
                    "application/problem+json",
                )

            def do_GET(self) -> None:  # noqa: N802 - the API has no GET on personen
                self._problem(405, "Method not allowed")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                server.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": raw.decode()}
                )
                if server.fail_with:
                    self._problem(server.fail_with, "Service unavailable")
                    return
                if self.path != PATH:
                    self._problem(404, "Not found")
                    return
                if self.headers.get("X-API-KEY") != API_KEY:
                    self._problem(401, "Niet correct geauthenticeerd.")
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._problem(400, "Ongeldige JSON.")
                    return
                invalid = []
                if body.get("type") != "RaadpleegMetBurgerservicenummer":
                    invalid.append(
                        {
                            "name": "type",
                            "code": "value",
                            "reason": "Waarde is geen geldig zoek type.",
                        }
                    )
                bsns = body.get("burgerservicenummer")
                if (
                    not isinstance(bsns, list)
                    or not 1 <= len(bsns) <= 20
                    or not all(isinstance(b, str) and re.fullmatch(r"\d{9}", b) for b in bsns)
                ):
                    invalid.append(
                        {
                            "name": "burgerservicenummer",
                            "code": "pattern",
                            "reason": "Waarde voldoet niet aan patroon ^[0-9]{9}$.",
                        }
                    )
                fields = body.get("fields")
                if not isinstance(fields, list) or not fields:
                    invalid.append(
                        {"name": "fields", "code": "required", "reason": "Parameter is verplicht."}
                    )
                if invalid:
                    self._problem(
                        400, "Een of meerdere parameters zijn niet correct.", invalidParams=invalid
                    )
                    return
                personen = []
                for bsn in bsns:
                    f = FIXTURES / f"{bsn}.json"
                    if f.exists():
                        recorded = json.loads(f.read_text(encoding="utf-8"))["personen"]
                        personen += [select_fields(p, fields) for p in recorded]
                self._send(
                    200,
                    {"type": "RaadpleegMetBurgerservicenummer", "personen": personen},
                    "application/json; charset=utf-8",
                )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{PATH}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HaalCentraalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r["body"]) for r in self.requests]
