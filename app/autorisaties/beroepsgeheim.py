"""The professional's side of beroepsgeheim (SPEC rule 9; issue 16 #6).

What a hulpverlener gave under professional secrecy — a comment, or the remark of their own
organisation's activity — goes on only with explicit consent of *both* the professional and the
citizen. The author's organisation decides first (one of its hulpverleners): it **releases** the
item, which puts it before the citizen in Mijn Eenplan (*Wie mag wat zien*) to consent or not,
or it **refuses** with a reason, and then the citizen is not asked. A release can be withdrawn,
a refusal turned into a release. Only with both releases in force is the item passed on: other
organisations' screens and the API (at level *volledig* for remarks; comments to all involved),
trusted people, exports (:mod:`app.access.beroepsgeheim`).

Every decision is one row per party (:class:`BeroepsgeheimVrijgave`, unique per item and party)
and a line in the plan's history naming the organisation; the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.autorisaties import services as autorisaties
from app.autorisaties.models import (
    GEWEIGERD,
    OBJECT_ACTIVITEIT,
    OBJECT_OPMERKING,
    PARTIJ_AUTEUR,
    PARTIJ_INWONER,
    VRIJGEGEVEN,
    BeroepsgeheimVrijgave,
)
from app.clock import now
from app.db import session
from app.domain import Rol
from app.plans.services import PlanError, record_event
from app.users.models import User

VRIJGEVEN, WEIGEREN, INTREKKEN = "vrijgeven", "weigeren", "intrekken"
SOORT_LABEL = {OBJECT_OPMERKING: "opmerking", OBJECT_ACTIVITEIT: "toelichting bij een activiteit"}


@dataclass(frozen=True)
class Stand:
    """Where an item under beroepsgeheim stands: the author's decision and the citizen's."""

    auteur: str | None  # None (not decided), "vrijgegeven" or "geweigerd"
    reden: str | None  # the author's reason for refusing
    inwoner: bool  # the citizen released it

    @property
    def doorgegeven(self) -> bool:
        return self.auteur == VRIJGEGEVEN and self.inwoner

    @property
    def label(self) -> str:
        if self.auteur == GEWEIGERD:
            return "Vrijgave geweigerd door de organisatie"
        if self.doorgegeven:
            return "Vrijgegeven door de organisatie en de inwoner: mag worden doorgegeven"
        if self.auteur == VRIJGEGEVEN:
            return "Vrijgegeven door de organisatie; de inwoner besluit nog"
        return "Niet vrijgegeven: blijft bij de organisatie en de regisseur"


def standen(plan_id: int) -> dict[tuple[str, int], Stand]:
    """Every item of the plan with a decision, by (object type, id); internal read."""
    rows = session.execute(
        select(
            BeroepsgeheimVrijgave.object_type,
            BeroepsgeheimVrijgave.object_id,
            BeroepsgeheimVrijgave.partij,
            BeroepsgeheimVrijgave.besluit,
            BeroepsgeheimVrijgave.reden,
        )
        .where(
            BeroepsgeheimVrijgave.plan_id == plan_id,
            BeroepsgeheimVrijgave.ingetrokken_op.is_(None),
        )
        .execution_options(audit_internal=True)
    ).all()
    auteur: dict[tuple[str, int], tuple[str, str | None]] = {}
    inwoner: set[tuple[str, int]] = set()
    for object_type, object_id, partij, besluit, reden in rows:
        key = (object_type, object_id)
        if partij == PARTIJ_AUTEUR:
            auteur[key] = (besluit, reden)
        elif partij == PARTIJ_INWONER and besluit == VRIJGEGEVEN:
            inwoner.add(key)
    return {
        key: Stand(
            auteur.get(key, (None, None))[0], auteur.get(key, (None, None))[1], key in inwoner
        )
        for key in set(auteur) | inwoner
    }


def stand(plan_id: int, object_type: str, object_id: int) -> Stand:
    return standen(plan_id).get((object_type, object_id), Stand(None, None, False))


def _check_auteur(object_type: str, object_id: int, actor: User) -> int:
    """The item's plan, when the actor is a hulpverlener of its author's organisation."""
    plan_id, author_org, marked = autorisaties._item(object_type, object_id)
    if not marked:
        raise PlanError(_("Dit gegeven valt niet onder beroepsgeheim."))
    if not (
        actor.has_role(Rol.HULPVERLENER)
        and actor.organisation_id is not None
        and actor.organisation_id == author_org
    ):
        raise PlanError(_("Alleen de organisatie die het gaf, besluit hierover."))
    return plan_id


def besluit_auteur(
    object_type: str, object_id: int, *, actor: User, besluit: str, reden: str | None
) -> BeroepsgeheimVrijgave | None:
    """The author's organisation releases, refuses (a reason required) or withdraws its
    release. Returns the party's row (None after withdrawing)."""
    plan_id = _check_auteur(object_type, object_id, actor)
    reden = (reden or "").strip() or None
    soort = SOORT_LABEL.get(object_type, "gegeven")
    organisatie = actor.organisation.name if actor.organisation else "de organisatie"
    if besluit == VRIJGEVEN:
        vrij = autorisaties.geef_beroepsgeheim_vrij(object_type, object_id, actor=actor)
        record_event(
            plan_id,
            actor,
            "beroepsgeheim",
            f"{organisatie} gaf een {soort} onder beroepsgeheim vrij; de inwoner besluit nog",
        )
        return vrij
    if besluit == INTREKKEN:
        autorisaties.trek_vrijgave_in(object_type, object_id, actor=actor)
        record_event(
            plan_id,
            actor,
            "beroepsgeheim",
            f"{organisatie} trok de vrijgave van een {soort} onder beroepsgeheim in",
        )
        return None
    if besluit != WEIGEREN:
        raise PlanError(_("Kies wat u besluit."), "besluit")
    if reden is None:
        raise PlanError(_("Schrijf waarom u het niet vrijgeeft."), "reden")
    if len(reden) > 2000:
        raise PlanError(_("De reden is hooguit 2000 tekens."), "reden")
    bestaand = session.scalars(
        select(BeroepsgeheimVrijgave).where(
            BeroepsgeheimVrijgave.object_type == object_type,
            BeroepsgeheimVrijgave.object_id == object_id,
            BeroepsgeheimVrijgave.partij == PARTIJ_AUTEUR,
        )
    ).first()
    row = bestaand or BeroepsgeheimVrijgave(
        plan_id=plan_id, object_type=object_type, object_id=object_id, partij=PARTIJ_AUTEUR
    )
    session.add(row)
    row.besluit = GEWEIGERD
    row.reden = reden
    row.ingetrokken_op = None
    row.vastgelegd_op = now()
    row.vastgelegd_door_id = actor.id
    session.flush()
    record_event(
        plan_id,
        actor,
        "beroepsgeheim",
        f"{organisatie} weigerde een {soort} onder beroepsgeheim vrij te geven: {reden}",
    )
    return row
