"""Why the citizen's data is used, in plain words (B1), once per processing activity.

The citizen's log page ("Wie heeft mijn gegevens gezien") shows the purpose and the legal basis
of the processing register (app/verwerkingsregister.json) once per processing activity on the
page, expandable, instead of on every line; each line links to it. The register's own texts stay
(they are the official record); these short names and explanations sit next to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.autorisaties.models import NIVEAU_BUITENKANT, NIVEAU_GEEN, NIVEAU_VOLLEDIG
from app.domain import AFWEGING_STATUS_LABELS, AfwegingStatus, PlanBasis
from app.domain import Verwerkingsactiviteit as V
from app.portaal.logboek import in_gewone_woorden
from audit import LogLine

UITLEG: dict[str, tuple[str, str]] = {
    V.REGIE: (
        _l("Uw plan"),
        _l(
            "Speelt er bij u op meer dan één gebied tegelijk iets, zoals geld, werk, gezondheid, "
            "wonen of opvoeding? Dan helpt de gemeente u met één plan en één vaste regisseur. "
            "De regisseur maakt het plan samen met u, vraagt hulpverleners mee te doen en houdt "
            "bij wat er is afgesproken."
        ),
    ),
    V.VROEGSIGNALERING_SCHULDEN: (
        _l("Betaalachterstanden op tijd zien"),
        _l(
            "Betaalt u de huur, energie, water of zorgverzekering niet op tijd? Dan krijgt de "
            "gemeente daar een bericht over. Zo kan de gemeente u hulp aanbieden voordat de "
            "schulden groter worden."
        ),
    ),
    V.SIGNALEN_AFWEGING: (
        _l("Een zorg over u bekijken"),
        _l(
            "Iemand maakte zich zorgen over u of uw huishouden en meldde dat. De gemeente "
            "bekijkt goed of u hulp nodig hebt, en welke."
        ),
    ),
    V.VROEGSIGNALERING_RIJKSSCHULDEISERS: (
        _l("Achterstanden bij de overheid op tijd zien"),
        _l(
            "Hebt u tegelijk achterstanden bij meer dan één overheidsorganisatie, zoals de "
            "Belastingdienst of het CJIB? Dan hoort de gemeente dat, om u hulp aan te bieden."
        ),
    ),
    V.INKIJK: (
        _l("Gegevens die de overheid al heeft"),
        _l(
            "Uw regisseur bekijkt gegevens die de overheid al van u heeft, zoals uw adres of wie "
            "er bij u woont. Niet wat u met een hulpverlener bespreekt. Dat mag alleen voor uw "
            "plan of om een zorg over u te bekijken."
        ),
    ),
    V.BERICHTEN: (
        _l("Berichten over uw plan"),
        _l("Berichten tussen u, uw regisseur en uw hulpverleners over uw plan."),
    ),
    V.ZEGGENSCHAP: (
        _l("Wie wat mag zien"),
        _l("U bepaalt mee hoeveel hulpverleners van uw plan zien, en wie met u mag meekijken."),
    ),
    V.INZAGE_BETROKKENE: (
        _l("Uw eigen gegevens bekijken"),
        _l("U bekijkt of downloadt zelf wat Eenplan over u weet."),
    ),
    V.TOEZICHT: (
        _l("Controle op het gebruik van uw gegevens"),
        _l(
            "De privacyfunctionaris van de gemeente controleert of iedereen die uw gegevens "
            "zag, dat ook mocht."
        ),
    ),
}


@dataclass(frozen=True)
class Verwerking:
    """One processing activity as the citizen reads it: a short name, plain words, and the
    register's own purpose and legal basis (expandable)."""

    anker: str
    naam: str
    uitleg: str
    doel: str
    grondslag: str


def sleutel(line: LogLine) -> tuple[str, str, str]:
    return (line.processing_activity_id, line.purpose, line.legal_basis)


def verwerking_van(line: LogLine, anker: str = "") -> Verwerking:
    naam, uitleg = UITLEG.get(line.processing_activity_id, (line.processing_activity_name, ""))
    return Verwerking(
        anker=anker,
        naam=str(naam) or line.processing_activity_name,
        uitleg=str(uitleg),
        doel=line.purpose or line.processing_activity_name,
        grondslag=in_gewone_woorden(line.legal_basis),
    )


def verwerkingen(lines: Iterable[LogLine]) -> dict[tuple[str, str, str], Verwerking]:
    """Each processing activity (as written: purpose and legal basis of its version) of the
    lines once, in the order they first appear, with an anchor for the lines to link to."""
    out: dict[tuple[str, str, str], Verwerking] = {}
    for line in lines:
        key = sleutel(line)
        if key not in out:
            out[key] = verwerking_van(line, anker=f"verwerking-{len(out) + 1}")
    return out


# --- The words of the staff screens, in plain words for the citizen --------------------------
# ("multiproblematiek", "leefgebieden", "integrale aanpak" and "buitenkant" are the
# professionals' words; the citizen's pages use these.)

BASIS: dict[str, str] = {
    PlanBasis.MULTIPROBLEMATIEK: _l("Hulp op meer dan één gebied tegelijk"),
    PlanBasis.TOESTEMMING: _l("Met uw toestemming"),
}

STAPPEN: dict[int, str] = {
    1: _l("Kwam er een signaal of een vraag om hulp?"),
    2: _l(
        "Spelen er problemen op twee of meer gebieden, zoals geld, werk, gezondheid of opvoeding?"
    ),
    3: _l("Moet de hulp op die gebieden samen worden aangepakt?"),
    4: _l("Is er hulp nodig op meer gebieden tegelijk, met een plan en één regisseur?"),
}

_STATUS: dict[str, str] = {
    AfwegingStatus.OPEN: _l("De gemeente bekijkt het nog"),
    AfwegingStatus.HEROPEND: _l("De gemeente bekijkt het opnieuw, want er kwam een nieuw signaal"),
    AfwegingStatus.BEEINDIGD: _l("Gestopt: er is geen hulp nodig op meer dan één gebied"),
    AfwegingStatus.KOLOMMEN: _l("De gewone hulp van één organisatie is genoeg"),
    AfwegingStatus.MULTIPROBLEMATIEK: _l("Er komt een plan: hulp op meer gebieden tegelijk"),
    AfwegingStatus.GESLOTEN: _l("Gesloten"),
}

NIVEAUS: dict[str, str] = {
    NIVEAU_GEEN: _l("Niets van uw plan: alleen dat er een plan is en wie uw regisseur is"),
    NIVEAU_BUITENKANT: _l(
        "Welke hulp u krijgt: welke organisaties u helpen, van wanneer tot wanneer. "
        "Niet wat zij opschrijven."
    ),
    NIVEAU_VOLLEDIG: _l("Alles: ook wat de andere organisaties over hun hulp opschrijven"),
}


def basis(plan_basis: str) -> str:
    return str(BASIS.get(plan_basis, plan_basis))


def stap(nummer: int, vraag: str) -> str:
    return str(STAPPEN.get(nummer, vraag))


def afweging_status(label: str) -> str:
    """The afweging's status (as its staff label, see app.signalen.status) in plain words."""
    for code, staff_label in AFWEGING_STATUS_LABELS.items():
        if str(staff_label) == str(label):
            return str(_STATUS.get(code, label))
    return label
