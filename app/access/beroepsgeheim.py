"""Beroepsgeheim (SPEC rule 9): who sees a remark or comment given under professional secrecy,
and what may leave the plan in an export or share.

An item under beroepsgeheim may be passed on only once both its author and the citizen released
it (:class:`BeroepsgeheimVrijgave`); the citizen sees it once the author released it to them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, not_, or_, select, true
from sqlalchemy.orm import load_only
from sqlalchemy.sql import ColumnElement, Select

from app.access.loading import ACTIVITY_ZONDER_TOELICHTING, activity_columns
from app.autorisaties.models import (
    OBJECT_ACTIVITEIT,
    OBJECT_OPMERKING,
    PARTIJ_AUTEUR,
    PARTIJ_INWONER,
    VRIJGEGEVEN,
    BeroepsgeheimVrijgave,
)
from app.db import session
from app.plans.models import Activity, PlanComment
from app.users.models import User


def _vrijgegeven_door(object_type: str, id_col: Any, partij: str) -> ColumnElement[bool]:
    """A release by this party in force: recorded, not refused, not withdrawn."""
    return exists().where(
        BeroepsgeheimVrijgave.object_type == object_type,
        BeroepsgeheimVrijgave.object_id == id_col,
        BeroepsgeheimVrijgave.partij == partij,
        BeroepsgeheimVrijgave.besluit == VRIJGEGEVEN,
        BeroepsgeheimVrijgave.ingetrokken_op.is_(None),
    )


def _vrijgegeven(object_type: str, id_col: Any) -> ColumnElement[bool]:
    """Both the author and the citizen consented to passing this item on."""
    return and_(
        _vrijgegeven_door(object_type, id_col, PARTIJ_AUTEUR),
        _vrijgegeven_door(object_type, id_col, PARTIJ_INWONER),
    )


def _remark_shareable() -> ColumnElement[bool]:
    """An activity's remark may go into an export or share."""
    return or_(
        Activity.toelichting_beroepsgeheim.is_(False),
        _vrijgegeven(OBJECT_ACTIVITEIT, Activity.id),
    )


def _comment_shareable() -> ColumnElement[bool]:
    return or_(PlanComment.beroepsgeheim.is_(False), _vrijgegeven(OBJECT_OPMERKING, PlanComment.id))


def remark_for_citizen() -> ColumnElement[bool]:
    """The citizen sees a remark under beroepsgeheim once its author released it to them (to
    ask their consent); passing it on takes the citizen's consent as well."""
    return or_(
        Activity.toelichting_beroepsgeheim.is_(False),
        _vrijgegeven_door(OBJECT_ACTIVITEIT, Activity.id, PARTIJ_AUTEUR),
    )


def comment_for_citizen() -> ColumnElement[bool]:
    return or_(
        PlanComment.beroepsgeheim.is_(False),
        _vrijgegeven_door(OBJECT_OPMERKING, PlanComment.id, PARTIJ_AUTEUR),
    )


def remark_shareable_to_others() -> ColumnElement[bool]:
    """What another organisation (at level *volledig*) or a trusted person may read of a remark:
    not under beroepsgeheim, or released by both the author's organisation and the citizen
    (rule 9; issue 16 #6). Screens, the API and exports all take it from here."""
    return _remark_shareable()


def comment_shareable_to_others() -> ColumnElement[bool]:
    """A comment under beroepsgeheim reaches others only once author and citizen released it."""
    return _comment_shareable()


def beroepsgeheim_visible(
    flag: Any, author_organisation_id: Any, user: User, is_regisseur: Any
) -> Any:
    """SQL condition: a row marked as given under beroepsgeheim is seen only by the author's
    organisation and the plan's regisseur (SPEC rule 9). ``is_regisseur`` is a bool or a SQL
    condition (for queries across plans). The same semantics as for plan comments, so the two
    can share this function."""
    conds: list[Any] = [flag.is_(False)]
    if is_regisseur is True:
        return true()
    if is_regisseur is not False:
        conds.append(is_regisseur)
    if user.organisation_id is not None and user.person_id is None:
        conds.append(author_organisation_id == user.organisation_id)
    return or_(*conds)


# --- what may leave the plan (exports and shares) ---------------------------------------------


def shareable_comments(plan_id: int) -> Select[PlanComment]:
    """Comments an export or share may include: not under beroepsgeheim, or released by both
    the author and the citizen. Every export or share of comments must use this query."""
    return (
        select(PlanComment)
        .where(PlanComment.plan_id == plan_id, _comment_shareable())
        .order_by(PlanComment.created_at, PlanComment.id)
    )


def shareable_activities(plan_id: int) -> list[tuple[Activity, bool]]:
    """Activities an export or share may include, each with whether its remark may go along.

    A remark under beroepsgeheim is not even loaded unless author and citizen both released it.
    Every export or share of activities must use this function.
    """
    with_remark = list(
        session.scalars(select(Activity).where(Activity.plan_id == plan_id, _remark_shareable()))
    )
    without = list(
        session.scalars(
            select(Activity)
            .options(load_only(*activity_columns(ACTIVITY_ZONDER_TOELICHTING), raiseload=True))
            .where(Activity.plan_id == plan_id, not_(_remark_shareable()))
        )
    )
    items = [(a, True) for a in with_remark] + [(a, False) for a in without]
    items.sort(key=lambda item: (item[0].start_date, item[0].id))
    return items
