"""Retention: the register's structured bewaartermijn, and the tombstones of what was destroyed.

Revision ID: 0012_vernietiging
Revises: 0011_melder_volgnummer
Create Date: 2026-12-04 21:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

from audit.schema import retention_ddl

revision = "0012_vernietiging"
down_revision = "0011_melder_volgnummer"
branch_labels = None
depends_on = None

# The terms of the seed entries (app/verwerkingsregister.json), for registers made before this
# migration: the seed only adds keys that are not there yet.
TERMS = {
    "regie-multiproblematiek": {
        "jaren": 5,
        "maanden": 0,
        "na": "plan-afgesloten",
        "jeugdhulp_jaren": 20,
    },
    "vroegsignalering-schulden": {"jaren": 0, "maanden": 6, "na": "signaal-ontvangen"},
    "signalen-afweging": {"jaren": 0, "maanden": 6, "na": "signaal-ontvangen"},
    "vroegsignalering-rijksschuldeisers": {"jaren": 0, "maanden": 6, "na": "signaal-ontvangen"},
    "inkijk-basisgegevens": {"jaren": 5, "maanden": 0, "na": "plan-afgesloten"},
    "berichten": {"jaren": 5, "maanden": 0, "na": "plan-afgesloten"},
    "zeggenschap-inwoner": {"jaren": 5, "maanden": 0, "na": "plan-afgesloten"},
    "inzage-betrokkene": {"jaren": 1, "maanden": 0, "na": "regel-geschreven"},
    "toezicht-logboek": {"jaren": 7, "maanden": 0, "na": "regel-geschreven"},
}


def upgrade() -> None:
    # Plain ADD COLUMN (also on SQLite), as in 0003: no table is recreated.
    op.add_column(
        "audit_processing_activity_version", sa.Column("retention_term", sa.Text(), nullable=True)
    )
    version = sa.table(
        "audit_processing_activity_version",
        sa.column("activity_id", sa.Integer),
        sa.column("retention_term", sa.Text),
    )
    activity = sa.table(
        "audit_processing_activity", sa.column("id", sa.Integer), sa.column("key", sa.String)
    )
    for key, term in TERMS.items():
        op.execute(
            version.update()
            .where(
                version.c.activity_id.in_(sa.select(activity.c.id).where(activity.c.key == key)),
                version.c.retention_term.is_(None),
            )
            .values(retention_term=json.dumps(term, sort_keys=True))
        )

    # Destroying old log lines (audit/retention.py): the signed floor, and a delete trigger that
    # lets deletes through only at or below it.
    op.create_table(
        "audit_retention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "floor_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("line_hash", sa.String(length=64), nullable=False),
        sa.Column("checkpoint_mac", sa.String(length=64), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("mac", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_retention")),
    )
    for statement in retention_ddl(op.get_bind().dialect.name):
        op.execute(statement)

    op.create_table(
        "vernietiging",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("verwerking", sa.String(length=60), nullable=False),
        sa.Column("bewaartermijn", sa.String(length=200), nullable=False),
        sa.Column("gebeurtenis_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("vernietigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("aantallen", sa.JSON(), nullable=False),
        sa.Column("trace_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vernietiging")),
    )
    with op.batch_alter_table("vernietiging", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_vernietiging_object_id"), ["object_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_vernietiging_vernietigd_op"), ["vernietigd_op"], unique=False
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_line_no_delete ON audit_log_line")
        op.execute("DROP TRIGGER IF EXISTS audit_log_line_no_update_delete ON audit_log_line")
        op.execute(
            "CREATE TRIGGER audit_log_line_no_update_delete BEFORE UPDATE OR DELETE ON "
            "audit_log_line FOR EACH ROW EXECUTE FUNCTION audit_reject_change()"
        )
        op.execute("DROP FUNCTION IF EXISTS audit_log_line_delete_guard()")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_line_no_delete")
        op.execute(
            "CREATE TRIGGER audit_log_line_no_delete BEFORE DELETE ON audit_log_line "
            "BEGIN SELECT RAISE(ABORT, 'het logboek is alleen aan te vullen'); END"
        )
    op.drop_table("audit_retention")
    with op.batch_alter_table("vernietiging", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vernietiging_vernietigd_op"))
        batch_op.drop_index(batch_op.f("ix_vernietiging_object_id"))
    op.drop_table("vernietiging")
    # A plain DROP COLUMN (SQLite >= 3.35 has it): batch mode would recreate the table, which
    # other tables reference, and fail on SQLite's foreign keys once there is data.
    op.drop_column("audit_processing_activity_version", "retention_term")
