"""What signing in needs to remember: second factors, login sessions, lockout, SSO identities.

Kept apart from ``User`` so the account itself stays small; every row here belongs to one user
and goes when the user goes. None of it is personal data of residents (no logboek lines).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime, utcnow


class MfaCredential(Base):
    """A user's TOTP authenticator. The secret is encrypted with ``MFA_KEY`` (not in the DB)."""

    __tablename__ = "mfa_credential"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    secret_encrypted: Mapped[str] = mapped_column(String(400))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the user proved the authenticator works; until then it is an enrolment in progress.
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The last 30-second time step whose code was accepted: a code is accepted once.
    last_used_step: Mapped[int | None] = mapped_column(Integer)


class RecoveryCode(Base):
    """A one-time recovery code, stored as a salted SHA-256 (the code has 60 random bits)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class LoginState(Base):
    """Per account: failed attempts and lockout, and the state of the password."""

    __tablename__ = "login_state"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # How many times the account was locked since the last successful login (doubles the lock).
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # A password someone else chose (a new account, a reset): replaced at the next login.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginSession(Base):
    """One logged-in browser. The cookie holds a random token; the database holds its hash.

    A session ends on logout, on "log out everywhere", on a password change (the others), after
    ``SESSION_IDLE_MINUTES`` without activity and ``SESSION_ABSOLUTE_HOURS`` after login. A
    signed cookie alone could not be revoked: this row is what makes logging out real.
    """

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    # password+totp, password+herstelcode, sso, sso+totp, …
    method: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(String(40))
    # The roles the session was issued for; a change of roles rotates the session.
    roles_fingerprint: Mapped[str] = mapped_column(String(64))


class ExternalIdentity(Base):
    """A login at an OpenID Connect provider (issuer + subject) that belongs to a user."""

    __tablename__ = "external_identity"
    __table_args__ = (
        UniqueConstraint("issuer", "subject", name="uq_external_identity_issuer_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(40))
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
