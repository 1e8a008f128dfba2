"""plan.afweging_id: the weighing that established the basis multiproblematiek (issue 13)

Revision ID: 0010_plan_afweging
Revises: 0009_organisatievragen
Create Date: 2026-12-04 21:00:00

A plan links to the afweging whose step 4 established multiproblematiek (the afweging already
linked to its plan by ``afweging.plan_id``). Plans that were made from an afweging before this
column existed are linked here. Plans on the basis multiproblematiek without any afweging keep
their basis — it is never silently re-labelled — and are marked by the NULL link: the regisseur
sees "Weging ontbreekt" until a weighing is recorded (step 4 of an afweging for that person).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_plan_afweging"
down_revision = "0009_organisatievragen"
branch_labels = None
depends_on = None

FK = "fk_plan_afweging_id_afweging"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # No table rebuild (other tables refer to plan, foreign keys are on): SQLite may add a
        # column with a REFERENCES clause when its default is NULL.
        op.execute(
            f"ALTER TABLE plan ADD COLUMN afweging_id INTEGER CONSTRAINT {FK} "
            "REFERENCES afweging (id)"
        )
    else:
        op.add_column("plan", sa.Column("afweging_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FK, "plan", "afweging", ["afweging_id"], ["id"])
    op.create_index("ix_plan_afweging_id", "plan", ["afweging_id"], unique=False)
    # The plans made by step 4 before: link them to their afweging (the earliest, if several).
    op.execute(
        "UPDATE plan SET afweging_id = (SELECT min(a.id) FROM afweging a "
        "WHERE a.plan_id = plan.id AND a.status = 'multiproblematiek') "
        "WHERE basis = 'multiproblematiek'"
    )


def downgrade() -> None:
    op.drop_index("ix_plan_afweging_id", table_name="plan")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite drops a column with a foreign key only by rebuilding the table.
        with op.batch_alter_table("plan", recreate="always") as batch_op:
            batch_op.drop_column("afweging_id")
    else:
        op.drop_constraint(FK, "plan", type_="foreignkey")
        op.drop_column("plan", "afweging_id")
