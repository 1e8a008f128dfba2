"""The plan's history lines in the reader's language.

A history line (``PlanGebeurtenis.omschrijving``) is stored once, in Dutch, and never changes:
what is stored stays language-independent of the reader. This module translates at display time
by recognising the fixed forms the services write ("Activiteit 'X' toegevoegd", "Gezinslink
gelegd (partner van)", ...); the parts inside (activity kinds, statuses, reasons) go through the
catalogue too, so the domain labels' own translations apply. A line that matches no form (older
wording, free text) is shown as stored."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# (pattern over the stored Dutch text, the msgid whose %(name)s take the named groups)
VORMEN: list[tuple[re.Pattern[str], LazyString]] = [
    (
        re.compile(
            r"^Activiteit '(?P<aard>.+)' van (?P<vrij>.+), vanaf (?P<vanaf>[0-9-]+) toegevoegd$"
        ),
        _l("Activiteit '%(aard)s' van %(vrij)s, vanaf %(vanaf)s toegevoegd"),
    ),
    (
        re.compile(
            r"^Activiteit '(?P<aard>.+)' van (?P<vrij>.+), vanaf (?P<vanaf>[0-9-]+) gewijzigd$"
        ),
        _l("Activiteit '%(aard)s' van %(vrij)s, vanaf %(vanaf)s gewijzigd"),
    ),
    (
        re.compile(
            r"^Activiteit '(?P<aard>.+)' van (?P<vrij>.+), vanaf (?P<vanaf>[0-9-]+) afgerond$"
        ),
        _l("Activiteit '%(aard)s' van %(vrij)s, vanaf %(vanaf)s afgerond"),
    ),
    (re.compile(r"^Activiteit '(?P<aard>.+)' toegevoegd$"), _l("Activiteit '%(aard)s' toegevoegd")),
    (re.compile(r"^Activiteit '(?P<aard>.+)' gewijzigd$"), _l("Activiteit '%(aard)s' gewijzigd")),
    (re.compile(r"^Activiteit '(?P<aard>.+)' afgerond$"), _l("Activiteit '%(aard)s' afgerond")),
    (
        re.compile(r"^Plan aangemaakt na afweging \((?P<basis>.+) in stap 4, (?P<status>[^,]+)\)$"),
        _l("Plan aangemaakt na afweging (%(basis)s in stap 4, %(status)s)"),
    ),
    (
        re.compile(r"^Plan aangemaakt \((?P<basis>.+), (?P<status>[^,]+)\)$"),
        _l("Plan aangemaakt (%(basis)s, %(status)s)"),
    ),
    (
        re.compile(
            r"^Afweging \(stap 4\) gekoppeld aan het plan: basis was (?P<basis>.+), "
            r"nu multiproblematiek vastgesteld$"
        ),
        _l(
            "Afweging (stap 4) gekoppeld aan het plan: basis was %(basis)s, nu multiproblematiek "
            "vastgesteld"
        ),
    ),
    (
        re.compile(
            r"^Afweging \(stap 4\) gekoppeld aan het plan: de weging ontbrak, nu vastgelegd$"
        ),
        _l("Afweging (stap 4) gekoppeld aan het plan: de weging ontbrak, nu vastgelegd"),
    ),
    (
        re.compile(
            r"^Afweging \(stap 4\) gekoppeld aan het plan: multiproblematiek opnieuw "
            r"vastgesteld$"
        ),
        _l("Afweging (stap 4) gekoppeld aan het plan: multiproblematiek opnieuw vastgesteld"),
    ),
    (
        re.compile(r"^Plan gewijzigd: status (?P<status>[^,]+)$"),
        _l("Plan gewijzigd: status %(status)s"),
    ),
    (re.compile(r"^Plan gewijzigd: mandaat gewijzigd$"), _l("Plan gewijzigd: mandaat gewijzigd")),
    (
        re.compile(r"^Plan gewijzigd: status (?P<status>[^,]+), mandaat gewijzigd$"),
        _l("Plan gewijzigd: status %(status)s, mandaat gewijzigd"),
    ),
    (re.compile(r"^Plan afgesloten: (?P<reden>.+)$"), _l("Plan afgesloten: %(reden)s")),
    (
        re.compile(r"^Toestemming vastgelegd \((?P<wijze>.+)\)$"),
        _l("Toestemming vastgelegd (%(wijze)s)"),
    ),
    (
        re.compile(r"^Regie overgedragen van (?P<oud>.+?) aan (?P<nieuw>.+?): (?P<vrij>.*)$"),
        _l("Regie overgedragen van %(oud)s aan %(nieuw)s: %(vrij)s"),
    ),
    (
        re.compile(r"^Regie overgedragen van (?P<oud>.+?) aan (?P<nieuw>.+)$"),
        _l("Regie overgedragen van %(oud)s aan %(nieuw)s"),
    ),
    (re.compile(r"^Gezinslink gelegd \((?P<relatie>.+)\)$"), _l("Gezinslink gelegd (%(relatie)s)")),
    (re.compile(r"^Gezinslink verbroken$"), _l("Gezinslink verbroken")),
    (re.compile(r"^Gezinslink afgeschermd$"), _l("Gezinslink afgeschermd")),
    (
        re.compile(r"^Afscherming gezinslink opgeheven$"),
        _l("Afscherming gezinslink opgeheven"),
    ),
    (re.compile(r"^Afscherming persoon opgeheven$"), _l("Afscherming persoon opgeheven")),
    (
        re.compile(r"^Persoon afgeschermd voor het huishouden$"),
        _l("Persoon afgeschermd voor het huishouden"),
    ),
    (
        re.compile(r"^Betrokkenheid van (?P<vrij>.+) beëindigd$"),
        _l("Betrokkenheid van %(vrij)s beëindigd"),
    ),
    (re.compile(r"^(?P<vrij>.+) betrokken: (?P<vrij2>.+)$"), _l("%(vrij)s betrokken: %(vrij2)s")),
    (
        re.compile(r"^Feit overgenomen uit (?P<bron>.+?): (?P<label>.+)$"),
        _l("Feit overgenomen uit %(bron)s: %(label)s"),
    ),
    (
        re.compile(r"^De inwoner vroeg om een andere regisseur$"),
        _l("De inwoner vroeg om een andere regisseur"),
    ),
    (re.compile(r"^Voorstel voor correctie aanvaard$"), _l("Voorstel voor correctie aanvaard")),
    (re.compile(r"^Voorstel voor correctie afgewezen$"), _l("Voorstel voor correctie afgewezen")),
    (
        re.compile(r"^Persoonsgegevens gewijzigd: (?P<velden>.+)$"),
        _l("Persoonsgegevens gewijzigd: %(velden)s"),
    ),
    (
        re.compile(r"^Verzoek om een andere regisseur afgewezen: (?P<vrij>.*)$"),
        _l("Verzoek om een andere regisseur afgewezen: %(vrij)s"),
    ),
    (
        re.compile(r"^De inwoner koos: (?P<vrij>.+) ziet (?P<niveau>.+)$"),
        _l("De inwoner koos: %(vrij)s ziet %(niveau)s"),
    ),
    (
        re.compile(
            r"^De inwoner gaf (?P<vrij>.+) \((?P<relatie>[^()]+)\) leestoegang tot "
            r"(?P<datum>[0-9-]+)$"
        ),
        _l("De inwoner gaf %(vrij)s (%(relatie)s) leestoegang tot %(datum)s"),
    ),
    (
        re.compile(r"^De inwoner trok de toegang van (?P<vrij>.+) in$"),
        _l("De inwoner trok de toegang van %(vrij)s in"),
    ),
    (
        re.compile(r"^Toestemming ingetrokken door de inwoner zelf$"),
        _l("Toestemming ingetrokken door de inwoner zelf"),
    ),
    (
        re.compile(r"^Toestemming ingetrokken door (?P<vrij>.+) \(regisseur\), namens de inwoner$"),
        _l("Toestemming ingetrokken door %(vrij)s (regisseur), namens de inwoner"),
    ),
    (
        re.compile(r"^De inwoner gaf opnieuw toestemming \(Mijn Eenplan\)$"),
        _l("De inwoner gaf opnieuw toestemming (Mijn Eenplan)"),
    ),
    (
        re.compile(
            r"^(?P<vrij>.+?) opende het plan als vervanger van (?P<vrij2>.+?) "
            r"\(tot (?P<tot>[0-9-]+ [0-9:]+)\): (?P<vrij3>.*)$"
        ),
        _l("%(vrij)s opende het plan als vervanger van %(vrij2)s (tot %(tot)s): %(vrij3)s"),
    ),
]


def _deel(naam: str, waarde: str) -> str:
    """A part of a line: names, dates and free text stay as they are; labels (an activity kind,
    a status, a relation, a reason) are looked up, in the stored lower case when so written."""
    if naam.startswith(("vrij", "oud", "nieuw", "tot", "datum", "bron", "label", "vanaf")):
        return waarde
    vertaald = gettext(waarde)
    if vertaald == waarde and waarde[:1].islower():
        hoofd = waarde[:1].upper() + waarde[1:]
        anders = gettext(hoofd)
        if anders != hoofd:
            return anders[:1].lower() + anders[1:]
    return vertaald


def vertaal(omschrijving: str, deel: Callable[[str, str], str] = _deel) -> str:
    """The stored line in the current language (the stored text itself for Dutch)."""
    if str(get_locale() or "nl") == "nl":
        return omschrijving
    for patroon, msgid in VORMEN:
        m = patroon.match(omschrijving)
        if m:
            delen = {k: deel(k, v) for k, v in m.groupdict().items()}
            return str(msgid) % delen
    return omschrijving
