"""privacy_indicator_dag.instellingen: the settings a day's indicators were computed with

``flask privacy indicatoren`` computed the day still going on whole on every run (every few
minutes): in the city's drive up to 18 s a run. It now adds only the lines written since its
last run, when that run used the same settings (office hours, "veel personen" and its window);
the row keeps which. Rows from before have none and are computed whole once more.

Revision ID: 0032_indicator_dag_instellingen
Revises: 0031_logboek_subject_covering
Create Date: 2026-12-06 00:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032_indicator_dag_instellingen"
down_revision = "0031_logboek_subject_covering"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("privacy_indicator_dag") as batch:
        batch.add_column(sa.Column("instellingen", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("privacy_indicator_dag") as batch:
        batch.drop_column("instellingen")
