"""logboek in monthly partitions on PostgreSQL (SQLite keeps its single table)

Revision ID: 0029_logboek_partities
Revises: 0028_afscherming_opheffen
Create Date: 2026-12-05 03:10:00

``audit_log_line`` becomes ``PARTITION BY RANGE (occurred_at)``: one partition per calendar month
(UTC) from the oldest line's month to three months ahead, and a DEFAULT partition; the lines are
copied over, the primary key becomes (seq, occurred_at) and the append-only triggers are put back
(each partition its own TRUNCATE trigger). The DDL lives in audit/partitions.py (also used by
`flask audit partities`).
"""

from __future__ import annotations

import datetime as dt

from alembic import op

from audit.partitions import partition_table, unpartition_table

revision = "0029_logboek_partities"
down_revision = "0028_afscherming_opheffen"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    partition_table(bind, dt.datetime.now(dt.UTC))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    unpartition_table(bind)
