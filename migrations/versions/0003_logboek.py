"""logboek: chained checkpoints, and the privacy officer's reviews

Revision ID: 0003_logboek
Revises: 0004_autorisaties
Create Date: 2026-11-23 03:14:03.153422

* ``audit_checkpoint.prev_mac`` and ``audit_chain_head.checkpoint_mac``: checkpoints form a
  chain whose newest link the signed head names, so deleting a checkpoint shows. Plain
  ``ADD COLUMN`` (also on SQLite): recreating these tables would drop their append-only triggers.
* ``audit_chain_head.register_generation``: changes with every change to the register, so
  appends can cache the current register versions.
* ``logboek_beoordeling`` (+ ``_regel``): reviews of logboek lines (application data).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_logboek"
down_revision = "0004_autorisaties"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "audit_chain_head", sa.Column("checkpoint_mac", sa.String(length=64), nullable=True)
    )
    op.add_column("audit_checkpoint", sa.Column("prev_mac", sa.String(length=64), nullable=True))
    op.add_column(
        "audit_chain_head",
        sa.Column(
            "register_generation",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            nullable=True,
        ),
    )

    op.create_table(
        "logboek_beoordeling",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=10), nullable=False),
        sa.Column("aandachtspunt", sa.String(length=40), nullable=True),
        sa.Column("conclusie", sa.String(length=30), nullable=False),
        sa.Column("toelichting", sa.Text(), nullable=False),
        sa.Column("beoordeeld_door_id", sa.Integer(), nullable=False),
        sa.Column("beoordeeld_door_naam", sa.String(length=200), nullable=False),
        sa.Column("beoordeeld_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["beoordeeld_door_id"],
            ["user.id"],
            name=op.f("fk_logboek_beoordeling_beoordeeld_door_id_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logboek_beoordeling")),
    )
    op.create_table(
        "logboek_beoordeling_regel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("beoordeling_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.ForeignKeyConstraint(
            ["beoordeling_id"],
            ["logboek_beoordeling.id"],
            name=op.f("fk_logboek_beoordeling_regel_beoordeling_id_logboek_beoordeling"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_logboek_beoordeling_regel")),
    )
    op.create_index(
        op.f("ix_logboek_beoordeling_regel_beoordeling_id"),
        "logboek_beoordeling_regel",
        ["beoordeling_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_logboek_beoordeling_regel_seq"), "logboek_beoordeling_regel", ["seq"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_logboek_beoordeling_regel_seq"), table_name="logboek_beoordeling_regel")
    op.drop_index(
        op.f("ix_logboek_beoordeling_regel_beoordeling_id"), table_name="logboek_beoordeling_regel"
    )
    op.drop_table("logboek_beoordeling_regel")
    op.drop_table("logboek_beoordeling")
    op.drop_column("audit_chain_head", "register_generation")
    op.drop_column("audit_checkpoint", "prev_mac")
    op.drop_column("audit_chain_head", "checkpoint_mac")
