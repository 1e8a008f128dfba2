"""The staff pages in English (issue 19 #1): with ``Accept-Language: en`` the werklijst, the plan
page, the signal queue, a weighing, the privacy overview and the admin pages read in English;
without it they stay Dutch. A signal's fields show as labelled, formatted values in both."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.clock import now, today
from app.db import session
from app.signalen.models import Afweging, SignaalBron, Vroegsignaal
from app.users.models import User
from tests.conftest import login
from tests.support.world import BSN, World

CATALOGUS = Path(__file__).resolve().parent.parent / "translations" / "en" / "LC_MESSAGES"
EN = {"Accept-Language": "en"}


@pytest.fixture(autouse=True, scope="module")
def _gecompileerd() -> None:
    """The English catalogue compiled (messages.mo is built from messages.po, not kept in git)."""
    po, mo = CATALOGUS / "messages.po", CATALOGUS / "messages.mo"
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        with po.open("rb") as f:
            catalog = read_po(f, locale="en")
        with mo.open("wb") as f:
            write_mo(f, catalog)


def _tekst(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> str:
    resp = client.get(url, headers=headers or {})
    assert resp.status_code == 200, (url, resp.status_code)
    return unescape(re.sub(r"\s+", " ", resp.get_data(as_text=True)))


def _h1(page: str) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    assert m, "no h1"
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def _afweging_met_signaal(app: Flask, world: World) -> int:
    """An open weighing for Anna with a CJIB arrears signal carrying source fields."""
    with app.app_context():
        reg1 = session.scalars(select(User).where(User.username == "reg1")).one()
        cjib = session.scalars(select(SignaalBron).where(SignaalBron.code == "cjib")).one()
        case = Afweging(
            person_id=world.persons["anna"],
            aanleiding="signalen",
            status="open",
            regisseur_id=reg1.id,
            geopend_op=now() - dt.timedelta(days=1),
        )
        session.add(case)
        session.flush()
        session.add(
            Vroegsignaal(
                bron_id=cjib.id,
                bron_referentie="CJIB-I18N-1",
                person_id=world.persons["anna"],
                bsn=BSN["anna"],
                categorie="betalingsachterstand",
                domeinen="financien",
                gegevens={"bedrag": "1840.00", "maanden_achterstand": 4},
                signaaldatum=today(),
                ontvangen_op=now() - dt.timedelta(days=2),
            )
        )
        session.commit()
        return case.id


def test_staff_pages_read_in_english(app: Flask, world: World) -> None:
    case_id = _afweging_met_signaal(app, world)
    plan = world.plans["a"]
    pages = [
        # (user, url, English h1, English text elsewhere, Dutch that must be gone)
        ("reg1", "/plannen", "My work list", "Last changed", "Laatst gewijzigd"),
        (
            "reg1",
            f"/plannen/{plan}",
            "Plan for",
            "Involved organisations",
            "Betrokken organisaties",
        ),
        ("reg1", "/signalen/", "Signals", "Filter the work queue", "Filter de werkvoorraad"),
        ("reg1", f"/signalen/afweging/{case_id}", "Assessment for", "Steps", "Stappen"),
        ("privacy1", "/privacy/", "Log review", "Points of attention", "Aandachtspunten"),
        ("beheer1", "/beheer/gebruikers", "Users", "Add user", "Gebruiker toevoegen"),
        ("beheer1", "/beheer/organisaties", "Organisations", "Add organisation", "toevoegen"),
        ("beheer1", "/beheer/mandaten", "Mandates for coordinating care", "Period", "Periode"),
        ("beheer1", "/beheer/signaalbronnen/", "Signal sources", "Combination rules", "Bronnen"),
        ("beheer1", "/beheer/verwerkingsregister/", "Register of processing", "Add", "toevoegen"),
    ]
    clients: dict[str, FlaskClient] = {}
    for user, url, kop, ook, weg in pages:
        if user not in clients:
            clients[user] = app.test_client()
            login(clients[user], user)
        c = clients[user]
        en = _tekst(c, url, EN)
        assert _h1(en).startswith(kop), (url, _h1(en))
        assert ook in en, (url, ook)
        assert weg not in re.sub(r"<[^>]+>", " ", en), (url, weg)
        assert '<html lang="en"' in en
        # The same page without the header stays Dutch (the source language).
        nl = _tekst(c, url)
        assert not _h1(nl).startswith(kop) or kop == "Plan for" and _h1(nl).startswith("Plan van")
        assert weg in nl or url.startswith("/beheer/"), (url, weg)


def test_plural_counts_on_the_werklijst(app: Flask, world: World) -> None:
    c = app.test_client()
    login(c, "reg1")
    nl = _tekst(c, "/plannen")
    en = _tekst(c, "/plannen", EN)
    n = int(re.search(r"(\d+) plan(?:nen)?\.", nl).group(1))  # type: ignore[union-attr]
    assert (f"{n} plannen." if n != 1 else "1 plan.") in nl
    assert (f"{n} plans." if n != 1 else "1 plan.") in en


def test_signal_fields_are_labelled_and_formatted(app: Flask, world: World) -> None:
    _afweging_met_signaal(app, world)
    c = app.test_client()
    login(c, "reg1")
    url = f"/signalen/persoon/{world.persons['anna']}"
    nl = _tekst(c, url)
    assert "Bedrag: € 1.840,00; Achterstand: 4 maanden" in nl
    assert "bedrag: 1840.00" not in nl and "maanden achterstand" not in nl
    en = _tekst(c, url, EN)
    assert "Amount: €1,840.00; Arrears: 4 months" in en


def test_history_lines_are_translated_when_shown_not_when_stored(app: Flask, world: World) -> None:
    from app.plans.models import PlanGebeurtenis

    c = app.test_client()
    login(c, "reg1")
    url = f"/plannen/{world.plans['a']}"
    en = _tekst(c, url, EN)
    assert "Activity '" in en and "' added" in en and "Family link made (" in en
    assert " toegevoegd" not in en and "Gezinslink gelegd" not in en
    nl = _tekst(c, url)
    assert "Activiteit '" in nl and " toegevoegd" in nl and "Gezinslink gelegd (" in nl
    with app.app_context():  # what is stored stays as written
        stored = session.scalars(
            select(PlanGebeurtenis.omschrijving).where(PlanGebeurtenis.plan_id == world.plans["a"])
        ).all()
        assert any(s.startswith("Activiteit '") and s.endswith(" toegevoegd") for s in stored)
        session.rollback()


# The staff areas this catalogue covers (issue 19 #1, second half); the portal, sign-in, account,
# errors and the page frame are checked by tests/test_vertalingen.py where that exists.
STAF_PYTHON = (
    "plans", "signalen", "privacy", "admin", "autorisaties", "berichten", "correcties", "inkijk",
    "teamleider", "terugmelding", "vernietiging", "verwerkingsregister", "organisations",
    "people", "users",
)  # fmt: skip
STAF_TEMPLATES = (
    "admin", "autorisaties", "berichten", "correcties", "inkijk", "plans", "privacy",
    "signalen", "teamleider", "verwerkingsregister",
)  # fmt: skip


def ontbrekend() -> list[tuple[str, str]]:
    """(file, msgid) for every message marked in the staff areas that has no English."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir

    root = Path(__file__).resolve().parent.parent
    with (CATALOGUS / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="en")
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    missing = []
    sources = [(root / "app" / d, "python") for d in STAF_PYTHON]
    sources += [(root / "templates" / d, "jinja2") for d in STAF_TEMPLATES]
    for folder, method in sources:
        pattern = "**.py" if method == "python" else "**.html"
        for filename, _lineno, message, _comments, _context in extract_from_dir(
            str(folder), [(pattern, method)], keywords=keywords
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if not msgid:
                continue
            entry = catalog.get(msgid)
            if (
                entry is None
                or not entry.string
                or (isinstance(entry.string, tuple) and not all(entry.string))
            ):
                missing.append((f"{folder.relative_to(root)}/{filename}", msgid))
    return missing


def test_every_staff_message_has_english() -> None:
    missing = ontbrekend()
    assert not missing, "\n".join(f"{f}: {m}" for f, m in missing)


if __name__ == "__main__":  # python -m tests.test_i18n_staff: list what still lacks English
    for file, msgid in ontbrekend():
        print(f"{file}: {msgid}")
