"""gezinslinks: afscherming, a safety mark on a gezinslink or a person

Revision ID: 0019_gezinslinks
Revises: 0017_correcties
Create Date: 2026-12-04 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019_gezinslinks"
down_revision = "0017_correcties"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "afscherming",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("gezinslink_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("ander_id", sa.Integer(), nullable=True),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("gezet_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("gezet_door_id", sa.Integer(), nullable=True),
        sa.Column("gezet_door_naam", sa.String(length=200), nullable=False),
        sa.Column("opgeheven_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("opgeheven_door_naam", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["gezinslink_id"], ["gezinslink.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["ander_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["gezet_door_id"], ["user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_afscherming_gezinslink_id", "afscherming", ["gezinslink_id"])
    op.create_index("ix_afscherming_person_id", "afscherming", ["person_id"])
    op.create_index("ix_afscherming_ander_id", "afscherming", ["ander_id"])


def downgrade() -> None:
    op.drop_index("ix_afscherming_ander_id", table_name="afscherming")
    op.drop_index("ix_afscherming_person_id", table_name="afscherming")
    op.drop_index("ix_afscherming_gezinslink_id", table_name="afscherming")
    op.drop_table("afscherming")
