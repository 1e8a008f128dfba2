from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from typing import Any

from flask import current_app, request
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.auth import oidc, sessions
from app.auth.models import ExternalIdentity, LoginState
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.clock import now
from app.db import session
from app.organisations.models import Organisation
from app.users.models import ApiToken, User, UserRole

TOKEN_PREFIX = "ep_"  # noqa: S105 - a public prefix, not a secret
MAX_LOCK = dt.timedelta(hours=24)

log = logging.getLogger("eenplan.security")


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user of a valid login session (see app.auth.sessions)."""
    try:
        uid = int(user_id)
    except ValueError:
        return None
    return sessions.check(uid)


def _ensure_login_state(user_id: int) -> None:
    """Insert the account's login_state row unless it is there: an upsert, so two requests
    making the first row at once do not collide (no IntegrityError, issue 20)."""
    values = {"user_id": user_id, "failed_attempts": 0, "lockouts": 0}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = pg_insert(LoginState).values(**values)
    else:
        stmt = sqlite_insert(LoginState).values(**values)
    session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id"]))


def login_state(user: User, *, for_update: bool = False) -> LoginState:
    """The account's login state, created when missing. ``for_update``: read it fresh and hold
    its row lock until the transaction ends (PostgreSQL ``SELECT … FOR UPDATE``; on SQLite every
    transaction holds the write lock from its start, see app.db), so that counting a failure or
    accepting a password is decided on the latest count, one request at a time."""
    state = None if for_update else session.get(LoginState, user.id)
    if state is None:
        _ensure_login_state(user.id)
        state = session.scalars(
            select(LoginState)
            .where(LoginState.user_id == user.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
    return state


def _locked(state: LoginState | None) -> bool:
    return bool(state and state.locked_until and state.locked_until > now())


def is_locked(user: User, *, for_update: bool = False) -> bool:
    if for_update:
        return _locked(login_state(user, for_update=True))
    return _locked(session.get(LoginState, user.id))


def record_failure(user: User, step: str) -> None:
    """A wrong password or code for this account; locks it after LOGIN_MAX_FAILURES.

    Atomic: the row is locked while the failure is counted, so parallel attempts each count
    once. An attempt that arrives while the account is locked (it passed the first check while
    the lock was being set) does not count again: the lock is not extended or doubled by it."""
    state = login_state(user, for_update=True)
    log.info(
        "login failed",
        extra={"event": "login.failed", "user_id": user.id, "step": step},
    )
    if _locked(state):
        return
    state.failed_attempts += 1
    state.last_failed_at = now()
    if state.failed_attempts >= int(current_app.config["LOGIN_MAX_FAILURES"]):
        minutes = int(current_app.config["LOGIN_LOCKOUT_MINUTES"])
        duration = min(dt.timedelta(minutes=minutes) * (2**state.lockouts), MAX_LOCK)
        state.locked_until = now() + duration
        state.lockouts += 1
        state.failed_attempts = 0
        log.warning(
            "account locked",
            extra={
                "event": "account.locked",
                "user_id": user.id,
                "minutes": int(duration.total_seconds() // 60),
            },
        )
    session.flush()


def record_success(user: User) -> None:
    state = login_state(user, for_update=True)
    state.failed_attempts = 0
    state.lockouts = 0
    state.locked_until = None
    user.last_login_at = now()


def unlock(user: User) -> None:
    state = login_state(user)
    state.failed_attempts = 0
    state.locked_until = None


def authenticate(username: str, password: str) -> User | None:
    """The staff user for these credentials, or None.

    The same work whether or not the user exists, is locked or is a citizen: one argon2
    verification (against a dummy hash for unknown users), one lookup. The caller shows one
    message for every failure, so neither the answer nor its timing says whether an account
    exists or is locked.
    """
    user = session.scalars(select(User).where(User.username == username.strip().lower())).first()
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        log.info(
            "login failed", extra={"event": "login.failed", "user_id": None, "step": "wachtwoord"}
        )
        return None
    if is_locked(user):
        log.info("login refused: locked", extra={"event": "login.locked", "user_id": user.id})
        return None
    if not ok or not user.active or user.password_hash is None or user.is_burger:
        record_failure(user, "wachtwoord")
        return None
    # The right password: decided on the latest count under the row lock. Failures that were
    # counted while the password was being checked may have locked the account meanwhile; then
    # the answer is that of every other attempt past the limit.
    if is_locked(user, for_update=True):
        log.info("login refused: locked", extra={"event": "login.locked", "user_id": user.id})
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def set_password(user: User, password: str, *, temporary: bool = False) -> None:
    """Store a new password (the caller checked the policy). A temporary one (chosen by someone
    else) must be replaced at the next login."""
    user.password_hash = hash_password(password)
    state = login_state(user)
    state.password_changed_at = now()
    state.must_change_password = temporary


def must_change_password(user: User) -> bool:
    state = session.get(LoginState, user.id)
    return bool(state and state.must_change_password)


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


class LinkError(Exception):
    """An identity-provider account cannot be linked to this staff account."""


def normalise_issuer(issuer: str) -> str:
    """An issuer as Eenplan stores and compares it: without a trailing slash (providers differ,
    e.g. ``https://sts.windows.net/<tenant>/``), so a link made with ``flask users link-sso``
    and the ``iss`` of a login always meet."""
    return issuer.strip().rstrip("/")


def link_identity(
    user: User, provider_name: str, issuer: str, subject: str, *, via: str, replace: bool = False
) -> Any:
    """Link the identity-provider account ``issuer`` + ``subject`` to ``user``, and log it.

    The issuer is compared without a trailing slash (:func:`normalise_issuer`), as the CLI and
    the login look it up. A staff account has at most one identity per issuer: a second subject
    is refused, unless ``replace`` (an explicit step of the functioneel beheerder) removes the old one — also
    logged. A subject that belongs to another account is refused.
    """
    issuer = normalise_issuer(issuer)
    taken = session.scalars(
        select(ExternalIdentity).where(
            ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject
        )
    ).first()
    if taken is not None:
        raise LinkError("dit account bij de identiteitsprovider is al gekoppeld")
    existing = session.scalars(
        select(ExternalIdentity).where(
            ExternalIdentity.user_id == user.id, ExternalIdentity.issuer == issuer
        )
    ).all()
    if existing and not replace:
        raise LinkError("deze medewerker heeft al een account bij deze identiteitsprovider")
    for old in existing:
        session.delete(old)
        log.warning(
            "sso identity unlinked",
            extra={"event": "sso.unlinked", "user_id": user.id, "issuer": issuer, "via": via},
        )
    session.flush()
    ident = ExternalIdentity(
        user_id=user.id, provider=provider_name, issuer=issuer, subject=subject
    )
    session.add(ident)
    session.flush()
    # Staff accounts are not residents: no logboek line; the user id, never the name.
    log.warning(
        "sso identity linked",
        extra={"event": "sso.linked", "user_id": user.id, "issuer": issuer, "via": via},
    )
    return ident


def staff_user_for_sso(
    provider_name: str, cfg: dict[str, Any], claims: dict[str, Any]
) -> User | None:
    """The staff account for a successful SSO login, or None when it may not use Eenplan.

    Found by the provider's subject (``iss`` + ``sub``). A subject that is not linked yet is
    linked to an existing account only through the configured ``LINK_CLAIM`` (a claim the
    municipality declares immutable; its value is the Eenplan username), and only when that
    account has no identity at this issuer yet — never by ``preferred_username`` or another
    claim the user can choose, never a second subject. Without ``LINK_CLAIM`` the functioneel
    beheerder links accounts explicitly (``flask users link-sso``). With ``PROVISION`` on, a
    new account is created under a username nobody has yet. With a role map configured, the
    account's roles follow the provider's claims at every login (a change of roles rotates the
    session, see app.auth.sessions); without one they stay local.
    """
    issuer = normalise_issuer(str(claims.get("iss") or cfg["issuer"]))
    subject = str(claims.get("sub") or "")
    if not subject:
        return None
    ident = session.scalars(
        select(ExternalIdentity).where(
            ExternalIdentity.issuer == issuer, ExternalIdentity.subject == subject
        )
    ).first()
    user: User | None = session.get(User, ident.user_id) if ident else None
    roles = oidc.roles_from_claims(cfg, claims)
    if ident is None:
        link_claim = cfg.get("link_claim") or ""
        via = ""
        if link_claim:
            values = oidc.claim_values(claims, link_claim)
            account = values[0].strip().lower() if len(values) == 1 else ""
            if account:
                user = session.scalars(
                    select(User).where(User.username == account, User.person_id.is_(None))
                ).first()
                via = f"claim:{link_claim}"
        username = str(claims.get(cfg["username_claim"]) or "").strip().lower()
        if user is None and cfg.get("provision") and username and roles:
            if session.scalars(select(User.id).where(User.username == username)).first():
                # An existing account is never taken over by a new identity (issue 20).
                log.warning(
                    "sso provisioning refused: username taken", extra={"event": "sso.refused"}
                )
                return None
            org = session.scalars(
                select(Organisation).where(Organisation.name == cfg.get("organisation"))
            ).first()
            if org is None:
                log.error("sso provisioning: organisation not configured or unknown")
                return None
            user = User(
                username=username[:80],
                name=str(claims.get("name") or username)[:200],
                email=str(claims.get("email") or "")[:200] or None,
                organisation_id=org.id,
                password_hash=None,
            )
            session.add(user)
            session.flush()
            log.info("sso account created", extra={"event": "sso.provisioned", "user_id": user.id})
            via = "provisioned"
        if user is None or not user.active or user.is_burger:
            return None
        try:
            ident = link_identity(user, provider_name, issuer, subject, via=via)
        except LinkError as exc:
            log.warning(
                "sso link refused",
                extra={"event": "sso.link_refused", "user_id": user.id, "reason": str(exc)},
            )
            return None
    if user is None or not user.active or user.is_burger:
        return None
    if roles is not None:
        if not roles:
            return None
        if roles != user.roles:
            for row in list(user.role_rows):
                if row.role not in {r.value for r in roles}:
                    user.role_rows.remove(row)
            session.flush()  # deletes before inserts: (user, role) is unique
            have = {row.role for row in user.role_rows}
            user.role_rows.extend(
                UserRole(role=r.value) for r in sorted(roles) if r.value not in have
            )
            session.flush()
            log.info("roles from sso", extra={"event": "sso.roles_changed", "user_id": user.id})
    ident.last_login_at = now()
    return user
