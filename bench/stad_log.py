"""A year of logboek lines for the city of ``bench/stad.py``: a genuine chain, loaded by COPY.

The lines look like the application's own: requests of regisseurs and hulpverleners opening
plans of their caseload or organisation (one line per household member), werklijst pages (a
line per plan shown), citizens reading their own plan, a few views outside caseload or
involvement, outside office hours, and emergency access. Weekdays are busy, weekends quiet; most
lines fall within office hours. The chain is computed with ``audit.chain`` (the code
``flask audit verify`` checks with), with a checkpoint every ``CHECKPOINT_EVERY`` lines and the
head signed, continuing from whatever head the database already has.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from common import BENCH_KEYS, bsn_from, log_line_indexes  # type: ignore[import-not-found]

TZ = ZoneInfo("Europe/Amsterdam")


def _text(v: Any) -> str:
    if v is None:
        return "\\N"
    if v is True:
        return "t"
    if v is False:
        return "f"
    if isinstance(v, dt.datetime):
        return v.isoformat(" ", "microseconds")
    return str(v)


def _partitions(engine: Any, first_day: dt.date, last_day: dt.date) -> None:
    """PostgreSQL: the monthly partitions of the year of lines (and three months ahead, as
    ``flask audit partities`` keeps them) before the lines go in, so that none land in the
    DEFAULT partition. The month before the first day too: local midnight is still the
    previous day in UTC."""
    from audit import partitions

    with engine.begin() as conn:
        if not partitions.is_partitioned(conn):
            return
        partitions.create_months(
            conn,
            partitions.add_months(first_day.year, first_day.month, -1),
            partitions.add_months(last_day.year, last_day.month, 3),
        )


def write_lines(
    app: Any,
    world: dict[str, Any],
    n_lines: int,
    rng: random.Random,
    start: dt.datetime,
    until_day: dt.date,
    log: Callable[[str], None],
) -> int:
    from audit import Subject
    from audit.chain import HASHED_COLUMNS, ChainKey
    from audit.writer import CHECKPOINT_EVERY

    logboek = app.extensions["eenplan_logboek"]
    chain = ChainKey(BENCH_KEYS["AUDIT_CHAIN_KEY"].encode())
    engine = app.extensions["eenplan_db"].engine
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        versions = {v.key: v.id for v in logboek.register.current(conn)}
        head = conn.exec_driver_sql(
            "SELECT seq, line_hash, checkpoint_mac FROM audit_chain_head WHERE id = 1"
        ).one()
    seq0, prev, cp_mac = int(head[0]), str(head[1]), head[2]

    users = {u[0]: u for u in world["users"]}
    org_names = world["org_names"]
    hv_org = world["hv_org"]
    by_regisseur = world["by_regisseur"]
    plan_person = {p[0]: p[1] for p in world["plans"]}
    all_plans = list(plan_person)
    hh = world["hh_of_person"]
    person0 = world["person0"]
    regisseurs = [r for r in world["regisseurs"] if r in by_regisseur]
    by_hv, open_org = world["by_hv"], world["open_org"]
    hvs = [u for u, o in hv_org.items() if open_org.get(o) or by_hv.get(u)]
    citizens = [u for u in world["users"] if u[5] == "burger"]
    plan_of_person = {person: plan for plan, person in plan_person.items()}
    pseudo: dict[int, str] = {}

    def pseudonym(person_id: int) -> str:
        p = pseudo.get(person_id)
        if p is None:
            bsn = bsn_from(10_000_000 + (person_id - person0) * 11)
            p = pseudo[person_id] = logboek.pseudonymise(Subject("BSN", bsn))
        return p

    regie = "regie-multiproblematiek"
    regie_v = versions[regie]

    # Days of the year, weekdays weighing ten times a weekend day; lines per day in proportion.
    days = [until_day - dt.timedelta(days=d) for d in range(365, 0, -1)]
    weights = [1.0 if d.weekday() < 5 else 0.1 for d in days]
    total = sum(weights)
    per_day = [int(n_lines * w / total) for w in weights]
    per_day[-1] += n_lines - sum(per_day)
    if not sqlite:
        _partitions(engine, days[0], until_day)

    def requests() -> Iterator[tuple[Any, ...]]:
        """(actor user id, role label, lines: [(name, object_id, subject)], emergency)."""
        while True:
            roll = rng.random()
            if roll < 0.45 or not hvs:
                actor = regisseurs[rng.randrange(len(regisseurs))]
                own = by_regisseur[actor]
                if rng.random() < 0.003:
                    plan = all_plans[rng.randrange(len(all_plans))]  # outside the caseload
                else:
                    plan = own[rng.randrange(len(own))]
                members = hh.get(plan_person[plan], [plan_person[plan]])[:4]
                yield actor, "Regisseur", [("plan.bekijken", plan, m) for m in members], False
            elif roll < 0.75:
                actor = hvs[rng.randrange(len(hvs))]
                # Plans of their organisation with no one named, and their own.
                own = open_org.get(hv_org[actor], []) + by_hv.get(actor, [])
                plan = own[rng.randrange(len(own))]
                if rng.random() < 0.003:
                    plan = all_plans[rng.randrange(len(all_plans))]
                emergency = rng.random() < 0.001
                yield actor, "Hulpverlener", [("plan.bekijken", plan, plan_person[plan])], emergency
            elif roll < 0.93:
                actor = regisseurs[rng.randrange(len(regisseurs))]
                own = by_regisseur[actor]
                shown = own[:10]
                yield (
                    actor,
                    "Regisseur",
                    [("werklijst.bekijken", p, plan_person[p]) for p in shown],
                    False,
                )
            elif citizens:
                c = citizens[rng.randrange(len(citizens))]
                plan = plan_of_person[c[4]]
                yield c[0], None, [("portaal.plan.bekijken", plan, c[4])], False

    def rows() -> Iterator[list[Any]]:
        nonlocal prev, cp_mac
        seq = seq0
        reqs = requests()
        written = 0
        for day, count in zip(days, per_day, strict=True):
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=TZ)
            offsets = sorted(
                rng.uniform(7 * 3600, 19 * 3600) if rng.random() < 0.99 else rng.uniform(0, 86400)
                for _ in range(count)
            )
            k = 0
            while k < count:
                actor_id, role, lines, emergency = next(reqs)
                trace = f"{rng.getrandbits(128):032x}"
                span = f"{rng.getrandbits(64):016x}"
                user = users[actor_id]
                burger = role is None
                for name, plan, person in lines:
                    if k >= count:
                        break
                    seq += 1
                    occurred = (midnight + dt.timedelta(seconds=offsets[k])).astimezone(dt.UTC)
                    k += 1
                    values = [
                        seq,
                        occurred,
                        "inzage",
                        "view",
                        name,
                        "OK",
                        trace,
                        span,
                        None,
                        "eenplan",
                        "0.1.0",
                        "burger" if burger else "medewerker",
                        str(actor_id),
                        user[2],
                        role,
                        None if burger else org_names.get(user[3]),
                        None,
                        pseudonym(person),
                        "BSN",
                        "plan",
                        str(plan),
                        "naw,plan",
                        regie,
                        regie_v,
                        "Waarneming" if emergency else None,
                        emergency,
                        None,
                        None,
                        None,
                        None,
                        prev,
                    ]
                    line_hash = chain.line_hash(values)
                    values.append(line_hash)
                    prev = line_hash
                    if seq % CHECKPOINT_EVERY == 0:
                        mac = chain.checkpoint_mac(seq, line_hash, occurred, cp_mac)
                        checkpoints.append((seq, line_hash, occurred, mac, cp_mac))
                        cp_mac = mac
                    yield values
            written += count
            if day.day == 1:
                log(f"log lines up to {day.isoformat()}: {written:,}")

    checkpoints: list[tuple[Any, ...]] = []
    insert_cols = (*HASHED_COLUMNS, "line_hash")
    indexes = log_line_indexes(engine)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for name, _ in indexes:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        raw.commit()
        if sqlite:
            from stad_bouw import _sqlite_value  # type: ignore[import-not-found]

            sql = (
                f"INSERT INTO audit_log_line ({', '.join(insert_cols)}) "
                f"VALUES ({', '.join('?' for _ in insert_cols)})"
            )
            cur.execute("BEGIN")
            batch: list[list[Any]] = []
            for row in rows():
                batch.append([_sqlite_value(v) for v in row])
                if len(batch) >= 20_000:
                    cur.executemany(sql, batch)
                    batch.clear()
            if batch:
                cur.executemany(sql, batch)
            cur.executemany(
                "INSERT INTO audit_checkpoint (seq, line_hash, created_at, mac, prev_mac) "
                "VALUES (?, ?, ?, ?, ?)",
                [[_sqlite_value(v) for v in cp] for cp in checkpoints],
            )
        else:
            with cur.copy(f"COPY audit_log_line ({', '.join(insert_cols)}) FROM STDIN") as copy:
                buf: list[str] = []
                for row in rows():
                    buf.append("\t".join(_text(v) for v in row))
                    if len(buf) >= 5_000:
                        copy.write("\n".join(buf) + "\n")
                        buf.clear()
                if buf:
                    copy.write("\n".join(buf) + "\n")
            with cur.copy(
                "COPY audit_checkpoint (seq, line_hash, created_at, mac, prev_mac) FROM STDIN"
            ) as copy:
                for cp in checkpoints:
                    copy.write_row(cp)
        seq_end = seq0 + n_lines
        cur.execute(
            "UPDATE audit_chain_head SET seq = %s, line_hash = %s, mac = %s, checkpoint_mac = %s "
            "WHERE id = 1".replace("%s", "?" if sqlite else "%s"),
            (seq_end, prev, chain.head_mac(seq_end, prev, cp_mac), cp_mac),
        )
        if sqlite:
            cur.execute("COMMIT")
        else:
            raw.commit()
        log("log lines written; building their indexes")
        if not sqlite:
            cur.execute("SET maintenance_work_mem = '256MB'")
        for _, ddl in indexes:
            cur.execute(ddl)
        raw.commit()
    finally:
        raw.close()
    return n_lines
