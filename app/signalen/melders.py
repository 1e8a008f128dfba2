"""Who reports signals, and who reported one as the citizen sees it.

Reporting: external melders (schools, GPs, …) have the melder role; the staff of every
organisation — hulpverleners of involved or non-involved organisations, and regisseurs — report
too (``app/signalen/views.py``: ``MELDERS``). Each report gets the melder's own number
("Melding 3", :func:`app.signalen.intake.volgend_meldnummer`), never the global id; the form
starts with what it knows of the melder (:func:`vul_melder_in`).

Who reported it — one rule for every surface the citizen sees (SPEC rule 4, and the
protection of people who report; docs/signalen.md "Who reported it"):

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
from app.users.models import User

MELDER_ROL = ROL_LABELS[Rol.MELDER]
# The logboek lines of a report: the melder's form (and a staff member reporting, issue 13 #9),
# and the status of their reports sent to them ("Mijn meldingen").
MELDING_REGELS = frozenset({"signalen.melden", "signalen.meldingstatus"})
ONBEKENDE_MELDER = "Iemand uit uw omgeving"


def beschrijving(*, organisatie: str | None, rol: str | None, relatie: str | None) -> str:
    """The melder as the citizen reads it: organisation and role, or only the relation."""
    if organisatie:
        rol_tekst = (rol or MELDER_ROL).capitalize()
        tekst = f"{rol_tekst} bij {organisatie}"
        if relatie and organisatie.lower() in relatie.lower() and " bij " in relatie.lower():
            relatie = relatie[: relatie.lower().index(" bij ")]  # "Hulpverlener bij <org>"
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


def vul_melder_in(form: Any, user: User) -> None:
    """A new form starts with the melder's own name, contact and (for staff) their role at
    their organisation; they can change each before sending."""
    if not form.melder_naam.data:
        form.melder_naam.data = user.name
    if not form.melder_contact.data and user.email:
        form.melder_contact.data = user.email
    if not form.relatie.data and user.organisation is not None:
        for rol in (Rol.HULPVERLENER, Rol.REGISSEUR):
            if user.has_role(rol):
                form.relatie.data = f"{ROL_LABELS[rol]} bij {user.organisation.name}"
                break
