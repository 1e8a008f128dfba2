"""The pages of the management information (``/sturing``): caseload, signal funnel, time to
help, cooperation (teamleider: their team; beleid: the municipality) and privacy (beleid and the
privacy officer). Every page and CSV reads only the stored aggregates; nothing about a person is
shown, so no logboek lines are written (the processing activity is *sturingsinformatie*).
Default deny: any other role gets 403."""

from __future__ import annotations

import csv
import io
from functools import cache
from typing import Any

from flask import Blueprint, Response, abort, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import params
from app.access import guard
from app.clock import today
from app.db import session
from app.domain import LEEFGEBIEDEN, Rol, Verwerkingsactiviteit
from app.organisations.models import Organisation
from app.register import seed_entries
from app.signalen.models import SignaalBron
from app.sturing.bijwerken import MELDER_BRON, maand_van, maanden
from app.sturing.models import SturingBijwerking
from app.sturing.paginas import MELDER_LABEL, PAGINAS
from app.sturing.tabellen import Filter, Tabel, drempel
from app.users.models import User, UserRole

bp = Blueprint("sturing", __name__, url_prefix="/sturing")

STURING = Verwerkingsactiviteit.STURING
TEAM_PAGINAS = ("caseload", "signalen", "tijd", "samenwerking")
TEAM_ROLLEN = (Rol.TEAMLEIDER, Rol.BELEID)
PRIVACY_ROLLEN = (Rol.BELEID, Rol.PRIVACY_OFFICER)
MAX_MAANDEN = 60
FILTER_PARAMS = ("periode", "van", "tot", "team", "organisatie", "domein", "bron")
_PAGINA = "<any(caseload, signalen, tijd, samenwerking):naam>"


def _user() -> User:
    return current_user._get_current_object()


def _maand(naam: str, standaard: str) -> str:
    waarde = params.text(naam, max_length=7)
    if waarde is None:
        return standaard
    if len(waarde) != 7 or waarde[4] != "-" or not (waarde[:4] + waarde[5:]).isdigit():
        params.bad(naam, _("een maand als JJJJ-MM."))
    if not 1 <= int(waarde[5:]) <= 12 or not 2000 <= int(waarde[:4]) <= 2100:
        params.bad(naam, _("een maand als JJJJ-MM."))
    return waarde


def _terug(maand: str, aantal: int) -> str:
    totaal = int(maand[:4]) * 12 + int(maand[5:]) - 1 - aantal
    return f"{totaal // 12:04d}-{totaal % 12 + 1:02d}"


@cache
def _verwerkingen() -> dict[str, str]:
    return {e["key"]: e["name"] for e in seed_entries()}


def _bronlabels() -> dict[str, str]:
    rows = session.execute(select(SignaalBron.code, SignaalBron.naam).order_by(SignaalBron.naam))
    return {MELDER_BRON: str(MELDER_LABEL), **{r.code: r.naam for r in rows}}


def _teams() -> list[tuple[int, str]]:
    """Organisations with regisseurs: the teams a beleid user can choose."""
    stmt = (
        select(Organisation.id, Organisation.name)
        .join(User, User.organisation_id == Organisation.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Rol.REGISSEUR)
        .distinct()
        .order_by(Organisation.name)
    )
    return [(r.id, r.name) for r in session.execute(stmt)]


def _organisaties() -> list[tuple[int, str]]:
    stmt = select(Organisation.id, Organisation.name).order_by(Organisation.name)
    return [(r.id, r.name) for r in session.execute(stmt)]


def _filter(user: User, *, privacy: bool = False) -> tuple[Filter, dict[str, str]]:
    """The filter from the address, and the errors of the filter form (named per field)."""
    periode = params.choice("periode", ("maand", "kwartaal"), "maand")
    tot = _maand("tot", maand_van(today()))
    standaard_van = _terug(tot, 11)
    if periode == "kwartaal":
        standaard_van = _terug(tot, 9 + (int(tot[5:]) - 1) % 3)
    van = _maand("van", standaard_van)
    fouten: dict[str, str] = {}
    if van > tot:
        fouten["van"] = _("De eerste maand ligt na de laatste; de standaardperiode staat er nu.")
        van = standaard_van if standaard_van <= tot else tot
    if len(maanden(van, tot)) > MAX_MAANDEN:
        fouten["van"] = _("Kies hooguit %(n)s maanden.", n=MAX_MAANDEN)
        van = _terug(tot, MAX_MAANDEN - 1)
    team = params.integer("team", 0, minimum=0) or 0
    if privacy or not user.has_role(Rol.BELEID):
        # A teamleider sees their own team only; the privacy section is municipality-wide.
        eigen = 0 if privacy else (user.organisation_id or -1)
        if team not in (0, eigen):
            params.bad("team", _("u ziet alleen de cijfers van uw eigen team."))
        team = eigen
    organisatie = params.integer("organisatie")
    domein = params.text("domein", max_length=40)
    bron = params.text("bron", max_length=40)
    if domein is not None and domein not in LEEFGEBIEDEN:
        params.bad("domein", _("geen bekend leefgebied."))
    if bron is not None and bron not in _bronlabels():
        params.bad("bron", _("geen bekende bron."))
    gekozen = [
        (d, str(w))
        for d, w in (("organisatie", organisatie), ("domein", domein), ("bron", bron))
        if w
    ]
    dim, dim_waarde = gekozen[0] if len(gekozen) == 1 else ("", "")
    if len(gekozen) > 1:
        fouten["organisatie"] = _(
            "Kies één van organisatie, leefgebied of bron; de tabellen tonen nu alles."
        )
    return Filter(periode, van, tot, team, dim, dim_waarde), fouten


def _context(
    naam: str, filt: Filter, fouten: dict[str, str], tabellen: list[Tabel]
) -> dict[str, Any]:
    user = _user()
    stand = session.get(SturingBijwerking, 1)
    return {
        "naam": naam,
        "titel": PAGINAS[naam][0],
        "paginas": _zichtbare_paginas(user),
        "filter": filt,
        "fouten": fouten,
        "tabellen": tabellen,
        "stand": stand,
        "drempel": drempel(),
        "beleid": user.has_role(Rol.BELEID),
        "teams": _teams() if user.has_role(Rol.BELEID) else [],
        "organisaties": _organisaties(),
        "leefgebieden": LEEFGEBIEDEN,
        "bronnen": _bronlabels(),
        "args": {k: v for k, v in params.args().items() if k in FILTER_PARAMS and v},
    }


def _zichtbare_paginas(user: User) -> list[tuple[str, object]]:
    out = []
    for naam, (titel, _bouwer) in PAGINAS.items():
        if naam == "privacy":
            if user.has_role(*PRIVACY_ROLLEN):
                out.append((naam, titel))
        elif user.has_role(*TEAM_ROLLEN):
            out.append((naam, titel))
    return out


def _tabellen(naam: str, filt: Filter) -> list[Tabel]:
    bouwer = PAGINAS[naam][1]
    labels = _verwerkingen() if naam == "privacy" else _bronlabels()
    return bouwer(filt, labels)


def _csv(tabel: Tabel) -> Response:
    uit = io.StringIO()
    schrijver = csv.writer(uit, delimiter=";")
    schrijver.writerow([tabel.kop, *tabel.kolommen])
    for label, cellen, _totaal in tabel.rijen:
        schrijver.writerow([label, *cellen])
    if tabel.noot:
        schrijver.writerow([])
        schrijver.writerow([tabel.noot])
    return Response(
        "\ufeff" + uit.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{tabel.naam}.csv"'},
    )


def _een(tabellen: list[Tabel], tabel: str) -> Tabel:
    for t in tabellen:
        if t.naam == tabel:
            return t
    abort(404)


@bp.route("/")
@guard(roles=[*TEAM_ROLLEN, Rol.PRIVACY_OFFICER], verwerking=STURING, name="sturing.bekijken")
def overzicht() -> str:
    return render_template(
        "sturing/overzicht.html",
        paginas=_zichtbare_paginas(_user()),
        stand=session.get(SturingBijwerking, 1),
        drempel=drempel(),
    )


@bp.route(f"/{_PAGINA}")
@guard(roles=TEAM_ROLLEN, verwerking=STURING, name="sturing.bekijken")
def pagina(naam: str) -> str:
    filt, fouten = _filter(_user())
    return render_template(
        "sturing/pagina.html", **_context(naam, filt, fouten, _tabellen(naam, filt))
    )


@bp.route(f"/{_PAGINA}/<tabel>.csv")
@guard(roles=TEAM_ROLLEN, verwerking=STURING, name="sturing.downloaden")
def csv_download(naam: str, tabel: str) -> Response:
    filt, _fouten = _filter(_user())
    return _csv(_een(_tabellen(naam, filt), tabel))


@bp.route("/privacy")
@guard(roles=PRIVACY_ROLLEN, verwerking=STURING, name="sturing.bekijken")
def privacy() -> str:
    filt, fouten = _filter(_user(), privacy=True)
    return render_template(
        "sturing/pagina.html", **_context("privacy", filt, fouten, _tabellen("privacy", filt))
    )


@bp.route("/privacy/<tabel>.csv")
@guard(roles=PRIVACY_ROLLEN, verwerking=STURING, name="sturing.downloaden")
def privacy_csv(tabel: str) -> Response:
    filt, _fouten = _filter(_user(), privacy=True)
    return _csv(_een(_tabellen("privacy", filt), tabel))
