"""Vocabulary of the domain: roles, kinds, statuses, and the data categories of the logboek."""

from __future__ import annotations

from enum import StrEnum


class Rol(StrEnum):
    REGISSEUR = "regisseur"
    HULPVERLENER = "hulpverlener"
    MELDER = "melder"
    PRIVACY_OFFICER = "privacy_officer"
    FUNCTIONEEL_BEHEERDER = "functioneel_beheerder"
    BURGER = "burger"
    TEAMLEIDER = "teamleider"
    BELEID = "beleid"


ROL_LABELS = {
    Rol.REGISSEUR: "Regisseur",
    Rol.HULPVERLENER: "Hulpverlener",
    Rol.MELDER: "Melder",
    Rol.PRIVACY_OFFICER: "Privacy officer",
    Rol.FUNCTIONEEL_BEHEERDER: "Functioneel beheerder",
    Rol.BURGER: "Inwoner",
    Rol.TEAMLEIDER: "Teamleider",
    Rol.BELEID: "Beleid en sturing",
}

STAFF_ROLES = tuple(r for r in Rol if r is not Rol.BURGER)


class Verwerkingsactiviteit(StrEnum):
    """The processing activities of the register (``app/verwerkingsregister.json``): a view or
    command declares one of these (``guard(verwerking=…)``, ``unit_of_work``)."""

    REGIE = "regie-multiproblematiek"
    VROEGSIGNALERING_SCHULDEN = "vroegsignalering-schulden"
    SIGNALEN_AFWEGING = "signalen-afweging"
    VROEGSIGNALERING_RIJKSSCHULDEISERS = "vroegsignalering-rijksschuldeisers"
    INKIJK = "inkijk-basisgegevens"
    BERICHTEN = "berichten"
    ZEGGENSCHAP = "zeggenschap-inwoner"
    INZAGE_BETROKKENE = "inzage-betrokkene"
    TOEZICHT = "toezicht-logboek"
    STURING = "sturingsinformatie"


class OrganisatieSoort(StrEnum):
    GEMEENTE = "gemeente"
    WIJKTEAM = "wijkteam"
    ZORGAANBIEDER = "zorgaanbieder"
    JEUGDHULP = "jeugdhulp"
    GGZ = "ggz"
    SCHULDHULPVERLENING = "schuldhulpverlening"
    WONINGCORPORATIE = "woningcorporatie"
    SCHOOL = "school"
    UITVOERINGSORGANISATIE = "uitvoeringsorganisatie"
    POLITIE = "politie"
    NUTSBEDRIJF = "nutsbedrijf"
    ZORGVERZEKERAAR = "zorgverzekeraar"
    OVERIG = "overig"


ORGANISATIE_SOORT_LABELS = {
    OrganisatieSoort.GEMEENTE: "Gemeente",
    OrganisatieSoort.WIJKTEAM: "Wijkteam",
    OrganisatieSoort.ZORGAANBIEDER: "Zorgaanbieder",
    OrganisatieSoort.JEUGDHULP: "Jeugdhulp",
    OrganisatieSoort.GGZ: "GGZ",
    OrganisatieSoort.SCHULDHULPVERLENING: "Schuldhulpverlening",
    OrganisatieSoort.WONINGCORPORATIE: "Woningcorporatie",
    OrganisatieSoort.SCHOOL: "School",
    OrganisatieSoort.UITVOERINGSORGANISATIE: "Uitvoeringsorganisatie",
    OrganisatieSoort.POLITIE: "Politie",
    OrganisatieSoort.NUTSBEDRIJF: "Energie- of waterbedrijf",
    OrganisatieSoort.ZORGVERZEKERAAR: "Zorgverzekeraar",
    OrganisatieSoort.OVERIG: "Overig",
}


class PlanBasis(StrEnum):
    MULTIPROBLEMATIEK = "multiproblematiek"
    TOESTEMMING = "toestemming"


PLAN_BASIS_LABELS = {
    PlanBasis.MULTIPROBLEMATIEK: "Multiproblematiek vastgesteld",
    PlanBasis.TOESTEMMING: "Met toestemming",
}


class PlanStatus(StrEnum):
    CONCEPT = "concept"
    ACTIEF = "actief"
    AFGESLOTEN = "afgesloten"


PLAN_STATUS_LABELS = {
    PlanStatus.CONCEPT: "Concept",
    PlanStatus.ACTIEF: "Actief",
    PlanStatus.AFGESLOTEN: "Afgesloten",
}

# Reasons to close a plan (afsluitreden).
AFSLUITREDENEN = {
    "doelen_bereikt": "Doelen bereikt",
    "toestemming_ingetrokken": "Toestemming ingetrokken",
    "verhuisd": "Verhuisd naar een andere gemeente",
    "overgedragen": "Overgedragen aan reguliere hulpverlening",
    "niet_bereikbaar": "Huishouden niet bereikbaar",
    "overleden": "Overleden",
    "anders": "Andere reden",
}


class ToestemmingWijze(StrEnum):
    MONDELING = "mondeling"
    SCHRIFTELIJK = "schriftelijk"
    DIGITAAL = "digitaal"


class Relatie(StrEnum):
    """Relation of person A to person B in a gezinslink."""

    OUDER_VAN = "ouder_van"
    PARTNER = "partner"
    HUISGENOOT = "huisgenoot"
    BROER_ZUS = "broer_zus"
    GROOTOUDER_VAN = "grootouder_van"
    VERZORGER_VAN = "verzorger_van"
    OVERIG = "overig"


RELATIE_LABELS = {
    Relatie.OUDER_VAN: ("ouder van", "kind van"),
    Relatie.PARTNER: ("partner van", "partner van"),
    Relatie.HUISGENOOT: ("huisgenoot van", "huisgenoot van"),
    Relatie.BROER_ZUS: ("broer of zus van", "broer of zus van"),
    Relatie.GROOTOUDER_VAN: ("grootouder van", "kleinkind van"),
    Relatie.VERZORGER_VAN: ("verzorger van", "verzorgd door"),
    Relatie.OVERIG: ("familie of huisgenoot van", "familie of huisgenoot van"),
}


class UitvoerderSoort(StrEnum):
    ORGANISATIE = "organisatie"
    HUISHOUDEN = "huishouden"


# Kinds of activity (aard). A controlled list, so that buitenkant views stay comparable.
ACTIVITEIT_AARDEN = {
    "schuldhulpverlening": "Schuldhulpverlening",
    "budgetbeheer": "Budgetbeheer of budgetcoaching",
    "inkomensondersteuning": "Inkomensondersteuning en toeslagen",
    "opvoedondersteuning": "Opvoedondersteuning",
    "jeugdhulp": "Jeugdhulp",
    "ggz": "Geestelijke gezondheidszorg",
    "verslavingszorg": "Verslavingszorg",
    "woonbegeleiding": "Woonbegeleiding",
    "huisvesting": "Huisvesting en woonruimte",
    "werk_reintegratie": "Werk en re-integratie",
    "onderwijs": "Onderwijs en leerplicht",
    "gezondheid": "Gezondheid en zorg",
    "dagbesteding": "Dagbesteding",
    "huisbezoek": "Huisbezoek",
    "gesprek": "Gesprek",
    "aanvraag": "Aanvraag of formulier",
    "overig": "Overig",
}


class ActiviteitStatus(StrEnum):
    GEPLAND = "gepland"
    LOPEND = "lopend"
    AFGEROND = "afgerond"
    VERLOPEN = "verlopen"


ACTIVITEIT_STATUS_LABELS = {
    ActiviteitStatus.GEPLAND: "Gepland",
    ActiviteitStatus.LOPEND: "Loopt",
    ActiviteitStatus.AFGEROND: "Afgerond",
    ActiviteitStatus.VERLOPEN: "Over de einddatum",
}


class Gegevenscategorie(StrEnum):
    """Data categories, as recorded in the logboek (``data_categories``) and explained to the
    citizen. Members equal their stored codes."""

    BSN = "bsn"
    NAW = "naw"
    CONTACT = "contact"
    PLAN = "plan"
    TOESTEMMING = "toestemming"
    ACTIVITEITEN = "activiteiten"
    ACTIVITEITEN_BUITENKANT = "activiteiten-buitenkant"
    OPMERKINGEN = "opmerkingen"
    GEZIN = "gezin"
    BETROKKENHEID = "betrokkenheid"
    HISTORIE = "historie"
    INSTELLINGEN = "instellingen"
    TOEGANG = "toegang"
    SIGNALEN = "signalen"
    AFWEGING = "afweging"
    INKOMEN = "inkomen"
    SCHULDEN = "schulden"
    ONDERWIJS = "onderwijs"
    ZORG = "zorg"
    BERICHTEN = "berichten"
    LOGBOEK = "logboek"


# Keyed by the enum members; typed by ``str`` because stored codes come back as plain strings.
CATEGORIEEN: dict[str, str] = {
    Gegevenscategorie.BSN: "Burgerservicenummer",
    Gegevenscategorie.NAW: "Naam, adres en geboortedatum",
    Gegevenscategorie.CONTACT: "Contactgegevens",
    Gegevenscategorie.PLAN: "Gegevens van het plan (basis, status, regisseur)",
    Gegevenscategorie.TOESTEMMING: "Toestemming voor het plan",
    Gegevenscategorie.ACTIVITEITEN: "Activiteiten, met omschrijving en toelichting",
    Gegevenscategorie.ACTIVITEITEN_BUITENKANT: (
        "Activiteiten: alleen organisatie, soort, periode en status"
    ),
    Gegevenscategorie.OPMERKINGEN: "Opmerkingen bij het plan",
    Gegevenscategorie.GEZIN: "Samenstelling van het huishouden",
    Gegevenscategorie.BETROKKENHEID: "Welke organisaties helpen",
    Gegevenscategorie.HISTORIE: "Wijzigingen in het plan",
    Gegevenscategorie.INSTELLINGEN: "Wie mag wat zien",
    Gegevenscategorie.TOEGANG: "Tijdelijke toegang tot het plan (vervanging van de regisseur)",
    Gegevenscategorie.SIGNALEN: "Signalen",
    Gegevenscategorie.AFWEGING: "Afweging of hulp nodig is",
    Gegevenscategorie.INKOMEN: "Inkomen en uitkeringen",
    Gegevenscategorie.SCHULDEN: "Schulden en schuldhulp",
    Gegevenscategorie.ONDERWIJS: "Onderwijs en leerplicht",
    Gegevenscategorie.ZORG: "Indicaties voor zorg en ondersteuning",
    Gegevenscategorie.BERICHTEN: "Berichten",
    Gegevenscategorie.LOGBOEK: "Logboek: wie uw gegevens zag",
}

ACTIE_LABELS = {
    "view": "bekeken",
    "create": "vastgelegd",
    "update": "gewijzigd",
    "delete": "verwijderd",
    "export": "gedownload",
    "send": "verstuurd",
    "receive": "ontvangen",
}

# Life domains (leefgebieden) of signals and the afwegingskader.
LEEFGEBIEDEN = {
    "financien": "Financiën en schulden",
    "wonen": "Wonen",
    "onderwijs": "Onderwijs en leerplicht",
    "veiligheid": "Veiligheid",
    "gezondheid": "Gezondheid",
    "opvoeding": "Opvoeding en gezin",
    "werk": "Werk en inkomen",
}

# What a signal is about (used by the combination rules).
SIGNAAL_CATEGORIEEN = {
    "betalingsachterstand": "Betalingsachterstand",
    "dreigende_uitzetting": "Dreigende huisuitzetting",
    "schoolverzuim": "Schoolverzuim",
    "politie": "Signaal van de politie",
    "zorgen": "Zorgen over de situatie",
    "overig": "Overig",
}


class AfwegingStatus(StrEnum):
    """States of an afweging (``Afweging.status``). Open and heropend are still being weighed;
    the others are outcomes (beeindigd, kolommen, multiproblematiek) or a closed case."""

    OPEN = "open"
    HEROPEND = "heropend"
    BEEINDIGD = "beeindigd"
    KOLOMMEN = "kolommen"
    MULTIPROBLEMATIEK = "multiproblematiek"
    GESLOTEN = "gesloten"


AFWEGING_STATUS_LABELS: dict[str, str] = {
    AfwegingStatus.OPEN: "Wordt gewogen",
    AfwegingStatus.HEROPEND: "Heropend: nieuw signaal na afsluiten",
    AfwegingStatus.BEEINDIGD: "Beëindigd: geen hulpvraag op meerdere leefgebieden",
    AfwegingStatus.KOLOMMEN: "Dienstverlening in de kolommen",
    AfwegingStatus.MULTIPROBLEMATIEK: "Multiproblematiek vastgesteld: plan",
    AfwegingStatus.GESLOTEN: "Gesloten",
}

# The states in which an afweging is still being weighed (a new signal joins it).
AFWEGING_LOPEND = (AfwegingStatus.OPEN, AfwegingStatus.HEROPEND)

AFWEGING_SLUITREDENEN = {
    "weigering": "Inwoner wil geen contact",
    "onbereikbaar": "Inwoner niet bereikbaar",
}

AFWEGING_STAPPEN = {
    1: "Signaal of hulpvraag ontvangen",
    2: "Hulpvraag op twee of meer leefgebieden?",
    3: "Is een integrale aanpak nodig?",
    4: "Multiproblematiek vastgesteld: een plan maken",
}
