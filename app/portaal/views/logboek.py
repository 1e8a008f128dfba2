"""Wie heeft mijn gegevens gezien / Met wie is wat uitgewisseld: the citizen's logboek pages,
with new lines as they come (polling, and Server-Sent Events)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from flask import jsonify, render_template, request, url_for
from flask import session as http_session
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import access, clock, params
from app.access import guard
from app.auth.sessions import SID
from app.forms import _as_choices
from app.portaal import logboek as portaal_logboek
from app.portaal import uitleg
from app.portaal.forms import FilterForm
from app.portaal.views.base import EIGEN_LOGBOEK, INZAGE, bp
from app.privacy.vragen import vragen_per_regel

# The WSGI environ key through which the stream service asks (app.portaal.stream).
STREAM_CHECK = "eenplan.stream.check"
# An organisation's name in the filter (organisations.name is at most this long).
ORGANISATIE_MAX = 200
FILTER_NAMES = ("van", "tot", "organisatie", "soort")


def _filter_form(toegang: access.LogboekToegang, *, uitwisselingen: bool) -> FilterForm:
    form = FilterForm(params.args())
    form.organisatie.choices = _as_choices(
        [("", _("Alle organisaties")), *((o, o) for o in portaal_logboek.organisaties(toegang))]
    )
    soorten = [("", _("Alles"))]
    if not uitwisselingen:
        soorten += [(k, v[2]) for k, v in portaal_logboek.SOORTEN.items()]
    form.soort.choices = _as_choices(soorten)
    return form


def _log_page(toegang: access.LogboekToegang, template: str, *, uitwisselingen: bool) -> Any:
    form = _filter_form(toegang, uitwisselingen=uitwisselingen)
    # Parameters outside the form: a page further back, the filter's choices.
    voor = params.integer("voor", maximum=params.MAX_SEQ)
    params.text("organisatie", max_length=ORGANISATIE_MAX)
    params.choice("soort", ["", *([] if uitwisselingen else portaal_logboek.SOORTEN)], "")
    status = 200
    f = portaal_logboek.Filter()
    if params.args() and not form.validate():
        status = 422
    elif params.args():
        f = portaal_logboek.Filter(
            van=form.van.data,
            tot=form.tot.data,
            organisatie=form.organisatie.data or None,
            soort=None if uitwisselingen else (form.soort.data or None),
        )
    page = portaal_logboek.regels(toegang, f, alleen_uitwisselingen=uitwisselingen, voor=voor)
    live = not f.actief and voor is None and status == 200
    ouder_url = None
    if page.next_before is not None:
        # The filter as given, further back (only the filter's own names: url_for takes
        # ``_external``, ``_scheme``… as its own arguments).
        args: dict[str, Any] = {k: v for k, v in params.args().items() if k in FILTER_NAMES}
        args["voor"] = page.next_before
        ouder_url = url_for(request.endpoint or "portaal.logboek", **args)
    return render_template(
        template,
        form=form,
        page=page,
        filter=f,
        voor=voor,
        live=live,
        ouder_url=ouder_url,
        laatste=page.lines[0].seq
        if page.lines
        else portaal_logboek.laatste_seq(toegang, alleen_uitwisselingen=uitwisselingen),
        dag=toegang.day.strftime("%Y%m%d"),
        in_gewone_woorden=portaal_logboek.in_gewone_woorden,
        verwerkingen=uitleg.verwerkingen(page.lines),
        verwerking_van=uitleg.verwerking_van,
        sleutel=uitleg.sleutel,
        vragen=vragen_per_regel(toegang.eigen_pseudoniem, (line.seq for line in page.lines)),
    ), status


@bp.route("/logboek")
@guard(portaal=True, verwerking=INZAGE, name="portaal.logboek", resolve=EIGEN_LOGBOEK)
def logboek(toegang: access.LogboekToegang) -> Any:
    """Every line about the citizen: who, what, why, when (their own lines: nothing logged)."""
    return _log_page(toegang, "portaal/logboek.html", uitwisselingen=False)


@bp.route("/uitwisselingen")
@guard(portaal=True, verwerking=INZAGE, name="portaal.uitwisselingen", resolve=EIGEN_LOGBOEK)
def uitwisselingen(toegang: access.LogboekToegang) -> Any:
    return _log_page(toegang, "portaal/uitwisselingen.html", uitwisselingen=True)


def _regel_html(line: Any) -> str:
    return render_template(
        "portaal/_regel.html",
        line=line,
        in_gewone_woorden=portaal_logboek.in_gewone_woorden,
        verwerking_van=uitleg.verwerking_van,
        sleutel=uitleg.sleutel,
    )


def _since(value: str | None) -> dt.date | None:
    """The ``dag`` a page was last brought up to date (``YYYYMMDD``); bad: 400 (param) or None."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        return None


def _dag_param() -> dt.date | None:
    """``dag``: the day the page was last brought up to date (its deferred lines since)."""
    dag = params.text("dag", max_length=8)
    sinds = _since(dag)
    if dag and sinds is None:
        params.bad("dag", _("Geen datum (JJJJMMDD)."))
    return sinds


def _nieuw(toegang: access.LogboekToegang, *, uitwisselingen: bool) -> Any:
    na = params.integer("na", 0, minimum=0, maximum=params.MAX_SEQ)
    assert na is not None
    sinds = _dag_param()
    lines = portaal_logboek.nieuwe_regels(
        toegang, na, alleen_uitwisselingen=uitwisselingen, sinds=sinds
    )
    return jsonify(
        regels=[{"seq": line.seq, "html": _regel_html(line)} for line in lines],
        laatste=max([na, *(line.seq for line in lines)]),
        dag=toegang.day.strftime("%Y%m%d"),
    )


@bp.route("/logboek/nieuw")
@guard(portaal=True, verwerking=INZAGE, name="portaal.logboek_nieuw", resolve=EIGEN_LOGBOEK)
def logboek_nieuw(toegang: access.LogboekToegang) -> Any:
    """The polling fallback: lines newer than ``na`` (and lines that became visible since
    ``dag``), as HTML to insert (oldest first)."""
    return _nieuw(toegang, uitwisselingen=False)


@bp.route("/uitwisselingen/nieuw")
@guard(portaal=True, verwerking=INZAGE, name="portaal.uitwisselingen_nieuw", resolve=EIGEN_LOGBOEK)
def uitwisselingen_nieuw(toegang: access.LogboekToegang) -> Any:
    return _nieuw(toegang, uitwisselingen=True)


@bp.route("/logboek/live")
@guard(portaal=True, verwerking=INZAGE, name="portaal.logboek_live", resolve=EIGEN_LOGBOEK)
def logboek_live(toegang: access.LogboekToegang) -> Any:
    """Server-Sent Events: each new line about the citizen (see :mod:`app.portaal.stream`)."""
    return _live(toegang, uitwisselingen=False)


@bp.route("/uitwisselingen/live")
@guard(portaal=True, verwerking=INZAGE, name="portaal.uitwisselingen_live", resolve=EIGEN_LOGBOEK)
def uitwisselingen_live(toegang: access.LogboekToegang) -> Any:
    return _live(toegang, uitwisselingen=True)


def _event_id(seq: int, day: dt.date) -> str:
    return f"{seq}_{day:%Y%m%d}"


def _live(toegang: access.LogboekToegang, *, uitwisselingen: bool) -> Any:
    """One look at the citizen's new lines, for an event stream.

    The stream service (:mod:`app.portaal.stream`) holds the open connections without a worker
    thread; it asks this view — the guard, the login session, the access filter, exactly as for
    any page — on connect, on every notification and at midnight, passing a dict in the WSGI
    environ (set in its own process, never from a request). Served by the WSGI app alone, the
    view sends the catch-up and ends the stream: the browser comes back after ``retry``, so no
    worker thread ever waits.
    """
    pseudonym = toegang.eigen_pseudoniem
    assert pseudonym is not None
    na = params.integer("na", minimum=0, maximum=params.MAX_SEQ)
    sinds = _dag_param()
    seq, _, day = request.headers.get("Last-Event-ID", "").partition("_")
    if seq.isascii() and seq.isdigit() and int(seq) <= params.MAX_SEQ:
        na = int(seq)  # the browser's reconnect: the last event it got
        sinds = _since(day) if day.isascii() and day.isdigit() else None
    if na is None:
        na = portaal_logboek.laatste_seq(toegang, alleen_uitwisselingen=uitwisselingen)
    lines = portaal_logboek.nieuwe_regels(
        toegang, na, alleen_uitwisselingen=uitwisselingen, sinds=sinds or toegang.day
    )
    events = [(line.seq, _regel_html(line)) for line in lines]
    last = max([na, *(s for s, _ in events)])
    check = request.environ.get(STREAM_CHECK)
    if isinstance(check, dict):
        tomorrow = dt.datetime.combine(toegang.day + dt.timedelta(days=1), dt.time(), clock.TZ)
        sid = http_session.get(SID)
        check.update(
            pseudoniem=pseudonym,
            sessie=hashlib.sha256(str(sid).encode()).hexdigest(),
            laatste=last,
            dag=toegang.day.strftime("%Y%m%d"),
            regels=events,
            # the scheduled wake-up: when lines with a "disclose after" date may come free
            wekker=max(1.0, (tomorrow - clock.now()).total_seconds()),
        )
        return Response(status=204)
    body = [f"retry: 3000\nid: {_event_id(last, toegang.day)}\n\n"]
    for s, fragment in events:
        data = json.dumps({"seq": s, "html": fragment})
        body.append(f"id: {_event_id(last, toegang.day)}\nevent: regel\ndata: {data}\n\n")
    resp = Response(body, mimetype="text/event-stream")
    resp.headers["Cache-Control"] = "no-cache, no-store"
    resp.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return resp
