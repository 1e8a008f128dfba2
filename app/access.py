"""THE place that decides who may see what (SPEC rules 6, 8, 9, 12, 13, 16).

Views never load an object and then ask "may they?". They ask this module for a *query* of what
the user may see, or for a :class:`PlanToegang` that holds only what the user may see of one
plan. What may not be seen is not loaded (deferred columns raise instead of loading), so a
template cannot show it by accident. A user who may not know an object exists gets 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask import abort, g
from sqlalchemy import and_, exists, false, or_, select, true
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.sql import Select

from app.clock import today
from app.db import session
from app.domain import PlanStatus, Rol
from app.people.models import Person
from app.plans.models import (
    Activity,
    Betrokkenheid,
    Gezinslink,
    Plan,
    PlanComment,
    PlanGebeurtenis,
    Toestemming,
)
from app.users.models import User

# What the household section shows of each member: name and date of birth, not BSN or address.
HOUSEHOLD_PERSON = (
    Person.id,
    Person.voornamen,
    Person.tussenvoegsel,
    Person.achternaam,
    Person.geboortedatum,
)

# How much of the other organisations' work a hulpverlener sees (the citizen can change it).
NIVEAU_GEEN = "geen"
NIVEAU_BUITENKANT = "buitenkant"
NIVEAU_VOLLEDIG = "volledig"


def _active_betrokkenheid(user: User, day: dt.date) -> Any:
    """SQL condition: an active betrokkenheid of the user's organisation (or of them personally)."""
    return (
        select(Betrokkenheid.id)
        .where(
            Betrokkenheid.plan_id == Plan.id,
            Betrokkenheid.organisation_id == user.organisation_id,
            or_(Betrokkenheid.user_id.is_(None), Betrokkenheid.user_id == user.id),
            Betrokkenheid.start_date <= day,
            or_(Betrokkenheid.end_date.is_(None), Betrokkenheid.end_date > day),
        )
        .correlate(Plan)
        .exists()
    )


def plans_visible_to(user: User, *, day: dt.date | None = None) -> Select[Plan]:
    """All plans this user may open, as a query."""
    day = day or today()
    conds: list[Any] = []
    if user.has_role(Rol.REGISSEUR):
        conds.append(Plan.regisseur_id == user.id)
    if user.has_role(Rol.HULPVERLENER) and user.organisation_id is not None:
        conds.append(and_(Plan.status != PlanStatus.AFGESLOTEN, _active_betrokkenheid(user, day)))
    if user.person_id is not None:
        conds.append(Plan.person_id == user.person_id)
    if not conds:
        return select(Plan).where(false())
    return select(Plan).where(or_(*conds))


@dataclass
class PlanToegang:
    """One plan as one user may see it; build with :func:`plan_for`."""

    plan: Plan
    user: User
    als: Rol
    day: dt.date
    niveau_anderen: str = NIVEAU_BUITENKANT
    _cache: dict[str, Any] = field(default_factory=dict)

    # -- what the user may do ------------------------------------------------------------
    @property
    def is_regisseur(self) -> bool:
        return self.als is Rol.REGISSEUR

    @property
    def may_manage(self) -> bool:
        """Regisseur actions: edit plan, links, betrokkenheden, close."""
        return self.is_regisseur and not self.plan.is_closed

    @property
    def may_add_activity(self) -> bool:
        if self.plan.is_closed:
            return False
        return self.is_regisseur or (
            self.als is Rol.HULPVERLENER and self.user.organisation_id is not None
        )

    def may_edit_activity(self, activity: Activity) -> bool:
        if self.plan.is_closed:
            return False
        if self.is_regisseur:
            return True
        return (
            self.als is Rol.HULPVERLENER
            and activity.organisation_id is not None
            and activity.organisation_id == self.user.organisation_id
        )

    @property
    def may_comment(self) -> bool:
        return not self.plan.is_closed and self.als in (Rol.REGISSEUR, Rol.HULPVERLENER)

    @property
    def sees_household(self) -> bool:
        return self.als is Rol.REGISSEUR

    @property
    def sees_history(self) -> bool:
        return self.als is Rol.REGISSEUR

    # -- what the user may see -----------------------------------------------------------
    def _own_org_condition(self) -> Any:
        return Activity.organisation_id == self.user.organisation_id

    def activities_full(self) -> list[Activity]:
        """Activities the user sees completely."""
        if "full" not in self._cache:
            stmt = select(Activity).where(Activity.plan_id == self.plan.id)
            if not self.is_regisseur:
                stmt = stmt.where(self._own_org_condition())
            self._cache["full"] = list(
                session.scalars(stmt.order_by(Activity.start_date, Activity.id))
            )
        return self._cache["full"]

    def activities_buitenkant(self) -> list[Activity]:
        """Other organisations' activities: only organisation, kind, period, status."""
        if "buitenkant" not in self._cache:
            if self.is_regisseur or self.niveau_anderen == NIVEAU_GEEN:
                self._cache["buitenkant"] = []
            else:
                # Until the citizen's levels exist, hulpverleners see only their own part.
                self._cache["buitenkant"] = []
        return self._cache["buitenkant"]

    def activity(self, activity_id: int) -> Activity:
        """One activity the user may edit, or 404."""
        stmt = select(Activity).where(Activity.plan_id == self.plan.id, Activity.id == activity_id)
        if not self.is_regisseur:
            stmt = stmt.where(self._own_org_condition())
        found = session.scalars(stmt).first()
        if found is None:
            abort(404)
        return found

    def household(self) -> list[Gezinslink]:
        if not self.sees_household:
            return []
        pid = self.plan.person_id
        return list(
            session.scalars(
                select(Gezinslink)
                .where(or_(Gezinslink.person_a_id == pid, Gezinslink.person_b_id == pid))
                .options(
                    joinedload(Gezinslink.person_a).load_only(*HOUSEHOLD_PERSON, raiseload=True),
                    joinedload(Gezinslink.person_b).load_only(*HOUSEHOLD_PERSON, raiseload=True),
                )
                .order_by(Gezinslink.verbroken_op.is_not(None), Gezinslink.gelegd_op, Gezinslink.id)
            )
        )

    def gezinslink(self, link_id: int) -> Gezinslink:
        if not self.may_manage:
            abort(404)
        pid = self.plan.person_id
        found = session.scalars(
            select(Gezinslink)
            .where(
                Gezinslink.id == link_id,
                or_(Gezinslink.person_a_id == pid, Gezinslink.person_b_id == pid),
            )
            .options(
                joinedload(Gezinslink.person_a).load_only(*HOUSEHOLD_PERSON, raiseload=True),
                joinedload(Gezinslink.person_b).load_only(*HOUSEHOLD_PERSON, raiseload=True),
            )
        ).first()
        if found is None:
            abort(404)
        return found

    def betrokkenheden(self) -> list[Betrokkenheid]:
        stmt = select(Betrokkenheid).where(Betrokkenheid.plan_id == self.plan.id)
        if not self.is_regisseur:
            stmt = stmt.where(Betrokkenheid.organisation_id == self.user.organisation_id)
        return list(session.scalars(stmt.order_by(Betrokkenheid.start_date, Betrokkenheid.id)))

    def betrokkenheid(self, betrokkenheid_id: int) -> Betrokkenheid:
        if not self.may_manage:
            abort(404)
        found = session.scalars(
            select(Betrokkenheid).where(
                Betrokkenheid.plan_id == self.plan.id, Betrokkenheid.id == betrokkenheid_id
            )
        ).first()
        if found is None:
            abort(404)
        return found

    def comments(self) -> list[PlanComment]:
        stmt = select(PlanComment).where(PlanComment.plan_id == self.plan.id)
        if not self.is_regisseur:
            stmt = stmt.where(PlanComment.author_organisation_id == self.user.organisation_id)
        return list(session.scalars(stmt.order_by(PlanComment.created_at, PlanComment.id)))

    def history(self, limit: int = 50) -> list[PlanGebeurtenis]:
        if not self.sees_history:
            return []
        return list(
            session.scalars(
                select(PlanGebeurtenis)
                .where(PlanGebeurtenis.plan_id == self.plan.id)
                .order_by(PlanGebeurtenis.at.desc(), PlanGebeurtenis.id.desc())
                .limit(limit)
            )
        )

    def toestemmingen(self) -> list[Toestemming]:
        if not self.is_regisseur:
            return []
        return list(
            session.scalars(
                select(Toestemming)
                .where(Toestemming.plan_id == self.plan.id)
                .order_by(Toestemming.vastgelegd_op)
            )
        )


def _role_for(user: User, plan: Plan, day: dt.date) -> Rol | None:
    if user.has_role(Rol.REGISSEUR) and plan.regisseur_id == user.id:
        return Rol.REGISSEUR
    if user.person_id is not None and plan.person_id == user.person_id:
        return Rol.BURGER
    if user.has_role(Rol.HULPVERLENER) and user.organisation_id is not None:
        return Rol.HULPVERLENER
    return None


def plan_for(user: User, plan_id: int, *, day: dt.date | None = None) -> PlanToegang:
    """The plan as this user may see it, or 404 when they may not know it exists."""
    day = day or today()
    plan = session.scalars(plans_visible_to(user, day=day).where(Plan.id == plan_id)).first()
    if plan is None:
        abort(404)
    role = _role_for(user, plan, day)
    if role is None:  # pragma: no cover - plans_visible_to and _role_for must agree
        abort(404)
    g.acting_role = role
    return PlanToegang(plan=plan, user=user, als=role, day=day)


def activities_of_organisation(user: User, *, day: dt.date | None = None) -> Select[Activity]:
    """A hulpverlener's work list: their organisation's activities in plans they may open."""
    if user.organisation_id is None:
        return select(Activity).where(false())
    visible = plans_visible_to(user, day=day).with_only_columns(Plan.id)
    return select(Activity).where(
        Activity.organisation_id == user.organisation_id,
        Activity.plan_id.in_(visible.execution_options(audit_internal=True)),
    )


def person_names_only() -> Any:
    """Loader option for lists of plans: the person's name and date of birth, not BSN or address."""
    return joinedload(Plan.person).load_only(*HOUSEHOLD_PERSON, raiseload=True)


def buitenkant_only() -> Any:
    """Loader option for activities seen from outside: other columns are not loaded."""
    return load_only(*[getattr(Activity, c) for c in Activity.BUITENKANT], raiseload=True)


def any_plan_exists_for(person_id: int) -> Plan | None:
    """For refusing a second plan: the existing plan (its load is logged as any other)."""
    return session.scalars(select(Plan).where(Plan.person_id == person_id)).first()


def exists_plan(person_id: int) -> bool:
    return bool(
        session.execute(
            select(exists().where(Plan.person_id == person_id)).execution_options(
                audit_internal=True
            )
        ).scalar()
    )


# =============================================================================================
# Inkijk and berichten (issue 7)
#
# Kept in one section so that the rework of the plan rules (autorisaties) merges cleanly. These
# functions build on plans_visible_to() and apply the same role rule as _role_for(); when the
# plan rules change there (stand-in regisseur, citizen levels, trusted people), change
# _rol_op_plan() with them. The access checks here load ids only (audit_internal): they show
# nothing; what a page shows is loaded and logged by the page.
# =============================================================================================


@dataclass(frozen=True)
class PlanKern:
    """The ids of a plan the user may open, and the role they have on it."""

    id: int
    person_id: int
    regisseur_id: int
    status: str
    als: Rol

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.AFGESLOTEN

    @property
    def is_regisseur(self) -> bool:
        return self.als is Rol.REGISSEUR


def _rol_op_plan(user: User, regisseur_id: int, person_id: int) -> Rol | None:
    """The same rule as _role_for(), on ids."""
    if user.has_role(Rol.REGISSEUR) and regisseur_id == user.id:
        return Rol.REGISSEUR
    if user.person_id is not None and person_id == user.person_id:
        return Rol.BURGER
    if user.has_role(Rol.HULPVERLENER) and user.organisation_id is not None:
        return Rol.HULPVERLENER
    return None


def plan_kern_for(user: User, plan_id: int, *, day: dt.date | None = None) -> PlanKern:
    """The plan's ids and the user's role on it, or 404 when they may not open the plan."""
    row = session.execute(
        plans_visible_to(user, day=day)
        .where(Plan.id == plan_id)
        .with_only_columns(Plan.id, Plan.person_id, Plan.regisseur_id, Plan.status)
        .execution_options(audit_internal=True)
    ).first()
    if row is None:
        abort(404)
    role = _rol_op_plan(user, row.regisseur_id, row.person_id)
    if role is None:  # pragma: no cover - plans_visible_to and _rol_op_plan must agree
        abort(404)
    g.acting_role = role
    return PlanKern(row.id, row.person_id, row.regisseur_id, row.status, role)


# --- inkijk: only the plan's regisseur, only while the plan is open ------------------------


def inkijk_plan_for(user: User, plan_id: int) -> PlanKern:
    """A plan as the purpose (doel) of an inkijk: the user manages it; else 404."""
    kern = plan_kern_for(user, plan_id)
    if not kern.is_regisseur or kern.is_closed:
        abort(404)
    return kern


def household_person_ids(person_id: int) -> list[int]:
    """The person and the members of their household (active gezinslinks), ids only."""
    rows = session.execute(
        select(Gezinslink.person_a_id, Gezinslink.person_b_id)
        .where(
            or_(Gezinslink.person_a_id == person_id, Gezinslink.person_b_id == person_id),
            Gezinslink.verbroken_op.is_(None),
        )
        .execution_options(audit_internal=True)
    ).all()
    others = sorted({b if a == person_id else a for a, b in rows} - {person_id})
    return [person_id, *others]


# --- berichten ------------------------------------------------------------------------------


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


def _is_regisseur_sql(user: User) -> Any:
    if not user.has_role(Rol.REGISSEUR):
        return false()
    return Plan.regisseur_id == user.id


def gesprek_visible(user: User, gesprek: Any, is_regisseur: Any, is_person: Any) -> Any:
    """SQL condition on ``Gesprek``: the plan thread for everyone on the plan; a direct thread
    for the plan's regisseur and the one hulpverlener, or the regisseur and the citizen."""
    from app.berichten.models import SOORT_HULPVERLENER, SOORT_INWONER, SOORT_PLAN

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
    from app.berichten.models import Gesprek

    is_reg = true() if kern.is_regisseur else false()
    is_person = true() if kern.als is Rol.BURGER else false()
    return select(Gesprek).where(
        Gesprek.plan_id == kern.id, gesprek_visible(user, Gesprek, is_reg, is_person)
    )


def berichten_visible_condition(user: User, kern: PlanKern) -> Any:
    from app.berichten.models import Bericht

    return beroepsgeheim_visible(
        Bericht.beroepsgeheim, Bericht.author_organisation_id, user, kern.is_regisseur
    )


def gesprekken_of(user: User, *, day: dt.date | None = None) -> Any:
    """All threads the user may read, across the plans they may open (for the inbox)."""
    from app.berichten.models import Gesprek

    visible = plans_visible_to(user, day=day).with_only_columns(Plan.id).correlate(None)
    is_person = Plan.person_id == user.person_id if user.person_id is not None else false()
    return (
        select(Gesprek)
        .join(Plan, Plan.id == Gesprek.plan_id)
        .where(
            Gesprek.plan_id.in_(visible),
            gesprek_visible(user, Gesprek, _is_regisseur_sql(user), is_person),
        )
    )


def unread_condition(user: User) -> Any:
    """SQL condition on ``Bericht`` (joined with its Gesprek and Plan): unread by the user and
    visible to them (beroepsgeheim)."""
    from app.berichten.models import Bericht, GesprekGelezen

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


def overgenomen_feiten(toegang: PlanToegang) -> list[Any]:
    """Facts copied into the plan from the inkijk: shown to the regisseur (and, through the
    portal, to the citizen); hulpverleners see only their own organisation's part of a plan."""
    from app.inkijk.models import OvergenomenFeit

    if not toegang.is_regisseur:
        return []
    return list(
        session.scalars(
            select(OvergenomenFeit)
            .where(OvergenomenFeit.plan_id == toegang.plan.id)
            .order_by(OvergenomenFeit.overgenomen_op, OvergenomenFeit.id)
        )
    )
