"""Languages: Dutch (the source language and the default) and English, with Flask-Babel.

The locale of a request: the choice made with the switch in the header (``POST /taal``, kept in
``session["taal"]``; for staff also on their user, so it outlives the session), else the best
match of the browser's ``Accept-Language``, else Dutch. docs/vertalen.md has the workflow.
"""

from __future__ import annotations

import logging

from flask import Flask, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_login import current_user

from app import i18n_catalog

TALEN = ("nl", "en")
STANDAARD_TAAL = "nl"
SESSION_KEY = "taal"

babel = Babel()


def N_(message: str) -> str:
    """Marks a string for the catalogue without translating it (a module-level constant that
    is translated where it is used: ``_(MSG)``). Babel extracts ``N_`` by default."""
    return message


def select_locale() -> str:
    if not has_request_context():  # a CLI command, the demo, a worker: Dutch
        return STANDAARD_TAAL
    gekozen = session.get(SESSION_KEY)
    if gekozen in TALEN:
        return str(gekozen)
    opgeslagen = getattr(current_user, "taal", None) if _logged_in() else None
    if opgeslagen in TALEN:
        return str(opgeslagen)
    return request.accept_languages.best_match(TALEN, default=STANDAARD_TAAL) or STANDAARD_TAAL


def _logged_in() -> bool:
    try:
        return bool(current_user and current_user.is_authenticated)
    except Exception:  # no user loader outside a full request (e.g. an early error page)
        return False


def clear_session() -> None:
    """``session.clear()`` that keeps the language chosen in this browser (logging in or out
    starts a fresh session, but the page should not switch language under the user)."""
    taal = session.get(SESSION_KEY)
    session.clear()
    if taal in TALEN:
        session[SESSION_KEY] = taal


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
