"""Statements built once per user and day: the navigation's counts on every staff page.

The counts in the menu (unread messages, the werklijst's flags) are statements built from the
access rules (:mod:`app.access.paths`, :mod:`app.access.berichten`): a tree of conditions with
the user's ids and today's date in it. Building that tree and SQLAlchemy's cache key of it took
more Python than running the statement (measured under 50 users in the city benchmark: the menu
was a tenth of the server's CPU). The statement for a user on a day is the same on every page,
so it is kept (:func:`built`) and only run again: the counts themselves always come fresh from
the database.

What a statement depends on is its key: the user's id, whether they are active, their roles,
organisation (and whether it is a municipality: a regisseur's mandate), person and today's date
— everything the rules read from the user when they build their conditions. A change of any of
these builds anew. The keep is per application (tests build many) and bounded (least recently
used first out).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app

from app.users.models import User

SIZE = 1024  # statements kept per application (a few per active staff member)
_EXTENSION = "eenplan_statements"


class _Kept:
    """A bounded map, least recently used first out; shared by a process's request threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.lock = threading.Lock()
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any | None:
        with self.lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


def user_key(user: User) -> tuple[Any, ...]:
    """What the access rules read from a user when they build a condition."""
    org = user.organisation
    return (
        user.id,
        bool(user.active),
        frozenset(user.roles),
        user.organisation_id,
        bool(org is not None and org.is_gemeente),
        user.person_id,
    )


def built(kind: str, user: User, day: dt.date, build: Callable[[], Any]) -> Any:
    """The statement ``kind`` for this user on this day: made by ``build`` once, then kept."""
    kept = current_app.extensions.get(_EXTENSION)
    if kept is None:
        kept = current_app.extensions.setdefault(_EXTENSION, _Kept(SIZE))
    key = (kind, user_key(user), day)
    stmt = kept.get(key)
    if stmt is None:
        stmt = build()
        kept.put(key, stmt)
    return stmt
