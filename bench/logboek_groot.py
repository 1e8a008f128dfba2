"""Benchmark: a big logboek — a citizen's newest 50 lines, and `flask audit verify` speed.

    # SQLite, 1 million lines (default):
    .venv/bin/python bench/logboek_groot.py
    # PostgreSQL, 10 million lines:
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench \\
        .venv/bin/python bench/logboek_groot.py --lines 10000000

1. Generates the lines (once; a rerun reuses them, ``--fresh`` starts over): a genuine keyed
   hash chain computed in Python with the application's own chain code (``audit.chain``), with
   a signed checkpoint every 10,000 lines and a signed head, loaded with ``COPY`` on PostgreSQL
   (``executemany`` on SQLite) while the secondary indexes are off, then indexed and analysed.
   Persons: ``--persons`` pseudonyms (default lines / 50, so about 50 lines each, uniformly).
2. Citizen lookup: the newest 50 lines of a random person, ``--lookups`` times, through
   ``Logboek.lines_for_subject`` (what the portal and the read API call), and through the read
   API as the privacy officer (HTTP handling, access check, JSON, and the logged reading).
3. Verification: runs ``flask audit verify`` on the database and reports its lines/second.

On PostgreSQL the lines are spread over ``--months`` months (default 12), so they fill that
many monthly partitions (created first, audit/partitions.py); the script then also prints the
partitions, the plan of one lookup (a Merge Append over the partitions' subject indexes under
the LIMIT), and the time of ``flask audit verify --partitie`` for the month in the middle.
``--jaren`` first merges the months of every closed year into one partition (``flask audit
partities --jaren``, audit/year_partitions.py): rerun with it on the same database to compare
the lookup over months with the lookup over years. With ``--jaren`` on a fresh database the
empty months are merged before the lines are written (the same layout, without the room and
the time a copy of every year takes: how 100M lines fit on this machine's disk).

Targets (issue 3): lookup p95 < 50 ms; verify >= 100,000 lines/s. Issue 17: lookup p95
<= 20 ms over monthly partitions at 100M lines.

``--smoke``: 3,000 lines on a fresh database, years merged (PostgreSQL), 20 lookups, and
verify; exits non-zero when a lookup, the merge or the verification fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from typing import Any

from common import (  # type: ignore[import-not-found]
    BENCH_KEYS,
    ROOT,
    add_smoke,
    database_url,
    describe,
    log_line_indexes,
    make_app,
    smoke_failed,
)


def _make_partitions(engine: Any, start: dt.datetime, end: dt.datetime) -> int:
    """PostgreSQL: the monthly partitions from ``start``'s month through three months after
    ``end`` (audit/partitions.py), before the lines go in; returns how many exist then."""
    from audit import partitions

    with engine.begin() as conn:
        if not partitions.is_partitioned(conn):
            return 0
        last = partitions.add_months(end.year, end.month, 3)
        partitions.create_months(conn, (start.year, start.month), last)
        return len(partitions.partition_names(conn)) - 1


def generate(
    app: Any,
    n_lines: int,
    n_persons: int,
    seed: int = 3,
    months: int = 12,
    before_lines: Callable[[], None] | None = None,
) -> float:
    """Write ``n_lines`` chained lines spread evenly over the last ``months`` months;
    returns seconds. ``before_lines``: run once the monthly partitions exist (PostgreSQL),
    before a line is written (``--jaren`` merges the empty months of closed years there)."""
    from audit import Subject
    from audit.chain import GENESIS_HASH, HASHED_COLUMNS, ChainKey
    from audit.writer import CHECKPOINT_EVERY

    rng = random.Random(seed)
    logboek = app.extensions["eenplan_logboek"]
    chain = ChainKey(BENCH_KEYS["AUDIT_CHAIN_KEY"].encode())
    engine = app.extensions["eenplan_db"].engine
    dialect = engine.dialect.name
    with engine.connect() as conn:
        versions = {v.key: v.id for v in logboek.register.current(conn)}
    activities = [
        ("regie-multiproblematiek", 70),
        ("signalen-afweging", 10),
        ("vroegsignalering-schulden", 8),
        ("inkijk-basisgegevens", 6),
        ("berichten", 4),
        ("toezicht-logboek", 2),
    ]
    activity_pool = [k for k, w in activities for _ in range(w)]
    persons = [logboek.pseudonymise(Subject("BSN", f"bench-{i:09d}")) for i in range(n_persons)]
    orgs = ["Gemeente Amsterdam", "Schuldhulp Amsterdam", "Jeugdhulp Amstel", "GGZ Centrum IJ"]
    actors = [
        (str(i), f"Medewerker {i}", "Regisseur" if i % 3 == 0 else "Hulpverlener", orgs[i % 4])
        for i in range(1, 501)
    ]
    names = ["plan.bekijken", "werklijst.bekijken", "activiteit.wijzigen", "api.plan.bekijken"]
    categories = ["bsn,naw,plan", "naw,plan", "activiteiten,bsn,contact,naw,plan", "naw"]
    span = dt.timedelta(days=365 * months / 12)
    end = dt.datetime.now(dt.UTC)
    start = end - span
    step = span / n_lines
    index_ddl = log_line_indexes(engine)
    if dialect == "postgresql":
        n_parts = _make_partitions(engine, start, end)
        if n_parts:
            print(f"  {n_parts} monthly partitions (audit/partitions.py)", flush=True)
            if before_lines is not None:
                before_lines()

    t0 = time.perf_counter()
    cpu0 = time.process_time()
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for name, _ddl in index_ddl:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        raw.commit()
        insert_cols = (*HASHED_COLUMNS, "line_hash")
        prev = GENESIS_HASH
        cp_mac: str | None = None
        checkpoints: list[tuple[Any, ...]] = []
        sqlite = dialect == "sqlite"
        i_emergency = HASHED_COLUMNS.index("emergency")

        def rows() -> Any:
            nonlocal prev, cp_mac
            trace = secrets.token_hex(16)
            for seq in range(1, n_lines + 1):
                if seq % 3 == 1:  # a request writes about three lines
                    trace = secrets.token_hex(16)
                occurred = start + step * seq
                actor = actors[rng.randrange(len(actors))]
                emergency = rng.random() < 0.001
                activity = activity_pool[rng.randrange(len(activity_pool))]
                values = [
                    seq,
                    occurred,
                    "inzage",
                    "view",
                    names[seq % 4],
                    "OK",
                    trace,
                    secrets.token_hex(8),
                    None,
                    "eenplan",
                    "0.1.0",
                    "medewerker",
                    *actor,
                    None,
                    persons[rng.randrange(n_persons)],
                    "BSN",
                    "plan",
                    str(rng.randrange(1, 40_000)),
                    categories[seq % 4],
                    activity,
                    versions[activity],
                    "Waarneming" if emergency else None,
                    emergency,
                    None,
                    None,
                    None,
                    None,
                    prev,
                ]
                assert len(values) == len(HASHED_COLUMNS)
                line_hash = chain.line_hash(values)
                values.append(line_hash)
                prev = line_hash
                if seq % CHECKPOINT_EVERY == 0:
                    mac = chain.checkpoint_mac(seq, line_hash, occurred, cp_mac)
                    checkpoints.append((seq, line_hash, occurred, mac, cp_mac))
                    cp_mac = mac
                if sqlite:
                    values[1] = occurred.replace(tzinfo=None).isoformat(" ", "microseconds")
                    values[i_emergency] = 1 if emergency else 0
                yield values

        if sqlite:
            placeholders = ", ".join("?" for _ in insert_cols)
            sql = f"INSERT INTO audit_log_line ({', '.join(insert_cols)}) VALUES ({placeholders})"
            cur.execute("BEGIN")
            batch: list[Any] = []
            for row in rows():
                batch.append(row)
                if len(batch) == 50_000:
                    cur.executemany(sql, batch)
                    batch.clear()
            if batch:
                cur.executemany(sql, batch)
            cps = [
                (s, h, t.replace(tzinfo=None).isoformat(" ", "microseconds"), m, p)
                for s, h, t, m, p in checkpoints
            ]
            cur.executemany(
                "INSERT INTO audit_checkpoint (seq, line_hash, created_at, mac, prev_mac) "
                "VALUES (?, ?, ?, ?, ?)",
                cps,
            )
            cur.execute("COMMIT")
        else:
            with cur.copy(f"COPY audit_log_line ({', '.join(insert_cols)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
            with cur.copy(
                "COPY audit_checkpoint (seq, line_hash, created_at, mac, prev_mac) FROM STDIN"
            ) as copy:
                for cp in checkpoints:
                    copy.write_row(cp)
            raw.commit()
        head_mac = chain.head_mac(n_lines, prev, cp_mac)
        loaded = time.perf_counter() - t0
        cpu = time.process_time() - cpu0
        print(
            f"  lines written in {loaded:.0f} s wall clock ({cpu:.0f} s CPU in this process: "
            f"{n_lines / cpu:,.0f} lines/s of hashing and loading); building indexes…",
            flush=True,
        )
        if not sqlite:
            cur.execute("SET maintenance_work_mem = '512MB'")
        for _name, ddl in index_ddl:
            cur.execute(ddl)
        if sqlite:
            cur.execute("BEGIN")
        cur.execute(
            "UPDATE audit_chain_head SET seq = %s, line_hash = %s, mac = %s, checkpoint_mac = %s "
            "WHERE id = 1".replace("%s", "?" if sqlite else "%s"),
            (n_lines, prev, head_mac, cp_mac),
        )
        if sqlite:
            cur.execute("COMMIT")
        else:
            raw.commit()
    finally:
        raw.close()
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE audit_log_line"
            )
    return time.perf_counter() - t0


def lookup(app: Any, n_persons: int, lookups: int, seed: int = 7) -> list[float]:
    from audit import Subject

    logboek = app.extensions["eenplan_logboek"]
    engine = app.extensions["eenplan_db"].engine
    rng = random.Random(seed)
    times = []
    with engine.connect() as conn:
        for _ in range(lookups):
            pseudonym = logboek.pseudonymise(
                Subject("BSN", f"bench-{rng.randrange(n_persons):09d}")
            )
            t0 = time.perf_counter()
            lines = logboek.lines_for_subject(
                conn, Subject.pseudonymous("BSN", pseudonym), limit=50
            )
            times.append((time.perf_counter() - t0) * 1000)
            assert lines and all(line.data_subject_id == pseudonym for line in lines)
            conn.rollback()
    return times


def lookup_api(app: Any, n_persons: int, lookups: int, seed: int = 11) -> list[float]:
    """The same through GET /api/v1/dataverwerkingen as the privacy officer (logged reading)."""
    from sqlalchemy import select

    from app.auth.services import create_token
    from app.db import session
    from app.organisations.models import Organisation
    from app.users.models import User, UserRole
    from audit import Subject

    with app.app_context():
        user = session.scalars(select(User).where(User.username == "bench.privacy")).first()
        if user is None:
            org = session.scalars(select(Organisation)).first()
            if org is None:
                org = Organisation(name="Gemeente Bench", kind="gemeente")
                session.add(org)
                session.flush()
            user = User(username="bench.privacy", name="Bench Privacy", organisation_id=org.id)
            user.role_rows = [UserRole(role="privacy_officer")]
            session.add(user)
            session.flush()
        _token, plain = create_token(user, "bench")
        session.commit()
    logboek = app.extensions["eenplan_logboek"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {plain}"}
    rng = random.Random(seed)
    times = []
    for _ in range(lookups):
        pseudonym = logboek.pseudonymise(Subject("BSN", f"bench-{rng.randrange(n_persons):09d}"))
        t0 = time.perf_counter()
        resp = client.get(
            f"/api/v1/dataverwerkingen?dataSubjectId={pseudonym}&pageSize=50", headers=headers
        )
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return times


def explain_lookup(app: Any, n_persons: int) -> str:
    """PostgreSQL: the plan of one citizen lookup (newest 50), as EXPLAIN ANALYZE shows it."""
    from audit import Subject, reader, schema

    logboek = app.extensions["eenplan_logboek"]
    engine = app.extensions["eenplan_db"].engine
    pseudonym = logboek.pseudonymise(Subject("BSN", f"bench-{n_persons // 2:09d}"))
    ll = schema.log_line
    stmt = (
        reader._select()
        .where(ll.c.data_subject_id == pseudonym)
        .order_by(ll.c.seq.desc())
        .limit(51)
    )
    sql = str(stmt.compile(engine, compile_kwargs={"literal_binds": True}))
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN (ANALYZE, COSTS OFF, BUFFERS) {sql}").scalars()
        return "\n".join(f"    {r}" for r in rows)


def partitions_summary(app: Any) -> str:
    from audit import partitions

    engine = app.extensions["eenplan_db"].engine
    with engine.connect() as conn:
        if not partitions.is_partitioned(conn):
            return ""
        parts = partitions.describe(conn)
    filled = [p for p in parts if p.rows]
    lines = [f"  {len(parts)} partitions, {len(filled)} with lines:"]
    lines += [f"    {p.label:8} {p.rows:>11,} lines  seq {p.min_seq}..{p.max_seq}" for p in filled]
    return "\n".join(lines)


def verify_cli(url: str, *extra: str) -> str:
    # The bench database has no anchors of its own (the checkout's store belongs to its
    # development database).
    return audit_cli(url, "verify", "--zonder-ankers", *extra)


def audit_cli(url: str, *args: str) -> str:
    """Run ``flask audit ARGS`` on the bench database; a failure fails the smoke run."""
    env = {**os.environ, "FLASK_APP": "wsgi.py", "DATABASE_URL": url, **BENCH_KEYS}
    t0 = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "flask", "audit", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - t0
    out = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        smoke_failed(f"flask audit {args[0]} exited with {done.returncode}:\n{out}")
    return f"{out}\n  (wall clock of the whole command, incl. start-up: {wall:.1f} s)"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=None)
    parser.add_argument("--lookups", type=int, default=1000)
    parser.add_argument("--fresh", action="store_true", help="throw the database away first")
    parser.add_argument("--no-verify", action="store_true")
    parser.add_argument(
        "--months",
        type=int,
        default=12,
        help="spread the lines over this many months (PostgreSQL: that many partitions)",
    )
    parser.add_argument(
        "--jaren",
        action="store_true",
        help="PostgreSQL: first merge the monthly partitions of closed years (flask audit "
        "partities --jaren, audit/year_partitions.py), then measure",
    )
    add_smoke(parser)
    args = parser.parse_args()
    if args.smoke:
        args.lines, args.lookups, args.fresh, args.no_verify = 3000, 20, True, False
        args.jaren = True
    n_persons = args.persons or max(1, args.lines // 50)
    url = database_url(f"logboek_{args.lines}", smoke=args.smoke)
    print(f"Database: {url.split('@')[-1]}")
    app = make_app(url, fresh=args.fresh)
    with app.app_context(), app.extensions["eenplan_db"].engine.connect() as conn:
        head = app.extensions["eenplan_logboek"].head_seq(conn)
    merged = False

    def merge_years() -> None:
        # The layout years of `flask audit partities --jaren` give, without copying the lines:
        # merging the months while they are empty needs no room for a second copy of a year.
        nonlocal merged
        print("flask audit partities --jaren (before the lines are written):")
        print(textwrap.indent(audit_cli(url, "partities", "--jaren"), "  "), flush=True)
        merged = True

    if head == 0:
        print(f"Generating {args.lines:,} lines about {n_persons:,} persons…", flush=True)
        seconds = generate(
            app,
            args.lines,
            n_persons,
            months=args.months,
            before_lines=merge_years if args.jaren else None,
        )
        print(f"  done in {seconds:.0f} s ({args.lines / seconds:,.0f} lines/s incl. indexes)")
    elif head < args.lines:
        sys.exit(f"The database holds {head:,} lines, not {args.lines:,}: rerun with --fresh.")
    else:
        print(f"Reusing the {head:,} lines already there (--fresh to regenerate).")

    summary = partitions_summary(app)
    if summary and args.jaren and not merged:
        print("flask audit partities --jaren:")
        print(textwrap.indent(audit_cli(url, "partities", "--jaren"), "  "))
        summary = partitions_summary(app)
    if summary:
        print(summary)
    with app.app_context():
        lookup(app, n_persons, 50)  # warm up
        times = lookup(app, n_persons, args.lookups)
    print(
        f"\nNewest 50 lines of one person ({args.lookups} random persons, Logboek.lines_for_subject):"
    )
    print(f"  {describe(times)}   target p95 < 50 ms")
    api = lookup_api(app, n_persons, max(100, args.lookups // 5))
    print(
        "Same through GET /api/v1/dataverwerkingen as the privacy officer (incl. the logged reading):"
    )
    print(f"  {describe(api)}")
    if summary:
        print("\nPlan of one lookup (EXPLAIN ANALYZE):")
        print(explain_lookup(app, n_persons))
    if not args.no_verify:
        print("\nflask audit verify:")
        print(textwrap.indent(verify_cli(url), "  "))
        if summary:
            month = dt.datetime.now(dt.UTC) - dt.timedelta(days=365 * args.months / 24)
            label = f"{month.year:04d}-{month.month:02d}"
            print(f"\nflask audit verify --partitie {label} (one month on its own):")
            print(textwrap.indent(verify_cli(url, "--partitie", label), "  "))
    app.extensions["eenplan_db"].engine.dispose()


if __name__ == "__main__":
    main()
