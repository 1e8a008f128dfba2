"""``bench/stad.py --profile NAME``: where one page of the city spends its time.

The page (every page whose name in the report contains NAME, case-insensitive; ``all``: every
page, one after the other, ending with a table of what each costs on its own) is requested
``--profile-runs`` times in this process, through the application's own test client with the
same logged-in user as the drive, after one warm-up request. It prints per page:

* wall time per request (median) and how much of it the database took (SQL time, statements);
* the statements with the most total time, and on PostgreSQL ``EXPLAIN (ANALYZE, BUFFERS)`` of
  the slowest one with its own parameters;
* the functions with the most cumulative time (cProfile), limited to the project's code and
  the template engine.

With ``all`` or ``menu`` it also measures the menu's counts on their own (:func:`menu`): their
statements kept per user and day (``app/access/statements.py``) against built anew on every
call, as before, alternated in one run; the ratio is the figure.

No server, no concurrency: this is what one request costs on its own, the part of the p95 that
queueing does not explain.
"""

from __future__ import annotations

import cProfile
import io
import logging
import pstats
import random
import re
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from app.privacy import indicatoren_opslag
from app.serving import compile_templates


class _Statements:
    def __init__(self) -> None:
        self.total: dict[str, float] = {}
        self.count: dict[str, int] = {}
        self.slowest: tuple[float, str, Any] = (0.0, "", None)
        self.seconds = 0.0
        self.n = 0


@contextmanager
def _timing(engine: Any) -> Iterator[_Statements]:
    seen = _Statements()

    def before(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: Any
    ) -> None:
        conn.info.setdefault("bench_t0", []).append(time.perf_counter())

    def after(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: Any) -> None:
        took = time.perf_counter() - conn.info["bench_t0"].pop()
        key = re.sub(r"\s+", " ", statement).strip()[:160]
        seen.total[key] = seen.total.get(key, 0.0) + took
        seen.count[key] = seen.count.get(key, 0) + 1
        seen.seconds += took
        seen.n += 1
        if took > seen.slowest[0] and statement.lstrip().upper().startswith("SELECT"):
            seen.slowest = (took, statement, params)

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def _explain(engine: Any, statement: str, params: Any) -> str:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", params).all()
        conn.rollback()
    return "\n".join(f"      {r[0][:220]}" for r in rows)


def _functions(prof: cProfile.Profile, top: int, sort: str, *only: str) -> str:
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats(sort).print_stats(*only, top)
    keep = [line for line in out.getvalue().splitlines() if re.match(r"\s+\d+(/\d+)?\s+\d", line)]
    return "\n".join(f"    {line.strip()}" for line in keep)


def _request(client: Any, method: str, path: Any, body: Any, headers: dict[str, str]) -> int:
    kw: dict[str, Any] = {"headers": headers}
    if body is not None:
        kw["json"] = body() if callable(body) else body
    return int(client.open(path() if callable(path) else path, method=method, **kw).status_code)


def profile(
    app: Any, users: list[dict[str, Any]], pattern: str, runs: int, pages_for: Any, ua: str
) -> int:
    """Profile the matching pages; the number of pages profiled. ``ua``: the drive's user agent
    (the login session's identifier depends on it)."""
    logging.getLogger("eenplan.request").setLevel(logging.WARNING)  # not a line per request
    compile_templates(app)  # as the server does before its first request (asgi.py)
    costs: dict[str, tuple[float, float, float]] = {}
    for user in users:
        for page in pages_for(user, random.Random(7), {}):
            wanted = pattern == "all" or pattern.lower() in page[0].lower()
            if wanted and page[0] not in costs:
                costs[page[0]] = _profile_page(app, user, page, runs, ua)
    if pattern in ("all", "menu"):
        menu(app, users, max(runs * 10, 20))
        if pattern == "menu":
            return 1
    if costs:
        trivial = ("trivial page (/inloggen)", "GET", "/inloggen", None, None)
        costs[trivial[0]] = _profile_page(app, None, trivial, runs, ua)
        print(f"\n{'page, one request at a time':44} {'wall ms':>8} {'SQL ms':>7} {'stmts':>6}")
        for name, (wall, sql, n) in sorted(costs.items()):
            print(f"{name:44} {wall:8.1f} {sql:7.1f} {n:6.1f}")
    return len(costs) - 1 if costs else 0


def _profile_page(
    app: Any, user: dict[str, Any] | None, page: Any, runs: int, ua: str
) -> tuple[float, float, float]:
    """Profile one page (``user`` None: without a session); its median wall time, SQL time
    and statements per request."""
    engine = app.extensions["eenplan_db"].engine
    name, method, path, body, _logs = page
    client = app.test_client()
    if user is not None:
        client.set_cookie(user["cookie_name"], user["cookie"])
    headers = {"User-Agent": ua}
    if body is not None and user is not None:
        headers["Authorization"] = f"Bearer {user['api']}"
    # The scheduled job (cron, every few minutes): the lines the profile wrote.
    with app.app_context():
        for _ in indicatoren_opslag.bij_te_werken(dagen=0):
            pass
    t0 = time.perf_counter()
    status = _request(client, method, path, body, headers)  # warm-up: caches, a connection
    first = (time.perf_counter() - t0) * 1000
    if status != 200:
        raise SystemExit(f"FAILED: {name} answered {status} in the profiler")
    walls: list[float] = []
    with _timing(engine) as seen:  # timed, not profiled
        for _ in range(runs):
            t0 = time.perf_counter()
            _request(client, method, path, body, headers)
            walls.append((time.perf_counter() - t0) * 1000)
    prof = cProfile.Profile()
    for _ in range(runs):
        prof.enable()
        _request(client, method, path, body, headers)
        prof.disable()
    print(
        f"\n== {name}: {runs} requests in this process, one at a time\n"
        f"  wall per request: median {statistics.median(walls):.1f} ms "
        f"(min {min(walls):.1f}, max {max(walls):.1f}); the page's first request in this "
        f"process {first:.1f} ms\n"
        f"  SQL per request: {seen.seconds / runs * 1000:.1f} ms in {seen.n / runs:.1f} statements"
    )
    print("  statements with the most time (total ms over the run, count):")
    for key, total in sorted(seen.total.items(), key=lambda kv: -kv[1])[:6]:
        print(f"    {total * 1000:8.1f} ms  {seen.count[key]:4d}×  {key}")
    took, statement, params = seen.slowest
    if engine.dialect.name == "postgresql" and statement:
        print(f"  EXPLAIN (ANALYZE, BUFFERS) of the slowest SELECT ({took * 1000:.1f} ms):")
        print(_explain(engine, statement, params))
    print("  functions with the most cumulative time (project code, templates, ORM; profiled):")
    print(_functions(prof, 25, "cumulative", r"(/app/|/audit/|jinja2/environment|sqlalchemy/orm/)"))
    print("  functions with the most own time (any code; profiled):")
    print(_functions(prof, 15, "tottime"))
    return statistics.median(walls), seen.seconds / runs * 1000, seen.n / runs


def menu(app: Any, users: list[dict[str, Any]], calls: int) -> None:
    """The menu's counts (unread messages; for a regisseur the werklijst's flags) for one
    regisseur and one hulpverlener: ``calls`` times with their statements kept, as every page
    does now, and as many times built anew (the kept statements dropped before each call),
    alternated; median microseconds per call and the ratio."""
    from flask import current_app

    from app.berichten.services import ongelezen_totaal
    from app.db import session
    from app.plans.werklijst_vlaggen import tellingen
    from app.users.models import User

    print("\n== the menu's counts, one call at a time: statements kept vs built anew")
    for role in ("regisseur", "hulpverlener"):
        chosen = next((u for u in users if u["role"] == role), None)
        if chosen is None:
            continue
        with app.test_request_context("/"):
            user = session.get(User, chosen["user_id"])
            assert user is not None
            counts = (tellingen(user), ongelezen_totaal(user))
            times: dict[bool, list[float]] = {True: [], False: []}
            for i in range(calls * 2):
                keep = i % 2 == 0
                if not keep:
                    current_app.extensions.pop("eenplan_statements", None)
                t0 = time.perf_counter()
                again = (tellingen(user), ongelezen_totaal(user))
                times[keep].append((time.perf_counter() - t0) * 1e6)
                assert again == counts  # the same answer either way
        kept, built = statistics.median(times[True]), statistics.median(times[False])
        print(
            f"  {role:13} kept {kept:7.0f} µs   built anew {built:7.0f} µs   "
            f"ratio {kept / built:.2f}   ({calls} calls each)"
        )
