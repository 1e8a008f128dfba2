"""The synthetic source that ships with Eenplan: realistic, Dutch, deterministic per BSN.

Real registers cannot be reached from a development machine, so this adapter stands in for all
sources. It is consistent with the people in Eenplan's own database (the demo data of
``demo/`` and the test world): the BRP answers with the person's name, address and the
household from the gezinslinks; children get school, leerplicht and youth-care answers, adults
income, debts and Wmo; someone whose plan has a debt-help activity is known at schuldhulp since
that activity started. Everything else is drawn from a random generator seeded with the source
and the BSN, so the same person always gets the same answer.

It reads the database with internal queries (``audit_internal``): it plays an external system
and shows nothing itself; what the inkijk shows of its answer is logged by the inkijk.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select

from app.clock import now, today
from app.db import session
from app.domain import Relatie
from app.inkijk.bronnen import BUITENKANT, BronAntwoord, Feit, register_adapter
from app.inkijk.haalcentraal import brp_antwoord, datum_json, maand_jaar
from app.inkijk.synthetisch_nieuw import nog_niet_in_eenplan
from app.people.models import Person
from app.plans.models import Activity, Gezinslink, Plan

HERKOMST = "Synthetische testbron (Eenplan)"
# Dates are drawn up to this day (or today, when earlier), so answers do not shift daily.
ANKER = dt.date(2026, 1, 1)
GEMEENTE_CODES = {"Amsterdam": "0363"}


@dataclass(frozen=True)
class _Persoon:
    id: int
    bsn: str
    voornamen: str
    tussenvoegsel: str | None
    achternaam: str
    geboortedatum: dt.date
    straat: str | None
    huisnummer: str | None
    toevoeging: str | None
    postcode: str | None
    woonplaats: str | None

    def leeftijd(self, day: dt.date) -> int:
        g = self.geboortedatum
        return day.year - g.year - ((day.month, day.day) < (g.month, g.day))

    def naam_json(self) -> dict[str, Any]:
        naam = " ".join(p for p in (self.voornamen, self.tussenvoegsel, self.achternaam) if p)
        return {
            "voornamen": self.voornamen,
            "voorvoegsel": self.tussenvoegsel,
            "geslachtsnaam": self.achternaam,
            "volledigeNaam": naam,
        }


def _personen(where: Any) -> list[_Persoon]:
    rows = session.execute(
        select(
            Person.id,
            Person.bsn,
            Person.voornamen,
            Person.tussenvoegsel,
            Person.achternaam,
            Person.geboortedatum,
            Person.straat,
            Person.huisnummer,
            Person.huisnummer_toevoeging,
            Person.postcode,
            Person.woonplaats,
        )
        .where(where)
        .order_by(Person.geboortedatum, Person.id)
        .execution_options(audit_internal=True)
    )
    return [_Persoon(*row) for row in rows]


def _persoon(bsn: str) -> _Persoon | None:
    found = _personen(Person.bsn == bsn)
    return found[0] if found else None


def _nog_niet_in_eenplan(bsn: str) -> _Persoon | None:
    found = nog_niet_in_eenplan(bsn)
    return _Persoon(id=0, **found) if found else None


def _gezin(pid: int) -> dict[str, list[_Persoon]]:
    """Partners, children and parents from the active gezinslinks."""
    rows = session.execute(
        select(Gezinslink.person_a_id, Gezinslink.person_b_id, Gezinslink.relatie)
        .where(
            or_(Gezinslink.person_a_id == pid, Gezinslink.person_b_id == pid),
            Gezinslink.verbroken_op.is_(None),
        )
        .execution_options(audit_internal=True)
    ).all()
    ids: dict[str, set[int]] = {"partners": set(), "kinderen": set(), "ouders": set()}
    for a, b, relatie in rows:
        other = b if a == pid else a
        if relatie == Relatie.PARTNER:
            ids["partners"].add(other)
        elif relatie == Relatie.OUDER_VAN:
            ids["kinderen" if a == pid else "ouders"].add(other)
    out: dict[str, list[_Persoon]] = {}
    for key, members in ids.items():
        out[key] = _personen(Person.id.in_(members)) if members else []
    return out


def _rng(bron: str, bsn: str) -> random.Random:
    seed = hashlib.sha256(f"eenplan-synthetisch:{bron}:{bsn}".encode()).hexdigest()
    return random.Random(int(seed[:16], 16))


def _dag(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return end
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _maand(d: dt.date) -> dt.date:
    return d.replace(day=1)


def euro(amount: float) -> str:
    whole, cents = divmod(round(amount * 100), 100)
    return f"€ {whole:,}".replace(",", ".") + f",{cents:02d}"


def _plan_activiteiten(
    person_ids: list[int], aarden: tuple[str, ...]
) -> list[tuple[dt.date, bool]]:
    """(start, afgerond) of activities of these kinds in plans of these people."""
    if not person_ids:
        return []
    rows = session.execute(
        select(Activity.start_date, Activity.afgerond)
        .join(Plan, Plan.id == Activity.plan_id)
        .where(and_(Plan.person_id.in_(person_ids), Activity.aard.in_(aarden)))
        .order_by(Activity.start_date)
        .execution_options(audit_internal=True)
    ).all()
    return [(start, bool(done)) for start, done in rows]


class SynthetischeBron:
    herkomst = HERKOMST
    partij: str | None = None

    def __init__(self, bron: str) -> None:
        self.bron = bron

    def vraag(self, bsn: str, niveau: str) -> BronAntwoord:
        day = today()
        persoon = _persoon(bsn)
        if self.bron == "brp":
            persoon = persoon or _nog_niet_in_eenplan(bsn)
            return brp_antwoord(
                self.brp_persoon(persoon, day) if persoon else None, niveau, self.herkomst, day=day
            )
        if persoon is None:
            return self._antwoord(niveau, False, [Feit("onbekend", "Bekend bij de bron", "Nee")])
        rng = _rng(self.bron, bsn)
        bekend, feiten = getattr(self, f"_{self.bron}")(persoon, niveau, rng, day)
        return self._antwoord(niveau, bekend, feiten)

    def raadpleeg(self, bsn: str) -> dict[str, Any] | None:
        """The BRP's person (Haal Centraal shape), to record them in Eenplan."""
        if self.bron != "brp":
            raise ValueError("alleen de BRP kent personen")
        persoon = _persoon(bsn) or _nog_niet_in_eenplan(bsn)
        return self.brp_persoon(persoon, today()) if persoon else None

    def _antwoord(self, niveau: str, bekend: bool, feiten: list[Feit]) -> BronAntwoord:
        return BronAntwoord(
            bron=self.bron,
            niveau=niveau,
            bekend=bekend,
            feiten=tuple(feiten),
            herkomst=self.herkomst,
            opgehaald_op=now(),
        )

    # -- BRP: an answer in the shape of the Haal Centraal BRP API, from Eenplan's own people --
    def brp_persoon(self, p: _Persoon, day: dt.date) -> dict[str, Any]:
        rng = _rng("brp", p.bsn)
        end = min(day, ANKER)
        sinds = _dag(rng, max(p.geboortedatum, dt.date(2005, 1, 1)), end)
        woonplaats = p.woonplaats or "Amsterdam"
        gezin = _gezin(p.id) if p.id else {"partners": [], "kinderen": [], "ouders": []}

        def rel(r: _Persoon, **extra: Any) -> dict[str, Any]:
            return {
                "burgerservicenummer": r.bsn,
                "naam": r.naam_json(),
                "geboorte": {"datum": datum_json(r.geboortedatum)},
                **extra,
            }

        return {
            "burgerservicenummer": p.bsn,
            "naam": p.naam_json(),
            "geboorte": {"datum": datum_json(p.geboortedatum)},
            "leeftijd": p.leeftijd(day),
            "gemeenteVanInschrijving": {
                "code": GEMEENTE_CODES.get(woonplaats, "0000"),
                "omschrijving": woonplaats,
            },
            "verblijfplaats": {
                "type": "Adres",
                "verblijfadres": {
                    "officieleStraatnaam": p.straat,
                    "korteStraatnaam": p.straat,
                    "huisnummer": int(p.huisnummer)
                    if p.huisnummer and p.huisnummer.isdigit()
                    else None,
                    "huisnummertoevoeging": p.toevoeging,
                    "postcode": p.postcode,
                    "woonplaats": woonplaats,
                },
                "datumVan": datum_json(sinds),
            },
            "partners": [
                rel(r, soortVerbintenis={"code": "H", "omschrijving": "huwelijk"})
                for r in gezin["partners"]
            ],
            "kinderen": [rel(r) for r in gezin["kinderen"]],
            "ouders": [rel(r, ouderAanduiding=str(n)) for n, r in enumerate(gezin["ouders"], 1)],
        }

    # -- income and benefits ----------------------------------------------------------------
    def _inkomen(
        self, p: _Persoon, niveau: str, rng: random.Random, day: dt.date
    ) -> tuple[bool, list[Feit]]:
        if p.leeftijd(day) < 18:
            return False, [Feit("inkomen", "Inkomen", "Minderjarig: geen eigen inkomen bekend")]
        soort = rng.choice(["bijstand", "bijstand", "loon", "ww", "loon", "geen"])
        sinds = _maand(
            _dag(
                rng,
                max(dt.date(p.geboortedatum.year + 18, 1, 1), dt.date(2015, 1, 1)),
                min(day, ANKER),
            )
        )
        toeslagen = rng.choice(
            [
                ["huurtoeslag", "zorgtoeslag"],
                ["zorgtoeslag"],
                [],
                ["huurtoeslag", "zorgtoeslag", "kindgebonden budget"],
            ]
        )
        label = {
            "bijstand": "Uitkering Participatiewet (bijstand)",
            "loon": "Inkomen uit loondienst",
            "ww": "WW-uitkering (UWV)",
            "geen": "Geen inkomen of uitkering bekend",
        }[soort]
        if niveau == BUITENKANT:
            feiten = [
                Feit(
                    "inkomen",
                    "Inkomen",
                    f"{label}, sinds {maand_jaar(sinds)}" if soort != "geen" else label,
                    sinds if soort != "geen" else None,
                ),
                Feit(
                    "toeslagen",
                    "Toeslagen",
                    ", ".join(toeslagen).capitalize() if toeslagen else "Geen toeslagen bekend",
                ),
            ]
            return soort != "geen" or bool(toeslagen), feiten
        bedrag = {
            "bijstand": rng.uniform(1150, 1900),
            "loon": rng.uniform(1600, 2700),
            "ww": rng.uniform(1300, 2100),
            "geen": 0.0,
        }[soort]
        feiten = []
        if soort != "geen":
            instantie = {
                "bijstand": "Werkplein van de gemeente",
                "loon": rng.choice(
                    ["Schoonmaakbedrijf Amstel BV", "Supermarkt De Buurt", "Thuiszorg West"]
                ),
                "ww": "UWV",
            }[soort]
            feiten.append(Feit("bedrag", "Netto per maand", euro(bedrag), sinds))
            feiten.append(Feit("instantie", "Uitkerende instantie of werkgever", instantie))
        for t in toeslagen:
            feiten.append(
                Feit(f"toeslag-{t}", t.capitalize(), f"{euro(rng.uniform(40, 420))} per maand")
            )
        if rng.random() < 0.3:
            feiten.append(
                Feit("terugvordering", "Terugvordering toeslagen", euro(rng.uniform(300, 6000)))
            )
        return soort != "geen" or bool(toeslagen), feiten

    # -- debts and debt help --------------------------------------------------------------------
    def _schulden(
        self, p: _Persoon, niveau: str, rng: random.Random, day: dt.date
    ) -> tuple[bool, list[Feit]]:
        if p.leeftijd(day) < 18:
            return False, [
                Feit("schuldhulp", "Schuldhulpverlening", "Niet bekend bij schuldhulpverlening")
            ]
        trajecten = _plan_activiteiten([p.id], ("schuldhulpverlening", "budgetbeheer"))
        if trajecten:
            sinds = _maand(trajecten[0][0])
            actief = any(not done for _, done in trajecten)
        elif rng.random() < 0.35:
            sinds = _maand(_dag(rng, dt.date(2022, 1, 1), min(day, ANKER)))
            actief = rng.random() < 0.7
        else:
            sinds = None
            actief = False
        achterstand = rng.random() < (0.6 if sinds else 0.2)
        achterstand_sinds = _maand(_dag(rng, dt.date(2024, 1, 1), min(day, ANKER)))
        if niveau == BUITENKANT:
            feiten = [
                Feit(
                    "schuldhulp",
                    "Schuldhulpverlening",
                    f"Bekend bij schuldhulpverlening sinds {maand_jaar(sinds)}, traject {'actief' if actief else 'afgerond'}"
                    if sinds
                    else "Niet bekend bij schuldhulpverlening",
                    sinds,
                ),
                Feit(
                    "achterstand",
                    "Betalingsachterstand vaste lasten gemeld",
                    f"Ja, sinds {maand_jaar(achterstand_sinds)}" if achterstand else "Nee",
                    achterstand_sinds if achterstand else None,
                ),
            ]
            return bool(sinds) or achterstand, feiten
        feiten = []
        if sinds or achterstand:
            n = rng.randint(2, 11)
            totaal = rng.uniform(1200, 28000)
            grootste = rng.choice(
                [
                    "Belastingdienst/Toeslagen",
                    "CJIB",
                    "Zorgverzekeraar (CAK)",
                    "Woningcorporatie",
                    "Energieleverancier",
                ]
            )
            feiten += [
                Feit("totaal", "Totale schuld", f"{euro(totaal)} bij {n} schuldeisers"),
                Feit(
                    "grootste",
                    "Grootste schuldeiser",
                    f"{grootste} ({euro(totaal * rng.uniform(0.2, 0.45))})",
                ),
            ]
        if sinds:
            feiten += [
                Feit(
                    "fase",
                    "Fase van het traject",
                    rng.choice(["Stabilisatie", "Minnelijke schuldregeling", "Budgetbeheer"])
                    if actief
                    else "Afgerond",
                ),
                Feit(
                    "bewind",
                    "Beschermingsbewind",
                    rng.choice(["Nee", "Nee", "Ja, sinds " + maand_jaar(sinds)]),
                ),
            ]
        if achterstand:
            feiten.append(
                Feit(
                    "achterstand-bij",
                    "Achterstand gemeld door",
                    rng.choice(
                        ["Woningcorporatie (huur)", "Energieleverancier", "Zorgverzekeraar"]
                    ),
                )
            )
        if not feiten:
            feiten.append(Feit("geen", "Schulden", "Geen schulden of achterstanden bekend"))
        return bool(sinds) or achterstand, feiten

    # -- education ----------------------------------------------------------------------------
    def _onderwijs(
        self, p: _Persoon, niveau: str, rng: random.Random, day: dt.date
    ) -> tuple[bool, list[Feit]]:
        age = p.leeftijd(day)
        if age < 4:
            return False, [Feit("school", "Ingeschreven bij een school", "Nee, nog te jong")]
        if age < 18:
            soort = (
                "primair onderwijs"
                if age < 12
                else rng.choice(["vmbo", "havo", "vwo", "praktijkonderwijs"])
            )
            start_jaar = p.geboortedatum.year + (4 if age < 12 else 12)
            sinds = dt.date(start_jaar, 8, 15)
            if niveau == BUITENKANT:
                return True, [
                    Feit(
                        "school",
                        "Ingeschreven bij een school",
                        f"Ja, {soort}, sinds {maand_jaar(sinds)}",
                        sinds,
                    )
                ]
            school = (
                rng.choice(["Basisschool De Regenboog", "Basisschool Het Palet", "OBS De Kikker"])
                if age < 12
                else rng.choice(["Het Amstel College", "Mundus College", "Cartesius Lyceum"])
            )
            klas = (
                f"Groep {min(8, age - 3)}" if age < 12 else f"Leerjaar {min(6, age - 11)} {soort}"
            )
            return True, [
                Feit(
                    "schoolnaam",
                    "School",
                    f"{school} (BRIN {rng.randint(10, 31)}{rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')})",
                ),
                Feit("klas", "Klas", klas),
                Feit(
                    "zorg",
                    "Extra ondersteuning op school",
                    rng.choice(
                        [
                            "Nee",
                            "Ja, ontwikkelingsperspectief (OPP)",
                            "Ja, begeleiding door de intern begeleider",
                        ]
                    ),
                ),
            ]
        opleiding = rng.choice(
            [
                "basisonderwijs",
                "vmbo",
                "mbo niveau 1",
                "mbo niveau 2",
                "mbo niveau 3",
                "havo",
                "hbo",
            ]
        )
        if niveau == BUITENKANT:
            return True, [Feit("opleiding", "Hoogst behaalde opleiding", opleiding.capitalize())]
        jaar = p.geboortedatum.year + rng.randint(16, 22)
        return True, [
            Feit("diploma", "Diploma", f"{opleiding.capitalize()}, behaald in {jaar}"),
            Feit(
                "inburgering",
                "Inburgering",
                rng.choice(["Niet van toepassing", "Afgerond", "Loopt (taalniveau B1)"]),
            ),
        ]

    # -- leerplicht and RMC -----------------------------------------------------------------------
    def _leerplicht(
        self, p: _Persoon, niveau: str, rng: random.Random, day: dt.date
    ) -> tuple[bool, list[Feit]]:
        age = p.leeftijd(day)
        if 5 <= age < 18:
            verzuim = rng.random() < 0.35
            sinds = _maand(_dag(rng, dt.date(2025, 1, 1), min(day, ANKER)))
            if niveau == BUITENKANT:
                return True, [
                    Feit("leerplichtig", "Leerplichtig", "Ja"),
                    Feit(
                        "verzuim",
                        "Verzuimmelding",
                        f"Ongeoorloofd verzuim gemeld sinds {maand_jaar(sinds)}, in behandeling"
                        if verzuim
                        else "Geen verzuimmelding",
                        sinds if verzuim else None,
                    ),
                ]
            feiten = [
                Feit(
                    "leerplichtambtenaar",
                    "Leerplichtambtenaar",
                    rng.choice(["J. de Groot", "S. Ouali", "M. Bakker"]),
                )
            ]
            if verzuim:
                feiten += [
                    Feit(
                        "uren", "Ongeoorloofd verzuim dit schooljaar", f"{rng.randint(16, 90)} uur"
                    ),
                    Feit(
                        "aanpak",
                        "Afspraken",
                        rng.choice(
                            [
                                "Gesprek met ouders en school gevoerd",
                                "Verwezen naar Bureau Halt",
                                "Zorgmelding bij het wijkteam",
                            ]
                        ),
                    ),
                ]
            return True, feiten
        if 18 <= age < 23:
            vsv = rng.random() < 0.4
            if niveau == BUITENKANT:
                return True, [
                    Feit(
                        "rmc",
                        "Voortijdig schoolverlater (RMC)",
                        "Ja, zonder startkwalificatie" if vsv else "Nee",
                    )
                ]
            return True, [
                Feit(
                    "rmc-traject",
                    "RMC-traject",
                    rng.choice(["Begeleiding naar mbo-opleiding", "Traject naar werk"])
                    if vsv
                    else "Geen",
                )
            ]
        return False, [Feit("leerplichtig", "Leerplichtig", "Nee")]

    # -- youth care ---------------------------------------------------------------------------------
    def _jeugdhulp(
        self, p: _Persoon, niveau: str, rng: random.Random, day: dt.date
    ) -> tuple[bool, list[Feit]]:
        if p.leeftijd(day) >= 18:
            return False, [
                Feit("indicatie", "Indicatie jeugdhulp", "Niet van toepassing (meerderjarig)")
            ]
        ouders = _gezin(p.id)["ouders"]
        trajecten = _plan_activiteiten(
            [p.id, *[o.id for o in ouders]], ("jeugdhulp", "opvoedondersteuning")
        )
        if trajecten:
            sinds = _maand(trajecten[0][0])
        elif rng.random() < 0.3:
            sinds = _maand(_dag(rng, dt.date(2023, 1, 1), min(day, ANKER)))
        else:
            return False, [Feit("indicatie", "Indicatie jeugdhulp", "Geen indicatie bekend")]
        tot = sinds.replace(year=sinds.year + 1)
        soort = rng.choice(
            ["Ambulante jeugdhulp", "Gezinsbegeleiding", "Jeugd-GGZ (basis)", "Dagbehandeling"]
        )
        if niveau == BUITENKANT:
            return True, [
                Feit(
                    "indicatie",
                    "Indicatie jeugdhulp",
                    f"{soort}, van {maand_jaar(sinds)} tot {maand_jaar(tot)}",
                    sinds,
                )
            ]
        return True, [
            Feit(
                "aanbieder",
                "Aanbieder",
                rng.choice(["Jeugdhulp Amstel", "Jeugdhulp Teststad", "Spirit"]),
            ),
            Feit("omvang", "Omvang", f"{rng.randint(2, 8)} uur per week"),
            Feit("verwijzer", "Verwezen door", rng.choice(["Huisarts", "Wijkteam", "Jeugdarts"])),
            Feit("beschikking", "Beschikking", f"JW-{sinds.year}-{rng.randint(1000, 9999):06d}"),
        ]

    # -- Wmo support and care ----------------------------------------------------------------------
    def _wmo(
        self, p: _Persoon, niveau: str, rng: random.Random, day: dt.date
    ) -> tuple[bool, list[Feit]]:
        if p.leeftijd(day) < 18 or rng.random() >= 0.35:
            return False, [Feit("voorziening", "Wmo-voorziening", "Geen voorziening bekend")]
        sinds = _maand(_dag(rng, dt.date(2021, 1, 1), min(day, ANKER)))
        soort = rng.choice(
            [
                "Hulp bij het huishouden",
                "Begeleiding individueel",
                "Dagbesteding",
                "Beschermd wonen",
            ]
        )
        if niveau == BUITENKANT:
            return True, [
                Feit("voorziening", "Wmo-voorziening", f"{soort}, sinds {maand_jaar(sinds)}", sinds)
            ]
        return True, [
            Feit(
                "aanbieder",
                "Aanbieder",
                rng.choice(["Thuiszorg West", "Cordaan", "Buurtteam Amsterdam West"]),
            ),
            Feit("omvang", "Omvang", f"{rng.randint(2, 10)} uur per week"),
            Feit("beschikking", "Beschikking", f"WMO-{sinds.year}-{rng.randint(1000, 9999):06d}"),
            Feit("eigen-bijdrage", "Eigen bijdrage", f"{euro(21.0)} per maand (abonnementstarief)"),
        ]


def _factory(bron: str, config: dict[str, Any]) -> SynthetischeBron:
    return SynthetischeBron(bron)


register_adapter("synthetisch", _factory)
