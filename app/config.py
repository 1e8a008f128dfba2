"""Configuration from environment variables, with safe defaults.

Secrets that are not given through the environment are generated once into the instance
folder (``instance/``, never committed) with owner-only permissions.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any


def _instance_secret(instance_path: Path, name: str) -> str:
    """Return the secret stored in ``instance/<name>``, creating it on first use."""
    path = instance_path / name
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(value + "\n")
    return value


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _json_map(value: str | None) -> dict[str, str]:
    """A JSON object of strings from the environment ({} when unset)."""
    if not value:
        return {}
    try:
        data = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(f"geen geldige JSON: {exc}") from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError("verwacht een JSON-object met teksten")
    return {str(k): v for k, v in data.items()}


THEMAS = ("voorbeeld", "amsterdam")


def _thema(value: str | None) -> str:
    """The look (docs/themas.md): the NL Design System voorbeeld theme unless set."""
    thema = (value or "voorbeeld").strip().lower()
    if thema not in THEMAS:
        raise ValueError(f"EENPLAN_THEMA moet een van {', '.join(THEMAS)} zijn, niet {thema!r}")
    return thema


def _list(value: str | None, default: str = "") -> list[str]:
    return [v.strip() for v in (value if value is not None else default).split(",") if v.strip()]


def oidc_provider_config(env: Any, prefix: str) -> dict[str, Any] | None:
    """One OpenID Connect provider from ``<prefix>ISSUER``, ``<prefix>CLIENT_ID`` etc.

    Returns None when ``<prefix>ISSUER`` is not set (then that way of logging in is off).
    Used for staff SSO (``OIDC_STAFF_``) and reusable for other logins (e.g. the citizen portal).
    """
    issuer = env.get(prefix + "ISSUER")
    if not issuer:
        return None
    role_map = env.get(prefix + "ROLE_MAP") or "{}"
    try:
        roles = json.loads(role_map)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{prefix}ROLE_MAP is geen geldige JSON: {exc}") from None
    if not isinstance(roles, dict):
        raise ValueError(f"{prefix}ROLE_MAP moet een JSON-object zijn")
    return {
        "issuer": issuer.rstrip("/"),
        "metadata_url": env.get(prefix + "METADATA_URL")
        or issuer.rstrip("/") + "/.well-known/openid-configuration",
        "client_id": env.get(prefix + "CLIENT_ID", "eenplan"),
        "client_secret": env.get(prefix + "CLIENT_SECRET", ""),
        "scope": env.get(prefix + "SCOPE", "openid profile email"),
        # Where the roles are in the claims, and which claim value means which role.
        # An empty map: roles come from the local account, not from the identity provider.
        "role_claim": env.get(prefix + "ROLE_CLAIM", "groups"),
        "role_map": {str(k): str(v) for k, v in roles.items()},
        # Which claim names a new account (with PROVISION on).
        "username_claim": env.get(prefix + "USERNAME_CLAIM", "preferred_username"),
        # Which claim links a first SSO login to an existing account: its value is that
        # account's username. Only a claim the municipality declares immutable and the user
        # cannot choose (an employee number; never preferred_username or email). Empty (the
        # default): no automatic linking — the functioneel beheerder links accounts explicitly
        # (flask users link-sso).
        "link_claim": env.get(prefix + "LINK_CLAIM", "").strip(),
        # Create a local account on the first login (needs a role map and an organisation).
        "provision": _bool(env.get(prefix + "PROVISION"), False),
        "organisation": env.get(prefix + "ORGANISATION", ""),
        # Claim values that say the provider itself did multi-factor authentication. Without one
        # of them, Eenplan asks for its own second factor (TOTP) after the SSO login.
        "mfa_amr": _list(env.get(prefix + "MFA_AMR"), "mfa,otp,hwk,swk,sc,fpt"),
        "mfa_acr": _list(env.get(prefix + "MFA_ACR"), ""),
        "label": env.get(prefix + "LABEL", "Inloggen met uw organisatieaccount"),
        # The citizen portal's login (``OIDC_BURGER_``): which claim carries the BSN (a DigiD
        # broker names it differently per contract), and whether logging out also ends the
        # session at the provider (when it has an ``end_session_endpoint``).
        "bsn_claim": env.get(prefix + "BSN_CLAIM", "bsn"),
        "end_session": _bool(env.get(prefix + "END_SESSION"), True),
    }


def load_config(instance_path: Path) -> dict[str, Any]:
    env = os.environ
    cookie_secure = _bool(env.get("SESSION_COOKIE_SECURE"), False)
    default_db = f"sqlite:///{instance_path / 'eenplan.sqlite3'}"
    return {
        "EENPLAN_ENV": env.get("EENPLAN_ENV", "development"),
        "DATABASE_URL": env.get("DATABASE_URL") or default_db,
        "SECRET_KEY": env.get("SECRET_KEY") or _instance_secret(instance_path, "secret_key"),
        # Key for the keyed hash (HMAC-SHA256) that pseudonymises data subjects in the logboek.
        "AUDIT_SUBJECT_KEY": env.get("AUDIT_SUBJECT_KEY")
        or _instance_secret(instance_path, "audit_subject_key"),
        # Key that authenticates the head and checkpoints of the logboek's hash chain.
        "AUDIT_CHAIN_KEY": env.get("AUDIT_CHAIN_KEY")
        or _instance_secret(instance_path, "audit_chain_key"),
        # Where `flask audit checkpoint` appends each signed checkpoint and `flask audit verify`
        # reads them back (audit/anchors.py): a file, opened append-only. In production on
        # storage the database credentials cannot reach or rewrite (WORM volume, chattr +a).
        "AUDIT_ANCHOR_STORE": env.get("AUDIT_ANCHOR_STORE")
        or str(instance_path / "logboek-ankers.jsonl"),
        # In production `flask audit verify` fails when the store is empty or its newest anchor
        # is older than this many hours (cron stopped: the rollback window grows).
        "AUDIT_ANCHOR_MAX_UREN": float(env.get("AUDIT_ANCHOR_MAX_UREN", "25")),
        # Key that encrypts the staff's TOTP secrets at rest (a database dump alone reveals none).
        "MFA_KEY": env.get("MFA_KEY") or _instance_secret(instance_path, "mfa_key"),
        # The name an authenticator app shows next to the code.
        "MFA_ISSUER": env.get("MFA_ISSUER", "Eenplan"),
        # A TOTP code is accepted once. Only a test configuration (TESTING) may turn this off.
        "MFA_REPLAY_PROTECTION": True,
        "PASSWORD_MIN_LENGTH": int(env.get("PASSWORD_MIN_LENGTH", "12")),
        # Per account: after this many failed attempts (password or code) the account is locked
        # for LOGIN_LOCKOUT_MINUTES; every further lock doubles that, up to a day.
        "LOGIN_MAX_FAILURES": int(env.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCKOUT_MINUTES": int(env.get("LOGIN_LOCKOUT_MINUTES", "15")),
        # How long the second step (code, enrolment) may take after the password was right.
        "LOGIN_PENDING_MINUTES": int(env.get("LOGIN_PENDING_MINUTES", "10")),
        # Per IP address (Flask-Limiter): memory:// for one process, redis://… in production.
        "RATELIMIT_ENABLED": _bool(env.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_LOGIN": env.get("RATELIMIT_LOGIN", "10 per minute;60 per hour"),
        "RATELIMIT_API": env.get("RATELIMIT_API", "600 per minute"),
        # The address users reach Eenplan at (scheme and host, e.g. https://eenplan.gemeente.nl):
        # the identity providers send users back to it (app/auth/external.py). Unset: built from
        # the request, which is then only served on loopback names (development).
        "EENPLAN_BASE_URL": env.get("EENPLAN_BASE_URL", ""),
        # The contact in the API's OpenAPI document (NL API Design Rules: name, e-mail, URL).
        "EENPLAN_API_CONTACT_NAME": env.get("EENPLAN_API_CONTACT_NAME", ""),
        "EENPLAN_API_CONTACT_EMAIL": env.get("EENPLAN_API_CONTACT_EMAIL", ""),
        "EENPLAN_API_CONTACT_URL": env.get("EENPLAN_API_CONTACT_URL", ""),
        # Other applications Eenplan exchanges data with, by the party name in the logboek
        # (JSON {"naam": "uri"}): their exchanges name them as dpl.core.foreign_operation.processor.
        "EENPLAN_APPLICATIES": _json_map(env.get("EENPLAN_APPLICATIES")),
        # The Host names Eenplan answers (others get 400); default: the host of EENPLAN_BASE_URL.
        "EENPLAN_TRUSTED_HOSTS": _list(env.get("EENPLAN_TRUSTED_HOSTS")),
        # Networks (CIDR, comma-separated) whose W3C traceparent Eenplan continues, e.g. the
        # API gateway's; default none: everyone else gets a trace of Eenplan's own
        # (app/security/tracing.py). Source systems with a valid token are trusted too.
        "EENPLAN_TRACE_TRUSTED_NETWORKS": _list(env.get("EENPLAN_TRACE_TRUSTED_NETWORKS")),
        # Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto to trust.
        "PROXY_FIX": int(env.get("PROXY_FIX", "0")),
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", str(365 * 24 * 3600))),
        # Application logs: one JSON object a line (json) or plain text (text).
        "LOG_FORMAT": env.get("LOG_FORMAT", "json"),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "OIDC_PROVIDERS": {
            name: cfg
            for name, cfg in (
                ("staff", oidc_provider_config(env, "OIDC_STAFF_")),
                ("burger", oidc_provider_config(env, "OIDC_BURGER_")),
            )
            if cfg is not None
        },
        "SESSION_COOKIE_HTTPONLY": True,
        # Lax, not Strict: the identity provider sends the browser back with a top-level GET that
        # must carry the session (OIDC state). Cross-site POSTs never carry the cookie.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": cookie_secure,
        # The __Host- prefix pins the cookie to this host, path / and HTTPS.
        "SESSION_COOKIE_NAME": "__Host-eenplan_session" if cookie_secure else "eenplan_session",
        "REMEMBER_COOKIE_DURATION": 0,
        "SESSION_IDLE_MINUTES": int(env.get("SESSION_IDLE_MINUTES", "30")),
        # The citizen's live log page: a keep-alive comment this often, and each event stream
        # ends after this long (the browser reconnects; the reconnect checks the session).
        "PORTAAL_LIVE_HEARTBEAT_SECONDS": float(env.get("PORTAAL_LIVE_HEARTBEAT_SECONDS", "15")),
        "PORTAAL_LIVE_MAX_SECONDS": float(env.get("PORTAAL_LIVE_MAX_SECONDS", "300")),
        # The stream service (app/portaal/stream.py): how often each process looks for new lines
        # by sequence (the safety net; SQLite's only way between processes), and the limits.
        # (default: 0.25 s on SQLite, where it is the only way between processes; 1 s on
        # PostgreSQL, where NOTIFY is the fast path and this the safety net)
        "PORTAAL_LIVE_POLL_SECONDS": float(env["PORTAAL_LIVE_POLL_SECONDS"])
        if env.get("PORTAAL_LIVE_POLL_SECONDS")
        else None,
        "PORTAAL_LIVE_MAX_PER_SESSIE": int(env.get("PORTAAL_LIVE_MAX_PER_SESSIE", "3")),
        "PORTAAL_LIVE_MAX_PER_INWONER": int(env.get("PORTAAL_LIVE_MAX_PER_INWONER", "6")),
        "PORTAAL_LIVE_MAX_STREAMS": int(env.get("PORTAAL_LIVE_MAX_STREAMS", "10000")),
        "PORTAAL_LIVE_CHECK_THREADS": int(env.get("PORTAAL_LIVE_CHECK_THREADS", "4")),
        "PORTAAL_LIVE_LEASE_SECONDS": float(env.get("PORTAAL_LIVE_LEASE_SECONDS", "60")),
        # Threads per process for the ordinary pages: the pages are CPU-bound Python, so more
        # threads than a core can keep busy (while others wait for the database) only share
        # the GIL — measured on the city under 50 users (docs/architecture.md): 4 gave the most
        # requests a second and the lowest p50, 16 and 8 fewer and slower. A slow client holds a
        # thread: behind a buffering reverse proxy (nginx's default) it never reaches one.
        "WSGI_THREADS": int(env.get("WSGI_THREADS", "4")),
        "SESSION_ABSOLUTE_HOURS": int(env.get("SESSION_ABSOLUTE_HOURS", "12")),
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_IDLE_MINUTES", "30")) * 60,
        "WTF_CSRF_TIME_LIMIT": None,
        # WTForms' own messages come in Dutch through app.forms.Form (no Flask-Babel needed).
        "WTF_I18N_ENABLED": False,
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        "API_PAGE_SIZE_MAX": 100,
        "EENPLAN_MUNICIPALITY": env.get("EENPLAN_MUNICIPALITY", "Gemeente Amsterdam"),
        # The look: design tokens, fonts, logo and favicon (docs/themas.md).
        "EENPLAN_THEMA": _thema(env.get("EENPLAN_THEMA")),
        "TIMEZONE": env.get("EENPLAN_TIMEZONE", "Europe/Amsterdam"),
        # Inkijk (docs/inkijk.md): which adapter serves which source, and the answer cache.
        "INKIJK_BRONNEN": env.get("INKIJK_BRONNEN", ""),
        "INKIJK_CACHE_SECONDS": int(env.get("INKIJK_CACHE_SECONDS", "300")),
        # Terugmeldvoorziening endpoint (JSON/HTTP); empty: the synthetic receiver.
        "TERUGMELDING_URL": env.get("TERUGMELDING_URL", ""),
        "HAALCENTRAAL_BRP_URL": env.get("HAALCENTRAAL_BRP_URL", ""),
        "HAALCENTRAAL_BRP_API_KEY": env.get("HAALCENTRAAL_BRP_API_KEY", ""),
        # OAuth 2.0 client credentials for the BRP API (token cached until it expires).
        "HAALCENTRAAL_BRP_TOKEN_URL": env.get("HAALCENTRAAL_BRP_TOKEN_URL", ""),
        "HAALCENTRAAL_BRP_CLIENT_ID": env.get("HAALCENTRAAL_BRP_CLIENT_ID", ""),
        "HAALCENTRAAL_BRP_CLIENT_SECRET": env.get("HAALCENTRAAL_BRP_CLIENT_SECRET", ""),
        "HAALCENTRAAL_BRP_SCOPE": env.get("HAALCENTRAAL_BRP_SCOPE", ""),
        "HAALCENTRAAL_BRP_CERT": env.get("HAALCENTRAAL_BRP_CERT", ""),
        "HAALCENTRAAL_BRP_KEY": env.get("HAALCENTRAAL_BRP_KEY", ""),
        "HAALCENTRAAL_BRP_CA": env.get("HAALCENTRAAL_BRP_CA", ""),
        "HAALCENTRAAL_BRP_TIMEOUT": float(env.get("HAALCENTRAAL_BRP_TIMEOUT", "5")),
        # Berichten (docs/berichten.md): attachments, and the optional "new message" e-mail.
        "BERICHTEN_BIJLAGE_MAX_BYTES": int(
            env.get("BERICHTEN_BIJLAGE_MAX_BYTES", str(10 * 1024 * 1024))
        ),
        "BERICHTEN_MAIL": _bool(env.get("BERICHTEN_MAIL"), False),
        "BERICHTEN_SMTP_HOST": env.get("BERICHTEN_SMTP_HOST", ""),
        "BERICHTEN_SMTP_PORT": int(env.get("BERICHTEN_SMTP_PORT", "587")),
        "BERICHTEN_SMTP_USER": env.get("BERICHTEN_SMTP_USER", ""),
        "BERICHTEN_SMTP_PASSWORD": env.get("BERICHTEN_SMTP_PASSWORD", ""),
        "BERICHTEN_SMTP_STARTTLS": _bool(env.get("BERICHTEN_SMTP_STARTTLS"), True),
        "BERICHTEN_MAIL_FROM": env.get("BERICHTEN_MAIL_FROM", "eenplan@localhost"),
        "BERICHTEN_BASE_URL": env.get("BERICHTEN_BASE_URL", ""),
        # How long a regisseur's stand-in access (vervanging) to a colleague's plan lasts.
        "EENPLAN_VERVANGING_UREN": int(env.get("EENPLAN_VERVANGING_UREN", "8")),
        # How long a signal from the web form (no source) is kept without a case step; sources
        # have their own term (signaal_bron.bewaartermijn_dagen). Six months: docs/signalen.md.
        "SIGNALEN_BEWAARTERMIJN_DAGEN": int(env.get("SIGNALEN_BEWAARTERMIJN_DAGEN", "183")),
        # The longest a signal's disclosure to the citizen may be deferred (gedwongen kader,
        # rule 3): a deferral is never set further than this many days ahead. docs/signalen.md.
        "EENPLAN_UITSTEL_MAX_DAGEN": int(env.get("EENPLAN_UITSTEL_MAX_DAGEN", "90")),
        # The privacy officer's queue (issue 16 #11/#12): days to answer a citizen's question
        # about a logboek line; refused look-ups per user per day from which the overview
        # shows a probing indicator. docs/privacy.md.
        "PRIVACY_VRAAG_TERMIJN_DAGEN": int(env.get("PRIVACY_VRAAG_TERMIJN_DAGEN", "14")),
        "PRIVACY_WEIGERINGEN_DREMPEL": int(env.get("PRIVACY_WEIGERINGEN_DREMPEL", "20")),
        # Working days an organisation has to answer a question of the signal team
        # (dát-informatie, buitenkant) before the regisseur sees it as overdue.
        "SIGNALEN_VRAAG_TERMIJN_WERKDAGEN": int(env.get("SIGNALEN_VRAAG_TERMIJN_WERKDAGEN", "5")),
        # The privacy officer's indicators (app/privacy/indicators.py): office hours (local
        # time), and "many persons in a short time".
        "LOGBOEK_KANTOOR_VAN": int(env.get("LOGBOEK_KANTOOR_VAN", "7")),
        "LOGBOEK_KANTOOR_TOT": int(env.get("LOGBOEK_KANTOOR_TOT", "19")),
        "LOGBOEK_VEEL_PERSONEN": int(env.get("LOGBOEK_VEEL_PERSONEN", "30")),
        "LOGBOEK_VEEL_MINUTEN": int(env.get("LOGBOEK_VEEL_MINUTEN", "60")),
        # The overview reads a day still going on (today) from the store as long as
        # `flask privacy indicatoren` (cron, every few minutes) computed it at most this many
        # minutes ago; older (the job stopped), it adds the newer lines on page load. 0: always.
        "LOGBOEK_INDICATOREN_VERS_MINUTEN": int(env.get("LOGBOEK_INDICATOREN_VERS_MINUTEN", "15")),
    }
