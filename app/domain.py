"""Vocabulary of the domain: roles, kinds, statuses, and the data categories of the logboek."""

from __future__ import annotations

from enum import StrEnum

from app.i18n import N_


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
    Rol.REGISSEUR: N_("Regisseur"),
    Rol.HULPVERLENER: N_("Hulpverlener"),
    Rol.MELDER: N_("Melder"),
    Rol.PRIVACY_OFFICER: N_("Privacy officer"),
    Rol.FUNCTIONEEL_BEHEERDER: N_("Functioneel beheerder"),
    Rol.BURGER: N_("Inwoner"),
    Rol.TEAMLEIDER: N_("Teamleider"),
    Rol.BELEID: N_("Beleid en sturing"),
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
    OrganisatieSoort.GEMEENTE: N_("Gemeente"),
    OrganisatieSoort.WIJKTEAM: N_("Wijkteam"),
    OrganisatieSoort.ZORGAANBIEDER: N_("Zorgaanbieder"),
    OrganisatieSoort.JEUGDHULP: N_("Jeugdhulp"),
    OrganisatieSoort.GGZ: N_("GGZ"),
    OrganisatieSoort.SCHULDHULPVERLENING: N_("Schuldhulpverlening"),
    OrganisatieSoort.WONINGCORPORATIE: N_("Woningcorporatie"),
    OrganisatieSoort.SCHOOL: N_("School"),
    OrganisatieSoort.UITVOERINGSORGANISATIE: N_("Uitvoeringsorganisatie"),
    OrganisatieSoort.POLITIE: N_("Politie"),
    OrganisatieSoort.NUTSBEDRIJF: N_("Energie- of waterbedrijf"),
    OrganisatieSoort.ZORGVERZEKERAAR: N_("Zorgverzekeraar"),
    OrganisatieSoort.OVERIG: N_("Overig"),
}


class PlanBasis(StrEnum):
    MULTIPROBLEMATIEK = "multiproblematiek"
    TOESTEMMING = "toestemming"


PLAN_BASIS_LABELS = {
    PlanBasis.MULTIPROBLEMATIEK: N_("Multiproblematiek vastgesteld"),
    PlanBasis.TOESTEMMING: N_("Met toestemming"),
}


class PlanStatus(StrEnum):
    CONCEPT = "concept"
    ACTIEF = "actief"
    AFGESLOTEN = "afgesloten"


PLAN_STATUS_LABELS = {
    PlanStatus.CONCEPT: N_("Concept"),
    PlanStatus.ACTIEF: N_("Actief"),
    PlanStatus.AFGESLOTEN: N_("Afgesloten"),
}

# Reasons to close a plan (afsluitreden).
AFSLUITREDENEN = {
    "doelen_bereikt": N_("Doelen bereikt"),
    "toestemming_ingetrokken": N_("Toestemming ingetrokken"),
    "verhuisd": N_("Verhuisd naar een andere gemeente"),
    "overgedragen": N_("Overgedragen aan reguliere hulpverlening"),
    "niet_bereikbaar": N_("Huishouden niet bereikbaar"),
    "overleden": N_("Overleden"),
    "anders": N_("Andere reden"),
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
    Relatie.OUDER_VAN: (N_("ouder van"), N_("kind van")),
    Relatie.PARTNER: (N_("partner van"), N_("partner van")),
    Relatie.HUISGENOOT: (N_("huisgenoot van"), N_("huisgenoot van")),
    Relatie.BROER_ZUS: (N_("broer of zus van"), N_("broer of zus van")),
    Relatie.GROOTOUDER_VAN: (N_("grootouder van"), N_("kleinkind van")),
    Relatie.VERZORGER_VAN: (N_("verzorger van"), N_("verzorgd door")),
    Relatie.OVERIG: (N_("familie of huisgenoot van"), N_("familie of huisgenoot van")),
}


class UitvoerderSoort(StrEnum):
    ORGANISATIE = "organisatie"
    HUISHOUDEN = "huishouden"


# Kinds of activity (aard). A controlled list, so that buitenkant views stay comparable.
ACTIVITEIT_AARDEN = {
    "schuldhulpverlening": N_("Schuldhulpverlening"),
    "budgetbeheer": N_("Budgetbeheer of budgetcoaching"),
    "inkomensondersteuning": N_("Inkomensondersteuning en toeslagen"),
    "opvoedondersteuning": N_("Opvoedondersteuning"),
    "jeugdhulp": N_("Jeugdhulp"),
    "ggz": N_("Geestelijke gezondheidszorg"),
    "verslavingszorg": N_("Verslavingszorg"),
    "woonbegeleiding": N_("Woonbegeleiding"),
    "huisvesting": N_("Huisvesting en woonruimte"),
    "werk_reintegratie": N_("Werk en re-integratie"),
    "onderwijs": N_("Onderwijs en leerplicht"),
    "gezondheid": N_("Gezondheid en zorg"),
    "dagbesteding": N_("Dagbesteding"),
    "huisbezoek": N_("Huisbezoek"),
    "gesprek": N_("Gesprek"),
    "aanvraag": N_("Aanvraag of formulier"),
    "overig": N_("Overig"),
}


class ActiviteitStatus(StrEnum):
    GEPLAND = "gepland"
    LOPEND = "lopend"
    AFGEROND = "afgerond"
    VERLOPEN = "verlopen"


ACTIVITEIT_STATUS_LABELS = {
    ActiviteitStatus.GEPLAND: N_("Gepland"),
    ActiviteitStatus.LOPEND: N_("Loopt"),
    ActiviteitStatus.AFGEROND: N_("Afgerond"),
    ActiviteitStatus.VERLOPEN: N_("Over de einddatum"),
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
    Gegevenscategorie.BSN: N_("Burgerservicenummer"),
    Gegevenscategorie.NAW: N_("Naam, adres en geboortedatum"),
    Gegevenscategorie.CONTACT: N_("Contactgegevens"),
    Gegevenscategorie.PLAN: N_("Gegevens van het plan (basis, status, regisseur)"),
    Gegevenscategorie.TOESTEMMING: N_("Toestemming voor het plan"),
    Gegevenscategorie.ACTIVITEITEN: N_("Activiteiten, met omschrijving en toelichting"),
    Gegevenscategorie.ACTIVITEITEN_BUITENKANT: (
        N_("Activiteiten: alleen organisatie, soort, periode en status")
    ),
    Gegevenscategorie.OPMERKINGEN: N_("Opmerkingen bij het plan"),
    Gegevenscategorie.GEZIN: N_("Samenstelling van het huishouden"),
    Gegevenscategorie.BETROKKENHEID: N_("Welke organisaties helpen"),
    Gegevenscategorie.HISTORIE: N_("Wijzigingen in het plan"),
    Gegevenscategorie.INSTELLINGEN: N_("Wie mag wat zien"),
    Gegevenscategorie.TOEGANG: N_("Tijdelijke toegang tot het plan (vervanging van de regisseur)"),
    Gegevenscategorie.SIGNALEN: N_("Signalen"),
    Gegevenscategorie.AFWEGING: N_("Afweging of hulp nodig is"),
    Gegevenscategorie.INKOMEN: N_("Inkomen en uitkeringen"),
    Gegevenscategorie.SCHULDEN: N_("Schulden en schuldhulp"),
    Gegevenscategorie.ONDERWIJS: N_("Onderwijs en leerplicht"),
    Gegevenscategorie.ZORG: N_("Indicaties voor zorg en ondersteuning"),
    Gegevenscategorie.BERICHTEN: N_("Berichten"),
    Gegevenscategorie.LOGBOEK: N_("Logboek: wie uw gegevens zag"),
}

ACTIE_LABELS = {
    "view": N_("bekeken"),
    "create": N_("vastgelegd"),
    "update": N_("gewijzigd"),
    "delete": N_("verwijderd"),
    "export": N_("gedownload"),
    "send": N_("verstuurd"),
    "receive": N_("ontvangen"),
}

# Life domains (leefgebieden) of signals and the afwegingskader.
LEEFGEBIEDEN = {
    "financien": N_("Financiën en schulden"),
    "wonen": N_("Wonen"),
    "onderwijs": N_("Onderwijs en leerplicht"),
    "veiligheid": N_("Veiligheid"),
    "gezondheid": N_("Gezondheid"),
    "opvoeding": N_("Opvoeding en gezin"),
    "werk": N_("Werk en inkomen"),
}

# What a signal is about (used by the combination rules).
SIGNAAL_CATEGORIEEN = {
    "betalingsachterstand": N_("Betalingsachterstand"),
    "dreigende_uitzetting": N_("Dreigende huisuitzetting"),
    "schoolverzuim": N_("Schoolverzuim"),
    "politie": N_("Signaal van de politie"),
    "zorgen": N_("Zorgen over de situatie"),
    "overig": N_("Overig"),
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
    AfwegingStatus.OPEN: N_("Wordt gewogen"),
    AfwegingStatus.HEROPEND: N_("Heropend: nieuw signaal na afsluiten"),
    AfwegingStatus.BEEINDIGD: N_("Beëindigd: geen hulpvraag op meerdere leefgebieden"),
    AfwegingStatus.KOLOMMEN: N_("Dienstverlening in de kolommen"),
    AfwegingStatus.MULTIPROBLEMATIEK: N_("Multiproblematiek vastgesteld: plan"),
    AfwegingStatus.GESLOTEN: N_("Gesloten"),
}

# The states in which an afweging is still being weighed (a new signal joins it).
AFWEGING_LOPEND = (AfwegingStatus.OPEN, AfwegingStatus.HEROPEND)

AFWEGING_SLUITREDENEN = {
    "weigering": N_("Inwoner wil geen contact"),
    "onbereikbaar": N_("Inwoner niet bereikbaar"),
}

AFWEGING_STAPPEN = {
    1: N_("Signaal of hulpvraag ontvangen"),
    2: N_("Hulpvraag op twee of meer leefgebieden?"),
    3: N_("Is een integrale aanpak nodig?"),
    4: N_("Multiproblematiek vastgesteld: een plan maken"),
}
