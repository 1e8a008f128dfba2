"""Languages: Dutch (the source language and the default) and English, with Flask-Babel.

The locale of a request: the citizen's or user's own choice kept in the session
(``session["taal"]``), else the best match of the browser's ``Accept-Language``, else Dutch.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask_babel import Babel, get_locale

TALEN = ("nl", "en")
STANDAARD_TAAL = "nl"

babel = Babel()


def select_locale() -> str:
    if not has_request_context():  # CLI, jobs, services called outside a request: the source
        return STANDAARD_TAAL
    gekozen = session.get("taal")
    if gekozen in TALEN:
        return str(gekozen)
    return request.accept_languages.best_match(TALEN, default=STANDAARD_TAAL) or STANDAARD_TAAL


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", STANDAARD_TAAL)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/../translations"))
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["huidige_taal"] = lambda: str(get_locale() or STANDAARD_TAAL)
