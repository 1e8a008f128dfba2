"""Alembic environment: the engine comes from the application (see app/migrate.py)."""

from __future__ import annotations

from alembic import context

from app.db import UTCDateTime
from app.migrate import target_metadata

config = context.config


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Migrations stand on their own: render app types as plain SQLAlchemy types."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata(),
            compare_type=True,
            render_item=render_item,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
