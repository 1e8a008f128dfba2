"""The structured bewaartermijn of a processing activity: years and months after an event.

The register (``app/verwerkingsregister.json``, then versioned in the database) keeps the term
in words (``retention``) and structured (``retention_term``, JSON: ``{"jaren": 5, "maanden": 0,
"na": "plan-afgesloten"}``). This module reads the structured one; `flask retention run` enforces
it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import Connection

from audit import Register


class Gebeurtenis(StrEnum):
    """The event a term runs from."""

    PLAN_AFGESLOTEN = "plan-afgesloten"
    SIGNAAL_ONTVANGEN = "signaal-ontvangen"
    SIGNAAL_VERGETEN = "signaal-vergeten"
    REGEL_GESCHREVEN = "regel-geschreven"


GEBEURTENIS_LABELS = {
    Gebeurtenis.PLAN_AFGESLOTEN: _l("na afsluiten van het plan"),
    Gebeurtenis.SIGNAAL_ONTVANGEN: _l("na ontvangst van het signaal"),
    Gebeurtenis.SIGNAAL_VERGETEN: _l("na het vergeten van het signaal"),
    Gebeurtenis.REGEL_GESCHREVEN: _l("na het schrijven van de logregel"),
}


class OngeldigeTermijn(ValueError):
    pass


def _plus_months(moment: dt.datetime, months: int) -> dt.datetime:
    total = moment.year * 12 + (moment.month - 1) + months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


@dataclass(frozen=True)
class Bewaartermijn:
    jaren: int
    maanden: int
    na: Gebeurtenis
    # A plan in which youth care took part is kept this many years instead (Jeugdwet art. 7.3.8:
    # 20 years); None: no exception.
    jeugdhulp_jaren: int | None = None

    @classmethod
    def parse(cls, text: str | None) -> Bewaartermijn | None:
        """The term from its stored JSON; None when the register gives none."""
        if not text:
            return None
        try:
            data = json.loads(text)
            jeugd = data.get("jeugdhulp_jaren")
            term = cls(
                int(data.get("jaren", 0)),
                int(data.get("maanden", 0)),
                Gebeurtenis(data["na"]),
                int(jeugd) if jeugd is not None else None,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise OngeldigeTermijn(f"ongeldige bewaartermijn: {text!r}") from exc
        if term.jeugdhulp_jaren is not None and term.jeugdhulp_jaren * 12 < term.in_maanden:
            raise OngeldigeTermijn(f"de termijn bij jeugdhulp is korter: {text!r}")
        if term.jaren < 0 or term.maanden < 0 or term.jaren * 12 + term.maanden == 0:
            raise OngeldigeTermijn(f"een bewaartermijn is langer dan nul: {text!r}")
        return term

    @property
    def in_maanden(self) -> int:
        return self.jaren * 12 + self.maanden

    def grens(self, moment: dt.datetime) -> dt.datetime:
        """Whatever's event lies before this moment has passed its term at ``moment``."""
        return _plus_months(moment, -self.in_maanden)

    def verloopt(self, event: dt.datetime, *, jeugdhulp: bool = False) -> dt.datetime:
        """When something whose event happened at ``event`` has passed its term."""
        return _plus_months(event, self.maanden_voor(jeugdhulp))

    def maanden_voor(self, jeugdhulp: bool) -> int:
        if jeugdhulp and self.jeugdhulp_jaren is not None:
            return self.jeugdhulp_jaren * 12
        return self.in_maanden

    def grens_jeugdhulp(self, moment: dt.datetime) -> dt.datetime:
        """As :meth:`grens`, for what youth care took part in."""
        return _plus_months(moment, -self.maanden_voor(True))

    def omschrijving(self) -> str:
        """The term in words, in the current language (Dutch outside a request: what the
        retention run stores)."""
        parts = []
        if self.jaren:
            parts.append(ngettext("%(num)s jaar", "%(num)s jaar", self.jaren))
        if self.maanden:
            parts.append(ngettext("%(num)s maand", "%(num)s maanden", self.maanden))
        duur = _("%(a)s en %(b)s", a=parts[0], b=parts[1]) if len(parts) == 2 else "".join(parts)
        text = _("%(duur)s %(na)s", duur=duur, na=GEBEURTENIS_LABELS[self.na])
        if self.jeugdhulp_jaren is not None:
            text += _("; bij jeugdhulp %(jaren)s jaar", jaren=self.jeugdhulp_jaren)
        return text

    def omschrijving_voor(self, jeugdhulp: bool) -> str:
        """The term that applied to one thing, in words."""
        if jeugdhulp and self.jeugdhulp_jaren is not None:
            return _(
                "%(jaren)s jaar %(na)s (jeugdhulp)",
                jaren=self.jeugdhulp_jaren,
                na=GEBEURTENIS_LABELS[self.na],
            )
        return Bewaartermijn(self.jaren, self.maanden, self.na).omschrijving()


def termijn_van(conn: Connection, key: str) -> Bewaartermijn | None:
    """The structured term of the register's current version of processing activity ``key``."""
    version = Register().current_version(conn, key)
    return Bewaartermijn.parse(version.retention_term) if version is not None else None
