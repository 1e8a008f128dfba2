"""Benchmark: ``flask signals purge`` over a million signals past their term.

    .venv/bin/python bench/signalen_purge.py                      # SQLite, 1,000,000 signals
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_purge \\
        .venv/bin/python bench/signalen_purge.py --drop

Loads ``--signals`` signals received a year ago (bare inserts, spread over the sources, about
10 per BSN), plus 10% received yesterday (they must stay), then runs the real command
(``flask signals purge``) and reports signals/s: each forgotten signal is emptied (tombstone)
and gets its content-free "delete" line in the logboek's hash chain, batch by batch. Then runs
it again (idempotent: nothing to do) and reports how long that took. ``--smoke``: 500 signals
on a fresh database; exits non-zero when the wrong signals were forgotten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import time

from common import (  # type: ignore[import-not-found]
    add_smoke,
    bsn_from,
    database_url,
    make_app,
    smoke_failed,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database after")
    add_smoke(parser)
    args = parser.parse_args()
    if args.smoke:
        args.signals, args.batch = 500, 100

    from sqlalchemy import func, insert, select

    from app.clock import now
    from app.db import session
    from app.signalen.models import SignaalBron, Vroegsignaal
    from audit import schema

    url = database_url("signalen_purge", smoke=args.smoke)
    app = make_app(url, fresh=True)
    engine = app.extensions["eenplan_db"].engine
    with engine.connect() as conn:
        bronnen = list(conn.execute(select(SignaalBron.id)).scalars())
    bsns = [bsn_from(20_000_000 + i * 13) for i in range(max(1, args.signals // 10))]
    old = now() - dt.timedelta(days=365)
    young = now() - dt.timedelta(days=1)
    t0 = time.perf_counter()
    total = args.signals + args.signals // 10
    chunk = 50_000
    with engine.begin() as conn:
        for start in range(0, total, chunk):
            conn.execute(
                insert(Vroegsignaal),
                [
                    {
                        "bron_id": bronnen[i % len(bronnen)],
                        "bron_referentie": f"R-{i}",
                        "bsn": bsns[i % len(bsns)],
                        "inhoud": "Achterstand",
                        "categorie": "betalingsachterstand",
                        "domeinen": "financien",
                        "gegevens": {"bedrag": "120.00"},
                        "signaaldatum": dt.date(2025, 11, 1),
                        "ontvangen_op": old if i < args.signals else young,
                    }
                    for i in range(start, min(total, start + chunk))
                ],
            )
    load = time.perf_counter() - t0
    runner = app.test_cli_runner()
    t0 = time.perf_counter()
    result = runner.invoke(args=["signals", "purge", "--batch", str(args.batch)])
    first = time.perf_counter() - t0
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    t0 = time.perf_counter()
    again = runner.invoke(args=["signals", "purge"])
    second = time.perf_counter() - t0
    assert json.loads(again.output.strip().splitlines()[-1])["verwijderd"] == 0
    with app.app_context():
        remaining = session.scalar(
            select(func.count())
            .select_from(Vroegsignaal)
            .where(Vroegsignaal.verwijderd_op.is_(None))
        )
        lines = session.scalar(select(func.count()).select_from(schema.log_line))
        session.rollback()
    if summary["verwijderd"] != args.signals or remaining != total - args.signals:
        smoke_failed(f"forgot {summary['verwijderd']:,} and kept {remaining:,} of {total:,}")
    print(f"database: {engine.dialect.name}; load average {os.getloadavg()[0]:.2f}")
    print(f"loaded {total:,} signals in {load:.1f} s ({args.signals:,} past their term)")
    print(
        f"flask signals purge: {summary['verwijderd']:,} forgotten in {first:.1f} s = "
        f"{summary['verwijderd'] / first:,.0f} signals/s (batch {args.batch}); "
        f"logboek lines {lines:,}; still kept {remaining:,}"
    )
    print(f"second run (nothing to do): {second:.2f} s")
    engine.dispose()
    if args.drop and url.startswith("postgresql"):
        from urllib.parse import urlsplit, urlunsplit

        from sqlalchemy import text

        from app.db import make_engine

        parts = urlsplit(url)
        admin = make_engine(
            urlunsplit(parts._replace(path="/postgres")), isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
