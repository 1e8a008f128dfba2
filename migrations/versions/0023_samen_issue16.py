"""samen (issue 16): a plan comment's visibility (#9; existing comments keep their audience,
the regisseur and the author's organisation); the author's organisation refuses to release an
item under beroepsgeheim with a reason (#6)

Revision ID: 0023_samen_issue16
Revises: 0022_werkvoorraad_versie
Create Date: 2026-12-05 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_samen_issue16"
down_revision = "0022_werkvoorraad_versie"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_comment") as batch:
        batch.add_column(
            sa.Column(
                "zichtbaarheid", sa.String(length=20), server_default="regisseurs", nullable=False
            )
        )
    with op.batch_alter_table("beroepsgeheim_vrijgave") as batch:
        batch.add_column(
            sa.Column("besluit", sa.String(length=20), server_default="vrijgegeven", nullable=False)
        )
        batch.add_column(sa.Column("reden", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("beroepsgeheim_vrijgave") as batch:
        batch.drop_column("reden")
        batch.drop_column("besluit")
    with op.batch_alter_table("plan_comment") as batch:
        batch.drop_column("zichtbaarheid")
