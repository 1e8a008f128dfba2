"""Benchmark: what logging costs on the plan page, alone and under concurrent clients.

    .venv/bin/python bench/plan_overhead.py                      # SQLite, 1, 4 and 8 clients
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_plan \\
        .venv/bin/python bench/plan_overhead.py --clients 1,4,8  # PostgreSQL
    .venv/bin/python bench/plan_overhead.py --in-process         # WSGI test client, threads

Loads the demo data set into a fresh database and requests the page of the plan with the
largest household of the demo regisseur (every request writes one view line per household
member). Two modes of the same server, chosen per request by a bench-only header:

* ``aan`` — as in production: the request's lines are written in its transaction;
* ``uit`` — the same page with the log write (``Logboek.record``) a no-op.

By default it serves the app as production does (``scripts/run.sh``): ``uvicorn`` with
``--workers 2`` and the streaming protocol, started from this script with a bench-only factory
(:func:`served_app`: the header switch and a login route), on ``--port`` (a free one when 0);
each client is a thread with an HTTP connection of its own and a server-side login session of
its own (as two-factor login ends; every staff page needs one). ``--in-process`` drives the
Flask app in this process through the WSGI test client instead (no network, one GIL).

For each client count in ``--clients``, ``--rounds`` short rounds; a round sends ``--requests``
requests per client in each mode, the two modes in alternating order (A B, B A, …), so that
noise from other processes on a shared machine hits both alike (rounds of a few seconds each
varied from 0.4 to 1.7 under a load average of 10; rounds of a few requests, many of them, keep
the result steady). Prints per client count the ratio (req/s with logging) / (req/s with the
write a no-op) over all rounds, the median of the rounds' ratios, the rates, and the load
average before and after; ``--in-process`` also how long a request holds the chain's lock (from
the head's UPDATE until its COMMIT returned) and which share of the time the lock is held
(above 100%: the thread's wait for the GIL after COMMIT counted too; the lock was never free).
Target (issue 17): ratio ≥ 0.9 at 8 clients; issue 3: cost ≤ 15% (ratio ≥ 0.85) at 1 client.

``--smoke``: 30 persons, a few requests per mode at 1 and 2 clients, on a fresh database, served
by uvicorn; exits non-zero when a page does not answer 200 or the line count is wrong.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import threading
import time
from typing import Any

from common import (  # type: ignore[import-not-found]
    ROOT,
    add_smoke,
    database_url,
    make_app,
    percentile,
    smoke_failed,
    start_uvicorn,
    stop_server,
)

MODE_HEADER = "X-Bench-Logboek"  # "uit": the log write is a no-op for this request


def install_switch(app: Any) -> None:
    """Bench only: the header switch for the log write, and ``/bench-login?user=<id>``."""
    from flask import has_request_context, request
    from flask_login import login_user

    from app.auth import sessions
    from app.db import session
    from app.users.models import User

    logboek = app.extensions["eenplan_logboek"]
    real_record = logboek.record

    def record(conn: Any, entries: Any, **kwargs: Any) -> list[Any]:
        if has_request_context() and request.headers.get(MODE_HEADER) == "uit":
            return []
        return real_record(conn, entries, **kwargs)

    logboek.record = record

    def bench_login() -> str:
        user = session.get(User, int(request.args["user"]))
        login_user(user)
        sessions.start(user, "bench")  # the server-side login session every staff page needs
        session.commit()
        return "ok"

    app.add_url_rule("/bench-login", "bench_login", bench_login)


def served_app() -> Any:
    """What uvicorn serves here (``--factory``): ``asgi.app`` with :func:`install_switch`."""
    from app import create_app
    from app.portaal.stream import Site
    from app.serving import compile_templates

    flask_app = create_app()
    install_switch(flask_app)
    compile_templates(flask_app)  # as asgi.py does
    return Site(flask_app)


def setup(persons: int, smoke: bool) -> tuple[Any, int, int, int]:
    """A fresh database with the demo data: (app, user id, plan id, persons on the page)."""
    from sqlalchemy import func, or_, select

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
    return app, user_id, plan_id, n_links + 1


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``uvicorn`` as ``scripts/run.sh`` starts it, serving :func:`served_app`."""
    return start_uvicorn(
        url,
        port,
        workers,
        target="plan_overhead:served_app",
        log_name="plan_overhead-server.log",
        extra=("--factory",),
        env={"PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "bench")])},
    )


# --- the clients -----------------------------------------------------------------------------


def http_clients(port: int, user_id: int, n: int) -> list[Any]:
    import httpx

    clients = []
    for _ in range(n):
        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", trust_env=False, timeout=60)
        resp = client.get(f"/bench-login?user={user_id}")
        if resp.status_code != 200:
            smoke_failed(f"the bench login answered {resp.status_code}")
        for cookie in resp.cookies.jar:  # secure or not: this client sends it back
            client.cookies.set(cookie.name, cookie.value or "")
        clients.append(client)
    return clients


def test_clients(app: Any, user_id: int, n: int) -> list[Any]:
    install_switch(app)
    clients = []
    for _ in range(n):
        client = app.test_client()
        if client.get(f"/bench-login?user={user_id}").status_code != 200:
            smoke_failed("the bench login failed")
        clients.append(client)
    return clients


class LockWindow:
    """In process only: how long each request holds the chain's lock, from the head's UPDATE
    until its COMMIT has returned (every other append waits that long). Measured in the
    request's thread, so it includes getting the GIL back after the COMMIT: the share of the
    time can pass 100%, meaning that there was always an append waiting."""

    def __init__(self, app: Any) -> None:
        from sqlalchemy import event

        database = app.extensions["eenplan_db"]
        self.local = threading.local()
        self.windows: list[float] = []
        event.listen(database.engine, "before_cursor_execute", self._execute)
        event.listen(database.sessionmaker, "after_commit", self._end)
        event.listen(database.sessionmaker, "after_rollback", self._drop)

    def _execute(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("UPDATE audit_chain_head") and not getattr(self.local, "t0", 0):
            self.local.t0 = time.perf_counter()

    def _end(self, session: Any) -> None:
        t0 = getattr(self.local, "t0", 0)
        if t0:
            self.windows.append(time.perf_counter() - t0)
            self.local.t0 = 0

    def _drop(self, session: Any) -> None:
        self.local.t0 = 0


def run(clients: list[Any], url: str, n: int, mode: str) -> float:
    """``n`` requests in ``mode``, spread over the clients, each in a thread of its own."""
    headers = {MODE_HEADER: mode}

    def work(client: Any, count: int) -> None:
        for _ in range(count):
            resp = client.get(url, headers=headers)
            if resp.status_code != 200:
                failures.append(resp.status_code)
                return

    failures: list[int] = []
    shares = [n // len(clients) + (1 if i < n % len(clients) else 0) for i in range(len(clients))]
    threads = [
        threading.Thread(target=work, args=(c, k)) for c, k in zip(clients, shares, strict=True)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        smoke_failed(f"the plan page answered {failures[0]}, not 200")
    return time.perf_counter() - t0


def measure(
    clients: list[Any], url: str, per_client: int, rounds: int, lock: LockWindow | None
) -> dict[str, Any]:
    """Rounds of both modes, in alternating order, each mode ``per_client`` requests per client
    per round: short rounds, so that the machine's noise hits both modes alike."""
    spent: dict[str, list[float]] = {"aan": [], "uit": []}
    ratios = []
    n = per_client * len(clients)
    if lock is not None:
        lock.windows.clear()
    for r in range(rounds):
        order = ("aan", "uit") if r % 2 == 0 else ("uit", "aan")
        this = {name: run(clients, url, n, name) for name in order}
        for name in order:
            spent[name].append(this[name])
        ratios.append(this["uit"] / this["aan"])  # (req/s aan) / (req/s uit)
    result: dict[str, Any] = {
        # Over all rounds: req/s with logging / req/s with the write a no-op.
        "ratio": sum(spent["uit"]) / sum(spent["aan"]),
        "median": statistics.median(ratios),
        "rps": {k: n * len(v) / sum(v) for k, v in spent.items()},
    }
    if lock is not None and lock.windows:
        w = [x * 1000 for x in lock.windows]
        result["lock"] = (
            f"lock held p50 {percentile(w, 50):.1f} ms, p95 {percentile(w, 95):.1f} ms, "
            f"{sum(lock.windows) / sum(spent['aan']):.0%} of the time"
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, default=3, help="per client per mode per round (default 3)"
    )
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--persons", type=int, default=300, help="size of the demo data set")
    parser.add_argument(
        "--clients", default="1,4,8", help="concurrent clients, a comma-separated list"
    )
    parser.add_argument(
        "--in-process", action="store_true", help="WSGI test client in threads, no server"
    )
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--port", type=int, default=0, help="for uvicorn; 0: a free port")
    add_smoke(parser)
    args = parser.parse_args()
    counts = [int(c) for c in str(args.clients).split(",") if c.strip()]
    if args.smoke:
        args.requests, args.rounds, args.persons, counts = 2, 2, 30, [1, 2]

    app, user_id, plan_id, people = setup(args.persons, args.smoke)
    logboek = app.extensions["eenplan_logboek"]
    engine = app.extensions["eenplan_db"].engine
    url = f"/plannen/{plan_id}"
    how = (
        "in process (WSGI test client)" if args.in_process else (f"uvicorn, {args.workers} workers")
    )
    print(f"Database: {engine.url.render_as_string(hide_password=True).split('@')[-1]}")
    print(f"Served: {how}")
    print(f"Plan page {url}: {people} persons shown, so {people} view lines per request")
    proc = None
    if not args.in_process:
        port = args.port or free_port()
        proc = start_server(engine.url.render_as_string(hide_password=False), port, args.workers)
    results = []
    lock = None
    try:
        all_clients = (
            test_clients(app, user_id, max(counts))
            if args.in_process
            else http_clients(port, user_id, max(counts))
        )
        # Warm up both modes, and check that "aan" logs and "uit" does not.
        for name in ("aan", "uit", "aan"):
            with engine.connect() as conn:
                before = logboek.head_seq(conn)
            run(all_clients, url, 2 * len(all_clients), name)
            with engine.connect() as conn:
                written = logboek.head_seq(conn) - before
            expected = 2 * len(all_clients) * people if name == "aan" else 0
            if written != expected:
                smoke_failed(f"mode {name}: {written} lines, expected {expected}")
        if args.in_process:
            lock = LockWindow(app)
        for n in counts:
            load = os.getloadavg()[0]
            result = measure(all_clients[:n], url, args.requests, args.rounds, lock)
            result.update(clients=n, load=(load, os.getloadavg()[0]))
            results.append(result)
            print(
                f"  {n} client(s): ratio {result['ratio']:.2f} (median of the rounds "
                f"{result['median']:.2f}); aan {result['rps']['aan']:.1f} req/s, uit "
                f"{result['rps']['uit']:.1f} req/s; load {load:.1f}-{result['load'][1]:.1f}"
                + (f"; {result['lock']}" if "lock" in result else ""),
                flush=True,
            )
    finally:
        if proc is not None:
            stop_server(proc)
        engine.dispose()

    print(
        f"\nPlan page, {args.rounds} rounds of {args.requests} requests per client per mode, "
        f"alternated; {how}; {os.cpu_count()} CPUs.\nratio = req/s with logging / req/s with the "
        "log write a no-op, over all rounds (median of the rounds' ratios beside it); target "
        ">= 0.9 at 8 clients"
    )
    print("clients  ratio  (median)  aan req/s  uit req/s  load average")
    for r in results:
        print(
            f"{r['clients']:>7}  {r['ratio']:.2f}  ({r['median']:.2f})    {r['rps']['aan']:>7.1f}"
            f"  {r['rps']['uit']:>9.1f}  {r['load'][0]:.1f}-{r['load'][1]:.1f}"
        )


if __name__ == "__main__":
    main()
