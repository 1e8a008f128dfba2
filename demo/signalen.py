"""Demo signals (vroegsignalering) for the signal team's queue."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import select

from app.access.plans import exists_plan
from app.clock import now
from app.db import session
from app.domain import AfwegingStatus, Rol
from app.people.models import Person
from app.signalen.models import Afweging, AfwegingStap, SignaalBron, Vroegsignaal
from app.users.models import User
from demo.values import make_bsn


def demo_signalen(
    rng: random.Random, people: list[Person], users: dict[str, User], *, used_bsns: set[str]
) -> int:
    """Signals for the signal team's queue: combinations that fire the default rules, single
    arrears, a melder's concern, a signal not yet matched, and a case reopened by a new signal."""
    bronnen = {b.code: b for b in session.scalars(select(SignaalBron))}
    if not bronnen:
        return 0
    stamp = now()
    day = stamp.date()
    # Arrears and a threatened eviction are about adults (a believable demo: no debt signals for
    # a child); the school's concern is about a parent of a school-age child at the same address.
    free = [p for p in people if p.leeftijd(day) >= 21 and not exists_plan(p.id)]
    if len(free) < 10:
        return 0
    rng.shuffle(free)
    schoolkind = {p.adres for p in people if 6 <= p.leeftijd(day) <= 16}
    ouders = [p for p in free if p.adres in schoolkind]
    if ouders:  # the parent becomes c below
        free.remove(ouders[0])
        free.insert(2, ouders[0])
    melder = next(u for u in users.values() if u.has_role(Rol.MELDER))
    regisseur = next(u for u in users.values() if u.has_role(Rol.REGISSEUR))
    count = 0

    def signaal(p: Person | None, code: str | None, days: int, **kw: Any) -> Vroegsignaal:
        nonlocal count
        count += 1
        b = bronnen.get(code) if code else None
        s = Vroegsignaal(
            bron_id=b.id if b else None,
            bron_referentie=f"DEMO-{count}" if b else None,
            person_id=p.id if p else None,
            bsn=p.bsn if p else kw.pop("bsn", None),
            signaaldatum=(stamp - dt.timedelta(days=days)).date(),
            ontvangen_op=stamp - dt.timedelta(days=days, hours=rng.randint(0, 8)),
            categorie=kw.pop("categorie", "betalingsachterstand"),
            domeinen=kw.pop("domeinen", ",".join(b.domeinen) if b else "financien"),
            **kw,
        )
        session.add(s)
        return s

    def schuld(bedrag: int, maanden: int, soort: str, eiser: str) -> dict[str, Any]:
        return {
            "bedrag": f"{bedrag}.00",
            "maanden_achterstand": maanden,
            "schuldsoort": soort,
            "schuldeiser": eiser,
        }

    a, b, c, d, e = free[:5]
    signaal(
        a, "belastingdienst", 3, gegevens=schuld(1840, 4, "inkomstenbelasting", "Belastingdienst")
    )
    signaal(a, "cak", 9, gegevens=schuld(312, 3, "eigen bijdrage Wmo", "CAK"))
    signaal(a, "cjib", 12, gegevens=schuld(450, 2, "verkeersboete", "CJIB"))
    signaal(
        b,
        "woningcorporatie",
        1,
        categorie="dreigende_uitzetting",
        gegevens={**schuld(2650, 5, "huur", "Woonstad"), "dreigende_ontruiming": True},
    )
    signaal(
        c,
        None,
        2,
        melder_id=melder.id,
        melder_volgnummer=1,  # the demo melder's first report ("Melding 1")
        melder_naam=melder.name,
        melder_contact=melder.phone or "",
        relatie="Intern begeleider van de zoon",
        aanleiding="De zoon was deze maand negen dagen afwezig.",
        inhoud="Moeder vertelde dat zij de huur niet meer kan betalen en slecht slaapt.",
        categorie="schoolverzuim",
        domeinen="onderwijs,opvoeding",
    )
    signaal(c, "politie", 5, categorie="politie", inhoud="Melding van burenruzie op het adres.")
    signaal(d, "energie", 20, gegevens=schuld(380, 2, "energie", "Energieleverancier"))
    signaal(e, "zorgverzekeraar", 30, gegevens=schuld(610, 4, "premie", "Zorgverzekeraar"))
    for p in free[5:9]:
        code = rng.choice(["water", "energie", "toeslagen", "uwv"])
        signaal(p, code, rng.randint(1, 60), gegevens=schuld(rng.randint(90, 900), 2, code, code))
    # Someone not (yet) in Eenplan, in arrears with three government creditors: one row in the
    # queue, the rule for three government creditors fired (issue 13, item 5).
    onbekend = make_bsn(rng, used_bsns)
    for code, dagen, bedrag, eiser in (
        ("toeslagen", 4, 720, "Toeslagen"),
        ("belastingdienst", 11, 1210, "Belastingdienst"),
        ("cjib", 20, 380, "CJIB"),
    ):
        signaal(None, code, dagen, bsn=onbekend, gegevens=schuld(bedrag, 3, code, eiser))
    # A case closed because the person could not be reached, reopened by a new signal.
    f = free[9]
    session.flush()
    old = signaal(f, "water", 70, gegevens=schuld(140, 2, "water", "Drinkwaterbedrijf"))
    case = Afweging(
        person_id=f.id,
        aanleiding="signalen",
        status=AfwegingStatus.HEROPEND,
        regisseur_id=regisseur.id,
        geopend_op=stamp - dt.timedelta(days=60),
        gesloten_op=stamp - dt.timedelta(days=40),
        heropend_op=stamp - dt.timedelta(days=1),
        sluitreden="onbereikbaar",
    )
    session.add(case)
    session.flush()
    old.afweging_id = case.id
    for stap, antwoord, tekst, days in (
        (1, True, "1 signaal ontvangen van het drinkwaterbedrijf", 60),
        (2, False, "Inwoner niet bereikbaar: drie keer gebeld en een brief gestuurd.", 40),
    ):
        session.add(
            AfwegingStap(
                afweging=case,
                stap=stap,
                antwoord=antwoord,
                motivering=tekst,
                besloten_door_id=regisseur.id,
                besloten_door_naam=regisseur.name,
                besloten_op=stamp - dt.timedelta(days=days),
            )
        )
    signaal(f, "energie", 1, gegevens=schuld(260, 2, "energie", "Energieleverancier"))
    session.flush()
    return count
