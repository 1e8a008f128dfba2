"""The history of a staff member's own contact details (issue 16 item 2: the regisseur edits
their telephone number and e-mail address in Mijn account).

Revision ID: 0013_contact_wijziging
Revises: 0012_vernietiging
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_contact_wijziging"
down_revision = "0012_vernietiging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_wijziging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("veld", sa.String(length=20), nullable=False),
        sa.Column("oud", sa.String(length=200), nullable=True),
        sa.Column("nieuw", sa.String(length=200), nullable=True),
        sa.Column("gewijzigd_door_id", sa.Integer(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["gewijzigd_door_id"],
            ["user.id"],
            name=op.f("fk_contact_wijziging_gewijzigd_door_id_user"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_contact_wijziging_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_wijziging")),
    )
    with op.batch_alter_table("contact_wijziging", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_wijziging_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contact_wijziging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_wijziging_user_id"))
    op.drop_table("contact_wijziging")
