"""Refused look-ups (issue 16 #12): the indicator of probing — a user who tries many objects
that are invisible to them (e.g. plan ids one after another).

A refusal is no logboek line (nothing was shown), so the access layer's 404s are recorded here,
content-free: who, when, which route, and the address only as a keyed hash (HMAC with the
application's secret), enough to count the distinct objects tried without naming any. The
privacy overview shows, per user per day, the counts at or above
``PRIVACY_WEIGERINGEN_DREMPEL``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from dataclasses import dataclass

from flask import Response, after_this_request, current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import func, insert, select

from app.access.errors import REFUSAL_LISTENERS, NotVisible
from app.clock import TZ, now
from app.db import session
from app.privacy.models import GeweigerdeOpvraging
from app.users.models import User

DEFAULT_DREMPEL = 20
log = logging.getLogger("eenplan.privacy")


def _doel_hash(path: str) -> str:
    key = str(current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, path.encode(), hashlib.sha256).hexdigest()


def registreer(exc: NotVisible) -> None:
    """Record one refusal for the logged-in user, in a transaction of its own once the response
    is closed (the request's unit of work was discarded; on SQLite its connection may hold the
    write lock until the request ends)."""
    if not has_request_context() or not current_user.is_authenticated:
        return
    engine = current_app.extensions["eenplan_db"].engine
    values = {
        "user_id": int(current_user.id),
        "op": now(),
        "route": (request.endpoint or "-")[:100],
        "doel_hash": _doel_hash(request.path),
    }

    def write() -> None:
        try:
            with engine.begin() as conn:
                conn.execute(insert(GeweigerdeOpvraging).values(**values))
        except Exception as failure:  # noqa: BLE001 - the 404 was sent; a record must not fail it
            log.error("refused look-up not recorded: %s", type(failure).__name__)

    @after_this_request
    def _later(response: Response) -> Response:
        response.call_on_close(write)
        return response


REFUSAL_LISTENERS.append(registreer)


@dataclass(frozen=True)
class Uitschieter:
    """One user on one day with many refused look-ups."""

    user: User
    dag: dt.date
    aantal: int
    verschillend: int
    routes: tuple[str, ...]


def drempel() -> int:
    return int(current_app.config.get("PRIVACY_WEIGERINGEN_DREMPEL", DEFAULT_DREMPEL))


def uitschieters(van: dt.datetime, tot: dt.datetime) -> list[Uitschieter]:
    """Per user per (local) day in [van, tot): the refusals, when at least the threshold."""
    rows = session.execute(
        select(
            GeweigerdeOpvraging.user_id,
            GeweigerdeOpvraging.op,
            GeweigerdeOpvraging.route,
            GeweigerdeOpvraging.doel_hash,
        ).where(GeweigerdeOpvraging.op >= van, GeweigerdeOpvraging.op < tot)
    ).all()
    groups: dict[tuple[int, dt.date], list[tuple[str, str]]] = {}
    for user_id, op, route, doel in rows:
        groups.setdefault((user_id, op.astimezone(TZ).date()), []).append((route, doel))
    grens = drempel()
    hits = {k: v for k, v in groups.items() if len(v) >= grens}
    users = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_({k[0] for k in hits})))
    }
    out = [
        Uitschieter(
            user=users[user_id],
            dag=dag,
            aantal=len(v),
            verschillend=len({d for _, d in v}),
            routes=tuple(sorted({r for r, _ in v})),
        )
        for (user_id, dag), v in hits.items()
        if user_id in users
    ]
    return sorted(out, key=lambda u: (-u.aantal, u.dag, u.user.id))


def aantal(user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(GeweigerdeOpvraging.id)).where(GeweigerdeOpvraging.user_id == user_id)
        )
        or 0
    )
