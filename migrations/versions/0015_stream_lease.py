"""Site-wide limits on live streams: one lease per open stream, shared by worker processes.

Revision ID: 0015_stream_lease
Revises: 0014_uitstel
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_stream_lease"
down_revision = "0014_uitstel"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "portaal_stream_lease",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("sessie", sa.String(length=64), nullable=False),
        sa.Column("pseudoniem", sa.String(length=128), nullable=False),
        sa.Column("proces", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portaal_stream_lease")),
    )
    for column in ("sessie", "pseudoniem", "proces", "expires_at"):
        op.create_index(
            f"ix_portaal_stream_lease_{column}", "portaal_stream_lease", [column], unique=False
        )


def downgrade() -> None:
    for column in ("sessie", "pseudoniem", "proces", "expires_at"):
        op.drop_index(f"ix_portaal_stream_lease_{column}", table_name="portaal_stream_lease")
    op.drop_table("portaal_stream_lease")
