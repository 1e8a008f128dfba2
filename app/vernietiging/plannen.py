"""Destroying closed plans whose term has passed: the plan with everything that hangs off it.

What goes, in one transaction per batch of plans: the plan's activities, comments, message
threads with their messages and attachments (stored in the database: the bytes go with the row),
consents, involvements, history, secrecy releases, inkijk levels and taken-over facts, stand-ins,
and the afweging that led to the plan (its steps and questions; its signals are forgotten as
`flask signals purge` forgets them). What stays: a :class:`Vernietiging` tombstone per plan and
one content-free "delete" line in the logboek about the plan's person.

Safe from cron: each batch takes its plans with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two
runs at once never destroy the same plan twice; a second run finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, delete, exists, or_, select, text, update

from app.clock import now
from app.db import Base, session
from app.domain import Gegevenscategorie, PlanStatus, Verwerkingsactiviteit
from app.logboek import SYSTEM_ACTOR, unit_of_work
from app.people.models import Person
from app.plans.models import Plan
from app.signalen import werkvoorraad_groepen
from app.signalen.models import Vroegsignaal
from app.signalen.vergeten import tombstone_rows, tombstones
from app.vernietiging.models import Vernietiging
from app.vernietiging.termijn import Bewaartermijn, Gebeurtenis, termijn_van
from audit import Entry, Subject

REGIE = Verwerkingsactiviteit.REGIE

# Tables whose rows belong to one plan (plan_id), deleted children first. tests/test_vernietiging.py
# fails when a table refers to a plan (directly or through these) and is missing here.
PLAN_TABLES = (
    "overdrachtmelding",
    "terugmelding",
    "correctiebesluit",
    "persoonswijziging",
    "bericht_bijlage",
    "bericht",
    "plan_comment",
    "activity",
    "betrokkenheid",
    "beroepsgeheim_vrijgave",
    "inzage_niveau",
    "overgenomen_feit",
    "plan_gebeurtenis",
    "toestemming",
    "vervanging",
)
# Tables below a plan's thread or afweging (by their parent's id).
GESPREK_TABLES = ("gesprek_gelezen",)
AFWEGING_TABLES = ("afweging_stap", "dat_informatie_vraag")
COUNTED = {
    "activity": "activiteiten",
    "plan_comment": "opmerkingen",
    "gesprek": "gesprekken",
    "bericht": "berichten",
    "bericht_bijlage": "bijlagen",
    "toestemming": "toestemmingen",
    "afweging": "afwegingen",
}
CATEGORIES = (
    Gegevenscategorie.PLAN,
    Gegevenscategorie.ACTIVITEITEN,
    Gegevenscategorie.OPMERKINGEN,
    Gegevenscategorie.BERICHTEN,
    Gegevenscategorie.TOESTEMMING,
    Gegevenscategorie.BETROKKENHEID,
    Gegevenscategorie.HISTORIE,
)


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


@dataclass
class Vervallen:
    """A plan past its term (what the dry run lists: no personal data)."""

    plan_id: int
    afgesloten_op: dt.datetime
    vervallen_sinds: dt.datetime


@dataclass
class Resultaat:
    vernietigd: list[int] = field(default_factory=list)
    aantallen: dict[str, int] = field(default_factory=dict)


class GeenTermijn(RuntimeError):
    pass


def plan_termijn() -> Bewaartermijn:
    term = termijn_van(session.connection(), REGIE)
    if term is None or term.na != Gebeurtenis.PLAN_AFGESLOTEN:
        raise GeenTermijn(
            f"het register geeft voor {REGIE} geen bewaartermijn na afsluiten van het plan"
        )
    return term


def _jeugdhulp() -> Any:
    """Whether youth care took part in the plan (an activity or involvement of a youth-care
    organisation): such a plan keeps the register's longer youth-care term."""
    org, act, betr = _table("organisation"), _table("activity"), _table("betrokkenheid")
    jeugd = org.c.kind == "jeugdhulp"
    return or_(
        exists().where(act.c.plan_id == Plan.id, act.c.organisation_id == org.c.id, jeugd),
        exists().where(betr.c.plan_id == Plan.id, betr.c.organisation_id == org.c.id, jeugd),
    )


def _due(
    term: Bewaartermijn,
    moment: dt.datetime,
    limit: int | None,
    *,
    lock: bool = False,
    held: bool = False,
) -> Any:
    """The closed plans past their term (``held``: past the ordinary term, but kept for the
    youth-care term)."""
    jeugd = _jeugdhulp()
    past_jeugd = Plan.closed_at < term.grens_jeugdhulp(moment)
    stmt = (
        select(Plan.id, Plan.closed_at, Person.bsn, jeugd.label("jeugdhulp"))
        .join(Person, Person.id == Plan.person_id)
        .where(
            Plan.status == PlanStatus.AFGESLOTEN,
            Plan.closed_at.is_not(None),
            Plan.closed_at < term.grens(moment),
            and_(jeugd, ~past_jeugd) if held else or_(~jeugd, past_jeugd),
        )
        .order_by(Plan.id)
        .execution_options(audit_internal=True)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    if lock:
        stmt = stmt.with_for_update(of=Plan, skip_locked=True)
    return session.execute(stmt).all()


def vervallen(moment: dt.datetime | None = None, *, limit: int | None = None) -> list[Vervallen]:
    """The closed plans past their term at ``moment`` (the dry run): nothing changes."""
    moment = moment or now()
    term = plan_termijn()
    rows = _due(term, moment, limit)
    session.rollback()
    return [
        Vervallen(pid, closed, term.verloopt(closed, jeugdhulp=bool(jeugd)))
        for pid, closed, _bsn, jeugd in rows
    ]


def vastgehouden(moment: dt.datetime | None = None) -> int:
    """How many closed plans are past the ordinary term but kept for the youth-care term."""
    moment = moment or now()
    n = len(_due(plan_termijn(), moment, None, held=True))
    session.rollback()
    return n


def _count(result: Any) -> int:
    return max(0, int(result.rowcount or 0))


def _destroy(plan_ids: list[int]) -> dict[int, dict[str, int]]:
    """Delete everything of these plans; returns the counts per plan (for the tombstones)."""
    counts: dict[int, dict[str, int]] = {pid: {} for pid in plan_ids}
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        conn.execute(text("PRAGMA secure_delete = ON"))  # freed pages are overwritten
    for pid in plan_ids:  # per plan, so that each tombstone has its own counts
        c = counts[pid]
        gesprek = _table("gesprek")
        gesprekken = select(gesprek.c.id).where(gesprek.c.plan_id == pid).scalar_subquery()
        for name in GESPREK_TABLES:
            t = _table(name)
            session.execute(delete(t).where(t.c.gesprek_id.in_(gesprekken)))
        comment = _table("plan_comment")
        session.execute(update(comment).where(comment.c.plan_id == pid).values(reply_to_id=None))
        for name in PLAN_TABLES:
            t = _table(name)
            n = _count(session.execute(delete(t).where(t.c.plan_id == pid)))
            if name in COUNTED:
                c[COUNTED[name]] = n
        c["gesprekken"] = _count(session.execute(delete(gesprek).where(gesprek.c.plan_id == pid)))
        c["afwegingen"], c["signalen"] = _destroy_afwegingen(pid)
        session.execute(delete(_table("plan")).where(_table("plan").c.id == pid))
    return counts


def _destroy_afwegingen(plan_id: int) -> tuple[int, int]:
    afweging = _table("afweging")
    ids = list(session.scalars(select(afweging.c.id).where(afweging.c.plan_id == plan_id)))
    if not ids:
        return 0, 0
    rows = tombstone_rows(Vroegsignaal.afweging_id.in_(ids))
    forgotten = tombstones(rows, REGIE, "retention.plan", now(), "plan-vernietigd")
    session.execute(
        update(Vroegsignaal)
        .where(Vroegsignaal.afweging_id.in_(ids))
        .values(afweging_id=None)
        .execution_options(synchronize_session=False)
    )
    # plan.afweging_id points back at the afweging (the link both ways): break it first.
    plan = _table("plan")
    session.execute(update(plan).where(plan.c.id == plan_id).values(afweging_id=None))
    for name in AFWEGING_TABLES:
        t = _table(name)
        session.execute(delete(t).where(t.c.afweging_id.in_(ids)))
    people = set(session.scalars(select(afweging.c.person_id).where(afweging.c.id.in_(ids))))
    session.execute(delete(afweging).where(afweging.c.id.in_(ids)))
    # Statements no flush saw: the queue's groups of these people follow.
    werkvoorraad_groepen.bijwerken(session.connection(), personen=people)
    return len(ids), forgotten


def run(*, batch: int = 100, moment: dt.datetime | None = None) -> Resultaat:
    """Destroy every closed plan past its term, ``batch`` plans per transaction."""
    moment = moment or now()
    result = Resultaat()
    term = plan_termijn()
    session.rollback()
    while True:
        with unit_of_work(session, REGIE, name="retention.plan") as ledger:
            rows = _due(term, moment, batch, lock=True)
            counts = _destroy([r[0] for r in rows])
            for pid, closed, bsn, jeugd in rows:
                applied = term.omschrijving_voor(bool(jeugd))
                ledger.record(
                    Entry(
                        kind="inzage",
                        action="delete",
                        name="retention.plan",
                        actor=ledger.actor or SYSTEM_ACTOR,
                        subjects=(Subject("BSN", bsn),),
                        processing_activity=REGIE,
                        data_categories=CATEGORIES,
                        trace=ledger.trace,
                        object_type="plan",
                        object_id=str(pid),
                        reason=f"bewaartermijn verstreken: {applied}",
                    )
                )
                session.add(
                    Vernietiging(
                        soort="plan",
                        object_id=pid,
                        verwerking=REGIE,
                        bewaartermijn=applied,
                        gebeurtenis_op=closed,
                        vernietigd_op=moment,
                        aantallen=counts[pid],
                        trace_id=ledger.trace.trace_id,
                    )
                )
        for pid in (r[0] for r in rows):
            result.vernietigd.append(pid)
            for k, v in counts[pid].items():
                result.aantallen[k] = result.aantallen.get(k, 0) + v
        if len(rows) < batch:
            break
    return result
