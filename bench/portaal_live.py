"""Benchmark: from a regisseur's plan view to the line in the citizen's open event stream.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_live \\
        .venv/bin/python bench/portaal_live.py [--views 300] [--workers 2]

Real processes, as in production: two gunicorn servers (gthread workers) on the same
PostgreSQL database and an OpenID Connect provider (oidc-provider-mock). The citizen logs in
through the provider (DigiD-style, BSN claim) on server A and opens the event stream of "Wie
heeft mijn gegevens gezien" there; the regisseur logs in through SSO on server B and views the
citizen's plan, ``--views`` times, one after the other. Because the view and the stream are
served by different processes, each line travels through PostgreSQL ``NOTIFY`` (sent in the
view's transaction) to server A's ``LISTEN`` connection and out over Server-Sent Events.

Measured per view: the time from sending the plan request to the arrival of the event with the
new line (the view's own response time included). Prints p50/p95/p99. Target (issue 5): p95
under 1 second. Without BENCH_DATABASE_URL it runs on SQLite with one server (the in-process
broker), which says nothing about several processes. ``--smoke``: 5 views, 40 residents, one
worker per server; exits non-zero when a view fails or its event does not arrive.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from common import (  # type: ignore[import-not-found]
    BENCH_KEYS,
    ROOT,
    add_smoke,
    database_url,
    describe,
    instance_path,
    make_app,
    percentile,
    smoke_failed,
)

sys.path.insert(0, str(ROOT))
from tests.support.oidc_provider import free_port  # noqa: E402


def setup(url: str, persons: int) -> tuple[int, str]:
    """Fresh database with the demo data; the regisseur's plan with the largest household."""
    from sqlalchemy import select

    from app.db import session
    from app.people.models import Person
    from app.plans.models import Plan
    from app.users.models import User
    from demo import load_demo

    app = make_app(url, fresh=True)
    with app.app_context():
        load_demo(persons=persons)
        reg = session.scalars(select(User).where(User.username == "regisseur")).one()
        plan_id, bsn = session.execute(
            select(Plan.id, Person.bsn)
            .join(Person, Person.id == Plan.person_id)
            .where(Plan.regisseur_id == reg.id)
            .order_by(Plan.id)
            .limit(1)
            .execution_options(audit_internal=True)
        ).one()
    from app.db import get_database

    with app.app_context():
        get_database().engine.dispose()
    return int(plan_id), str(bsn)


def wait_http(url: str, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} stopped ({proc.returncode})")
        try:
            if httpx.get(url, timeout=2, trust_env=False).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not start")


def start(
    args: list[str], env: dict[str, str] | None = None, log: str | None = None
) -> subprocess.Popen[bytes]:
    """A server process; its output goes to ``instance/bench/<log>`` (for when it fails)."""
    out: Any = subprocess.DEVNULL
    if log:
        folder = instance_path()
        folder.mkdir(parents=True, exist_ok=True)
        out = open(folder / log, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed modules
        args,
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=out,
        start_new_session=True,
    )


def via_provider(client: httpx.Client, base: str, start_path: str, provider: str, sub: str) -> None:
    """Log in through the provider as a browser would: app → provider (pick ``sub``) → app."""
    resp = client.get(base + start_path)
    assert resp.status_code == 302, (start_path, resp.status_code)
    authorize = resp.headers["Location"]
    assert authorize.startswith(provider)
    back = httpx.post(authorize, data={"sub": sub}, timeout=10, trust_env=False)
    assert back.status_code == 302, back.text[:200]
    resp = client.get(back.headers["Location"])
    while resp.status_code in (301, 302, 303):
        location = resp.headers["Location"]
        assert "/inloggen" not in urlsplit(location).path, f"login refused: {location}"
        resp = client.get(base + location if location.startswith("/") else location)
    assert resp.status_code == 200, resp.status_code


def reader(client: httpx.Client, url: str, events: queue.Queue[tuple[float, int]]) -> None:
    """Read the citizen's event stream; each ``regel`` event: (arrival time, seq)."""
    with client.stream("GET", url, timeout=httpx.Timeout(10, read=None)) as resp:
        assert resp.status_code == 200, resp.status_code
        events.put((time.perf_counter(), -1))  # connected
        event = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: ") and event == "regel":
                events.put((time.perf_counter(), int(json.loads(line[6:])["seq"])))
            elif line == "":
                event = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--persons", type=int, default=300)
    add_smoke(parser)
    opts = parser.parse_args()
    if opts.smoke:
        opts.views, opts.persons, opts.workers = 5, 40, 1
    url = database_url("portaal_live", smoke=opts.smoke)
    postgres = url.startswith("postgresql")
    print(f"database: {'PostgreSQL' if postgres else 'SQLite (one server, in-process broker)'}")
    plan_id, bsn = setup(url, opts.persons)

    procs: list[subprocess.Popen[bytes]] = []
    try:
        op = free_port()
        provider = f"http://127.0.0.1:{op}"
        procs.append(
            start(
                [
                    sys.executable,
                    "-m",
                    "oidc_provider_mock",
                    "--port",
                    str(op),
                    "--user-claims",
                    json.dumps(
                        {
                            "sub": "bench-reg",
                            "preferred_username": "regisseur",
                            "employee_id": "regisseur",
                            "amr": ["otp"],
                        }
                    ),
                    "--user-claims",
                    json.dumps({"sub": "bench-inwoner", "bsn": bsn}),
                ]
            )
        )
        wait_http(provider + "/.well-known/openid-configuration", procs[-1], "oidc provider")
        env = {
            **os.environ,
            **BENCH_KEYS,
            "DATABASE_URL": url,
            "MFA_KEY": "bench-mfa-key",
            "EENPLAN_ARGON2_PROFILE": "test",
            "RATELIMIT_ENABLED": "0",
            "LOG_LEVEL": "WARNING",
            "PORTAAL_LIVE_MAX_SECONDS": "3600",
            "OIDC_STAFF_ISSUER": provider,
            "OIDC_STAFF_CLIENT_ID": "bench",
            "OIDC_STAFF_CLIENT_SECRET": "bench",
            "OIDC_STAFF_LINK_CLAIM": "employee_id",
            "OIDC_BURGER_ISSUER": provider,
            "OIDC_BURGER_CLIENT_ID": "bench-burger",
            "OIDC_BURGER_CLIENT_SECRET": "bench",
        }
        servers = []
        for _ in range(2 if postgres else 1):
            port = free_port()
            procs.append(
                start(
                    [
                        str(ROOT / ".venv" / "bin" / "gunicorn"),
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--worker-class",
                        "gthread",
                        "--workers",
                        str(opts.workers),
                        "--threads",
                        "16",
                        # Longer than gunicorn's 2 s default: the clients reuse connections.
                        "--keep-alive",
                        "30",
                        "wsgi:app",
                    ],
                    env,
                    log=f"portaal_live-gunicorn-{len(servers)}.log",
                )
            )
            servers.append(f"http://127.0.0.1:{port}")
            wait_http(servers[-1] + "/inloggen", procs[-1], "gunicorn")
        citizen_base, staff_base = servers[0], servers[-1]
        print(
            f"servers: citizen on {citizen_base}, regisseur on {staff_base}, {opts.workers} gthread workers each"
        )

        citizen = httpx.Client(timeout=10, trust_env=False)
        via_provider(citizen, citizen_base, "/mijn/inloggen/digid", provider, "bench-inwoner")
        staff = httpx.Client(timeout=10, trust_env=False)
        via_provider(staff, staff_base, "/inloggen/sso", provider, "bench-reg")

        events: queue.Queue[tuple[float, int]] = queue.Queue()
        threading.Thread(
            target=reader, args=(citizen, citizen_base + "/mijn/logboek/live", events), daemon=True
        ).start()
        events.get(timeout=10)  # connected
        time.sleep(1.0)  # the LISTEN connection of server A is up

        plan_url = f"{staff_base}/plannen/{plan_id}"
        for _ in range(5):  # warm up both servers' workers and connections
            staff.get(plan_url)
            while True:
                try:
                    events.get(timeout=0.5)
                except queue.Empty:
                    break
        latencies: list[float] = []
        after_response: list[float] = []
        views: list[float] = []
        missed = 0
        for _ in range(opts.views):
            t0 = time.perf_counter()
            resp = staff.get(plan_url)
            t1 = time.perf_counter()
            views.append((t1 - t0) * 1000)
            assert resp.status_code == 200, resp.status_code
            try:
                arrived, _seq = events.get(timeout=5)
            except queue.Empty:
                missed += 1
                continue
            latencies.append((arrived - t0) * 1000)
            after_response.append((arrived - t1) * 1000)
            while not events.empty():  # one view may write more than one line about her
                events.get_nowait()
        print(f"plan views: {opts.views}, events received: {len(latencies)}, missed: {missed}")
        print(f"view response time:     {describe(views)}")
        print(f"view → event in stream: {describe(latencies)}")
        print(f"response → event:       {describe(after_response)}  (NOTIFY, LISTEN, SSE)")
        p95 = percentile(latencies, 95) if latencies else float("inf")
        print(f"target p95 < 1000 ms: {'met' if p95 < 1000 and not missed else 'NOT met'}")
        print(f"load average: {os.getloadavg()}")
        if missed:
            smoke_failed(f"{missed} of {opts.views} views never reached the event stream")
    finally:
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
