"""OAuth 2.0 client credentials (RFC 6749 §4.4) for the sources Eenplan asks, e.g. the BRP
through Haal Centraal: a token from the token endpoint, cached until shortly before it expires,
fetched again when the API says it is no longer valid (401).

The client authenticates with HTTP Basic (client id and secret); over the same TLS settings as
the API (PKIoverheid client certificate for mutual TLS where configured). Tokens and secrets
never reach a log.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

log = logging.getLogger("eenplan.inkijk")

MARGIN_SECONDS = 30  # fetch a new token this long before the old one expires


class TokenNietVerkregen(Exception):
    """The token endpoint refused or could not be reached."""

    def __init__(self, status: int | None) -> None:
        super().__init__(f"token endpoint: {status}")
        self.status = status


class ClientCredentials:
    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        verify: Any = True,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.verify = verify
        self.timeout = timeout
        self.clock = clock
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def token(self) -> str:
        """A valid access token (cached; a new one when it is about to expire)."""
        with self._lock:
            if self._token is None or self.clock() >= self._expires:
                self._token, self._expires = self._fetch()
            return self._token

    def forget(self, token: str) -> None:
        """The API refused this token (401): the next call fetches a new one."""
        with self._lock:
            if self._token == token:
                self._token = None

    def _fetch(self) -> tuple[str, float]:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        try:
            with httpx.Client(timeout=self.timeout, verify=self.verify) as client:
                resp = client.post(
                    self.token_url,
                    data=form,
                    auth=(self.client_id, self.client_secret),
                    headers={"Accept": "application/json"},
                )
        except httpx.HTTPError as exc:
            log.warning("tokenserver niet bereikbaar: %s", type(exc).__name__)
            raise TokenNietVerkregen(None) from None
        if resp.status_code != 200:
            log.error("tokenserver weigerde: status %s", resp.status_code)
            raise TokenNietVerkregen(resp.status_code)
        try:
            data = resp.json()
            token = str(data["access_token"])
            lifetime = float(data.get("expires_in") or 300)
        except (ValueError, KeyError, TypeError):
            log.error("tokenserver gaf geen bruikbaar antwoord")
            raise TokenNietVerkregen(resp.status_code) from None
        return token, self.clock() + max(0.0, lifetime - MARGIN_SECONDS)
