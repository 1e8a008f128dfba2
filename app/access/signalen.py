"""Signalen and the afwegingskader (SPEC rule 13).

A signal is visible only to the citizen it concerns, the regisseurs of the signal team (the
regisseurs of a municipality: the team that weighs signals) and of the plan made from it, and
the melder — who sees only the status of their own signal (services.mijn_meldingen).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import false, or_, select
from sqlalchemy.sql import ColumnElement, Select

from app.access.errors import NotVisible
from app.db import session
from app.domain import Rol
from app.plans.models import Plan
from app.signalen.models import Afweging, Vroegsignaal
from app.users.models import User


def in_signaalteam(user: User) -> bool:
    org = user.organisation
    return bool(
        user.is_authenticated
        and user.has_role(Rol.REGISSEUR)
        and org is not None
        and org.is_gemeente
        and org.active
    )


def afwegingen_visible_to(user: User) -> Select[Any]:

    stmt = select(Afweging)
    if in_signaalteam(user):
        return stmt
    conditions: list[ColumnElement[bool]] = []
    if user.has_role(Rol.REGISSEUR):
        conditions.append(Afweging.plan_id.in_(select(Plan.id).where(Plan.regisseur_id == user.id)))
    if user.person_id is not None:
        conditions.append(Afweging.person_id == user.person_id)
    return stmt.where(or_(*conditions) if conditions else false())


def afweging_for(user: User, afweging_id: int) -> Any:
    """The case, or 404 (its existence is not revealed)."""

    found = session.scalars(afwegingen_visible_to(user).where(Afweging.id == afweging_id)).first()
    if found is None:
        raise NotVisible
    return found


def signalen_visible_to(user: User) -> Select[Any]:
    """Signals (not forgotten) the user may read in full."""

    stmt = select(Vroegsignaal).where(Vroegsignaal.verwijderd_op.is_(None))
    if in_signaalteam(user):
        return stmt
    conditions: list[ColumnElement[bool]] = []
    if user.has_role(Rol.REGISSEUR):
        conditions.append(
            Vroegsignaal.afweging_id.in_(
                select(Afweging.id).where(
                    Afweging.plan_id.in_(select(Plan.id).where(Plan.regisseur_id == user.id))
                )
            )
        )
    if user.person_id is not None:
        conditions.append(Vroegsignaal.person_id == user.person_id)
    return stmt.where(or_(*conditions) if conditions else false())
