"""logboek: the per-person index carries the columns the citizen's organisation filter reads

``ix_audit_log_line_subject_seq`` (``data_subject_id, seq``) gets ``INCLUDE (actor_organisation,
disclose_after, object_type, object_id)`` on PostgreSQL: the organisations in a citizen's own
lines (the filter on Mijn Eenplan's logboek page, app/portaal/logboek.py) are then read from the
index alone (an index-only scan) instead of one heap page per line — in the city (bench/stad.py)
a person with 3,900 lines took 6,108 buffers and 8–51 ms, now 190 buffers and 3 ms. The newest
lines of a person still use the same key. SQLite keeps the plain index (no INCLUDE).

The index is built again on every partition, which blocks appends while it runs (about 40 s for
20 million lines on a 2-core machine): run it in the deploy's maintenance window.

Revision ID: 0031_logboek_subject_covering
Revises: 0030_indicator_dag_per_soort
Create Date: 2026-12-05 12:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0031_logboek_subject_covering"
down_revision = "0030_indicator_dag_per_soort"
branch_labels = None
depends_on = None

NAME = "ix_audit_log_line_subject_seq"
INCLUDE = "actor_organisation, disclose_after, object_type, object_id"


def _rebuild(include: str | None) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER INDEX {NAME} RENAME TO {NAME}_oud")
    suffix = f" INCLUDE ({include})" if include else ""
    op.execute(f"CREATE INDEX {NAME} ON audit_log_line (data_subject_id, seq){suffix}")
    op.execute(f"DROP INDEX {NAME}_oud")


def upgrade() -> None:
    _rebuild(INCLUDE)


def downgrade() -> None:
    _rebuild(None)
