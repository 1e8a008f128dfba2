"""Questions from the signal team to organisations (issue 13 item 3): the dát-informatie
question of step 2 becomes a real question the organisation answers, also at step 3
(buitenkant), with a due date, the answer's fields, who answered, or a reason to decline.

Revision ID: 0009_organisatievragen
Revises: 0006_signalen
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_organisatievragen"
down_revision = "0006_signalen"
branch_labels = None
depends_on = None

NEW_COLUMNS = (
    "person_id",
    "stap",
    "uiterlijk_op",
    "hulp",
    "hulp_sinds",
    "indicatie",
    "weigerreden",
    "beantwoord_door_id",
    "beantwoord_door_naam",
)


def upgrade() -> None:
    with op.batch_alter_table("dat_informatie_vraag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("stap", sa.Integer(), nullable=False, server_default=sa.text("2"))
        )
        batch_op.add_column(sa.Column("uiterlijk_op", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("hulp", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("hulp_sinds", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("indicatie", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("weigerreden", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("beantwoord_door_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("beantwoord_door_naam", sa.String(length=200), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_dat_informatie_vraag_person_id_person"), "person", ["person_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_dat_informatie_vraag_beantwoord_door_id_user"),
            "user",
            ["beantwoord_door_id"],
            ["id"],
        )
        batch_op.create_index(
            batch_op.f("ix_dat_informatie_vraag_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dat_informatie_vraag_organisation_id"), ["organisation_id"], unique=False
        )
    # Existing questions: about the case's person; no due date (they were never sent).
    op.execute(
        "UPDATE dat_informatie_vraag SET person_id = "
        "(SELECT afweging.person_id FROM afweging WHERE afweging.id = dat_informatie_vraag.afweging_id)"
    )
    with op.batch_alter_table("dat_informatie_vraag", schema=None) as batch_op:
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("dat_informatie_vraag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dat_informatie_vraag_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_dat_informatie_vraag_person_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_dat_informatie_vraag_beantwoord_door_id_user"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_dat_informatie_vraag_person_id_person"), type_="foreignkey"
        )
        for column in NEW_COLUMNS:
            batch_op.drop_column(column)
