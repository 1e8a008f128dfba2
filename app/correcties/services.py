"""Editing a plan's person data, and deciding on a citizen's correction proposal.

Every change is one transaction (the request's): the person's fields, one
:class:`Persoonswijziging` per changed field, a line in the plan's history, the plan's version
(optimistic locking: a stale form gives a conflict), and for an accepted proposal the
:class:`Correctiebesluit` and, where a BRP fact changed, the :class:`Terugmelding` with its
logboek exchange.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.access.errors import NotVisible
from app.clock import now
from app.correcties.models import AANVAARD, AFGEWEZEN, Correctiebesluit, Persoonswijziging
from app.db import session
from app.domain import Gegevenscategorie, Verwerkingsactiviteit
from app.inkijk.models import OvergenomenFeit
from app.logboek import exchanges
from app.people.models import Person
from app.plans import services as plan_services
from app.plans.models import Plan, PlanComment
from app.plans.services import PlanError
from app.terugmelding import Melding, adapter
from app.terugmelding.models import Terugmelding
from app.users.models import User

# The person fields the regisseur may edit, with their label; BRP: the fields the BRP holds.
VELDEN: dict[str, str] = {
    "voornamen": "Voornamen",
    "tussenvoegsel": "Tussenvoegsel",
    "achternaam": "Achternaam",
    "straat": "Straat",
    "huisnummer": "Huisnummer",
    "huisnummer_toevoeging": "Toevoeging",
    "postcode": "Postcode",
    "woonplaats": "Woonplaats",
    "telefoon": "Telefoon",
    "email": "E-mail",
}
BRP_VELDEN = frozenset(VELDEN) - {"telefoon", "email"}
VERPLICHT = ("voornamen", "achternaam")


def _norm(veld: str, value: Any) -> str | None:
    text = (value or "").strip() if isinstance(value, str) else value
    if not text:
        return None
    if veld == "postcode":
        return str(text).replace(" ", "").upper()
    return str(text)


def open_voorstel(
    plan: Plan,
    voorstel_id: int | None,
    soorten: tuple[str, ...] = (plan_services.SOORT_CORRECTIEVOORSTEL,),
) -> PlanComment:
    """The plan's proposal (by default a correction proposal) with this id that has no decision
    yet; ``soorten``: the kinds of proposal accepted here (correction, gezinslink)."""
    voorstel = session.get(PlanComment, voorstel_id) if voorstel_id else None
    if voorstel is None or voorstel.plan_id != plan.id or voorstel.soort not in soorten:
        raise PlanError(_("Dit voorstel hoort niet bij dit plan."), "voorstel_id")
    if besluit_over(voorstel.id) is not None:
        raise PlanError(_("Over dit voorstel is al besloten."), "voorstel_id")
    return voorstel


def besluit_over(voorstel_id: int) -> Correctiebesluit | None:
    return session.scalars(
        select(Correctiebesluit).where(Correctiebesluit.voorstel_id == voorstel_id)
    ).first()


def wijzig_persoon(
    plan: Plan,
    waarden: dict[str, Any],
    *,
    actor: User,
    reden: str | None,
    expected_version: int | None,
    voorstel: PlanComment | None = None,
) -> list[Persoonswijziging]:
    """Apply the changed fields to the plan's person, with history. Raises PlanError/Conflict."""
    plan_services.check_version(plan, expected_version)
    if plan.is_closed:
        raise PlanError(_("Een afgesloten plan kan niet meer worden gewijzigd."))
    reden = (reden or "").strip()
    if not reden:
        raise PlanError(_("Schrijf waarom de gegevens veranderen."), "reden")
    for veld in VERPLICHT:
        if veld in waarden and not _norm(veld, waarden[veld]):
            raise PlanError(_("Dit veld is verplicht."), veld)
    person: Person = plan.person
    wijzigingen: list[Persoonswijziging] = []
    for veld in VELDEN:
        if veld not in waarden:
            continue
        oud, nieuw = getattr(person, veld), _norm(veld, waarden[veld])
        if oud == nieuw:
            continue
        setattr(person, veld, nieuw)
        w = Persoonswijziging(
            plan_id=plan.id,
            person_id=person.id,
            veld=veld,
            oud=oud,
            nieuw=nieuw,
            reden=reden,
            voorstel_id=voorstel.id if voorstel else None,
            actor_id=actor.id,
            actor_name=actor.name,
            at=now(),
        )
        session.add(w)
        wijzigingen.append(w)
    if not wijzigingen and voorstel is None:
        raise PlanError(_("Er is niets veranderd."))
    if wijzigingen:
        namen = ", ".join(VELDEN[w.veld].lower() for w in wijzigingen)
        plan_services.record_event(
            plan.id, actor, "persoon", f"Persoonsgegevens gewijzigd: {namen}"
        )
    plan.updated_at = now()
    plan.updated_by_id = actor.id
    plan_services.flush_or_conflict(plan)
    return wijzigingen


def aanvaard(
    plan: Plan,
    voorstel: PlanComment,
    waarden: dict[str, Any],
    *,
    actor: User,
    reden: str | None,
    expected_version: int | None,
    feit: OvergenomenFeit | None = None,
    feit_waarde: str | None = None,
) -> Correctiebesluit:
    """Accept the proposal: apply the change, link it, and make a terugmelding for BRP fields
    and for a disputed fact copied from a source (``feit``, with the value the citizen gives)."""
    if feit is not None and (feit.plan_id != plan.id or feit.person_id != plan.person_id):
        raise PlanError(_("Dit gegeven hoort niet bij dit plan."), "feit_id")
    if feit is not None and not (feit_waarde or "").strip():
        raise PlanError(_("Vul de juiste waarde volgens de inwoner in."), "feit_waarde")
    wijzigingen = wijzig_persoon(
        plan,
        waarden,
        actor=actor,
        reden=reden or "Op voorstel van de inwoner",
        expected_version=expected_version,
        voorstel=voorstel,
    )
    besluit = Correctiebesluit(
        plan_id=plan.id,
        voorstel_id=voorstel.id,
        besluit=AANVAARD,
        reden=(reden or "").strip() or None,
        actor_id=actor.id,
        actor_name=actor.name,
        at=now(),
    )
    session.add(besluit)
    session.flush()
    brp = [w for w in wijzigingen if w.veld in BRP_VELDEN]
    if brp:
        terugmelden(plan, besluit, brp, toelichting=voorstel.body)
    if feit is not None:
        terugmelden_feit(plan, besluit, feit, (feit_waarde or "").strip(), voorstel.body)
    plan_services.record_event(plan.id, actor, "correctie", "Voorstel voor correctie aanvaard")
    return besluit


def wijs_af(
    plan: Plan, voorstel: PlanComment, *, actor: User, reden: str | None
) -> Correctiebesluit:
    reden = (reden or "").strip()
    if not reden:
        raise PlanError(_("Schrijf waarom het voorstel wordt afgewezen."), "reden")
    if len(reden) > 2000:
        raise PlanError(_("De reden is hooguit 2000 tekens."), "reden")
    besluit = Correctiebesluit(
        plan_id=plan.id,
        voorstel_id=voorstel.id,
        besluit=AFGEWEZEN,
        reden=reden,
        actor_id=actor.id,
        actor_name=actor.name,
        at=now(),
    )
    session.add(besluit)
    if voorstel.soort == plan_services.SOORT_GEZINSLINKVOORSTEL:
        plan_services.record_event(
            plan.id,
            actor,
            "gezinslink",
            f"Voorstel over de gezinslinks van {voorstel.author_name} (gezinslid) afgewezen",
        )
    else:
        plan_services.record_event(plan.id, actor, "correctie", "Voorstel voor correctie afgewezen")
    session.flush()
    return besluit


def bevestig_linkvoorstel(
    plan: Plan, voorstel: PlanComment, *, actor: User, reden: str | None = None
) -> Correctiebesluit:
    """The regisseur confirmed a household member's gezinslink proposal (the link was laid or
    broken in the same transaction, its history naming the member): the decision the member
    sees in the portal."""
    if voorstel.soort != plan_services.SOORT_GEZINSLINKVOORSTEL:
        raise PlanError(_("Dit is geen voorstel over de gezinslinks."), "voorstel_id")
    besluit = Correctiebesluit(
        plan_id=plan.id,
        voorstel_id=voorstel.id,
        besluit=AANVAARD,
        reden=(reden or "").strip() or None,
        actor_id=actor.id,
        actor_name=actor.name,
        at=now(),
    )
    session.add(besluit)
    session.flush()
    return besluit


def terugmelden(
    plan: Plan, besluit: Correctiebesluit, wijzigingen: list[Persoonswijziging], *, toelichting: str
) -> Terugmelding:
    """Report the doubted BRP fields to the terugmeldvoorziening, logged as an exchange."""
    return _meld(
        plan,
        besluit,
        "BRP",
        {w.veld: (w.oud, w.nieuw) for w in wijzigingen},
        (Gegevenscategorie.BSN, Gegevenscategorie.NAW),
        toelichting,
    )


def terugmelden_feit(
    plan: Plan, besluit: Correctiebesluit, feit: OvergenomenFeit, waarde: str, toelichting: str
) -> Terugmelding:
    """Report a disputed fact copied from a source (inkijk) back to that source."""
    return _meld(
        plan,
        besluit,
        feit.bron_naam[:40],
        {feit.label: (feit.waarde, waarde)},
        (Gegevenscategorie.BSN, feit.categorie),
        toelichting,
    )


def _meld(
    plan: Plan,
    besluit: Correctiebesluit,
    registratie: str,
    velden: dict[str, tuple[str | None, str | None]],
    categories: tuple[str, ...],
    toelichting: str,
) -> Terugmelding:
    person: Person = plan.person
    t = Terugmelding(
        plan_id=plan.id,
        person_id=person.id,
        besluit_id=besluit.id,
        registratie=registratie,
        velden=",".join(velden),
        ontvanger="",
        adapter="",
        status="mislukt",
        inhoud=json.dumps(
            {"velden": velden, "categorieen": categories, "toelichting": toelichting},
            ensure_ascii=False,
        ),
        pogingen=0,
        at=now(),
    )
    session.add(t)
    _verstuur(plan, t)
    return t


def _verstuur(plan: Plan, t: Terugmelding) -> None:
    """Send the terugmelding (again) through the configured adapter; a received one is an
    exchange in the logboek. A failed one stays "mislukt" and can be sent again."""
    inhoud = json.loads(t.inhoud or "{}")
    person: Person = plan.person
    gemeente = str(current_app.config["EENPLAN_MUNICIPALITY"])
    a = adapter()
    antwoord = a.meld(
        Melding(
            registratie=t.registratie,
            bsn=person.bsn,
            velden={k: (v[0], v[1]) for k, v in inhoud.get("velden", {}).items()},
            toelichting=inhoud.get("toelichting", ""),
            melder=gemeente,
        )
    )
    t.ontvanger = a.ontvanger
    t.adapter = a.naam
    t.status = "ontvangen" if antwoord.ontvangen else "mislukt"
    t.kenmerk = antwoord.kenmerk
    t.pogingen = (t.pogingen or 0) + 1
    t.laatste_poging_op = now()
    session.flush()
    if antwoord.ontvangen:
        exchanges.sent_to(
            refs=[("person", person.id)],
            recipient=a.ontvanger,
            categories=tuple(inhoud.get("categorieen", (Gegevenscategorie.BSN,))),
            sender=gemeente,
            object_type="terugmelding",
            object_id=t.id,
            processing_activity=Verwerkingsactiviteit.REGIE,
        )


def opnieuw(plan: Plan, terugmelding_id: int, *, actor: User) -> Terugmelding:
    """Send a failed terugmelding of this plan again (the regisseur; one transaction)."""
    t = session.get(Terugmelding, terugmelding_id)
    if t is None or t.plan_id != plan.id:
        raise NotVisible
    if not t.mislukt:
        raise PlanError(_("Deze terugmelding is al ontvangen."))
    if t.inhoud is None:
        raise PlanError(
            _(
                "Deze terugmelding is van voor het opnieuw versturen bestond; maak een nieuwe door "
                "de gegevens opnieuw te corrigeren."
            )
        )
    _verstuur(plan, t)
    uitkomst = "ontvangen" if t.status == "ontvangen" else "weer mislukt"
    plan_services.record_event(
        plan.id,
        actor,
        "correctie",
        f"Terugmelding aan de {t.registratie} opnieuw verstuurd: {uitkomst}",
    )
    return t


def geschiedenis(plan: Plan) -> list[Persoonswijziging]:
    return list(
        session.scalars(
            select(Persoonswijziging)
            .where(Persoonswijziging.plan_id == plan.id)
            .order_by(Persoonswijziging.at.desc(), Persoonswijziging.id.desc())
        )
    )


def besluiten(plan_id: int) -> dict[int, Correctiebesluit]:
    rows = session.scalars(select(Correctiebesluit).where(Correctiebesluit.plan_id == plan_id))
    return {b.voorstel_id: b for b in rows}


def terugmeldingen(plan_id: int) -> dict[int, list[Terugmelding]]:
    """The plan's terugmeldingen by the decision that made them."""
    rows = session.scalars(
        select(Terugmelding)
        .where(Terugmelding.plan_id == plan_id, Terugmelding.besluit_id.is_not(None))
        .order_by(Terugmelding.id)
    )
    out: dict[int, list[Terugmelding]] = {}
    for t in rows:
        if t.besluit_id is not None:
            out.setdefault(t.besluit_id, []).append(t)
    return out
