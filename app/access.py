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
from sqlalchemy import and_, exists, false, or_, select
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


# --- the logboek ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogboekToegang:
    """Which logboek lines a user may read, and under which processing activity.

    * the privacy officer: every line (their reading is itself logged, under
      ``toezicht-logboek``, one line per person whose lines they saw);
    * a citizen: only lines about themselves, and only once a "disclose after" date has passed.
    Build with :func:`logboek_regels_voor`.
    """

    alles: bool
    eigen_pseudoniem: str | None
    verwerking: str
    day: dt.date

    def filter(self, requested: Any) -> Any:
        """Narrow a requested :class:`audit.LineFilter` to what may be read; ``None``: nothing."""
        from dataclasses import replace

        if self.alles:
            return requested
        if self.eigen_pseudoniem is None:
            return None
        if requested.data_subject_id not in (None, self.eigen_pseudoniem):
            return None
        return replace(requested, data_subject_id=self.eigen_pseudoniem, disclosed_on=self.day)


def logboek_regels_voor(user: User, *, day: dt.date | None = None) -> LogboekToegang | None:
    """The logboek lines this user may read, or ``None`` (a page they may not use: 403)."""
    day = day or today()
    if user.has_role(Rol.PRIVACY_OFFICER):
        return LogboekToegang(
            alles=True, eigen_pseudoniem=None, verwerking="toezicht-logboek", day=day
        )
    if user.person_id is not None:
        from app.inzage import logboek
        from audit import Subject

        # The citizen's own BSN, only to find their own lines; nothing is shown of it.
        bsn = session.execute(
            select(Person.bsn)
            .where(Person.id == user.person_id)
            .execution_options(audit_internal=True)
        ).scalar_one_or_none()
        pseudonym = logboek().pseudonymise(Subject("BSN", bsn)) if bsn else None
        return LogboekToegang(
            alles=False, eigen_pseudoniem=pseudonym, verwerking="inzage-betrokkene", day=day
        )
    return None
