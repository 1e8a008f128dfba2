"""Benchmark: the management information (``/sturing``) at city scale.

    .venv/bin/python bench/sturing.py                      # 20,000 plans, 60,000 signals
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_sturing \\
        .venv/bin/python bench/sturing.py
    .venv/bin/python bench/sturing.py --smoke              # tiny, SQLite, a few seconds

Loads (bare inserts) ``--teams`` organisations of 10 regisseurs each, ``--plannen`` plans spread
over 36 months (a third closed), each from an afweging with 3 signals of random sources and
domains, 2 betrokkenheden and 3 activities, and ``--signalen`` signals in all (the rest not
taken up). Then ``flask sturing bijwerken`` (timed), and requests through the whole Flask stack
as a beleid user: every dashboard page, by month and by quarter, with a team, an organisation,
a domain or a source as filter, and a CSV. Prints p50/p95/p99 per page; target (issue 18): p95
≤ 300 ms. ``--smoke`` runs tiny sizes and exits non-zero on any error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import sys
import time
from typing import Any

from common import (  # type: ignore[import-not-found]
    add_smoke,
    bsn_from,
    database_url,
    describe,
    make_app,
    percentile,
    smoke_failed,
)

TARGET_P95_MS = 300.0
MAANDEN = 36


def _chunks(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    from sqlalchemy import insert

    for i in range(0, len(rows), 5000):
        conn.execute(insert(table), rows[i : i + 5000])


def load(app: Any, plannen: int, signalen: int, teams: int, seed: int) -> int:
    """The data set; returns the beleid user's id."""
    from sqlalchemy import insert, select

    from app.clock import now
    from app.domain import LEEFGEBIEDEN, SIGNAAL_CATEGORIEEN, OrganisatieSoort, Rol
    from app.organisations.models import Organisation
    from app.people.models import Person
    from app.plans.models import Activity, Betrokkenheid, Plan
    from app.signalen.models import Afweging, AfwegingStap, SignaalBron, Vroegsignaal
    from app.users.models import User, UserRole

    rnd = random.Random(seed)
    stamp = now()
    engine = app.extensions["eenplan_db"].engine
    domeinen = list(LEEFGEBIEDEN)
    soorten = list(SIGNAAL_CATEGORIEEN)
    with engine.begin() as conn:
        bronnen = list(conn.execute(select(SignaalBron.id)).scalars())
        org_ids = []
        for i in range(teams):
            org_ids.append(
                conn.execute(
                    insert(Organisation)
                    .values(
                        name=f"Team {i}",
                        kind=OrganisatieSoort.GEMEENTE if i == 0 else OrganisatieSoort.WIJKTEAM,
                        active=True,
                    )
                    .returning(Organisation.id)
                ).scalar_one()
            )
        users = [
            {
                "username": f"regisseur{t}_{j}",
                "name": f"Regisseur {t}.{j}",
                "organisation_id": org,
                "active": True,
                "created_at": stamp,
            }
            for t, org in enumerate(org_ids)
            for j in range(10)
        ]
        users.append(
            {
                "username": "beleid",
                "name": "Beleid Bench",
                "organisation_id": org_ids[0],
                "active": True,
                "created_at": stamp,
            }
        )
        _chunks(conn, User, users)
        ids = {r.username: r.id for r in conn.execute(select(User.username, User.id))}
        beleid = ids.pop("beleid")
        regisseurs = list(ids.values())
        conn.execute(insert(UserRole), [{"user_id": u, "role": Rol.REGISSEUR} for u in regisseurs])
        conn.execute(insert(UserRole).values(user_id=beleid, role=Rol.BELEID))
        _chunks(
            conn,
            Person,
            [
                {
                    "bsn": bsn_from(50_000_000 + i * 13),
                    "voornamen": "Bench",
                    "achternaam": f"Inwoner {i}",
                    "geboortedatum": dt.date(1970 + i % 40, 1 + i % 12, 1 + i % 28),
                    "created_at": stamp,
                }
                for i in range(plannen)
            ],
        )
        personen = list(conn.execute(select(Person.id).order_by(Person.id)).scalars())
        afwegingen, plan_rows = [], []
        for i, person in enumerate(personen):
            regisseur = rnd.choice(regisseurs)
            geopend = stamp - dt.timedelta(days=rnd.randint(1, MAANDEN * 30))
            afwegingen.append(
                {
                    "person_id": person,
                    "aanleiding": "signalen",
                    "status": "multiproblematiek",
                    "regisseur_id": regisseur,
                    "geopend_op": geopend,
                }
            )
            gemaakt = geopend + dt.timedelta(days=rnd.randint(1, 40))
            gesloten = gemaakt + dt.timedelta(days=rnd.randint(20, 400)) if i % 3 == 0 else None
            if gesloten is not None and gesloten > stamp:
                gesloten = None
            plan_rows.append(
                {
                    "person_id": person,
                    "basis": "toestemming" if i % 4 == 0 else "multiproblematiek",
                    "status": "afgesloten" if gesloten else "actief",
                    "gemeente_id": org_ids[0],
                    "regisseur_id": regisseur,
                    "created_at": min(gemaakt, stamp),
                    "closed_at": gesloten,
                    "created_by_id": regisseur,
                    "updated_at": stamp,
                    "updated_by_id": regisseur,
                    "version": 1,
                }
            )
        _chunks(conn, Plan, plan_rows)
        plan_ids = list(conn.execute(select(Plan.id).order_by(Plan.id)).scalars())
        for a, p in zip(afwegingen, plan_ids, strict=True):
            a["plan_id"] = p
        _chunks(conn, Afweging, afwegingen)
        afw = list(conn.execute(select(Afweging.id, Afweging.geopend_op).order_by(Afweging.id)))
        _chunks(
            conn,
            AfwegingStap,
            [
                {
                    "afweging_id": a.id,
                    "stap": stap,
                    "antwoord": True,
                    "motivering": "bench",
                    "besloten_door_id": regisseurs[0],
                    "besloten_door_naam": "bench",
                    "besloten_op": a.geopend_op + dt.timedelta(days=stap * 3),
                }
                for a in afw
                for stap in (1, 2, 3)
            ],
        )
        sig = []
        for n in range(signalen):
            a = afw[n % len(afw)] if n < 3 * len(afw) else None
            ontvangen = (
                a.geopend_op - dt.timedelta(days=rnd.randint(0, 20))
                if a is not None
                else stamp - dt.timedelta(days=rnd.randint(0, MAANDEN * 30))
            )
            sig.append(
                {
                    "bron_id": rnd.choice(bronnen),
                    "bron_referentie": f"BENCH-{n}",
                    "categorie": rnd.choice(soorten),
                    "domeinen": ",".join(rnd.sample(domeinen, rnd.randint(1, 2))),
                    "signaaldatum": ontvangen.date(),
                    "ontvangen_op": ontvangen,
                    "afweging_id": a.id if a is not None else None,
                }
            )
        _chunks(conn, Vroegsignaal, sig)
        betrokken, activiteiten = [], []
        for p, row in zip(plan_ids, plan_rows, strict=True):
            start = row["created_at"].date()
            for org in rnd.sample(org_ids, 2):
                betrokken.append(
                    {"plan_id": p, "organisation_id": org, "rol": "bench", "start_date": start}
                )
            for k in range(3):
                activiteiten.append(
                    {
                        "plan_id": p,
                        "aard": "gesprek",
                        "omschrijving": "bench",
                        "uitvoerder_soort": "organisatie",
                        "organisation_id": rnd.choice(org_ids),
                        "start_date": start,
                        "end_date": start + dt.timedelta(days=30 * (k + 1)),
                        "afgerond": k == 0,
                        "afgerond_op": start + dt.timedelta(days=20) if k == 0 else None,
                        "created_at": row["created_at"] + dt.timedelta(days=k + 1),
                        "updated_at": stamp,
                        "version": 1,
                    }
                )
        _chunks(conn, Betrokkenheid, betrokken)
        _chunks(conn, Activity, activiteiten)
    return int(beleid)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--plannen", type=int, default=20_000)
    parser.add_argument("--signalen", type=int, default=60_000)
    parser.add_argument("--teams", type=int, default=40)
    parser.add_argument("--requests", type=int, default=20, help="per page")
    parser.add_argument("--seed", type=int, default=18)
    add_smoke(parser)
    args = parser.parse_args()
    if args.smoke:
        args.plannen, args.signalen, args.teams, args.requests = 60, 200, 3, 2

    from app.auth.views import complete_login
    from app.db import session
    from app.sturing.bijwerken import bijwerken
    from app.users.models import User

    logging.getLogger("eenplan.request").setLevel(logging.WARNING)
    app = make_app(database_url("sturing", smoke=args.smoke), fresh=True)
    engine = app.extensions["eenplan_db"].engine
    print(f"Database: {engine.url.render_as_string(hide_password=True).split('@')[-1]}")
    print(f"Load average before: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs)")
    t0 = time.perf_counter()
    beleid = load(app, args.plannen, args.signalen, args.teams, args.seed)
    print(
        f"Loaded {args.plannen:,} plans and {args.signalen:,} signals in {time.perf_counter() - t0:.1f} s"
    )
    with app.app_context():
        t0 = time.perf_counter()
        rijen = bijwerken()
        session.commit()
        print(f"flask sturing bijwerken: {rijen:,} rows in {time.perf_counter() - t0:.1f} s")
        team = session.get(User, beleid).organisation_id  # type: ignore[union-attr]

    def bench_login(user_id: int) -> str:
        user = session.get(User, user_id)
        assert user is not None
        complete_login(user, "wachtwoord")
        session.commit()
        return "ok"

    app.add_url_rule("/bench-login/<int:user_id>", "bench_login", bench_login)
    client = app.test_client()
    if client.get(f"/bench-login/{beleid}").status_code != 200:
        smoke_failed("login failed")
    pages = {
        "caseload (12 months)": "/sturing/caseload",
        "caseload (quarters, team)": f"/sturing/caseload?periode=kwartaal&team={team}",
        "signalen (bron)": "/sturing/signalen?bron=cjib",
        "tijd (domein)": "/sturing/tijd?domein=financien",
        "samenwerking (organisatie)": f"/sturing/samenwerking?organisatie={team}",
        "privacy": "/sturing/privacy",
        "CSV trechter": "/sturing/signalen/trechter.csv",
    }
    times: dict[str, list[float]] = {name: [] for name in pages}
    for url in pages.values():  # warm-up, and a check that each page answers
        resp = client.get(url)
        if resp.status_code != 200:
            smoke_failed(f"{url}: {resp.status_code}")
    for _ in range(args.requests):
        for name, url in pages.items():
            t = time.perf_counter()
            resp = client.get(url)
            times[name].append((time.perf_counter() - t) * 1000)
            if resp.status_code != 200:
                smoke_failed(f"{url}: {resp.status_code}")
    print(f"\n{args.requests} requests per page as beleid:")
    worst = 0.0
    for name, values in times.items():
        print(f"  {name:<28} {describe(values)}")
        worst = max(worst, percentile(values, 95))
    verdict = "met" if worst <= TARGET_P95_MS else "MISSED"
    print(f"\nWorst p95 {worst:.1f} ms; target p95 ≤ {TARGET_P95_MS:.0f} ms: {verdict}")
    print(f"Load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
