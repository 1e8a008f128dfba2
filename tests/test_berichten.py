"""Berichten: who reads which thread, beroepsgeheim, unread counts, attachments checked by
content and served as downloads only, and the content-free e-mail notice (real SMTP server)."""

from __future__ import annotations

import email
import io
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import create_app
from app.berichten import services
from app.berichten.bijlagen import BijlageFout, controleer
from app.berichten.models import Bericht, Bijlage
from app.db import session
from app.logboek import unit_of_work
from app.users.models import User
from audit import Actor
from tests.conftest import base_config, csrf_token, get_database_engine, head_seq, log_lines, login
from tests.support.world_berichten import TEKST

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def as_user(client: FlaskClient, username: str) -> FlaskClient:
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account/")})
    login(client, username)
    return client


def post_message(
    client: FlaskClient, path: str, data: dict[str, Any], form_page: str | None = None
) -> Any:
    token = csrf_token(client, form_page or path)
    return client.post(path, data={**data, "csrf_token": token}, content_type="multipart/form-data")


def thread(world: Any, key: str, plan: str = "a") -> str:
    return f"/plannen/{world.plans[plan]}/berichten/{world.gesprekken[key]}"


# --- who reads what -----------------------------------------------------------------------------


def test_direct_thread_is_only_for_the_regisseur_and_that_hulpverlener(app, client, world) -> None:
    login(client, "reg1")
    plan_path = f"/plannen/{world.plans['a']}/berichten"
    page = client.get(plan_path).get_data(as_text=True)
    assert (
        "Hanna Schuld (Schuldhulp Teststad)" in page and "Joost Jeugd (Jeugdhulp Teststad)" in page
    )
    resp = post_message(
        client,
        plan_path,
        {"met": f"hulpverlener:{world.users['hulp_jeugd']}", "body": "Alleen voor Joost."},
    )
    assert resp.status_code == 302
    direct = resp.headers["Location"].split("#")[0]
    assert as_user(client, "hulp_jeugd").get(direct).status_code == 200
    assert "Alleen voor Joost." in client.get(direct).get_data(as_text=True)
    assert as_user(client, "hulp1").get(direct).status_code == 404
    assert as_user(client, "hulp_ggz").get(direct).status_code == 404
    # A hulpverlener cannot open a direct thread with a colleague: only with the regisseur.
    client = as_user(client, "hulp1")
    resp = post_message(
        client,
        plan_path,
        {"met": f"hulpverlener:{world.users['hulp_jeugd']}", "body": "Mag niet."},
    )
    assert resp.status_code == 422
    assert "Controleer de invoer" in resp.get_data(as_text=True)
    with app.app_context():
        assert (
            session.scalar(select(func.count(Bericht.id)).where(Bericht.body == "Mag niet.")) == 0
        )


def test_beroepsgeheim_only_for_the_authors_organisation_and_the_regisseur(
    app, client, world
) -> None:
    login(client, "hulp1")
    path = thread(world, "a_plan")
    resp = post_message(client, path, {"body": "Diagnose volgt.", "beroepsgeheim": "y"})
    assert resp.status_code == 302
    assert "Diagnose volgt." in client.get(path).get_data(as_text=True)
    assert "Diagnose volgt." in as_user(client, "reg1").get(path).get_data(as_text=True)
    other = as_user(client, "hulp_jeugd").get(path).get_data(as_text=True)
    assert "Diagnose volgt." not in other and TEKST["a_geheim"] not in other
    assert TEKST["a_schuld"] in other
    # Only a hulpverlener gives information under beroepsgeheim.
    client = as_user(client, "reg1")
    resp = post_message(client, path, {"body": "Regisseur geheim?", "beroepsgeheim": "y"})
    assert resp.status_code == 422
    assert "Alleen een hulpverlener" in resp.get_data(as_text=True)


def test_unread_counts_respect_visibility_and_reading_marks_read(app, client, world) -> None:
    login(client, "hulp_jeugd")
    # a_plan: reg1's and Schuldhulp's open messages (not the one under beroepsgeheim); b_plan: reg2.
    assert "Berichten (3 ongelezen)" in client.get("/berichten").get_data(as_text=True)
    client.get(thread(world, "a_plan"))
    page = client.get("/berichten").get_data(as_text=True)
    assert "Berichten (1 ongelezen)" in page
    client.get(thread(world, "b_plan", plan="b"))
    assert "ongelezen)" not in client.get("/berichten").get_data(as_text=True)
    # A new message makes it unread again; one's own messages never count.
    post_message(as_user(client, "reg1"), thread(world, "a_plan"), {"body": "Nieuw."})
    assert "Berichten (1 ongelezen)" in as_user(client, "hulp_jeugd").get("/berichten").get_data(
        as_text=True
    )


def test_closed_plan_threads_can_be_read_but_not_written(app, client, world) -> None:
    login(client, "reg1")
    close = f"/plannen/{world.plans['a']}/afsluiten"
    client.post(close, data={"csrf_token": csrf_token(client, close), "reden": "doelen_bereikt"})
    path = thread(world, "a_plan")
    page = client.get(path)
    assert page.status_code == 200 and "Het plan is afgesloten" in page.get_data(as_text=True)
    before = head_seq(app)
    resp = client.post(path, data={"csrf_token": csrf_token(client, "/account/"), "body": "Nog?"})
    assert resp.status_code == 422
    with app.app_context():
        assert session.scalar(select(func.count(Bericht.id)).where(Bericht.body == "Nog?")) == 0
    assert all(r["action"] == "view" for r in log_lines(app, before))
    assert as_user(client, "hulp1").get(path).status_code == 404


def test_citizen_threads_through_the_services(app, world) -> None:
    """The portal comes later; the services already give the citizen their threads."""
    with app.app_context():
        citizen = session.scalars(select(User).where(User.username == "anna")).one()
        assert citizen.person_id == world.persons["anna"]
        from app import access

        with app.test_request_context():
            kern = access.plan_kern_for(citizen, world.plans["a"])
            assert kern.als.value == "burger"
            titles = {g.soort for g in services.gesprekken(citizen, kern)}
            assert titles == {"plan", "inwoner"}  # not the regisseur's thread with Schuldhulp
            plan_thread = services.gesprek_for(citizen, kern, world.gesprekken["a_plan"])
            bodies = [b.body for b in services.berichten(citizen, kern, plan_thread)]
            assert TEKST["a_geheim"] not in bodies and TEKST["a_schuld"] in bodies
            with pytest.raises(Exception):  # noqa: B017 - 404
                services.gesprek_for(citizen, kern, world.gesprekken["a_hulp1"])
            assert services.ongelezen_totaal(citizen) == 4  # a_plan: 3 open; a_inwoner: 1
        # The citizen writes to the regisseur; their own reading is not an inzage.
        ledger_actor = Actor(type="burger", id=str(citizen.id), name=citizen.name)
        with app.test_request_context():
            uow = unit_of_work(session, "berichten", actor=ledger_actor)
            with uow as ledger:
                ledger.own_person_id = world.persons["anna"]
                kern = access.plan_kern_for(citizen, world.plans["a"])
                g = services.gesprek_openen(kern, citizen, "inwoner")
                services.plaats_bericht(kern, g, author=citizen, body="Ik ben dinsdag thuis.")
                services.berichten(citizen, kern, g)
            assert uow.lines == []
            with pytest.raises(services.BerichtError):
                services.plaats_bericht(kern, g, author=citizen, body="Geheim?", beroepsgeheim=True)


# --- attachments --------------------------------------------------------------------------------


def test_attachment_type_is_read_from_the_content() -> None:
    def kind(data: bytes) -> str | None:
        try:
            return controleer("x", data, max_bytes=10_000).mimetype
        except BijlageFout:
            return None

    assert kind(PDF) == "application/pdf"
    assert kind(PNG) == "image/png"
    assert kind("Gewone tekst, met é.\n".encode()) == "text/plain"
    assert kind(HTML) is None
    assert kind(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60) is None  # a Windows program
    assert kind(b"\x00\x01\x02binary") is None
    assert controleer("../../etc/passwd.html", PNG, max_bytes=10_000).bestandsnaam == "passwd.png"
    assert (
        controleer("C:\\Users\\x\\brief <1>.pdf", PDF, max_bytes=10_000).bestandsnaam
        == "brief 1.pdf"
    )


def test_upload_checks_and_download_is_never_html(app, client, world) -> None:
    login(client, "hulp1")
    path = thread(world, "a_hulp1")
    # HTML disguised as a PDF is refused, and what was typed is kept.
    resp = post_message(
        client, path, {"body": "Zie bijlage", "bijlage": (io.BytesIO(HTML), "brief.pdf")}
    )
    assert resp.status_code == 422
    text = resp.get_data(as_text=True)
    assert "Dit soort bestand kan niet" in text and "Zie bijlage</textarea>" in text
    # A PNG named .html is stored as a PNG.
    resp = post_message(client, path, {"body": "Foto", "bijlage": (io.BytesIO(PNG), "foto.html")})
    assert resp.status_code == 302
    with app.app_context():
        stored = session.scalars(select(Bijlage).order_by(Bijlage.id.desc())).first()
        assert stored is not None
        assert (stored.bestandsnaam, stored.mimetype) == ("foto.png", "image/png")
        bijlage_id = stored.id
    before = head_seq(app)
    download = client.get(f"{path}/bijlagen/{bijlage_id}")
    assert download.status_code == 200
    assert download.data == PNG
    assert download.mimetype == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "foto.png" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert "no-store" in download.headers["Cache-Control"]
    (line,) = log_lines(app, before)
    assert line["data_categories"] == "berichten" and line["processing_activity_id"] == "berichten"
    # Too big.
    app.config["BERICHTEN_BIJLAGE_MAX_BYTES"] = 50
    resp = post_message(client, path, {"body": "Groot", "bijlage": (io.BytesIO(PDF), "groot.pdf")})
    assert resp.status_code == 422 and "te groot" in resp.get_data(as_text=True)
    # Someone who may not read the message gets no attachment either.
    assert as_user(client, "hulp_jeugd").get(f"{path}/bijlagen/{bijlage_id}").status_code == 404


# --- the e-mail notice, through a real SMTP server ------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session_: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def mail_app(db_url: str, _tmp_root: Path, smtp: tuple[int, _Inbox]) -> Iterator[Flask]:
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


def _wait_for(inbox: _Inbox, n: int) -> None:
    deadline = time.monotonic() + 10
    while len(inbox.messages) < n and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_mail_says_only_that_there_is_a_message(mail_app, world, smtp) -> None:
    _port, inbox = smtp
    client = mail_app.test_client()
    login(client, "reg1")
    secret = "Anna heeft een schuld bij de Belastingdienst."
    post_message(client, thread(world, "a_plan"), {"body": secret})
    _wait_for(inbox, 2)
    recipients = sorted(r for rcpts, _ in inbox.messages for r in rcpts)
    # Everyone on the plan who may read it, not the author (reg1), not GGZ (not involved).
    assert recipients == ["hulp1@test.example", "hulp_jeugd@test.example"]
    for _rcpts, raw in inbox.messages:
        msg = email.message_from_bytes(raw)
        body = msg.get_payload(decode=True).decode()  # type: ignore[union-attr]
        assert msg["Subject"] == "Nieuw bericht in Eenplan / New message in Eenplan"
        assert "https://eenplan.example/berichten" in body
        # Dutch, then English: the recipient's language is not known to the mail
        assert body.index("Log in om het bericht te lezen: https://eenplan.example/berichten") < (
            body.index("Log in to read the message: https://eenplan.example/berichten")
        )
        assert len(msg["traceparent"].split("-")[1]) == 32  # the request's W3C trace
        for leak in (secret, "Anna", "Aalders", "Belastingdienst", str(world.plans["a"])):
            assert leak not in body and leak not in msg["Subject"]
    # Beroepsgeheim: only the author's organisation and the regisseur are told.
    inbox.messages.clear()
    as_user(client, "hulp1")
    post_message(client, thread(world, "a_plan"), {"body": "Geheim", "beroepsgeheim": "y"})
    _wait_for(inbox, 1)
    time.sleep(0.3)
    assert sorted(r for rcpts, _ in inbox.messages for r in rcpts) == ["reg1@test.example"]


def test_no_mail_when_the_message_is_not_stored(mail_app, world, smtp, monkeypatch) -> None:
    from audit import LogboekError

    _port, inbox = smtp
    client = mail_app.test_client()
    login(client, "reg1")
    path = thread(world, "a_plan")
    token = csrf_token(client, path)

    def fail(*args: Any, **kwargs: Any) -> None:
        raise LogboekError("schijf vol")

    monkeypatch.setattr(mail_app.extensions["eenplan_logboek"], "record", fail)
    resp = client.post(
        path, data={"csrf_token": token, "body": "Gaat mis"}, content_type="multipart/form-data"
    )
    assert resp.status_code == 500
    time.sleep(0.5)
    assert inbox.messages == []
    with mail_app.app_context():
        assert session.scalar(select(func.count(Bericht.id)).where(Bericht.body == "Gaat mis")) == 0


def test_mail_is_off_by_default(app, world) -> None:
    assert app.config["BERICHTEN_MAIL"] is False
    from app.berichten.notify import opdracht

    assert opdracht(app.config, ["iemand@example.org"], "/berichten") is None
