"""The command line: ``flask db|users|tokens|audit|signals|retention|notices|sturing|demo…``.

Each module declares its own commands next to the code they drive; this module only adds them
to the app, from one list.
"""

from __future__ import annotations

import click
from flask import Flask

from app.auth.cli import tokens_cli, users_cli
from app.logboek.cli import audit_cli
from app.migrate import db_cli
from app.portaal.meldingen import notices_cli
from app.privacy.cli import privacy_cli
from app.signalen.cli import signals_cli
from app.sturing.cli import sturing_cli
from app.vernietiging.cli import retention_cli
from demo import cli as demo_cli

COMMANDS: tuple[click.Command, ...] = (
    db_cli,  # app/migrate.py
    users_cli,  # app/auth/cli.py
    tokens_cli,  # app/auth/cli.py
    audit_cli,  # app/logboek/cli.py
    signals_cli,  # app/signalen/cli.py
    retention_cli,  # app/vernietiging/cli.py
    notices_cli,  # app/portaal/meldingen.py
    sturing_cli,  # app/sturing/cli.py
    privacy_cli,  # app/privacy/cli.py
    *demo_cli.COMMANDS,  # demo/cli.py: refused in production
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
