"""Alembic environment: the engine comes from the application (see app/migrate.py)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from app.db import UTCDateTime
from app.migrate import target_metadata
from audit.partitions import include_name

config = context.config


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Migrations stand on their own: render app types as plain SQLAlchemy types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _pragma(connection: Connection, pragma: str) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA {pragma}")


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds a table (copy, drop, rename); with foreign keys on, SQLite
            # refuses to drop a table other rows point at. Alembic's advice: off while
            # migrating (the pragma only works outside a transaction), checked after.
            # The pragma must run outside a transaction, and the engine begins every
            # transaction itself (BEGIN IMMEDIATE): set it on the driver's connection.
            _pragma(connection, "foreign_keys=OFF")
        context.configure(
            connection=connection,
            target_metadata=target_metadata(),
            compare_type=True,
            render_item=render_item,
            include_name=include_name,  # the logboek's monthly partitions (audit/partitions.py)
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.commit()
            _pragma(connection, "foreign_keys=ON")
            if broken:
                raise RuntimeError(f"migration left {len(broken)} broken foreign keys")


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
