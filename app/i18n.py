"""Languages: Dutch (the source language and the default) and English, with Flask-Babel.

The locale of a request: the citizen's or user's own choice kept in the session
(``session["taal"]``), else the best match of the browser's ``Accept-Language``, else Dutch.
"""

from __future__ import annotations

import logging

from flask import Flask, request, session
from flask_babel import Babel, get_locale

from app import i18n_catalog

TALEN = ("nl", "en")
STANDAARD_TAAL = "nl"

babel = Babel()


def select_locale() -> str:
    gekozen = session.get("taal")
    if gekozen in TALEN:
        return str(gekozen)
    return request.accept_languages.best_match(TALEN, default=STANDAARD_TAAL) or STANDAARD_TAAL


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", STANDAARD_TAAL)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Europe/Amsterdam")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(app.root_path + "/../translations"))
    babel.init_app(app, locale_selector=select_locale)
    # {% trans %} blocks collapse their whitespace, as the extraction (babel.cfg) does.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    _compile_catalogues()
    app.jinja_env.globals["huidige_taal"] = lambda: str(get_locale() or STANDAARD_TAAL)


def _compile_catalogues() -> None:
    """A fresh clone has only the .po files: compile a .mo that is missing or older than its
    .po (scripts/bootstrap.sh does the same before the app starts). Without one, the app
    still runs, in Dutch."""
    try:
        i18n_catalog.compile_stale()
    except OSError as exc:  # a read-only install: the packaged .mo files must do
        logging.getLogger(__name__).warning("translations not compiled: %s", exc)
