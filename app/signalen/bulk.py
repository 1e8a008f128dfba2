"""Set-based SQL for many signals at once: chunks, ``IN`` as one array parameter on PostgreSQL,
``COPY`` for a delivery's rows, and expiring ORM objects that a bulk UPDATE changed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, any_, bindparam, insert, select
from sqlalchemy.dialects import postgresql

from app.db import session
from app.signalen.models import Vroegsignaal

CHUNK = 2000  # rows per statement


def column_in(conn: Connection, column: Any, values: Iterable[Any]) -> Any:
    """``column IN values`` for a chunk of a delivery. On PostgreSQL one array parameter
    (``= ANY(%s)``): the text stays short and the same, so psycopg need not parse 2,000
    placeholders per chunk, and SQLAlchemy need not expand them."""
    items = list(values)
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam(None, items, type_=postgresql.ARRAY(column.type)))
    return column.in_(items)


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


COPY_COLUMNS = (
    "bron_id",
    "bron_referentie",
    "person_id",
    "bsn",
    "inhoud",
    "categorie",
    "domeinen",
    "gegevens",
    "signaaldatum",
    "ontvangen_op",
)


def bulk_insert(conn: Connection, values: list[dict[str, Any]]) -> list[int]:
    """Insert signal rows from a source as fast as the database allows; returns their ids in
    the order of ``values`` (every row has a source and a reference: they find the ids).

    PostgreSQL: ``COPY … FROM STDIN`` on the request's own connection and transaction. SQLite:
    a plain executemany (with RETURNING it would insert row by row).
    """
    if conn.dialect.name == "postgresql":
        dbapi = conn.connection.driver_connection
        assert dbapi is not None
        sql = f"COPY vroegsignaal ({', '.join(COPY_COLUMNS)}) FROM STDIN"
        with dbapi.cursor() as cur, cur.copy(sql) as copy:
            for v in values:
                row = [v.get(c) for c in COPY_COLUMNS]
                if row[7] is not None:
                    row[7] = json.dumps(row[7])
                copy.write_row(row)
    else:
        conn.execute(insert(Vroegsignaal), values)
    by_source: dict[Any, list[str]] = defaultdict(list)
    for v in values:
        by_source[v["bron_id"]].append(v["bron_referentie"])
    found: dict[tuple[Any, Any], int] = {}
    for bron_id, refs in by_source.items():
        for chunk in chunks(refs, CHUNK):
            for i, b_id, ref in conn.execute(
                select(Vroegsignaal.id, Vroegsignaal.bron_id, Vroegsignaal.bron_referentie).where(
                    Vroegsignaal.bron_id == bron_id,
                    column_in(conn, Vroegsignaal.bron_referentie, chunk),
                )
            ):
                found[(b_id, ref)] = i
    return [found[(v["bron_id"], v["bron_referentie"])] for v in values]


def expire(model: type, ids: set[int]) -> None:
    """Objects changed by a bulk UPDATE are reloaded on their next use."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, model) and getattr(obj, "id", None) in ids:
            session.expire(obj)
