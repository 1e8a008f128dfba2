"""Who reported a signal — one rule for every surface the citizen sees (SPEC rule 4, and the
protection of people who report; docs/signalen.md "Who reported it").

* a **source system** is named by its organisation: "CJIB (bronsysteem)";
* a **professional** (a melder, hulpverlener or regisseur with an organisation) by organisation
  and role: "Melder bij Basisschool De Regenboog" — never the person's name or contact;
* a **private person** (a neighbour, family: a melder without an organisation) never by name,
  only by their relation to the citizen: "Buurvrouw" (or "Iemand uit uw omgeving").

Used by "Signalen over mij" and the download (:func:`melder_van_signaal`) and by every citizen's
view of the logboek — the portal page, the live lines, the download and the read API —
(:func:`regel_voor_inwoner`, applied in :class:`app.access.LogboekToegang`). The privacy
officer and the signal team still see who it was: they need to.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from app.domain import ROL_LABELS, Rol

MELDER_ROL = ROL_LABELS[Rol.MELDER]
# The logboek lines of a report: the melder's form (and a staff member reporting, issue 13 #9).
MELDING_REGELS = frozenset({"signalen.melden"})
ONBEKENDE_MELDER = "Iemand uit uw omgeving"


def beschrijving(*, organisatie: str | None, rol: str | None, relatie: str | None) -> str:
    """The melder as the citizen reads it: organisation and role, or only the relation."""
    if organisatie:
        rol_tekst = (rol or MELDER_ROL).capitalize()
        tekst = f"{rol_tekst} bij {organisatie}"
        return f"{tekst} ({relatie.lower()})" if relatie else tekst
    return relatie.capitalize() if relatie else ONBEKENDE_MELDER


def melder_van_signaal(signal: Any, melder_organisatie: str | None) -> str:
    """Who reported ``signal`` (a :class:`~app.signalen.models.Vroegsignaal`)."""
    if signal.bron is not None:
        return f"{signal.bron.naam} (bronsysteem)"
    return beschrijving(organisatie=melder_organisatie, rol=MELDER_ROL, relatie=signal.relatie)


def is_melding(line: Any) -> bool:
    """A logboek line written by someone reporting a signal."""
    return line.name in MELDING_REGELS or line.actor_role == MELDER_ROL


def regel_voor_inwoner(line: Any) -> Any:
    """A logboek line as the citizen may see it: a report's actor by organisation and role
    only (or, for a private person, no one by name). Other lines unchanged (rule 4: who looked
    at their data is always named)."""
    if not is_melding(line):
        return line
    if line.actor_organisation:
        return dataclasses.replace(line, actor_name=None, actor_id=None)
    return dataclasses.replace(
        line, actor_name=ONBEKENDE_MELDER, actor_id=None, actor_role=None, actor_mandate=None
    )
