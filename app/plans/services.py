"""Domain operations on plans. Callable without a request (API, CLI, tests).

Services change the session and flush; the unit of work (request or command) commits, together
with the logboek lines. Every change that the household or regisseur should be able to trace is
recorded in the plan's history (:class:`PlanGebeurtenis`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.access.plans import any_plan_exists_for
from app.clock import now, today
from app.db import session
from app.domain import (
    ACTIVITEIT_AARDEN,
    AFSLUITREDENEN,
    PlanBasis,
    PlanStatus,
    Rol,
    ToestemmingWijze,
    UitvoerderSoort,
)
from app.organisations.models import Mandaat, Organisation
from app.organisations.services import gemeenten
from app.people.models import Person
from app.plans import betrokken
from app.plans.models import (
    ZICHTBAAR_ALLE_BETROKKENEN,
    ZICHTBAAR_REGISSEURS,
    ZICHTBAARHEDEN,
    Activity,
    Betrokkenheid,
    Plan,
    PlanComment,
    PlanGebeurtenis,
    Toestemming,
)
from app.users.models import User


class PlanError(ValueError):
    """A domain rule was broken; ``field`` names the input it concerns, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


MULTIPROBLEMATIEK_ALLEEN_NA_AFWEGING = _l(
    "Multiproblematiek stelt u vast in stap 4 van een afweging (het afwegingskader); dan "
    "ontstaat het plan vanzelf. Zonder afweging kan een plan alleen met toestemming."
)


class PlanExists(PlanError):
    def __init__(self, plan: Plan) -> None:
        super().__init__(_("Er is al een plan voor deze persoon."), "bsn")
        self.plan = plan


class Conflict(Exception):
    """Someone else saved the object since it was opened (optimistic locking)."""

    def __init__(self, current: Any) -> None:
        super().__init__("conflict")
        self.current = current


# A comment's kinds: a plain comment, a proposed correction (the citizen), a request for
# another regisseur (the citizen, rule 7).
SOORT_OPMERKING = "opmerking"
SOORT_CORRECTIEVOORSTEL = "correctievoorstel"
SOORT_REGISSEURVERZOEK = "regisseurverzoek"
# A household member's proposal to lay or break a gezinslink (rule 2), confirmed by the regisseur.
SOORT_GEZINSLINKVOORSTEL = "gezinslinkvoorstel"


def record_event(plan_id: int, actor: User, soort: str, omschrijving: str) -> None:
    """A line in the plan's history."""
    _event(plan_id, actor, soort, omschrijving)


def _event(plan_id: int, actor: User, soort: str, omschrijving: str) -> None:
    session.add(
        PlanGebeurtenis(
            plan_id=plan_id,
            actor_id=actor.id,
            actor_name=actor.name,
            soort=soort,
            omschrijving=omschrijving,
            at=now(),
        )
    )


def check_version(obj: Plan | Activity, expected: int | None) -> None:
    if expected is not None and obj.version != expected:
        raise Conflict(obj)


def flush_or_conflict(obj: Any) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise Conflict(obj) from exc


# --- plans ----------------------------------------------------------------------------------


def mandaat_for(user: User, mandaat_id: int) -> Mandaat | None:
    """The mandate with this id when it is one of the user's organisation, else None."""
    m = session.get(Mandaat, mandaat_id)
    if m is None or m.organisation_id != user.organisation_id:
        return None
    return m


def gemeente_for(user: User, mandaat: Mandaat | None) -> Organisation | None:
    """The gemeente a new plan belongs to: the mandate's, else the user's own gemeente, else the
    first gemeente there is (None when there is none: a configuration error, the caller answers
    500)."""
    if mandaat is not None:
        return mandaat.gemeente
    if user.organisation is not None and user.organisation.is_gemeente:
        return user.organisation
    found = gemeenten()
    return found[0] if found else None


@dataclass
class ToestemmingGegevens:
    gegeven_door: str
    gegeven_op: dt.date
    wijze: str
    toelichting: str | None = None


def create_plan(
    *,
    person: Person,
    basis: str,
    regisseur: User,
    actor: User,
    gemeente: Organisation,
    status: str = PlanStatus.CONCEPT,
    mandaat: Mandaat | None = None,
    toestemming: ToestemmingGegevens | None = None,
    afweging_id: int | None = None,
) -> Plan:
    """A new plan. The basis multiproblematiek only with ``afweging_id``: the afweging whose
    step 4 established it (rule 5; ``app.signalen.afweging.besluit`` is the only caller that
    passes one). Any other plan is made with the person's consent."""
    existing = any_plan_exists_for(person.id)
    if existing is not None:
        raise PlanExists(existing)
    if basis not in set(PlanBasis):
        raise PlanError(_("Kies de basis van het plan."), "basis")
    if basis == PlanBasis.MULTIPROBLEMATIEK and afweging_id is None:
        raise PlanError(MULTIPROBLEMATIEK_ALLEEN_NA_AFWEGING, "basis")
    if status not in (PlanStatus.CONCEPT, PlanStatus.ACTIEF):
        raise PlanError(_("Een nieuw plan is concept of actief."), "status")
    if basis == PlanBasis.TOESTEMMING and toestemming is None:
        raise PlanError(
            _(
                "Een plan zonder vastgestelde multiproblematiek kan alleen met toestemming. "
                "Leg vast wie toestemming gaf, wanneer en hoe."
            ),
            "toestemming_gegeven_door",
        )
    if mandaat is not None and mandaat.organisation_id != regisseur.organisation_id:
        raise PlanError(_("Dit mandaat hoort niet bij de organisatie van de regisseur."), "mandaat")
    if mandaat is not None and not mandaat.active_on(today()):
        raise PlanError(_("Dit mandaat is niet (meer) geldig."), "mandaat")
    stamp = now()
    plan = Plan(
        person_id=person.id,
        basis=basis,
        status=status,
        gemeente_id=gemeente.id,
        regisseur_id=regisseur.id,
        mandaat_id=mandaat.id if mandaat else None,
        afweging_id=afweging_id if basis == PlanBasis.MULTIPROBLEMATIEK else None,
        created_by_id=actor.id,
        updated_by_id=actor.id,
        created_at=stamp,
        updated_at=stamp,
    )
    session.add(plan)
    session.flush()
    if toestemming is not None and basis == PlanBasis.TOESTEMMING:
        add_toestemming(plan, toestemming, actor=actor, log_event=False)
    if plan.afweging_id is not None:
        what = f"Plan aangemaakt na afweging ({plan.basis_label.lower()} in stap 4"
    else:
        what = f"Plan aangemaakt ({plan.basis_label.lower()}"
    _event(plan.id, actor, "plan", f"{what}, {plan.status_label.lower()})")
    return plan


def koppel_afweging(plan: Plan, afweging_id: int, *, actor: User) -> Plan:
    """Step 4 of an afweging for a person who already has a plan: multiproblematiek is
    established, so the plan's basis becomes multiproblematiek (if it was not) and the plan
    links to the afweging (if it had none: "weging ontbreekt" ends). A closed plan is refused:
    it cannot be changed, and a person has one plan."""
    if plan.is_closed:
        raise PlanError(
            _(
                "Deze inwoner heeft een afgesloten plan. Dat kan niet meer veranderen en een tweede "
                "plan kan niet: stap 4 is niet vastgelegd. Bespreek met de functioneel beheerder "
                "hoe het verder moet."
            ),
            "antwoord",
        )
    changes = []
    if plan.basis != PlanBasis.MULTIPROBLEMATIEK:
        changes.append(f"basis was {plan.basis_label.lower()}, nu multiproblematiek vastgesteld")
        plan.basis = PlanBasis.MULTIPROBLEMATIEK
    if plan.afweging_id is None:
        if not changes:
            changes.append("de weging ontbrak, nu vastgelegd")
        plan.afweging_id = afweging_id
    elif not changes:
        changes.append("multiproblematiek opnieuw vastgesteld")
    plan.updated_at = now()
    plan.updated_by_id = actor.id
    _event(plan.id, actor, "plan", "Afweging (stap 4) gekoppeld aan het plan: " + changes[0])
    flush_or_conflict(plan)
    return plan


def add_toestemming(
    plan: Plan, data: ToestemmingGegevens, *, actor: User, log_event: bool = True
) -> Toestemming:
    if data.wijze not in set(ToestemmingWijze):
        raise PlanError(_("Kies hoe de toestemming is gegeven."), "toestemming_wijze")
    if not data.gegeven_door.strip():
        raise PlanError(_("Vul in wie toestemming gaf."), "toestemming_gegeven_door")
    if data.gegeven_op > today():
        raise PlanError(
            _("De datum van de toestemming ligt in de toekomst."), "toestemming_gegeven_op"
        )
    t = Toestemming(
        plan_id=plan.id,
        gegeven_door=data.gegeven_door.strip(),
        gegeven_op=data.gegeven_op,
        wijze=data.wijze,
        toelichting=data.toelichting or None,
        vastgelegd_door_id=actor.id,
        vastgelegd_op=now(),
    )
    session.add(t)
    if log_event:
        _event(plan.id, actor, "toestemming", f"Toestemming vastgelegd ({data.wijze})")
    return t


def update_plan(
    plan: Plan,
    *,
    actor: User,
    expected_version: int | None,
    status: str | None = None,
    mandaat: Mandaat | None | Any = ...,
) -> Plan:
    check_version(plan, expected_version)
    if plan.is_closed:
        raise PlanError(_("Een afgesloten plan kan niet meer worden gewijzigd."))
    changes = []
    if status is not None and status != plan.status:
        if status not in (PlanStatus.CONCEPT, PlanStatus.ACTIEF):
            raise PlanError(_("Sluit een plan af met 'Plan afsluiten'."), "status")
        plan.status = status
        changes.append(f"status {plan.status_label.lower()}")
    if mandaat is not ...:
        new_id = mandaat.id if mandaat else None
        if new_id != plan.mandaat_id:
            plan.mandaat_id = new_id
            changes.append("mandaat gewijzigd")
    if changes:
        plan.updated_at = now()
        plan.updated_by_id = actor.id
        _event(plan.id, actor, "plan", "Plan gewijzigd: " + ", ".join(changes))
        flush_or_conflict(plan)
    return plan


def close_plan(
    plan: Plan, *, actor: User, reason: str, note: str | None, expected_version: int | None
) -> Plan:
    check_version(plan, expected_version)
    if plan.is_closed:
        raise PlanError(_("Dit plan is al afgesloten."))
    if reason not in AFSLUITREDENEN:
        raise PlanError(_("Kies een reden om het plan af te sluiten."), "reden")
    if reason == "anders" and not (note or "").strip():
        raise PlanError(_("Licht de reden toe."), "toelichting")
    stamp = now()
    plan.status = PlanStatus.AFGESLOTEN
    plan.closed_reason = reason
    plan.closed_note = (note or "").strip() or None
    plan.closed_at = stamp
    plan.updated_at = stamp
    plan.updated_by_id = actor.id
    # Closing ends every betrokkenheid: need-to-know ends with the plan.
    for b in session.scalars(
        select(Betrokkenheid).where(
            Betrokkenheid.plan_id == plan.id, Betrokkenheid.end_date.is_(None)
        )
    ):
        b.end_date = today()
        b.ended_by_id = actor.id
        b.end_reason = "Plan afgesloten"
    _event(plan.id, actor, "plan", f"Plan afgesloten: {AFSLUITREDENEN[reason]}")
    flush_or_conflict(plan)
    return plan


def transfer_plan(plan: Plan, *, new_regisseur: User, actor: User, reason: str | None) -> Plan:
    """Hand the plan to another regisseur (e.g. on the citizen's request, rule 7)."""
    if plan.is_closed:
        raise PlanError(_("Een afgesloten plan kan niet meer worden gewijzigd."))
    if not new_regisseur.has_role(Rol.REGISSEUR) or not new_regisseur.active:
        raise PlanError(_("Kies een regisseur."), "regisseur_id")
    if new_regisseur.id == plan.regisseur_id:
        raise PlanError(_("Deze regisseur heeft het plan al."), "regisseur_id")
    old_name = plan.regisseur.name
    plan.regisseur_id = new_regisseur.id
    plan.regisseur = new_regisseur
    if plan.mandaat is not None and plan.mandaat.organisation_id != new_regisseur.organisation_id:
        plan.mandaat_id = None
    plan.updated_at = now()
    plan.updated_by_id = actor.id
    note = f": {reason.strip()}" if reason and reason.strip() else ""
    _event(
        plan.id,
        actor,
        "regisseur",
        f"Regie overgedragen van {old_name} aan {new_regisseur.name}{note}",
    )
    flush_or_conflict(plan)
    return plan


# --- activities -----------------------------------------------------------------------------


@dataclass
class ActiviteitGegevens:
    aard: str
    omschrijving: str
    start_date: dt.date
    end_date: dt.date | None
    uitvoerder_soort: str
    organisation_id: int | None
    uitvoerder_contact: str | None = None
    toelichting: str | None = None
    afgerond: bool = False
    # None: leave as it is. Only a hulpverlener of the executing organisation may set it.
    toelichting_beroepsgeheim: bool | None = None


def _is_hulpverlener_of(actor: User, organisation_id: int | None) -> bool:
    return (
        actor.has_role(Rol.HULPVERLENER)
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def _apply_beroepsgeheim(activity: Activity, data: ActiviteitGegevens, actor: User) -> None:
    wanted = data.toelichting_beroepsgeheim
    if wanted is None or wanted == bool(activity.toelichting_beroepsgeheim):
        return
    if not _is_hulpverlener_of(actor, activity.organisation_id):
        raise PlanError(
            _(
                "Alleen een hulpverlener van de uitvoerende organisatie bepaalt of de toelichting "
                "onder beroepsgeheim valt."
            ),
            "toelichting_beroepsgeheim",
        )
    activity.toelichting_beroepsgeheim = wanted


def _validate_activity(data: ActiviteitGegevens) -> None:
    if data.aard not in ACTIVITEIT_AARDEN:
        raise PlanError(_("Kies de soort activiteit."), "aard")
    if not data.omschrijving.strip():
        raise PlanError(_("Beschrijf de activiteit."), "omschrijving")
    if data.end_date is not None and data.end_date < data.start_date:
        raise PlanError(_("De einddatum ligt voor de startdatum."), "end_date")
    if data.uitvoerder_soort not in set(UitvoerderSoort):
        raise PlanError(_("Kies wie de activiteit uitvoert."), "uitvoerder_soort")
    if data.uitvoerder_soort == UitvoerderSoort.ORGANISATIE and data.organisation_id is None:
        raise PlanError(_("Kies de organisatie die de activiteit uitvoert."), "organisation_id")


def _require_involved(plan_id: int, data: ActiviteitGegevens) -> None:
    """An organisation's activity only where the organisation is involved (issue 16 item 8)."""
    org = betrokken.niet_betrokken(plan_id, data.uitvoerder_soort, data.organisation_id)
    if org is not None:
        raise PlanError(betrokken.fout(org), "organisation_id")


def add_activity(plan: Plan, data: ActiviteitGegevens, *, actor: User) -> Activity:
    if plan.is_closed:
        raise PlanError(_("Een afgesloten plan kan niet meer worden gewijzigd."))
    _validate_activity(data)
    _require_involved(plan.id, data)
    stamp = now()
    act = Activity(
        plan_id=plan.id,
        aard=data.aard,
        omschrijving=data.omschrijving.strip(),
        uitvoerder_soort=data.uitvoerder_soort,
        organisation_id=data.organisation_id
        if data.uitvoerder_soort == UitvoerderSoort.ORGANISATIE
        else None,
        uitvoerder_contact=(data.uitvoerder_contact or "").strip() or None,
        start_date=data.start_date,
        end_date=data.end_date,
        toelichting=(data.toelichting or "").strip() or None,
        afgerond=data.afgerond,
        afgerond_op=today() if data.afgerond else None,
        created_by_id=actor.id,
        updated_by_id=actor.id,
        created_at=stamp,
        updated_at=stamp,
        toelichting_beroepsgeheim=False,
    )
    _apply_beroepsgeheim(act, data, actor)
    session.add(act)
    session.flush()
    _event(plan.id, actor, "activiteit", f"Activiteit {_welke(act)} toegevoegd")
    return act


def _welke(act: Activity) -> str:
    """Which activity a history line is about: two of the same kind are told apart by who does
    it and from when ("'Werk en re-integratie' van Werkplein, vanaf 03-02-2027")."""
    if act.door_huishouden:
        wie = "het huishouden"
    else:
        org = act.organisation or (
            session.get(Organisation, act.organisation_id) if act.organisation_id else None
        )
        wie = org.name if org else "onbekend"
    return f"'{act.aard_label}' van {wie}, vanaf {act.start_date:%d-%m-%Y}"


def update_activity(
    activity: Activity, data: ActiviteitGegevens, *, actor: User, expected_version: int | None
) -> Activity:
    check_version(activity, expected_version)
    _validate_activity(data)
    if (data.organisation_id, data.uitvoerder_soort) != (
        activity.organisation_id,
        activity.uitvoerder_soort,
    ):
        _require_involved(activity.plan_id, data)
    was_done = activity.afgerond
    activity.aard = data.aard
    activity.omschrijving = data.omschrijving.strip()
    activity.uitvoerder_soort = data.uitvoerder_soort
    activity.organisation_id = (
        data.organisation_id if data.uitvoerder_soort == UitvoerderSoort.ORGANISATIE else None
    )
    activity.uitvoerder_contact = (data.uitvoerder_contact or "").strip() or None
    activity.start_date = data.start_date
    activity.end_date = data.end_date
    activity.toelichting = (data.toelichting or "").strip() or None
    activity.afgerond = data.afgerond
    _apply_beroepsgeheim(activity, data, actor)
    if data.afgerond and not was_done:
        activity.afgerond_op = today()
    elif not data.afgerond:
        activity.afgerond_op = None
    if session.is_modified(activity):
        activity.updated_at = now()
        activity.updated_by_id = actor.id
        _event(activity.plan_id, actor, "activiteit", f"Activiteit {_welke(activity)} gewijzigd")
    flush_or_conflict(activity)
    return activity


def complete_activity(activity: Activity, *, actor: User, expected_version: int | None) -> Activity:
    check_version(activity, expected_version)
    if activity.afgerond:
        return activity
    activity.afgerond = True
    activity.afgerond_op = today()
    activity.updated_at = now()
    activity.updated_by_id = actor.id
    _event(activity.plan_id, actor, "activiteit", f"Activiteit {_welke(activity)} afgerond")
    flush_or_conflict(activity)
    return activity


# --- betrokkenheid --------------------------------------------------------------------------


def bring_in(
    plan: Plan,
    *,
    organisation: Organisation,
    user: User | None,
    rol: str,
    start_date: dt.date,
    actor: User,
) -> Betrokkenheid:
    if plan.is_closed:
        raise PlanError(_("Een afgesloten plan kan niet meer worden gewijzigd."))
    if not rol.strip():
        raise PlanError(_("Beschrijf wat de organisatie in dit plan doet."), "rol")
    if user is not None and user.organisation_id != organisation.id:
        raise PlanError(_("Deze hulpverlener werkt niet bij de gekozen organisatie."), "user_id")
    b = Betrokkenheid(
        plan_id=plan.id,
        organisation_id=organisation.id,
        user_id=user.id if user else None,
        rol=rol.strip(),
        start_date=start_date,
        started_by_id=actor.id,
    )
    session.add(b)
    session.flush()
    who = f"{organisation.name}" + (f" ({user.name})" if user else "")
    _event(plan.id, actor, "betrokkenheid", f"{who} betrokken: {b.rol}")
    return b


def end_betrokkenheid(
    b: Betrokkenheid, *, plan: Plan, actor: User, end_date: dt.date, reason: str | None
) -> Betrokkenheid:
    if b.end_date is not None and b.end_date <= today():
        raise PlanError(_("Deze betrokkenheid is al beëindigd."))
    if end_date < b.start_date:
        raise PlanError(_("De einddatum ligt voor de startdatum."), "end_date")
    b.end_date = end_date
    b.ended_by_id = actor.id
    b.end_reason = (reason or "").strip() or None
    _event(plan.id, actor, "betrokkenheid", f"Betrokkenheid van {b.organisation.name} beëindigd")
    session.flush()
    return b


# --- comments -------------------------------------------------------------------------------


def add_comment(
    plan: Plan,
    *,
    actor: User,
    body: str,
    soort: str = "opmerking",
    beroepsgeheim: bool = False,
    reply_to: PlanComment | None = None,
    zichtbaarheid: str = ZICHTBAAR_REGISSEURS,
) -> PlanComment:
    """A comment on the plan. ``beroepsgeheim``: given under professional secrecy (rule 9), only
    for a hulpverlener: then only their organisation and the regisseur see it."""
    if beroepsgeheim and not _is_hulpverlener_of(actor, actor.organisation_id):
        raise PlanError(
            _("Alleen een hulpverlener legt een opmerking onder beroepsgeheim vast."),
            "beroepsgeheim",
        )
    if zichtbaarheid not in ZICHTBAARHEDEN:
        raise PlanError(_("Kies wie de opmerking lezen."), "zichtbaarheid")
    if beroepsgeheim and zichtbaarheid == ZICHTBAAR_ALLE_BETROKKENEN:
        raise PlanError(
            _("Een opmerking onder beroepsgeheim lezen alleen de regisseur en uw organisatie."),
            "zichtbaarheid",
        )
    if not body.strip():
        raise PlanError(_("Schrijf een opmerking."), "body")
    if len(body) > 5000:
        raise PlanError(_("Een opmerking is hooguit 5000 tekens."), "body")
    c = PlanComment(
        plan_id=plan.id,
        author_id=actor.id,
        author_name=actor.name,
        author_organisation=actor.organisation.name if actor.organisation else None,
        author_organisation_id=actor.organisation_id,
        body=body.strip(),
        soort=soort,
        beroepsgeheim=beroepsgeheim,
        zichtbaarheid=zichtbaarheid,
        reply_to_id=reply_to.id if reply_to is not None and reply_to.plan_id == plan.id else None,
        created_at=now(),
    )
    session.add(c)
    session.flush()
    return c
