"""Site-wide limits on open live streams: one lease row per open stream, shared by every
worker process (``uvicorn --workers N``) through the database.

A stream that passed its checks claims a lease (:meth:`Leases.claim`) in one transaction that
first takes a lock — PostgreSQL: a transaction-level advisory lock; SQLite: its write lock
(``BEGIN IMMEDIATE``, see :mod:`app.db`) — then removes expired leases, counts the live ones
for the login session, the citizen and in all, and inserts its own only if all three are under
their limit. So two processes can never both take the last place.

A lease holds the login session's hash (as in the stream's check, never the session id), the
citizen's logboek pseudonym (never a BSN) and the process that holds it, and expires after
``PORTAAL_LIVE_LEASE_SECONDS`` (60). Each process renews all its leases in one ``UPDATE`` every
heartbeat (:meth:`Leases.renew`) and deletes a lease when its stream ends. A process that
crashed renews nothing: its leases are ignored once they expire, and removed by the next claim —
a crashed worker never locks a citizen out for longer than that. Events themselves never touch
this table.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from typing import cast

from sqlalchemy import Engine, Index, String, Table, delete, func, select, text, update
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime

# The advisory lock key of the lease table (PostgreSQL): any fixed 64-bit number.
LOCK_KEY = 0x45_4E_4C_49_56_45  # "ENLIVE"

SESSIE_VOL = "U heeft deze pagina al te vaak tegelijk open."
INWONER_VOL = "Uw logboek is al te vaak tegelijk open."
ALLES_VOL = "Er kijken nu te veel mensen tegelijk live mee."


class StreamLease(Base):
    """One open live stream, somewhere on the site."""

    __tablename__ = "portaal_stream_lease"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    sessie: Mapped[str] = mapped_column(String(64))  # sha256 of the login session's id
    pseudoniem: Mapped[str] = mapped_column(String(128))  # the logboek's keyed pseudonym
    proces: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_portaal_stream_lease_sessie", "sessie"),
        Index("ix_portaal_stream_lease_pseudoniem", "pseudoniem"),
        Index("ix_portaal_stream_lease_proces", "proces"),
        Index("ix_portaal_stream_lease_expires_at", "expires_at"),
    )


_TABLE = cast(Table, StreamLease.__table__)


def _now() -> dt.datetime:
    # Wall-clock time, not app.clock (whose offset tests move): leases are shared by processes.
    return dt.datetime.now(dt.UTC)


class Leases:
    """The lease table as seen by one process (blocking calls: run them off the event loop)."""

    def __init__(
        self, engine: Engine, per_sessie: int, per_inwoner: int, total: int, seconds: float
    ) -> None:
        self.engine = engine
        self.per_sessie, self.per_inwoner, self.total = per_sessie, per_inwoner, total
        self.seconds = seconds
        self.proces = f"{os.getpid()}-{uuid.uuid4().hex[:16]}"

    def claim(self, sessie: str, inwoner: str) -> tuple[str | None, str | None]:
        """(lease id, None) when granted; (None, why not) when a limit is reached."""
        now = _now()
        table = _TABLE
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
            # On SQLite the transaction already holds the write lock (BEGIN IMMEDIATE).
            conn.execute(delete(table).where(table.c.expires_at <= now))
            live = table.c.expires_at > now
            counts = conn.execute(
                select(
                    func.count(),
                    func.count().filter(table.c.sessie == sessie),
                    func.count().filter(table.c.pseudoniem == inwoner),
                ).where(live)
            ).one()
            if counts[0] >= self.total:
                return None, ALLES_VOL
            if counts[1] >= self.per_sessie:
                return None, SESSIE_VOL
            if counts[2] >= self.per_inwoner:
                return None, INWONER_VOL
            lease = uuid.uuid4().hex
            conn.execute(
                table.insert().values(
                    id=lease,
                    sessie=sessie,
                    pseudoniem=inwoner,
                    proces=self.proces,
                    expires_at=now + dt.timedelta(seconds=self.seconds),
                )
            )
        return lease, None

    def renew(self) -> None:
        """Extend every lease of this process (one statement, every heartbeat)."""
        table = _TABLE
        with self.engine.begin() as conn:
            conn.execute(
                update(table)
                .where(table.c.proces == self.proces)
                .values(expires_at=_now() + dt.timedelta(seconds=self.seconds))
            )

    def release(self, lease: str) -> None:
        table = _TABLE
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.id == lease))

    def release_all(self) -> None:
        """This process stops: its leases go at once."""
        table = _TABLE
        with self.engine.begin() as conn:
            conn.execute(delete(table).where(table.c.proces == self.proces))


__all__ = ["ALLES_VOL", "INWONER_VOL", "SESSIE_VOL", "Leases", "StreamLease"]
