"""Opt-in e-mail notices to the citizen (issue 16 #13): off by default; the choice (and every
change of it) is the citizen's logboek line; a scheduled command mails "er is iets nieuw" —
nothing more — when a new organisation or person looked at their data, a signal or a message
arrived, at most once a day per kind, idempotently, through a real SMTP server."""

from __future__ import annotations

import datetime as dt
import email
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from app import create_app
from app.clock import now
from app.portaal import meldingen
from tests.conftest import (
    base_config,
    csrf_token,
    get_database_engine,
    head_seq,
    log_lines,
    login,
)
from tests.support.citizens import login_citizen
from tests.support.world import World
from tests.test_berichten import _Inbox, post_message, smtp, thread  # noqa: F401 - fixture

ADRES = "anna@thuis.example"


@pytest.fixture
def mail_app(db_url: str, _tmp_root: Path, smtp: tuple[int, _Inbox]) -> Iterator[Flask]:  # noqa: F811
    application = create_app(
        {
            **base_config(_tmp_root, db_url),
            "BERICHTEN_MAIL": True,
            "BERICHTEN_SMTP_HOST": "127.0.0.1",
            "BERICHTEN_SMTP_PORT": smtp[0],
            "BERICHTEN_SMTP_STARTTLS": False,
            "BERICHTEN_BASE_URL": "https://eenplan.example",
        }
    )
    yield application
    get_database_engine(application).dispose()


def _run(app: Flask, moment: dt.datetime | None = None) -> meldingen.Resultaat:
    with app.app_context():
        return meldingen.verstuur(moment)


def _choose(client: Any, **data: str) -> Any:
    page = client.get("/mijn/meldingen").get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="([^"]*)"', page)
    return client.post(
        "/mijn/meldingen",
        data={
            "version": version.group(1) if version else "",
            **data,
            "csrf_token": csrf_token(client, "/mijn/meldingen"),
        },
    )


def _to_anna(inbox: _Inbox) -> list[email.message.Message]:
    return [email.message_from_bytes(raw) for rcpts, raw in inbox.messages if ADRES in rcpts]


def test_off_by_default_and_the_choice_is_checked_kept_and_logged(
    mail_app: Flask,
    world: World,
    smtp: tuple[int, _Inbox],  # noqa: F811
) -> None:
    anna = mail_app.test_client()
    login_citizen(mail_app, anna, "anna")
    page = anna.get("/mijn/meldingen")
    assert page.status_code == 200 and "checked" not in page.get_data(as_text=True)
    reg = mail_app.test_client()
    login(reg, "reg1")
    post_message(reg, thread(world, "a_plan"), {"body": "Hallo Anna"})
    assert _run(mail_app).verzonden == 0  # nobody chose anything
    # A kind without an address: refused, named, the choice kept.
    bad = _choose(anna, bericht="y", email="")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Vul het e-mailadres in waarop u de meldingen wilt krijgen." in html
    assert re.search(
        r'<input[^>]*checked[^>]*name="bericht"|<input[^>]*name="bericht"[^>]*checked', html
    )
    bad = _choose(anna, bericht="y", email="geen-adres")
    assert bad.status_code == 422 and 'value="geen-adres"' in bad.get_data(as_text=True)
    before = head_seq(mail_app)
    assert _choose(anna, bericht="y", signaal="y", email=ADRES).status_code == 302
    lines = log_lines(mail_app, before)
    assert [r["name"] for r in lines] == ["zeggenschap.meldingen"]
    assert lines[0]["actor_type"] == "burger" and lines[0]["action"] == "create"
    before = head_seq(mail_app)
    assert _choose(anna, email=ADRES).status_code == 302  # everything off again
    assert [r["action"] for r in log_lines(mail_app, before)] == ["update"]


def test_a_stale_choice_is_a_conflict(mail_app: Flask, world: World) -> None:
    anna = mail_app.test_client()
    login_citizen(mail_app, anna, "anna")
    assert _choose(anna, bericht="y", email=ADRES).status_code == 302
    resp = anna.post(
        "/mijn/meldingen",
        data={
            "version": "0",
            "inzage": "y",
            "email": ADRES,
            "csrf_token": csrf_token(anna, "/mijn/meldingen"),
        },
    )
    assert resp.status_code == 409
    assert "Uw keuze is intussen ergens anders veranderd" in resp.get_data(as_text=True)


def test_a_message_mails_once_a_day_without_content(
    mail_app: Flask,
    world: World,
    smtp: tuple[int, _Inbox],  # noqa: F811
) -> None:
    _port, inbox = smtp
    anna = mail_app.test_client()
    login_citizen(mail_app, anna, "anna")
    reg = mail_app.test_client()
    login(reg, "reg1")
    post_message(reg, thread(world, "a_plan"), {"body": "Van voor de keuze"})
    assert _choose(anna, bericht="y", email=ADRES).status_code == 302
    assert _run(mail_app).verzonden == 0  # what was there before the choice is not announced
    secret = "Uw aanvraag bij de Belastingdienst is afgewezen."
    post_message(reg, thread(world, "a_plan"), {"body": secret})
    assert _run(mail_app).verzonden == 1
    assert _run(mail_app).verzonden == 0  # idempotent
    mails = _to_anna(inbox)
    assert len(mails) == 1
    body = mails[0].get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert " ".join(mails[0]["Subject"].split()) == (
        "Er is iets nieuw in Mijn Eenplan / There is something new in My Eenplan"
    )
    assert "https://eenplan.example/mijn/" in body
    for leak in (secret, "Belastingdienst", "Anna", "Aalders", "Nieuw bericht", "Rita"):
        assert leak not in body and leak not in mails[0]["Subject"]
    # Another message the same day: no second mail today; tomorrow it is told.
    post_message(reg, thread(world, "a_plan"), {"body": "Nog een"})
    assert _run(mail_app).verzonden == 0
    assert _run(mail_app, now() + dt.timedelta(days=1)).verzonden == 1
    assert len(_to_anna(inbox)) == 2


def test_a_new_organisation_looking_is_told_once(
    mail_app: Flask,
    world: World,
    smtp: tuple[int, _Inbox],  # noqa: F811
) -> None:
    _port, inbox = smtp
    anna = mail_app.test_client()
    login_citizen(mail_app, anna, "anna")
    assert _choose(anna, inzage="y", email=ADRES).status_code == 302
    reg = mail_app.test_client()
    login(reg, "reg1")  # reg1 looked before: nothing new
    assert reg.get(f"/plannen/{world.plans['a']}").status_code == 200
    assert _run(mail_app).verzonden == 0
    lead = mail_app.test_client()
    login(lead, "teamleider1")  # new: the team lead looks at Anna's plan (buitenkant)
    assert lead.get(f"/teamleider/plannen/{world.plans['a']}").status_code == 200
    assert _run(mail_app).verzonden == 1
    assert len(_to_anna(inbox)) == 1
    # The same team lead again, another day: not new.
    assert lead.get(f"/teamleider/plannen/{world.plans['a']}").status_code == 200
    assert _run(mail_app, now() + dt.timedelta(days=1)).verzonden == 0
    # A person Anna trusts looks for the first time: a person new to her log (another day).
    truus = mail_app.test_client()
    login_citizen(mail_app, truus, "truus")
    assert truus.get(f"/mijn/meekijken/{world.plans['a']}").status_code == 200
    assert _run(mail_app, now() + dt.timedelta(days=2)).verzonden == 1


def test_the_old_regisseur_gets_a_content_free_mail_on_a_hand_over(
    mail_app: Flask,
    world: World,
    smtp: tuple[int, _Inbox],  # noqa: F811
) -> None:
    import time

    _port, inbox = smtp
    lead = mail_app.test_client()
    login(lead, "teamleider1")
    url = f"/teamleider/plannen/{world.plans['a']}"
    resp = lead.post(
        url,
        data={
            "csrf_token": csrf_token(lead, url),
            "keuze": "overdragen",
            "regisseur_id": str(world.users["reg2"]),
            "reden": "Werkverdeling",
        },
    )
    assert resp.status_code == 302
    deadline = time.monotonic() + 10
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    (rcpts, raw), *_ = inbox.messages
    assert rcpts == ["reg1@test.example"]
    msg = email.message_from_bytes(raw)
    body = msg.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert (
        " ".join(msg["Subject"].split()) == "Een plan is overgedragen / A plan has been handed over"
    )
    for leak in ("Anna", "Aalders", "Rutger", "Werkverdeling"):
        assert leak not in body


def test_a_signal_about_the_citizen_is_told(
    mail_app: Flask,
    world: World,
    smtp: tuple[int, _Inbox],  # noqa: F811
) -> None:
    from app.clock import today
    from app.db import session
    from app.signalen.models import Vroegsignaal
    from tests.support.world import BSN

    _port, inbox = smtp
    anna = mail_app.test_client()
    login_citizen(mail_app, anna, "anna")
    assert _choose(anna, signaal="y", email=ADRES).status_code == 302
    assert _run(mail_app).verzonden == 0
    with mail_app.app_context():
        session.add(
            Vroegsignaal(
                bron_id=None,
                person_id=world.persons["anna"],
                bsn=BSN["anna"],
                melder_naam="Nina Naaste",
                relatie="Buurvrouw",
                aanleiding="Post stapelt zich op",
                inhoud="De brievenbus puilt uit met aanmaningen.",
                categorie="overig",
                domeinen="financien",
                signaaldatum=today(),
                ontvangen_op=now(),
            )
        )
        session.commit()
    assert _run(mail_app).verzonden == 1
    assert _run(mail_app, now() + dt.timedelta(days=1)).verzonden == 0  # nothing newer
    (mail,) = _to_anna(inbox)
    body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
    for leak in ("signaal", "nina", "brievenbus", "aanmaningen"):
        assert leak not in body.lower()
