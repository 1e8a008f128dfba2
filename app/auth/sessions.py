"""Login sessions that the server can end.

Flask's session is a signed cookie: on its own it cannot be revoked. So the cookie carries a
random session token (``sid``) and the database keeps its SHA-256 in ``login_session``; every
request checks that row (:func:`check`). That gives

* rotation: a new token at login (the pre-login cookie is cleared) and when the user's roles
  change (:func:`rotate`, also done automatically when the roles differ from the ones the session
  was issued for);
* an idle timeout (``SESSION_IDLE_MINUTES``, 30) and an absolute one (``SESSION_ABSOLUTE_HOURS``,
  12), after NIST SP 800-63B for AAL2;
* logging out that really ends the session, and "log out everywhere" (:func:`end_all`), also
  done for the other sessions when the password changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from flask import current_app, flash, has_request_context, request
from flask import session as http_session
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import i18n
from app.auth.models import LoginSession
from app.clock import now
from app.db import session
from app.users.models import User

SID = "sid"
TOUCH_EVERY = dt.timedelta(seconds=60)  # how often last_seen_at is written (not every request)
# Requests a page makes by itself (the live log page's event stream and polling): they are no
# activity of the person, so they do not keep an idle session alive.
PASSIVE_ENDPOINTS = frozenset(
    {
        "portaal.logboek_live",
        "portaal.logboek_nieuw",
        "portaal.uitwisselingen_live",
        "portaal.uitwisselingen_nieuw",
    }
)

log = logging.getLogger("eenplan.security")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def roles_fingerprint(user: User) -> str:
    return hashlib.sha256(",".join(sorted(r.value for r in user.roles)).encode()).hexdigest()


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=int(current_app.config.get("SESSION_IDLE_MINUTES", 30)))


def absolute_limit() -> dt.timedelta:
    return dt.timedelta(hours=int(current_app.config.get("SESSION_ABSOLUTE_HOURS", 12)))


def start(user: User, method: str) -> LoginSession:
    """A new login session; the cookie gets its token. Call after the cookie was cleared."""
    token = secrets.token_urlsafe(32)
    at = now()
    row = LoginSession(
        token_hash=_hash(token),
        user_id=user.id,
        method=method,
        created_at=at,
        last_seen_at=at,
        roles_fingerprint=roles_fingerprint(user),
    )
    session.add(row)
    session.flush()
    http_session[SID] = token
    return row


def _token() -> str | None:
    """This request's session token (from the signed cookie), if any."""
    token = http_session.get(SID)
    return token if isinstance(token, str) and token else None


def current() -> LoginSession | None:
    token = _token()
    if token is None:
        return None
    return session.scalars(
        select(LoginSession).where(LoginSession.token_hash == _hash(token))
    ).first()


def _current_with_user() -> tuple[LoginSession, User] | None:
    """:func:`current` with its user, their organisation and roles, in one statement (every
    request asks; three statements were 7% of the server's CPU in the city benchmark)."""
    token = _token()
    if token is None:
        return None
    row = (
        session.execute(
            select(LoginSession, User)
            .join(User, User.id == LoginSession.user_id)
            .where(LoginSession.token_hash == _hash(token))
            .options(joinedload(User.role_rows))
        )
        .unique()
        .first()
    )
    return (row[0], row[1]) if row is not None else None


def end(row: LoginSession, reason: str) -> None:
    if row.ended_at is None:
        row.ended_at = now()
        row.end_reason = reason


def end_current(reason: str) -> None:
    row = current()
    if row is not None:
        end(row, reason)
    http_session.pop(SID, None)


def end_all(user: User, reason: str, *, except_current: bool = False) -> int:
    """End every open session of the user (log out everywhere); returns how many."""
    keep = current() if except_current else None
    n = 0
    for row in session.scalars(
        select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    ):
        if keep is not None and row.id == keep.id:
            continue
        end(row, reason)
        n += 1
    log.info("sessions ended", extra={"event": "sessions.ended", "count": n, "reason": reason})
    return n


def rotate(user: User, reason: str = "rotatie") -> None:
    """A new token for the same login (privilege change); the old token stops working."""
    old = current()
    method = old.method if old is not None else "rotatie"
    created = old.created_at if old is not None else now()
    if old is not None:
        end(old, reason)
    row = start(user, method)
    row.created_at = created  # the absolute timeout still counts from the login
    log.info("session rotated", extra={"event": "session.rotated", "reason": reason})


def active_sessions(user: User) -> list[LoginSession]:
    at = now()
    rows = session.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .order_by(LoginSession.last_seen_at.desc())
    )
    return [r for r in rows if not _expired(r, at)]


def _expired(row: LoginSession, at: dt.datetime) -> str | None:
    if at - row.last_seen_at > idle_limit():
        return "inactief"
    if at - row.created_at > absolute_limit():
        return "maximale-duur"
    return None


MESSAGES = {
    "inactief": _l(
        "U bent automatisch uitgelogd omdat u een tijd niets heeft gedaan. Log opnieuw in."
    ),
    "maximale-duur": _l(
        "U bent automatisch uitgelogd omdat u lang geleden inlogde. Log opnieuw in."
    ),
    "beeindigd": _l("Uw sessie is beëindigd. Log opnieuw in."),
}


def check(user_id: int) -> User | None:
    """The user of this request's session, or None when the session is not (or no longer) valid.

    Called by Flask-Login's user loader on every request that carries a session cookie.
    """
    found = _current_with_user()
    if found is None or found[0].user_id != user_id:
        if http_session.get(SID):
            _drop("beeindigd")
        return None
    row, user = found
    if row.ended_at is not None:
        _drop("beeindigd")
        return None
    at = now()
    reason = _expired(row, at)
    if reason is not None:
        end(row, reason)
        log.info("session expired", extra={"event": "session.expired", "reason": reason})
        _drop(reason)
        return None
    if not user.active:
        end(row, "account-inactief")
        _drop("beeindigd")
        return None
    if row.roles_fingerprint != roles_fingerprint(user):
        rotate(user, "rollen-gewijzigd")
    elif at - row.last_seen_at > TOUCH_EVERY and not _passive():
        row.last_seen_at = at
    return user


def _passive() -> bool:
    return has_request_context() and request.endpoint in PASSIVE_ENDPOINTS


def _drop(reason: str) -> None:
    """Forget the login in the cookie and tell the user why at the login page."""
    i18n.clear_session()
    flash(str(MESSAGES.get(reason, MESSAGES["beeindigd"])), "info")
