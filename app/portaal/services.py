"""The citizen portal's domain operations: who logs in, and what the portal reads for them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from stdnum.nl import bsn as stdnum_bsn

from app.auth.oidc import claim_values
from app.autorisaties.models import (
    OBJECT_ACTIVITEIT,
    OBJECT_OPMERKING,
    PARTIJ_AUTEUR,
    PARTIJ_INWONER,
    VRIJGEGEVEN,
    BeroepsgeheimVrijgave,
    Vertrouwenspersoon,
)
from app.clock import today
from app.db import session
from app.people.models import Person
from app.plans import services as plan_services
from app.plans.models import Activity, Plan, PlanComment
from app.signalen.models import Afweging, Vroegsignaal
from app.users.models import User


class LoginGeweigerd(Exception):
    """A citizen login that cannot go on; ``reden`` picks the Dutch page the citizen sees."""

    def __init__(self, reden: str) -> None:
        super().__init__(reden)
        self.reden = reden


def bsn_uit_claims(cfg: dict[str, Any], claims: dict[str, Any]) -> str:
    """The BSN from the configured claim, checked with the 11-proef."""
    values = claim_values(claims, cfg.get("bsn_claim") or "bsn")
    if not values:
        raise LoginGeweigerd("bsn-ontbreekt")
    if len(values) != 1:
        raise LoginGeweigerd("bsn-ongeldig")
    raw = stdnum_bsn.compact(values[0])
    if not stdnum_bsn.is_valid(raw):
        raise LoginGeweigerd("bsn-ongeldig")
    return raw


def burger_voor_login(cfg: dict[str, Any], claims: dict[str, Any]) -> User:
    """The citizen's account for this login; created on the first login of a person with a plan.

    Refuses (``geen-plan``) a person Eenplan does not know or who has no plan and no account,
    with the same answer for both: the page says nothing about whether someone is known.
    """
    bsn = bsn_uit_claims(cfg, claims)
    row = session.execute(
        select(Person.id, Person.voornamen, Person.tussenvoegsel, Person.achternaam)
        .where(Person.bsn == bsn)
        .execution_options(audit_internal=True)  # the citizen's own data, shown to nobody
    ).first()
    if row is None:
        raise LoginGeweigerd("geen-plan")
    user = session.scalars(select(User).where(User.person_id == row.id)).first()
    if user is not None:
        if not user.active:
            raise LoginGeweigerd("geen-toegang")
        return user
    has_plan = session.execute(
        select(Plan.id).where(Plan.person_id == row.id).execution_options(audit_internal=True)
    ).first()
    if has_plan is None and not heeft_lopende_toegang(bsn) and not heeft_signalen(row.id):
        raise LoginGeweigerd("geen-plan")
    naam = " ".join(p for p in (row.voornamen, row.tussenvoegsel, row.achternaam) if p)
    user = User(
        # No BSN and no name in the username: it shows up in application logs.
        username=f"inwoner-{secrets.token_hex(6)}",
        name=naam,
        person_id=row.id,
        password_hash=None,
    )
    session.add(user)
    session.flush()
    return user


def heeft_lopende_toegang(bsn: str) -> bool:
    """Someone with a plan gave this BSN read-only access (a trusted person) that holds today."""
    return (
        session.execute(
            select(Vertrouwenspersoon.id)
            .where(Vertrouwenspersoon.bsn == bsn, Vertrouwenspersoon.active_on(today()))
            .limit(1)
            .execution_options(audit_internal=True)
        ).first()
        is not None
    )


def heeft_signalen(person_id: int) -> bool:
    """Signals about this person are kept (rule 13: the citizen may see them, plan or not)."""
    for stmt in (
        select(Vroegsignaal.id).where(
            Vroegsignaal.person_id == person_id, Vroegsignaal.verwijderd_op.is_(None)
        ),
        select(Afweging.id).where(Afweging.person_id == person_id),
    ):
        if session.execute(stmt.limit(1).execution_options(audit_internal=True)).first():
            return True
    return False


def eigen_plan_id(user: User) -> int | None:
    """The id of the plan about this citizen (one plan per person), if there is one."""
    if user.person_id is None:
        return None
    return session.execute(
        select(Plan.id)
        .where(Plan.person_id == user.person_id)
        .execution_options(audit_internal=True)
    ).scalar_one_or_none()


# --- beroepsgeheim items the citizen can release ----------------------------------------------


@dataclass(frozen=True)
class BeroepsgeheimItem:
    object_type: str
    object_id: int
    omschrijving: str
    organisatie: str
    inwoner_gaf_vrij: bool


def beroepsgeheim_items(plan_id: int) -> list[BeroepsgeheimItem]:
    """Items under beroepsgeheim whose author released them to the citizen (to ask their
    consent to pass them on), with whether the citizen consented already."""
    rows = session.execute(
        select(
            BeroepsgeheimVrijgave.object_type,
            BeroepsgeheimVrijgave.object_id,
            BeroepsgeheimVrijgave.partij,
        )
        .where(
            BeroepsgeheimVrijgave.plan_id == plan_id,
            BeroepsgeheimVrijgave.besluit == VRIJGEGEVEN,  # not a refusal (issue 16 #6)
            BeroepsgeheimVrijgave.ingetrokken_op.is_(None),
        )
        .execution_options(audit_internal=True)
    ).all()
    auteur = {(r[0], r[1]) for r in rows if r[2] == PARTIJ_AUTEUR}
    inwoner = {(r[0], r[1]) for r in rows if r[2] == PARTIJ_INWONER}
    out: list[BeroepsgeheimItem] = []
    for object_type, object_id in sorted(auteur):
        if object_type == OBJECT_OPMERKING:
            c = session.get(PlanComment, object_id)
            if c is None or c.plan_id != plan_id or not c.beroepsgeheim:
                continue
            text, org = c.body, c.author_organisation or ""
        elif object_type == OBJECT_ACTIVITEIT:
            a = session.get(Activity, object_id)
            if a is None or a.plan_id != plan_id or not a.toelichting_beroepsgeheim:
                continue
            text = f"{a.aard_label}: {a.toelichting or ''}"
            org = a.organisation.name if a.organisation else ""
        else:  # pragma: no cover - no other kinds
            continue
        out.append(
            BeroepsgeheimItem(
                object_type, object_id, text, org, (object_type, object_id) in inwoner
            )
        )
    return out


def vraag_andere_regisseur(plan: Plan, *, actor: User, reden: str) -> None:
    """Rule 7: the citizen has a say in who the regisseur is. The request goes into the plan
    (a comment of its own kind the regisseur and their colleagues see at the top of the plan)
    and its history."""
    plan_services.add_comment(
        plan, actor=actor, body=reden, soort=plan_services.SOORT_REGISSEURVERZOEK
    )
    plan_services.record_event(plan.id, actor, "regie", "De inwoner vroeg om een andere regisseur")
