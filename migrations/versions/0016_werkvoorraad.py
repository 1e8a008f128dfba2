"""werkvoorraad: the household key of a signal's free-text address, and an index for open
signals not yet matched to a person (by delivered BSN)

Revision ID: 0016_werkvoorraad
Revises: 0015_stream_lease
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0016_werkvoorraad"
down_revision = "0015_stream_lease"
branch_labels = None
depends_on = None

WHERE = "person_id IS NULL AND verwijderd_op IS NULL"
# A copy of app.signalen.werkvoorraad.adres_sleutel as it was (a migration does not change).
_POSTCODE = re.compile(r"\b([1-9][0-9]{3})\s?([A-Za-z]{2})\b")
_NUMMER = re.compile(r"(\d{1,5})\s*-?\s*([A-Za-z]{1,4}|\d{1,4})?$")


def adres_sleutel(adres: str | None) -> str | None:
    if not adres:
        return None
    m = _POSTCODE.search(adres)
    if m is None:
        return None
    nummer = _NUMMER.search(adres[: m.start()].rstrip(" ,"))
    if nummer is None:
        return None
    toevoeging = (nummer.group(2) or "").upper()
    return f"A:{(m.group(1) + m.group(2)).upper()}:{int(nummer.group(1))}:{toevoeging}"


def upgrade() -> None:
    with op.batch_alter_table("vroegsignaal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("adres_sleutel", sa.String(length=40), nullable=True))
        batch_op.create_index(
            "ix_vroegsignaal_ongekoppeld_bsn",
            ["bsn"],
            unique=False,
            sqlite_where=sa.text(WHERE),
            postgresql_where=sa.text(WHERE),
        )
    # Signals already received with a free-text address (the web form without BSN).
    conn = op.get_bind()
    table = sa.table(
        "vroegsignaal",
        sa.column("id", sa.Integer),
        sa.column("adres", sa.String),
        sa.column("adres_sleutel", sa.String),
    )
    rows = conn.execute(
        sa.select(table.c.id, table.c.adres).where(table.c.adres.is_not(None))
    ).all()
    for signal_id, adres in rows:
        key = adres_sleutel(adres)
        if key is not None:
            conn.execute(sa.update(table).where(table.c.id == signal_id).values(adres_sleutel=key))


def downgrade() -> None:
    with op.batch_alter_table("vroegsignaal", schema=None) as batch_op:
        batch_op.drop_index("ix_vroegsignaal_ongekoppeld_bsn")
        batch_op.drop_column("adres_sleutel")
