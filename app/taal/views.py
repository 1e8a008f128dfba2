"""``POST /taal``: the language switch in the header.

The choice is kept in the session (for everyone, also before logging in) and, for staff, on
their user, so that it follows them to their next login. A citizen's choice lasts the session.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from app.access import public
from app.db import session as db_session
from app.i18n import SESSION_KEY, TALEN

bp = Blueprint("taal", __name__)

_LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*")


def _terug(target: str | None) -> str:
    """Back to the page the switch was on, when that is a clean path on this site."""
    if target and len(target) <= 2000 and _LOCAL_PATH.fullmatch(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("auth.index")


@bp.route("/taal", methods=["POST"])
@public  # shows nothing; sets only this browser's (and the logged-in user's own) language
def kiezen() -> Response:
    taal = request.form.get("taal", "")
    if taal not in TALEN:
        raise BadRequest("Kies Nederlands of English.")
    session[SESSION_KEY] = taal
    if current_user.is_authenticated and not current_user.is_burger:
        current_user.taal = taal
        db_session.flush()  # the request's unit of work commits
    return redirect(_terug(request.form.get("terug")), code=303)
