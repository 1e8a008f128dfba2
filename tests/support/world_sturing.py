"""A small hand-made world for the management information (issue 18), laid over the test world
with explicit dates in January–March 2026 (well before the clock's today), so every figure can
be computed by hand. Written with Core statements on a connection of its own: dates are set,
not produced by the services.

The facts (team "gemeente" = reg1, reg2; team "regie_noord" = noord1):

* plans (basis, regisseur, created → closed):
  a multiproblematiek, reg1, 2026-01-10 → open (from afweging A1)
  b toestemming,       reg2, 2026-01-20 → 2026-03-05 (44 days)
  c multiproblematiek, reg2, 2026-02-01 → 2026-02-11 (10 days)
  d multiproblematiek, noord1, 2026-02-15 → open
  e toestemming,       reg1, 2026-03-01 → open
* no plan but a comes from an afweging (the world's own links are undone);
* every betrokkenheid runs from 2026-01-01 and has not ended; every activity of plan a was made
  on 2026-01-12 and ends on 2026-02-15, not finished (over its end date at the end of February
  and March); the other plans' activities are made in December 2026 (outside the months).
* signals: s1, s2 from CJIB (betalingsachterstand, financien) on 2026-01-05 and 2026-01-07,
  both in afweging A1; s3 by melder1 (schoolverzuim, onderwijs) on 2026-01-09, removed by the
  term on 2026-02-10.
* afweging A1 (reg1), opened 2026-01-08: step 1 on 2026-01-08, step 2 yes on 2026-01-15, step 3
  yes on 2026-01-20, plan a; reopened on 2026-03-02.
* a dát-informatie question of A1 to Schuldhulp, asked 2026-01-09, due 2026-01-16, answered
  2026-01-14 (on time); one to GGZ asked 2026-01-10, due 2026-01-12, answered 2026-01-20 (late).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert, update

from app.db import get_database
from app.plans.models import Activity, Betrokkenheid, Plan
from app.signalen.models import Afweging, AfwegingStap, DatInformatieVraag, Vroegsignaal
from tests.support.world import BSN, World

PLANNEN = {
    "a": ("multiproblematiek", (2026, 1, 10), None),
    "b": ("toestemming", (2026, 1, 20), (2026, 3, 5)),
    "c": ("multiproblematiek", (2026, 2, 1), (2026, 2, 11)),
    "d": ("multiproblematiek", (2026, 2, 15), None),
    "e": ("toestemming", (2026, 3, 1), None),
}


def op(jaar: int, maand: int, dag: int) -> dt.datetime:
    return dt.datetime(jaar, maand, dag, 12, 0, tzinfo=dt.UTC)


def build_sturing(w: World) -> dict[str, int]:
    """Lay the facts above over the world; the ids made."""
    ids: dict[str, int] = {}
    with get_database().engine.begin() as conn:
        for key, (basis, gemaakt, gesloten) in PLANNEN.items():
            conn.execute(
                update(Plan.__table__)  # type: ignore[arg-type]
                .where(Plan.__table__.c.id == w.plans[key])
                .values(
                    basis=basis,
                    status="afgesloten" if gesloten else "actief",
                    created_at=op(*gemaakt),
                    closed_at=op(*gesloten) if gesloten else None,
                    # The world's own weighings happened "now", not in these months.
                    afweging_id=None,
                )
            )
        conn.execute(
            update(Betrokkenheid.__table__).values(  # type: ignore[arg-type]
                start_date=dt.date(2026, 1, 1), end_date=None
            )
        )
        act = Activity.__table__
        conn.execute(update(act).values(created_at=op(2026, 12, 1)))  # type: ignore[arg-type]
        conn.execute(
            update(act)  # type: ignore[arg-type]
            .where(act.c.plan_id == w.plans["a"])
            .values(
                created_at=op(2026, 1, 12),
                end_date=dt.date(2026, 2, 15),
                afgerond=False,
                afgerond_op=None,
            )
        )
        a1 = conn.execute(
            insert(Afweging.__table__).values(  # type: ignore[arg-type]
                person_id=w.persons["bram"],
                aanleiding="signalen",
                status="multiproblematiek",
                regisseur_id=w.users["reg1"],
                plan_id=w.plans["a"],
                geopend_op=op(2026, 1, 8),
                heropend_op=op(2026, 3, 2),
            )
        ).inserted_primary_key[0]
        ids["A1"] = a1
        conn.execute(
            update(Plan.__table__)  # type: ignore[arg-type]
            .where(Plan.__table__.c.id == w.plans["a"])
            .values(afweging_id=a1)
        )
        for stap, dag in ((1, 8), (2, 15), (3, 20)):
            conn.execute(
                insert(AfwegingStap.__table__).values(  # type: ignore[arg-type]
                    afweging_id=a1,
                    stap=stap,
                    antwoord=True,
                    motivering="Handgemaakte stap voor de sturingstest",
                    besloten_door_id=w.users["reg1"],
                    besloten_door_naam="Regina Eerste",
                    besloten_op=op(2026, 1, dag),
                )
            )
        sig = Vroegsignaal.__table__
        for naam, dag, ref in (("s1", 5, "STURING-1"), ("s2", 7, "STURING-2")):
            ids[naam] = conn.execute(
                insert(sig).values(  # type: ignore[arg-type]
                    bron_id=w.bronnen["cjib"],
                    bron_referentie=ref,
                    person_id=w.persons["bram"],
                    bsn=BSN["bram"],
                    categorie="betalingsachterstand",
                    domeinen="financien",
                    signaaldatum=dt.date(2026, 1, dag),
                    ontvangen_op=op(2026, 1, dag),
                    afweging_id=a1,
                )
            ).inserted_primary_key[0]
        ids["s3"] = conn.execute(
            insert(sig).values(  # type: ignore[arg-type]
                melder_id=w.users["melder1"],
                melder_volgnummer=99,
                categorie="schoolverzuim",
                domeinen="onderwijs",
                signaaldatum=dt.date(2026, 1, 9),
                ontvangen_op=op(2026, 1, 9),
                verwijderd_op=op(2026, 2, 10),
                verwijder_reden="bewaartermijn",
            )
        ).inserted_primary_key[0]
        vraag = DatInformatieVraag.__table__
        for org, gevraagd, uiterlijk, antwoord in (
            ("schuldhulp", 9, 16, 14),
            ("ggz", 10, 12, 20),
        ):
            conn.execute(
                insert(vraag).values(  # type: ignore[arg-type]
                    afweging_id=a1,
                    person_id=w.persons["bram"],
                    organisation_id=w.orgs[org],
                    stap=2,
                    gevraagd_door_id=w.users["reg1"],
                    gevraagd_op=op(2026, 1, gevraagd),
                    uiterlijk_op=dt.date(2026, 1, uiterlijk),
                    bekend=True,
                    beantwoord_op=op(2026, 1, antwoord),
                )
            )
    return ids
