"""THE place that decides who may see what (SPEC rules 6, 8, 9, 12, 13, 16).

Views never load an object and then ask "may they?". They ask this module for a *query* of what
the user may see, or for a :class:`PlanToegang` that holds only what the user may see of one
plan. What may not be seen is not loaded (``load_only(..., raiseload=True)``), so a template
cannot show it by accident. A user who may not know an object exists gets 404.

How a user reaches a plan (:class:`Pad`, in this order of precedence):

* ``REGISSEUR`` — they are the plan's regisseur; a regisseur of an organisation that is not a
  municipality only while that organisation holds an active mandate for the plan's municipality.
* ``INWONER`` — the plan is about them (a citizen: a user with a person).
* ``VERVANGING`` — a colleague regisseur of the same organisation who gave a reason; time-limited,
  every line of the request is logged as emergency access with that reason.
* ``HULPVERLENER`` — an active betrokkenheid of their organisation (or of them personally) in a
  plan that is not closed.
* ``VERTROUWENSPERSOON`` — the citizen gave them (identified by BSN) read-only access, until an
  end date.

A plan on the basis *toestemming* whose consent was revoked is open only to the regisseur and the
citizen. The full table is in docs/architecture.md ("Who sees what").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flask import abort, g, has_app_context
from sqlalchemy import and_, case, exists, false, not_, or_, select, true
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.sql import ColumnElement, Select

from app.autorisaties.models import (
    NIVEAU_BUITENKANT,
    NIVEAU_GEEN,
    NIVEAU_VOLLEDIG,
    OBJECT_ACTIVITEIT,
    OBJECT_OPMERKING,
    PARTIJ_AUTEUR,
    PARTIJ_INWONER,
    STANDAARD_NIVEAU,
    BeroepsgeheimVrijgave,
    InzageNiveau,
    Vertrouwenspersoon,
    Vervanging,
)
from app.clock import now, today
from app.db import session
from app.domain import PlanBasis, PlanStatus, Rol, UitvoerderSoort
from app.logboek import get_ledger
from app.organisations.models import Mandaat
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

__all__ = [
    "NIVEAU_BUITENKANT",
    "NIVEAU_GEEN",
    "NIVEAU_VOLLEDIG",
    "Pad",
    "PlanToegang",
    "plan_for",
    "plans_visible_to",
]

# What the household section shows of each member: name and date of birth, not BSN or address.
HOUSEHOLD_PERSON = (
    Person.id,
    Person.voornamen,
    Person.tussenvoegsel,
    Person.achternaam,
    Person.geboortedatum,
)

# What anyone who only knows that a plan exists sees of the plan itself ("geen inzage"):
# no basis (it would say multiproblematiek was established), no closing reason.
PLAN_BESTAAT = (
    Plan.id,
    Plan.person_id,
    Plan.status,
    Plan.gemeente_id,
    Plan.regisseur_id,
    Plan.mandaat_id,
    Plan.updated_at,
    Plan.version,
)

# An activity seen in full except its remark (the remark is under beroepsgeheim).
ACTIVITY_ZONDER_TOELICHTING = tuple(
    c.key
    for c in Activity.__table__.columns
    if c.key not in ("toelichting", "toelichting_beroepsgeheim")
)

# Modes in which an activity is shown.
VOL = "vol"
ZONDER_TOELICHTING = "zonder-toelichting"
BUITENKANT = "buitenkant"


class Pad(StrEnum):
    """How a user reaches a plan; the first that applies wins."""

    REGISSEUR = "regisseur"
    INWONER = "inwoner"
    VERVANGING = "vervanging"
    HULPVERLENER = "hulpverlener"
    VERTROUWENSPERSOON = "vertrouwenspersoon"


_ROL_VAN_PAD = {
    Pad.REGISSEUR: Rol.REGISSEUR,
    Pad.VERVANGING: Rol.REGISSEUR,
    Pad.HULPVERLENER: Rol.HULPVERLENER,
    Pad.INWONER: Rol.BURGER,
    Pad.VERTROUWENSPERSOON: Rol.BURGER,
}


# --- the conditions ---------------------------------------------------------------------------


def consent_holds() -> ColumnElement[bool]:
    """A plan without revoked consent: not on basis toestemming, or with an active consent."""
    return or_(
        Plan.basis != PlanBasis.TOESTEMMING,
        exists()
        .where(Toestemming.plan_id == Plan.id, Toestemming.ingetrokken_op.is_(None))
        .correlate(Plan),
    )


def grant_holds(day: dt.date) -> ColumnElement[bool]:
    """A trusted person's grant that is not revoked and whose period includes ``day``."""
    return and_(
        Vertrouwenspersoon.ingetrokken_op.is_(None),
        Vertrouwenspersoon.geldig_van <= day,
        Vertrouwenspersoon.geldig_tot >= day,
    )


def _active_betrokkenheid(user: User, day: dt.date) -> ColumnElement[bool]:
    """An active betrokkenheid of the user's organisation (or of them personally)."""
    return (
        exists()
        .where(
            Betrokkenheid.plan_id == Plan.id,
            Betrokkenheid.organisation_id == user.organisation_id,
            or_(Betrokkenheid.user_id.is_(None), Betrokkenheid.user_id == user.id),
            Betrokkenheid.start_date <= day,
            or_(Betrokkenheid.end_date.is_(None), Betrokkenheid.end_date > day),
        )
        .correlate(Plan)
    )


def _niveau_is(organisation_id: int | None, niveau: str) -> ColumnElement[bool]:
    return (
        exists()
        .where(
            InzageNiveau.plan_id == Plan.id,
            InzageNiveau.organisation_id == organisation_id,
            InzageNiveau.niveau == niveau,
        )
        .correlate(Plan)
    )


def _mandate_holds(user: User, day: dt.date) -> ColumnElement[bool]:
    """A municipality's own regisseur, or one whose organisation holds the regietaak by mandate."""
    org = user.organisation
    if org is not None and org.is_gemeente:
        return true()
    if user.organisation_id is None:
        return false()
    return (
        exists()
        .where(
            Mandaat.organisation_id == user.organisation_id,
            Mandaat.gemeente_id == Plan.gemeente_id,
            Mandaat.valid_from <= day,
            or_(Mandaat.valid_until.is_(None), Mandaat.valid_until >= day),
        )
        .correlate(Plan)
    )


def _own_bsn(user: User) -> Any:
    return select(Person.bsn).where(Person.id == user.person_id).scalar_subquery()


def _paths(
    user: User, day: dt.date, *, vervanging: bool = True, content: bool = False
) -> dict[Pad, ColumnElement[bool]]:
    """The SQL condition of each way this user can reach a plan (absent: cannot)."""
    out: dict[Pad, ColumnElement[bool]] = {}
    if not user.active:
        return out
    if user.has_role(Rol.REGISSEUR):
        out[Pad.REGISSEUR] = and_(Plan.regisseur_id == user.id, _mandate_holds(user, day))
    if user.person_id is not None:
        out[Pad.INWONER] = Plan.person_id == user.person_id
    if vervanging and user.has_role(Rol.REGISSEUR) and user.organisation_id is not None:
        moment = now()
        out[Pad.VERVANGING] = and_(
            Plan.regisseur_id != user.id,
            exists()
            .where(
                Vervanging.plan_id == Plan.id,
                Vervanging.user_id == user.id,
                Vervanging.van <= moment,
                Vervanging.tot > moment,
            )
            .correlate(Plan),
            exists()
            .where(User.id == Plan.regisseur_id, User.organisation_id == user.organisation_id)
            .correlate(Plan),
            consent_holds(),
        )
    if user.has_role(Rol.HULPVERLENER) and user.organisation_id is not None:
        conds = [
            Plan.status != PlanStatus.AFGESLOTEN,
            _active_betrokkenheid(user, day),
            consent_holds(),
        ]
        if content:
            conds.append(not_(_niveau_is(user.organisation_id, NIVEAU_GEEN)))
        out[Pad.HULPVERLENER] = and_(*conds)
    if user.person_id is not None:
        out[Pad.VERTROUWENSPERSOON] = and_(
            Plan.person_id != user.person_id,
            exists()
            .where(
                Vertrouwenspersoon.person_id == Plan.person_id,
                Vertrouwenspersoon.bsn == _own_bsn(user),
                grant_holds(day),
            )
            .correlate(Plan),
            consent_holds(),
        )
    return out


def plans_visible_to(
    user: User, *, day: dt.date | None = None, vervanging: bool = False, content: bool = False
) -> Select[Plan]:
    """All plans this user may know, as a query.

    ``vervanging``: include plans opened as a stand-in (only :func:`plan_for` does: every view
    of such a plan must be marked as emergency access). ``content``: leave out plans of which the
    user's organisation may see nothing but their existence ("geen inzage").
    """
    conds = list(_paths(user, day or today(), vervanging=vervanging, content=content).values())
    if not conds:
        return select(Plan).where(false())
    return select(Plan).where(or_(*conds))


def _path_for(user: User, plan_id: int, day: dt.date) -> Pad | None:
    paths = _paths(user, day)
    if not paths:
        return None
    row = session.execute(
        select(*[case((cond, 1), else_=0).label(pad.value) for pad, cond in paths.items()])
        .select_from(Plan)
        .where(Plan.id == plan_id)
        .execution_options(audit_internal=True)
    ).first()
    if row is None:
        return None
    for pad in paths:
        if getattr(row, pad.value):
            return pad
    return None


def niveau_van(plan_id: int, organisation_id: int | None) -> str:
    """The level the citizen chose for this organisation (an access decision: not logged)."""
    if organisation_id is None:
        return NIVEAU_GEEN
    found = session.execute(
        select(InzageNiveau.niveau)
        .where(InzageNiveau.plan_id == plan_id, InzageNiveau.organisation_id == organisation_id)
        .execution_options(audit_internal=True)
    ).scalar()
    return found or STANDAARD_NIVEAU


def toestemming_ingetrokken(plan_id: int) -> bool:
    """A plan on basis toestemming without an active consent."""
    row = session.execute(
        select(Plan.id)
        .where(Plan.id == plan_id, Plan.basis == PlanBasis.TOESTEMMING, not_(consent_holds()))
        .execution_options(audit_internal=True)
    ).first()
    return row is not None


@dataclass(frozen=True)
class VervangingInfo:
    """The stand-in grant a user opened a plan with (shown on the page, not a citizen's data)."""

    id: int
    reden: str
    tot: dt.datetime
    voor: str


def _vervanging_info(user: User, plan_id: int) -> VervangingInfo | None:
    moment = now()
    row = session.execute(
        select(Vervanging.id, Vervanging.reden, Vervanging.tot, User.name)
        .join(User, User.id == Vervanging.voor_user_id)
        .where(
            Vervanging.plan_id == plan_id,
            Vervanging.user_id == user.id,
            Vervanging.van <= moment,
            Vervanging.tot > moment,
        )
        .order_by(Vervanging.tot.desc())
        .execution_options(audit_internal=True)
    ).first()
    if row is None:
        return None
    return VervangingInfo(id=row[0], reden=row[1], tot=row[2], voor=row[3])


# --- one plan as one user may see it -------------------------------------------------------


def _vrijgegeven_door(object_type: str, id_col: Any, partij: str) -> ColumnElement[bool]:
    return exists().where(
        BeroepsgeheimVrijgave.object_type == object_type,
        BeroepsgeheimVrijgave.object_id == id_col,
        BeroepsgeheimVrijgave.partij == partij,
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


def _remark_for_citizen() -> ColumnElement[bool]:
    """The citizen sees a remark under beroepsgeheim once its author released it to them (to
    ask their consent); passing it on takes the citizen's consent as well."""
    return or_(
        Activity.toelichting_beroepsgeheim.is_(False),
        _vrijgegeven_door(OBJECT_ACTIVITEIT, Activity.id, PARTIJ_AUTEUR),
    )


def _comment_for_citizen() -> ColumnElement[bool]:
    return or_(
        PlanComment.beroepsgeheim.is_(False),
        _vrijgegeven_door(OBJECT_OPMERKING, PlanComment.id, PARTIJ_AUTEUR),
    )


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
        if not self._open:
            return False
        return self.is_regisseur or (
            self.is_hulpverlener and self.sees_content and self.user.organisation_id is not None
        )

    def may_edit_activity(self, activity: Activity) -> bool:
        if not self._open:
            return False
        if self.is_regisseur:
            return True
        if self.is_inwoner:
            return activity.door_huishouden  # the household's own activities
        return (
            self.is_hulpverlener
            and self.sees_content
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
        """Only a hulpverlener marks their own comments and remarks as beroepsgeheim."""
        return self.is_hulpverlener and self.sees_content

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
            if not self.sees_content:
                stmt = None
            elif self.niveau_anderen == NIVEAU_VOLLEDIG:
                stmt = base.where(or_(self._own(), _remark_shareable_to_others()))
            else:
                stmt = base.where(self._own())
        elif self.is_inwoner:
            stmt = base.where(_remark_for_citizen())
        else:  # a trusted person never sees a remark under beroepsgeheim
            stmt = base.where(Activity.toelichting_beroepsgeheim.is_(False))
        return self._activities("full", stmt)

    def activities_zonder_toelichting(self) -> list[Activity]:
        """Activities the user sees in full except the remark, which is under beroepsgeheim."""
        base = select(Activity).options(
            load_only(*_cols(ACTIVITY_ZONDER_TOELICHTING), raiseload=True)
        )
        stmt: Select[Activity] | None
        if self.is_regisseur:
            stmt = None
        elif self.is_hulpverlener:
            stmt = (
                base.where(self._others(), not_(_remark_shareable_to_others()))
                if self.sees_content and self.niveau_anderen == NIVEAU_VOLLEDIG
                else None
            )
        elif self.is_inwoner:
            stmt = base.where(not_(_remark_for_citizen()))
        else:
            stmt = base.where(Activity.toelichting_beroepsgeheim.is_(True))
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
        elif self.is_hulpverlener and self.sees_content:
            stmt = stmt.where(self._own())
        elif self.is_inwoner:
            stmt = stmt.where(
                Activity.uitvoerder_soort == UitvoerderSoort.HUISHOUDEN, _remark_for_citizen()
            )
        else:
            abort(404)
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
        if not self.sees_content:
            return []
        stmt = select(Betrokkenheid).where(Betrokkenheid.plan_id == self.plan.id)
        if self.is_hulpverlener:
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
        stmt = select(PlanComment).where(PlanComment.plan_id == self.plan.id)
        if self.is_regisseur:
            pass
        elif self.is_hulpverlener:
            if not self.sees_content:
                return []
            stmt = stmt.where(PlanComment.author_organisation_id == self.user.organisation_id)
        elif self.is_inwoner:
            stmt = stmt.where(_comment_for_citizen())
        else:
            stmt = stmt.where(PlanComment.beroepsgeheim.is_(False))
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


def _cols(names: tuple[str, ...]) -> list[Any]:
    return [getattr(Activity, c) for c in names]


def _remark_shareable_to_others() -> ColumnElement[bool]:
    """Another organisation never sees a remark under beroepsgeheim, consent or not.

    Consent of author and citizen opens exports and shares (see :func:`shareable_activities`),
    not the screens of other organisations.
    """
    return Activity.toelichting_beroepsgeheim.is_(False)


def _mark_path(user: User, plan_id: int, pad: Pad) -> VervangingInfo | None:
    """Say how the user reached the plan: the role for the logboek and, for a stand-in, the
    emergency flag and reason on every line this request writes."""
    vervanging = None
    if pad is Pad.VERVANGING:
        vervanging = _vervanging_info(user, plan_id)
        if vervanging is None:  # pragma: no cover - ended between the two queries
            abort(404)
        ledger = get_ledger(session)
        if ledger is not None:
            ledger.emergency = True
            ledger.reason = vervanging.reden
    if has_app_context():
        g.acting_role = _ROL_VAN_PAD[pad]
        if pad is Pad.VERTROUWENSPERSOON:
            g.acting_label = "Vertrouwenspersoon van de inwoner"
        elif pad is Pad.VERVANGING:
            g.acting_label = "Regisseur (vervanging)"
    return vervanging


def plan_for(user: User, plan_id: int, *, day: dt.date | None = None) -> PlanToegang:
    """The plan as this user may see it, or 404 when they may not know it exists."""
    day = day or today()
    pad = _path_for(user, plan_id, day)
    if pad is None:
        abort(404)
    niveau = NIVEAU_VOLLEDIG
    if pad is Pad.HULPVERLENER:
        niveau = niveau_van(plan_id, user.organisation_id)
    stmt = select(Plan).where(Plan.id == plan_id)
    if niveau == NIVEAU_GEEN:
        stmt = stmt.options(load_only(*PLAN_BESTAAT, raiseload=True), person_names_only())
    elif pad is Pad.VERTROUWENSPERSOON:
        stmt = stmt.options(person_names_only())
    vervanging = _mark_path(user, plan_id, pad)
    plan = session.scalars(stmt).first()
    if plan is None:  # pragma: no cover - deleted between the two queries
        abort(404)
    rol = _ROL_VAN_PAD[pad]
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


# --- lists --------------------------------------------------------------------------------


def activities_of_organisation(user: User, *, day: dt.date | None = None) -> Select[Activity]:
    """A hulpverlener's work list: their organisation's activities in plans they may see into."""
    if user.organisation_id is None:
        return select(Activity).where(false())
    visible = plans_visible_to(user, day=day, content=True).with_only_columns(Plan.id)
    return select(Activity).where(
        Activity.organisation_id == user.organisation_id,
        Activity.plan_id.in_(visible.execution_options(audit_internal=True)),
    )


def person_names_only() -> Any:
    """Loader option for lists of plans: the person's name and date of birth, not BSN or address."""
    return joinedload(Plan.person).load_only(*HOUSEHOLD_PERSON, raiseload=True)


def plan_list_options(user: User) -> list[Any]:
    """Loader options for a list of plans as this user sees it.

    A regisseur's list shows the plan's basis; anyone else's list shows only that a plan exists,
    its status and its regisseur (a hulpverlener's list may hold plans with "geen inzage").
    """
    opts = [person_names_only()]
    if not user.has_role(Rol.REGISSEUR):
        opts.append(load_only(*PLAN_BESTAAT, raiseload=True))
    return opts


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
# These functions reach a plan by the same paths as plan_for() (_path_for, _mark_path). The
# access checks here load ids only (audit_internal): they show nothing; what a page shows is
# loaded and logged by the page.
# =============================================================================================


@dataclass(frozen=True)
class PlanKern:
    """The ids of a plan the user may open, the role they have on it, and how they got there."""

    id: int
    person_id: int
    regisseur_id: int
    status: str
    als: Rol
    pad: Pad = Pad.REGISSEUR
    niveau: str = NIVEAU_VOLLEDIG

    @property
    def is_closed(self) -> bool:
        return self.status == PlanStatus.AFGESLOTEN

    @property
    def is_regisseur(self) -> bool:
        return self.als is Rol.REGISSEUR

    @property
    def sees_plan_thread(self) -> bool:
        """The plan's message thread carries content: not for "geen inzage" or trusted people."""
        return self.niveau != NIVEAU_GEEN and self.pad is not Pad.VERTROUWENSPERSOON


def plan_kern_for(user: User, plan_id: int, *, day: dt.date | None = None) -> PlanKern:
    """The plan's ids and the user's role on it, or 404 when they may not open the plan.

    The same paths as :func:`plan_for` (a stand-in's access is marked as emergency access).
    """
    day = day or today()
    pad = _path_for(user, plan_id, day)
    if pad is None:
        abort(404)
    row = session.execute(
        select(Plan.id, Plan.person_id, Plan.regisseur_id, Plan.status)
        .where(Plan.id == plan_id)
        .execution_options(audit_internal=True)
    ).first()
    if row is None:  # pragma: no cover - deleted between the two queries
        abort(404)
    _mark_path(user, plan_id, pad)
    niveau = NIVEAU_VOLLEDIG
    if pad is Pad.HULPVERLENER:
        niveau = niveau_van(plan_id, user.organisation_id)
    return PlanKern(
        row.id, row.person_id, row.regisseur_id, row.status, _ROL_VAN_PAD[pad], pad, niveau
    )


# --- inkijk: only the plan's regisseur, only while the plan is open ------------------------


def inkijk_plan_for(user: User, plan_id: int) -> PlanKern:
    """A plan as the purpose (doel) of an inkijk: the user manages it (regisseur or stand-in),
    the plan is open and its legal basis holds (no revoked consent); else 404."""
    kern = plan_kern_for(user, plan_id)
    if not kern.is_regisseur or kern.is_closed or toestemming_ingetrokken(plan_id):
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
    from app.berichten.models import SOORT_PLAN, Gesprek

    is_reg = true() if kern.is_regisseur else false()
    is_person = true() if kern.pad is Pad.INWONER else false()
    stmt = select(Gesprek).where(
        Gesprek.plan_id == kern.id, gesprek_visible(user, Gesprek, is_reg, is_person)
    )
    if not kern.sees_plan_thread:
        stmt = stmt.where(Gesprek.soort != SOORT_PLAN)
    return stmt


def berichten_visible_condition(user: User, kern: PlanKern) -> Any:
    from app.berichten.models import Bericht

    return beroepsgeheim_visible(
        Bericht.beroepsgeheim, Bericht.author_organisation_id, user, kern.is_regisseur
    )


def gesprekken_of(user: User, *, day: dt.date | None = None) -> Any:
    """All threads the user may read, across the plans they may open (for the inbox).

    The same rules as :func:`gesprekken_on_plan`: trusted people take no part in messages, and an
    organisation with "geen inzage" sees only its own direct thread, not the plan's thread.
    """
    from app.berichten.models import SOORT_PLAN, Gesprek

    day = day or today()
    reach = [
        c for p, c in _paths(user, day, vervanging=False).items() if p is not Pad.VERTROUWENSPERSOON
    ]
    content = [
        c
        for p, c in _paths(user, day, vervanging=False, content=True).items()
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


def persons_visible_to(user: User) -> ColumnElement[bool]:
    """Persons whose full data a staff user may look up (API): those of plans they may see
    into; for a regisseur also the members of their own plans' households."""
    ids = select(Plan.person_id).where(
        Plan.id.in_(plans_visible_to(user, content=True).with_only_columns(Plan.id))
    )
    own_cond = _paths(user, today(), vervanging=False).get(Pad.REGISSEUR)
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


# --- beroepsgeheim: what may leave the plan (exports and shares) ---------------------------


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
            .options(load_only(*_cols(ACTIVITY_ZONDER_TOELICHTING), raiseload=True))
            .where(Activity.plan_id == plan_id, not_(_remark_shareable()))
        )
    )
    items = [(a, True) for a in with_remark] + [(a, False) for a in without]
    items.sort(key=lambda item: (item[0].start_date, item[0].id))
    return items


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
        from app.logboek import current_logboek as logboek
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


# --- signalen and the afwegingskader (rule 13) ----------------------------------------------
#
# A signal is visible only to the citizen it concerns, the regisseurs of the signal team (the
# regisseurs of a municipality: the team that weighs signals) and of the plan made from it, and
# the melder — who sees only the status of their own signal (services.mijn_meldingen).


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
    from app.signalen.models import Afweging

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
    from app.signalen.models import Afweging

    found = session.scalars(afwegingen_visible_to(user).where(Afweging.id == afweging_id)).first()
    if found is None:
        abort(404)
    return found


def signalen_visible_to(user: User) -> Select[Any]:
    """Signals (not forgotten) the user may read in full."""
    from app.signalen.models import Afweging, Vroegsignaal

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
