"""Tables of the logboek. Kept apart from the application's models (own MetaData) so that
``audit`` depends on nothing in ``app``; the application's Alembic environment includes them."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Register of processing activities (verwerkingsregister, AVG art. 30). An activity has a stable
# key; every change to its description is a new row in the version table.
processing_activity = Table(
    "audit_processing_activity",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(100), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

processing_activity_version = Table(
    "audit_processing_activity_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("activity_id", Integer, ForeignKey("audit_processing_activity.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("purpose", Text, nullable=False),  # doel
    Column("legal_basis", Text, nullable=False),  # grondslag, in words
    Column("legal_reference", String(300), nullable=True),  # wet/artikel, optional
    Column("data_categories", Text, nullable=False),  # JSON list of category codes
    Column("recipient_categories", Text, nullable=False),  # JSON list of strings
    Column("retention", String(200), nullable=False),  # bewaartermijn, in words
    # The same term, structured (JSON: {"jaren", "maanden", "na"}): what `flask retention run`
    # enforces. The logboek stores it; app/vernietiging/termijn.py reads it.
    Column("retention_term", Text, nullable=True),
    Column("valid_from", DateTime(timezone=True), nullable=False),
    Column("changed_by", String(200), nullable=False),
    UniqueConstraint("activity_id", "version", name="uq_audit_pa_version_activity_version"),
)

# One line per data subject per processing operation. Append-only: a trigger rejects UPDATE and
# DELETE; every line carries a keyed hash over its content and the previous line's hash.
log_line = Table(
    "audit_log_line",
    metadata,
    Column(
        "seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    ),
    Column("occurred_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(20), nullable=False),  # inzage | uitwisseling
    Column(
        "action", String(20), nullable=False
    ),  # view, create, update, delete, export, send, receive
    Column("name", String(120), nullable=False),  # the operation, e.g. "plan.bekijken"
    Column("status_code", String(10), nullable=False),
    Column("trace_id", String(32), nullable=False),
    Column("span_id", String(16), nullable=False),
    Column("parent_span_id", String(16), nullable=True),
    Column("resource_name", String(60), nullable=False),
    Column("resource_version", String(40), nullable=False),
    Column("actor_type", String(20), nullable=False),  # medewerker | burger | systeem
    Column("actor_id", String(64), nullable=True),
    Column("actor_name", String(200), nullable=True),
    Column("actor_role", String(60), nullable=True),
    Column("actor_organisation", String(200), nullable=True),
    Column(
        "actor_mandate", String(300), nullable=True
    ),  # "namens <gemeente>" where acting under mandate
    Column("data_subject_id", String(64), nullable=True),  # keyed pseudonym, never the BSN itself
    Column("data_subject_id_type", String(40), nullable=True),
    Column("object_type", String(60), nullable=True),
    Column("object_id", String(64), nullable=True),
    Column("data_categories", String(500), nullable=False),  # comma separated codes, sorted
    Column("processing_activity_id", String(100), nullable=False),
    Column(
        "processing_activity_version_id",
        Integer,
        ForeignKey("audit_processing_activity_version.id"),
        nullable=False,
    ),
    Column("reason", Text, nullable=True),
    Column("emergency", Boolean, nullable=False),
    Column("disclose_after", Date, nullable=True),
    Column("deferral_reason", Text, nullable=True),
    Column("sender", String(200), nullable=True),
    Column("recipient", String(200), nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("line_hash", String(64), nullable=False),
)
# A person's lines, newest first; on PostgreSQL it also carries what the citizen's organisation
# filter reads, so that is an index-only scan (migration 0031).
Index(
    "ix_audit_log_line_subject_seq",
    log_line.c.data_subject_id,
    log_line.c.seq,
    postgresql_include=["actor_organisation", "disclose_after", "object_type", "object_id"],
)
Index("ix_audit_log_line_trace", log_line.c.trace_id)
Index("ix_audit_log_line_activity_seq", log_line.c.processing_activity_id, log_line.c.seq)
Index("ix_audit_log_line_actor_seq", log_line.c.actor_id, log_line.c.seq)
Index("ix_audit_log_line_occurred_at", log_line.c.occurred_at)

# The signed head of the chain: updated on every append (the only updatable audit table).
chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("line_hash", String(64), nullable=False),
    Column("mac", String(64), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=True),
    # The MAC of the newest checkpoint: deleting the last checkpoint shows.
    Column("checkpoint_mac", String(64), nullable=True),
    # A new random value with every change to the register, so that appends may cache the
    # current versions (random, not a counter: a rolled-back change's value never comes back).
    Column("register_generation", BigInteger().with_variant(Integer, "sqlite"), nullable=True),
)

# Periodic signed checkpoints (append-only), so that rewriting or truncating history shows.
checkpoint = Table(
    "audit_checkpoint",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("line_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("mac", String(64), nullable=False),
    # The MAC of the checkpoint before (NULL for the first): deleting one breaks the chain.
    Column("prev_mac", String(64), nullable=True),
)

# The retention floor: lines up to ``floor_seq`` were destroyed at the end of their term, after
# the signed checkpoint at that line (``checkpoint_mac``). Each row is signed with the chain key
# (audit/retention.py); verify starts from the newest genuine one. Without the key nobody can
# make one, so lines deleted without it still show as missing.
retention = Table(
    "audit_retention",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("floor_seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False),
    Column("line_hash", String(64), nullable=False),
    Column("checkpoint_mac", String(64), nullable=False),
    Column("destroyed_at", DateTime(timezone=True), nullable=False),
    Column("mac", String(64), nullable=False),
)

GENESIS_HASH = "0" * 64  # also in audit.chain; kept here for the first migration

# DDL that makes the log append-only. Used by the migration that creates the tables.
APPEND_ONLY_TABLES = ("audit_log_line", "audit_checkpoint")

POSTGRES_PROTECTION = [
    """
    CREATE OR REPLACE FUNCTION audit_reject_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'het logboek is alleen aan te vullen (% op % geweigerd)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    *[
        stmt
        for table in APPEND_ONLY_TABLES
        for stmt in (
            f"CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_reject_change()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change()",
        )
    ],
]

SQLITE_PROTECTION = [
    stmt
    for table in APPEND_ONLY_TABLES
    for stmt in (
        f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'het logboek is alleen aan te vullen'); END",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'het logboek is alleen aan te vullen'); END",
    )
]


# Migration 0010: a line may be deleted only at or below the retention floor (audit/retention.py
# writes the signed floor first, in the same transaction); updates stay refused.
_FLOOR = "COALESCE((SELECT max(floor_seq) FROM audit_retention), 0)"
POSTGRES_RETENTION = [
    f"""
    CREATE OR REPLACE FUNCTION audit_log_line_delete_guard() RETURNS trigger AS $$
    BEGIN
        IF OLD.seq <= {_FLOOR} THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'het logboek is alleen aan te vullen (% op % geweigerd)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS audit_log_line_no_update_delete ON audit_log_line",
    "CREATE TRIGGER audit_log_line_no_update_delete BEFORE UPDATE ON audit_log_line "
    "FOR EACH ROW EXECUTE FUNCTION audit_reject_change()",
    "CREATE TRIGGER audit_log_line_no_delete BEFORE DELETE ON audit_log_line "
    "FOR EACH ROW EXECUTE FUNCTION audit_log_line_delete_guard()",
]
SQLITE_RETENTION = [
    "DROP TRIGGER IF EXISTS audit_log_line_no_delete",
    f"CREATE TRIGGER audit_log_line_no_delete BEFORE DELETE ON audit_log_line "
    f"WHEN OLD.seq > {_FLOOR} "
    f"BEGIN SELECT RAISE(ABORT, 'het logboek is alleen aan te vullen'); END",
]


def retention_ddl(dialect_name: str) -> list[str]:
    if dialect_name == "postgresql":
        return list(POSTGRES_RETENTION)
    if dialect_name == "sqlite":
        return list(SQLITE_RETENTION)
    raise NotImplementedError(f"no retention floor for {dialect_name}")


def protection_ddl(dialect_name: str) -> list[str]:
    if dialect_name == "postgresql":
        return list(POSTGRES_PROTECTION)
    if dialect_name == "sqlite":
        return list(SQLITE_PROTECTION)
    raise NotImplementedError(f"no append-only protection for {dialect_name}")
