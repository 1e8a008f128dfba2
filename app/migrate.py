"""Alembic, driven from the application (no alembic.ini: the app's DATABASE_URL is the truth)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import Engine

from app.db import Base

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def target_metadata() -> list:
    import audit

    # Import every models module so the metadata is complete.
    from app import models  # noqa: F401

    return [Base.metadata, audit.metadata]


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    from app.db import get_database
    from app.register import seed_register
    from app.signalen.inrichting import seed_inrichting

    with app.app_context():
        engine = get_database().engine
        command.upgrade(alembic_config(engine), revision)
        with engine.begin() as conn:
            seed_register(conn)
            seed_inrichting(conn)


def downgrade(app: Flask, revision: str) -> None:
    from app.db import get_database

    with app.app_context():
        command.downgrade(alembic_config(get_database().engine), revision)


def revision(app: Flask, message: str, autogenerate: bool = True) -> None:
    from app.db import get_database

    with app.app_context():
        command.revision(
            alembic_config(get_database().engine), message=message, autogenerate=autogenerate
        )


def drift(engine: Engine) -> list:
    """Differences between the migrated database and the models (empty when in sync)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        return list(compare_metadata(ctx, target_metadata()))  # type: ignore[arg-type]
