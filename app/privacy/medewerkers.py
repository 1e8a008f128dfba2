"""Finding a staff member for the logboek search by (part of) a name or user name.

A city has thousands of staff: the search asks for what the privacy officer knows of the person
(a name, a user name, a part of either) instead of offering a list of all of them. Citizens (users
with a person) are not staff and are never found here. Former staff (no longer active) are: their
lines stay in the logboek.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import Select, func, literal, or_, select

from app.db import session
from app.organisations.models import Organisation
from app.users.models import User

USER_ID = re.compile(r"[1-9][0-9]{0,17}")


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


def zoek(tekst: str, maximum: int) -> list[Medewerker]:
    """At most ``maximum`` staff members whose name or user name contains ``tekst``, by name.

    Both sides are put in lower case by the database, so they are compared alike (SQLite's
    ``lower`` knows only A–Z: there an accented capital is found as typed). ``%`` and ``_`` are
    characters, not wildcards."""
    escaped = tekst.replace("/", "//").replace("%", "/%").replace("_", "/_")
    patroon = func.lower(literal(f"%{escaped}%"))
    rows = session.execute(
        _select()
        .where(
            or_(
                func.lower(User.name).like(patroon, escape="/"),
                func.lower(User.username).like(patroon, escape="/"),
            )
        )
        .order_by(User.name, User.id)
        .limit(maximum)
    ).all()
    return [Medewerker._make(row) for row in rows]


def met_id(actor_id: str) -> Medewerker | None:
    """The staff member behind a logboek line's actor id (a user id as the log writes it: ASCII
    digits, no leading zero), if it is one."""
    if not USER_ID.fullmatch(actor_id):
        return None
    row = session.execute(_select().where(User.id == int(actor_id))).first()
    return Medewerker._make(row) if row else None
