"""samen: a plan comment's visibility (issue 16 #9); existing comments keep their audience
(the regisseur and the author's organisation)

Revision ID: 0023_samen_zichtbaarheid
Revises: 0022_werkvoorraad_versie
Create Date: 2026-12-05 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023_samen_zichtbaarheid"
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


def downgrade() -> None:
    with op.batch_alter_table("plan_comment") as batch:
        batch.drop_column("zichtbaarheid")
