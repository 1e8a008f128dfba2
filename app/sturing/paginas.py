"""The tables (and charts) of each page of the management information, from the stored
aggregates only. What each figure counts: docs/sturing.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain import PLAN_BASIS_LABELS, SIGNAAL_CATEGORIEEN, PlanBasis
from app.signalen.uitstel import REDENEN as UITSTEL_REDENEN
from app.sturing import grafiek
from app.sturing.bijwerken import LAST_GRENZEN, MAX_ORGANISATIES, last_emmer
from app.sturing.tabellen import (
    Cijfers,
    Filter,
    Reeks,
    Tabel,
    aantal_getal,
    aantal_tekst,
    drempel,
    gemiddelde,
    percentiel,
    statistiek,
    telling,
)

NIET_UIT_TE_SPLITSEN = _l(
    "Deze tabel is niet uit te splitsen naar organisatie, leefgebied of bron; "
    "hij toont alle plannen van de gekozen groep."
)
BASISSEN = [b.value for b in PlanBasis]
TRECHTER = (
    ("ontvangen", _l("Signalen ontvangen")),
    ("gekoppeld", _l("Signalen samengevoegd in een afweging")),
    ("afweging", _l("Afwegingen geopend (huishoudens)")),
    ("gewogen", _l("Gewogen: stap 2 beantwoord")),
    ("stap2_ja", _l("Stap 2: ja, hulpvraag op twee of meer leefgebieden")),
    ("stap3_ja", _l("Stap 3: ja, integrale aanpak nodig")),
    ("plan", _l("Plan gemaakt")),
)
TIJDEN = (
    ("stap", _l("Van signaal tot eerste afwegingsstap")),
    ("plan", _l("Van signaal tot plan")),
    ("activiteit", _l("Van signaal tot eerste activiteit")),
)
VRAAG_STATUSSEN = (
    ("op_tijd", _l("Op tijd beantwoord")),
    ("te_laat", _l("Te laat beantwoord")),
    ("verlopen", _l("Niet beantwoord, termijn voorbij")),
    ("open", _l("Nog open")),
)
MELDER_LABEL = _l("Melding via het webformulier")


def _basis_labels() -> list[str]:
    return [PLAN_BASIS_LABELS[PlanBasis(b)] for b in BASISSEN]


def _perioden_totaal(t: Tabel, kolom: int) -> list[int | float | None]:
    """The numbers of one column, without the total row."""
    rijen = t.getallen[:-1] if t.rijen and t.rijen[-1][2] else t.getallen
    return [r[kolom] for r in rijen]


def caseload(f: Filter, bronlabels: dict[str, str]) -> list[Tabel]:
    c = Cijfers(f, ("plan_nieuw", "plan_gesloten", "plan_open"))
    last = Cijfers(f, ("regisseur_last",), met_dim=False)
    perioden = f.perioden()
    labels = [p.label for p in perioden]
    tabellen = []
    for figuur, naam, titel in (
        ("plan_nieuw", "nieuwe-plannen", _("Nieuwe plannen")),
        ("plan_gesloten", "afgesloten-plannen", _("Afgesloten plannen")),
    ):
        t = telling(
            naam,
            titel,
            _("Periode"),
            labels,
            _basis_labels(),
            [[c.som(figuur, p.maanden, b) for b in BASISSEN] for p in perioden],
            rijtotalen=True,
            kolomtotalen=True,
        )
        tabellen.append(t)
    if tabellen[0].getallen:
        k = len(BASISSEN)
        tabellen[0].grafiek = grafiek.lijn(
            _("Nieuwe en afgesloten plannen per periode"),
            labels,
            [
                Reeks(_("Nieuw"), _perioden_totaal(tabellen[0], k)),
                Reeks(_("Afgesloten"), _perioden_totaal(tabellen[1], k)),
            ],
            _("verborgen"),
        )
    open_ = telling(
        "open-plannen",
        _("Open plannen aan het eind van de periode"),
        _("Periode"),
        labels,
        _basis_labels(),
        [[c.som("plan_open", (p.laatste,), b) for b in BASISSEN] for p in perioden],
        rijtotalen=True,
        kolomtotalen=False,
    )
    if open_.getallen:
        open_.grafiek = grafiek.lijn(
            open_.titel,
            labels,
            [Reeks(_("Open plannen"), [r[-1] for r in open_.getallen])],
            _("verborgen"),
        )
    tabellen.append(open_)
    alle = [m for p in perioden for m in p.maanden]
    rijen = []
    for b, label in [*zip(BASISSEN, _basis_labels(), strict=True), (None, _("Alle plannen"))]:
        v = c.verdeling("plan_gesloten", alle, b)
        n = sum(a for _w, a in v)
        rijen.append((label, [aantal_tekst(n), statistiek(gemiddelde(v), n, 1)[0]], False))
    tabellen.append(
        Tabel(
            "duur",
            _("Gemiddelde duur van de afgesloten plannen (dagen)"),
            _("Basis"),
            [_("Afgesloten"), _("Gemiddelde duur in dagen")],
            rijen,
        )
    )
    emmers = [last_emmer(lo) for lo, _hi in LAST_GRENZEN]
    laatste = perioden[-1].laatste if perioden else f.tot
    verdeling = telling(
        "regisseurs",
        _("Open plannen per regisseur: hoeveel regisseurs hebben er zoveel"),
        _("Open plannen"),
        emmers,
        [_("Regisseurs")],
        [[last.som("regisseur_last", (laatste,), e)] for e in emmers],
        rijtotalen=False,
        kolomtotalen=True,
        noot=NIET_UIT_TE_SPLITSEN if f.dim else None,
    )
    if verdeling.getallen:
        verdeling.grafiek = grafiek.staaf(
            verdeling.titel,
            emmers,
            [r[0] for r in verdeling.getallen[:-1]],
            [r[1][0] for r in verdeling.rijen[:-1]],
        )
    tabellen.append(verdeling)
    return tabellen


def signalen(f: Filter, bronlabels: dict[str, str]) -> list[Tabel]:
    c = Cijfers(f, ("trechter", "signaal_ontvangen", "signaal_termijn", "afweging_heropend"))
    perioden = f.perioden()
    labels = [p.label for p in perioden]
    trechter = telling(
        "trechter",
        _("Van signaal tot plan"),
        _("Stap"),
        [str(label) for _k, label in TRECHTER],
        labels,
        [[c.som("trechter", p.maanden, k) for p in perioden] for k, _label in TRECHTER],
        rijtotalen=True,
        kolomtotalen=False,
        noot=_(
            "Signalen tellen in de maand waarin ze binnenkwamen, afwegingen in de maand "
            "waarin ze werden geopend."
        ),
    )
    if trechter.getallen:
        trechter.grafiek = grafiek.staaf(
            _("Van signaal tot plan, over de hele periode"),
            [str(label) for _k, label in TRECHTER],
            [r[-1] for r in trechter.getallen],
            [r[1][-1] for r in trechter.rijen],
        )
    bronnen = c.sleutels("signaal_ontvangen")
    soorten = c.sleutels("signaal_ontvangen", "sleutel2")
    alle = [m for p in perioden for m in p.maanden]
    per_bron = telling(
        "bron-en-soort",
        _("Ontvangen signalen per bron en soort"),
        _("Bron"),
        [bronlabels.get(b, b) for b in bronnen],
        [SIGNAAL_CATEGORIEEN.get(s, s) for s in soorten],
        [[c.som("signaal_ontvangen", alle, b, s) for s in soorten] for b in bronnen],
        rijtotalen=True,
        kolomtotalen=True,
    )
    overig = telling(
        "termijn-en-heropend",
        _("Verwijderd door de bewaartermijn en heropende afwegingen"),
        _("Periode"),
        labels,
        [_("Signalen verwijderd door de termijn"), _("Afwegingen heropend")],
        [
            [c.som("signaal_termijn", p.maanden), c.som("afweging_heropend", p.maanden)]
            for p in perioden
        ],
        rijtotalen=False,
        kolomtotalen=True,
    )
    return [trechter, per_bron, overig]


def tijd(f: Filter, bronlabels: dict[str, str]) -> list[Tabel]:
    c = Cijfers(f, ("tijd",))
    perioden = f.perioden()
    alle = [m for p in perioden for m in p.maanden]
    rijen = []
    for k, label in TIJDEN:
        v = c.verdeling("tijd", alle, k)
        n = sum(a for _w, a in v)
        rijen.append(
            (
                str(label),
                [
                    aantal_tekst(n),
                    statistiek(percentiel(v, 0.5), n)[0],
                    statistiek(percentiel(v, 0.9), n)[0],
                ],
                False,
            )
        )
    overzicht = Tabel(
        "tijd-tot-hulp",
        _("Tijd tot hulp over de hele periode (dagen)"),
        _("Van … tot …"),
        [_("Aantal"), _("Mediaan"), _("90e percentiel")],
        rijen,
        _(
            "Een mediaan of percentiel over minder dan %(n)s huishoudens wordt niet getoond.",
            n=drempel(),
        ),
    )
    kolommen = []
    for _k, label in TIJDEN:
        kolommen += [_("%(meting)s: aantal", meting=label), _("%(meting)s: mediaan", meting=label)]
    per_periode_rijen = []
    getallen: list[list[int | float | None]] = []
    for p in perioden:
        cellen, nummers = [], []
        for k, _label in TIJDEN:
            v = c.verdeling("tijd", p.maanden, k)
            n = sum(a for _w, a in v)
            tekst_, getal = statistiek(percentiel(v, 0.5), n)
            cellen += [aantal_tekst(n), tekst_]
            nummers += [aantal_getal(n), getal]
        per_periode_rijen.append((p.label, cellen, False))
        getallen.append(nummers)
    per_periode = Tabel(
        "mediaan-per-periode",
        _("Mediaan per periode (dagen)"),
        _("Periode"),
        kolommen,
        per_periode_rijen,
        getallen=getallen,
    )
    if perioden:
        per_periode.grafiek = grafiek.lijn(
            per_periode.titel,
            [p.label for p in perioden],
            [
                Reeks(str(label), [r[2 * i + 1] for r in getallen])
                for i, (_k, label) in enumerate(TIJDEN)
            ],
            _("niet getoond"),
        )
    return [overzicht, per_periode]


def samenwerking(f: Filter, bronlabels: dict[str, str]) -> list[Tabel]:
    c = Cijfers(f, ("plan_organisaties", "activiteit_open", "activiteit_verlopen", "vraag"))
    perioden = f.perioden()
    labels = [p.label for p in perioden]
    laatste = perioden[-1].laatste if perioden else f.tot
    aantallen = [str(i) for i in range(MAX_ORGANISATIES + 1)]
    orgs = telling(
        "organisaties-per-plan",
        _("Betrokken organisaties per open plan, aan het eind van de periode"),
        _("Organisaties"),
        [*aantallen[:-1], f"{MAX_ORGANISATIES}+"],
        [_("Plannen")],
        [[c.som("plan_organisaties", (laatste,), a)] for a in aantallen],
        rijtotalen=False,
        kolomtotalen=True,
    )
    if orgs.getallen:
        orgs.grafiek = grafiek.staaf(
            orgs.titel,
            [r[0] for r in orgs.rijen[:-1]],
            [r[0] for r in orgs.getallen[:-1]],
            [r[1][0] for r in orgs.rijen[:-1]],
        )
    activiteiten = telling(
        "activiteiten-over-de-einddatum",
        _("Lopende activiteiten en activiteiten over de einddatum, aan het eind van de periode"),
        _("Periode"),
        labels,
        [_("Lopend"), _("Over de einddatum")],
        [
            [c.som("activiteit_open", (p.laatste,)), c.som("activiteit_verlopen", (p.laatste,))]
            for p in perioden
        ],
        rijtotalen=False,
        kolomtotalen=False,
    )
    if activiteiten.getallen:
        activiteiten.grafiek = grafiek.lijn(
            activiteiten.titel,
            labels,
            [
                Reeks(_("Lopend"), [r[0] for r in activiteiten.getallen]),
                Reeks(_("Over de einddatum"), [r[1] for r in activiteiten.getallen]),
            ],
            _("verborgen"),
        )
    vragen = telling(
        "datinformatie-vragen",
        _("Vragen om dát-informatie aan organisaties, naar de maand waarin ze gesteld zijn"),
        _("Periode"),
        labels,
        [str(label) for _k, label in VRAAG_STATUSSEN],
        [[c.som("vraag", p.maanden, k) for k, _label in VRAAG_STATUSSEN] for p in perioden],
        rijtotalen=True,
        kolomtotalen=True,
    )
    return [orgs, activiteiten, vragen]


def privacy(f: Filter, activiteiten: dict[str, str]) -> list[Tabel]:
    noot = NIET_UIT_TE_SPLITSEN if f.dim or f.team else None
    f = replace(f, team=0)  # stored for the whole municipality only
    c = Cijfers(f, ("logregels", "logregels_beoordeeld", "logvraag", "uitstel"), met_dim=False)
    perioden = f.perioden()
    labels = [p.label for p in perioden]
    keys = c.sleutels("logregels")
    regels = telling(
        "logregels",
        _("Logregels per verwerkingsactiviteit"),
        _("Verwerkingsactiviteit"),
        [activiteiten.get(k, k) for k in keys],
        labels,
        [[c.som("logregels", p.maanden, k) for p in perioden] for k in keys],
        rijtotalen=True,
        kolomtotalen=True,
        noot=noot,
    )
    if regels.getallen:
        regels.grafiek = grafiek.lijn(
            _("Logregels per periode"),
            labels,
            [Reeks(_("Logregels"), regels.getallen[-1][:-1])],
            _("verborgen"),
        )
    controle = telling(
        "controle",
        _("Logregels beoordeeld door de privacy officer en vragen van inwoners over logregels"),
        _("Periode"),
        labels,
        [_("Regels beoordeeld"), _("Vragen beantwoord"), _("Vragen nog open")],
        [
            [
                c.som("logregels_beoordeeld", p.maanden),
                c.som("logvraag", p.maanden, "beantwoord"),
                c.som("logvraag", p.maanden, "open"),
            ]
            for p in perioden
        ],
        rijtotalen=False,
        kolomtotalen=True,
        noot=noot,
    )
    alle = [m for p in perioden for m in p.maanden]
    v = c.verdeling("logvraag", alle, "beantwoord")
    n = sum(a for _w, a in v)
    antwoordtijd = Tabel(
        "antwoordtijd",
        _("Hoe snel vragen van inwoners over logregels zijn beantwoord (dagen)"),
        _("Vragen"),
        [_("Beantwoord"), _("Mediaan"), _("90e percentiel")],
        [
            (
                _("Alle vragen"),
                [
                    aantal_tekst(n),
                    statistiek(percentiel(v, 0.5), n)[0],
                    statistiek(percentiel(v, 0.9), n)[0],
                ],
                False,
            )
        ],
    )
    redenen = c.sleutels("uitstel")
    uitstel = telling(
        "uitstel",
        _("Uitstel van inzage in logregels, naar reden"),
        _("Reden"),
        [UITSTEL_REDENEN.get(r, r) for r in redenen],
        labels,
        [[c.som("uitstel", p.maanden, r) for p in perioden] for r in redenen],
        rijtotalen=True,
        kolomtotalen=True,
        noot=noot,
    )
    return [regels, controle, antwoordtijd, uitstel]


Bouwer = Callable[[Filter, dict[str, str]], list[Tabel]]

PAGINAS: dict[str, tuple[object, Bouwer]] = {
    "caseload": (_l("Caseload"), caseload),
    "signalen": (_l("Van signaal tot plan"), signalen),
    "tijd": (_l("Tijd tot hulp"), tijd),
    "samenwerking": (_l("Samenwerking"), samenwerking),
    "privacy": (_l("Privacy"), privacy),
}

__all__ = ["MELDER_LABEL", "PAGINAS", "aantal_getal"]
