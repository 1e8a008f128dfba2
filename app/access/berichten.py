"""Berichten: which message threads (:class:`Gesprek`) and messages a user may read.

A thread lives on a plan the user may open (the same paths as ``plan_for``); trusted people take
no part in messages, and a message under beroepsgeheim is seen only by the author's organisation
and the plan's regisseur.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, false, or_, select, true

from app.access.beroepsgeheim import beroepsgeheim_visible
from app.access.kern import PlanKern
from app.access.paths import Pad, paths
from app.berichten.models import (
    SOORT_HULPVERLENER,
    SOORT_INWONER,
    SOORT_PLAN,
    Bericht,
    Gesprek,
    GesprekGelezen,
)
from app.clock import today
from app.domain import Rol
from app.plans.models import Plan
from app.users.models import User


def _is_regisseur_sql(user: User) -> Any:
    if not user.has_role(Rol.REGISSEUR):
        return false()
    return Plan.regisseur_id == user.id


def gesprek_visible(user: User, gesprek: Any, is_regisseur: Any, is_person: Any) -> Any:
    """SQL condition on ``Gesprek``: the plan thread for everyone on the plan; a direct thread
    for the plan's regisseur and the one hulpverlener, or the regisseur and the citizen."""

    return or_(
        gesprek.soort == SOORT_PLAN,
        and_(
            gesprek.soort == SOORT_HULPVERLENER,
            or_(is_regisseur, gesprek.hulpverlener_id == user.id),
        ),
        and_(gesprek.soort == SOORT_INWONER, or_(is_regisseur, is_person)),
    )


def gesprekken_on_plan(user: User, kern: PlanKern) -> Any:
    """A query of the threads on one plan the user may read."""

    is_reg = true() if kern.is_regisseur else false()
    is_person = true() if kern.pad is Pad.INWONER else false()
    stmt = select(Gesprek).where(
        Gesprek.plan_id == kern.id, gesprek_visible(user, Gesprek, is_reg, is_person)
    )
    if not kern.sees_plan_thread:
        stmt = stmt.where(Gesprek.soort != SOORT_PLAN)
    return stmt


def berichten_visible_condition(user: User, kern: PlanKern) -> Any:

    return beroepsgeheim_visible(
        Bericht.beroepsgeheim, Bericht.author_organisation_id, user, kern.is_regisseur
    )


def gesprekken_of(user: User, *, day: dt.date | None = None) -> Any:
    """All threads the user may read, across the plans they may open (for the inbox).

    The same rules as :func:`gesprekken_on_plan`: trusted people take no part in messages, and an
    organisation with "geen inzage" sees only its own direct thread, not the plan's thread.
    """

    day = day or today()
    reach = [
        c for p, c in paths(user, day, vervanging=False).items() if p is not Pad.VERTROUWENSPERSOON
    ]
    content = [
        c
        for p, c in paths(user, day, vervanging=False, content=True).items()
        if p is not Pad.VERTROUWENSPERSOON
    ]
    if not reach:
        return select(Gesprek).where(false())
    is_person = Plan.person_id == user.person_id if user.person_id is not None else false()
    return (
        select(Gesprek)
        .join(Plan, Plan.id == Gesprek.plan_id)
        .where(
            or_(*reach),
            or_(Gesprek.soort != SOORT_PLAN, or_(*content) if content else false()),
            gesprek_visible(user, Gesprek, _is_regisseur_sql(user), is_person),
        )
    )


def unread_condition(user: User) -> Any:
    """SQL condition on ``Bericht`` (joined with its Gesprek and Plan): unread by the user and
    visible to them (beroepsgeheim)."""

    read_up_to = (
        select(GesprekGelezen.tot_bericht_id)
        .where(GesprekGelezen.gesprek_id == Bericht.gesprek_id, GesprekGelezen.user_id == user.id)
        .correlate(Bericht)
        .scalar_subquery()
    )
    return and_(
        Bericht.author_id != user.id,
        or_(read_up_to.is_(None), Bericht.id > read_up_to),
        beroepsgeheim_visible(
            Bericht.beroepsgeheim, Bericht.author_organisation_id, user, _is_regisseur_sql(user)
        ),
    )
