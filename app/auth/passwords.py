"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106's recommendations)."""

from __future__ import annotations

import os
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# EENPLAN_ARGON2_PROFILE=test makes hashing cheap for the test suite only; never in production.
if os.environ.get("EENPLAN_ARGON2_PROFILE") == "test":
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
else:
    _hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this when the user does not exist keeps the timing the same. Made on
    first use, not on import: a hash costs ~0.2 s of CPU, which every worker and every command
    (the scheduled ones every few minutes) would otherwise pay at start."""
    return _hasher.hash("eenplan-dummy-password-for-timing")


def prepare() -> None:
    """A server makes the dummy hash before its first request (``asgi.py``), so that the first
    failed login of an unknown user does not take longer than the next."""
    _dummy_hash()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return (
            _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
