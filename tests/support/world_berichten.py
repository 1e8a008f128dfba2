"""Messages in the test world (issue 7): threads on plans a, b and c.

* ``a_plan`` — the plan thread on plan a: reg1, hulp1 (Schuldhulp), hulp1 under beroepsgeheim,
  hulp_jeugd (Jeugdhulp).
* ``a_hulp1`` — direct thread reg1 ↔ hulp1 on plan a, with a PDF attachment (``a_pdf``).
* ``a_inwoner`` — direct thread reg1 ↔ the citizen (Anna) on plan a.
* ``b_plan`` — the plan thread on plan b: reg2, hulp_jeugd.
* ``c_plan`` — the plan thread on plan c: hulp1 (while Schuldhulp was involved), reg2.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.berichten.models import (
    SOORT_HULPVERLENER,
    SOORT_INWONER,
    SOORT_PLAN,
    Bericht,
    Bijlage,
    Gesprek,
)
from app.clock import now
from app.db import session

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Texts, so tests can check who sees what.
TEKST = {
    "a_reg1": "Welkom in het gesprek over het plan.",
    "a_schuld": "Schuldhulp: intake staat gepland.",
    "a_geheim": "Onder beroepsgeheim: er loopt ook een traject bij ons.",
    "a_jeugd": "Jeugdhulp: eerste huisbezoek gedaan.",
    "a_direct_reg1": "Kun je de stand van zaken sturen?",
    "a_direct_hulp1": "Hierbij het overzicht.",
    "a_inwoner": "Beste mevrouw, ik bel u volgende week.",
    "b_reg2": "Afspraak met school staat.",
    "b_jeugd": "Begeleiding loopt goed.",
    "c_schuld": "Budgetplan is klaar.",
    "c_reg2": "Dank, dan sluiten we dit deel af.",
}


def build_berichten(w: Any, users: dict[str, Any]) -> None:
    start = now() - dt.timedelta(days=5)
    n = 0

    def gesprek(key: str, plan: str, soort: str, hulpverlener: str | None = None) -> Gesprek:
        plan_id = w.plans[plan]
        hid = users[hulpverlener].id if hulpverlener else None
        g = Gesprek(
            plan_id=plan_id,
            soort=soort,
            hulpverlener_id=hid,
            sleutel=Gesprek.maak_sleutel(plan_id, soort, hid),
        )
        session.add(g)
        session.flush()
        w.gesprekken[key] = g.id
        return g

    def bericht(g: Gesprek, author: str, rol: str, tekst: str, geheim: bool = False) -> Bericht:
        nonlocal n
        n += 1
        u = users[author]
        org = u.organisation
        b = Bericht(
            gesprek_id=g.id,
            plan_id=g.plan_id,
            author_id=u.id,
            author_name=u.name,
            author_rol=rol,
            author_organisation_id=org.id,
            author_organisation=org.name,
            body=TEKST[tekst],
            beroepsgeheim=geheim,
            created_at=start + dt.timedelta(hours=n),
        )
        session.add(b)
        session.flush()
        g.laatste_bericht_op = b.created_at
        w.berichten[tekst] = b.id
        return b

    a_plan = gesprek("a_plan", "a", SOORT_PLAN)
    bericht(a_plan, "reg1", "regisseur", "a_reg1")
    bericht(a_plan, "hulp1", "hulpverlener", "a_schuld")
    bericht(a_plan, "hulp1", "hulpverlener", "a_geheim", geheim=True)
    bericht(a_plan, "hulp_jeugd", "hulpverlener", "a_jeugd")
    a_hulp1 = gesprek("a_hulp1", "a", SOORT_HULPVERLENER, "hulp1")
    bericht(a_hulp1, "reg1", "regisseur", "a_direct_reg1")
    with_pdf = bericht(a_hulp1, "hulp1", "hulpverlener", "a_direct_hulp1")
    import hashlib

    pdf = Bijlage(
        bericht_id=with_pdf.id,
        plan_id=with_pdf.plan_id,
        bestandsnaam="overzicht.pdf",
        mimetype="application/pdf",
        grootte=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
        inhoud=PDF,
    )
    session.add(pdf)
    session.flush()
    w.bijlagen["a_pdf"] = pdf.id
    a_inwoner = gesprek("a_inwoner", "a", SOORT_INWONER)
    bericht(a_inwoner, "reg1", "regisseur", "a_inwoner")
    b_plan = gesprek("b_plan", "b", SOORT_PLAN)
    bericht(b_plan, "reg2", "regisseur", "b_reg2")
    bericht(b_plan, "hulp_jeugd", "hulpverlener", "b_jeugd")
    c_plan = gesprek("c_plan", "c", SOORT_PLAN)
    bericht(c_plan, "hulp1", "hulpverlener", "c_schuld")
    bericht(c_plan, "reg2", "regisseur", "c_reg2")
