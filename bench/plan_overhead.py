"""Benchmark: what logging costs on the plan page.

    .venv/bin/python bench/plan_overhead.py                      # SQLite
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_plan \\
        .venv/bin/python bench/plan_overhead.py                  # PostgreSQL

Loads the demo data set into a fresh database, logs in as a regisseur and requests the page of
their plan with the largest household (every request writes one view line per household
member) through the whole Flask stack (WSGI test client: no network, so logging's share is, if
anything, overstated). Two modes, alternated in rounds (A B B A …) so that machine noise hits
both alike, in one run:

* ``aan`` — as in production: the request's lines are written in its transaction;
* ``uit`` — the same page with the log write (``Logboek.record``) replaced by a no-op.

Prints requests/second and median latency of each, and the cost of logging. Target (issue 3):
at most 15%. The clients are logged in as a real login is: with a server-side login session
(``app.auth.sessions``), which two-factor login requires of every staff page.

``--smoke``: 30 persons, a few requests per mode, on a fresh database; exits non-zero when a
page does not answer 200 or the line count is wrong.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from typing import Any

from common import (  # type: ignore[import-not-found]
    add_smoke,
    database_url,
    make_app,
    smoke_failed,
)


def setup(persons: int, clients: int = 1, smoke: bool = False) -> tuple[Any, list[Any], int, int]:
    from flask_login import login_user
    from sqlalchemy import func, or_, select

    from app.auth import sessions
    from app.db import session
    from app.plans.models import Gezinslink, Plan
    from app.users.models import User
    from demo import load_demo

    app = make_app(database_url("plan_overhead", smoke=smoke), fresh=True)
    with app.app_context():
        load_demo(persons=persons)
        user = session.scalars(select(User).where(User.username == "regisseur")).one()
        links = (
            select(func.count(Gezinslink.id))
            .where(
                or_(
                    Gezinslink.person_a_id == Plan.person_id,
                    Gezinslink.person_b_id == Plan.person_id,
                ),
                Gezinslink.verbroken_op.is_(None),
            )
            .correlate(Plan)
            .scalar_subquery()
        )
        plan_id, n_links = session.execute(
            select(Plan.id, links)
            .where(Plan.regisseur_id == user.id)
            .order_by(links.desc(), Plan.id)
            .limit(1)
            .execution_options(audit_internal=True)
        ).one()
        user_id = user.id

    def bench_login() -> str:
        user = session.get(User, user_id)
        login_user(user)
        sessions.start(user, "bench")  # the server-side login session every staff page needs
        session.commit()
        return "ok"

    app.add_url_rule("/bench-login", "bench_login", bench_login)
    logged_in = []
    for _ in range(clients):
        client = app.test_client()
        if client.get("/bench-login").status_code != 200:
            smoke_failed("the bench login failed")
        logged_in.append(client)
    return app, logged_in, plan_id, n_links + 1


def run(clients: list[Any], url: str, n: int) -> float:
    """``n`` requests, spread over the clients, each in a thread of its own."""

    def work(client: Any, count: int) -> None:
        for _ in range(count):
            resp = client.get(url)
            if resp.status_code != 200:
                failures.append(resp.status_code)
                return

    failures: list[int] = []
    shares = [n // len(clients) + (1 if i < n % len(clients) else 0) for i in range(len(clients))]
    t0 = time.perf_counter()
    if len(clients) == 1:
        work(clients[0], n)
    else:
        threads = [
            threading.Thread(target=work, args=(c, k)) for c, k in zip(clients, shares, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if failures:
        smoke_failed(f"the plan page answered {failures[0]}, not 200")
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=300, help="per mode per round")
    parser.add_argument("--rounds", type=int, default=6)  # one client: alternated per request
    parser.add_argument("--persons", type=int, default=300, help="size of the demo data set")
    parser.add_argument(
        "--clients", type=int, default=1, help="concurrent clients (threads); default 1"
    )
    add_smoke(parser)
    args = parser.parse_args()
    if args.smoke:
        args.requests, args.rounds, args.persons = 5, 2, 30

    app, client, plan_id, people = setup(args.persons, args.clients, args.smoke)
    logboek = app.extensions["eenplan_logboek"]
    engine = app.extensions["eenplan_db"].engine
    url = f"/plannen/{plan_id}"
    print(f"Database: {engine.url.render_as_string(hide_password=True).split('@')[-1]}")
    print(f"Plan page {url}: {people} persons shown, so {people} view lines per request")
    print(f"Concurrent clients: {args.clients}")
    print(f"Load average before: {os.getloadavg()[0]:.1f} (on {os.cpu_count()} CPUs)")

    real_record = logboek.record

    def no_op(conn: Any, entries: Any) -> list[Any]:
        return []

    def mode(name: str) -> None:
        logboek.record = real_record if name == "aan" else no_op

    # Warm up both paths, and check that "aan" logs and "uit" does not.
    for name in ("aan", "uit"):
        mode(name)
        with engine.connect() as conn:
            before = logboek.head_seq(conn)
        run(client, url, 20)
        with engine.connect() as conn:
            written = logboek.head_seq(conn) - before
        expected = 20 * people if name == "aan" else 0
        if written != expected:
            smoke_failed(f"mode {name}: {written} lines, expected {expected}")

    if args.clients == 1:
        # Alternate per request (A B B A …): noise from other processes hits both modes alike;
        # medians keep the odd slow request (a checkpoint, another process) out of the figure.
        times: dict[str, list[float]] = {"aan": [], "uit": []}
        total = args.requests * args.rounds
        for i in range(total):
            order = ("aan", "uit") if i % 2 == 0 else ("uit", "aan")
            for name in order:
                mode(name)
                t0 = time.perf_counter()
                resp = client[0].get(url)
                times[name].append(time.perf_counter() - t0)
                if resp.status_code != 200:
                    smoke_failed(f"the plan page answered {resp.status_code}, not 200")
        mode("aan")
        rps = {k: len(v) / sum(v) for k, v in times.items()}
        med = {k: statistics.median(v) * 1000 for k, v in times.items()}
        cost = 1 - rps["aan"] / rps["uit"]
        median_cost = 1 - med["uit"] / med["aan"]
        print(
            f"\nPlan page, {total} requests per mode, alternated:\n"
            f"  logging on (aan):  {rps['aan']:.1f} req/s (median {med['aan']:.2f} ms)\n"
            f"  log write no-op:   {rps['uit']:.1f} req/s (median {med['uit']:.2f} ms)\n"
            f"  cost of logging:   {cost:.1%} of req/s; {median_cost:.1%} by median latency"
            "   target <= 15%\n"
            f"  per request:       {med['aan'] - med['uit']:.2f} ms (median) for {people} lines"
        )
    else:
        seconds: dict[str, list[float]] = {"aan": [], "uit": []}
        ratios = []
        for r in range(args.rounds):
            order = ("aan", "uit") if r % 2 == 0 else ("uit", "aan")
            spent = {}
            for name in order:
                mode(name)
                spent[name] = run(client, url, args.requests)
                seconds[name].append(spent[name])
            ratios.append(spent["aan"] / spent["uit"])
            print(
                f"  round {r + 1}: aan {args.requests / spent['aan']:.0f} req/s, "
                f"uit {args.requests / spent['uit']:.0f} req/s"
            )
        mode("aan")
        rps = {k: args.requests * len(v) / sum(v) for k, v in seconds.items()}
        cost = 1 - rps["aan"] / rps["uit"]
        median_cost = 1 - 1 / statistics.median(ratios)
        print(
            f"\nPlan page, {args.rounds} x {args.requests} requests per mode, "
            f"{args.clients} clients:\n"
            f"  logging on (aan):  {rps['aan']:.1f} req/s\n"
            f"  log write no-op:   {rps['uit']:.1f} req/s\n"
            f"  cost of logging:   {cost:.1%} (median over rounds {median_cost:.1%})"
            "   target <= 15%"
        )
    print(f"Load average after: {os.getloadavg()[0]:.1f}")
    engine.dispose()


if __name__ == "__main__":
    main()
