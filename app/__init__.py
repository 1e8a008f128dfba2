"""Eenplan: één gezin, één plan, één regisseur."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

__version__ = "0.1.0"

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    from app.config import load_config

    instance = (
        Path(config.get("INSTANCE_PATH", app.instance_path)) if config else Path(app.instance_path)
    )
    app.config.update(load_config(instance))
    if config:
        app.config.update(config)

    if not app.config.get("MFA_REPLAY_PROTECTION", True) and not app.testing:
        raise RuntimeError("MFA_REPLAY_PROTECTION mag alleen in tests uit staan")

    from app import cli, clock, db, errors, extensions, logboek, security, templating
    from app.auth import identity
    from audit import Logboek

    db.init_app(app)
    app.extensions["eenplan_logboek"] = Logboek(
        subject_key=app.config["AUDIT_SUBJECT_KEY"],
        chain_key=app.config["AUDIT_CHAIN_KEY"],
        resource_name="eenplan",
        resource_version=__version__,
        clock=clock.now,
    )
    security.init_app(app)
    extensions.init_app(app)
    logboek.init_app(
        app, actor=identity.actor_for_current_user, own_person_id=identity.own_person_id
    )
    errors.init_app(app)
    templating.init_app(app)
    cli.init_app(app)

    from app.inkijk import bronnen as inkijk_bronnen

    inkijk_bronnen.init_app(app)
    from app.berichten import notify

    notify.init_session_events(app.extensions["eenplan_db"].sessionmaker)

    from app.account.views import bp as account_bp
    from app.admin.views import bp as admin_bp
    from app.api.views import bp as api_bp
    from app.auth.views import bp as auth_bp
    from app.autorisaties.views import bp as autorisaties_bp
    from app.berichten.views import bp as berichten_bp
    from app.inkijk.views import bp as inkijk_bp
    from app.plans.views import bp as plans_bp
    from app.privacy.views import bp as privacy_bp
    from app.verwerkingsregister.views import bp as verwerkingsregister_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(account_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(inkijk_bp)
    app.register_blueprint(berichten_bp)

    from app.auth import oidc
    from app.security import ratelimit

    oidc.init_app(app)
    ratelimit.init_app(app)
    from app.portaal import views as portaal

    portaal.init_app(app)
    app.register_blueprint(autorisaties_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(verwerkingsregister_bp)

    from app.signalen.api import bp as bronnen_api_bp
    from app.signalen.views import beheer_bp as signaalbronnen_bp
    from app.signalen.views import bp as signalen_bp

    app.register_blueprint(bronnen_api_bp)
    app.register_blueprint(signalen_bp)
    app.register_blueprint(signaalbronnen_bp)
    return app
