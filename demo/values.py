"""The synthetic values of the demo data set: organisations, staff, names, streets, activities.

Dutch values, and nothing in it is a real person: the BSNs pass the 11-proef but are drawn at
random.
"""

from __future__ import annotations

import random

DEMO_PASSWORD = "eenplan-demo-2026"  # noqa: S105 - synthetic demo accounts only

ORGANISATIONS = [
    ("Gemeente Amsterdam", "gemeente"),
    ("Stichting Regie Noord", "wijkteam"),
    ("Buurtteam Amsterdam West", "wijkteam"),
    ("Schuldhulp Amsterdam", "schuldhulpverlening"),
    ("Jeugdhulp Amstel", "jeugdhulp"),
    ("GGZ Centrum IJ", "ggz"),
    ("Woonstichting Amstelland", "woningcorporatie"),
    ("Basisschool De Regenboog", "school"),
    ("Werkplein Amsterdam", "uitvoeringsorganisatie"),
]

# username, name, roles, organisation, phone
USERS = [
    ("regisseur", "Fatima el Amrani", ["regisseur"], "Gemeente Amsterdam", "020 555 0101"),
    ("regisseur2", "Jan de Vries", ["regisseur"], "Gemeente Amsterdam", "020 555 0102"),
    ("regisseur.noord", "Sanne Kramer", ["regisseur"], "Stichting Regie Noord", "020 555 0201"),
    ("hulpverlener", "Mehmet Yilmaz", ["hulpverlener"], "Schuldhulp Amsterdam", "020 555 0301"),
    ("hulpverlener.jeugd", "Anouk Visser", ["hulpverlener"], "Jeugdhulp Amstel", "020 555 0401"),
    ("hulpverlener.ggz", "Kwame Boateng", ["hulpverlener"], "GGZ Centrum IJ", "020 555 0501"),
    (
        "hulpverlener.wonen",
        "Lotte Bakker",
        ["hulpverlener"],
        "Woonstichting Amstelland",
        "020 555 0601",
    ),
    (
        "hulpverlener.west",
        "Priya Sewdien",
        ["hulpverlener"],
        "Buurtteam Amsterdam West",
        "020 555 0701",
    ),
    ("hulpverlener.werk", "Daan Smit", ["hulpverlener"], "Werkplein Amsterdam", "020 555 0801"),
    ("melder", "Ingrid Pinas", ["melder"], "Basisschool De Regenboog", "020 555 0901"),
    ("privacy", "Rob Meijer", ["privacy_officer"], "Gemeente Amsterdam", "020 555 0110"),
    ("beheer", "Esra Kaya", ["functioneel_beheerder"], "Gemeente Amsterdam", "020 555 0120"),
    ("teamleider", "Wim de Boer", ["teamleider"], "Gemeente Amsterdam", "020 555 0130"),
    ("beleid", "Fatima El Amrani", ["beleid"], "Gemeente Amsterdam", "020 555 0140"),
]

# A staff user without an authenticator and with a temporary password (the demo password).
NEW_COLLEAGUE = (
    "nieuwe.collega",
    "Noor Haddou",
    ["hulpverlener"],
    "Buurtteam Amsterdam West",
    "020 555 0702",
)

VOORNAMEN_M = [
    "Mohamed",
    "Jan",
    "Daan",
    "Noah",
    "Ayoub",
    "Kevin",
    "Mehmet",
    "Kofi",
    "Stefan",
    "Bilal",
    "Ricardo",
    "Thijs",
    "Youssef",
    "Ahmet",
    "Sem",
    "Luuk",
    "Milan",
    "Omar",
    "Dennis",
    "Rachid",
]
VOORNAMEN_V = [
    "Fatima",
    "Sanne",
    "Emma",
    "Lotte",
    "Yasmina",
    "Priya",
    "Sevda",
    "Anouk",
    "Naima",
    "Esther",
    "Julia",
    "Saskia",
    "Ilse",
    "Samira",
    "Tess",
    "Zeynep",
    "Shirley",
    "Mirjam",
    "Nora",
    "Aisha",
]
ACHTERNAMEN = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("", "Bakker"),
    ("el", "Amrani"),
    ("", "Yilmaz"),
    ("van den", "Berg"),
    ("", "Kramer"),
    ("", "Boateng"),
    ("", "Pinas"),
    ("", "Sedney"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Kaya"),
    ("", "Öztürk"),
    ("", "Benali"),
    ("", "Ouali"),
    ("", "Tahiri"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Hendriks"),
    ("", "Sewdien"),
    ("", "Doğan"),
]
STRATEN = [
    ("Kinkerstraat", "1053"),
    ("Javastraat", "1094"),
    ("Bos en Lommerweg", "1055"),
    ("Mercatorplein", "1057"),
    ("Osdorpplein", "1068"),
    ("Van der Pekstraat", "1031"),
    ("Bijlmerdreef", "1102"),
    ("Purmerweg", "1023"),
    ("Dapperstraat", "1093"),
    ("Jan Evertsenstraat", "1056"),
    ("Meeuwenlaan", "1021"),
    ("Ganzenhoef", "1103"),
]

ACTIVITEITEN: dict[str, list[str]] = {
    "schuldhulpverlening": [
        "Aanmelding bij schuldhulpverlening en opstellen van een overzicht van alle schulden",
        "Stabilisatie: betalingsregelingen treffen met de schuldeisers",
        "Aanvraag minnelijke schuldregeling",
    ],
    "budgetbeheer": [
        "Budgetbeheer: vaste lasten worden automatisch betaald",
        "Budgetcoaching: samen een weekbudget maken",
    ],
    "inkomensondersteuning": ["Aanvraag bijzondere bijstand", "Toeslagen controleren en aanvragen"],
    "opvoedondersteuning": ["Opvoedondersteuning: wekelijks gesprek over structuur en grenzen"],
    "jeugdhulp": [
        "Ambulante gezinsbegeleiding, wekelijks huisbezoek",
        "Begeleiding van de oudste zoon bij schoolverzuim",
    ],
    "ggz": [
        "Behandeling bij GGZ: intake en wekelijks gesprek",
        "Traject bij de praktijkondersteuner GGZ",
    ],
    "woonbegeleiding": ["Woonbegeleiding: huishouden op orde brengen"],
    "huisvesting": [
        "Afspraak met de woningcorporatie om huisuitzetting te voorkomen",
        "Urgentieaanvraag voor passende woning",
    ],
    "werk_reintegratie": [
        "Re-integratietraject richting betaald werk",
        "Taalcursus Nederlands via het Werkplein",
    ],
    "onderwijs": ["Gesprek met de leerplichtambtenaar en school over aanwezigheid"],
    "huisbezoek": ["Huisbezoek door de regisseur om het plan samen door te nemen"],
}
HUISHOUDEN_ACTIVITEITEN = [
    ("aanvraag", "Post elke week samen met de buddy openen en sorteren"),
    ("werk_reintegratie", "Inschrijven voor een taalcafé in de bibliotheek"),
    ("gezondheid", "Afspraak maken bij de huisarts"),
    ("aanvraag", "Bewijsstukken verzamelen voor de schuldhulpaanvraag"),
]
ORG_VOOR_AARD = {
    "schuldhulpverlening": "Schuldhulp Amsterdam",
    "budgetbeheer": "Schuldhulp Amsterdam",
    "inkomensondersteuning": "Werkplein Amsterdam",
    "opvoedondersteuning": "Jeugdhulp Amstel",
    "jeugdhulp": "Jeugdhulp Amstel",
    "ggz": "GGZ Centrum IJ",
    "woonbegeleiding": "Buurtteam Amsterdam West",
    "huisvesting": "Woonstichting Amstelland",
    "werk_reintegratie": "Werkplein Amsterdam",
    "onderwijs": "Basisschool De Regenboog",
    "huisbezoek": "Gemeente Amsterdam",
}


def make_bsn(rng: random.Random, used: set[str]) -> str:
    """A 9-digit number that passes the 11-proef (synthetic; not issued to anyone known)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last == 10:
            continue
        bsn = "".join(map(str, digits)) + str(last)
        if bsn not in used:
            used.add(bsn)
            return bsn
