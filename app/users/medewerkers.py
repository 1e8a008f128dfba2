"""Finding a staff member by (part of) a name or user name: the privacy officer's logboek search
and the functioneel beheerder's list of users.

A city has thousands of staff: a screen asks for what its user knows of the person (a name, a
user name, a part of either) instead of offering a list of all of them. Citizens (users with a
person) are not staff and are never found here. Former staff (no longer active) are: their lines
stay in the logboek, and the beheerder may activate them again.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, func, literal, or_, select

from app.db import session
from app.organisations.models import Organisation
from app.params import MAX_ID
from app.users.models import User

USER_ID = re.compile(r"[1-9][0-9]{0,9}")


class Medewerker(NamedTuple):
    id: int
    naam: str
    gebruikersnaam: str
    organisatie: str | None
    actief: bool

    def past_bij(self, tekst: str) -> bool:
        """Whether the typed text is part of this one's name or user name (any case, as
        :func:`zoek` compares)."""
        gezocht = tekst.lower()
        return gezocht in self.naam.lower() or gezocht in self.gebruikersnaam.lower()


def _select() -> Select[int, str, str, str | None, bool]:
    return (
        select(User.id, User.name, User.username, Organisation.name, User.active)
        .outerjoin(Organisation, Organisation.id == User.organisation_id)
        .where(User.person_id.is_(None))
    )


def naam_bevat(tekst: str) -> ColumnElement[bool]:
    """A user whose name or user name contains ``tekst``, in any case.

    Both sides are put in lower case by the database, so they are compared alike (SQLite's
    ``lower`` knows only A–Z: there an accented capital is found as typed). ``%`` and ``_`` are
    characters, not wildcards."""
    escaped = tekst.replace("/", "//").replace("%", "/%").replace("_", "/_")
    patroon = func.lower(literal(f"%{escaped}%"))
    return or_(
        func.lower(User.name).like(patroon, escape="/"),
        func.lower(User.username).like(patroon, escape="/"),
    )


def zoek(tekst: str, maximum: int) -> list[Medewerker]:
    """At most ``maximum`` staff members whose name or user name contains ``tekst``, by name."""
    rows = session.execute(
        _select().where(naam_bevat(tekst)).order_by(User.name, User.id).limit(maximum)
    ).all()
    return [Medewerker._make(row) for row in rows]


def met_id(actor_id: str) -> Medewerker | None:
    """The staff member behind a logboek line's actor id (a user id as the log writes it: ASCII
    digits, no leading zero), if it is one."""
    if not USER_ID.fullmatch(actor_id) or int(actor_id) > MAX_ID:
        return None
    row = session.execute(_select().where(User.id == int(actor_id))).first()
    return Medewerker._make(row) if row else None
