"""logvragen: the citizen's questions about a logboek line, follow-up of reviews (status,
assignee, due date), and refused look-ups (probing indicator)

Revision ID: 0020_logvragen
Revises: 0019_gezinslinks
Create Date: 2026-12-04 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020_logvragen"
down_revision = "0019_gezinslinks"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("logboek_beoordeling") as batch:
        batch.add_column(
            sa.Column("status", sa.String(20), nullable=False, server_default="afgerond")
        )
        batch.add_column(sa.Column("toegewezen_aan_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("termijn", sa.Date(), nullable=True))
        batch.create_foreign_key(
            "fk_logboek_beoordeling_toegewezen_aan_id_user", "user", ["toegewezen_aan_id"], ["id"]
        )
    op.execute(
        "UPDATE logboek_beoordeling SET status = 'in_onderzoek' WHERE conclusie = 'nader_onderzoek'"
    )
    op.create_table(
        "logboek_vraag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("seq", SEQ, nullable=False),
        sa.Column("onderwerp", sa.String(64), nullable=False),
        sa.Column("gesteld_door_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=False),
        sa.Column("vraag", sa.Text(), nullable=False),
        sa.Column("gesteld_op", TS, nullable=False),
        sa.Column("termijn", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("toegewezen_aan_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("antwoord", sa.Text(), nullable=True),
        sa.Column("beantwoord_op", TS, nullable=True),
        sa.Column("beantwoord_door_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column(
            "beoordeling_id",
            sa.Integer(),
            sa.ForeignKey("logboek_beoordeling.id"),
            nullable=True,
        ),
    )
    op.create_index("ix_logboek_vraag_seq", "logboek_vraag", ["seq"])
    op.create_index("ix_logboek_vraag_onderwerp", "logboek_vraag", ["onderwerp"])
    op.create_table(
        "geweigerde_opvraging",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("user.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("op", TS, nullable=False),
        sa.Column("route", sa.String(100), nullable=False),
        sa.Column("doel_hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_geweigerde_opvraging_op", "geweigerde_opvraging", ["op"])
    op.create_index("ix_geweigerde_opvraging_user_op", "geweigerde_opvraging", ["user_id", "op"])


def downgrade() -> None:
    op.drop_table("geweigerde_opvraging")
    op.drop_table("logboek_vraag")
    with op.batch_alter_table("logboek_beoordeling") as batch:
        batch.drop_constraint("fk_logboek_beoordeling_toegewezen_aan_id_user", type_="foreignkey")
        batch.drop_column("termijn")
        batch.drop_column("toegewezen_aan_id")
        batch.drop_column("status")
