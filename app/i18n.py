"""Languages: Dutch (the source language and the default) and English, with Flask-Babel.

The locale of a request: the choice made with the switch in the header (``POST /taal``, kept in
``session["taal"]``; for staff also on their user, so it outlives the session), else the best
match of the browser's ``Accept-Language``, else Dutch. docs/vertalen.md has the workflow.
"""

from __future__ import annotations

import logging
from typing import Any

from babel import Locale
from flask import Flask, g, has_request_context, request, session
from flask_babel import Babel, get_locale, get_translations
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


def _vertalingen() -> Any:
    """Flask-Babel's translations of this request, remembered beside its locale (Flask-Babel's
    own per-request namespace on ``g``): another locale object there — ``force_locale``,
    ``refresh()``, a language switch — and they are looked up again."""
    try:
        ctx = g._flask_babel
    except (AttributeError, RuntimeError):  # not yet made this request, or no context
        return get_translations()
    locale = getattr(ctx, "babel_locale", None)
    cached = getattr(ctx, "eenplan_vertalingen", None)
    if locale is not None and cached is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()
    ctx.eenplan_vertalingen = (getattr(ctx, "babel_locale", None), translations)
    return translations


_STANDAARD_LOCALE = Locale.parse(STANDAARD_TAAL)


def locale() -> Locale:
    """The request's locale as Babel's object (Dutch outside a request: a CLI command, the
    demo, a worker). Once Flask-Babel chose it for this request it is read from Flask-Babel's
    own per-request namespace (as :func:`_vertalingen` does), not looked up again: a list page
    formats hundreds of dates with it."""
    try:
        chosen = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):  # not chosen yet, or no application context
        chosen = None
    return chosen or get_locale() or _STANDAARD_LOCALE


def taal() -> str:
    """The request's language code: nl or en."""
    return str(locale())


def vertaal(message: str) -> str:
    """``gettext`` without variables, through this request's remembered catalogue (see
    :func:`_vertalingen`): for what a page translates per row, e.g. the ``vertaald`` filter."""
    return str(_vertalingen().ugettext(message))


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
    # Templates call gettext hundreds of times a page: the same catalogue as Flask-Babel's own
    # callables, found once per request (and again whenever the locale changes) instead of
    # through its context, cache and locale lookups on every string.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n
        gettext=lambda s: _vertalingen().ugettext(s),
        ngettext=lambda s, p, n: _vertalingen().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _vertalingen().upgettext(c, s),
        npgettext=lambda c, s, p, n: _vertalingen().unpgettext(c, s, p, n),
    )
    # {% trans %} blocks collapse their whitespace, as the extraction (babel.cfg) does.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    _compile_catalogues()
    app.jinja_env.globals["huidige_taal"] = taal


def _compile_catalogues() -> None:
    """A fresh clone has only the .po files: compile a .mo that is missing or older than its
    .po (scripts/bootstrap.sh does the same before the app starts). Without one, the app
    still runs, in Dutch."""
    try:
        i18n_catalog.compile_stale()
    except OSError as exc:  # a read-only install: the packaged .mo files must do
        logging.getLogger(__name__).warning("translations not compiled: %s", exc)
