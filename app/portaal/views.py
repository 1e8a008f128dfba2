"""Mijn Eenplan: the citizen's portal.

Citizens log in through OpenID Connect (the way a municipality connects DigiD through a
broker): provider ``burger`` (``OIDC_BURGER_*``), the BSN from a configurable claim. No BSN is
typed into a form, there is no password. Everything a page shows is the citizen's own data;
where it shows someone else's (a household member's name) the usual logboek path applies.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import queue
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask import session as http_session
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app import access
from app.auth import oidc, sessions
from app.auth.views import CLEAR_SITE_DATA, complete_login
from app.autorisaties.models import NIVEAU_LABELS, RELATIES_VERTROUWENSPERSOON
from app.clock import today
from app.db import session
from app.forms import _as_choices
from app.logboek import current_ledger, live, verwerking
from app.plans import services as plan_services
from app.plans.models import Plan, UitvoerderSoort
from app.portaal import export, services
from app.portaal import logboek as portaal_logboek
from app.portaal.forms import (
    BerichtForm,
    FilterForm,
    KnopForm,
    NiveauForm,
    ReactieForm,
    RegisseurVerzoekForm,
    ToestemmingIntrekkenForm,
    VertrouwenspersoonForm,
)
from app.users.models import User

bp = Blueprint("portaal", __name__, url_prefix="/mijn")
log = logging.getLogger("eenplan.security")

F = TypeVar("F", bound=Callable[..., Any])

REGIE = "regie-multiproblematiek"
INZAGE = "inzage-betrokkene"
LOGIN_METHOD = "oidc-burger"

WEIGERING = {
    # reden: (status, title, text)
    "token": (
        401,
        "Inloggen is niet gelukt",
        "Wij konden niet controleren dat u het echt bent. Er is niets opgeslagen. "
        "Probeer het opnieuw.",
    ),
    "geweigerd": (
        401,
        "Inloggen is gestopt",
        "U heeft het inloggen afgebroken. Er is niets opgeslagen. U kunt opnieuw inloggen.",
    ),
    "bsn-ontbreekt": (
        400,
        "Wij kregen uw burgerservicenummer niet",
        "Bij het inloggen kregen wij uw burgerservicenummer (BSN) niet mee. Daarom kunt u "
        "nu niet verder. Probeer het opnieuw. Lukt het weer niet? Bel dan de gemeente.",
    ),
    "bsn-ongeldig": (
        400,
        "Wij kregen een burgerservicenummer dat niet klopt",
        "Het burgerservicenummer (BSN) dat wij bij het inloggen kregen, klopt niet. Daarom "
        "kunt u nu niet verder. Probeer het opnieuw. Lukt het weer niet? Bel dan de gemeente.",
    ),
    "geen-plan": (
        404,
        "Er is geen plan voor u",
        "U bent ingelogd, maar er is bij de gemeente geen plan voor u. Daarom is er hier "
        "niets te zien. Denkt u dat dit niet klopt, of wilt u hulp? Bel dan de gemeente.",
    ),
    "geen-toegang": (
        403,
        "U kunt Mijn Eenplan nu niet gebruiken",
        "Uw toegang tot Mijn Eenplan is gestopt. Bel de gemeente als u wilt weten waarom.",
    ),
    "niet-beschikbaar": (
        503,
        "Inloggen lukt nu niet",
        "Inloggen lukt op dit moment niet. Probeer het later opnieuw.",
    ),
}


def _user() -> User:
    return current_user._get_current_object()


def burger_required(fn: F) -> F:
    """Logged in as a citizen (a user with a person); staff get 403, anonymous go to login."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return redirect(url_for("portaal.inloggen"))
        if not current_user.is_burger:
            abort(403)
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def weigering(reden: str) -> tuple[str, int]:
    status, title, text = WEIGERING[reden]
    return render_template("portaal/weigering.html", title=title, text=text, reden=reden), status


# --- logging in and out ---------------------------------------------------------------------


@bp.route("/inloggen")
def inloggen() -> Any:
    if current_user.is_authenticated and current_user.is_burger:
        return redirect(url_for("portaal.plan"))
    return render_template("portaal/inloggen.html", provider=oidc.provider("burger"))


@bp.route("/inloggen/digid")
def inloggen_start() -> Any:
    """Off to the DigiD broker (the configured OpenID Connect provider)."""
    client = oidc.client("burger")
    if current_user.is_authenticated and current_user.is_burger:
        return redirect(url_for("portaal.plan"))
    try:
        return client.authorize_redirect(url_for("portaal.inloggen_terug", _external=True))
    except Exception as exc:  # noqa: BLE001 - the provider is unreachable or misconfigured
        log.error(
            "citizen login unavailable",
            extra={"event": "burger.login.unavailable", "error": type(exc).__name__},
        )
        return weigering("niet-beschikbaar")


@bp.route("/inloggen/terug")
def inloggen_terug() -> Any:
    """The provider sends the browser back with a code; the ID token is checked by Authlib
    (signature against the JWKS, issuer, audience, nonce, expiry)."""
    client = oidc.client("burger")
    cfg = oidc.provider("burger")
    assert cfg is not None
    if request.args.get("error"):
        log.info("citizen login denied", extra={"event": "burger.login.denied"})
        return weigering("geweigerd")
    try:
        token = client.authorize_access_token()
        claims = dict(token.get("userinfo") or {})
    except Exception as exc:  # noqa: BLE001 - fail closed; the log says which check failed
        log.warning(
            "citizen login failed",
            extra={"event": "burger.login.failed", "error": type(exc).__name__},
        )
        return weigering("token")
    try:
        user = services.burger_voor_login(cfg, claims)
    except services.LoginGeweigerd as exc:
        session.rollback()
        log.info(
            "citizen login refused", extra={"event": "burger.login.refused", "reason": exc.reden}
        )
        http_session.clear()
        return weigering(exc.reden)
    complete_login(user, LOGIN_METHOD)
    session.commit()
    return redirect(url_for("portaal.plan"))


@bp.route("/uitloggen", methods=["POST"])
def uitloggen() -> Response:
    """End the session here, then (where the provider supports it) at the provider."""
    was_burger = current_user.is_authenticated and current_user.is_burger
    if current_user.is_authenticated:
        sessions.end_current("uitgelogd")
        log.info("logout", extra={"event": "logout", "user_id": current_user.id})
        logout_user()
    http_session.clear()
    target = url_for("portaal.uitgelogd")
    cfg = oidc.provider("burger")
    if was_burger and cfg is not None and cfg.get("end_session"):
        try:
            meta = oidc.client("burger").load_server_metadata()
            endpoint = meta.get("end_session_endpoint")
        except Exception:  # noqa: BLE001 - the provider is away: the session here has ended
            endpoint = None
        if endpoint:
            target = (
                endpoint
                + ("&" if "?" in endpoint else "?")
                + urlencode(
                    {
                        "client_id": cfg["client_id"],
                        "post_logout_redirect_uri": url_for("portaal.uitgelogd", _external=True),
                    }
                )
            )
    resp = redirect(target)
    resp.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return resp


@bp.route("/uitgelogd")
def uitgelogd() -> str:
    return render_template("portaal/uitgelogd.html")


# --- Mijn plan --------------------------------------------------------------------------------


def _toegang() -> access.PlanToegang | None:
    plan_id = services.eigen_plan_id(_user())
    if plan_id is None:
        return None
    toegang = access.plan_for(_user(), plan_id)
    current_ledger().set_context("plan", plan_id)
    return toegang


@bp.route("/")
@burger_required
@verwerking(REGIE, name="portaal.plan")
def plan() -> Any:
    toegang = _toegang()
    if toegang is None:
        meekijken = _meekijken()
        if not meekijken:
            person_id = _user().person_id
            if person_id is not None and services.heeft_signalen(person_id):
                return redirect(url_for("portaal.signalen"))
            return weigering("geen-plan")
        return render_template("portaal/meekijken.html", meekijken=meekijken)
    return _render_plan(toegang, ReactieForm())


def _meekijken() -> list[Plan]:
    """Plans of others who gave this citizen read-only access (a trusted person, rule 12).

    Only the person's name and that a plan exists are loaded here, and that load is an inzage
    like any other (the ledger writes its line); the plan itself opens on the plan page, which
    shows a trusted person what the access rules allow.
    """
    user = _user()
    if user.person_id is None:
        return []
    stmt = (
        access.plans_visible_to(user)
        .where(Plan.person_id != user.person_id)
        .options(*access.plan_list_options(user))
        .order_by(Plan.id)
    )
    return list(session.scalars(stmt))


@bp.route("/meekijken/<int:plan_id>")
@burger_required
@verwerking(REGIE, name="portaal.meekijken")
def meekijken(plan_id: int) -> Any:
    """A trusted person reads the plan of someone who gave them access: read-only, logged."""
    toegang = access.plan_for(_user(), plan_id)
    if not toegang.is_vertrouwenspersoon:
        abort(404)
    current_ledger().set_context("plan", plan_id)
    return _render_plan(toegang, ReactieForm())


def _render_plan(toegang: access.PlanToegang, form: ReactieForm) -> str:
    plan = toegang.plan
    activities = toegang.activities()
    comments = toegang.comments()
    replies: dict[int, list[Any]] = {}
    for c in comments:
        if c.reply_to_id is not None:
            replies.setdefault(c.reply_to_id, []).append(c)
    return render_template(
        "portaal/plan.html",
        meekijken=_meekijken(),
        toegang=toegang,
        plan=plan,
        activities=activities,
        household=toegang.household(),
        comments=[c for c in comments if c.reply_to_id is None],
        replies=replies,
        form=form,
        knop=KnopForm(),
        huishouden=UitvoerderSoort.HUISHOUDEN,
    )


@bp.route("/reacties", methods=["POST"])
@burger_required
@verwerking(REGIE, name="portaal.reactie")
def reactie() -> Any:
    toegang = _toegang()
    if toegang is None or not toegang.may_comment:
        abort(404)
    form = ReactieForm()
    if form.validate_on_submit():
        try:
            plan_services.add_comment(
                toegang.plan,
                actor=_user(),
                body=form.body.data or "",
                soort=form.soort.data or "opmerking",
            )
        except plan_services.PlanError as exc:
            form.body.errors = [*form.body.errors, exc.message]
        else:
            flash("Uw bericht staat in het plan. De regisseur krijgt het te zien.", "ok")
            return redirect(url_for("portaal.plan", _anchor="reacties"))
    return _render_plan(toegang, form), 422


@bp.route("/activiteiten/<int:activity_id>/klaar", methods=["POST"])
@burger_required
@verwerking(REGIE, name="portaal.activiteit.klaar")
def activiteit_klaar(activity_id: int) -> Any:
    toegang = _toegang()
    if toegang is None:
        abort(404)
    activity = toegang.activity(activity_id)
    if not toegang.may_edit_activity(activity):
        abort(404)
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        plan_services.complete_activity(activity, actor=_user(), expected_version=version)
        flash("Goed gedaan! De activiteit staat op klaar.", "ok")
    except plan_services.Conflict:
        session.rollback()
        flash(
            "Iemand anders heeft deze activiteit net gewijzigd. Kijk of het nog klopt.", "warning"
        )
    return redirect(url_for("portaal.plan", _anchor=f"activiteit-{activity_id}"))


def init_app(app: Any) -> None:
    app.register_blueprint(bp)


# --- Wie heeft mijn gegevens gezien / Met wie is wat uitgewisseld ----------------------------


def _logboek_toegang() -> access.LogboekToegang:
    toegang = access.logboek_regels_voor(_user())
    if toegang is None or toegang.eigen_pseudoniem is None:  # pragma: no cover - citizens only
        abort(404)
    return toegang


def _filter_form(toegang: access.LogboekToegang, *, uitwisselingen: bool) -> FilterForm:
    form = FilterForm(request.args)
    form.organisatie.choices = _as_choices(
        [("", "Alle organisaties"), *((o, o) for o in portaal_logboek.organisaties(toegang))]
    )
    soorten = [("", "Alles")]
    if not uitwisselingen:
        soorten += [(k, v[2]) for k, v in portaal_logboek.SOORTEN.items()]
    form.soort.choices = _as_choices(soorten)
    return form


def _log_page(template: str, *, uitwisselingen: bool) -> Any:
    toegang = _logboek_toegang()
    form = _filter_form(toegang, uitwisselingen=uitwisselingen)
    status = 200
    f = portaal_logboek.Filter()
    if request.args and not form.validate():
        status = 422
    elif request.args:
        f = portaal_logboek.Filter(
            van=form.van.data,
            tot=form.tot.data,
            organisatie=form.organisatie.data or None,
            soort=None if uitwisselingen else (form.soort.data or None),
        )
    voor = request.args.get("voor", type=int)
    page = portaal_logboek.regels(toegang, f, alleen_uitwisselingen=uitwisselingen, voor=voor)
    live = not uitwisselingen and not f.actief and voor is None and status == 200
    ouder_url = None
    if page.next_before is not None:
        args: dict[str, Any] = {k: v for k, v in request.args.items() if k != "voor"}
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
@burger_required
@verwerking(INZAGE, name="portaal.logboek")
def logboek() -> Any:
    """Every line about the citizen: who, what, why, when (their own lines: nothing logged)."""
    return _log_page("portaal/logboek.html", uitwisselingen=False)


@bp.route("/uitwisselingen")
@burger_required
@verwerking(INZAGE, name="portaal.uitwisselingen")
def uitwisselingen() -> Any:
    return _log_page("portaal/uitwisselingen.html", uitwisselingen=True)


def _regel_html(line: Any) -> str:
    return render_template(
        "portaal/_regel.html", line=line, in_gewone_woorden=portaal_logboek.in_gewone_woorden
    )


@bp.route("/logboek/nieuw")
@burger_required
@verwerking(INZAGE, name="portaal.logboek_nieuw")
def logboek_nieuw() -> Any:
    """The polling fallback: lines newer than ``na``, as HTML to insert (oldest first)."""
    toegang = _logboek_toegang()
    na = request.args.get("na", default=0, type=int)
    lines = portaal_logboek.nieuwe_regels(toegang, na)
    return jsonify(
        regels=[{"seq": line.seq, "html": _regel_html(line)} for line in lines],
        laatste=max([na, *(line.seq for line in lines)]),
    )


@bp.route("/logboek/live")
@burger_required
@verwerking(INZAGE, name="portaal.logboek_live")
def logboek_live() -> Any:
    """Server-Sent Events: each new line about the citizen as it is committed.

    The stream holds no database connection while it waits; it ends after
    ``PORTAAL_LIVE_MAX_SECONDS`` (the browser reconnects with ``Last-Event-ID``, and the
    reconnect checks the login session again).
    """
    toegang = _logboek_toegang()
    pseudonym = toegang.eigen_pseudoniem
    assert pseudonym is not None
    last_id = request.headers.get("Last-Event-ID") or request.args.get("na") or ""
    na = int(last_id) if last_id.isdigit() else portaal_logboek.laatste_seq(toegang)
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


# --- Wie mag wat zien -------------------------------------------------------------------------

ZEGGENSCHAP = "zeggenschap-inwoner"


def _toegang_page(
    toegang: access.PlanToegang,
    *,
    vp_form: VertrouwenspersoonForm | None = None,
    verzoek_form: RegisseurVerzoekForm | None = None,
    intrekken_form: ToestemmingIntrekkenForm | None = None,
    niveau_fout: tuple[int, str] | None = None,
) -> str:
    from app.autorisaties import services as autorisaties

    plan = toegang.plan
    organisaties = autorisaties.involved_organisations(plan)
    niveaus = {o.id: access.niveau_van(plan.id, o.id) for o in organisaties}
    vp_form = vp_form or VertrouwenspersoonForm()
    vp_form.relatie.choices = _as_choices([("", "Kies"), *RELATIES_VERTROUWENSPERSOON.items()])
    if request.method == "GET":
        vp_form.geldig_tot.data = today() + dt.timedelta(days=365)
    return render_template(
        "portaal/toegang.html",
        plan=plan,
        toegang=toegang,
        organisaties=organisaties,
        niveaus=niveaus,
        niveau_keuzes=NIVEAU_LABELS,
        niveau_fout=niveau_fout,
        vertrouwenspersonen=autorisaties.vertrouwenspersonen_van(_user()),
        relaties=RELATIES_VERTROUWENSPERSOON,
        vp_form=vp_form,
        verzoek_form=verzoek_form or RegisseurVerzoekForm(),
        intrekken_form=intrekken_form or ToestemmingIntrekkenForm(),
        toestemming_kan_intrekken=(
            plan.basis == "toestemming"
            and not plan.is_closed
            and not toegang.toestemming_is_ingetrokken
        ),
        beroepsgeheim=services.beroepsgeheim_items(plan.id),
        knop=KnopForm(),
        today=today(),
    )


def _eigen_toegang() -> access.PlanToegang:
    toegang = _toegang()
    if toegang is None:
        abort(404)
    return toegang


@bp.route("/toegang")
@burger_required
@verwerking(ZEGGENSCHAP, name="portaal.toegang")
def toegang_overzicht() -> Any:
    toegang = _toegang()
    if toegang is None:
        return weigering("geen-plan")
    return _toegang_page(toegang)


@bp.route("/toegang/niveau", methods=["POST"])
@burger_required
@verwerking(ZEGGENSCHAP, name="portaal.toegang.niveau")
def toegang_niveau() -> Any:
    from app.autorisaties import services as autorisaties
    from app.organisations.models import Organisation

    toegang = _eigen_toegang()
    form = NiveauForm()
    if not form.validate_on_submit():
        abort(400)
    org_id = int(form.organisation_id.data) if (form.organisation_id.data or "").isdigit() else 0
    organisation = session.get(Organisation, org_id)
    if organisation is None:
        abort(404)
    try:
        autorisaties.zet_inzageniveau(
            toegang.plan, organisation, form.niveau.data or "", actor=_user()
        )
    except plan_services.PlanError as exc:
        session.rollback()
        return _toegang_page(toegang, niveau_fout=(org_id, exc.message)), 422
    flash(f"Opgeslagen: wat {organisation.name} ziet, is aangepast.", "ok")
    return redirect(url_for("portaal.toegang_overzicht", _anchor="niveaus"))


@bp.route("/toegang/vertrouwenspersonen", methods=["POST"])
@burger_required
@verwerking(ZEGGENSCHAP, name="portaal.toegang.vertrouwenspersoon")
def vertrouwenspersoon_nieuw() -> Any:
    from app.autorisaties import services as autorisaties

    toegang = _eigen_toegang()
    form = VertrouwenspersoonForm()
    form.relatie.choices = _as_choices([("", "Kies"), *RELATIES_VERTROUWENSPERSOON.items()])
    if form.validate_on_submit():
        try:
            autorisaties.verleen_toegang(
                _user(),
                bsn=form.bsn.data or "",
                naam=form.naam.data or "",
                relatie=form.relatie.data or "",
                geldig_tot=form.geldig_tot.data,
            )
        except plan_services.PlanError as exc:
            session.rollback()
            field = getattr(form, exc.field or "", None)
            if field is not None:
                field.errors = [*field.errors, exc.message]
            else:
                form.form_errors.append(exc.message)
        else:
            flash(f"{form.naam.data} kan nu uw plan lezen (niet wijzigen).", "ok")
            return redirect(url_for("portaal.toegang_overzicht", _anchor="vertrouwenspersonen"))
    return _toegang_page(toegang, vp_form=form), 422


@bp.route("/toegang/vertrouwenspersonen/<int:grant_id>/intrekken", methods=["POST"])
@burger_required
@verwerking(ZEGGENSCHAP, name="portaal.toegang.vertrouwenspersoon.intrekken")
def vertrouwenspersoon_intrekken(grant_id: int) -> Any:
    from app.autorisaties import services as autorisaties
    from app.autorisaties.models import Vertrouwenspersoon

    _eigen_toegang()
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    grant = session.scalars(
        select(Vertrouwenspersoon).where(
            Vertrouwenspersoon.id == grant_id,
            Vertrouwenspersoon.person_id == _user().person_id,
        )
    ).first()
    if grant is None:
        abort(404)
    try:
        autorisaties.trek_toegang_in(grant, actor=_user())
        flash(f"{grant.naam} kan uw plan niet meer lezen.", "ok")
    except plan_services.PlanError as exc:
        session.rollback()
        flash(exc.message, "warning")
    return redirect(url_for("portaal.toegang_overzicht", _anchor="vertrouwenspersonen"))


@bp.route("/toegang/toestemming/intrekken", methods=["POST"])
@burger_required
@verwerking(ZEGGENSCHAP, name="portaal.toestemming.intrekken")
def toestemming_intrekken() -> Any:
    from app.autorisaties import services as autorisaties

    toegang = _eigen_toegang()
    form = ToestemmingIntrekkenForm()
    if form.validate_on_submit():
        try:
            autorisaties.trek_toestemming_in(
                toegang.plan, actor=_user(), toelichting=form.toelichting.data
            )
        except plan_services.PlanError as exc:
            session.rollback()
            form.toelichting.errors = [*form.toelichting.errors, exc.message]
        else:
            flash(
                "Uw toestemming is ingetrokken. Alleen u en uw regisseur zien het plan nog. "
                "De regisseur neemt contact met u op.",
                "ok",
            )
            return redirect(url_for("portaal.toegang_overzicht"))
    return _toegang_page(toegang, intrekken_form=form), 422


@bp.route("/toegang/beroepsgeheim/<soort>/<int:object_id>", methods=["POST"])
@burger_required
@verwerking(ZEGGENSCHAP, name="portaal.beroepsgeheim")
def beroepsgeheim(soort: str, object_id: int) -> Any:
    from app.autorisaties import services as autorisaties

    toegang = _eigen_toegang()
    items = {(i.object_type, i.object_id): i for i in services.beroepsgeheim_items(toegang.plan.id)}
    item = items.get((soort, object_id))
    if item is None:
        abort(404)
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if item.inwoner_gaf_vrij:
            autorisaties.trek_vrijgave_in(soort, object_id, actor=_user())
            flash("U heeft uw toestemming ingetrokken. Het wordt niet meer doorgegeven.", "ok")
        else:
            autorisaties.geef_beroepsgeheim_vrij(soort, object_id, actor=_user())
            flash("U gaf toestemming. Het mag nu worden doorgegeven.", "ok")
    except plan_services.PlanError as exc:
        session.rollback()
        flash(exc.message, "warning")
    return redirect(url_for("portaal.toegang_overzicht", _anchor="beroepsgeheim"))


@bp.route("/toegang/andere-regisseur", methods=["POST"])
@burger_required
@verwerking(ZEGGENSCHAP, name="portaal.andere-regisseur")
def andere_regisseur() -> Any:
    toegang = _eigen_toegang()
    form = RegisseurVerzoekForm()
    if toegang.may_comment and form.validate_on_submit():
        services.vraag_andere_regisseur(toegang.plan, actor=_user(), reden=form.reden.data or "")
        flash(
            "Uw verzoek is verstuurd. De gemeente neemt contact met u op over een andere "
            "regisseur.",
            "ok",
        )
        return redirect(url_for("portaal.toegang_overzicht", _anchor="regisseur"))
    if not toegang.may_comment:
        form.form_errors.append("Uw plan is afgesloten. Bel de gemeente als u iets wilt vragen.")
    return _toegang_page(toegang, verzoek_form=form), 422


# --- Mijn gegevens downloaden -----------------------------------------------------------------


@bp.route("/gegevens")
@burger_required
@verwerking(INZAGE, name="portaal.gegevens")
def gegevens() -> Any:
    if services.eigen_plan_id(_user()) is None:
        return weigering("geen-plan")
    return render_template("portaal/gegevens.html", knop=KnopForm())


@bp.route("/gegevens/download", methods=["POST"])
@burger_required
@verwerking(export.VERWERKING, name="portaal.gegevens-downloaden")
def gegevens_download() -> Any:
    toegang = _eigen_toegang()
    form = KnopForm()
    if not form.validate_on_submit():
        abort(400)
    data = export.gegevens(_user(), toegang)
    export.noteer_download(_user(), toegang.plan.id)
    body = json.dumps(data, ensure_ascii=False, indent=2)
    resp = Response(body, mimetype="application/json")
    resp.headers["Content-Disposition"] = (
        f'attachment; filename="mijn-eenplan-{today().isoformat()}.json"'
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


# --- Berichten and basisgegevens (the services of app/berichten and app/inkijk) ---------------


def _berichten_page(form: BerichtForm | None = None) -> Any:
    from app.berichten import services as berichten

    plan_id = services.eigen_plan_id(_user())
    if plan_id is None:
        return weigering("geen-plan")
    kern = access.plan_kern_for(_user(), plan_id)
    current_ledger().set_context("plan", plan_id)
    threads = []
    for gesprek in berichten.gesprekken(_user(), kern):
        items = berichten.berichten(_user(), kern, gesprek)
        if items:
            berichten.markeer_gelezen(gesprek, _user(), items[-1].id)
        threads.append((gesprek, berichten.gesprek_titel(gesprek, kern), items))
    form = form or BerichtForm()
    return render_template(
        "portaal/berichten.html",
        threads=threads,
        form=form,
        kan_schrijven=not kern.is_closed,
        met_iedereen=kern.sees_plan_thread,
    )


@bp.route("/berichten", methods=["GET", "POST"])
@burger_required
@verwerking("berichten", name="portaal.berichten")
def berichten() -> Any:
    """The citizen's secured messages: with the regisseur, and the plan's shared thread."""
    from app.berichten import services as berichten_services

    if request.method == "GET":
        return _berichten_page()
    plan_id = services.eigen_plan_id(_user())
    if plan_id is None:
        abort(404)
    kern = access.plan_kern_for(_user(), plan_id)
    form = BerichtForm()
    if form.validate_on_submit():
        try:
            gesprek = berichten_services.gesprek_openen(kern, _user(), form.met.data or "inwoner")
            session.flush()
            berichten_services.plaats_bericht(
                kern, gesprek, author=_user(), body=form.body.data or ""
            )
        except berichten_services.BerichtError as exc:
            session.rollback()
            form.body.errors = [*form.body.errors, exc.message]
        else:
            flash("Uw bericht is verstuurd.", "ok")
            return redirect(url_for("portaal.berichten"))
    return _berichten_page(form), 422


@bp.route("/signalen")
@burger_required
@verwerking(INZAGE, name="portaal.signalen")
def signalen() -> Any:
    """Signalen over mij (rule 13): every kept signal about the citizen, with its source and
    status, and the weighing (afwegingskader) with every step. Their own data: no log line."""
    from app.signalen.services import afwegingen_voor_inwoner, signalen_over_inwoner

    person_id = _user().person_id
    assert person_id is not None
    return render_template(
        "portaal/signalen.html",
        signalen=signalen_over_inwoner(person_id),
        afwegingen=afwegingen_voor_inwoner(person_id),
        heeft_plan=services.eigen_plan_id(_user()) is not None,
    )


@bp.route("/basisgegevens")
@burger_required
@verwerking(INZAGE, name="portaal.basisgegevens")
def basisgegevens() -> Any:
    """What the inkijk shows about the citizen: who looked into their basic data, the facts
    copied into their plan, and what the sources say now (their own data: nothing logged)."""
    from app.inkijk.services import inkijk_voor_burger

    if services.eigen_plan_id(_user()) is None:
        return weigering("geen-plan")
    person_id = _user().person_id
    assert person_id is not None
    return render_template("portaal/basisgegevens.html", inkijk=inkijk_voor_burger(person_id))
