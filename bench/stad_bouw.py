"""The city of ``bench/stad.py``: built with ``COPY``, reproducibly from a seed.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, and the ids are assigned
here (not by the database), so the same seed and scale give the same city, row for row. At scale
1: 900,000 persons (the population the synthetic BRP source answers for), 45,000 plans in
households (gezinslinks to the household's other members), 300 regisseurs, 3,000 hulpverleners
in 150 organisations, 180,000 activities, 60,000 signals (half for BSNs Eenplan does not know),
open afwegingen, a year of plan history and 20 million logboek lines over the last year: a
genuine chain computed with the application's own chain code (``audit.chain``), checkpoints
every 10,000 lines and a signed head, so ``flask audit verify`` passes.

On PostgreSQL everything goes in with ``COPY`` (psycopg 3 ``cursor.copy``; the log lines as
pre-formatted text, their secondary indexes built afterwards); on SQLite (``--smoke`` only) with
``executemany``.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from common import BENCH_KEYS, bsn_from  # type: ignore[import-not-found]

TZ = ZoneInfo("Europe/Amsterdam")
VOORNAMEN = [
    "Jan",
    "Piet",
    "Kees",
    "Mohamed",
    "Fatima",
    "Sanne",
    "Lotte",
    "Daan",
    "Sem",
    "Noah",
    "Emma",
    "Julia",
    "Mila",
    "Tess",
    "Lucas",
    "Levi",
    "Ayoub",
    "Yasmina",
    "Priya",
    "Rajesh",
    "Anouk",
    "Bram",
    "Eva",
    "Femke",
    "Hamza",
    "Ilse",
    "Joris",
    "Karim",
    "Lina",
    "Mees",
    "Nora",
    "Omar",
]
ACHTERNAMEN = [
    "de Vries",
    "Jansen",
    "de Jong",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "de Boer",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "El Amrani",
    "Yilmaz",
    "Kaya",
    "Ramdin",
    "Sardjoe",
    "van Dijk",
    "van den Berg",
    "Dekker",
    "Brouwer",
    "Koster",
    "Willems",
]
STRATEN = [
    "Javastraat",
    "Kinkerstraat",
    "Bos en Lommerweg",
    "Osdorpplein",
    "Bijlmerdreef",
    "Meeuwenlaan",
    "Van Woustraat",
    "Jan Evertsenstraat",
    "Molukkenstraat",
    "Purmerweg",
    "Ganzenhoef",
    "Burgemeester Roellstraat",
]
ORG_SOORTEN = ("wijkteam", "zorgaanbieder", "jeugdhulp", "ggz", "schuldhulpverlening")
AARDEN = ("schuldhulpverlening", "budgetbeheer", "jeugdhulp", "ggz", "woonbegeleiding", "gesprek")
HOUSEHOLD_SIZES = (1,) * 35 + (2,) * 30 + (3,) * 15 + (4,) * 13 + (5,) * 7
CITIZENS = 200  # citizen accounts (with a plan) for the drive


def sizes(scale: float) -> dict[str, int]:
    def n(full: int, least: int) -> int:
        return max(least, round(full * scale))

    return {
        "persons": n(900_000, 200),
        "plans": n(45_000, 30),
        "regisseurs": n(300, 3),
        "hulpverleners": n(3_000, 6),
        "organisations": n(150, 3),
        "activities": n(180_000, 60),
        "signals": n(60_000, 40),
        "lines": n(20_000_000, 5_000),
    }


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(dt.UTC).replace(tzinfo=None)
        return v.isoformat(" ", "microseconds")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return int(v)
    return v


def copy_rows(conn: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Load rows into ``table``: COPY on PostgreSQL, executemany on SQLite."""
    cols = ", ".join(f'"{c}"' for c in columns)
    n = 0
    if conn.dialect.name == "postgresql":
        cur = conn.connection.driver_connection.cursor()
        with cur.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    sql = f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" for _ in columns)})'
    batch: list[list[Any]] = []
    raw = conn.connection.driver_connection
    for row in rows:
        batch.append([_sqlite_value(v) for v in row])
        n += 1
        if len(batch) >= 20_000:
            raw.executemany(sql, batch)
            batch.clear()
    if batch:
        raw.executemany(sql, batch)
    return n


def _next_id(conn: Any, table: str) -> int:
    return int(conn.exec_driver_sql(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"').scalar())


def _fix_sequences(conn: Any, tables: Iterable[str]) -> None:
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), "
            f'(SELECT coalesce(max(id), 1) FROM "{t}"))'
        )


def _insert_users(conn: Any, users: list[tuple[Any, ...]]) -> None:
    copy_rows(
        conn,
        "user",
        ("id", "username", "name", "organisation_id", "person_id", "active", "created_at"),
        (
            (u, name, full, org, p, True, dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
            for u, name, full, org, p, _r in users
        ),
    )
    role_of = {"po": "privacy_officer"}
    copy_rows(
        conn,
        "user_role",
        ("user_id", "role"),
        ((u[0], role_of.get(u[5], u[5])) for u in users if u[5] != "burger"),
    )


def build(app: Any, scale: float, seed: int, log: Any = print) -> dict[str, Any]:
    """Build the city into the (migrated, empty) database of ``app``; returns its sizes."""
    n = sizes(scale)
    rng = random.Random(seed)
    engine = app.extensions["eenplan_db"].engine
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    day = stamp.astimezone(TZ).date()
    year_ago = stamp - dt.timedelta(days=365)
    t0 = time.perf_counter()

    def took(what: str) -> None:
        log(f"  {what} ({time.perf_counter() - t0:.0f} s)")

    with engine.begin() as conn:
        # --- organisations and staff -----------------------------------------------------
        org0 = _next_id(conn, "organisation")
        gemeente = org0
        orgs = [(gemeente, "Gemeente Stad", "gemeente")] + [
            (org0 + 1 + i, f"{ORG_SOORTEN[i % 5].capitalize()} Stad {i + 1}", ORG_SOORTEN[i % 5])
            for i in range(n["organisations"])
        ]
        copy_rows(
            conn,
            "organisation",
            ("id", "name", "kind", "active", "created_at"),
            ((i, name, kind, True, year_ago) for i, name, kind in orgs),
        )
        org_names = {i: name for i, name, _ in orgs}
        hv_orgs = [i for i, _, kind in orgs if kind != "gemeente"]
        user0 = _next_id(conn, "user")
        users: list[tuple[int, str, str, int | None, int | None, str]] = []
        regisseurs: list[int] = []
        hulpverleners: dict[int, list[int]] = {o: [] for o in hv_orgs}
        hv_org: dict[int, int] = {}
        uid = user0
        for i in range(n["regisseurs"]):
            users.append(
                (uid, f"stad-regisseur-{i}", f"Regisseur {i}", gemeente, None, "regisseur")
            )
            regisseurs.append(uid)
            uid += 1
        for i in range(n["hulpverleners"]):
            org = hv_orgs[i % len(hv_orgs)]
            users.append(
                (uid, f"stad-hulpverlener-{i}", f"Hulpverlener {i}", org, None, "hulpverlener")
            )
            hulpverleners[org].append(uid)
            hv_org[uid] = org
            uid += 1
        privacy = []
        for i in range(3):
            users.append((uid, f"stad-privacy-{i}", f"Privacy officer {i}", gemeente, None, "po"))
            privacy.append(uid)
            uid += 1
        # Management information (/sturing): team leads of the regisseurs' team (the
        # municipality's) and policy officers, as the demo's teamleider1 and beleid1.
        for rol, naam, aantal in (("teamleider", "Teamleider", 3), ("beleid", "Beleid", 2)):
            for i in range(aantal):
                users.append((uid, f"stad-{rol}-{i}", f"{naam} {i}", gemeente, None, rol))
                uid += 1
        _insert_users(conn, users)
        staff = len(users)
        took(f"{len(orgs)} organisations, {len(users)} staff")

        # --- persons in households ---------------------------------------------------------
        person0 = _next_id(conn, "person")
        households: list[tuple[int, int]] = []  # (first person id, size)
        rows = []
        pid = person0
        h = 0
        while pid - person0 < n["persons"]:
            size = min(HOUSEHOLD_SIZES[rng.randrange(100)], n["persons"] - (pid - person0))
            straat = STRATEN[h % len(STRATEN)]
            nummer = str(1 + (h // len(STRATEN)) % 300)
            postcode = f"{1000 + (h // 3600) % 109:04d}{'ABCDEFGHJK'[h % 10]}{'LMNPRST'[h % 7]}"
            achternaam = ACHTERNAMEN[rng.randrange(len(ACHTERNAMEN))]
            households.append((pid, size))
            for k in range(size):
                child = k >= 2 or (k == 1 and size >= 3 and rng.random() < 0.3)
                year = rng.randrange(2008, 2024) if child else rng.randrange(1945, 2004)
                rows.append(
                    (
                        pid,
                        bsn_from(10_000_000 + (pid - person0) * 11),
                        VOORNAMEN[rng.randrange(len(VOORNAMEN))],
                        None,
                        achternaam,
                        dt.date(year, 1 + rng.randrange(12), 1 + rng.randrange(28)),
                        straat,
                        nummer,
                        None,
                        postcode,
                        "Amsterdam",
                        year_ago,
                    )
                )
                pid += 1
            h += 1
        copy_rows(
            conn,
            "person",
            (
                "id",
                "bsn",
                "voornamen",
                "tussenvoegsel",
                "achternaam",
                "geboortedatum",
                "straat",
                "huisnummer",
                "huisnummer_toevoeging",
                "postcode",
                "woonplaats",
                "created_at",
            ),
            rows,
        )
        del rows
        took(f"{n['persons']:,} persons in {len(households):,} households")

        # --- plans, links, involvement, activities, history ---------------------------------
        plan0 = _next_id(conn, "plan")
        order = list(range(len(households)))
        rng.shuffle(order)
        plans: list[tuple[int, int, int, int]] = []  # plan id, person id, regisseur, household
        links = []
        hh_of_person: dict[int, list[int]] = {}
        for hi in order:
            if len(plans) >= n["plans"]:
                break
            first, size = households[hi]
            members = list(range(first, first + size))
            holders = [first] + ([first + 1] if size >= 2 and rng.random() < 0.3 else [])
            for p in holders[: n["plans"] - len(plans)]:
                plans.append(
                    (plan0 + len(plans), p, regisseurs[rng.randrange(len(regisseurs))], hi)
                )
            for k, other in enumerate(members[1:], start=1):
                links.append((first, other, "partner" if k == 1 else "ouder_van"))
            for m in members:
                hh_of_person[m] = members
        plan_rows = []
        bet_rows = []
        act_rows = []
        gebeurtenis = []
        by_regisseur: dict[int, list[int]] = {}
        by_org: dict[int, list[int]] = {}
        by_hv: dict[int, list[int]] = {}  # plans a hulpverlener is personally involved in
        open_org: dict[int, list[int]] = {}  # plans of the organisation, no one person named
        per_plan_acts = max(1, n["activities"] // max(1, len(plans)))
        act_id = _next_id(conn, "activity")
        bet_id = _next_id(conn, "betrokkenheid")
        geb_id = _next_id(conn, "plan_gebeurtenis")
        for plan_id, person_id, reg, _hi in plans:
            created = year_ago + dt.timedelta(seconds=rng.randrange(360 * 86400))
            roll = rng.random()
            status = "actief" if roll < 0.85 else "concept" if roll < 0.95 else "afgesloten"
            closed = (
                created + dt.timedelta(days=rng.randrange(1, 30))
                if status == "afgesloten"
                else None
            )
            plan_rows.append(
                (
                    plan_id,
                    person_id,
                    "toestemming" if rng.random() < 0.6 else "multiproblematiek",
                    status,
                    gemeente,
                    reg,
                    "hersteld" if closed else None,
                    closed,
                    created,
                    reg,
                    closed or created + dt.timedelta(days=rng.randrange(30)),
                    reg,
                    1,
                )
            )
            by_regisseur.setdefault(reg, []).append(plan_id)
            involved = rng.sample(hv_orgs, min(len(hv_orgs), 1 + rng.randrange(3)))
            # Involved from the start of the year of history (the log lines of the year view
            # these plans throughout): outside involvement stays the exception it is.
            start = min(created.astimezone(TZ).date(), year_ago.astimezone(TZ).date())
            for org in involved:
                people = hulpverleners[org]
                who = people[rng.randrange(len(people))] if rng.random() < 0.5 else None
                bet_rows.append((bet_id, plan_id, org, who, "Begeleiding", start, None, reg))
                bet_id += 1
                by_org.setdefault(org, []).append(plan_id)
                if who is not None:
                    by_hv.setdefault(who, []).append(plan_id)
                else:
                    open_org.setdefault(org, []).append(plan_id)
            for _ in range(per_plan_acts):
                org = involved[rng.randrange(len(involved))] if rng.random() < 0.85 else None
                a_start = start + dt.timedelta(days=rng.randrange(60))
                done = rng.random() < 0.3
                act_rows.append(
                    (
                        act_id,
                        plan_id,
                        AARDEN[rng.randrange(len(AARDEN))],
                        "Afspraak uit het plan",
                        "organisatie" if org else "huishouden",
                        org,
                        a_start,
                        a_start + dt.timedelta(days=30 + rng.randrange(300))
                        if rng.random() < 0.7
                        else None,
                        done,
                        a_start + dt.timedelta(days=rng.randrange(1, 90)) if done else None,
                        False,
                        created,
                        created,
                        1,
                    )
                )
                act_id += 1
            for k in range(1 + rng.randrange(5)):
                at = created + dt.timedelta(days=k * rng.randrange(1, 60))
                gebeurtenis.append(
                    (
                        geb_id,
                        plan_id,
                        min(at, stamp),
                        reg,
                        f"Regisseur {reg}",
                        "wijziging",
                        "Bijgewerkt",
                    )
                )
                geb_id += 1
        copy_rows(
            conn,
            "plan",
            (
                "id",
                "person_id",
                "basis",
                "status",
                "gemeente_id",
                "regisseur_id",
                "closed_reason",
                "closed_at",
                "created_at",
                "created_by_id",
                "updated_at",
                "updated_by_id",
                "version",
            ),
            plan_rows,
        )
        copy_rows(
            conn,
            "toestemming",
            ("plan_id", "gegeven_door", "gegeven_op", "wijze", "vastgelegd_op"),
            (
                (r[0], "de betrokkene zelf", r[8].date(), "schriftelijk", r[8])
                for r in plan_rows
                if r[2] == "toestemming"
            ),
        )
        copy_rows(
            conn,
            "gezinslink",
            ("person_a_id", "person_b_id", "relatie", "gelegd_op", "gelegd_door_naam"),
            ((a, b, r, year_ago, "Stad") for a, b, r in links),
        )
        copy_rows(
            conn,
            "betrokkenheid",
            ("id", "plan_id", "organisation_id", "user_id", "rol", "start_date", "end_date")
            + ("started_by_id",),
            bet_rows,
        )
        copy_rows(
            conn,
            "activity",
            (
                "id",
                "plan_id",
                "aard",
                "omschrijving",
                "uitvoerder_soort",
                "organisation_id",
                "start_date",
                "end_date",
                "afgerond",
                "afgerond_op",
                "toelichting_beroepsgeheim",
                "created_at",
                "updated_at",
                "version",
            ),
            act_rows,
        )
        copy_rows(
            conn,
            "plan_gebeurtenis",
            ("id", "plan_id", "at", "actor_id", "actor_name", "soort", "omschrijving"),
            gebeurtenis,
        )
        took(
            f"{len(plans):,} plans, {len(links):,} gezinslinks, {len(bet_rows):,} betrokkenheden, "
            f"{len(act_rows):,} activities, {len(gebeurtenis):,} history events"
        )

        # --- citizens (accounts for the drive), users and roles -----------------------------
        for i, (_plan, person_id, _reg, _hi) in enumerate(plans[:CITIZENS]):
            users.append((uid, f"stad-inwoner-{i}", f"Inwoner {i}", None, person_id, "burger"))
            uid += 1
        _insert_users(conn, users[staff:])

        # --- signals and afwegingen -------------------------------------------------------
        bronnen = [
            (int(r[0]), r[1], r[2])
            for r in conn.exec_driver_sql(
                "SELECT id, soort, domeinen FROM signaal_bron ORDER BY id"
            )
        ]
        import json as _json

        afw_id = _next_id(conn, "afweging")
        afwegingen = []
        sig_rows = []
        planned = {p[1] for p in plans}
        all_persons = range(person0, pid)
        for i in range(n["signals"]):
            bron_id, soort, domeinen = bronnen[rng.randrange(len(bronnen))]
            if isinstance(domeinen, str):
                domeinen = _json.loads(domeinen)
            afweging = None
            if i % 2 == 0:
                person = all_persons[rng.randrange(len(all_persons))]
                bsn = None
                if person not in planned and rng.random() < 0.1:
                    afwegingen.append(
                        (
                            afw_id,
                            person,
                            "signalen",
                            "open",
                            regisseurs[rng.randrange(len(regisseurs))],
                        )
                    )
                    afweging = afw_id
                    afw_id += 1
            else:
                person = None
                bsn = bsn_from(60_000_000 + (i // 2 % max(1, n["signals"] // 6)) * 17)
            categorie = {"school": "schoolverzuim", "politie": "politie"}.get(
                soort, "dreigende_uitzetting" if rng.random() < 0.02 else "betalingsachterstand"
            )
            sig_rows.append(
                (
                    bron_id,
                    f"S-{i}",
                    person,
                    bsn,
                    "Achterstand",
                    categorie,
                    ",".join(domeinen),
                    (stamp - dt.timedelta(days=rng.randrange(180))).date(),
                    stamp - dt.timedelta(minutes=rng.randrange(180 * 24 * 60)),
                    afweging,
                )
            )
        copy_rows(
            conn,
            "afweging",
            ("id", "person_id", "aanleiding", "status", "regisseur_id", "geopend_op"),
            ((*a, stamp - dt.timedelta(days=rng.randrange(30))) for a in afwegingen),
        )
        copy_rows(
            conn,
            "vroegsignaal",
            (
                "bron_id",
                "bron_referentie",
                "person_id",
                "bsn",
                "inhoud",
                "categorie",
                "domeinen",
                "signaaldatum",
                "ontvangen_op",
                "afweging_id",
            ),
            sig_rows,
        )
        took(f"{len(sig_rows):,} signals, {len(afwegingen):,} open afwegingen")
        _fix_sequences(
            conn,
            (
                "organisation",
                "user",
                "user_role",
                "person",
                "plan",
                "gezinslink",
                "betrokkenheid",
                "activity",
                "plan_gebeurtenis",
                "afweging",
                "vroegsignaal",
            ),
        )
    world = {
        "users": users,
        "org_names": org_names,
        "hv_org": hv_org,
        "by_regisseur": by_regisseur,
        "by_org": by_org,
        "by_hv": by_hv,
        "open_org": open_org,
        "plans": plans,
        "hh_of_person": hh_of_person,
        "person0": person0,
        "regisseurs": regisseurs,
        "privacy": privacy,
    }
    from stad_log import write_lines  # type: ignore[import-not-found]

    lines = write_lines(app, world, n["lines"], rng, year_ago, day, log=took)
    took(f"{lines:,} log lines")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    took("analysed")
    return {**n, "lines": lines, "seconds": time.perf_counter() - t0, "keys": BENCH_KEYS}
