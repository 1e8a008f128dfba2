"""Benchmark: bulk intake of arrears signals (CSV) through the source API, against a bare insert.

    .venv/bin/python bench/signalen_bulk.py                       # SQLite, 100,000 rows
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/eenplan_bench_signalen \\
        .venv/bin/python bench/signalen_bulk.py --drop

1. A fresh database with ``--persons`` residents (default 50,000: half the rows match a person).
2. Full path: one ``POST /api/v1/bronnen/belastingdienst/signalen/_bulk`` (text/csv) with
   ``--rows`` rows, with a source token — HTTP, CSV parsing, validation per row (11-proef,
   dates, amounts), de-duplication against the table, matching BSN → person, the multi-row
   INSERT, one logboek exchange line per signal (hash chain) and the report per row.
3. Bare: the same rows (another source, so the references do not collide) into the same table
   with one executemany INSERT in one transaction, nothing else.

Prints both rates and the ratio. Target (issue 6): at least 5,000 signals/s on the full path.
``--smoke``: 200 rows, 100 residents, a fresh database; exits non-zero when a row is refused.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import time

from common import add_smoke, bsn_from, database_url, make_app  # type: ignore[import-not-found]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--drop", action="store_true", help="drop the PostgreSQL database after")
    add_smoke(parser)
    args = parser.parse_args()
    if args.smoke:
        args.rows, args.persons = 200, 100

    from sqlalchemy import func, insert, select

    from app.clock import now
    from app.db import session
    from app.people.models import Person
    from app.signalen import bulk, inrichting
    from app.signalen.models import Vroegsignaal

    url = database_url("signalen_bulk", smoke=args.smoke)
    app = make_app(url, fresh=True)
    rng = random.Random(6)
    engine = app.extensions["eenplan_db"].engine
    bsns: list[str] = []
    seen: set[str] = set()
    n = 10_000_000
    while len(bsns) < args.rows:
        n += rng.randint(1, 40)
        b = bsn_from(n)
        if b not in seen:
            seen.add(b)
            bsns.append(b)
    with engine.begin() as conn:
        conn.execute(
            insert(Person),
            [
                {
                    "bsn": b,
                    "voornamen": "Bench",
                    "achternaam": f"Persoon {i}",
                    "geboortedatum": dt.date(1980, 1, 1),
                    "postcode": f"{1000 + i % 8000}AB",
                    "huisnummer": str(i % 200 + 1),
                    "created_at": now(),
                }
                for i, b in enumerate(bsns[: args.persons])
            ],
        )
    rng.shuffle(bsns)
    with app.app_context():
        bron = inrichting.bron("belastingdienst")
        other = inrichting.bron("toeslagen")
        assert bron is not None and other is not None
        _t, token = inrichting.maak_bron_token(bron, "bench")
        other_id = other.id
        session.commit()
    header = "bsn,bronReferentie,signaaldatum,schuldsoort,bedrag,maanden_achterstand,schuldeiser"
    lines = [header]
    rows = []
    for i, b in enumerate(bsns):
        amount = f"{rng.randint(50, 5000)}.{rng.randint(0, 99):02d}"
        months = rng.randint(1, 12)
        lines.append(
            f"{b},BD-{i},2026-0{1 + i % 9}-15,inkomstenbelasting,{amount},{months},Belastingdienst"
        )
        rows.append((b, f"BD-{i}", amount, months))
    body = ("\n".join(lines) + "\n").encode()

    # Bare insert of the same rows into the same table, same run.
    t0 = time.perf_counter()
    with engine.begin() as conn:
        # The same statement the intake uses (the fastest plain bulk insert per database).
        bulk.bulk_insert(
            conn,
            [
                {
                    "bron_id": other_id,
                    "bron_referentie": ref,
                    "bsn": b,
                    "categorie": "betalingsachterstand",
                    "domeinen": "financien",
                    "gegevens": {"bedrag": amount, "maanden_achterstand": months},
                    "signaaldatum": dt.date(2026, 1, 15),
                    "ontvangen_op": now(),
                }
                for b, ref, amount, months in rows
            ],
        )
    bare = time.perf_counter() - t0

    client = app.test_client()
    t0 = time.perf_counter()
    resp = client.post(
        "/api/v1/bronnen/belastingdienst/signalen/_bulk",
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
    )
    full = time.perf_counter() - t0
    report = resp.get_json()
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    assert report["opgeslagen"] == args.rows and report["afgekeurd"] == 0, report["fouten"][:5]
    with app.app_context():
        stored = session.scalar(
            select(func.count()).select_from(Vroegsignaal).where(Vroegsignaal.bron_id == bron.id)
        )
        matched = session.scalar(
            select(func.count())
            .select_from(Vroegsignaal)
            .where(Vroegsignaal.bron_id == bron.id, Vroegsignaal.person_id.is_not(None))
        )
        from audit import schema

        logged = session.scalar(select(func.count()).select_from(schema.log_line))
        session.rollback()
    backend = engine.dialect.name
    print(f"database: {backend}; load average {os.getloadavg()[0]:.2f}")
    print(f"rows: {args.rows:,} (CSV {len(body) / 1e6:.1f} MB); matched to a person: {matched:,}")
    print(f"bare insert (same table):      {args.rows / bare:>10,.0f} signals/s ({bare:.2f} s)")
    print(
        f"full intake (HTTP, validation, dedupe, matching, logboek): "
        f"{args.rows / full:>10,.0f} signals/s ({full:.2f} s); stored {stored:,}; "
        f"logboek lines {logged:,}"
    )
    print(f"ratio full / bare time: {full / bare:.1f}x (target: >= 5,000 signals/s full)")
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
