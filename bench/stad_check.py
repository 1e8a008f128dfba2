"""The checks and the report of ``bench/stad.py``: per page p50/p95/p99 against the targets, log
lines = successful views, the lookups that must stay indexed (``EXPLAIN``), ``flask audit
verify``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from typing import Any

from common import BENCH_KEYS, ROOT, percentile, smoke_failed  # type: ignore[import-not-found]

TARGET_P95_MS = 200.0
TARGET_RATIO = 10.0
TRIVIAL = "trivial page (/inloggen)"


def head_seq(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT seq FROM audit_chain_head WHERE id = 1").scalar())


def requests_logged(engine: Any, after: int) -> dict[str, int]:
    """Distinct requests (span ids: Eenplan's own, new per request) per operation name."""
    with engine.connect() as conn:
        return {
            str(name): int(n)
            for name, n in conn.exec_driver_sql(
                "SELECT name, count(DISTINCT span_id) FROM audit_log_line WHERE seq > "
                f"{int(after)} GROUP BY name ORDER BY name"
            )
        }


# The lookups that must stay indexed as the city grows: (what, SQL, the index its plan must use
# [, a node the plan must hold]).
EXPLAINED: tuple[tuple[str, ...], ...] = (
    (
        "a regisseur's plans",
        "SELECT id FROM plan WHERE regisseur_id = {reg}",
        "ix_plan_regisseur_id",
    ),
    (
        "an organisation's activities",
        "SELECT id FROM activity WHERE organisation_id = {org}",
        "ix_activity_organisation_id",
    ),
    (
        "a plan's betrokkenheden",
        "SELECT id FROM betrokkenheid WHERE plan_id = {plan}",
        "ix_betrokkenheid_plan_id",
    ),
    (
        "a person's newest log lines",
        "SELECT seq FROM audit_log_line WHERE data_subject_id = '{subject}' ORDER BY seq DESC LIMIT 50",
        "ix_audit_log_line_subject_seq",
    ),
    (
        "a staff member's newest log lines",
        "SELECT seq FROM audit_log_line WHERE actor_id = '{actor}' ORDER BY seq DESC LIMIT 50",
        "ix_audit_log_line_actor_seq",
    ),
    (
        "a citizen's organisations (filter)",
        "SELECT DISTINCT actor_organisation FROM audit_log_line WHERE data_subject_id = "
        "'{subject}' AND actor_organisation IS NOT NULL AND (disclose_after IS NULL OR "
        "disclose_after <= current_date)",
        "ix_audit_log_line_subject_seq",
        "Index Only Scan",  # from the index alone (migration 0031), not a heap page per line
    ),
    (
        "a day of log lines (indicators)",
        "SELECT seq FROM audit_log_line WHERE occurred_at >= now() - interval '1 day'",
        "ix_audit_log_line_occurred_at",
    ),
    (
        "stored indicators, newest first",
        "SELECT id FROM privacy_aandachtspunt ORDER BY eind DESC, id DESC LIMIT 500",
        "ix_privacy_aandachtspunt_eind",
    ),
)


def vacuum(engine: Any) -> None:
    """What autovacuum would have done by now (it is off on the bench machine, on in
    production): ``VACUUM (ANALYZE)`` every table past autovacuum's default thresholds — 1,000
    rows plus 20% inserted, or 50 plus 20% changed or deleted, since its last vacuum. Without it
    every drive left the day's log partition with a visibility map that index-only scans cannot
    use and statistics of before, and the database's CPU a request grew drive after drive (4.9 to
    8.5 ms in a morning of drives)."""
    if engine.dialect.name != "postgresql":
        return
    t0 = time.perf_counter()
    with engine.connect() as conn:
        due = [
            name
            for (name,) in conn.exec_driver_sql(
                "SELECT quote_ident(schemaname) || '.' || quote_ident(relname) "
                "FROM pg_stat_user_tables "
                "WHERE n_ins_since_vacuum > 1000 + 0.2 * n_live_tup "
                "OR n_dead_tup > 50 + 0.2 * n_live_tup ORDER BY relname"
            )
        ]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for name in due:
            conn.exec_driver_sql(f"VACUUM (ANALYZE) {name}")
    print(
        f"vacuum (as autovacuum would): {len(due)} tables in {time.perf_counter() - t0:.0f} s"
        + (
            f" ({', '.join(n.split('.')[-1] for n in due[:6])}{', …' if len(due) > 6 else ''})"
            if due
            else ""
        )
    )


def explain(engine: Any) -> bool:
    """EXPLAIN the lookups above (PostgreSQL): each must use its index, not a sequential scan."""
    if engine.dialect.name != "postgresql":
        return True
    good = True
    with engine.connect() as conn:
        q = conn.exec_driver_sql
        facts = {
            "reg": q("SELECT regisseur_id FROM plan ORDER BY id LIMIT 1").scalar(),
            "org": q(
                "SELECT organisation_id FROM activity WHERE organisation_id IS NOT NULL LIMIT 1"
            ).scalar(),
            "plan": q("SELECT id FROM plan ORDER BY id LIMIT 1").scalar(),
            "subject": q(
                "SELECT data_subject_id FROM audit_log_line ORDER BY seq DESC LIMIT 1"
            ).scalar(),
            "actor": q(
                "SELECT actor_id FROM audit_log_line WHERE actor_type = 'medewerker' "
                "ORDER BY seq DESC LIMIT 1"
            ).scalar(),
        }
        print("\nEXPLAIN (the index each lookup must use):")
        for what, sql, index, *node in EXPLAINED:
            table = sql.split(" FROM ")[1].split()[0]
            q(f"ANALYZE {table}")  # filled after the build's ANALYZE (the indicator job)
            rows = q(f"SELECT reltuples FROM pg_class WHERE relname = '{table}'").scalar() or 0
            if rows < 10_000:  # a sequential scan is the right plan for a small table
                print(f"  {what:<36} not judged: {table} holds {int(rows)} rows")
                continue
            plan = "\n".join(r[0] for r in q("EXPLAIN " + sql.format(**facts)))
            # On a partitioned table (the logboek, PostgreSQL) each partition has its own copy
            # of the index, attached to the parent's: any of them counts.
            copies = q(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                f"WHERE i.inhparent = '{index}'::regclass"
            ).scalars()
            ok = any(f" {name} " in f" {plan} " for name in (index, *copies))
            how = index + (f" ({node[0]})" if node else "")
            ok = ok and all(n in plan for n in node)
            good = good and ok
            first = plan.splitlines()[0].strip()
            print(f"  {what:<36} {'uses ' + how if ok else 'DOES NOT use ' + how}  ({first})")
    return good


def verify(url: str) -> None:
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url, **BENCH_KEYS}
    t0 = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "audit", "verify", "--zonder-ankers"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    out = (done.stdout + done.stderr).strip().splitlines()
    print(f"flask audit verify ({time.perf_counter() - t0:.0f} s): " + " | ".join(out[-3:]))
    if done.returncode != 0:
        smoke_failed(f"flask audit verify exited with {done.returncode}")


def report(result: dict[str, Any], opts: argparse.Namespace, load: tuple[float, ...]) -> bool:
    times, errors = result["times"], result["errors"]
    trivial = percentile(times[TRIVIAL], 95) if times.get(TRIVIAL) else float("nan")
    print(
        f"\n{opts.clients} users, {opts.duration:.0f} s, think {opts.think} s, ramp {opts.ramp:g} s; "
        f"load average during the run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        f"({os.cpu_count()} CPUs)"
    )
    print(f"{'page':<40} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'×triv':>6} {'err':>4}  target")
    missed: list[str] = []
    for name in sorted(set(times) | set(errors), key=lambda n: (n == TRIVIAL, n)):
        v = times.get(name, [])
        err = len(errors.get(name, []))
        if not v:
            print(f"{name:<40} {0:>6} {'-':>8} {'-':>8} {'-':>8} {'-':>6} {err:>4}  MISSED")
            missed.append(name)
            continue
        p95 = percentile(v, 95)
        ratio = p95 / trivial if trivial else float("inf")
        good = err == 0 and (name == TRIVIAL or (p95 <= TARGET_P95_MS and ratio <= TARGET_RATIO))
        if not good:
            missed.append(name)
        print(
            f"{name:<40} {len(v):>6} {percentile(v, 50):>8.1f} {p95:>8.1f} "
            f"{percentile(v, 99):>8.1f} {ratio:>6.1f} {err:>4}  {'met' if good else 'MISSED'}"
        )
    for name, errs in sorted(errors.items()):
        print(f"  errors on {name}: {', '.join(sorted(set(errs))[:3])}")
    if missed:
        tails(result, missed)
    met = not missed
    print(
        f"targets (p95 ≤ {TARGET_P95_MS:.0f} ms, ≤ {TARGET_RATIO:.0f}× trivial, 0 errors): "
        f"{'met' if met else 'NOT met'}"
    )
    return met


def tails(result: dict[str, Any], missed: list[str]) -> None:
    """The slowest requests of each missed page: when in the run, for whom, how many requests
    were in flight meanwhile, and whether the scheduled job ran — a tail that is one
    user's (the same user or path each time) reads differently from one that is a moment's."""
    every, runs = result.get("every", []), result.get("job_runs", [])
    print(
        "the slowest requests of the missed pages (s into the run, ms, user, other requests in "
        "flight meanwhile, job running):"
    )
    for name in missed:
        mine = sorted((r for r in every if r[2] == name), key=lambda r: -r[1])[:4]
        for at, ms, _name, user, path in mine:
            end = at + ms / 1000
            meanwhile = sum(1 for r in every if r[0] < end and r[0] + r[1] / 1000 > at) - 1
            job = any(a < end and b > at for a, b in runs)
            print(
                f"  {name[:38]:<38} {at:6.1f} {ms:7.0f}  user {user:<3} {meanwhile:3d}  "
                f"{'job' if job else '-':<3}  {path[:60]}"
            )
