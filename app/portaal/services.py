"""The citizen portal's domain operations: who logs in, and what the portal reads for them."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from stdnum.nl import bsn as stdnum_bsn

from app.auth.oidc import claim_values
from app.db import session
from app.people.models import Person
from app.plans.models import Plan
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
    if has_plan is None:
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


def eigen_plan_id(user: User) -> int | None:
    """The id of the plan about this citizen (one plan per person), if there is one."""
    if user.person_id is None:
        return None
    return session.execute(
        select(Plan.id)
        .where(Plan.person_id == user.person_id)
        .execution_options(audit_internal=True)
    ).scalar_one_or_none()
