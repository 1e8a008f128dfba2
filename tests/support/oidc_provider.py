"""A real OpenID Connect provider for tests: ``oidc-provider-mock`` in its own process.

Used for staff SSO and meant for every other OIDC login (the citizen portal's DigiD-style
login uses the same fixture). The provider is a real server on a free local port: discovery,
JWKS, authorization endpoint (a form where you type the subject), token endpoint with signed
ID tokens. Nothing is mocked on the application's side.

    def test_x(oidc_provider):                      # fixture in tests/conftest.py
        oidc_provider.set_user("u1", {"preferred_username": "reg1", "amr": ["pwd", "otp"]})
        cfg = oidc_provider.app_config("OIDC_STAFF_", ROLE_MAP='{"regisseurs": "regisseur"}')
        ...
        callback = oidc_provider.authorize(authorize_url, "u1")   # what the browser would do

Start one by hand (as scripts/run.sh does): ``python -m oidc_provider_mock --port 9400``.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import httpx


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OidcProvider:
    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.Client(base_url=url, timeout=10, trust_env=False)

    def set_user(self, sub: str, claims: dict[str, Any]) -> None:
        """Create or replace a user at the provider; its claims go into the ID token."""
        resp = self.http.put(f"/users/{quote(sub, safe='')}", json=claims)
        resp.raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Log in at the provider as ``sub`` (as a person would on its page); returns the
        redirect back to the application, with the authorization code and state."""
        assert authorize_url.startswith(self.url), authorize_url
        resp = self.http.post(authorize_url[len(self.url) :], data={"sub": sub})
        assert resp.status_code == 302, f"provider refused: {resp.status_code} {resp.text[:200]}"
        return str(resp.headers["Location"])

    def deny(self, authorize_url: str) -> str:
        resp = self.http.post(authorize_url[len(self.url) :], data={"action": "deny"})
        assert resp.status_code == 302
        return str(resp.headers["Location"])

    def app_config(self, prefix: str, **settings: str) -> dict[str, Any]:
        """The application's OIDC settings for this provider (as the environment would give)."""
        from app.config import oidc_provider_config

        env = {prefix + "ISSUER": self.url, prefix + "CLIENT_ID": "eenplan-test"}
        env[prefix + "CLIENT_SECRET"] = "test-secret"  # noqa: S105 - the mock accepts any
        env.update({prefix + k: v for k, v in settings.items()})
        cfg = oidc_provider_config(env, prefix)
        assert cfg is not None
        return cfg

    def close(self) -> None:
        self.http.close()


@contextmanager
def run_provider(
    port: int | None = None, users: dict[str, dict[str, Any]] | None = None
) -> Iterator[OidcProvider]:
    """Start ``python -m oidc_provider_mock`` on a free port; stop it afterwards."""
    port = port or free_port()
    args = [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)]
    for sub, claims in (users or {}).items():
        args += ["--user-claims", json.dumps({"sub": sub, **claims})]
    proc = subprocess.Popen(  # noqa: S603 - our own interpreter and a fixed module
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    provider = OidcProvider(url)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"oidc_provider_mock stopped with exit code {proc.returncode}")
            try:
                if provider.http.get("/.well-known/openid-configuration").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("oidc_provider_mock did not start within 30 s")
            time.sleep(0.1)
        yield provider
    finally:
        provider.close()
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
