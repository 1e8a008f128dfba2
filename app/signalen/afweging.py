"""The afwegingskader: a case opened from signals (step 1), and the decisions of steps 2–4 —
ending the case (its signals are forgotten), referring it to the columns, or making a plan on the
basis multiproblematiek. The questions to organisations at steps 2 and 3 (dát-informatie,
buitenkant) are in ``app/signalen/vragen.py``.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.access.plans import any_plan_exists_for
from app.clock import now
from app.db import session
from app.domain import (
    AFWEGING_LOPEND,
    AFWEGING_SLUITREDENEN,
    AfwegingStatus,
    PlanBasis,
    Verwerkingsactiviteit,
)
from app.organisations.models import Organisation
from app.people.models import Person
from app.plans import services as plans
from app.plans.models import Plan
from app.signalen.models import Afweging, AfwegingStap, Vroegsignaal
from app.signalen.validation import SignaalError
from app.signalen.vergeten import tombstone_rows, tombstones
from app.users.models import User


def _stap(afweging: Afweging, stap: int, antwoord: bool, motivering: str, actor: User) -> None:
    motivering = (motivering or "").strip()
    if len(motivering) < 10:
        raise SignaalError(_("Schrijf een motivering (minstens 10 tekens)."), "motivering")
    session.add(
        AfwegingStap(
            afweging=afweging,
            stap=stap,
            antwoord=antwoord,
            motivering=motivering,
            besloten_door_id=actor.id,
            besloten_door_naam=actor.name,
            besloten_op=now(),
        )
    )


def open_afweging(
    person: Person,
    *,
    regisseur: User,
    signalen: list[Vroegsignaal],
    aanleiding: str = "signalen",
    motivering: str | None = None,
) -> Afweging:
    """Step 1: a case for a person from one or more signals (or the citizen's own request)."""
    if aanleiding not in ("signalen", "verzoek_inwoner"):
        raise SignaalError(_("Onbekende aanleiding."), "aanleiding")
    if aanleiding == "signalen" and not signalen:
        raise SignaalError(_("Kies de signalen waarmee de afweging begint."), "signalen")
    existing = session.scalars(
        select(Afweging).where(
            Afweging.person_id == person.id, Afweging.status.in_(AFWEGING_LOPEND)
        )
    ).first()
    afweging = existing or Afweging(
        person_id=person.id,
        aanleiding=aanleiding,
        status=AfwegingStatus.OPEN,
        regisseur_id=regisseur.id,
        geopend_op=now(),
    )
    if existing is None:
        session.add(afweging)
        session.flush()
    for s in signalen:
        if s.verwijderd_op is not None:
            raise SignaalError(_("Dit signaal is verwijderd."), "signalen")
        s.afweging_id = afweging.id
        if s.person_id is None:
            s.person_id = person.id
    if existing is None:
        default = (
            # Stored as the step's motivation, so in the source language (not translated).
            ("1 signaal ontvangen" if len(signalen) == 1 else f"{len(signalen)} signalen ontvangen")
            if aanleiding == "signalen"
            else "Verzoek van de inwoner om hulp"
        )
        _stap(afweging, 1, True, motivering or default, regisseur)
    elif existing.status == AfwegingStatus.HEROPEND:
        existing.status = AfwegingStatus.OPEN
    session.flush()
    return afweging


def volgende_stap(afweging: Afweging) -> int:
    """The step that is to be answered next (2, 3 or 4)."""
    return min(4, max(2, _laatste(afweging) + 1))


def _laatste(afweging: Afweging) -> int:
    answered = [s for s in afweging.stappen if s.antwoord]
    return max((s.stap for s in answered), default=0)


def besluit(
    afweging: Afweging,
    stap: int,
    antwoord: bool,
    motivering: str,
    *,
    actor: User,
    verwijzing: str | None = None,
    gemeente: Organisation | None = None,
) -> Afweging:
    """Record a step's answer. Step 2 No ends the case and removes its signals; step 3 No ends
    it with "dienstverlening in de kolommen" and a referral; step 4 Yes establishes
    multiproblematiek: a plan on that basis, linked to the case both ways — or, when the person
    has a plan already, the case is linked to that plan and its basis becomes multiproblematiek
    (:func:`app.plans.services.koppel_afweging`). Every refusal comes before anything is written:
    the step and its effect are one change."""
    _vergrendel(afweging)
    if afweging.status == AfwegingStatus.MULTIPROBLEMATIEK:
        raise SignaalError(
            _("Stap 4 is al vastgelegd: deze afweging heeft multiproblematiek vastgesteld."),
            "stap",
        )
    if afweging.status != AfwegingStatus.OPEN:
        raise SignaalError(_("Deze afweging is gesloten: er kan geen stap meer bij."), "stap")
    if stap not in (2, 3, 4) or _laatste(afweging) != stap - 1:
        raise SignaalError(
            _("Beantwoord eerst stap %(afweging)s.", afweging=_laatste(afweging) + 1), "stap"
        )
    if stap == 3 and not antwoord and not (verwijzing or "").strip():
        raise SignaalError(_("Leg vast naar welke dienstverlening u verwijst."), "verwijzing")
    if stap == 4 and not antwoord:
        raise SignaalError(_("Stap 4 legt vast dat er multiproblematiek is."), "antwoord")
    bestaand: Plan | None = None
    if stap == 4:
        bestaand = any_plan_exists_for(afweging.person_id)
        if bestaand is not None and bestaand.is_closed:
            raise SignaalError(
                _(
                    "Deze inwoner heeft een afgesloten plan. Dat verandert niet meer, en een tweede "
                    "plan kan niet: stap 4 is niet vastgelegd."
                ),
                "antwoord",
            )
        if bestaand is None and (gemeente or actor.organisation) is None:
            raise SignaalError(_("De regisseur hoort bij geen gemeente."), "stap")
    _stap(afweging, stap, antwoord, motivering, actor)
    stamp = now()
    if stap == 2 and not antwoord:
        afweging.status = AfwegingStatus.BEEINDIGD
        afweging.gesloten_op = stamp
        rows = tombstone_rows(Vroegsignaal.afweging_id == afweging.id)
        tombstones(
            rows,
            Verwerkingsactiviteit.SIGNALEN_AFWEGING,
            "signalen.afweging.beeindigd",
            stamp,
            "afweging_stap_2",
        )
    elif stap == 3 and not antwoord:
        afweging.status = AfwegingStatus.KOLOMMEN
        afweging.verwijzing = (verwijzing or "").strip()
        afweging.gesloten_op = stamp
    elif stap == 4:
        if bestaand is not None:
            was = bestaand.basis_label.lower()
            plan = plans.koppel_afweging(bestaand, afweging.id, actor=actor)
            _uitkomst(
                afweging,
                _(
                    "Multiproblematiek is vastgesteld. Deze inwoner had al een plan: de afweging is "
                    "aan dat plan gekoppeld"
                )
                + (
                    _(" en de basis is nu multiproblematiek (was: %(was)s).", was=was)
                    if was != plan.basis_label.lower()
                    else "."
                ),
            )
        else:
            person = session.get(Person, afweging.person_id)
            assert person is not None
            plan = plans.create_plan(
                person=person,
                basis=PlanBasis.MULTIPROBLEMATIEK,
                regisseur=actor,
                actor=actor,
                gemeente=gemeente or actor.organisation,  # type: ignore[arg-type]
                afweging_id=afweging.id,
            )
            _uitkomst(
                afweging,
                _(
                    "Multiproblematiek is vastgesteld. Het plan is aangemaakt op die basis en "
                    "gekoppeld aan deze afweging."
                ),
            )
        afweging.plan_id = plan.id
        afweging.status = AfwegingStatus.MULTIPROBLEMATIEK
        afweging.gesloten_op = stamp
    session.flush()
    return afweging


def _uitkomst(afweging: Afweging, bericht: str) -> None:
    session.info.setdefault("afweging_uitkomst", {})[afweging.id] = bericht


def stap_bericht(afweging: Afweging) -> str:
    """What the regisseur is told after a step was recorded (step 4: plan made or linked)."""
    return session.info.get("afweging_uitkomst", {}).pop(afweging.id, _("De stap is vastgelegd."))


def _vergrendel(afweging: Afweging) -> None:
    """Lock the case's row until the transaction ends (PostgreSQL; SQLite takes the write lock
    when the transaction begins) and read its status as committed: two decisions sent at once
    cannot both pass — the second finds the case decided and is refused."""
    status = session.execute(
        select(Afweging.status)
        .where(Afweging.id == afweging.id)
        .with_for_update()
        .execution_options(audit_internal=True)
    ).scalar_one()
    if status != afweging.status:
        session.refresh(afweging)


def sluit_afweging(afweging: Afweging, reden: str, motivering: str, *, actor: User) -> Afweging:
    """The person refused or could not be reached: the case closes (and reopens for attention
    when a new signal about them arrives)."""
    if afweging.status not in AFWEGING_LOPEND:
        raise SignaalError(_("Deze afweging is niet open."), "reden")
    if reden not in AFWEGING_SLUITREDENEN:
        raise SignaalError(_("Kies een reden."), "reden")
    _stap(
        afweging,
        _laatste(afweging) + 1,
        False,
        f"{AFWEGING_SLUITREDENEN[reden]}: {motivering}",
        actor,
    )
    afweging.status = AfwegingStatus.GESLOTEN
    afweging.sluitreden = reden
    afweging.gesloten_op = now()
    session.flush()
    return afweging


def afweging_dossier(afweging_id: int) -> Afweging | None:
    return session.scalars(
        select(Afweging).where(Afweging.id == afweging_id).options(selectinload(Afweging.stappen))
    ).first()
