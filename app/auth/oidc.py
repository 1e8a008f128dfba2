"""OpenID Connect logins (Authlib), reusable for every kind of user.

Each provider is configured from environment variables with its own prefix (see
``app.config.oidc_provider_config``) and registered here under a name: ``staff`` for the
municipality's identity provider (SSO for medewerkers). Another login — the citizen portal's
DigiD-style login — registers its own name with its own prefix and uses the same functions.

Authlib does the protocol: authorization code flow with ``state`` and ``nonce`` kept in the
session, the code exchanged at the token endpoint over HTTPS, the ID token's signature checked
against the provider's JWKS, and ``iss``, ``aud``, ``exp`` and ``nonce`` validated.
"""

from __future__ import annotations

import logging
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask, abort, current_app

from app.auth import external
from app.domain import Rol

log = logging.getLogger("eenplan.security")

EXTENSION = "eenplan_oidc"


def init_app(app: Flask) -> None:
    external.init_app(app)  # the redirect_uri's base and the trusted hosts
    oauth = OAuth(app)
    for name, cfg in app.config.get("OIDC_PROVIDERS", {}).items():
        for claim_value, role in cfg.get("role_map", {}).items():
            try:
                Rol(role)
            except ValueError:
                raise ValueError(
                    f"OIDC-rolkoppeling {claim_value!r} → {role!r}: onbekende rol"
                ) from None
        oauth.register(
            name,
            client_id=cfg["client_id"],
            client_secret=cfg["client_secret"] or None,
            server_metadata_url=cfg["metadata_url"],
            client_kwargs={"scope": cfg["scope"], "default_timeout": 10},
        )
    app.extensions[EXTENSION] = oauth


def provider(name: str) -> dict[str, Any] | None:
    """The configuration of provider ``name``, or None when it is not configured."""
    cfg: dict[str, Any] | None = current_app.config.get("OIDC_PROVIDERS", {}).get(name)
    return cfg


def client(name: str) -> Any:
    """Authlib's Flask client for provider ``name`` (404 when that login is not configured)."""
    if provider(name) is None:
        abort(404)
    return current_app.extensions[EXTENSION].create_client(name)


def claim_values(claims: dict[str, Any], claim: str) -> list[str]:
    """A claim as a list of strings ("groups": [...], "roles": "a b" or "a,b")."""
    value: Any = claims
    for part in claim.split("."):  # nested claims, e.g. "realm_access.roles"
        value = value.get(part) if isinstance(value, dict) else None
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def roles_from_claims(cfg: dict[str, Any], claims: dict[str, Any]) -> set[Rol] | None:
    """The roles the provider grants, by the configured map; None when roles stay local."""
    role_map: dict[str, str] = cfg.get("role_map") or {}
    if not role_map:
        return None
    return {Rol(role_map[v]) for v in claim_values(claims, cfg["role_claim"]) if v in role_map}


def mfa_asserted(cfg: dict[str, Any], claims: dict[str, Any]) -> bool:
    """Did the provider itself do multi-factor authentication (``amr`` / ``acr`` claims)?"""
    amr = set(claim_values(claims, "amr"))
    if amr & set(cfg.get("mfa_amr") or []):
        return True
    acr = claims.get("acr")
    return bool(acr) and str(acr) in set(cfg.get("mfa_acr") or [])
