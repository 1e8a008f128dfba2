"""The citizen's say over access, stand-in access, consent and beroepsgeheim releases.

Services take users and domain objects, never requests; they change the session and flush. The
unit of work (a request, or :func:`als_inwoner` for jobs and tests) commits, with its logboek
lines. A decision of the citizen is written to the logboek as the citizen's own line (actor
type *burger*, processing activity ``zeggenschap-inwoner``), so the privacy officer and the
citizen can see when and how access was changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select

from app.access.paths import consent_holds, niveau_van
from app.autorisaties.models import (
    NIVEAU_KORT,
    NIVEAUS,
    OBJECT_ACTIVITEIT,
    OBJECT_OPMERKING,
    PARTIJ_AUTEUR,
    PARTIJ_INWONER,
    RELATIES_VERTROUWENSPERSOON,
    VRIJGEGEVEN,
    BeroepsgeheimVrijgave,
    InzageNiveau,
    Vertrouwenspersoon,
    Vervanging,
)
from app.clock import TZ, now, today
from app.db import session
from app.domain import ROL_LABELS, Gegevenscategorie, PlanBasis, Rol, Verwerkingsactiviteit
from app.logboek import Ledger, current_ledger, record_decision, unit_of_work
from app.organisations.models import Organisation
from app.people.models import Person
from app.people.services import InvalidBSN, normalise_bsn
from app.plans.models import Activity, Betrokkenheid, Plan, PlanComment, Toestemming
from app.plans.services import PlanError, _event
from app.users.models import User
from audit import Actor, Subject

VERVANGING_UREN = 8
MAX_DUUR_VERTROUWENSPERSOON = dt.timedelta(days=2 * 366)
MIN_REDEN = 10


def inwoner_actor(user: User) -> Actor:
    return Actor(type="burger", id=str(user.id), name=user.name, role=ROL_LABELS[Rol.BURGER])


@contextmanager
def als_inwoner(user: User) -> Iterator[Ledger]:
    """A unit of work in which ``user`` (a citizen) acts, outside a request (jobs, tests)."""
    with unit_of_work(
        session, Verwerkingsactiviteit.ZEGGENSCHAP, actor=inwoner_actor(user)
    ) as ledger:
        ledger.own_person_id = user.person_id
        yield ledger


def _bsn_of(person_id: int) -> str:
    return str(
        session.execute(
            select(Person.bsn).where(Person.id == person_id).execution_options(audit_internal=True)
        ).scalar_one()
    )


def _log_besluit(
    *, person_id: int, actor: User, name: str, action: str, categories: tuple[str, ...], obj: str
) -> None:
    """Write the citizen's decision as their own logboek line (not skipped as "own data").
    Raises ``NoLedger`` outside a unit of work: a decision that cannot be logged is not taken."""
    object_type, _, object_id = obj.partition(":")
    record_decision(
        actor=inwoner_actor(actor),
        subject=Subject("BSN", _bsn_of(person_id)),
        processing_activity=Verwerkingsactiviteit.ZEGGENSCHAP,
        name=name,
        action=action,
        categories=categories,
        object_type=object_type,
        object_id=object_id,
    )


def _require_citizen_of(actor: User, person_id: int) -> None:
    if actor.person_id is None or actor.person_id != person_id:
        raise PlanError(_("Alleen de inwoner zelf kan dit bepalen."))


# --- levels per organisation ----------------------------------------------------------------


def involved_organisations(plan: Plan) -> list[Organisation]:
    """Organisations that are (or were) involved in the plan: those the citizen sets a level for."""
    return list(
        session.scalars(
            select(Organisation)
            .where(
                Organisation.id.in_(
                    select(Betrokkenheid.organisation_id)
                    .where(Betrokkenheid.plan_id == plan.id)
                    .execution_options(audit_internal=True)
                )
            )
            .order_by(Organisation.name)
        )
    )


def zet_inzageniveau(plan: Plan, organisation: Organisation, niveau: str, *, actor: User) -> str:
    """The citizen sets how much this organisation sees of the others' work. Immediate.

    Returns the level now in force.
    """
    _require_citizen_of(actor, plan.person_id)
    if niveau not in NIVEAUS:
        raise PlanError(_("Kies geen inzage, buitenkant of volledig."), "niveau")
    if organisation.id not in {o.id for o in involved_organisations(plan)}:
        raise PlanError(_("Deze organisatie is niet betrokken bij uw plan."), "organisation_id")
    current = niveau_van(plan.id, organisation.id)
    if current == niveau:
        return niveau
    row = session.scalars(
        select(InzageNiveau).where(
            InzageNiveau.plan_id == plan.id, InzageNiveau.organisation_id == organisation.id
        )
    ).first()
    if row is None:
        row = InzageNiveau(plan_id=plan.id, organisation_id=organisation.id)
        session.add(row)
    row.niveau = niveau
    row.gewijzigd_op = now()
    row.gewijzigd_door_id = actor.id
    _event(
        plan.id,
        actor,
        "inzage",
        f"De inwoner koos: {organisation.name} ziet {NIVEAU_KORT[niveau].lower()}",
    )
    session.flush()
    _log_besluit(
        person_id=plan.person_id,
        actor=actor,
        name="zeggenschap.inzageniveau",
        action="update",
        categories=(Gegevenscategorie.INSTELLINGEN,),
        obj=f"plan:{plan.id}",
    )
    return niveau


# --- people the citizen trusts ----------------------------------------------------------------


def verleen_toegang(
    citizen: User,
    *,
    bsn: str,
    naam: str,
    relatie: str,
    geldig_tot: dt.date,
    geldig_van: dt.date | None = None,
) -> Vertrouwenspersoon:
    """The citizen gives someone they trust read-only access to their plan, until an end date."""
    if citizen.person_id is None:
        raise PlanError(_("Alleen een inwoner kan iemand toegang geven."))
    try:
        bsn = normalise_bsn(bsn)
    except InvalidBSN as exc:
        raise PlanError(str(exc), "bsn") from None
    if bsn == _bsn_of(citizen.person_id):
        raise PlanError(_("U kunt uzelf geen toegang geven."), "bsn")
    naam = (naam or "").strip()
    if not naam:
        raise PlanError(_("Vul de naam in van wie u toegang geeft."), "naam")
    if len(naam) > 200:
        raise PlanError(_("De naam is hooguit 200 tekens."), "naam")
    if relatie not in RELATIES_VERTROUWENSPERSOON:
        raise PlanError(_("Kies wie deze persoon voor u is."), "relatie")
    day = today()
    van = geldig_van or day
    if van < day:
        raise PlanError(_("De toegang kan niet in het verleden beginnen."), "geldig_van")
    if geldig_tot < van:
        raise PlanError(_("De einddatum ligt voor de begindatum."), "geldig_tot")
    if geldig_tot > day + MAX_DUUR_VERTROUWENSPERSOON:
        raise PlanError(
            _("Kies een einddatum binnen twee jaar. Daarna kunt u opnieuw toegang geven."),
            "geldig_tot",
        )
    duplicate = session.execute(
        select(Vertrouwenspersoon.id)
        .where(
            Vertrouwenspersoon.person_id == citizen.person_id,
            Vertrouwenspersoon.bsn == bsn,
            Vertrouwenspersoon.ingetrokken_op.is_(None),
            Vertrouwenspersoon.geldig_tot >= day,
        )
        .execution_options(audit_internal=True)
    ).first()
    if duplicate is not None:
        raise PlanError(_("Deze persoon heeft al toegang. Trek die eerst in."), "bsn")
    grant = Vertrouwenspersoon(
        person_id=citizen.person_id,
        bsn=bsn,
        naam=naam,
        relatie=relatie,
        geldig_van=van,
        geldig_tot=geldig_tot,
        verleend_op=now(),
        verleend_door_id=citizen.id,
    )
    session.add(grant)
    session.flush()
    plan_id = _plan_id_of(citizen.person_id)
    if plan_id is not None:
        _event(
            plan_id,
            citizen,
            "toegang",
            f"De inwoner gaf {naam} ({RELATIES_VERTROUWENSPERSOON[relatie].lower()}) "
            f"leestoegang tot {geldig_tot:%d-%m-%Y}",
        )
        session.flush()
    _log_besluit(
        person_id=citizen.person_id,
        actor=citizen,
        name="zeggenschap.vertrouwenspersoon.toegang",
        action="create",
        categories=(Gegevenscategorie.INSTELLINGEN,),
        obj=f"vertrouwenspersoon:{grant.id}",
    )
    return grant


def trek_toegang_in(grant: Vertrouwenspersoon, *, actor: User) -> Vertrouwenspersoon:
    """The citizen ends a trusted person's access, at once."""
    _require_citizen_of(actor, grant.person_id)
    if grant.ingetrokken_op is not None:
        raise PlanError(_("Deze toegang is al ingetrokken."))
    grant.ingetrokken_op = now()
    grant.ingetrokken_door_id = actor.id
    plan_id = _plan_id_of(grant.person_id)
    if plan_id is not None:
        _event(plan_id, actor, "toegang", f"De inwoner trok de toegang van {grant.naam} in")
    session.flush()
    _log_besluit(
        person_id=grant.person_id,
        actor=actor,
        name="zeggenschap.vertrouwenspersoon.intrekken",
        action="update",
        categories=(Gegevenscategorie.INSTELLINGEN,),
        obj=f"vertrouwenspersoon:{grant.id}",
    )
    return grant


def vertrouwenspersonen_van(citizen: User) -> list[Vertrouwenspersoon]:
    """The citizen's own grants (for their portal)."""
    if citizen.person_id is None:
        return []
    return list(
        session.scalars(
            select(Vertrouwenspersoon)
            .where(Vertrouwenspersoon.person_id == citizen.person_id)
            .order_by(Vertrouwenspersoon.verleend_op.desc())
        )
    )


def _plan_id_of(person_id: int) -> int | None:
    return session.execute(
        select(Plan.id).where(Plan.person_id == person_id).execution_options(audit_internal=True)
    ).scalar()


# --- consent for plans on basis toestemming ---------------------------------------------------


def trek_toestemming_in(plan: Plan, *, actor: User, toelichting: str | None = None) -> None:
    """Consent for a plan on basis *toestemming* is revoked: at once, the plan is open only to
    the citizen and the regisseur, who decides the next step (close it, or record new consent).

    The citizen revokes themselves (portal), or the regisseur records that the citizen did.
    """
    by_citizen = actor.person_id is not None and actor.person_id == plan.person_id
    if not by_citizen and not actor.has_role(Rol.REGISSEUR):
        raise PlanError(_("Alleen de inwoner of de regisseur kan dit vastleggen."))
    if plan.basis != PlanBasis.TOESTEMMING:
        raise PlanError(_("Dit plan bestaat niet op basis van toestemming."))
    if plan.is_closed:
        raise PlanError(_("Dit plan is al afgesloten."))
    active = list(
        session.scalars(
            select(Toestemming).where(
                Toestemming.plan_id == plan.id, Toestemming.ingetrokken_op.is_(None)
            )
        )
    )
    if not active:
        raise PlanError(_("Er is geen geldige toestemming om in te trekken."))
    note = (toelichting or "").strip() or None
    if note and len(note) > 2000:
        raise PlanError(_("De toelichting is hooguit 2000 tekens."), "toelichting")
    door = "de inwoner zelf" if by_citizen else f"{actor.name} (regisseur), namens de inwoner"
    stamp = now()
    for t in active:
        t.ingetrokken_op = stamp
        t.ingetrokken_door = door
        t.intrekking_toelichting = note
    _event(plan.id, actor, "toestemming", f"Toestemming ingetrokken door {door}")
    session.flush()
    if by_citizen:
        _log_besluit(
            person_id=plan.person_id,
            actor=actor,
            name="zeggenschap.toestemming.intrekken",
            action="update",
            categories=(Gegevenscategorie.TOESTEMMING,),
            obj=f"plan:{plan.id}",
        )


# --- stand-in (vervanging) -----------------------------------------------------------------


def vervanging_duur() -> dt.timedelta:
    hours = VERVANGING_UREN
    if has_app_context():
        hours = int(current_app.config.get("EENPLAN_VERVANGING_UREN", VERVANGING_UREN))
    return dt.timedelta(hours=hours)


def start_vervanging(user: User, *, bsn: str, reden: str) -> Vervanging:
    """A regisseur opens a colleague's plan (same organisation) with a reason, for a while.

    The request that does this, and every request that uses the access, is logged as emergency
    access with the reason; the plan's history says who stood in, until when and why.
    """
    if not user.has_role(Rol.REGISSEUR) or user.organisation_id is None:
        raise PlanError(_("Alleen een regisseur kan een collega vervangen."))
    reden = (reden or "").strip()
    if len(reden) < MIN_REDEN:
        raise PlanError(
            _(
                "Geef een reden van minstens %(MIN_REDEN)s tekens: waarom moet u dit plan nu openen?",
                MIN_REDEN=MIN_REDEN,
            ),
            "reden",
        )
    if len(reden) > 1000:
        raise PlanError(_("De reden is hooguit 1000 tekens."), "reden")
    try:
        bsn = normalise_bsn(bsn)
    except InvalidBSN as exc:
        raise PlanError(str(exc), "bsn") from None
    row = session.execute(
        select(Plan.id, Plan.regisseur_id)
        .join(Person, Person.id == Plan.person_id)
        .join(User, User.id == Plan.regisseur_id)
        .where(
            Person.bsn == bsn,
            User.organisation_id == user.organisation_id,
            Plan.regisseur_id != user.id,
            consent_holds(),
        )
        .execution_options(audit_internal=True)
    ).first()
    if row is None:
        raise PlanError(
            _("Er is geen plan van een collega uit uw organisatie voor dit BSN."), "bsn"
        )
    plan_id, regisseur_id = row
    voor = session.get(User, regisseur_id)
    assert voor is not None
    start = now()
    v = Vervanging(
        plan_id=plan_id,
        user_id=user.id,
        voor_user_id=regisseur_id,
        reden=reden,
        van=start,
        tot=start + vervanging_duur(),
    )
    session.add(v)
    # Every line of this unit of work carries the emergency and its reason (NoLedger without one).
    ledger = current_ledger()
    ledger.emergency = True
    ledger.reason = reden
    tot = v.tot.astimezone(TZ)
    _event(
        plan_id,
        user,
        "vervanging",
        f"{user.name} opende het plan als vervanger van {voor.name} "
        f"(tot {tot:%d-%m-%Y %H:%M}): {reden}",
    )
    session.flush()
    return v


def lopende_vervangingen(user: User) -> list[tuple[int, str, dt.datetime]]:
    """The user's active stand-ins: (plan id, colleague's name, until) — no citizen's data."""
    moment = now()
    rows = session.execute(
        select(Vervanging.plan_id, User.name, Vervanging.tot)
        .join(User, User.id == Vervanging.voor_user_id)
        .where(Vervanging.user_id == user.id, Vervanging.active_on(moment))
        .order_by(Vervanging.tot)
        .execution_options(audit_internal=True)
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


# --- beroepsgeheim ------------------------------------------------------------------------------


def _item(object_type: str, object_id: int) -> tuple[int, int | None, bool]:
    """(plan id, author organisation, marked) of a comment or activity remark; internal read."""
    if object_type == OBJECT_OPMERKING:
        row = session.execute(
            select(
                PlanComment.plan_id, PlanComment.author_organisation_id, PlanComment.beroepsgeheim
            )
            .where(PlanComment.id == object_id)
            .execution_options(audit_internal=True)
        ).first()
    elif object_type == OBJECT_ACTIVITEIT:
        row = session.execute(
            select(Activity.plan_id, Activity.organisation_id, Activity.toelichting_beroepsgeheim)
            .where(Activity.id == object_id)
            .execution_options(audit_internal=True)
        ).first()
    else:
        raise PlanError(_("Onbekend soort gegeven."))
    if row is None:
        raise PlanError(_("Dit gegeven bestaat niet."))
    return int(row[0]), row[1], bool(row[2])


def geef_beroepsgeheim_vrij(
    object_type: str, object_id: int, *, actor: User
) -> BeroepsgeheimVrijgave:
    """Record consent to pass on an item given under beroepsgeheim, as author or as citizen.

    The author's organisation consents through one of its hulpverleners; the citizen consents
    themselves. Only with both does an export or share include the item
    (:func:`app.access.shareable_comments`, :func:`app.access.shareable_activities`).
    """
    plan_id, author_org, marked = _item(object_type, object_id)
    if not marked:
        raise PlanError(_("Dit gegeven valt niet onder beroepsgeheim."))
    person_id = session.execute(
        select(Plan.person_id).where(Plan.id == plan_id).execution_options(audit_internal=True)
    ).scalar_one()
    if actor.person_id is not None and actor.person_id == person_id:
        partij = PARTIJ_INWONER
    elif (
        actor.has_role(Rol.HULPVERLENER)
        and actor.organisation_id is not None
        and actor.organisation_id == author_org
    ):
        partij = PARTIJ_AUTEUR
    else:
        raise PlanError(_("Alleen de auteur (zijn organisatie) en de inwoner geven dit vrij."))
    existing = session.scalars(
        select(BeroepsgeheimVrijgave).where(
            BeroepsgeheimVrijgave.object_type == object_type,
            BeroepsgeheimVrijgave.object_id == object_id,
            BeroepsgeheimVrijgave.partij == partij,
        )
    ).first()
    if existing is not None:
        existing.ingetrokken_op = None
        existing.besluit = VRIJGEGEVEN
        existing.reden = None
        existing.vastgelegd_op = now()
        existing.vastgelegd_door_id = actor.id
        session.flush()
        row = existing
    else:
        row = BeroepsgeheimVrijgave(
            plan_id=plan_id,
            object_type=object_type,
            object_id=object_id,
            partij=partij,
            vastgelegd_op=now(),
            vastgelegd_door_id=actor.id,
        )
        session.add(row)
        session.flush()
    if partij == PARTIJ_INWONER:
        _log_besluit(
            person_id=person_id,
            actor=actor,
            name="zeggenschap.beroepsgeheim.vrijgeven",
            action="create",
            categories=(Gegevenscategorie.TOESTEMMING,),
            obj=f"plan:{plan_id}",
        )
    return row


def trek_vrijgave_in(object_type: str, object_id: int, *, actor: User) -> None:
    """Withdraw one's consent to pass the item on; exports stop including it at once."""
    plan_id, author_org, _marked = _item(object_type, object_id)
    person_id = session.execute(
        select(Plan.person_id).where(Plan.id == plan_id).execution_options(audit_internal=True)
    ).scalar_one()
    if actor.person_id is not None and actor.person_id == person_id:
        partij = PARTIJ_INWONER
    elif actor.has_role(Rol.HULPVERLENER) and actor.organisation_id == author_org:
        partij = PARTIJ_AUTEUR
    else:
        raise PlanError(_("Alleen de auteur (zijn organisatie) en de inwoner trekken dit in."))
    row = session.scalars(
        select(BeroepsgeheimVrijgave).where(
            BeroepsgeheimVrijgave.object_type == object_type,
            BeroepsgeheimVrijgave.object_id == object_id,
            BeroepsgeheimVrijgave.partij == partij,
            BeroepsgeheimVrijgave.besluit == VRIJGEGEVEN,
            BeroepsgeheimVrijgave.ingetrokken_op.is_(None),
        )
    ).first()
    if row is None:
        raise PlanError(_("Er is geen toestemming om in te trekken."))
    row.ingetrokken_op = now()
    session.flush()
    if partij == PARTIJ_INWONER:
        _log_besluit(
            person_id=person_id,
            actor=actor,
            name="zeggenschap.beroepsgeheim.intrekken",
            action="update",
            categories=(Gegevenscategorie.TOESTEMMING,),
            obj=f"plan:{plan_id}",
        )
