"""Alembic, driven from the application (no alembic.ini: the app's DATABASE_URL is the truth)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import Engine

import audit
from app import models  # noqa: F401  (every models module, so the metadata is complete)
from app.db import Base, get_database
from app.register import seed_register
from app.signalen.inrichting import seed_inrichting
from audit.partitions import include_name

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def target_metadata() -> list:
    return [Base.metadata, audit.metadata]


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(app: Flask, revision: str = "head") -> None:
    with app.app_context():
        engine = get_database().engine
        command.upgrade(alembic_config(engine), revision)
        if revision != "head":
            return  # the seeds are written in the models' shape: only at the head
        with engine.begin() as conn:
            seed_register(conn)
            seed_inrichting(conn)


def downgrade(app: Flask, revision: str) -> None:
    with app.app_context():
        command.downgrade(alembic_config(get_database().engine), revision)


def revision(app: Flask, message: str, autogenerate: bool = True) -> None:
    with app.app_context():
        command.revision(
            alembic_config(get_database().engine), message=message, autogenerate=autogenerate
        )


def drift(engine: Engine) -> list:
    """Differences between the migrated database and the models (empty when in sync)."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "compare_server_default": False,
                "include_name": include_name,
            },
        )
        return list(compare_metadata(ctx, target_metadata()))  # type: ignore[arg-type]


# --- ``flask db …`` ----------------------------------------------------------------------------

db_cli = AppGroup("db", help="Database migrations (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database to REVISION (default: the newest) and seed the register."""
    upgrade(current_app._get_current_object(), revision)  # type: ignore[attr-defined]
    click.echo("Database is bijgewerkt.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    downgrade(current_app._get_current_object(), revision)  # type: ignore[attr-defined]


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Do not autogenerate.")
def db_revision(message: str, empty: bool) -> None:
    revision(current_app._get_current_object(), message, autogenerate=not empty)  # type: ignore[attr-defined]


@db_cli.command("check")
def db_check() -> None:
    """Exit 1 when the models and the migrated database differ."""
    diffs = drift(get_database().engine)
    for d in diffs:
        click.echo(repr(d))
    sys.exit(1 if diffs else 0)
