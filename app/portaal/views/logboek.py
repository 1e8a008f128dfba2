"""Wie heeft mijn gegevens gezien / Met wie is wat uitgewisseld: the citizen's logboek pages,
with new lines as they come (polling, and Server-Sent Events)."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Iterator
from typing import Any

from flask import (
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from werkzeug.wrappers import Response

from app import access, params
from app.access import guard
from app.db import session
from app.forms import _as_choices
from app.logboek import live
from app.portaal import logboek as portaal_logboek
from app.portaal.forms import FilterForm
from app.portaal.views.base import EIGEN_LOGBOEK, INZAGE, bp

# An organisation's name in the filter (organisations.name is at most this long).
ORGANISATIE_MAX = 200
FILTER_NAMES = ("van", "tot", "organisatie", "soort")


def _filter_form(toegang: access.LogboekToegang, *, uitwisselingen: bool) -> FilterForm:
    form = FilterForm(params.args())
    form.organisatie.choices = _as_choices(
        [("", "Alle organisaties"), *((o, o) for o in portaal_logboek.organisaties(toegang))]
    )
    soorten = [("", "Alles")]
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
    live = not uitwisselingen and not f.actief and voor is None and status == 200
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
        laatste=page.lines[0].seq if page.lines else portaal_logboek.laatste_seq(toegang),
        in_gewone_woorden=portaal_logboek.in_gewone_woorden,
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
        "portaal/_regel.html", line=line, in_gewone_woorden=portaal_logboek.in_gewone_woorden
    )


@bp.route("/logboek/nieuw")
@guard(portaal=True, verwerking=INZAGE, name="portaal.logboek_nieuw", resolve=EIGEN_LOGBOEK)
def logboek_nieuw(toegang: access.LogboekToegang) -> Any:
    """The polling fallback: lines newer than ``na``, as HTML to insert (oldest first)."""
    na = params.integer("na", 0, minimum=0, maximum=params.MAX_SEQ)
    assert na is not None
    lines = portaal_logboek.nieuwe_regels(toegang, na)
    return jsonify(
        regels=[{"seq": line.seq, "html": _regel_html(line)} for line in lines],
        laatste=max([na, *(line.seq for line in lines)]),
    )


@bp.route("/logboek/live")
@guard(portaal=True, verwerking=INZAGE, name="portaal.logboek_live", resolve=EIGEN_LOGBOEK)
def logboek_live(toegang: access.LogboekToegang) -> Any:
    """Server-Sent Events: each new line about the citizen as it is committed.

    The stream holds no database connection while it waits; it ends after
    ``PORTAAL_LIVE_MAX_SECONDS`` (the browser reconnects with ``Last-Event-ID``, and the
    reconnect checks the login session again).
    """
    pseudonym = toegang.eigen_pseudoniem
    assert pseudonym is not None
    na = params.integer("na", minimum=0, maximum=params.MAX_SEQ)
    last_id = request.headers.get("Last-Event-ID", "")
    if last_id.isascii() and last_id.isdigit() and int(last_id) <= params.MAX_SEQ:
        na = int(last_id)  # the browser's reconnect: the last event it got
    if na is None:
        na = portaal_logboek.laatste_seq(toegang)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    broker = live.broker(app)
    q = broker.subscribe(pseudonym)
    session.close()  # nothing held while waiting
    heartbeat = float(app.config.get("PORTAAL_LIVE_HEARTBEAT_SECONDS", 15))
    max_seconds = float(app.config.get("PORTAAL_LIVE_MAX_SECONDS", 300))

    def events() -> Iterator[str]:
        last = na
        deadline = time.monotonic() + max_seconds
        try:
            yield f"retry: 3000\nid: {last}\n\n"
            check = True  # catch up first: lines committed before we subscribed
            while time.monotonic() < deadline:
                if not check:
                    try:
                        q.get(timeout=min(heartbeat, max(0.1, deadline - time.monotonic())))
                    except queue.Empty:
                        yield ": wacht\n\n"
                        continue
                    while not q.empty():  # several notifications: one read
                        q.get_nowait()
                check = False
                lines = portaal_logboek.nieuwe_regels(toegang, last)
                html = [(line.seq, _regel_html(line)) for line in lines]
                session.close()
                for seq, fragment in html:
                    last = max(last, seq)
                    data = json.dumps({"seq": seq, "html": fragment})
                    yield f"id: {seq}\nevent: regel\ndata: {data}\n\n"
        finally:
            broker.unsubscribe(pseudonym, q)
            session.close()

    resp = Response(stream_with_context(events()), mimetype="text/event-stream")
    resp.headers["Cache-Control"] = "no-cache, no-store"
    resp.headers["X-Accel-Buffering"] = "no"  # nginx: pass each event on at once
    return resp
