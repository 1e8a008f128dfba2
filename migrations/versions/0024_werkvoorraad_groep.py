"""werkvoorraad_groep: the signal queue as a summary table (one row per group, kept in the
transaction of every change), filled from the signals; the per-process cache's triggers and
``werkvoorraad_wijziging`` go

Revision ID: 0024_werkvoorraad_groep
Revises: 0023_taal_gebruiker
Create Date: 2026-12-05 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_werkvoorraad_groep"
down_revision = "0023_taal_gebruiker"
branch_labels = None
depends_on = None

# A copy of 0022's TABELLEN (a migration does not change).
TABELLEN = ("vroegsignaal", "person", "gezinslink", "afweging", "combinatie_regel", "signaal_bron")


def upgrade() -> None:
    op.create_table(
        "werkvoorraad_groep",
        sa.Column("sleutel", sa.String(length=32), nullable=False),
        sa.Column("heropend", sa.Boolean(), nullable=False),
        sa.Column("urgentie", sa.Integer(), nullable=False),
        sa.Column("nieuwste", sa.DateTime(timezone=True), nullable=False),
        sa.Column("oudste", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.Column("aantal_bronnen", sa.Integer(), nullable=False),
        sa.Column("ongekoppeld", sa.Integer(), nullable=False),
        sa.Column("in_afweging", sa.Integer(), nullable=False),
        sa.Column("signaal_id", sa.Integer(), nullable=True),
        sa.Column("bsn_geleverd", sa.Boolean(), nullable=False),
        sa.Column("personen", sa.Text(), nullable=False),
        sa.Column("bronnen", sa.Text(), nullable=False),
        sa.Column("regels", sa.Text(), nullable=False),
        sa.Column("domeinen", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("sleutel", name=op.f("pk_werkvoorraad_groep")),
    )
    op.create_index(
        "ix_werkvoorraad_groep_volgorde",
        "werkvoorraad_groep",
        ["heropend", "urgentie", "nieuwste", "sleutel"],
    )
    op.create_index(
        "ix_werkvoorraad_groep_urgentie",
        "werkvoorraad_groep",
        ["urgentie", "heropend", "nieuwste", "sleutel"],
    )
    op.create_table(
        "werkvoorraad_lid",
        sa.Column("signaal_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("basis", sa.String(length=32), nullable=False),
        sa.Column("groep", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("signaal_id", name=op.f("pk_werkvoorraad_lid")),
    )
    for column in ("basis", "groep", "person_id"):
        op.create_index(f"ix_werkvoorraad_lid_{column}", "werkvoorraad_lid", [column])
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for tabel in TABELLEN:
            op.execute(f"DROP TRIGGER IF EXISTS werkvoorraad_{tabel} ON {tabel}")
        op.execute("DROP FUNCTION IF EXISTS werkvoorraad_gewijzigd()")
    op.drop_table("werkvoorraad_wijziging")
    # The summary from the signals already there. This calls the application's rebuild (the
    # grouping and the rules are too much to copy here): it reads only tables that exist at
    # this revision; should they change, replace this call by a frozen copy.
    from app.signalen.werkvoorraad_groepen import herbouw

    herbouw(conn)


def downgrade() -> None:
    op.create_table(
        "werkvoorraad_wijziging",
        sa.Column("txid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("txid", name=op.f("pk_werkvoorraad_wijziging")),
    )
    op.drop_table("werkvoorraad_lid")
    op.drop_table("werkvoorraad_groep")
