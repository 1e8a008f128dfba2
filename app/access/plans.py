"""One plan as one user may see it (:class:`PlanToegang`, :func:`plan_for`) and the plans a user
may know (:func:`plans_visible_to`).

Views never load an object and then ask "may they?". They ask for a *query* of what the user may
see, or for a :class:`PlanToegang` that holds only what the user may see of one plan. What may
not be seen is not loaded (``load_only(..., raiseload=True)``), so a template cannot show it by
accident. A user who may not know a plan exists gets :class:`NotVisible` (404).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import exists, false, not_, or_, select
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.sql import ColumnElement, Select

from app.access.beroepsgeheim import (
    comment_for_citizen,
    comment_shareable_to_others,
    remark_for_citizen,
    remark_shareable_to_others,
)
from app.access.errors import NotVisible
from app.access.loading import (
    ACTIVITY_ZONDER_TOELICHTING,
    BUITENKANT,
    HOUSEHOLD_PERSON,
    PLAN_BESTAAT,
    VOL,
    ZONDER_TOELICHTING,
    activity_columns,
    buitenkant_only,
    person_names_only,
)
from app.access.paths import (
    ROL_VAN_PAD,
    Pad,
    VervangingInfo,
    niveau_van,
    path_for,
    paths,
    stand_in_grant,
    toestemming_ingetrokken,
)
from app.autorisaties.models import (
    NIVEAU_BUITENKANT,
    NIVEAU_GEEN,
    NIVEAU_VOLLEDIG,
    InzageNiveau,
)
from app.clock import today
from app.db import session
from app.domain import PlanBasis, Rol, UitvoerderSoort
from app.inkijk.models import OvergenomenFeit
from app.people.models import Person
from app.plans.afscherming import afgeschermd_voor
from app.plans.models import (
    ZICHTBAAR_ALLE_BETROKKENEN,
    ZICHTBAAR_EIGEN_ORGANISATIE,
    Activity,
    Betrokkenheid,
    Gezinslink,
    Plan,
    PlanComment,
    PlanGebeurtenis,
    Toestemming,
)
from app.users.models import User


@dataclass
class PlanToegang:
    """One plan as one user may see it; build with :func:`plan_for`."""

    plan: Plan
    user: User
    als: Rol
    day: dt.date
    niveau_anderen: str = NIVEAU_VOLLEDIG
    pad: Pad = Pad.REGISSEUR
    vervanging: VervangingInfo | None = None
    toestemming_is_ingetrokken: bool = False
    _cache: dict[str, Any] = field(default_factory=dict)

    # -- who is looking ------------------------------------------------------------------
    @property
    def is_regisseur(self) -> bool:
        """The plan's regisseur, or a colleague standing in (vervanging)."""
        return self.als is Rol.REGISSEUR

    @property
    def is_vervanger(self) -> bool:
        return self.pad is Pad.VERVANGING

    @property
    def is_hulpverlener(self) -> bool:
        return self.als is Rol.HULPVERLENER

    @property
    def is_inwoner(self) -> bool:
        return self.pad is Pad.INWONER

    @property
    def is_vertrouwenspersoon(self) -> bool:
        return self.pad is Pad.VERTROUWENSPERSOON

    @property
    def sees_content(self) -> bool:
        """False when the citizen chose "geen inzage" for the user's organisation."""
        return not (self.is_hulpverlener and self.niveau_anderen == NIVEAU_GEEN)

    # -- what the user may do ------------------------------------------------------------
    @property
    def _open(self) -> bool:
        return not self.plan.is_closed and not self.toestemming_is_ingetrokken

    @property
    def may_manage(self) -> bool:
        """Regisseur actions: edit plan, links, betrokkenheden, transfer."""
        return self.is_regisseur and self._open

    @property
    def may_link(self) -> bool:
        """Lay and break gezinslinks (rule 2): the regisseur, and a hulpverlener involved in the
        plan who sees its content."""
        return self._open and (self.is_regisseur or (self.is_hulpverlener and self.sees_content))

    @property
    def may_close(self) -> bool:
        return self.is_regisseur and not self.plan.is_closed

    @property
    def may_record_toestemming(self) -> bool:
        return (
            self.is_regisseur
            and not self.plan.is_closed
            and self.plan.basis == PlanBasis.TOESTEMMING
        )

    @property
    def may_add_activity(self) -> bool:
        """The regisseur; a hulpverlener for their own organisation, also under "geen inzage"
        (that level hides what others do, not their own work)."""
        if not self._open:
            return False
        return self.is_regisseur or (self.is_hulpverlener and self.user.organisation_id is not None)

    def may_edit_activity(self, activity: Activity) -> bool:
        if not self._open:
            return False
        if self.is_regisseur:
            return True
        if self.is_inwoner:
            return activity.door_huishouden  # the household's own activities
        return (
            self.is_hulpverlener
            and activity.organisation_id is not None
            and activity.organisation_id == self.user.organisation_id
        )

    @property
    def may_comment(self) -> bool:
        if not self._open:
            return False
        return self.is_regisseur or self.is_inwoner or (self.is_hulpverlener and self.sees_content)

    @property
    def may_mark_beroepsgeheim(self) -> bool:
        """Only a hulpverlener marks their own comments and remarks as beroepsgeheim (also under
        "geen inzage": the remark of their own organisation's activity is their own work; they
        cannot comment there, see :attr:`may_comment`)."""
        return self.is_hulpverlener

    @property
    def sees_household(self) -> bool:
        return self.is_regisseur or self.is_inwoner

    @property
    def sees_history(self) -> bool:
        return self.is_regisseur or self.is_inwoner

    @property
    def sees_niveaus(self) -> bool:
        return self.is_regisseur or self.is_inwoner

    # -- what the user may see -----------------------------------------------------------
    def _activities(self, key: str, stmt: Select[Activity] | None) -> list[Activity]:
        if key not in self._cache:
            if stmt is None:
                self._cache[key] = []
            else:
                self._cache[key] = list(
                    session.scalars(
                        stmt.where(Activity.plan_id == self.plan.id).order_by(
                            Activity.start_date, Activity.id
                        )
                    )
                )
        return self._cache[key]

    def _own(self) -> ColumnElement[bool]:
        return Activity.organisation_id == self.user.organisation_id

    def _others(self) -> ColumnElement[bool]:
        return or_(
            Activity.organisation_id.is_(None),
            Activity.organisation_id != self.user.organisation_id,
        )

    def activities_full(self) -> list[Activity]:
        """Activities the user sees completely, remark included."""
        base = select(Activity)
        stmt: Select[Activity] | None
        if self.is_regisseur:
            stmt = base
        elif self.is_hulpverlener:
            if not self.sees_content:  # "geen inzage": their own organisation's work only
                stmt = base.where(self._own())
            elif self.niveau_anderen == NIVEAU_VOLLEDIG:
                stmt = base.where(or_(self._own(), remark_shareable_to_others()))
            else:
                stmt = base.where(self._own())
        elif self.is_inwoner:
            stmt = base.where(remark_for_citizen())
        else:  # a trusted person: a remark under beroepsgeheim only once both released it
            stmt = base.where(remark_shareable_to_others())
        return self._activities("full", stmt)

    def activities_zonder_toelichting(self) -> list[Activity]:
        """Activities the user sees in full except the remark, which is under beroepsgeheim."""
        base = select(Activity).options(
            load_only(*activity_columns(ACTIVITY_ZONDER_TOELICHTING), raiseload=True)
        )
        stmt: Select[Activity] | None
        if self.is_regisseur:
            stmt = None
        elif self.is_hulpverlener:
            stmt = (
                base.where(self._others(), not_(remark_shareable_to_others()))
                if self.sees_content and self.niveau_anderen == NIVEAU_VOLLEDIG
                else None
            )
        elif self.is_inwoner:
            stmt = base.where(not_(remark_for_citizen()))
        else:
            stmt = base.where(not_(remark_shareable_to_others()))
        return self._activities("zonder-toelichting", stmt)

    def activities_buitenkant(self) -> list[Activity]:
        """Other organisations' activities: only organisation, kind, period, status."""
        stmt: Select[Activity] | None = None
        if self.is_hulpverlener and self.niveau_anderen == NIVEAU_BUITENKANT:
            stmt = select(Activity).options(buitenkant_only()).where(self._others())
        return self._activities("buitenkant", stmt)

    def activities(self) -> list[tuple[Activity, str]]:
        """Everything the user sees of the plan's activities, each with its mode."""
        items = (
            [(a, VOL) for a in self.activities_full()]
            + [(a, ZONDER_TOELICHTING) for a in self.activities_zonder_toelichting()]
            + [(a, BUITENKANT) for a in self.activities_buitenkant()]
        )
        items.sort(key=lambda item: (item[0].start_date, item[0].id))
        return items

    def activity(self, activity_id: int) -> Activity:
        """One activity the user may see in full (and may be allowed to edit), or 404."""
        stmt = select(Activity).where(Activity.plan_id == self.plan.id, Activity.id == activity_id)
        if self.is_regisseur:
            pass
        elif self.is_hulpverlener:  # at every level, their own organisation's activities
            stmt = stmt.where(self._own())
        elif self.is_inwoner:
            stmt = stmt.where(
                Activity.uitvoerder_soort == UitvoerderSoort.HUISHOUDEN, remark_for_citizen()
            )
        else:
            raise NotVisible
        found = session.scalars(stmt).first()
        if found is None:
            raise NotVisible
        return found

    def household(self) -> list[Gezinslink]:
        if not self.sees_household:
            return []
        pid = self.plan.person_id
        # Afscherming: the citizen's side never loads a shielded member (not even to leave
        # them out: loading is an inzage), nor is shown to them.
        hidden = sorted(afgeschermd_voor(pid)) if not self.is_regisseur else []
        links = list(
            session.scalars(
                select(Gezinslink)
                .where(or_(Gezinslink.person_a_id == pid, Gezinslink.person_b_id == pid))
                .where(Gezinslink.person_a_id.not_in(hidden), Gezinslink.person_b_id.not_in(hidden))
                .options(
                    joinedload(Gezinslink.person_a).load_only(*HOUSEHOLD_PERSON, raiseload=True),
                    joinedload(Gezinslink.person_b).load_only(*HOUSEHOLD_PERSON, raiseload=True),
                )
                .order_by(Gezinslink.verbroken_op.is_not(None), Gezinslink.gelegd_op, Gezinslink.id)
            )
        )
        return links

    def gezinslink(self, link_id: int) -> Gezinslink:
        if not self.may_link:
            raise NotVisible
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
            raise NotVisible
        return found

    def betrokkenheden(self) -> list[Betrokkenheid]:
        if not self.sees_content:
            return []
        stmt = select(Betrokkenheid).where(Betrokkenheid.plan_id == self.plan.id)
        if self.is_hulpverlener:
            stmt = stmt.where(Betrokkenheid.organisation_id == self.user.organisation_id)
        return list(session.scalars(stmt.order_by(Betrokkenheid.start_date, Betrokkenheid.id)))

    def betrokkenheid(self, betrokkenheid_id: int) -> Betrokkenheid:
        if not self.may_manage:
            raise NotVisible
        found = session.scalars(
            select(Betrokkenheid).where(
                Betrokkenheid.plan_id == self.plan.id, Betrokkenheid.id == betrokkenheid_id
            )
        ).first()
        if found is None:
            raise NotVisible
        return found

    def niveaus(self) -> dict[int, InzageNiveau]:
        """The citizen's choices per organisation (regisseur and citizen only)."""
        if not self.sees_niveaus:
            return {}
        return {
            n.organisation_id: n
            for n in session.scalars(
                select(InzageNiveau).where(InzageNiveau.plan_id == self.plan.id)
            )
        }

    def comments(self) -> list[PlanComment]:
        """The comments this user reads. Professionals by the comment's visibility (issue 16
        #9): the author's organisation always; the regisseur unless it is for the author's
        organisation only; hulpverleners of other organisations only what is meant for all
        involved and not under beroepsgeheim. The citizen: everything not under beroepsgeheim
        (or released to them)."""
        stmt = select(PlanComment).where(PlanComment.plan_id == self.plan.id)
        eigen = (
            PlanComment.author_organisation_id == self.user.organisation_id
            if self.user.organisation_id is not None and self.user.person_id is None
            else false()
        )
        if self.is_regisseur:
            stmt = stmt.where(or_(eigen, PlanComment.zichtbaarheid != ZICHTBAAR_EIGEN_ORGANISATIE))
        elif self.is_hulpverlener:
            if not self.sees_content:
                return []
            stmt = stmt.where(
                or_(
                    eigen,
                    (PlanComment.zichtbaarheid == ZICHTBAAR_ALLE_BETROKKENEN)
                    & PlanComment.beroepsgeheim.is_(False),
                    # Under beroepsgeheim, released by author and citizen: passed on to all
                    # involved (rule 9), unless meant for its own organisation only.
                    PlanComment.beroepsgeheim.is_(True)
                    & (PlanComment.zichtbaarheid != ZICHTBAAR_EIGEN_ORGANISATIE)
                    & comment_shareable_to_others(),
                )
            )
        elif self.is_inwoner:
            stmt = stmt.where(comment_for_citizen())
        else:  # a trusted person: under beroepsgeheim only once author and citizen released it
            stmt = stmt.where(comment_shareable_to_others())
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
        if not (self.is_regisseur or self.is_inwoner):
            return []
        return list(
            session.scalars(
                select(Toestemming)
                .where(Toestemming.plan_id == self.plan.id)
                .order_by(Toestemming.vastgelegd_op)
            )
        )


def plan_for(user: User, plan_id: int, *, day: dt.date | None = None) -> PlanToegang:
    """The plan as this user may see it, or 404 when they may not know it exists."""
    day = day or today()
    pad = path_for(user, plan_id, day)
    if pad is None:
        raise NotVisible
    niveau = NIVEAU_VOLLEDIG
    if pad is Pad.HULPVERLENER:
        niveau = niveau_van(plan_id, user.organisation_id)
    stmt = select(Plan).where(Plan.id == plan_id)
    if niveau == NIVEAU_GEEN:
        stmt = stmt.options(load_only(*PLAN_BESTAAT, raiseload=True), person_names_only())
    elif pad is Pad.VERTROUWENSPERSOON:
        stmt = stmt.options(person_names_only())
    vervanging = stand_in_grant(user, plan_id, pad)
    plan = session.scalars(stmt).first()
    if plan is None:  # pragma: no cover - deleted between the two queries
        raise NotVisible
    rol = ROL_VAN_PAD[pad]
    return PlanToegang(
        plan=plan,
        user=user,
        als=rol,
        day=day,
        niveau_anderen=niveau,
        pad=pad,
        vervanging=vervanging,
        toestemming_is_ingetrokken=(
            pad in (Pad.REGISSEUR, Pad.INWONER)
            and not plan.is_closed
            and toestemming_ingetrokken(plan_id)
        ),
    )


def plans_visible_to(
    user: User, *, day: dt.date | None = None, vervanging: bool = False, content: bool = False
) -> Select[Plan]:
    """All plans this user may know, as a query.

    ``vervanging``: include plans opened as a stand-in (only :func:`plan_for` does: every view
    of such a plan must be marked as emergency access). ``content``: leave out plans of which the
    user's organisation may see nothing but their existence ("geen inzage").
    """
    conds = list(paths(user, day or today(), vervanging=vervanging, content=content).values())
    if not conds:
        return select(Plan).where(false())
    return select(Plan).where(or_(*conds))


def activities_of_organisation(user: User, *, day: dt.date | None = None) -> Select[Activity]:
    """A hulpverlener's work list: their organisation's activities in the plans they reach, also
    where the citizen chose "geen inzage" for it (that hides others' work, not their own)."""
    if user.organisation_id is None:
        return select(Activity).where(false())
    visible = plans_visible_to(user, day=day).with_only_columns(Plan.id)
    return select(Activity).where(
        Activity.organisation_id == user.organisation_id,
        Activity.plan_id.in_(visible.execution_options(audit_internal=True)),
    )


def may_open(user: User, plan_id: int, *, day: dt.date | None = None) -> bool:
    """Whether the user reaches this plan by any path (an access decision: ids only, not
    logged): e.g. whether a link to it may be shown."""
    return path_for(user, plan_id, day or today()) is not None


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


def overgenomen_feiten(toegang: PlanToegang) -> list[Any]:
    """Facts copied into the plan from the inkijk: shown to the regisseur (and, through the
    portal, to the citizen); hulpverleners see only their own organisation's part of a plan."""
    if not toegang.is_regisseur:
        return []
    return list(
        session.scalars(
            select(OvergenomenFeit)
            .where(OvergenomenFeit.plan_id == toegang.plan.id)
            .order_by(OvergenomenFeit.overgenomen_op, OvergenomenFeit.id)
        )
    )


def persons_visible_to(user: User) -> ColumnElement[bool]:
    """Persons whose full data a staff user may look up (API): those of plans they may see
    into; for a regisseur also the members of their own plans' households."""
    ids = select(Plan.person_id).where(
        Plan.id.in_(plans_visible_to(user, content=True).with_only_columns(Plan.id))
    )
    own_cond = paths(user, today(), vervanging=False).get(Pad.REGISSEUR)
    if own_cond is not None:
        own = select(Plan.person_id).where(own_cond)
        members_a = select(Gezinslink.person_b_id).where(
            Gezinslink.person_a_id.in_(own), Gezinslink.verbroken_op.is_(None)
        )
        members_b = select(Gezinslink.person_a_id).where(
            Gezinslink.person_b_id.in_(own), Gezinslink.verbroken_op.is_(None)
        )
        return or_(Person.id.in_(ids), Person.id.in_(members_a), Person.id.in_(members_b))
    return Person.id.in_(ids)
