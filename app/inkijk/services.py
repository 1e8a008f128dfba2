"""Inkijk: ask the sources for one person under one purpose, and log what is shown.

No request objects here (callable from views, the API, the portal, tests). What is shown goes
into the ledger with :meth:`Ledger.note_view`, so the subject's one view line of the request
names every data category shown; doorprikken sets the ledger's ``reason`` (the line's reason,
shown to the citizen). Answers are not stored; a fact is kept only when the regisseur copies it
into the plan (:func:`neem_over`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.clock import today
from app.db import session
from app.domain import Gegevenscategorie, Verwerkingsactiviteit
from app.inkijk.bronnen import (
    BRON_BY_KEY,
    BUITENKANT,
    DETAIL,
    BronAntwoord,
    BronNietBeschikbaar,
    BronSoort,
    bronnen,
)
from app.inkijk.doelen import InkijkDoel
from app.inkijk.models import OvergenomenFeit
from app.logboek import Ledger
from app.people.models import Person
from app.plans.services import _event
from app.users.models import User
from audit import LineFilter, Subject

PROCESSING_ACTIVITY = Verwerkingsactiviteit.INKIJK
REDEN_MIN = 15
REDEN_MAX = 500


class InkijkError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class BronResultaat:
    soort: BronSoort
    antwoord: BronAntwoord | None = None
    fout: str | None = None


def bsn_of(person_id: int) -> str:
    """The BSN to ask the sources with. Not shown (so not a view); the sources' answers are."""
    bsn = session.execute(
        select(Person.bsn).where(Person.id == person_id).execution_options(audit_internal=True)
    ).scalar_one_or_none()
    if bsn is None:
        raise InkijkError(_("Deze persoon is niet bekend."))
    return bsn


def _vraag(
    ledger: Ledger | None, doel: InkijkDoel, person_id: int, bron: str, bsn: str, niveau: str
) -> BronResultaat:
    soort = BRON_BY_KEY[bron]
    try:
        antwoord, vers = bronnen().vraag(bron, bsn, niveau)
    except BronNietBeschikbaar as exc:
        return BronResultaat(soort, None, exc.melding)
    partij = bronnen().partij(bron)
    if ledger is not None and vers and partij:
        # A real register was asked: the BSN went out and its answer came in.
        ledger.note_exchange(
            refs=[("person", person_id)],
            categories={Gegevenscategorie.BSN, *soort.categorieen},
            sender=partij,
            recipient=current_app.config["EENPLAN_MUNICIPALITY"],
            action="receive",
            object_type=doel.object_type,
            object_id=doel.id,
            processing_activity=PROCESSING_ACTIVITY,
        )
    return BronResultaat(soort, antwoord)


def _note_shown(
    ledger: Ledger | None, doel: InkijkDoel, person_id: int, results: list[BronResultaat]
) -> None:
    if ledger is None:
        return
    shown = [r.antwoord for r in results if r.antwoord is not None]
    if not shown:
        return
    categories: set[str] = set()
    others: list[str] = []
    for a in shown:
        categories |= a.categorieen
        others += list(a.ook_over)
    ledger.note_view(
        refs=[("person", person_id)],
        categories=categories,
        object_type=doel.object_type,
        object_id=doel.id,
    )
    if others:
        # Doorprikken in the BRP shows the partner's, children's and parents' data too.
        ledger.note_view(
            bsns=others, categories=categories, object_type=doel.object_type, object_id=doel.id
        )


def buitenkant(ledger: Ledger | None, doel: InkijkDoel, person_id: int) -> list[BronResultaat]:
    """The buitenkant of every configured source for one person of the purpose."""
    if not doel.toegestaan(person_id):
        raise InkijkError(_("Deze persoon hoort niet bij het doel van deze inkijk."))
    bsn = bsn_of(person_id)
    results = [
        _vraag(ledger, doel, person_id, b.sleutel, bsn, BUITENKANT) for b in bronnen().bronnen()
    ]
    _note_shown(ledger, doel, person_id, results)
    return results


def check_reden(reden: str | None) -> str:
    reden = (reden or "").strip()
    if len(reden) < REDEN_MIN:
        raise InkijkError(
            _(
                "Schrijf waarom u dit nodig heeft voor het plan (minstens %(REDEN_MIN)s tekens). De inwoner leest deze reden in het logboek.",
                REDEN_MIN=REDEN_MIN,
            ),
            "reden",
        )
    if len(reden) > REDEN_MAX:
        raise InkijkError(_("Gebruik hooguit %(REDEN_MAX)s tekens.", REDEN_MAX=REDEN_MAX), "reden")
    return reden


def doorprikken(
    ledger: Ledger | None, doel: InkijkDoel, person_id: int, bron: str, reden: str | None
) -> BronResultaat:
    """The detail of one source, only with a typed reason; the reason goes on the log line."""
    if bron not in bronnen().adapters:
        raise InkijkError(_("Deze bron bestaat niet of staat uit."))
    if not doel.kan_doorprikken:
        raise InkijkError(_("Doorprikken kan niet binnen een afweging, alleen binnen een plan."))
    if not doel.toegestaan(person_id):
        raise InkijkError(_("Deze persoon hoort niet bij het doel van deze inkijk."))
    checked = check_reden(reden)
    if ledger is not None:
        # A stand-in's reason for opening the plan stays on the line, the drill-down's joins it.
        ledger.reason = (
            checked if not ledger.reason else f"{ledger.reason} | Doorprikken: {checked}"
        )
    result = _vraag(ledger, doel, person_id, bron, bsn_of(person_id), DETAIL)
    _note_shown(ledger, doel, person_id, [result])
    return result


def feit_categorie(bron: str, sleutel: str) -> str:
    """The one data category of a single fact (the BRP has two: the household, and NAW)."""
    if bron == "brp":
        return "gezin" if sleutel == "gezin" else "naw"
    return sorted(BRON_BY_KEY[bron].categorieen)[0]


def overgenomen(doel: InkijkDoel, person_id: int | None = None) -> list[OvergenomenFeit]:
    if doel.soort != "plan":
        return []
    stmt = select(OvergenomenFeit).where(OvergenomenFeit.plan_id == doel.id)
    if person_id is not None:
        stmt = stmt.where(OvergenomenFeit.person_id == person_id)
    return list(session.scalars(stmt.order_by(OvergenomenFeit.overgenomen_op, OvergenomenFeit.id)))


def neem_over(
    ledger: Ledger | None, doel: InkijkDoel, person_id: int, bron: str, sleutel: str, *, actor: User
) -> OvergenomenFeit:
    """Copy one buitenkant fact into the plan, with its source and the date the source said it.

    Takes the fact from the (cached) answer the regisseur saw, not from the browser."""
    if not doel.kan_overnemen:
        raise InkijkError(_("Feiten kunnen alleen in een plan worden overgenomen."))
    if bron not in bronnen().adapters or not doel.toegestaan(person_id):
        raise InkijkError(_("Deze bron of persoon hoort niet bij deze inkijk."))
    result = _vraag(ledger, doel, person_id, bron, bsn_of(person_id), BUITENKANT)
    if result.antwoord is None:
        raise InkijkError(result.fout or _("De bron is niet bereikbaar."))
    feit = result.antwoord.feit(sleutel)
    if feit is None:
        raise InkijkError(_("Dit feit staat niet (meer) in het antwoord van de bron."))
    for existing in overgenomen(doel, person_id):
        if existing.bron == bron and existing.sleutel == sleutel and existing.waarde == feit.waarde:
            raise InkijkError(_("Dit feit staat al in het plan."))
    row = OvergenomenFeit(
        plan_id=doel.id,
        person_id=person_id,
        bron=bron,
        bron_naam=result.soort.naam,
        herkomst=result.antwoord.herkomst,
        categorie=feit_categorie(bron, sleutel),
        sleutel=sleutel,
        label=feit.label,
        waarde=feit.waarde,
        bron_datum=result.antwoord.opgehaald_op,
        overgenomen_door_id=actor.id,
        overgenomen_door_naam=actor.name,
    )
    session.add(row)
    _event(doel.id, actor, "inkijk", f"Feit overgenomen uit {result.soort.naam}: {feit.label}")
    session.flush()
    return row


# --- the citizen's side: what the inkijk shows about me ---------------------------------------


@dataclass
class Raadpleging:
    """One inkijk in the citizen's logboek."""

    op: dt.datetime
    door: str
    organisatie: str | None
    rol: str | None
    categorieen: tuple[str, ...]
    doorgeprikt: bool
    reden: str | None
    doel: str | None


@dataclass
class BurgerInkijk:
    raadplegingen: list[Raadpleging] = field(default_factory=list)
    overgenomen: list[OvergenomenFeit] = field(default_factory=list)
    eigen_gegevens: list[BronResultaat] = field(default_factory=list)


def inkijk_voor_burger(
    person_id: int, *, met_bronnen: bool = True, limit: int = 100
) -> BurgerInkijk:
    """What the inkijk shows about this person, for the citizen themselves (the portal):

    * every inkijk in their data, newest first, with who, which categories and — after
      doorprikken — the reason (lines deferred in a gedwongen kader only from their date);
    * the facts a regisseur copied into their plan, with source and date;
    * (``met_bronnen``) what the sources say about them now, on the buitenkant level.

    Call it as the citizen (their own reads are not logged) or inside a unit of work."""
    logboek = current_app.extensions["eenplan_logboek"]
    bsn = bsn_of(person_id)
    lines = logboek.lines_for_subject(
        session.connection(),
        Subject("BSN", bsn),
        limit=limit,
        filters=LineFilter(processing_activity_id=PROCESSING_ACTIVITY),
        disclosed_on=today(),
    )
    out = BurgerInkijk()
    for line in lines:
        if line.kind != "inzage" or line.action != "view":
            continue
        out.raadplegingen.append(
            Raadpleging(
                op=line.occurred_at,
                door=line.actor_name or "Onbekend",
                organisatie=line.actor_organisation,
                rol=line.actor_role,
                categorieen=line.data_categories,
                doorgeprikt=line.name == "inkijk.doorprikken" and bool(line.reason),
                reden=line.reason,
                doel=f"{line.object_type} {line.object_id}" if line.object_type else None,
            )
        )
    out.overgenomen = list(
        session.scalars(
            select(OvergenomenFeit)
            .where(OvergenomenFeit.person_id == person_id)
            .order_by(OvergenomenFeit.overgenomen_op.desc(), OvergenomenFeit.id.desc())
        )
    )
    if met_bronnen:
        for b in bronnen().bronnen():
            try:
                antwoord, _ = bronnen().vraag(b.sleutel, bsn, BUITENKANT)
                out.eigen_gegevens.append(BronResultaat(b, antwoord))
            except BronNietBeschikbaar as exc:
                out.eigen_gegevens.append(BronResultaat(b, None, exc.melding))
    return out
