"""Which logboek lines a user may read (:class:`LogboekToegang`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select

from app.clock import today
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.logboek import current_logboek as logboek
from app.people.models import Person
from app.users.models import User
from audit import Subject


@dataclass(frozen=True)
class LogboekToegang:
    """Which logboek lines a user may read, and under which processing activity.

    * the privacy officer: every line (their reading is itself logged, under
      ``toezicht-logboek``, one line per person whose lines they saw);
    * a citizen: only lines about themselves, and only once a "disclose after" date has passed.
    Build with :func:`logboek_regels_voor`.
    """

    alles: bool
    eigen_pseudoniem: str | None
    verwerking: str
    day: dt.date

    def filter(self, requested: Any) -> Any:
        """Narrow a requested :class:`audit.LineFilter` to what may be read; ``None``: nothing."""

        if self.alles:
            return requested
        if self.eigen_pseudoniem is None:
            return None
        if requested.data_subject_id not in (None, self.eigen_pseudoniem):
            return None
        return replace(requested, data_subject_id=self.eigen_pseudoniem, disclosed_on=self.day)


def logboek_regels_voor(user: User, *, day: dt.date | None = None) -> LogboekToegang | None:
    """The logboek lines this user may read, or ``None`` (a page they may not use: 403)."""
    day = day or today()
    if user.has_role(Rol.PRIVACY_OFFICER):
        return LogboekToegang(
            alles=True, eigen_pseudoniem=None, verwerking=Verwerkingsactiviteit.TOEZICHT, day=day
        )
    if user.person_id is not None:
        # The citizen's own BSN, only to find their own lines; nothing is shown of it.
        bsn = session.execute(
            select(Person.bsn)
            .where(Person.id == user.person_id)
            .execution_options(audit_internal=True)
        ).scalar_one_or_none()
        pseudonym = logboek().pseudonymise(Subject("BSN", bsn)) if bsn else None
        return LogboekToegang(
            alles=False,
            eigen_pseudoniem=pseudonym,
            verwerking=Verwerkingsactiviteit.INZAGE_BETROKKENE,
            day=day,
        )
    return None
