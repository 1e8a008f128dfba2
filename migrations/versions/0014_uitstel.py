"""Deferred disclosure of signals (uitstel) and the "gevoelig" flag of signal sources.

Revision ID: 0014_uitstel
Revises: 0013_contact_wijziging
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_uitstel"
down_revision = "0013_contact_wijziging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signaal_bron", schema=None) as batch_op:
        batch_op.add_column(sa.Column("gevoelig", sa.Boolean(), server_default="0", nullable=False))
    # The shipped sensitive source(s) already seeded: police (Veilig Thuis is seeded new).
    op.execute(
        sa.text("UPDATE signaal_bron SET gevoelig = :t WHERE code = 'politie'").bindparams(t=True)
    )
    op.create_table(
        "uitstel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vroegsignaal_id", sa.Integer(), nullable=False),
        sa.Column("onderwerp", sa.String(length=64), nullable=False),
        sa.Column("tot", sa.Date(), nullable=False),
        sa.Column("tot_stap_2", sa.Boolean(), nullable=False),
        sa.Column("reden", sa.String(length=40), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("ingesteld_door_id", sa.Integer(), nullable=True),
        sa.Column("ingesteld_door", sa.String(length=300), nullable=False),
        sa.Column("ingesteld_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("beoordeeld_door_id", sa.Integer(), nullable=True),
        sa.Column("beoordeeld_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("beoordeling", sa.Text(), nullable=True),
        sa.Column("beeindigd_op", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["vroegsignaal_id"],
            ["vroegsignaal.id"],
            name=op.f("fk_uitstel_vroegsignaal_id_vroegsignaal"),
        ),
        sa.ForeignKeyConstraint(
            ["ingesteld_door_id"], ["user.id"], name=op.f("fk_uitstel_ingesteld_door_id_user")
        ),
        sa.ForeignKeyConstraint(
            ["beoordeeld_door_id"], ["user.id"], name=op.f("fk_uitstel_beoordeeld_door_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uitstel")),
    )
    with op.batch_alter_table("uitstel", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_uitstel_vroegsignaal_id"), ["vroegsignaal_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_uitstel_onderwerp"), ["onderwerp"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("uitstel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_uitstel_onderwerp"))
        batch_op.drop_index(batch_op.f("ix_uitstel_vroegsignaal_id"))
    op.drop_table("uitstel")
    with op.batch_alter_table("signaal_bron", schema=None) as batch_op:
        batch_op.drop_column("gevoelig")
