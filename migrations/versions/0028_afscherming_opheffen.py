"""afscherming opheffen: who lifted a safety mark (user) and why

Revision ID: 0028_afscherming_opheffen
Revises: 0027_privacy_indicatoren
Create Date: 2026-12-05 01:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028_afscherming_opheffen"
down_revision = "0027_privacy_indicatoren"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("afscherming") as batch:
        batch.add_column(sa.Column("opgeheven_door_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("opheffing_reden", sa.Text(), nullable=True))
        batch.create_foreign_key(
            "fk_afscherming_opgeheven_door_id_user", "user", ["opgeheven_door_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("afscherming") as batch:
        batch.drop_constraint("fk_afscherming_opgeheven_door_id_user", type_="foreignkey")
        batch.drop_column("opheffing_reden")
        batch.drop_column("opgeheven_door_id")
