"""samen (issue 16): a plan comment's visibility (#9; existing comments keep their audience,
the regisseur and the author's organisation); the author's organisation refuses to release an
item under beroepsgeheim with a reason (#6); the citizen's opt-in e-mail notices (#13); what a
terugmelding reported, to send it again; the old regisseur's hand-over notice (#3)

Revision ID: 0025_samenwerking
Revises: 0024_werkvoorraad_groep
Create Date: 2026-12-05 00:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025_samenwerking"
down_revision = "0024_werkvoorraad_groep"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_comment") as batch:
        batch.add_column(
            sa.Column(
                "zichtbaarheid", sa.String(length=20), server_default="regisseurs", nullable=False
            )
        )
    with op.batch_alter_table("beroepsgeheim_vrijgave") as batch:
        batch.add_column(
            sa.Column("besluit", sa.String(length=20), server_default="vrijgegeven", nullable=False)
        )
        batch.add_column(sa.Column("reden", sa.Text(), nullable=True))
    op.create_table(
        "meldingvoorkeur",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("inzage", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("signaal", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("bericht", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("gewijzigd_op", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_meldingvoorkeur_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_meldingvoorkeur_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meldingvoorkeur")),
        sa.UniqueConstraint("user_id", name=op.f("uq_meldingvoorkeur_user_id")),
    )
    op.create_index(
        op.f("ix_meldingvoorkeur_person_id"), "meldingvoorkeur", ["person_id"], unique=False
    )
    op.create_table(
        "meldingstand",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("soort", sa.String(length=20), nullable=False),
        sa.Column("gezien", sa.Text(), nullable=False),
        sa.Column("sinds", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verzonden_op", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_meldingstand_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meldingstand")),
        sa.UniqueConstraint("user_id", "soort", name="uq_meldingstand_user_soort"),
    )
    op.create_index(op.f("ix_meldingstand_user_id"), "meldingstand", ["user_id"], unique=False)
    with op.batch_alter_table("terugmelding") as batch:
        batch.add_column(sa.Column("inhoud", sa.Text(), nullable=True))
        batch.add_column(sa.Column("pogingen", sa.Integer(), server_default="1", nullable=False))
        batch.add_column(sa.Column("laatste_poging_op", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "overdrachtmelding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("nieuwe_regisseur", sa.String(length=200), nullable=False),
        sa.Column("door", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_overdrachtmelding_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_overdrachtmelding_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_overdrachtmelding_user_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_overdrachtmelding")),
    )
    op.create_index(
        op.f("ix_overdrachtmelding_plan_id"), "overdrachtmelding", ["plan_id"], unique=False
    )
    op.create_index(
        op.f("ix_overdrachtmelding_user_id"), "overdrachtmelding", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_overdrachtmelding_user_id"), table_name="overdrachtmelding")
    op.drop_index(op.f("ix_overdrachtmelding_plan_id"), table_name="overdrachtmelding")
    op.drop_table("overdrachtmelding")
    with op.batch_alter_table("terugmelding") as batch:
        batch.drop_column("laatste_poging_op")
        batch.drop_column("pogingen")
        batch.drop_column("inhoud")
    op.drop_index(op.f("ix_meldingstand_user_id"), table_name="meldingstand")
    op.drop_table("meldingstand")
    op.drop_index(op.f("ix_meldingvoorkeur_person_id"), table_name="meldingvoorkeur")
    op.drop_table("meldingvoorkeur")
    with op.batch_alter_table("beroepsgeheim_vrijgave") as batch:
        batch.drop_column("reden")
        batch.drop_column("besluit")
    with op.batch_alter_table("plan_comment") as batch:
        batch.drop_column("zichtbaarheid")
