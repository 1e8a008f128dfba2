"""Signals in the test world (issue 6).

* ``kees_melding`` — melder1 (a school) reported a concern about Kees through the web form;
  not weighed yet, so it is in the signal team's queue.
* ``nieuw_toeslagen`` — a Toeslagen signal about a BSN nobody in Eenplan has: to be matched.
* ``dirk`` — an open case (afweging, step 1 answered) about Dirk, from a CJIB signal
  (``dirk_cjib``), with an unanswered dát-informatie question to Schuldhulp (``dirk_schuldhulp``, step 2,
  due in a week), which Schuldhulp's hulpverlener (hulp1) answers on /vragen/.
"""

from __future__ import annotations

import datetime as dt

from app.clock import now, today
from app.db import session
from app.signalen.models import (
    Afweging,
    AfwegingStap,
    DatInformatieVraag,
    SignaalBron,
    Vroegsignaal,
)
from app.users.models import User
from tests.support.world import BSN, World


def build_signalen(w: World, users: dict[str, User]) -> None:
    from sqlalchemy import select

    for b in session.scalars(select(SignaalBron)):
        w.bronnen[b.code] = b.id
    cjib = session.scalars(select(SignaalBron).where(SignaalBron.code == "cjib")).one()
    melding = Vroegsignaal(
        bron_id=None,
        melder_id=users["melder1"].id,
        melder_volgnummer=1,  # melder1's first report ("Melding 1")
        person_id=w.persons["kees"],
        bsn=BSN["kees"],
        melder_naam="Mees Melder",
        melder_contact="mees@school.example",
        relatie="Mentor",
        aanleiding="Kees is vaak afwezig",
        inhoud="Kees vertelt dat er thuis geen geld is voor eten.",
        categorie="schoolverzuim",
        domeinen="onderwijs,financien",
        signaaldatum=today(),
        ontvangen_op=now() - dt.timedelta(hours=2),
    )
    session.add(melding)
    reg1 = users["reg1"]
    case = Afweging(
        person_id=w.persons["dirk"],
        aanleiding="signalen",
        status="open",
        regisseur_id=reg1.id,
        geopend_op=now() - dt.timedelta(days=1),
    )
    session.add(case)
    session.flush()
    signaal = Vroegsignaal(
        bron_id=cjib.id,
        bron_referentie="CJIB-WORLD-1",
        person_id=w.persons["dirk"],
        bsn=BSN["dirk"],
        categorie="betalingsachterstand",
        domeinen="financien",
        gegevens={"bedrag": "420.00", "maanden_achterstand": 4},
        signaaldatum=today(),
        ontvangen_op=now() - dt.timedelta(days=2),
        afweging_id=case.id,
    )
    session.add(signaal)
    session.add(
        AfwegingStap(
            afweging=case,
            stap=1,
            antwoord=True,
            motivering="1 signaal ontvangen van CJIB",
            besloten_door_id=reg1.id,
            besloten_door_naam=reg1.name,
            besloten_op=now() - dt.timedelta(days=1),
        )
    )
    vraag = DatInformatieVraag(
        afweging=case,
        person_id=w.persons["dirk"],
        organisation_id=w.orgs["schuldhulp"],
        stap=2,
        gevraagd_door_id=reg1.id,
        gevraagd_op=now() - dt.timedelta(hours=20),
        uiterlijk_op=today() + dt.timedelta(days=7),
    )
    session.add(vraag)
    session.flush()
    toeslagen = session.scalars(select(SignaalBron).where(SignaalBron.code == "toeslagen")).one()
    onbekend = Vroegsignaal(
        bron_id=toeslagen.id,
        bron_referentie="TOESLAGEN-WORLD-1",
        bsn=BSN["nieuw"],  # nobody in Eenplan has this BSN yet
        categorie="betalingsachterstand",
        domeinen="financien",
        gegevens={"bedrag": "75.00"},
        signaaldatum=today(),
        ontvangen_op=now() - dt.timedelta(hours=5),
    )
    session.add(onbekend)
    session.flush()
    w.signalen["nieuw_toeslagen"] = onbekend.id
    w.signalen["kees_melding"] = melding.id
    w.signalen["dirk_cjib"] = signaal.id
    w.afwegingen["dirk"] = case.id
    w.dat_vragen["dirk_schuldhulp"] = vraag.id
