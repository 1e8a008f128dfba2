"""werkvoorraad_versie: which transactions wrote to the tables the signal queue reads, so a
computed queue can be used again while nothing it reads changed (PostgreSQL: statement triggers)

Revision ID: 0022_werkvoorraad_versie
Revises: 0020_logvragen
Create Date: 2026-12-04 22:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022_werkvoorraad_versie"
down_revision = "0020_logvragen"
branch_labels = None
depends_on = None

# A copy of app.signalen.werkvoorraad_cache.TABELLEN as it was (a migration does not change).
TABELLEN = ("vroegsignaal", "person", "gezinslink", "afweging", "combinatie_regel", "signaal_bron")


def upgrade() -> None:
    op.create_table(
        "werkvoorraad_wijziging",
        sa.Column("txid", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("txid", name=op.f("pk_werkvoorraad_wijziging")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION werkvoorraad_gewijzigd() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO werkvoorraad_wijziging (txid)
            VALUES (CAST(CAST(pg_current_xact_id() AS text) AS bigint))
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END
        $$
        """
    )
    for tabel in TABELLEN:
        op.execute(
            f"CREATE TRIGGER werkvoorraad_{tabel} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
            f" ON {tabel} FOR EACH STATEMENT EXECUTE FUNCTION werkvoorraad_gewijzigd()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for tabel in TABELLEN:
            op.execute(f"DROP TRIGGER IF EXISTS werkvoorraad_{tabel} ON {tabel}")
        op.execute("DROP FUNCTION IF EXISTS werkvoorraad_gewijzigd()")
    op.drop_table("werkvoorraad_wijziging")
