"""The queue's page (``/signalen/``): the query parameters (filters and page, checked through
:mod:`app.params`: anything else is a 400), one page of groups, and the logboek lines for what
it shows. The query itself is :func:`app.signalen.werkvoorraad.werkvoorraad` (over the summary
table of :mod:`app.signalen.werkvoorraad_groepen`).
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import load_only

from app import params
from app.access.loading import HOUSEHOLD_PERSON
from app.db import session
from app.domain import LEEFGEBIEDEN, Gegevenscategorie
from app.logboek import current_ledger
from app.people.models import Person
from app.signalen.models import SignaalBron
from app.signalen.werkvoorraad import (
    MELDING,
    PER_PAGINA,
    URGENTIES,
    Filter,
    actieve_regels,
    werkvoorraad,
)

# Pages beyond this hold nothing (an offset every backend takes).
MAX_PAGINA = 1_000_000


def filter_uit_adres(bronnen: list[SignaalBron], regel_codes: list[str]) -> Filter:
    """The filter from the query string; a value that is not one of the choices: 400."""
    params.args()  # a parameter given twice: 400
    urgentie = params.choice("urgentie", ["", *(str(u) for u in URGENTIES)], "")
    bron = params.choice("bron", ["", MELDING, *(b.code for b in bronnen)], "")
    regel = params.choice("regel", ["", *regel_codes], "")
    domein = params.choice("domein", ["", *LEEFGEBIEDEN], "")
    return Filter(
        urgentie=int(urgentie) if urgentie else None,
        bron=bron or None,
        regel=regel or None,
        domein=domein or None,
    )


def toon() -> Any:
    bronnen = list(session.scalars(select(SignaalBron).order_by(SignaalBron.naam)))
    regels = actieve_regels()
    filt = filter_uit_adres(bronnen, [r.code for r in regels])
    pagina = params.integer("pagina", 1, maximum=MAX_PAGINA)
    assert pagina is not None
    resultaat = werkvoorraad(filt, pagina=pagina, per_pagina=PER_PAGINA, regels=regels)
    if pagina > resultaat.paginas:
        n = resultaat.paginas
        params.bad(
            "pagina",
            _("er is maar 1 pagina.") if n == 1 else _("er zijn maar %(n)s pagina's.", n=n),
        )
    person_ids = {pid for g in resultaat.groepen for pid in g.person_ids}
    personen = {
        p.id: p
        for p in session.scalars(
            select(Person)
            .where(Person.id.in_(person_ids))
            .options(load_only(*HOUSEHOLD_PERSON, raiseload=True))
        )
    }
    # The rows show the outside of these people's signals (counts, sources, domains, dates):
    # with their names (loaded above, ``naw``) one view line per person. Groups not yet matched
    # show no one's identity (no BSN, no name): nothing to write about whom.
    if person_ids:
        current_ledger().note_view(
            categories={Gegevenscategorie.SIGNALEN},
            refs=[("person", pid) for pid in sorted(person_ids)],
        )
    return render_template(
        "signalen/werkvoorraad.html",
        resultaat=resultaat,
        groepen=resultaat.groepen,
        personen=personen,
        filter=filt,
        keuzes={
            "urgentie": [("", _("Alle urgenties"))] + [(str(u), t) for u, t in URGENTIES.items()],
            "bron": [("", _("Alle bronnen")), (MELDING, _("Melding via het formulier"))]
            + [(b.code, b.naam) for b in bronnen],
            "regel": [("", _("Alle regels"))] + [(r.code, r.naam) for r in regels],
            "domein": [("", _("Alle leefgebieden")), *LEEFGEBIEDEN.items()],
        },
        urgenties=URGENTIES,
        melding=MELDING,
        leefgebieden=LEEFGEBIEDEN,
    )
