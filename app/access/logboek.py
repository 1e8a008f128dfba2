"""Which logboek lines a user may read (:class:`LogboekToegang`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select

from app.clock import as_utc, today
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.logboek import current_logboek as logboek
from app.people.models import Person
from app.plans.afscherming import IEMAND_UIT_HUISHOUDEN, afgeschermde_gebruikers
from app.signalen.melders import regel_voor_inwoner
from app.signalen.uitstel import openbaarheid
from app.users.models import User
from audit import LogLine, Subject


@dataclass(frozen=True)
class LogboekToegang:
    """Which logboek lines a user may read, and under which processing activity.

    * the privacy officer: every line (their reading is itself logged, under
      ``toezicht-logboek``, one line per person whose lines they saw);
    * a citizen: only lines about themselves, only once a "disclose after" date has passed, and
      not the lines about a signal whose disclosure is deferred (``verborgen``: records of
      :mod:`app.signalen.uitstel`, outside the chain); once such a deferral ended the lines show
      with its date and reason (``later``), and a report's actor only by organisation and role
      (:mod:`app.signalen.melders`) — see :meth:`toon`.
    Build with :func:`logboek_regels_voor`.
    """

    alles: bool
    eigen_pseudoniem: str | None
    verwerking: str
    day: dt.date
    verborgen: tuple[tuple[str, str], ...] = ()
    later: dict[tuple[str, str], tuple[dt.date, str]] = field(default_factory=dict)
    # Shielded household members' user ids, each with until when (None: still shielded).
    afgeschermd: dict[str, dt.datetime | None] = field(default_factory=dict)
    person_id: int | None = None

    def filter(self, requested: Any) -> Any:
        """Narrow a requested :class:`audit.LineFilter` to what may be read; ``None``: nothing."""

        if self.alles:
            return requested
        if self.eigen_pseudoniem is None:
            return None
        if requested.data_subject_id not in (None, self.eigen_pseudoniem):
            return None
        return replace(
            requested,
            data_subject_id=self.eigen_pseudoniem,
            disclosed_on=self.day,
            hidden_objects=self.verborgen,
        )

    def ververst(self) -> LogboekToegang:
        """The same reader as of now (a long-lived stream asks again before every read: a
        deferral made while the page is open hides its lines at once)."""
        if self.alles:
            return self
        day = today()
        uitstel = openbaarheid(self.eigen_pseudoniem, day=day)
        return replace(
            self,
            day=day,
            verborgen=uitstel.verborgen_objecten,
            later=uitstel.later_objecten,
            afgeschermd=(
                afgeschermde_gebruikers(self.person_id) if self.person_id is not None else {}
            ),
        )

    def toon(self, lines: Iterable[LogLine]) -> list[LogLine]:
        """The lines as this reader may see them: the privacy officer unchanged; the citizen
        with reports' actors by organisation and role only, and lines that were deferred
        marked with the date they became visible and why."""
        if self.alles:
            return list(lines)
        out = []
        for line in lines:
            line = regel_voor_inwoner(line)
            if line.actor_type == "burger" and _afgeschermd(self.afgeschermd, line):
                # A shielded household member's own use: not by name (a presentation filter;
                # the line in the chain stays as it is). After lifting, what was logged before
                # stays so: lifting never reveals the past.
                line = replace(
                    line,
                    actor_name=IEMAND_UIT_HUISHOUDEN,
                    actor_id=None,
                    actor_role=None,
                    actor_mandate=None,
                )
            key = (line.object_type or "", line.object_id or "")
            if key in self.later and line.disclose_after is None:
                day, reason = self.later[key]
                line = replace(line, disclose_after=day, deferral_reason=reason)
            out.append(line)
        return out


def _afgeschermd(afgeschermd: dict[str, dt.datetime | None], line: LogLine) -> bool:
    if line.actor_id not in afgeschermd:
        return False
    tot = afgeschermd[line.actor_id]
    if tot is None:
        return True
    return as_utc(line.occurred_at) < as_utc(tot)


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
        uitstel = openbaarheid(pseudonym, day=day)
        return LogboekToegang(
            alles=False,
            eigen_pseudoniem=pseudonym,
            verwerking=Verwerkingsactiviteit.INZAGE_BETROKKENE,
            day=day,
            verborgen=uitstel.verborgen_objecten,
            later=uitstel.later_objecten,
            afgeschermd=afgeschermde_gebruikers(user.person_id),
            person_id=user.person_id,
        )
    return None
