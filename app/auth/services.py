from __future__ import annotations

import hashlib
import secrets

from flask import request
from sqlalchemy import select

from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.clock import now
from app.db import session
from app.users.models import ApiToken, User

TOKEN_PREFIX = "ep_"  # noqa: S105 - a public prefix, not a secret


def load_user(user_id: str) -> User | None:
    try:
        uid = int(user_id)
    except ValueError:
        return None
    user = session.get(User, uid)
    if user is None or not user.active:
        return None
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user for these credentials, or None. Same work whether or not the user exists."""
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active or user.password_hash is None:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip() or "API-token",
        prefix=plain[:10],
        token_hash=_token_hash(plain),
        created_at=now(),
    )
    session.add(token)
    session.flush()
    return token, plain


def user_for_token(plain: str) -> User | None:
    if not plain.startswith(TOKEN_PREFIX):
        return None
    token = session.scalars(
        select(ApiToken).where(ApiToken.token_hash == _token_hash(plain))
    ).first()
    if token is None or not token.usable(now()) or not token.user.active:
        return None
    token.last_used_at = now()
    return token.user


def load_user_from_request(req: object) -> User | None:
    """API requests authenticate with ``Authorization: Bearer <token>`` (never in the URL)."""
    if not request.path.startswith("/api/"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value:
        return None
    return user_for_token(value.strip())


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = now()
