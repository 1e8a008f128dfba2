"""The queue's grouped result, kept per process on PostgreSQL while nothing it reads changed.

Grouping every open signal (see :mod:`app.signalen.werkvoorraad`) costs hundreds of
milliseconds at city scale; the regisseurs page and filter through a queue that changes far less
often than it is read. So the whole ranked queue of one shape (rules, sources, filter except
the urgency) is kept with the **snapshot** it was computed in (``pg_current_snapshot()``, in the
same statement), and used again as long as no transaction that the snapshot did not see has
written to a table the statement reads.

Which transactions wrote is recorded by the database itself: a statement trigger on each of
those tables (migration ``0022_werkvoorraad_versie``) adds the writing transaction's id to
``werkvoorraad_wijziging`` (once per transaction, no lock shared between writers). A cached
result is valid (in the same database: its oid) when no row there is visible now but was not visible in its snapshot
(``pg_visible_in_snapshot``): a writer still running then, or started since, that has committed
makes it stale; one that rolled back does not. A result computed by a transaction that itself
wrote to those tables is not kept (it may still roll back). SQLite has no snapshots: there the
statement runs each time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, literal_column, select, text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, session

# The tables the queue's statement reads (each has the trigger; see the migration).
TABELLEN = ("vroegsignaal", "person", "gezinslink", "afweging", "combinatie_regel", "signaal_bron")
MAX_VORMEN = 8  # shapes kept per process (a shape: about 13,000 rows at city scale)


class WerkvoorraadWijziging(Base):
    """A transaction that wrote to a table the queue reads (PostgreSQL; the triggers fill it)."""

    __tablename__ = "werkvoorraad_wijziging"

    txid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


_CACHE: dict[Any, tuple[str, int, list[Any]]] = {}

# The database itself (a database dropped and made again under the same name is another one).
_DATABASE = "(SELECT CAST(oid AS bigint) FROM pg_database WHERE datname = current_database())"
_STALE = text(
    "SELECT (SELECT CAST(oid AS bigint) FROM pg_database WHERE datname = current_database()),"
    " EXISTS (SELECT 1 FROM werkvoorraad_wijziging"
    " WHERE txid >= CAST(CAST(pg_snapshot_xmin(CAST(:s AS pg_snapshot)) AS text) AS bigint)"
    " AND NOT pg_visible_in_snapshot(CAST(CAST(txid AS text) AS xid8), CAST(:s AS pg_snapshot)))"
)
_SNAPSHOT: Any = literal_column("CAST(pg_current_snapshot() AS text)")
_DATABASE_COLUMN: Any = literal_column(_DATABASE)
_OWN_WRITES: Any = literal_column(
    "EXISTS (SELECT 1 FROM werkvoorraad_wijziging"
    " WHERE txid = CAST(CAST(pg_current_xact_id_if_assigned() AS text) AS bigint))"
)


def alle_groepen(shape: Any, windowed: Any, order_by: list[Any]) -> list[Any]:
    """Every group of the queue of this shape, in the queue's order (PostgreSQL only)."""
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), shape)
    hit = _CACHE.get(key)
    if hit is not None:
        database, stale = session.execute(_STALE, {"s": hit[0]}).one()
        if database == hit[1] and not stale:
            return hit[2]
    rows = (
        session.execute(
            select(
                windowed,
                _SNAPSHOT.label("_snapshot"),
                _DATABASE_COLUMN.label("_database"),
                _OWN_WRITES.label("_eigen"),
            )
            .order_by(*order_by)
            .execution_options(audit_internal=True)  # counts and keys; the view logs
        )
        .mappings()
        .all()
    )
    if rows and not rows[0]["_eigen"]:
        if len(_CACHE) >= MAX_VORMEN:
            _CACHE.clear()
        _CACHE[key] = (rows[0]["_snapshot"], rows[0]["_database"], list(rows))
    return list(rows)


def vergeet() -> None:
    """Drop every kept result (tests)."""
    _CACHE.clear()


__all__ = ["TABELLEN", "WerkvoorraadWijziging", "alle_groepen", "vergeet"]
