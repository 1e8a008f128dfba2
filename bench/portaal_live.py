"""Benchmark: citizens watching their live logboek while regisseurs work.

    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_live \\
        .venv/bin/python bench/portaal_live.py --watchers 5000 [--views 300]
    .venv/bin/python bench/portaal_live.py --watchers 50          # SQLite: the quick start
    .venv/bin/python bench/portaal_live.py --smoke                 # seconds, for CI

Real processes, as in production. ``--watchers N`` citizens (distinct accounts, each with a login
session of their own) each hold the event stream of "Wie heeft mijn gegevens gezien" open on
server A (``serve.py``: uvicorn serving ``asgi:app``, 2 worker processes: the quick start's and the README's
configuration). A regisseur, logged in through SSO (oidc-provider-mock), views plans of watched
citizens on server B (another uvicorn process) on PostgreSQL — every line then travels through
NOTIFY (or, failing that, the poll by sequence) to A. On SQLite there is one server, as in the
quick start: views and streams on the same two worker processes, lines between them only through
the poll by sequence.

Prints: delivery latency (from sending the plan request to the event in the watcher's stream:
p50/p95/p99), lines missed (every line about a watched citizen committed during the run that no
stream delivered), the werklijst's p95 without and with the watchers (and the ratio), and the
memory per idle stream (the growth of server A's resident memory over N). Targets (issue 14):
PostgreSQL N=5,000: 0 missed, p95 ≤ 250 ms, ratio ≤ 1.5; SQLite N=50: 0 missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from common import (  # type: ignore[import-not-found]
    BENCH_KEYS,
    ROOT,
    add_smoke,
    bsn_from,
    database_url,
    instance_path,
    make_app,
    percentile,
    smoke_failed,
)

sys.path.insert(0, str(ROOT))
from tests.support.oidc_provider import free_port  # noqa: E402

UA = "eenplan-bench/1"


def describe(values: list[float]) -> str:
    if not values:
        return "(none)"
    return (
        f"p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
        f"p99 {percentile(values, 99):.1f} ms, n={len(values)}"
    )


# --- set-up: demo data, N citizens with a login session each ---------------------------------


def setup(url: str, persons: int, watchers: int) -> dict[str, Any]:
    from sqlalchemy import insert, select

    from app.auth.models import LoginSession
    from app.db import get_database, session
    from app.people.models import Person
    from app.plans.models import Plan
    from app.users.models import User
    from audit import Subject
    from demo import load_demo

    app = make_app(url, fresh=True)
    with app.app_context():
        load_demo(persons=persons)
        reg = session.scalars(select(User).where(User.username == "regisseur")).one()
        plans = session.execute(
            select(Plan.id, Plan.person_id)
            .where(Plan.regisseur_id == reg.id)
            .order_by(Plan.id)
            .execution_options(audit_internal=True)
        ).all()
        have = [
            int(r[0])
            for r in session.execute(
                select(Person.id).order_by(Person.id).execution_options(audit_internal=True)
            )
        ]
        session.close()
        engine = get_database().engine
        # The regisseur's plans' persons first (their views write the lines we time), then others.
        planned = list(dict.fromkeys(int(p) for _, p in plans))
        chosen = planned + [p for p in have if p not in set(planned)]
        extra = max(0, watchers - len(chosen))
        with engine.begin() as conn:
            if extra:
                rows = [
                    {
                        "bsn": bsn_from(700_000_00 + 13 * i),
                        "voornamen": "Kijker",
                        "tussenvoegsel": None,
                        "achternaam": f"Bench {i}",
                        "geboortedatum": dt.date(1980, 1, 1),
                    }
                    for i in range(extra)
                ]
                conn.execute(insert(Person.__table__), rows)
                chosen += [
                    int(r[0])
                    for r in conn.execute(
                        select(Person.id)
                        .where(Person.achternaam.like("Bench %"))
                        .order_by(Person.id)
                    )
                ]
        chosen = chosen[:watchers]
        now = dt.datetime.now(dt.UTC)
        fingerprint = hashlib.sha256(b"").hexdigest()
        tokens = [secrets.token_urlsafe(32) for _ in chosen]
        with engine.begin() as conn:
            conn.execute(
                insert(User.__table__),
                [
                    {
                        "username": f"inwoner-bench-{i}",
                        "name": f"Kijker {i}",
                        "person_id": pid,
                        "password_hash": None,
                        "active": True,
                        "created_at": now,
                    }
                    for i, pid in enumerate(chosen)
                ],
            )
            ids = dict(
                conn.execute(
                    select(User.person_id, User.id).where(User.username.like("inwoner-bench-%"))
                ).all()
            )
            conn.execute(
                insert(LoginSession.__table__),
                [
                    {
                        "token_hash": hashlib.sha256(tok.encode()).hexdigest(),
                        "user_id": ids[pid],
                        "method": "bench",
                        "created_at": now,
                        "last_seen_at": now,
                        "roles_fingerprint": fingerprint,
                    }
                    for pid, tok in zip(chosen, tokens, strict=True)
                ],
            )
            bsns = dict(
                conn.execute(select(Person.id, Person.bsn).where(Person.id.in_(chosen))).all()
            )
        from flask_login.utils import _create_identifier

        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        with app.test_request_context(
            environ_base={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": UA}
        ):
            identifier = _create_identifier()
            lb = app.extensions["eenplan_logboek"]
            cookies = [
                serializer.dumps(
                    {"_user_id": str(ids[pid]), "_fresh": True, "_id": identifier, "sid": tok}
                )
                for pid, tok in zip(chosen, tokens, strict=True)
            ]
            pseudonyms = [lb.pseudonymise(Subject("BSN", bsns[pid])) for pid in chosen]
        engine.dispose()
    by_person = dict(zip(chosen, range(len(chosen)), strict=True))
    timed_plans = [(int(plan), by_person[int(pid)]) for plan, pid in plans if int(pid) in by_person]
    return {
        "cookie_name": app.config["SESSION_COOKIE_NAME"],
        "cookies": cookies,
        "pseudonyms": pseudonyms,
        "plans": timed_plans,
        "app": app,
    }


# --- processes ---------------------------------------------------------------------------------


def start(args: list[str], env: dict[str, str] | None, log: str) -> subprocess.Popen[bytes]:
    out = open(instance_path() / log, "wb")  # noqa: SIM115 - lives as long as the process
    return subprocess.Popen(  # noqa: S603 - our own interpreter and fixed modules
        args, env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True
    )


def wait_http(url: str, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 90
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


def rss_kb(root_pid: int) -> int:
    """Resident memory of a process group's processes (server A: uvicorn and its workers)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().split()
            if int(stat[4]) != root_pid:  # the process group
                continue
            for line in (entry / "status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total


async def via_provider(client: httpx.AsyncClient, base: str, provider: str, sub: str) -> None:
    resp = await client.get(base + "/inloggen/sso")
    assert resp.status_code == 302, resp.status_code
    authorize = resp.headers["Location"]
    async with httpx.AsyncClient(timeout=10, trust_env=False) as p:
        back = await p.post(authorize, data={"sub": sub})
    assert back.status_code == 302, back.text[:200]
    resp = await client.get(back.headers["Location"])
    while resp.status_code in (301, 302, 303):
        location = resp.headers["Location"]
        assert "/inloggen" not in urlsplit(location).path, f"login refused: {location}"
        resp = await client.get(base + location if location.startswith("/") else location)
    assert resp.status_code == 200, resp.status_code


# --- the watchers -----------------------------------------------------------------------------


class Watchers:
    def __init__(self, host: str, port: int, cookie_name: str, cookies: list[str]) -> None:
        self.host, self.port, self.cookie_name, self.cookies = host, port, cookie_name, cookies
        self.received: list[dict[int, float]] = [{} for _ in cookies]
        self.waiting: dict[int, asyncio.Event] = {}
        self.connected = 0
        self.refused = 0
        self.tasks: list[asyncio.Task[None]] = []

    async def _one(self, i: int, ready: asyncio.Semaphore) -> None:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        writer.write(
            (
                f"GET /mijn/logboek/live HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
                f"User-Agent: {UA}\r\nAccept: text/event-stream\r\n"
                f"Cookie: {self.cookie_name}={self.cookies[i]}\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        status = await reader.readline()
        if b" 200 " not in status:
            self.refused += 1
            ready.release()
            writer.close()
            return
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # headers
        event = ""
        counted = False
        while True:
            line = await reader.readline()
            if not line:
                return
            text = line.decode().rstrip("\r\n")
            # chunked transfer: size lines are hex only; our fields all contain ": " or are ""
            if text.startswith("retry:") and not counted:
                counted = True
                self.connected += 1
                ready.release()
            elif text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: ") and event == "regel":
                seq = int(json.loads(text[6:])["seq"])
                self.received[i].setdefault(seq, time.perf_counter())
                waiter = self.waiting.get(i)
                if waiter is not None:
                    waiter.set()
            elif text == "":
                event = ""

    async def open(self, concurrency: int = 100) -> None:
        ready = asyncio.Semaphore(concurrency)
        for i in range(len(self.cookies)):
            await ready.acquire()
            self.tasks.append(asyncio.create_task(self._one(i, ready)))
        for _ in range(concurrency):
            await ready.acquire()

    def close(self) -> None:
        for t in self.tasks:
            t.cancel()


async def werklijst(client: httpx.AsyncClient, base: str, n: int) -> list[float]:
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        resp = await client.get(base + "/plannen")
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, resp.status_code
    return times


def lines_about(app: Any, pseudonyms: list[str], after: int) -> dict[str, list[int]]:
    from sqlalchemy import select

    from app.db import get_database
    from audit import schema

    ll = schema.log_line
    out: dict[str, list[int]] = {}
    with app.app_context(), get_database().engine.connect() as conn:
        for p, seq in conn.execute(
            select(ll.c.data_subject_id, ll.c.seq).where(
                ll.c.seq > after, ll.c.data_subject_id.in_(pseudonyms)
            )
        ):
            out.setdefault(p, []).append(int(seq))
        get_database().engine.dispose()
    return out


def head(app: Any) -> int:
    from sqlalchemy import func, select

    from app.db import get_database
    from audit import schema

    with app.app_context(), get_database().engine.connect() as conn:
        value = conn.execute(select(func.max(schema.log_line.c.seq))).scalar()
    return int(value or 0)


async def run(opts: argparse.Namespace) -> int:
    url = database_url("portaal_live", smoke=opts.smoke)
    postgres = url.startswith("postgresql")
    print(f"database: {'PostgreSQL' if postgres else 'SQLite (the quick start: one server)'}")
    t0 = time.monotonic()
    data = setup(url, opts.persons, opts.watchers)
    print(f"set-up: {opts.watchers} citizens with a login session ({time.monotonic() - t0:.0f} s)")
    procs: list[subprocess.Popen[bytes]] = []
    watchers: Watchers | None = None
    try:
        op = free_port()
        provider = f"http://127.0.0.1:{op}"
        claims = {
            "sub": "bench-reg",
            "preferred_username": "regisseur",
            "employee_id": "regisseur",
            "amr": ["otp"],
        }
        procs.append(
            start(
                [sys.executable, "-m", "oidc_provider_mock", "--port", str(op)]
                + ["--user-claims", json.dumps(claims)],
                None,
                "portaal_live-oidc.log",
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
            "SESSION_IDLE_MINUTES": "600",
            "PORTAAL_LIVE_MAX_SECONDS": "3600",
            "OIDC_STAFF_ISSUER": provider,
            "OIDC_STAFF_CLIENT_ID": "bench",
            "OIDC_STAFF_CLIENT_SECRET": "bench",
            "OIDC_STAFF_LINK_CLAIM": "employee_id",
        }
        servers = []
        for n in range(2 if postgres else 1):
            port = free_port()
            workers = opts.workers if n == 0 else 1
            procs.append(
                start(
                    [sys.executable, "serve.py", "--host", "127.0.0.1"]
                    + ["--port", str(port), "--workers", str(workers)]
                    + ["--backlog", "4096", "--timeout-keep-alive", "30"],
                    env,
                    f"portaal_live-server-{n}.log",
                )
            )
            servers.append((port, procs[-1]))
            wait_http(f"http://127.0.0.1:{port}/inloggen", procs[-1], "uvicorn")
        (a_port, a_proc), (b_port, _) = servers[0], servers[-1]
        a_base, b_base = f"http://127.0.0.1:{a_port}", f"http://127.0.0.1:{b_port}"
        print(
            f"servers: streams on {a_base} (uvicorn, {opts.workers} workers)"
            + (f", regisseur on {b_base} (uvicorn, 1 worker)" if postgres else ", regisseur too")
        )
        staff = httpx.AsyncClient(timeout=30, trust_env=False)
        await via_provider(staff, b_base, provider, "bench-reg")
        await werklijst(staff, b_base, 5)  # warm up
        without = await werklijst(staff, b_base, opts.pages)
        await asyncio.sleep(1.0)
        rss_before = rss_kb(a_proc.pid)

        start_seq = head(data["app"])
        watchers = Watchers("127.0.0.1", a_port, data["cookie_name"], data["cookies"])
        t0 = time.monotonic()
        await watchers.open()
        print(
            f"watchers: {watchers.connected} streams open, {watchers.refused} refused "
            f"({time.monotonic() - t0:.1f} s to open)"
        )
        await asyncio.sleep(2.0)
        rss_after = rss_kb(a_proc.pid)
        with_watchers = await werklijst(staff, b_base, opts.pages)

        latencies: list[float] = []
        responses: list[float] = []
        after_response: list[float] = []
        late = 0
        plans = data["plans"]
        for k in range(opts.views if plans else 0):
            plan_id, who = plans[k % len(plans)]
            before = set(watchers.received[who])
            event = asyncio.Event()
            watchers.waiting[who] = event
            t_send = time.perf_counter()
            resp = await staff.get(f"{b_base}/plannen/{plan_id}")
            responses.append((time.perf_counter() - t_send) * 1000)
            assert resp.status_code == 200, resp.status_code
            try:
                while set(watchers.received[who]) <= before:
                    await asyncio.wait_for(event.wait(), timeout=10)
                    event.clear()
            except TimeoutError:
                late += 1
                continue
            finally:
                watchers.waiting.pop(who, None)
            first = min(t for s, t in watchers.received[who].items() if s not in before)
            latencies.append((first - t_send) * 1000)
            after_response.append(max(0.0, (first - t_send) * 1000 - responses[-1]))
        await asyncio.sleep(3 * float(os.environ.get("PORTAAL_LIVE_POLL_SECONDS", "1")) + 1)
        written = lines_about(data["app"], data["pseudonyms"], start_seq)
        index = {p: i for i, p in enumerate(data["pseudonyms"])}
        total = sum(len(v) for v in written.values())
        missed = sum(
            1 for p, seqs in written.items() for s in seqs if s not in watchers.received[index[p]]
        )
        p_without, p_with = percentile(without, 95), percentile(with_watchers, 95)
        ratio = p_with / p_without if p_without else float("inf")
        per_stream = (rss_after - rss_before) / max(1, watchers.connected)
        print(f"plan views: {opts.views}, timed out: {late}")
        print(f"plan view response time:                {describe(responses)}")
        print(f"delivery (view sent → event in stream): {describe(latencies)}")
        print(f"  of which after the view's response:   {describe(after_response)}")
        print(f"lines about watchers written: {total}, missed: {missed}")
        print(f"werklijst without watchers: {describe(without)}")
        print(f"werklijst with {watchers.connected} watchers: {describe(with_watchers)}")
        print(f"werklijst p95 ratio: {ratio:.2f}")
        print(
            f"server A memory: {rss_before / 1024:.0f} MB → {rss_after / 1024:.0f} MB, "
            f"{per_stream:.1f} kB per idle stream"
        )
        p95 = percentile(latencies, 95) if latencies else float("inf")
        if postgres:
            met = missed == 0 and not late and p95 <= 250 and ratio <= 1.5
            print(f"targets (0 missed, p95 ≤ 250 ms, ratio ≤ 1.5): {'met' if met else 'NOT met'}")
        else:
            met = missed == 0 and not late
            print(f"target (0 missed): {'met' if met else 'NOT met'}")
        print(f"load average: {os.getloadavg()}")
        await staff.aclose()
        # The exit status: every stream opened and every line delivered (timings vary with the
        # machine; they are for reading, and a smoke run's handful of samples says nothing).
        if watchers.connected != opts.watchers:
            smoke_failed(f"{watchers.connected} of {opts.watchers} streams opened")
        if missed or late:
            smoke_failed(f"{missed} lines missed, {late} views whose line did not arrive")
        return 0
    finally:
        if watchers is not None:
            watchers.close()
        for p in procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--watchers", type=int, default=50, help="citizens holding a stream")
    parser.add_argument("--views", type=int, default=200, help="plan views by the regisseur")
    parser.add_argument("--pages", type=int, default=200, help="werklijst requests per series")
    parser.add_argument("--workers", type=int, default=2, help="server A's worker processes")
    parser.add_argument("--persons", type=int, default=300, help="demo persons")
    add_smoke(parser)
    opts = parser.parse_args()
    if opts.smoke:
        opts.watchers, opts.views, opts.pages, opts.persons = 5, 5, 10, 30
    sys.exit(asyncio.run(run(opts)))


if __name__ == "__main__":
    main()
