"""sturing: the aggregates of the management information (sturing_cijfer) and when they were
last recomputed (sturing_bijwerking)

Revision ID: 0026_sturing
Revises: 0025_samenwerking
Create Date: 2026-12-05 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026_sturing"
down_revision = "0025_samenwerking"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sturing_cijfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("maand", sa.String(length=7), nullable=False),
        sa.Column("figuur", sa.String(length=40), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("dim", sa.String(length=12), nullable=False),
        sa.Column("dim_waarde", sa.String(length=60), nullable=False),
        sa.Column("sleutel", sa.String(length=100), nullable=False),
        sa.Column("sleutel2", sa.String(length=60), nullable=False),
        sa.Column("waarde", sa.Integer(), nullable=False),
        sa.Column("aantal", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sturing_cijfer")),
    )
    op.create_index(
        "ix_sturing_cijfer_zoek",
        "sturing_cijfer",
        ["figuur", "team_id", "dim", "dim_waarde", "maand"],
    )
    op.create_table(
        "sturing_bijwerking",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bijgewerkt_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rijen", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sturing_bijwerking")),
    )


def downgrade() -> None:
    op.drop_table("sturing_bijwerking")
    op.drop_index("ix_sturing_cijfer_zoek", table_name="sturing_cijfer")
    op.drop_table("sturing_cijfer")
