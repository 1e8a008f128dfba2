"""privacy_aandachtspunt.aantal, eerste_seq, laatste_seq: a stored case's size and range

The privacy overview listed a stored case (its number of lines, its range for the reviews, a
link with its line numbers when it is small enough to review at once) by reading the whole
text of its line numbers. A busy day's burst holds tens of thousands (83–217 KB a row in the
city bench), so a page of a Sunday fetched ~10 MB. The three numbers are now stored with the
case, and the text is read only when it is needed. Existing cases are counted here.

Revision ID: 0033_aandachtspunt_aantal
Revises: 0032_indicator_dag_instellingen
Create Date: 2026-12-06 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033_aandachtspunt_aantal"
down_revision = "0032_indicator_dag_instellingen"
branch_labels = None
depends_on = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
BATCH = 100  # rows a batch: a busy day's texts are up to hundreds of KB each


def _drie(tekst: str) -> dict[str, int]:
    """Count, first and last of a stored text (ascending, comma separated; never empty as
    written, 0 for an empty one)."""
    if not tekst:
        return {"aantal": 0, "eerste": 0, "laatste": 0}
    return {
        "aantal": tekst.count(",") + 1,
        "eerste": int(tekst.partition(",")[0]),
        "laatste": int(tekst.rpartition(",")[2]),
    }


def upgrade() -> None:
    with op.batch_alter_table("privacy_aandachtspunt") as batch:
        batch.add_column(sa.Column("aantal", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("eerste_seq", SEQ, nullable=True))
        batch.add_column(sa.Column("laatste_seq", SEQ, nullable=True))
    t = sa.table(
        "privacy_aandachtspunt",
        sa.column("id", sa.Integer),
        sa.column("regels", sa.Text),
        sa.column("aantal", sa.Integer),
        sa.column("eerste_seq", SEQ),
        sa.column("laatste_seq", SEQ),
    )
    conn = op.get_bind()
    bijwerken = (
        t.update()
        .where(t.c.id == sa.bindparam("b_id"))
        .values(
            aantal=sa.bindparam("aantal"),
            eerste_seq=sa.bindparam("eerste"),
            laatste_seq=sa.bindparam("laatste"),
        )
    )
    na = 0
    while True:  # a batch at a time (a city year holds ~137,000 cases, some of 200 KB)
        rows = conn.execute(
            sa.select(t.c.id, t.c.regels).where(t.c.id > na).order_by(t.c.id).limit(BATCH)
        ).all()
        if not rows:
            break
        conn.execute(bijwerken, [{"b_id": i, **_drie(tekst)} for i, tekst in rows])
        na = rows[-1][0]
    with op.batch_alter_table("privacy_aandachtspunt") as batch:
        batch.alter_column("aantal", existing_type=sa.Integer(), nullable=False)
        batch.alter_column("eerste_seq", existing_type=SEQ, nullable=False)
        batch.alter_column("laatste_seq", existing_type=SEQ, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("privacy_aandachtspunt") as batch:
        batch.drop_column("laatste_seq")
        batch.drop_column("eerste_seq")
        batch.drop_column("aantal")
