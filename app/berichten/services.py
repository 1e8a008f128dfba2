"""Messages: threads on a plan, posting, reading, unread counts. No request objects here.

Who may read what is decided in ``app/access/berichten.py`` and ``app/access/kern.py``: the plan
thread by everyone who may open the plan; a direct thread by the plan's regisseur and the one
hulpverlener, or the regisseur and the citizen; a message under beroepsgeheim only by the
author's organisation and the regisseur. Reading a message is an inzage of the plan person's
data (category ``berichten``), logged like any other load of personal data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.exc import IntegrityError

from app.access import PlanKern, statements
from app.access.berichten import (
    berichten_visible_condition,
    gesprekken_of,
    gesprekken_on_plan,
    unread_condition,
)
from app.access.paths import niveau_van, toestemming_ingetrokken
from app.autorisaties.models import NIVEAU_GEEN
from app.berichten import notify
from app.berichten.bijlagen import BijlageFout, controleer
from app.berichten.models import (
    SOORT_HULPVERLENER,
    SOORT_INWONER,
    SOORT_PLAN,
    Bericht,
    Bijlage,
    Gesprek,
    GesprekGelezen,
)
from app.clock import now, today
from app.db import session
from app.domain import Rol
from app.plans.models import Betrokkenheid, Plan
from app.users.models import User, UserRole

MAX_TEKST = 10_000


class BerichtError(ValueError):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Deelnemer:
    """Who a direct thread can be with, as the regisseur chooses."""

    sleutel: str  # "inwoner" or "hulpverlener:<user id>"
    label: str


def gesprek_titel(gesprek: Gesprek, kern: PlanKern) -> str:
    if gesprek.soort == SOORT_PLAN:
        return _("Gesprek met iedereen in het plan")
    if gesprek.soort == SOORT_INWONER:
        return _("Gesprek tussen de regisseur en de inwoner")
    h = gesprek.hulpverlener
    if kern.is_regisseur and h is not None:
        org = f" ({h.organisation.name})" if h.organisation else ""
        return _("Gesprek met %(name)s%(org)s", name=h.name, org=org)
    return _("Gesprek met de regisseur")


def gesprek_for(user: User, kern: PlanKern, gesprek_id: int) -> Gesprek:
    found = session.scalars(gesprekken_on_plan(user, kern).where(Gesprek.id == gesprek_id)).first()
    if found is None:
        abort(404)
    return found


def gesprekken(user: User, kern: PlanKern) -> list[Gesprek]:
    return list(
        session.scalars(
            gesprekken_on_plan(user, kern).order_by(
                Gesprek.soort != SOORT_PLAN, Gesprek.laatste_bericht_op.desc(), Gesprek.id
            )
        )
    )


def deelnemers(user: User, kern: PlanKern) -> list[Deelnemer]:
    """The direct threads this user may start on the plan."""
    if kern.als is Rol.HULPVERLENER:
        return [Deelnemer(f"{SOORT_HULPVERLENER}:{user.id}", _("De regisseur"))]
    if kern.als is Rol.BURGER:
        return [Deelnemer(SOORT_INWONER, _("De regisseur"))]
    out = [Deelnemer(SOORT_INWONER, _("De inwoner zelf"))]
    for helper in hulpverleners_on_plan(kern):
        org = f" ({helper.organisation.name})" if helper.organisation else ""
        if niveau_van(kern.id, helper.organisation_id) == NIVEAU_GEEN:
            # The citizen chose "geen inzage" for this organisation: say so where the regisseur
            # writes to it (issue 16 item 7): nothing of the plan belongs in such a message.
            org += _(" — geen inzage: deel niets uit het plan")
        out.append(Deelnemer(f"{SOORT_HULPVERLENER}:{helper.id}", f"{helper.name}{org}"))
    return out


def hulpverleners_on_plan(kern: PlanKern, day: dt.date | None = None) -> list[User]:
    """Hulpverleners who may open the plan now. Loads the betrokkenheden (logged: it shows
    which organisations help)."""
    day = day or today()
    if kern.is_closed or toestemming_ingetrokken(kern.id):
        return []  # nobody but the regisseur and the citizen works on such a plan
    active = list(
        session.scalars(
            select(Betrokkenheid).where(
                Betrokkenheid.plan_id == kern.id,
                Betrokkenheid.active_on(day),
            )
        )
    )
    if not active:
        return []
    conds = [
        and_(
            User.organisation_id == b.organisation_id,
            true() if b.user_id is None else User.id == b.user_id,
        )
        for b in active
    ]
    return list(
        session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Rol.HULPVERLENER, User.active.is_(True), or_(*conds))
            .order_by(User.name, User.id)
        ).unique()
    )


def _gesprek_sleutel(kern: PlanKern, user: User, met: str) -> tuple[str, int | None]:
    """Parse "plan", "inwoner" or "hulpverlener:<id>" into a thread this user may use."""
    if met == SOORT_PLAN:
        if not kern.sees_plan_thread:
            raise BerichtError(_("Kies met wie u het gesprek voert."), "met")
        return SOORT_PLAN, None
    allowed = {d.sleutel for d in deelnemers(user, kern)}
    if met not in allowed:
        raise BerichtError(_("Kies met wie u het gesprek voert."), "met")
    if met == SOORT_INWONER:
        return SOORT_INWONER, None
    return SOORT_HULPVERLENER, int(met.split(":", 1)[1])


def gesprek_openen(kern: PlanKern, user: User, met: str) -> Gesprek:
    """The thread (created when it does not exist yet)."""
    soort, hulpverlener_id = _gesprek_sleutel(kern, user, met)
    sleutel = Gesprek.maak_sleutel(kern.id, soort, hulpverlener_id)
    existing = session.scalars(select(Gesprek).where(Gesprek.sleutel == sleutel)).first()
    if existing is not None:
        return existing
    gesprek = Gesprek(
        plan_id=kern.id, soort=soort, hulpverlener_id=hulpverlener_id, sleutel=sleutel
    )
    try:
        with session.begin_nested():
            session.add(gesprek)
    except IntegrityError:  # someone opened the same thread at the same moment
        found = session.scalars(select(Gesprek).where(Gesprek.sleutel == sleutel)).first()
        if found is None:
            raise
        return found
    return gesprek


@dataclass(frozen=True)
class NieuweBijlage:
    bestandsnaam: str
    inhoud: bytes


def plaats_bericht(
    kern: PlanKern,
    gesprek: Gesprek,
    *,
    author: User,
    body: str,
    beroepsgeheim: bool = False,
    bijlagen: list[NieuweBijlage] | None = None,
) -> Bericht:
    body = (body or "").strip()
    if kern.is_closed:
        raise BerichtError(_("Het plan is afgesloten: er kunnen geen berichten meer bij."))
    if not body:
        raise BerichtError(_("Schrijf een bericht."), "body")
    if len(body) > MAX_TEKST:
        raise BerichtError(_("Gebruik hooguit %(MAX_TEKST)s tekens.", MAX_TEKST=MAX_TEKST), "body")
    if beroepsgeheim and kern.als is not Rol.HULPVERLENER:
        raise BerichtError(
            _("Alleen een hulpverlener geeft informatie onder beroepsgeheim."), "beroepsgeheim"
        )
    max_bytes = int(current_app.config["BERICHTEN_BIJLAGE_MAX_BYTES"])
    checked = []
    for b in bijlagen or []:
        try:
            checked.append(controleer(b.bestandsnaam, b.inhoud, max_bytes=max_bytes))
        except BijlageFout as exc:
            raise BerichtError(str(exc), "bijlage") from None
    org = author.organisation if kern.als is not Rol.BURGER else None
    bericht = Bericht(
        gesprek_id=gesprek.id,
        plan_id=kern.id,
        author_id=author.id,
        author_name=author.name,
        author_rol=kern.als.value,
        author_organisation_id=org.id if org else None,
        author_organisation=org.name if org else None,
        body=body,
        beroepsgeheim=beroepsgeheim,
        created_at=now(),
    )
    session.add(bericht)
    session.flush()
    for c in checked:
        session.add(
            Bijlage(
                bericht_id=bericht.id,
                plan_id=kern.id,
                bestandsnaam=c.bestandsnaam,
                mimetype=c.mimetype,
                grootte=c.grootte,
                sha256=c.sha256,
                inhoud=c.inhoud,
            )
        )
    gesprek.laatste_bericht_op = bericht.created_at
    session.flush()
    markeer_gelezen(gesprek, author, bericht.id)
    notify.queue(
        session,
        notify.opdracht(current_app.config, _mail_ontvangers(kern, gesprek, bericht), "/berichten"),
    )
    return bericht


def _mail_ontvangers(kern: PlanKern, gesprek: Gesprek, bericht: Bericht) -> list[str]:
    """E-mail addresses of everyone who may read this message, except its author."""
    if not current_app.config.get("BERICHTEN_MAIL"):
        return []
    users: list[User] = []
    regisseur = session.get(User, kern.regisseur_id)
    if regisseur is not None:
        users.append(regisseur)
    if gesprek.soort == SOORT_HULPVERLENER and gesprek.hulpverlener is not None:
        users.append(gesprek.hulpverlener)
    if gesprek.soort == SOORT_PLAN:
        day = today()
        active = session.execute(
            select(Betrokkenheid.organisation_id, Betrokkenheid.user_id)
            .where(
                Betrokkenheid.plan_id == kern.id,
                Betrokkenheid.active_on(day),
            )
            .execution_options(audit_internal=True)
        ).all()
        if active:
            conds = [
                and_(
                    User.organisation_id == org_id,
                    true() if user_id is None else User.id == user_id,
                )
                for org_id, user_id in active
            ]
            helpers = session.scalars(
                select(User)
                .join(UserRole)
                .where(UserRole.role == Rol.HULPVERLENER, User.active.is_(True), or_(*conds))
            ).unique()
            users += [
                u
                for u in helpers
                if not bericht.beroepsgeheim or u.organisation_id == bericht.author_organisation_id
            ]
    # The citizen is not mailed here: their notices are opt-in, at most once a day, sent by a
    # scheduled command (app/portaal/meldingen.py, issue 16 #13).
    return [u.email for u in users if u.id != bericht.author_id and u.active and u.email]


def berichten(user: User, kern: PlanKern, gesprek: Gesprek) -> list[Bericht]:
    return list(
        session.scalars(
            select(Bericht)
            .where(Bericht.gesprek_id == gesprek.id, berichten_visible_condition(user, kern))
            .order_by(Bericht.id)
        )
    )


def bijlage_for(user: User, kern: PlanKern, gesprek: Gesprek, bijlage_id: int) -> Bijlage:
    """An attachment of a message this user may read, or 404."""
    found = session.scalars(
        select(Bijlage)
        .join(Bericht, Bericht.id == Bijlage.bericht_id)
        .where(
            Bijlage.id == bijlage_id,
            Bericht.gesprek_id == gesprek.id,
            berichten_visible_condition(user, kern),
        )
    ).first()
    if found is None:
        abort(404)
    return found


def markeer_gelezen(gesprek: Gesprek, user: User, tot_bericht_id: int) -> None:
    marker = session.scalars(
        select(GesprekGelezen).where(
            GesprekGelezen.gesprek_id == gesprek.id, GesprekGelezen.user_id == user.id
        )
    ).first()
    if marker is None:
        try:
            with session.begin_nested():
                session.add(
                    GesprekGelezen(
                        gesprek_id=gesprek.id, user_id=user.id, tot_bericht_id=tot_bericht_id
                    )
                )
        except IntegrityError:  # marked at the same moment in another tab
            pass
        return
    if tot_bericht_id > marker.tot_bericht_id:
        marker.tot_bericht_id = tot_bericht_id
        marker.gelezen_op = now()


def ongelezen_per_gesprek(user: User, gesprek_ids: list[int]) -> dict[int, int]:
    if not gesprek_ids:
        return {}
    rows = session.execute(
        select(Bericht.gesprek_id, func.count(Bericht.id))
        .join(Plan, Plan.id == Bericht.plan_id)
        .where(Bericht.gesprek_id.in_(gesprek_ids), unread_condition(user))
        .group_by(Bericht.gesprek_id)
        .execution_options(audit_internal=True)
    )
    return {gid: n for gid, n in rows}


def ongelezen_totaal(user: User) -> int:
    """Unread messages in all threads the user may read (for the menu, on every staff page: the
    statement is kept per user and day, see app.access.statements)."""
    day = today()

    def build() -> Any:
        threads = gesprekken_of(user, day=day).with_only_columns(Gesprek.id).correlate(None)
        return (
            select(func.count(Bericht.id))
            .join(Plan, Plan.id == Bericht.plan_id)
            .where(Bericht.gesprek_id.in_(threads), unread_condition(user))
            .execution_options(audit_internal=True)
        )

    return int(session.execute(statements.built("ongelezen", user, day, build)).scalar_one())
