"""Questions from the signal team to organisations, within an open afweging (doelbinding).

At step 2 the regisseur asks for **dát-informatie** only — "is this person known or in
treatment with you?" (yes/no); at step 3 for the **buitenkant** — which help, since when, on
which indication; never the background or content of the help. The organisation's hulpverleners
see the open questions of their organisation ("Vragen aan mijn organisatie") and answer them or
decline with a reason. Each question and each answer (or refusal) is an exchange line in the
logboek: the question tells the organisation whom it is about (BSN and name), the answer tells
the municipality about the involvement (category ``betrokkenheid``).

**Which organisations may be asked:** an organisation that takes part in the samenwerking in
Eenplan — registered, active, not a municipality, and with at least one active hulpverlener who
can read and answer the question. Any other organisation (unknown, inactive, a municipality, or
one with nobody in Eenplan to answer) is refused: the question would either go nowhere or to a
party outside the covenant.

Every function changes the session and flushes; the request commits once, with its log lines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.sql import Select

from app.clock import now, today
from app.db import session
from app.domain import (
    AFWEGING_LOPEND,
    AfwegingStatus,
    Gegevenscategorie,
    Rol,
    Verwerkingsactiviteit,
)
from app.logboek import exchanges as uitwisselingen
from app.organisations.models import Organisation
from app.signalen.afweging import volgende_stap
from app.signalen.models import Afweging, DatInformatieVraag
from app.signalen.validation import SignaalError
from app.users.models import User, UserRole

# The question as the organisation reads it, per step.
VRAAG_TEKST = {
    2: _l("Is deze inwoner bij uw organisatie bekend of in behandeling? Alleen ja of nee."),
    3: (
        _l(
            "Welke hulp krijgt deze inwoner van uw organisatie, sinds wanneer en op welke indicatie? "
            "Alleen de buitenkant: geen achtergrond of inhoud van de hulp."
        )
    ),
}

# What the answer carries to the municipality.
ANTWOORD_CATEGORIEEN = (Gegevenscategorie.BETROKKENHEID,)

OPEN, BEANTWOORD, GEWEIGERD, VERLOPEN = "open", "beantwoord", "geweigerd", "verlopen"
STATUS_LABELS = {
    OPEN: _l("Open"),
    BEANTWOORD: _l("Beantwoord"),
    GEWEIGERD: _l("Geweigerd"),
    VERLOPEN: _l("Termijn verstreken"),
}


def status(vraag: DatInformatieVraag, *, op: dt.date | None = None) -> str:
    """Open, answered, declined, or overdue (open past its due date)."""
    if vraag.weigerreden:
        return GEWEIGERD
    if vraag.beantwoord_op is not None:
        return BEANTWOORD
    if vraag.uiterlijk_op is not None and (op or today()) > vraag.uiterlijk_op:
        return VERLOPEN
    return OPEN


def uiterlijk(start: dt.date, werkdagen: int) -> dt.date:
    """The due date: ``werkdagen`` working days (Monday–Friday) after ``start``."""
    day = start
    left = max(0, werkdagen)
    while left:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def vraagbare_organisaties() -> Select[Any]:
    """The organisations that may be asked (see the module's docstring)."""
    hulpverleners = (
        select(User.organisation_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == Rol.HULPVERLENER)
    )
    return (
        select(Organisation)
        .where(
            Organisation.active.is_(True),
            Organisation.kind != "gemeente",
            Organisation.id.in_(hulpverleners),
        )
        .order_by(Organisation.name)
    )


def _afzender(user: User) -> str:
    org = user.organisation
    return org.name if org is not None else str(current_app.config["EENPLAN_MUNICIPALITY"])


def stel_vraag(
    afweging: Afweging, organisation_id: int | None, *, actor: User
) -> DatInformatieVraag:
    """The regisseur asks an organisation, at step 2 (dát-informatie) or 3 (buitenkant)."""
    if afweging.status not in AFWEGING_LOPEND:
        raise SignaalError(
            _("U stelt een vraag alleen binnen een open afweging. Deze afweging is niet open."),
            "stap",
        )
    stap = volgende_stap(afweging)
    if stap not in VRAAG_TEKST:
        raise SignaalError(
            _("Vragen aan organisaties horen bij stap 2 en 3. Die stappen zijn al vastgelegd."),
            "stap",
        )
    org = session.scalars(
        vraagbare_organisaties().where(Organisation.id == (organisation_id or 0))
    ).first()
    if org is None:
        raise SignaalError(
            _(
                "Deze organisatie doet niet mee in de samenwerking in Eenplan (onbekend, niet actief, "
                "een gemeente of zonder hulpverleners die kunnen antwoorden). Kies een andere."
            ),
            "organisatie",
        )
    al_open = session.scalars(
        select(DatInformatieVraag.id)
        .where(
            DatInformatieVraag.afweging_id == afweging.id,
            DatInformatieVraag.organisation_id == org.id,
            DatInformatieVraag.stap == stap,
            DatInformatieVraag.beantwoord_op.is_(None),
        )
        .execution_options(audit_internal=True)
    ).first()
    if al_open is not None:
        raise SignaalError(
            _(
                "Er staat voor stap %(stap)s al een vraag open bij %(name)s.",
                stap=stap,
                name=org.name,
            ),
            "organisatie",
        )
    if afweging.status == AfwegingStatus.HEROPEND:
        afweging.status = AfwegingStatus.OPEN  # reopened by a new signal: weighed again
    gevraagd = now()
    vraag = DatInformatieVraag(
        afweging_id=afweging.id,
        person_id=afweging.person_id,
        organisation_id=org.id,
        stap=stap,
        gevraagd_door_id=actor.id,
        gevraagd_op=gevraagd,
        uiterlijk_op=uiterlijk(
            today(), int(current_app.config["SIGNALEN_VRAAG_TERMIJN_WERKDAGEN"])
        ),
    )
    session.add(vraag)
    session.flush()
    uitwisselingen.information_asked(
        refs=[("person", afweging.person_id)],
        asked_of=org.name,
        sender=_afzender(actor),
        object_type="dat_informatie_vraag",
        object_id=vraag.id,
        processing_activity=Verwerkingsactiviteit.SIGNALEN_AFWEGING,
    )
    return vraag


@dataclass(frozen=True)
class Antwoord:
    """An organisation's answer: ``bekend`` at step 2; ``hulp``, ``sinds``, ``indicatie`` at 3."""

    bekend: bool | None = None
    hulp: str | None = None
    sinds: dt.date | None = None
    indicatie: str | None = None


def afweging_status(vraag: DatInformatieVraag, *, lock: bool = False) -> str:
    """The state of the question's afweging, without reading the case (the organisation may
    not): the column only, internal."""
    stmt = select(Afweging.status).where(Afweging.id == vraag.afweging_id)
    if lock:
        stmt = stmt.with_for_update()
    return str(session.scalar(stmt.execution_options(audit_internal=True)))


def _nog_te_beantwoorden(vraag: DatInformatieVraag) -> None:
    """Lock the question's afweging and the question; refuse when either is done."""
    open_ = afweging_status(vraag, lock=True) in AFWEGING_LOPEND
    session.scalars(
        select(DatInformatieVraag)
        .where(DatInformatieVraag.id == vraag.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if vraag.beantwoord_op is not None:
        raise SignaalError(_("Deze vraag is al beantwoord. Een tweede antwoord kan niet."), "vraag")
    if not open_:
        raise SignaalError(
            _(
                "De afweging is afgesloten: de gemeente heeft uw antwoord niet meer nodig, "
                "en mag het ook niet meer ontvangen."
            ),
            "vraag",
        )


def _ontvangen(vraag: DatInformatieVraag, actor: User) -> None:
    vraag.beantwoord_op = now()
    vraag.beantwoord_door_id = actor.id
    vraag.beantwoord_door_naam = actor.name
    vrager = session.get(User, vraag.gevraagd_door_id)
    uitwisselingen.information_received(
        refs=[("person", vraag.person_id)],
        received_from=vraag.organisation.name,
        recipient=_afzender(vrager) if vrager is not None else None,
        categories=ANTWOORD_CATEGORIEEN,
        object_type="dat_informatie_vraag",
        object_id=vraag.id,
        processing_activity=Verwerkingsactiviteit.SIGNALEN_AFWEGING,
    )


def beantwoord(vraag: DatInformatieVraag, antwoord: Antwoord, *, actor: User) -> None:
    """A hulpverlener of the organisation answers (once)."""
    _nog_te_beantwoorden(vraag)
    if vraag.stap == 2:
        if antwoord.bekend is None:
            raise SignaalError(_("Kies ja of nee."), "bekend")
        vraag.bekend = antwoord.bekend
    else:
        hulp = (antwoord.hulp or "").strip()
        if not hulp:
            raise SignaalError(_("Schrijf welke hulp uw organisatie geeft."), "hulp")
        if antwoord.sinds is None:
            raise SignaalError(_("Vul in sinds wanneer."), "sinds")
        if antwoord.sinds > today():
            raise SignaalError(_("Deze datum ligt in de toekomst."), "sinds")
        vraag.bekend = True
        vraag.hulp = hulp
        vraag.hulp_sinds = antwoord.sinds
        vraag.indicatie = (antwoord.indicatie or "").strip() or None
    _ontvangen(vraag, actor)
    session.flush()


def weiger(vraag: DatInformatieVraag, reden: str, *, actor: User) -> None:
    """A hulpverlener declines to answer, with a reason (once)."""
    _nog_te_beantwoorden(vraag)
    reden = (reden or "").strip()
    if len(reden) < 10:
        raise SignaalError(
            _("Schrijf waarom u de vraag niet beantwoordt (minstens 10 tekens)."), "reden"
        )
    vraag.weigerreden = reden
    _ontvangen(vraag, actor)
    session.flush()


def vragen_van(afweging: Afweging) -> list[DatInformatieVraag]:
    return list(
        session.scalars(
            select(DatInformatieVraag)
            .where(DatInformatieVraag.afweging_id == afweging.id)
            .order_by(DatInformatieVraag.stap, DatInformatieVraag.id)
        )
    )


def antwoord_tekst(vraag: DatInformatieVraag) -> str:
    """The answer in one line (the afweging's page and the step's motivation)."""
    naam = vraag.organisation.name
    if vraag.weigerreden:
        return _("%(naam)s: geweigerd (%(weigerreden)s)", naam=naam, weigerreden=vraag.weigerreden)
    if vraag.beantwoord_op is None:
        return _("%(naam)s: nog geen antwoord", naam=naam)
    if vraag.stap == 2:
        return f"{naam}: {_('bekend') if vraag.bekend else _('niet bekend')}"
    sinds = vraag.hulp_sinds.strftime("%d-%m-%Y") if vraag.hulp_sinds else "?"
    indicatie = (
        _(", indicatie: %(indicatie)s", indicatie=vraag.indicatie)
        if vraag.indicatie
        else _(", zonder indicatie")
    )
    return _(
        "%(naam)s: %(hulp)s sinds %(sinds)s%(indicatie)s",
        naam=naam,
        hulp=vraag.hulp,
        sinds=sinds,
        indicatie=indicatie,
    )


def motivering_voorstel(vragen: list[DatInformatieVraag], stap: int) -> str:
    """The answers of a step, as a start for the step's motivation."""
    regels = [antwoord_tekst(v) for v in vragen if v.stap == stap and v.beantwoord_op is not None]
    return (_("Antwoorden van organisaties: ") + "; ".join(regels) + ".") if regels else ""
