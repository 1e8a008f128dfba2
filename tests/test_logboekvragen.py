"""Issue 16 #11/#12: the citizen questions a logboek line; the privacy officer's queue has an
owner, a state and a due date; refused look-ups (probing) are counted per user per day."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from app.db import session
from app.privacy.models import Beoordeling, GeweigerdeOpvraging, LogboekVraag
from tests.conftest import csrf_token, head_seq, log_lines, login
from tests.support.citizens import login_citizen
from tests.support.world import World


def citizen(app: Flask, key: str = "anna") -> FlaskClient:
    client = app.test_client()
    login_citizen(app, client, key)
    return client


def ask(client: FlaskClient, seq: int, vraag: str) -> object:
    token = csrf_token(client, f"/mijn/logboek/regels/{seq}/vraag")
    return client.post(
        f"/mijn/logboek/regels/{seq}/vraag", data={"csrf_token": token, "vraag": vraag}
    )


def test_citizen_asks_officer_answers_citizen_sees_answer(app: Flask, world: World) -> None:
    seq = world.logboek_seqs["ggz_anna"]
    anna = citizen(app)
    page = anna.get("/mijn/logboek").get_data(as_text=True)
    assert f'href="/mijn/logboek/regels/{seq}/vraag"' in page
    assert "Ik herken dit niet / ik heb een vraag" in page

    # An empty question: the error by its field; a too long one keeps the text.
    token = csrf_token(anna, f"/mijn/logboek/regels/{seq}/vraag")
    bad = anna.post(f"/mijn/logboek/regels/{seq}/vraag", data={"csrf_token": token, "vraag": ""})
    assert bad.status_code == 422 and "Schrijf uw vraag op." in bad.get_data(as_text=True)
    lang = "Waarom? " * 300
    bad = anna.post(f"/mijn/logboek/regels/{seq}/vraag", data={"csrf_token": token, "vraag": lang})
    assert bad.status_code == 422 and "Waarom? Waarom?" in bad.get_data(as_text=True)

    before = head_seq(app)
    resp = ask(anna, seq, "Wie is Gerda? Ik ken haar niet.")
    assert resp.status_code == 302
    lines = log_lines(app, before)
    assert [(r["action"], r["data_categories"], r["data_subject_id"]) for r in lines] == [
        ("create", "logboek", world.pseudonyms["anna"])
    ]
    with app.app_context():
        v = session.query(LogboekVraag).filter_by(vraag="Wie is Gerda? Ik ken haar niet.").one()
        assert v.seq == seq and v.status == "open" and v.termijn is not None
        vraag_id = v.id
    html = anna.get("/mijn/logboek").get_data(as_text=True)
    assert "Wie is Gerda? Ik ken haar niet." in html and "Status: Open" in html

    officer = app.test_client()
    login(officer, "privacy1")
    before = head_seq(app)
    queue = officer.get("/privacy/werkvoorraad").get_data(as_text=True)
    assert "Wie is Gerda?" in queue
    # The reading is logged about Anna (two questions of hers: one line).
    assert [(r["action"], r["data_subject_id"]) for r in log_lines(app, before)] == [
        ("view", world.pseudonyms["anna"])
    ]
    token = csrf_token(officer, f"/privacy/vragen/{vraag_id}")
    # Closing without an answer: refused by field, the choices kept.
    bad = officer.post(
        f"/privacy/vragen/{vraag_id}",
        data={"csrf_token": token, "status": "afgerond", "antwoord": ""},
    )
    assert bad.status_code == 422
    assert "Schrijf een antwoord voor de inwoner" in bad.get_data(as_text=True)
    before = head_seq(app)
    resp = officer.post(
        f"/privacy/vragen/{vraag_id}",
        data={
            "csrf_token": token,
            "status": "in_onderzoek",
            "antwoord": "Wij zoeken uit waarom zij keek.",
            "toegewezen": str(world.users["privacy1"]),
            "onderzoek": "y",
        },
    )
    assert resp.status_code == 302
    assert [(r["action"], r["data_subject_id"]) for r in log_lines(app, before)] == [
        ("update", world.pseudonyms["anna"])
    ]
    with app.app_context():
        v = session.get(LogboekVraag, vraag_id)
        assert v is not None and v.status == "in_onderzoek" and v.beoordeling_id is not None
        b = session.get(Beoordeling, v.beoordeling_id)
        assert b is not None and b.status == "in_onderzoek" and b.seqs == [seq]
    html = anna.get("/mijn/logboek").get_data(as_text=True)
    assert "Wij zoeken uit waarom zij keek." in html and "Status: In onderzoek" in html
    # The review stays in the officer's queue, filterable by state.
    queue = officer.get("/privacy/werkvoorraad?status=in_onderzoek").get_data(as_text=True)
    assert f"Vraag {vraag_id}" in queue and "Vraag onderzoek gestart" not in queue
    assert "Wie is Gerda?" in queue
    assert "Wie is Gerda?" not in officer.get("/privacy/werkvoorraad?status=open").get_data(
        as_text=True
    )


def test_another_persons_line_does_not_exist_for_the_citizen(app: Flask, world: World) -> None:
    anna = citizen(app)
    dirk_line = world.logboek_seqs["nood_dirk"]
    assert anna.get(f"/mijn/logboek/regels/{dirk_line}/vraag").status_code == 404
    token = csrf_token(anna, f"/mijn/logboek/regels/{world.logboek_seqs['ggz_anna']}/vraag")
    resp = anna.post(
        f"/mijn/logboek/regels/{dirk_line}/vraag", data={"csrf_token": token, "vraag": "x"}
    )
    assert resp.status_code == 404
    with app.app_context():
        assert session.query(LogboekVraag).filter_by(seq=dirk_line).count() == 0


def test_nader_onderzoek_stays_in_the_queue_with_an_owner(app: Flask, world: World) -> None:
    officer = app.test_client()
    login(officer, "privacy1")
    seq = world.logboek_seqs["nood_dirk"]
    token = csrf_token(officer, f"/privacy/regels/{seq}")
    resp = officer.post(
        f"/privacy/regels/{seq}/beoordelen",
        data={"csrf_token": token, "conclusie": "nader_onderzoek", "toelichting": "Navragen."},
    )
    assert resp.status_code == 302
    with app.app_context():
        b = session.query(Beoordeling).filter(Beoordeling.toelichting == "Navragen.").one()
        assert b.status == "in_onderzoek" and b.toegewezen_aan_id == world.users["privacy1"]
        assert b.termijn is not None
        bid = b.id
    queue = officer.get("/privacy/werkvoorraad").get_data(as_text=True)
    assert "Navragen." in queue
    resp = officer.post(
        f"/privacy/beoordelingen/{bid}/opvolgen",
        data={"csrf_token": token, "status": "afgerond", "toegewezen": "", "termijn": ""},
    )
    assert resp.status_code == 302
    assert "Navragen." not in officer.get("/privacy/werkvoorraad").get_data(as_text=True)


def test_probing_shows_on_the_overview(app: Flask, world: World) -> None:
    app.config["PRIVACY_WEIGERINGEN_DREMPEL"] = 5
    hulp = app.test_client()
    login(hulp, "hulp1")
    for plan_id in range(900_001, 900_007):  # six plan ids that do not exist for hulp1
        # buffered: the response is closed, as a WSGI server does (the record is written then)
        assert hulp.get(f"/plannen/{plan_id}", buffered=True).status_code == 404
    with app.app_context():
        rows = session.query(GeweigerdeOpvraging).all()
        assert len(rows) == 6 and {r.user_id for r in rows} == {world.users["hulp1"]}
        assert {r.route for r in rows} == {"plans.detail"}
        # No object id in clear: only a keyed hash of the address.
        assert all(re.fullmatch(r"[0-9a-f]{64}", r.doel_hash) for r in rows)
        assert len({r.doel_hash for r in rows}) == 6
    officer = app.test_client()
    login(officer, "privacy1")
    html = officer.get("/privacy/").get_data(as_text=True)
    assert "Veel geweigerde opvragingen" in html
    assert "Hanna Schuld" in html and "6 keer, 6 verschillende adressen" in html
    app.config["PRIVACY_WEIGERINGEN_DREMPEL"] = 7
    html = officer.get("/privacy/").get_data(as_text=True)
    assert "6 keer" not in html and "Geen medewerkers boven de drempel" in html
