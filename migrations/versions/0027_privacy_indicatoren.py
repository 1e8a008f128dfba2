"""privacy_indicatoren: the indicators per day, computed by ``flask privacy indicatoren`` and
read by the privacy overview, so that a year of lines counts (issue 17)

Revision ID: 0027_privacy_indicatoren
Revises: 0026_sturing
Create Date: 2026-12-05 00:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

TS = sa.DateTime(timezone=True)

revision = "0027_privacy_indicatoren"
down_revision = "0026_sturing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "privacy_indicator_dag",
        sa.Column("dag", sa.Date(), nullable=False),
        sa.Column("berekend_op", TS, nullable=False),
        sa.Column("regels", sa.Integer(), nullable=False),
        sa.Column("tot_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("dag", name=op.f("pk_privacy_indicator_dag")),
    )
    op.create_table(
        "privacy_aandachtspunt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dag", sa.Date(), nullable=False),
        sa.Column("soort", sa.String(length=40), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        sa.Column("actor_role", sa.String(length=60), nullable=True),
        sa.Column("actor_organisation", sa.String(length=200), nullable=True),
        sa.Column("begin", TS, nullable=False),
        sa.Column("eind", TS, nullable=False),
        sa.Column("regels", sa.Text(), nullable=False),
        sa.Column("personen", sa.Integer(), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_aandachtspunt")),
    )
    op.create_index("ix_privacy_aandachtspunt_dag_soort", "privacy_aandachtspunt", ["dag", "soort"])
    op.create_index("ix_privacy_aandachtspunt_eind", "privacy_aandachtspunt", ["eind", "id"])


def downgrade() -> None:
    op.drop_table("privacy_aandachtspunt")
    op.drop_table("privacy_indicator_dag")
