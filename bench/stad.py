"""Benchmark: a city in a box — Amsterdam-sized data, every page under N concurrent users.

    # build (once; ~15 min at scale 1 on a quiet 2-core machine) and drive, PostgreSQL:
    .venv/bin/python bench/stad.py --scale 0.05 --clients 50 --duration 60
    # rerun against the city already built (same scale and seed):
    .venv/bin/python bench/stad.py --scale 0.05 --reuse
    .venv/bin/python bench/stad.py --smoke            # seconds, for CI (SQLite unless
                                                      # BENCH_DATABASE_URL is set)
    # throw a city away:
    psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE eenplan_stad_s0050 WITH (FORCE)'

1. Builds the city (``bench/stad_bouw.py``, ``bench/stad_log.py``) from ``--seed`` at ``--scale``
   (1 = 900,000 persons, 45,000 plans, 300 regisseurs, 3,000 hulpverleners in 150
   organisations, 180,000 activities, 60,000 signals, 20 million log lines over a year) in the
   database ``eenplan_stad_s<scale in thousandths>`` (``--database-url`` or ``BENCH_DATABASE_URL``
   choose another). ``--reuse`` keeps a city built before with the same scale and seed. After
   building, ``flask sturing bijwerken`` computes the management information (timed).
2. Starts the production server configuration (``uvicorn asgi:app --workers 2`` with the
   streaming protocol, as ``scripts/run.sh``) and logs in ``--clients`` users — regisseurs,
   hulpverleners, privacy officers, citizens, team leads and policy officers (the /sturing
   pages, with filters) — each with a server-side login session of their own (as the two-factor
   login ends, see ``bench/portaal_live.py``); the privacy officers also get an API token for the
   LDV read API.
3. For ``--duration`` seconds each user requests the pages of their role, with ``--think``
   seconds (mean, exponential) between requests — the users' first requests spread over
   ``--ramp`` seconds — and every fifth request the trivial page
   (``/inloggen`` without a session: the same stack, no data). Prints per page p50/p95/p99, the
   errors (anything but 200), the ratio of its p95 to the trivial page's p95, the load average,
   and checks that every successful view wrote its log lines (distinct requests in the logboek
   = successful views). Then ``flask audit verify`` over the whole chain (``--no-verify`` skips).

Targets (issue 17) at ``--clients 50``: every page p95 ≤ 200 ms, ≤ 10× the trivial page, 0 errors.
The exit status is non-zero on errors, a wrong line count or a failing verify (not on slowness).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import os
import random
import re
import secrets
import subprocess
import sys
import time
from typing import Any

import cpu  # type: ignore[import-not-found]
import httpx
from common import (  # type: ignore[import-not-found]
    BENCH_KEYS,
    ROOT,
    add_smoke,
    database_url,
    make_app,
    smoke_failed,
    start_uvicorn,
    stop_server,
)
from stad_check import (  # type: ignore[import-not-found]
    TRIVIAL,
    explain,
    head_seq,
    report,
    requests_logged,
    vacuum,
    verify,
)
from stad_sturing import (  # type: ignore[import-not-found]
    sturing,
    sturing_filters,
    sturing_pages,
)

UA = "eenplan-bench-stad/1"
WL = "werklijst.bekijken"  # the names of the log lines a page writes (the guard's name)
ACT = "activiteiten-organisatie.bekijken"

# Pages that may show no one (and then rightly write no line): what a page naming someone holds.
NAMES_SOMEONE = {"signalen.werkvoorraad": 'href="/signalen/persoon/'}


def stad_url(opts: argparse.Namespace) -> str:
    if opts.database_url:
        return str(opts.database_url)
    if os.environ.get("BENCH_DATABASE_URL") or opts.smoke:
        return database_url("stad", smoke=opts.smoke)
    return f"postgresql://postgres@127.0.0.1:5432/eenplan_stad_s{round(opts.scale * 1000):04d}"


def _meta(engine: Any) -> dict[str, str]:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS bench_stad (key VARCHAR(40) PRIMARY KEY, value TEXT)"
        )
        return {k: v for k, v in conn.exec_driver_sql("SELECT key, value FROM bench_stad")}


def city(opts: argparse.Namespace, url: str) -> Any:
    """The application on a built city: reused when ``--reuse`` finds one that fits."""
    from stad_bouw import build  # type: ignore[import-not-found]

    wanted = {"scale": repr(opts.scale), "seed": str(opts.seed), "complete": "1"}
    if opts.reuse:
        app = make_app(url)
        if _meta(app.extensions["eenplan_db"].engine) == wanted:
            print(f"Reusing the city already built at {url.split('@')[-1]}")
            with app.extensions["eenplan_db"].engine.connect() as conn:
                done = conn.exec_driver_sql("SELECT count(*) FROM sturing_bijwerking").scalar()
            if not done:  # built before the bench drove /sturing
                sturing(app)
            return app
        print("No city with this scale and seed there: building one.")
        app.extensions["eenplan_db"].engine.dispose()
    app = make_app(url, fresh=True)
    engine = app.extensions["eenplan_db"].engine
    _meta(engine)
    print(f"Building the city (scale {opts.scale}, seed {opts.seed}) at {url.split('@')[-1]}…")
    t0 = time.perf_counter()
    built = build(app, opts.scale, opts.seed)
    with engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM bench_stad")
        for k, v in wanted.items():
            conn.exec_driver_sql(
                "INSERT INTO bench_stad (key, value) VALUES (?, ?)".replace(
                    "?", "%s" if engine.dialect.name == "postgresql" else "?"
                ),
                (k, v),
            )
    print(
        f"Built in {time.perf_counter() - t0:.0f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in built.items() if isinstance(v, int))
    )
    sturing(app)
    return app


# --- the users and what they open ---------------------------------------------------------


def prepare(app: Any, clients: int, seed: int) -> list[dict[str, Any]]:
    """``clients`` users with a fresh login session each, and the pages they will open."""
    from flask_login.utils import _create_identifier
    from sqlalchemy import text

    from app.auth.services import create_token
    from app.db import session
    from app.users.models import User

    rng = random.Random(seed + 1)
    engine = app.extensions["eenplan_db"].engine
    with engine.connect() as conn:

        def q(sql: str) -> Any:
            return conn.execute(text(sql))

        regs: dict[int, list[int]] = {}
        for u, p in q(
            "SELECT regisseur_id, id FROM plan WHERE status <> 'afgesloten' ORDER BY regisseur_id, id"
        ):
            regs.setdefault(int(u), []).append(int(p))
        afw: dict[int, list[int]] = {}
        for u, a in q("SELECT regisseur_id, id FROM afweging WHERE status = 'open' ORDER BY id"):
            afw.setdefault(int(u), []).append(int(a))
        hvs: dict[int, list[int]] = {}
        for u, p in q(
            'SELECT u.id, b.plan_id FROM "user" u JOIN betrokkenheid b '
            "ON b.organisation_id = u.organisation_id AND (b.user_id IS NULL OR b.user_id = u.id) "
            "JOIN plan ON plan.id = b.plan_id AND plan.status <> 'afgesloten' "
            "WHERE u.username LIKE 'stad-hulpverlener-%' AND EXISTS (SELECT 1 FROM activity a "
            "WHERE a.plan_id = b.plan_id AND a.organisation_id = u.organisation_id "
            "AND NOT a.afgerond) ORDER BY u.id, b.plan_id"
        ):
            hvs.setdefault(int(u), []).append(int(p))
        privacy = [
            int(r[0])
            for r in q("SELECT id FROM \"user\" WHERE username LIKE 'stad-privacy-%' ORDER BY id")
        ]
        citizens = [
            int(r[0])
            for r in q("SELECT id FROM \"user\" WHERE username LIKE 'stad-inwoner-%' ORDER BY id")
        ]
        leads, policy = (
            [
                int(r[0])
                for r in q(f"SELECT id FROM \"user\" WHERE username LIKE 'stad-{w}-%' ORDER BY id")
            ]
            for w in ("teamleider", "beleid")
        )
        filters = sturing_filters(q)
        subjects = [
            r[0]
            for r in q(
                "SELECT data_subject_id FROM audit_log_line WHERE seq % 997 = 0 ORDER BY seq LIMIT 200"
            )
        ]
        # Staff members whose lines the privacy officer looks up (as a link from an indicator
        # or a line does: by user id).
        actors = [
            r[0]
            for r in q(
                "SELECT actor_id FROM audit_log_line WHERE seq % 997 = 0 "
                "AND actor_type = 'medewerker' ORDER BY seq LIMIT 200"
            )
        ]
    n_priv = max(1, clients // 12)
    n_cit = max(1, clients // 5)
    n_lead = max(1, clients // 25) if leads else 0
    n_pol = max(1, clients // 25) if policy else 0
    n_hv = max(1, (clients - n_priv - n_cit - n_lead - n_pol) // 2)
    n_reg = max(1, clients - n_priv - n_cit - n_lead - n_pol - n_hv)
    reg_ids = sorted(regs)
    rng.shuffle(reg_ids)
    hv_ids = sorted(hvs)
    rng.shuffle(hv_ids)
    chosen: list[tuple[int, str]] = (
        [(u, "regisseur") for u in reg_ids[:n_reg]]
        + [(u, "hulpverlener") for u in hv_ids[:n_hv]]
        + [(privacy[i % len(privacy)], "privacy") for i in range(n_priv)]
        + [(citizens[i % len(citizens)], "burger") for i in range(n_cit)]
        + [(leads[i % len(leads)], "teamleider") for i in range(n_lead)]
        + [(policy[i % len(policy)], "beleid") for i in range(n_pol)]
    )
    now = dt.datetime.now(dt.UTC)
    out = []
    with app.app_context():
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        for user_id, role in chosen:
            user = session.get(User, user_id)
            assert user is not None
            from app.auth import sessions

            token = secrets.token_urlsafe(32)
            session.execute(
                sessions.LoginSession.__table__.insert().values(
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    user_id=user_id,
                    method="bench",
                    created_at=now,
                    last_seen_at=now,
                    roles_fingerprint=sessions.roles_fingerprint(user),
                )
            )
            api = create_token(user, "bench-stad")[1] if role == "privacy" else None
            with app.test_request_context(
                environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": UA}
            ):
                cookie = serializer.dumps(
                    {
                        "_user_id": str(user_id),
                        "_fresh": True,
                        "_id": _create_identifier(),
                        "sid": token,
                    }
                )
            out.append(
                {
                    "user_id": user_id,
                    "role": role,
                    "cookie": cookie,
                    "api": api,
                    "plans": regs.get(user_id) or hvs.get(user_id) or [],
                    "afwegingen": afw.get(user_id, []),
                    "subjects": subjects,
                    "actors": actors,
                    "filters": filters,
                }
            )
        session.commit()
        cookie_name = app.config["SESSION_COOKIE_NAME"]
    for c in out:
        c["cookie_name"] = cookie_name
    return out


def pages_for(user: dict[str, Any], rng: random.Random, last: dict[str, int]) -> list[Any]:
    """(page name, method, path, json body, name of its log lines) for this user's role."""
    today = dt.date.today()
    role = user["role"]
    plans = user["plans"]
    out: list[Any] = []
    if role == "regisseur":
        out += [
            ("werklijst", "GET", "/plannen", None, WL),
            ("werklijst, filter actief", "GET", "/plannen?status=actief", None, WL),
            (
                "werklijst, last page",
                "GET",
                f"/plannen?pagina={last.get('werklijst', 1)}",
                None,
                WL,
            ),
            ("signal queue", "GET", "/signalen/", None, "signalen.werkvoorraad"),
        ]
        if plans:
            out.append(
                (
                    "plan page (regisseur)",
                    "GET",
                    lambda: f"/plannen/{rng.choice(plans)}",
                    None,
                    "plan.bekijken",
                )
            )
        if user["afwegingen"]:
            a = user["afwegingen"]
            out.append(
                (
                    "afweging",
                    "GET",
                    lambda: f"/signalen/afweging/{rng.choice(a)}",
                    None,
                    "signalen.afweging",
                )
            )
    elif role == "hulpverlener":
        out += [
            ("activities of my organisation", "GET", "/activiteiten", None, ACT),
            (
                "activities, all, last page",
                "GET",
                f"/activiteiten?toon=alle&pagina={last.get('activiteiten', 1)}",
                None,
                ACT,
            ),
        ]
        if plans:
            out.append(
                (
                    "plan page (hulpverlener)",
                    "GET",
                    lambda: f"/plannen/{rng.choice(plans)}",
                    None,
                    "plan.bekijken",
                )
            )
    elif role == "privacy":
        subjects, actors = user["subjects"], user["actors"]
        out += [
            ("privacy overview (indicators, 7 days)", "GET", "/privacy/", None, None),
            (
                "privacy indicators, a year",
                "GET",
                f"/privacy/?van={(today - dt.timedelta(days=364)).isoformat()}&tot={today.isoformat()}",
                None,
                None,
            ),
            (
                "logboek search (person)",
                "GET",
                lambda: f"/privacy/logboek?persoon={rng.choice(subjects)}",
                None,
                "logboekcontrole.zoeken",
            ),
            (
                "LDV read API",
                "POST",
                "/api/ldv/v1/processing-activities",
                lambda: {"dpl.core.data_subject_id": rng.choice(subjects)},
                "api.ldv.processing_activities",
            ),
        ]
        if actors:  # (each has lines, so each search logs the reading of them)
            out.append(
                (
                    "logboek search (staff member)",
                    "GET",
                    lambda: f"/privacy/logboek?gebruiker={rng.choice(actors)}",
                    None,
                    "logboekcontrole.zoeken",
                )
            )
    elif role in ("teamleider", "beleid"):
        out += sturing_pages(role, user["filters"], rng)
    else:
        out.append(("citizen log page", "GET", "/mijn/logboek", None, None))
    return out


async def last_page(client: httpx.AsyncClient, path: str) -> int:
    resp = await client.get(path)
    found = [int(m) for m in re.findall(r"pagina=(\d+)", resp.text)]
    return max(found, default=1)


async def drive(base: str, users: list[dict[str, Any]], opts: argparse.Namespace) -> dict[str, Any]:
    times: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    ok: dict[str, int] = {}
    every: list[tuple[float, float, str, int, str]] = []  # (start s, ms, page, user, path)
    # The clock starts once every user is set up (their last pages found): those requests,
    # all at once, are the bench's own, not the users' (they made the first seconds a queue of
    # 40-50 requests, the slowest requests of the run).
    go, ready = asyncio.Event(), [0]
    start = deadline = 0.0
    if not users:
        start, deadline = time.perf_counter(), time.monotonic() + opts.duration
        go.set()
    limits = httpx.Limits(max_connections=4, max_keepalive_connections=4)

    async def one(user: dict[str, Any], k: int) -> None:
        rng = random.Random(opts.seed * 1000 + k)
        headers = {"User-Agent": UA}
        async with (
            httpx.AsyncClient(
                base_url=base,
                timeout=60,
                trust_env=False,
                headers=headers,
                limits=limits,
                cookies={user["cookie_name"]: user["cookie"]},
            ) as client,
            httpx.AsyncClient(base_url=base, timeout=60, trust_env=False, headers=headers) as anon,
        ):
            last = {}
            if user["role"] == "regisseur":
                last["werklijst"] = await last_page(client, "/plannen")
                ok[WL] = ok.get(WL, 0) + 1
            if user["role"] == "hulpverlener":
                last["activiteiten"] = await last_page(client, "/activiteiten?toon=alle")
                ok[ACT] = ok.get(ACT, 0) + 1
            pages = pages_for(user, rng, last)
            ready[0] += 1
            if ready[0] == len(users):
                nonlocal start, deadline
                start, deadline = time.perf_counter(), time.monotonic() + opts.duration
                go.set()
            await go.wait()
            # Users arrive over the ramp (10 a second by default), as a load generator's spawn
            # rate does: not all 50 within the first second (see --ramp).
            await asyncio.sleep(rng.uniform(0, max(opts.think, opts.ramp)))
            i = 0
            while time.monotonic() < deadline:
                i += 1
                if i % 5 == 0:
                    name, method, path, body, logs = TRIVIAL, "GET", "/inloggen", None, None
                    c = anon
                else:
                    name, method, path, body, logs = pages[rng.randrange(len(pages))]
                    c = client
                path = path() if callable(path) else path
                kw: dict[str, Any] = {}
                if body is not None:
                    kw["json"] = body() if callable(body) else body
                    kw["headers"] = {"Authorization": f"Bearer {user['api']}"}
                t0 = time.perf_counter()
                try:
                    resp = await c.request(method, path, **kw)
                    status = str(resp.status_code)
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                ms = (time.perf_counter() - t0) * 1000
                every.append((t0 - start, ms, name, k, path))
                if status == "200":
                    times.setdefault(name, []).append(ms)
                    # A view writes its line when it shows someone: the signal queue's page of
                    # groups not yet matched to a person names no one, and writes nothing.
                    shows = NAMES_SOMEONE.get(logs or "")
                    if logs and (shows is None or shows in resp.text):
                        ok[logs] = ok.get(logs, 0) + 1
                else:
                    errors.setdefault(name, []).append(f"{status} {path}")
                if opts.think:
                    await asyncio.sleep(rng.expovariate(1 / opts.think))

    async def job() -> None:
        """The scheduled `flask privacy indicatoren` (today as far as it went), as from cron."""
        env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": opts.url, **BENCH_KEYS}
        await go.wait()
        while time.monotonic() + opts.job_every < deadline:
            await asyncio.sleep(opts.job_every)
            t0 = time.perf_counter()
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "flask",
                "privacy",
                "indicatoren",
                "--dagen",
                "0",
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            if await proc.wait() != 0:
                errors.setdefault("flask privacy indicatoren", []).append(str(proc.returncode))
            jobs.append(time.perf_counter() - t0)
            job_runs.append((t0 - start, time.perf_counter() - start))

    jobs: list[float] = []
    job_runs: list[tuple[float, float]] = []
    tasks = [one(u, k) for k, u in enumerate(users)]
    if opts.job_every:
        tasks.append(job())
    await asyncio.gather(*tasks)
    if jobs:
        print(
            f"flask privacy indicatoren during the run: {len(jobs)} times, "
            f"{', '.join(f'{j:.1f}' for j in jobs)} s"
        )
    return {"times": times, "errors": errors, "ok": ok, "every": every, "job_runs": job_runs}


# --- the server --------------------------------------------------------------------------------


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    return start_uvicorn(
        url,
        port,
        workers,
        log_name="stad-server.log",
        # Longer than the users' pauses, as a browser's connection behind the usual proxy: a
        # connection closed while a request is on its way reads as an error, not as slowness.
        extra=("--backlog", "2048", "--timeout-keep-alive", "30"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=0.05, help="fraction of the city (1 = full)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--clients", type=int, default=50, help="concurrent logged-in users")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between clicks")
    parser.add_argument(
        "--ramp",
        type=float,
        default=5,
        help="seconds over which the users make their first request (measured as all others); "
        "0: all within the first think time, as a restart under load",
    )
    parser.add_argument("--port", type=int, default=None, help="5140; --smoke: a free one")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument(
        "--job-every",
        type=float,
        default=20,
        help="seconds between runs of the scheduled `flask privacy indicatoren` during the "
        "drive (production: every few minutes; the drive writes lines far faster); 0: none",
    )
    parser.add_argument(
        "--indicator-days",
        type=int,
        default=366,
        help="days back the indicator job computes before the drive (its first run over a "
        "year takes long at scale 1; fewer days leave the older ones to the page)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep a city built before")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--profile",
        metavar="NAME",
        default=None,
        help="instead of the drive: profile the pages whose name contains NAME, in this process "
        "(bench/stad_profiel.py: wall and SQL time, top statements with EXPLAIN, top functions)",
    )
    parser.add_argument("--profile-runs", type=int, default=20, help="requests per profiled page")
    add_smoke(parser)
    opts = parser.parse_args()
    if opts.smoke:
        opts.scale, opts.clients, opts.duration, opts.think, opts.reuse = 0.0, 8, 5, 0.05, False
        opts.ramp = 0.5
        opts.job_every = 2
        opts.port = opts.port or 0
    elif opts.port is None:
        opts.port = 5140
    url = opts.url = stad_url(opts)
    print(f"load average before: {os.getloadavg()}")
    app = city(opts, url)
    engine = app.extensions["eenplan_db"].engine
    if opts.build_only:
        engine.dispose()
        return
    t0 = time.perf_counter()
    with app.app_context():  # the scheduled job, as it runs every night
        from app.privacy import indicatoren_opslag

        days = len(list(indicatoren_opslag.bij_te_werken(dagen=opts.indicator_days)))
    print(f"flask privacy indicatoren: {days} days computed in {time.perf_counter() - t0:.0f} s")
    if engine.dialect.name == "postgresql":  # autovacuum is off on the bench machine
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE privacy_aandachtspunt, privacy_indicator_dag")
    vacuum(engine)
    users = prepare(app, opts.clients, opts.seed)
    if opts.profile or opts.smoke:  # the smoke run keeps the profiler working too
        from stad_profiel import menu, profile  # type: ignore[import-not-found]

        pattern = opts.profile or "werklijst"
        runs = 2 if opts.smoke else opts.profile_runs
        if not profile(app, users, pattern, runs, pages_for, UA):
            smoke_failed(f"no page of the drive is named like {pattern!r}")
        if opts.smoke:
            menu(app, users, 3)
        if opts.profile:
            engine.dispose()
            return
    engine.dispose()
    port = opts.port
    if not port:
        sys.path.insert(0, str(ROOT))
        from tests.support.oidc_provider import free_port

        port = free_port()
    server = start_server(url, port, opts.workers)
    try:
        before = head_seq(engine)
        cpu_before = cpu.snapshot(server.pid)
        result = asyncio.run(drive(f"http://127.0.0.1:{port}", users, opts))
        cpu_after = cpu.snapshot(server.pid)
        load = os.getloadavg()
    finally:
        stop_server(server)
    met = report(result, opts, load)
    requests = sum(len(v) for v in result["times"].values()) + sum(
        len(v) for v in result["errors"].values()
    )
    print(cpu.report(cpu_before, cpu_after, requests=requests))
    logged = requests_logged(engine, before)
    views = result["ok"]
    same = logged == views
    print(f"successful views per log name: {views}")
    print(f"requests in the logboek:       {logged}  ({'equal' if same else 'DIFFERENT'})")
    indexed = explain(engine)
    if not opts.no_verify:
        verify(url)
    engine.dispose()
    print(f"load average after: {os.getloadavg()}")
    if any(result["errors"].values()):
        smoke_failed("pages answered with errors")
    if not indexed and not opts.smoke:  # tiny tables: a sequential scan is right
        smoke_failed("a lookup does not use its index (see EXPLAIN above)")
    if not same:
        smoke_failed("log lines do not match the successful views")
    _ = met


if __name__ == "__main__":
    main()
