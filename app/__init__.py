"""Eenplan: één gezin, één plan, één regisseur."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from app.config import load_config
from audit import Logboek

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The application, wired up in one order: configuration → security → extensions →
    logboek → rate limits → blueprints (one list, :mod:`app.blueprints`) → command line."""
    # cycle: importing any ``app.*`` module runs this package first, and these modules import
    # every feature package (app -> app.blueprints -> app.plans ... -> app.logboek -> app); at
    # the top they would make ``import app.logboek`` (or app.db, app.domain) load them all.
    from app import (
        blueprints,
        cli,
        clock,
        db,
        errors,
        extensions,
        i18n,
        logboek,
        security,
        templating,
    )
    from app.auth import identity, oidc
    from app.berichten import notify
    from app.inkijk import bronnen as inkijk_bronnen
    from app.security import ratelimit
    from app.signalen import werkvoorraad_volgen

    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    _configure(app, config)

    # Security first: the request log and the security headers see every request, also one
    # refused early (CSRF, a rate limit).
    security.init_app(app)

    # Extensions: the database, logins and CSRF, OpenID Connect, error pages, templates, the
    # inkijk sources.
    db.init_app(app)
    extensions.init_app(app)
    i18n.init_app(app)
    oidc.init_app(app)
    errors.init_app(app)
    templating.init_app(app)
    inkijk_bronnen.init_app(app)

    # The logboek: its writer, a ledger per request, notifications after commit, the live
    # broker of the portal's logboek page.
    app.extensions["eenplan_logboek"] = Logboek(
        subject_key=app.config["AUDIT_SUBJECT_KEY"],
        chain_key=app.config["AUDIT_CHAIN_KEY"],
        resource_name="eenplan",
        resource_version=__version__,
        clock=clock.now,
    )
    logboek.init_app(
        app, actor=identity.actor_for_current_user, own_person_id=identity.own_person_id
    )
    notify.init_session_events(app.extensions["eenplan_db"].sessionmaker)
    # The queue's summary follows every change to what it is made of, in the same transaction.
    werkvoorraad_volgen.install(app.extensions["eenplan_db"].sessionmaker)

    # Rate limits: declared at the views; they count once the request's ledger is open.
    ratelimit.init_app(app)

    for blueprint in blueprints.BLUEPRINTS:
        app.register_blueprint(blueprint)

    cli.init_app(app)
    return app


def _configure(app: Flask, config: dict[str, Any] | None) -> None:
    """The environment (see :mod:`app.config`), then the caller's settings on top."""
    instance = (
        Path(config.get("INSTANCE_PATH", app.instance_path)) if config else Path(app.instance_path)
    )
    app.config.update(load_config(instance))
    if config:
        app.config.update(config)
    if not app.config.get("MFA_REPLAY_PROTECTION", True) and not app.testing:
        raise RuntimeError("MFA_REPLAY_PROTECTION mag alleen in tests uit staan")
