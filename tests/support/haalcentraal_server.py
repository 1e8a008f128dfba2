"""A local HTTP server that speaks the Haal Centraal "BRP bevragen" personen API (v2, 2.7.0).

It serves the recorded answers in ``tests/fixtures/haalcentraal/`` (one file per BSN): it checks
the request as the real API does — ``POST``, a body valid against the standard's own
``RaadpleegMetBurgerservicenummer`` schema (``../shared/standards/haal-centraal-brp/openapi.json``)
with only ``fields`` from its allowed list (``fields-filtered-Persoon.csv``), and authentication
(an OAuth 2.0 access token from its token endpoint, client credentials; or the ``X-API-KEY`` of
a gateway) — answers in the API's response shape filtered by ``fields``, leaves out deceased
persons unless ``inclusiefOverledenPersonen`` is true, and errors as ``application/problem+json``.
Every answer it sends is validated against the standard's response schema; what does not fit
is kept in ``violations`` (a test asserts it stays empty). A real server on a loopback port, so
the adapter's real HTTP client is what gets tested.
"""

from __future__ import annotations

import base64
import copy
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from tests.support.standards import brp_fields, brp_validator

FIXTURES = Path(__file__).parent.parent / "fixtures" / "haalcentraal"
PATH = "/haalcentraal/api/brp/personen"
TOKEN_PATH = "/oauth2/token"
API_KEY = "test-api-key"
CLIENT_ID = "eenplan-test"
CLIENT_SECRET = "test-client-secret"  # noqa: S105 (a test value)


def select_fields(obj: Any, fields: list[str]) -> Any:
    """Keep only the given dot paths (lists apply the rest of the path to every item), and the
    ``type`` of every object kept, as the API does."""
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
    if out and "type" in obj:  # the API keeps a polymorphic object's discriminator
        out["type"] = obj["type"]
    return out


class HaalCentraalServer:
    def __init__(self, token_lifetime: int = 3600) -> None:
        self.requests: list[dict[str, Any]] = []
        self.token_requests: list[dict[str, Any]] = []
        self.tokens: dict[str, float] = {}  # access token -> expiry (time.monotonic)
        self.token_lifetime = token_lifetime
        self.fail_with: int | None = None
        self.violations: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _send(
                self,
                status: int,
                body: dict[str, Any],
                ctype: str,
                headers: dict[str, str] | None = None,
            ) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _problem(
                self, status: int, title: str, headers: dict[str, str] | None = None, **extra: Any
            ) -> None:
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
                    headers,
                )

            def do_GET(self) -> None:  # noqa: N802 - the API has no GET on personen
                self._problem(405, "Method not allowed")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if self.path == TOKEN_PATH:
                    self._token(raw)
                    return
                server.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": raw.decode()}
                )
                if server.fail_with:
                    extra = {"Retry-After": "30"} if server.fail_with == 429 else {}
                    self._problem(server.fail_with, "Service unavailable", headers=extra)
                    return
                if self.path != PATH:
                    self._problem(404, "Not found")
                    return
                if not self._authenticated():
                    self._problem(401, "Niet correct geauthenticeerd.")
                    return
                try:
                    body = json.loads(raw)
                except ValueError:
                    self._problem(400, "Ongeldige JSON.")
                    return
                invalid = [
                    {
                        "name": ".".join(str(p) for p in e.absolute_path) or "body",
                        "code": str(e.validator),
                        "reason": e.message[:200],
                    }
                    for e in brp_validator("RaadpleegMetBurgerservicenummer").iter_errors(body)
                ]
                if isinstance(body, dict) and body.get("type") != "RaadpleegMetBurgerservicenummer":
                    invalid.append(
                        {
                            "name": "type",
                            "code": "value",
                            "reason": "Waarde is geen geldig zoek type.",
                        }
                    )
                fields = body.get("fields") if isinstance(body, dict) else None
                for field in fields if isinstance(fields, list) else []:
                    if field not in brp_fields():
                        invalid.append(
                            {
                                "name": "fields",
                                "code": "fields",
                                "reason": f"Onbekend veld {field}.",
                            }
                        )
                if invalid:
                    self._problem(
                        400, "Een of meerdere parameters zijn niet correct.", invalidParams=invalid
                    )
                    return
                personen = []
                for bsn in body["burgerservicenummer"]:
                    f = FIXTURES / f"{bsn}.json"
                    if f.exists():
                        recorded = json.loads(f.read_text(encoding="utf-8"))["personen"]
                        personen += [
                            select_fields(p, fields)
                            for p in recorded
                            if "overlijden" not in p or body.get("inclusiefOverledenPersonen")
                        ]
                answer = {"type": "RaadpleegMetBurgerservicenummer", "personen": personen}
                validator = brp_validator("RaadpleegMetBurgerservicenummerResponse")
                server.violations += [e.message for e in validator.iter_errors(answer)]
                self._send(200, answer, "application/json; charset=utf-8")

            def _authenticated(self) -> bool:
                if self.headers.get("X-API-KEY") == API_KEY:
                    return True
                auth = self.headers.get("Authorization") or ""
                if not auth.startswith("Bearer "):
                    return False
                expiry = server.tokens.get(auth.removeprefix("Bearer "))
                return expiry is not None and expiry > time.monotonic()

            def _token(self, raw: bytes) -> None:
                """OAuth 2.0 client credentials (RFC 6749 4.4), the client authenticated with
                HTTP Basic."""
                form = dict(parse_qsl(raw.decode()))
                server.token_requests.append({"headers": dict(self.headers), "form": form})
                expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != f"Basic {expected}":
                    self._send(401, {"error": "invalid_client"}, "application/json")
                    return
                if form.get("grant_type") != "client_credentials":
                    self._send(400, {"error": "unsupported_grant_type"}, "application/json")
                    return
                token = secrets.token_urlsafe(24)
                server.tokens[token] = time.monotonic() + server.token_lifetime
                self._send(
                    200,
                    {
                        "access_token": token,
                        "token_type": "Bearer",
                        "expires_in": server.token_lifetime,
                    },
                    "application/json",
                )

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}{PATH}"
        self.token_url = f"http://127.0.0.1:{self.httpd.server_address[1]}{TOKEN_PATH}"
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
