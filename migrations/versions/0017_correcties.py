"""correcties: person data changes with history, decisions on correction proposals, and
terugmeldingen to the basisregistratie

Revision ID: 0017_correcties
Revises: 0016_werkvoorraad
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017_correcties"
down_revision = "0016_werkvoorraad"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "persoonswijziging",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("veld", sa.String(40), nullable=False),
        sa.Column("oud", sa.Text(), nullable=True),
        sa.Column("nieuw", sa.Text(), nullable=True),
        sa.Column("reden", sa.Text(), nullable=False),
        sa.Column("voorstel_id", sa.Integer(), sa.ForeignKey("plan_comment.id"), nullable=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_persoonswijziging_plan_id", "persoonswijziging", ["plan_id"])
    op.create_index("ix_persoonswijziging_person_id", "persoonswijziging", ["person_id"])
    op.create_table(
        "correctiebesluit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("voorstel_id", sa.Integer(), sa.ForeignKey("plan_comment.id"), nullable=False),
        sa.Column("besluit", sa.String(20), nullable=False),
        sa.Column("reden", sa.Text(), nullable=True),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("user.id"), nullable=True),
        sa.Column("actor_name", sa.String(200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("voorstel_id", name=op.f("uq_correctiebesluit_voorstel_id")),
    )
    op.create_index("ix_correctiebesluit_plan_id", "correctiebesluit", ["plan_id"])
    op.create_table(
        "terugmelding",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plan.id"), nullable=False),
        sa.Column("person_id", sa.Integer(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("besluit_id", sa.Integer(), sa.ForeignKey("correctiebesluit.id"), nullable=True),
        sa.Column("registratie", sa.String(40), nullable=False),
        sa.Column("ontvanger", sa.String(200), nullable=False),
        sa.Column("adapter", sa.String(40), nullable=False),
        sa.Column("velden", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("kenmerk", sa.String(100), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_terugmelding_plan_id", "terugmelding", ["plan_id"])
    op.create_index("ix_terugmelding_person_id", "terugmelding", ["person_id"])


def downgrade() -> None:
    op.drop_table("terugmelding")
    op.drop_table("correctiebesluit")
    op.drop_table("persoonswijziging")
