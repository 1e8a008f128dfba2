"""Configuration from environment variables, with safe defaults.

Secrets that are not given through the environment are generated once into the instance
folder (``instance/``, never committed) with owner-only permissions.
"""

from __future__ import annotations

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


def load_config(instance_path: Path) -> dict[str, Any]:
    env = os.environ
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
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE"), False),
        "SESSION_COOKIE_NAME": "eenplan_session",
        "REMEMBER_COOKIE_DURATION": 0,
        "PERMANENT_SESSION_LIFETIME": int(env.get("SESSION_IDLE_MINUTES", "30")) * 60,
        "WTF_CSRF_TIME_LIMIT": None,
        # WTForms' own messages come in Dutch through app.forms.Form (no Flask-Babel needed).
        "WTF_I18N_ENABLED": False,
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        "API_PAGE_SIZE_MAX": 100,
        "EENPLAN_MUNICIPALITY": env.get("EENPLAN_MUNICIPALITY", "Gemeente Amsterdam"),
        "TIMEZONE": env.get("EENPLAN_TIMEZONE", "Europe/Amsterdam"),
        # The privacy officer's indicators (app/privacy/indicators.py): office hours (local
        # time), and "many persons in a short time".
        "LOGBOEK_KANTOOR_VAN": int(env.get("LOGBOEK_KANTOOR_VAN", "7")),
        "LOGBOEK_KANTOOR_TOT": int(env.get("LOGBOEK_KANTOOR_TOT", "19")),
        "LOGBOEK_VEEL_PERSONEN": int(env.get("LOGBOEK_VEEL_PERSONEN", "30")),
        "LOGBOEK_VEEL_MINUTEN": int(env.get("LOGBOEK_VEEL_MINUTEN", "60")),
    }
