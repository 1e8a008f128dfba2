"""user.taal: the language a staff member chose with the switch in the header (nl, en; NULL:
the browser's Accept-Language decides)

Revision ID: 0023_taal_gebruiker
Revises: 0022_werkvoorraad_versie
Create Date: 2026-12-04 23:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_taal_gebruiker"
down_revision = "0022_werkvoorraad_versie"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("taal", sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("taal")
