"""The privacy officer's screens (Logboekcontrole): search the logboek, see indicators of misuse,
review lines and cases.

The privacy officer sees the logboek — who looked at which person's data, when and why — never
the plans themselves. Every screen that shows lines about a person logs that reading, one line
per person (``toezicht-logboek``, category ``logboek``, see :mod:`app.logboek.reading`). Persons
appear only as their logboek pseudonym; a BSN is typed into a POST form and never lands in a URL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import access, params
from app.access import NotAllowed, guard
from app.clock import TZ, today
from app.db import session
from app.domain import Rol, Verwerkingsactiviteit
from app.logboek import current_logboek, read_lines, read_lines_by_seq
from app.organisations.models import Organisation
from app.people.services import normalise_bsn
from app.privacy import indicatoren_opslag, indicators, services, weigeringen
from app.privacy.forms import BeoordelingForm, PeriodeForm, ZaakForm, ZoekForm
from app.users import medewerkers
from app.users.models import User
from audit import LineFilter, LogLine, Subject

bp = Blueprint("privacy", __name__, url_prefix="/privacy")

TOEZICHT = Verwerkingsactiviteit.TOEZICHT
PAGE_SIZE = 50
MAX_AANDACHTSPUNTEN = 200


def _logboek(user: User, args: dict[str, Any]) -> access.LogboekToegang:
    """The guard's resolver: the whole logboek, as the privacy officer may read it."""
    toegang = access.logboek_regels_voor(user)
    if toegang is None or not toegang.alles:  # pragma: no cover - the role check came first
        raise NotAllowed
    return toegang


def _local_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), TZ).astimezone(dt.UTC)


MAX_KANDIDATEN = 25


def _kies_medewerker(form: ZoekForm, *, formulier: bool) -> list[medewerkers.Medewerker]:
    """Settle which staff member the search is about, from the typed text and the chosen id.

    Returns the staff members to choose among when the text fits several (nothing is searched
    then; a search of the offered list without a choice is an error on the choice). A staff
    member's id stands while the text still fits them, and without text only from a link or
    the next page (``formulier`` False): emptying the field in the form drops them. An actor id
    that is no staff member stands without text (the page says whose lines these are). When the
    text fits exactly one, that one is chosen; when it fits none, the text field says so."""
    tekst, gekozen = form.medewerker.data or "", form.gebruiker.data or ""
    if gekozen:
        bekend = medewerkers.met_id(gekozen)
        if bekend is None and not tekst:
            return []
        if bekend is not None and (bekend.past_bij(tekst) if tekst else not formulier):
            form.gebruiker.data = str(bekend.id)  # the field names whom the lines are of
            form.medewerker.data = bekend.naam
            return []
        form.gebruiker.data = ""  # the text was changed or emptied since the choice
    if not tekst:
        return []
    gevonden = medewerkers.zoek(tekst, MAX_KANDIDATEN + 1)
    if not gevonden:
        form.medewerker.errors = [
            _("Geen medewerker gevonden. Typ een deel van de naam of de gebruikersnaam.")
        ]
        return []
    if len(gevonden) == 1:
        form.gebruiker.data = str(gevonden[0].id)
        form.medewerker.data = gevonden[0].naam
        return []
    form.gebruiker.choices = [(str(m.id), _kandidaat_label(m)) for m in gevonden[:MAX_KANDIDATEN]]
    if form.kiezen.data == tekst:  # this list was offered, and Zoeken pressed without a choice
        form.gebruiker.errors = [_("Kies een van deze medewerkers, of typ meer van de naam.")]
    form.kiezen.data = tekst
    return gevonden


def _kandidaat_label(m: medewerkers.Medewerker) -> str:
    waar = f"{m.organisatie}, {m.gebruikersnaam}" if m.organisatie else m.gebruikersnaam
    label = f"{m.naam} ({waar})"
    return label if m.actief else _("%(label)s, niet meer actief", label=label)


def _organisation_choices() -> list[tuple[str, str]]:
    orgs = session.scalars(select(Organisation).order_by(Organisation.name)).all()
    return [("", _("Alle organisaties"))] + [(str(o.id), o.name) for o in orgs]


def _activity_choices() -> list[tuple[str, str]]:
    current = current_logboek().register.current(session.connection())
    return [("", _("Alle verwerkingsactiviteiten"))] + [(v.key, v.name) for v in current]


def _regel_context(lines: list[LogLine]) -> dict[str, Any]:
    """What a list of lines shows besides the lines: indicators and reviews per line."""
    return {
        "signalen": indicators.per_regel(lines),
        "beoordelingen": services.beoordelingen_per_regel(line.seq for line in lines),
        "soorten": indicators.SOORTEN,
    }


# --- overview: indicators -------------------------------------------------------------------


@bp.route("/")
@guard(
    roles=[Rol.PRIVACY_OFFICER],
    verwerking=TOEZICHT,
    name="logboekcontrole.overzicht",
    resolve=_logboek,
)
def overzicht(toegang: access.LogboekToegang) -> Any:
    toon = params.choice("toon", ("open", "alle"), "open")
    form = PeriodeForm(formdata=params.args())
    if not form.validate():  # a date that is no date: the user asked for a period we cannot show
        bad = next(name for name, errors in form.errors.items() if errors)
        params.bad(bad, form.errors[bad][0])
    tot = form.tot.data or today()
    van = form.van.data or tot - dt.timedelta(days=6)
    if van > tot:
        van, tot = tot, van
    form.van.data, form.tot.data = van, tot
    # Days computed by `flask privacy indicatoren` come from the store (today as far as its
    # last run went, while that run is recent); the others from the lines
    # (app/privacy/indicatoren_opslag.py).
    resultaat = indicatoren_opslag.overzicht(
        van, tot, alleen_open=toon == "open", maximum=MAX_AANDACHTSPUNTEN
    )
    # Probing: many refused look-ups (404s) by one user on one day (issue 16 #12).
    pogingen = weigeringen.uitschieters(_local_start(van), _local_start(tot + dt.timedelta(days=1)))
    punten = resultaat.punten
    return render_template(
        "privacy/overzicht.html",
        form=form,
        resultaat=resultaat,
        punten=punten[:MAX_AANDACHTSPUNTEN],
        meer=len(punten) > MAX_AANDACHTSPUNTEN,
        toon=toon,
        soorten=indicators.SOORTEN,
        uitleg=indicators.SOORT_UITLEG,
        pogingen=pogingen,
        drempel=weigeringen.drempel(),
        max_regels=services.MAX_REGELS_PER_ZAAK,
        van=van,
        tot=tot,
    )


# --- search ---------------------------------------------------------------------------------


@bp.route("/logboek", methods=["GET", "POST"])
@guard(
    roles=[Rol.PRIVACY_OFFICER],
    verwerking=TOEZICHT,
    name="logboekcontrole.zoeken",
    resolve=_logboek,
)
def zoeken(toegang: access.LogboekToegang) -> Any:
    if request.method == "GET":
        away = params.out_of_the_address(
            {
                "bsn": _("Zoek op BSN met het formulier: een BSN hoort niet in de adresbalk."),
                "medewerker": _(
                    "Zoek op naam met het formulier: een naam hoort niet in de adresbalk."
                ),
            },
            "privacy.zoeken",
        )
        if away is not None:
            return away
        form = ZoekForm(formdata=params.args())
    else:
        form = ZoekForm()
    form.organisatie.choices = _organisation_choices()
    form.verwerking.choices = _activity_choices()
    submitted = request.method == "POST" or bool(params.args())
    page = None
    status = 200
    kandidaten: list[medewerkers.Medewerker] = []
    if submitted:
        if not form.validate():
            status = 422
        elif (
            kandidaten := _kies_medewerker(
                form, formulier=request.method == "POST" and not form.voor.data
            )
        ) or form.medewerker.errors:
            status = 422 if form.medewerker.errors or form.gebruiker.errors else 200
        elif not form.has_criteria():
            form.form_errors.append(_("Kies minstens één zoekcriterium."))
            status = 422
        else:
            page = read_lines(
                toegang,
                _filter(form),
                limit=PAGE_SIZE,
                before_seq=int(form.voor.data) if form.voor.data else None,
            )
    context = _regel_context(page.lines) if page else {}
    return render_template(
        "privacy/zoeken.html",
        form=form,
        page=page,
        submitted=submitted,
        kandidaten=kandidaten,
        meer_kandidaten=len(kandidaten) > MAX_KANDIDATEN,
        **context,
    ), status


def _filter(form: ZoekForm) -> LineFilter:
    persoon = form.persoon.data or None
    if form.bsn.data:
        persoon = current_logboek().pseudonymise(Subject("BSN", normalise_bsn(form.bsn.data)))
    organisatie = None
    if form.organisatie.data:
        org = session.get(Organisation, int(form.organisatie.data))
        organisatie = org.name if org else "-"
    return LineFilter(
        data_subject_id=persoon,
        trace_id=form.trace.data or None,
        span_id=form.span.data or None,
        processing_activity_id=form.verwerking.data or None,
        actor_id=form.gebruiker.data or None,
        actor_organisation=organisatie,
        since=_local_start(form.van.data) if form.van.data else None,
        until=_local_start(form.tot.data + dt.timedelta(days=1)) if form.tot.data else None,
        emergency_only=bool(form.noodtoegang.data),
    )


# --- one line -------------------------------------------------------------------------------


def _render_regel(
    toegang: access.LogboekToegang, seq: int, form: BeoordelingForm, status: int = 200
) -> Any:
    lines = read_lines_by_seq(toegang, [seq])
    if not lines:
        abort(404)
    line = lines[0]
    return render_template(
        "privacy/regel.html",
        line=line,
        form=form,
        signalen=indicators.per_regel(lines).get(seq, []),
        soorten=indicators.SOORTEN,
        beoordelingen=services.beoordelingen_van_regel(seq),
    ), status


@bp.route("/regels/<int:seq>")
@guard(
    roles=[Rol.PRIVACY_OFFICER], verwerking=TOEZICHT, name="logboekcontrole.regel", resolve=_logboek
)
def regel(seq: int, toegang: access.LogboekToegang) -> Any:
    return _render_regel(toegang, seq, BeoordelingForm(formdata=None))


@bp.route("/regels/<int:seq>/beoordelen", methods=["POST"])
@guard(
    roles=[Rol.PRIVACY_OFFICER],
    verwerking=TOEZICHT,
    name="logboekcontrole.regel.beoordelen",
    resolve=_logboek,
)
def regel_beoordelen(seq: int, toegang: access.LogboekToegang) -> Any:
    if not services.bestaande_regels([seq]):
        abort(404)
    form = BeoordelingForm()
    if form.validate_on_submit():
        try:
            services.beoordeel(
                [seq],
                conclusie=form.conclusie.data or "",
                toelichting=form.toelichting.data or "",
                door=current_user._get_current_object(),
            )
            flash(_("De beoordeling is vastgelegd."), "ok")
            return redirect(url_for("privacy.regel", seq=seq))
        except services.BeoordelingError as exc:
            form.form_errors.append(exc.message)
    return _render_regel(toegang, seq, form, 422)


# --- a case: the lines of one indicator -----------------------------------------------------


@bp.route("/zaak", methods=["GET", "POST"])
@guard(
    roles=[Rol.PRIVACY_OFFICER], verwerking=TOEZICHT, name="logboekcontrole.zaak", resolve=_logboek
)
def zaak(toegang: access.LogboekToegang) -> Any:
    if request.method == "GET":
        soort = params.choice("soort", indicators.SOORTEN, "")
        seqs = params.integers(
            "regels", max_items=services.MAX_REGELS_PER_ZAAK, maximum=params.MAX_SEQ
        )
    else:
        soort = request.form.get("soort", "")
        if soort not in indicators.SOORTEN:
            abort(404)
        seqs = _seqs(request.form.get("regels"))
    form = ZaakForm(formdata=None if request.method == "GET" else request.form)
    if request.method == "GET":
        form.soort.data, form.regels.data = soort, ",".join(map(str, seqs))
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                services.beoordeel(
                    seqs,
                    conclusie=form.conclusie.data or "",
                    toelichting=form.toelichting.data or "",
                    door=current_user._get_current_object(),
                    aandachtspunt=soort,
                )
                flash(
                    _("De beoordeling is vastgelegd voor alle regels van dit aandachtspunt."), "ok"
                )
                return redirect(url_for("privacy.overzicht"))
            except services.BeoordelingError as exc:
                form.form_errors.append(exc.message)
        status = 422
    lines = read_lines_by_seq(toegang, seqs)
    if not lines:
        abort(404)
    return render_template(
        "privacy/zaak.html",
        form=form,
        soort=soort,
        label=indicators.SOORTEN[soort],
        uitleg=indicators.SOORT_UITLEG[soort],
        lines=lines,
        **_regel_context(lines),
    ), status


def _seqs(value: str | None) -> list[int]:
    """The case's lines as the form posts them back (the GET link is read by app.params)."""
    try:
        seqs = sorted({int(v) for v in (value or "").split(",") if v.strip()})
    except ValueError:
        abort(404)
    if (
        not seqs
        or len(seqs) > services.MAX_REGELS_PER_ZAAK
        or not 1 <= seqs[0] <= seqs[-1] <= params.MAX_SEQ
    ):
        abort(404)
    return seqs


# --- reviews --------------------------------------------------------------------------------


@bp.route("/beoordelingen")
@guard(roles=[Rol.PRIVACY_OFFICER], resolve=_logboek)
def beoordelingen(toegang: access.LogboekToegang) -> Any:
    return render_template(
        "privacy/beoordelingen.html",
        beoordelingen=services.recente_beoordelingen(),
        soorten=indicators.SOORTEN,
    )
