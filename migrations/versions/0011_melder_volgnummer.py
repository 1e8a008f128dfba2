"""signalen: a melder's own number for each signal they reported (issue 13 item 9)

Revision ID: 0011_melder_volgnummer
Revises: 0010_plan_afweging
Create Date: 2026-12-04 21:00:00

``vroegsignaal.melder_volgnummer``: "Melding 3" is the melder's third signal, not the global id
(which would show every melder how many signals the municipality receives). Existing signals of
a melder are numbered in the order they were stored (by id); unique per melder.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_melder_volgnummer"
down_revision = "0010_plan_afweging"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vroegsignaal") as batch:
        batch.add_column(sa.Column("melder_volgnummer", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE vroegsignaal SET melder_volgnummer = ("
        " SELECT COUNT(*) FROM vroegsignaal AS eerder"
        " WHERE eerder.melder_id = vroegsignaal.melder_id AND eerder.id <= vroegsignaal.id"
        ") WHERE melder_id IS NOT NULL"
    )
    with op.batch_alter_table("vroegsignaal") as batch:
        batch.create_unique_constraint(
            "uq_vroegsignaal_melder_volgnummer", ["melder_id", "melder_volgnummer"]
        )


def downgrade() -> None:
    with op.batch_alter_table("vroegsignaal") as batch:
        batch.drop_constraint("uq_vroegsignaal_melder_volgnummer", type_="unique")
        batch.drop_column("melder_volgnummer")
