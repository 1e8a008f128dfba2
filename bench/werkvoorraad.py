"""Benchmark: the signal team's queue (``/signalen/``) at city scale.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_queue \\
        .venv/bin/python bench/werkvoorraad.py                 # 60,000 signals, 300 regisseurs
    .venv/bin/python bench/werkvoorraad.py --smoke             # tiny, SQLite, a few seconds

Loads ``--signals`` open signals (bare inserts: ``COPY`` on PostgreSQL, executemany on SQLite),
half of them for BSNs nobody in Eenplan has (1–5 creditors each), half for known people
(households at shared addresses, some joined by gezinslinks), and ``--regisseurs`` regisseurs of
the municipality (the signal team). Then requests through the whole Flask stack (WSGI test
client, a different regisseur per request; each request writes its logboek lines):

* the first page of the queue,
* a filtered page (urgency "zeer hoog" in the life domain "wonen"),
* the last page,

interleaved, and prints p50/p95/p99 per page; then the same again while another thread keeps
changing the queue (``--changes-per-second``: new signals from a source, a person created for an
unknown BSN and their signals matched, a weighing opened and closed; each change rewrites the
groups it touches in the summary table, :mod:`app.signalen.werkvoorraad_groepen`). Target
(issue 13): p95 under 200 ms on PostgreSQL, in both runs. The bare inserts of the load bypass
the application: the summary is rebuilt once after it (``flask signals werkvoorraad-herbouw``),
and that time is printed too. ``--smoke`` runs tiny sizes (on SQLite unless ``--database-url`` or
``BENCH_DATABASE_URL`` is given) and exits non-zero on any error: the CI runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import random
import re
import sys
import threading
import time
from typing import Any

from common import (  # type: ignore[import-not-found]
    bsn_from,
    database_url,
    describe,
    make_app,
    percentile,
)

TARGET_P95_MS = 200.0


def load(app: Any, signals: int, regisseurs: int, seed: int) -> tuple[list[int], list[str]]:
    """The data set; returns the regisseurs' user ids and the unknown BSNs."""
    from sqlalchemy import insert, select

    from app.clock import now
    from app.domain import OrganisatieSoort, Rol
    from app.organisations.models import Organisation
    from app.people.models import Person
    from app.plans.models import Gezinslink
    from app.signalen.models import SignaalBron, Vroegsignaal
    from app.users.models import User, UserRole

    rnd = random.Random(seed)
    engine = app.extensions["eenplan_db"].engine
    stamp = now()
    with engine.begin() as conn:
        bronnen = list(
            conn.execute(select(SignaalBron.id, SignaalBron.soort, SignaalBron.domeinen))
        )
        org_id = conn.execute(
            insert(Organisation)
            .values(name="Gemeente Bench", kind=OrganisatieSoort.GEMEENTE, active=True)
            .returning(Organisation.id)
        ).scalar_one()
        conn.execute(
            insert(User),
            [
                {
                    "username": f"regisseur{i}",
                    "name": f"Regisseur {i}",
                    "organisation_id": org_id,
                    "active": True,
                    "created_at": stamp,
                }
                for i in range(regisseurs)
            ],
        )
        user_ids = list(
            conn.execute(select(User.id).where(User.organisation_id == org_id)).scalars()
        )
        conn.execute(insert(UserRole), [{"user_id": u, "role": Rol.REGISSEUR} for u in user_ids])

        # Known people: a quarter of the known half's signals per person on average (about 4
        # each), two to a household address, one in ten joined to another household by a link.
        known_signals = signals // 2
        n_people = max(2, known_signals // 4)
        people = [
            {
                "bsn": bsn_from(40_000_000 + i * 13),
                "voornamen": "Bench",
                "achternaam": f"Inwoner {i}",
                "geboortedatum": dt.date(1970 + i % 40, 1 + i % 12, 1 + i % 28),
                "straat": "Benchstraat",
                "huisnummer": str(1 + (i // 2) % 500),
                "postcode": f"{1000 + (i // 1000) % 9000:04d}AB",
                "woonplaats": "Benchstad",
                "created_at": stamp,
            }
            for i in range(n_people)
        ]
        for chunk in range(0, len(people), 5000):
            conn.execute(insert(Person), people[chunk : chunk + 5000])
        person_ids = list(conn.execute(select(Person.id).order_by(Person.id)).scalars())
        links = [
            {
                "person_a_id": person_ids[i],
                "person_b_id": person_ids[i + 2],
                "relatie": "ouder",
                "gelegd_door_naam": "bench",
                "gelegd_op": stamp,
            }
            for i in range(0, len(person_ids) - 2, 20)
        ]
        if links:
            conn.execute(insert(Gezinslink), links)

        unknown = [bsn_from(60_000_000 + i * 17) for i in range(max(1, (signals // 2) // 3))]
        rows: list[dict[str, Any]] = []
        for i in range(signals):
            bron_id, soort, domeinen = bronnen[rnd.randrange(len(bronnen))]
            if i % 2 == 0:
                pid = person_ids[rnd.randrange(len(person_ids))]
                bsn = None
            else:
                pid = None
                bsn = unknown[rnd.randrange(len(unknown))]
            categorie = {"school": "schoolverzuim", "politie": "politie"}.get(
                soort, "dreigende_uitzetting" if rnd.random() < 0.02 else "betalingsachterstand"
            )
            rows.append(
                {
                    "bron_id": bron_id,
                    "bron_referentie": f"Q-{i}",
                    "person_id": pid,
                    "bsn": bsn,
                    "inhoud": "Achterstand",
                    "categorie": categorie,
                    "domeinen": ",".join(domeinen),
                    "gegevens": None,
                    "signaaldatum": (stamp - dt.timedelta(days=rnd.randrange(180))).date(),
                    "ontvangen_op": stamp - dt.timedelta(minutes=rnd.randrange(180 * 24 * 60)),
                }
            )
        if conn.dialect.name == "postgresql":
            columns = list(rows[0])
            dbapi = conn.connection.driver_connection
            with (
                dbapi.cursor() as cur,
                cur.copy(f"COPY vroegsignaal ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for r in rows:
                    copy.write_row([r[c] for c in columns])
        else:
            for chunk in range(0, len(rows), 10_000):
                conn.execute(insert(Vroegsignaal), rows[chunk : chunk + 10_000])
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            from sqlalchemy import text

            conn.execute(text("ANALYZE"))
    return user_ids, unknown


def rebuild(app: Any) -> float:
    """The summary from the bare-inserted signals; returns the seconds it took."""
    from app.signalen.werkvoorraad_groepen import herbouw

    engine = app.extensions["eenplan_db"].engine
    t = time.perf_counter()
    with engine.begin() as conn:
        herbouw(conn)
    took = time.perf_counter() - t
    if engine.dialect.name == "postgresql":
        from sqlalchemy import text

        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE werkvoorraad_groep"))
            conn.execute(text("ANALYZE werkvoorraad_lid"))
    return took


def change_elsewhere(
    url: str,
    regisseur_id: int,
    unknown: list[str],
    per_second: float,
    stop: Any,
    ready: Any,
    out: Any,
) -> None:
    """A :class:`Changer` in a process of its own (as another worker of the application
    server would be): no interpreter lock shared with the requests measured."""
    app = make_app(url)
    changer = Changer(app, regisseur_id, unknown, per_second, tag=1)
    changer.stop = stop
    ready.set()
    changer.run()
    out.put((changer.n, changer.done, changer.errors))


class Changer(threading.Thread):
    """Keeps changing the queue, as the signal team and the sources do all day: in turn a new
    signal from a source (a known person's or an unknown BSN), a person created for an unknown
    BSN and their signals matched, a weighing opened for a person, a weighing closed."""

    def __init__(
        self, app: Any, regisseur_id: int, unknown: list[str], per_second: float, tag: int = 0
    ):
        super().__init__(daemon=True)
        self.app, self.regisseur_id, self.unknown = app, regisseur_id, list(unknown)
        self.tag = tag  # one changer's references and new BSNs are not another's
        self.pause = 1.0 / per_second if per_second > 0 else 0.0
        self.stop: Any = threading.Event()
        self.done: dict[str, list[float]] = {"intake": [], "match": [], "weigh": [], "close": []}
        self.errors: list[str] = []
        self.n = 0

    def run(self) -> None:
        steps = [self.intake, self.match, self.weigh, self.close]
        while not self.stop.is_set():
            step = steps[self.n % len(steps)]
            self.n += 1
            t = time.perf_counter()
            try:
                with self.app.app_context():
                    step()
            except Exception as exc:  # a benchmark reports, the run goes on
                self.errors.append(f"{step.__name__}: {exc!r}")
            took = time.perf_counter() - t
            self.done[step.__name__].append(took * 1000)
            self.stop.wait(max(0.0, self.pause - took))

    def intake(self) -> None:
        from sqlalchemy import func, select

        from app.db import session
        from app.logboek import unit_of_work
        from app.people.models import Person
        from app.signalen import inrichting, intake

        with unit_of_work(session, "vroegsignalering-schulden"):
            b = inrichting.bron("cjib")
            assert b is not None
            org = inrichting.koppel_organisatie(b)
            if self.n % 8 < 4:  # a BSN nobody has yet: a row more
                bsn = bsn_from(80_000_000 + 5_000_000 * self.tag + self.n * 17)
            else:  # a known person (a random one)
                bsn = session.execute(
                    select(Person.bsn)
                    .order_by(func.random())
                    .limit(1)
                    .execution_options(audit_internal=True)
                ).scalar_one()
            row = {
                "bsn": bsn,
                "bronReferentie": f"C-{self.tag}-{self.n}",
                "signaaldatum": "2026-01-15",
            }
            intake.ontvang(b, [(1, row)], actor=inrichting.bron_actor(b, org))

    def match(self) -> None:
        from sqlalchemy import select

        from app.db import session
        from app.logboek import unit_of_work
        from app.people.models import Person
        from app.signalen import intake
        from app.signalen.models import Vroegsignaal

        if not self.unknown:
            return
        bsn = self.unknown.pop()
        with unit_of_work(session, "vroegsignalering-schulden"):
            session.add(
                Person(
                    bsn=bsn,
                    voornamen="Bench",
                    achternaam="Later",
                    geboortedatum=dt.date(1990, 1, 1),
                    straat="Laterstraat",
                    huisnummer=str(self.n),  # an address of their own
                    postcode="9999ZZ",
                    woonplaats="Benchstad",
                )
            )
        with unit_of_work(session, "signalen-afweging"):
            signal = session.scalars(
                select(Vroegsignaal)
                .where(Vroegsignaal.bsn == bsn, Vroegsignaal.person_id.is_(None))
                .limit(1)
            ).first()
            if signal is not None:
                intake.koppel(signal, bsn)

    def _regisseur(self) -> Any:
        from app.db import session
        from app.users.models import User

        return session.get(User, self.regisseur_id)

    def weigh(self) -> None:
        from sqlalchemy import func, select

        from app.db import session
        from app.logboek import unit_of_work
        from app.signalen import afweging
        from app.signalen.models import Vroegsignaal

        with unit_of_work(session, "signalen-afweging"):
            signal = session.scalars(
                select(Vroegsignaal)
                .where(
                    Vroegsignaal.person_id.is_not(None),
                    Vroegsignaal.afweging_id.is_(None),
                    Vroegsignaal.verwijderd_op.is_(None),
                )
                .order_by(func.random())
                .limit(1)
            ).first()
            if signal is not None:
                from app.people.models import Person

                person = session.get(Person, signal.person_id)
                assert person is not None
                afweging.open_afweging(person, regisseur=self._regisseur(), signalen=[signal])

    def close(self) -> None:
        from sqlalchemy import select

        from app.db import session
        from app.domain import AfwegingStatus
        from app.logboek import unit_of_work
        from app.signalen import afweging
        from app.signalen.models import Afweging

        with unit_of_work(session, "signalen-afweging"):
            case = session.scalars(
                select(Afweging).where(Afweging.status == AfwegingStatus.OPEN).limit(1)
            ).first()
            if case is not None:
                afweging.sluit_afweging(
                    case, "onbereikbaar", "Niet bereikt.", actor=self._regisseur()
                )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--signals", type=int, default=60_000)
    parser.add_argument("--regisseurs", type=int, default=300)
    parser.add_argument("--requests", type=int, default=40, help="per page")
    parser.add_argument("--database-url", default=None, help="default: BENCH_DATABASE_URL")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--changes-per-second", type=float, default=10.0, help="of the changing thread"
    )
    parser.add_argument(
        "--changers",
        default="thread,process",
        help="who changes the queue meanwhile: a thread of this process, another process",
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes; non-zero on error")
    args = parser.parse_args()
    if args.smoke:
        args.signals, args.regisseurs, args.requests = 400, 3, 3

    from app.auth.views import complete_login
    from app.db import session
    from app.users.models import User

    logging.getLogger("eenplan.request").setLevel(logging.WARNING)  # one line per request
    url = args.database_url or database_url("werkvoorraad" + ("_smoke" if args.smoke else ""))
    app = make_app(url, fresh=True)
    engine = app.extensions["eenplan_db"].engine
    print(f"Database: {engine.url.render_as_string(hide_password=True).split('@')[-1]}")
    print(f"Load average before: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs)")
    t0 = time.perf_counter()
    user_ids, unknown = load(app, args.signals, args.regisseurs, args.seed)
    print(
        f"Loaded {args.signals:,} open signals (half for unknown BSNs) and "
        f"{len(user_ids)} regisseurs in {time.perf_counter() - t0:.1f} s"
    )
    print(f"Summary rebuilt (flask signals werkvoorraad-herbouw) in {rebuild(app):.1f} s")

    def bench_login(user_id: int) -> str:
        # As the login form ends (a server-side login session, then the cookie), without the
        # password and second factor.
        user = session.get(User, user_id)
        assert user is not None
        complete_login(user, "wachtwoord")
        session.commit()
        return "ok"

    app.add_url_rule("/bench-login/<int:user_id>", "bench_login", bench_login)
    clients = []
    for user_id in user_ids[: min(len(user_ids), 20)]:
        client = app.test_client()
        if client.get(f"/bench-login/{user_id}").status_code != 200:
            print("login failed", file=sys.stderr)
            return 1
        clients.append(client)

    first = clients[0].get("/signalen/")
    html = first.get_data(as_text=True)
    if first.status_code != 200:
        print(f"first page: {first.status_code}", file=sys.stderr)
        return 1
    found = re.search(r"([\d.]+) (?:persoon of huishouden|personen en huishoudens)", html)
    pages = re.search(r"Pagina 1 van (\d+)", html)
    groups = int(found.group(1).replace(".", "")) if found else 0
    last_page = int(pages.group(1)) if pages else 1
    if groups <= 0:
        print("the queue shows no groups", file=sys.stderr)
        return 1
    print(f"Queue: {groups:,} persons and households, {last_page:,} pages of 50")
    urls = {
        "first page": "/signalen/",
        "filtered (zeer hoog, wonen)": "/signalen/?urgentie=3&domein=wonen",
        f"last page ({last_page})": f"/signalen/?pagina={last_page}",
    }
    for u in urls.values():  # warm up; every page must answer
        resp = clients[0].get(u)
        if resp.status_code != 200:
            print(f"{u}: {resp.status_code}", file=sys.stderr)
            return 1

    def measure(label: str) -> dict[str, list[float]] | None:
        times: dict[str, list[float]] = {k: [] for k in urls}
        n = 0
        for _ in range(args.requests):
            for name, u in urls.items():
                client = clients[n % len(clients)]
                n += 1
                t = time.perf_counter()
                resp = client.get(u)
                times[name].append((time.perf_counter() - t) * 1000)
                if resp.status_code != 200:
                    print(f"{u}: {resp.status_code}", file=sys.stderr)
                    return None
        print(f"\n{args.requests} requests per page, {label}, over {len(clients)} regisseurs:")
        for name, values in times.items():
            print(f"  {name:32} {describe(values)}")
        return times

    results: dict[str, Any] = {}
    quiet = measure("nothing changing")
    if quiet is None:
        return 1
    half = len(unknown) // 2
    runs: list[tuple[str, dict[str, list[float]]]] = [("quiet", quiet)]
    for mode in args.changers.split(","):
        per_second = args.changes_per_second
        started = time.perf_counter()
        if mode == "thread":
            changer = Changer(app, user_ids[-1], unknown[half:], per_second)
            changer.start()
            busy = measure(f"while another thread changes the queue (~{per_second:g}/s)")
            changer.stop.set()
            changer.join()
            n, done, errors = changer.n, changer.done, changer.errors
        else:
            import multiprocessing

            ctx = multiprocessing.get_context("spawn")
            stop, ready, out = ctx.Event(), ctx.Event(), ctx.Queue()
            proc = ctx.Process(
                target=change_elsewhere,
                args=(url, user_ids[-2], unknown[:half], per_second, stop, ready, out),
            )
            proc.start()
            if not ready.wait(300):
                print("the changing process did not start", file=sys.stderr)
                return 1
            started = time.perf_counter()
            busy = measure(f"while another process changes the queue (~{per_second:g}/s)")
            stop.set()
            n, done, errors = out.get(timeout=120)
            proc.join()
        if busy is None:
            return 1
        rate = n / (time.perf_counter() - started)
        print(f"  changes made meanwhile: {n} ({rate:.1f}/s)", end="")
        print("".join(f"; {k} p95 {percentile(v, 95):.0f} ms" for k, v in done.items() if v))
        if errors:
            print("changes that failed:", *errors[:5], sep="\n  ", file=sys.stderr)
            return 1
        runs.append((f"changing, {mode}", busy))
    for label, times in runs:
        for name, values in times.items():
            results[f"{name} ({label})"] = {
                "p50_ms": round(percentile(values, 50), 1),
                "p95_ms": round(percentile(values, 95), 1),
            }
    # The query alone (the totals and one page of the summary table), without the request
    # around it (login, persons' names, logboek lines, template).
    from app.logboek import unit_of_work
    from app.signalen.werkvoorraad import werkvoorraad

    alone: list[float] = []
    with app.app_context():
        for _ in range(args.requests):
            with unit_of_work(session, "signalen-afweging"):
                t = time.perf_counter()
                werkvoorraad(pagina=1)
                alone.append((time.perf_counter() - t) * 1000)
    print(f"  {'(the query alone, page 1)':32} {describe(alone)}")
    results["query alone"] = {
        "p50_ms": round(percentile(alone, 50), 1),
        "p95_ms": round(percentile(alone, 95), 1),
    }
    worst = max(percentile(v, 95) for _label, t in runs for v in t.values())
    verdict = "met" if worst < TARGET_P95_MS else "NOT met"
    print(f"Worst p95 {worst:.1f} ms; target p95 < {TARGET_P95_MS:.0f} ms: {verdict}")
    print(f"Load average after: {os.getloadavg()[0]:.1f}")
    print(json.dumps({"signals": args.signals, "groups": groups, "pages": results}))
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
