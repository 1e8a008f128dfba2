"""Questions from the signal team to organisations (issue 13, item 3): the regisseur asks within
an open afweging, the organisation's hulpverleners answer (yes/no at step 2, the buitenkant at
step 3) or decline; every question and answer is an exchange in the logboek that the citizen
sees; the regisseur sees open / answered / overdue / declined, and the answers start the step's
motivation. Refusals are clear and write nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import clock
from app.db import session
from app.logboek import unit_of_work
from app.people.models import Person
from app.signalen import afweging as afwegingen
from app.signalen import vragen
from app.signalen.models import Afweging, DatInformatieVraag
from app.users.models import User
from tests.conftest import csrf_token, head_seq, log_lines, login
from tests.support.citizens import login_citizen
from tests.support.world import World


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    yield
    clock.set_offset(dt.timedelta(0))


def staff(app: Flask, username: str) -> FlaskClient:
    c = app.test_client()
    login(c, username)
    return c


def token(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert m
    return m.group(1)


def ask(c: FlaskClient, case_id: int, org_id: int) -> Any:
    t = csrf_token(c, f"/signalen/afweging/{case_id}")
    return c.post(
        f"/signalen/afweging/{case_id}/organisatievraag",
        data={"organisatie": str(org_id), "csrf_token": t},
    )


def answer(c: FlaskClient, vraag_id: int, **data: str) -> Any:
    t = csrf_token(c, f"/vragen/{vraag_id}")
    return c.post(f"/vragen/{vraag_id}", data={**data, "csrf_token": t})


def count_questions(app: Flask) -> int:
    with app.app_context():
        n = session.scalar(
            select(func.count(DatInformatieVraag.id)).execution_options(audit_internal=True)
        )
        session.rollback()
        return int(n or 0)


def newest_question(app: Flask) -> DatInformatieVraag:
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        v = session.scalars(
            select(DatInformatieVraag).order_by(DatInformatieVraag.id.desc())
        ).first()
        assert v is not None
        session.expunge(v)
        return v


def test_due_date_counts_working_days() -> None:
    friday = dt.date(2026, 12, 4)
    assert friday.weekday() == 4
    assert vragen.uiterlijk(friday, 5) == dt.date(2026, 12, 11)
    assert vragen.uiterlijk(friday, 1) == dt.date(2026, 12, 7)  # over the weekend
    assert vragen.uiterlijk(friday, 0) == friday


def test_regisseur_asks_the_organisation_answers_and_the_step_is_fed(
    app: Flask, world: World
) -> None:
    case_id = world.afwegingen["dirk"]
    reg = staff(app, "reg1")
    page = reg.get(f"/signalen/afweging/{case_id}").get_data(as_text=True)
    # Only organisations in the samenwerking with hulpverleners may be asked.
    form = page[page.index("organisatievraag") :]
    assert "Jeugdhulp Teststad" in form and "GGZ Teststad" in form
    assert "Basisschool Test" not in form and "Regie Noord" not in form
    assert "Schuldhulp Teststad" in page and "Open" in page  # the world's open question

    before = head_seq(app)
    resp = ask(reg, case_id, world.orgs["jeugdhulp"])
    assert resp.status_code == 302
    vraag = newest_question(app)
    assert (vraag.organisation_id, vraag.stap) == (world.orgs["jeugdhulp"], 2)
    assert vraag.uiterlijk_op == vragen.uiterlijk(clock.today(), 5)
    sent = [r for r in log_lines(app, before) if r["kind"] == "uitwisseling"]
    assert len(sent) == 1
    assert sent[0]["action"] == "send"
    assert sent[0]["sender"] == "Gemeente Teststad"
    assert sent[0]["recipient"] == "Jeugdhulp Teststad"
    assert set(sent[0]["data_categories"].split(",")) == {"bsn", "naw"}
    assert sent[0]["processing_activity_id"].startswith("signalen-afweging")

    # A second open question to the same organisation for the same step: refused, nothing new.
    n = count_questions(app)
    again = ask(reg, case_id, world.orgs["jeugdhulp"])
    assert again.status_code == 400
    assert "al een vraag open bij Jeugdhulp Teststad" in again.get_data(as_text=True)
    assert count_questions(app) == n

    # The hulpverlener of Jeugdhulp sees it (with the count in the navigation) and answers.
    jeugd = staff(app, "hulp_jeugd")
    inbox = jeugd.get("/vragen/").get_data(as_text=True)
    assert "Vragen aan mijn organisatie (1 open)" in inbox and "Dirk" in inbox
    # The question to Schuldhulp is not for them.
    assert jeugd.get(f"/vragen/{world.dat_vragen['dirk_schuldhulp']}").status_code == 404
    before = head_seq(app)
    resp = answer(jeugd, vraag.id, bekend="ja")
    assert resp.status_code == 302
    received = [r for r in log_lines(app, before) if r["kind"] == "uitwisseling"]
    assert len(received) == 1
    assert received[0]["action"] == "receive"
    assert received[0]["sender"] == "Jeugdhulp Teststad"
    assert received[0]["recipient"] == "Gemeente Teststad"
    assert received[0]["data_categories"] == "betrokkenheid"
    assert "Joost Jeugd" in received[0]["actor_name"]
    assert "Vragen aan mijn organisatie (1 open)" not in jeugd.get("/vragen/").get_data(
        as_text=True
    )

    # A second answer: refused, the first stays.
    before = head_seq(app)
    twice = answer(jeugd, vraag.id, bekend="nee")
    assert twice.status_code == 409
    assert "al beantwoord" in twice.get_data(as_text=True)
    assert [r for r in log_lines(app, before) if r["action"] != "view"] == []
    assert newest_question(app).bekend is True

    # The regisseur sees the answer, and it starts the motivation of step 2.
    page = reg.get(f"/signalen/afweging/{case_id}").get_data(as_text=True)
    assert "Jeugdhulp Teststad: bekend" in page and "Beantwoord" in page
    assert "Antwoorden van organisaties: Jeugdhulp Teststad: bekend." in page
    t = token(page)
    resp = reg.post(
        f"/signalen/afweging/{case_id}/stap",
        data={
            "antwoord": "ja",
            "motivering": "Antwoorden van organisaties: Jeugdhulp Teststad: bekend.",
            "csrf_token": t,
        },
    )
    assert resp.status_code == 302
    page = reg.get(f"/signalen/afweging/{case_id}").get_data(as_text=True)
    assert "Antwoord Jeugdhulp Teststad: bekend" in page  # shown with the step's record


def test_refusals_write_nothing(app: Flask, world: World) -> None:
    case_id = world.afwegingen["dirk"]
    reg = staff(app, "reg1")
    n = count_questions(app)
    for org in (world.orgs["school"], world.orgs["gemeente"], world.orgs["regie_noord"], 999999):
        before = head_seq(app)
        resp = ask(reg, case_id, org)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400, org
        assert "doet niet mee in de samenwerking" in html
        assert [r for r in log_lines(app, before) if r["action"] != "view"] == []
    assert count_questions(app) == n

    # The afweging closes: no question may be asked, and the open one may not be answered.
    t = csrf_token(reg, f"/signalen/afweging/{case_id}")
    resp = reg.post(
        f"/signalen/afweging/{case_id}/sluiten",
        data={
            "reden": "onbereikbaar",
            "motivering": "Drie keer gebeld, geen gehoor.",
            "csrf_token": t,
        },
    )
    assert resp.status_code == 302
    resp = ask(reg, case_id, world.orgs["jeugdhulp"])
    assert resp.status_code == 409
    assert "alleen binnen een open afweging" in resp.get_data(as_text=True)
    assert count_questions(app) == n

    hulp = staff(app, "hulp1")
    vraag_id = world.dat_vragen["dirk_schuldhulp"]
    assert "Er staan geen vragen open" in hulp.get("/vragen/").get_data(as_text=True)
    page = hulp.get(f"/vragen/{vraag_id}").get_data(as_text=True)
    assert "De afweging is afgesloten" in page
    before = head_seq(app)
    t = token(page)
    resp = hulp.post(f"/vragen/{vraag_id}", data={"bekend": "ja", "csrf_token": t})
    assert resp.status_code == 409
    assert "De afweging is afgesloten" in resp.get_data(as_text=True)
    assert [r for r in log_lines(app, before) if r["action"] != "view"] == []
    resp = hulp.post(
        f"/vragen/{vraag_id}/weigeren",
        data={"reden": "Geen toestemming van de cliënt.", "csrf_token": t},
    )
    assert resp.status_code == 409
    assert [r for r in log_lines(app, before) if r["action"] != "view"] == []


def test_step_3_buitenkant_answer_decline_and_overdue(app: Flask, world: World) -> None:
    case_id = world.afwegingen["dirk"]
    reg = staff(app, "reg1")
    t = csrf_token(reg, f"/signalen/afweging/{case_id}")
    reg.post(
        f"/signalen/afweging/{case_id}/stap",
        data={
            "antwoord": "ja",
            "motivering": "Financiën en opvoeding spelen beide.",
            "csrf_token": t,
        },
    )
    assert ask(reg, case_id, world.orgs["jeugdhulp"]).status_code == 302
    step3 = newest_question(app)
    assert step3.stap == 3
    assert ask(reg, case_id, world.orgs["ggz"]).status_code == 302
    ggz_vraag = newest_question(app)

    jeugd = staff(app, "hulp_jeugd")
    page = jeugd.get(f"/vragen/{step3.id}").get_data(as_text=True)
    assert "Welke hulp krijgt deze inwoner" in page and "geen achtergrond" in page
    # Errors by field, the input kept.
    resp = answer(jeugd, step3.id, hulp="Ambulante jeugdhulp", indicatie="Beschikking Jeugdwet")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Vul in sinds wanneer." in html
    assert 'value="Ambulante jeugdhulp"' in html and 'value="Beschikking Jeugdwet"' in html
    future = (clock.today() + dt.timedelta(days=3)).isoformat()
    resp = answer(jeugd, step3.id, hulp="Ambulante jeugdhulp", sinds=future)
    assert resp.status_code == 400 and "in de toekomst" in resp.get_data(as_text=True)
    resp = answer(
        jeugd,
        step3.id,
        hulp="Ambulante jeugdhulp",
        sinds="2026-03-01",
        indicatie="Beschikking Jeugdwet",
    )
    assert resp.status_code == 302

    # GGZ declines; a reason too short is an error that keeps the input.
    ggz = staff(app, "hulp_ggz")
    t = csrf_token(ggz, f"/vragen/{ggz_vraag.id}")
    resp = ggz.post(f"/vragen/{ggz_vraag.id}/weigeren", data={"reden": "Nee", "csrf_token": t})
    assert resp.status_code == 400 and "Minstens 10" in resp.get_data(as_text=True)
    assert re.search(r">\s*Nee</textarea>", resp.get_data(as_text=True))
    before = head_seq(app)
    resp = ggz.post(
        f"/vragen/{ggz_vraag.id}/weigeren",
        data={"reden": "Geen toestemming van de cliënt om dit te delen.", "csrf_token": t},
    )
    assert resp.status_code == 302
    lines = [r for r in log_lines(app, before) if r["kind"] == "uitwisseling"]
    assert [(r["action"], r["sender"]) for r in lines] == [("receive", "GGZ Teststad")]

    # The world's question to Schuldhulp passes its due date: overdue.
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        overdue = session.get(DatInformatieVraag, world.dat_vragen["dirk_schuldhulp"])
        assert overdue is not None
        overdue.uiterlijk_op = clock.today() - dt.timedelta(days=1)
    page = reg.get(f"/signalen/afweging/{case_id}").get_data(as_text=True)
    assert (
        "Jeugdhulp Teststad: Ambulante jeugdhulp sinds 01-03-2026, indicatie: Beschikking" in page
    )
    assert "GGZ Teststad: geweigerd (Geen toestemming van de cliënt om dit te delen.)" in page
    assert "Termijn verstreken" in page  # Schuldhulp's
    assert "Antwoorden van organisaties: Jeugdhulp Teststad: Ambulante jeugdhulp" in page


def test_the_citizen_sees_question_and_answer_as_exchanges(app: Flask, world: World) -> None:
    with app.app_context():
        with unit_of_work(session, "signalen-afweging"):
            anna = session.get(Person, world.persons["anna"])
            reg1 = session.scalars(select(User).where(User.username == "reg1")).one()
            hulp = session.scalars(select(User).where(User.username == "hulp_ggz")).one()
            assert anna is not None
            case = afwegingen.open_afweging(
                anna, regisseur=reg1, signalen=[], aanleiding="verzoek_inwoner"
            )
            vraag = vragen.stel_vraag(case, world.orgs["ggz"], actor=reg1)
            vragen.beantwoord(vraag, vragen.Antwoord(bekend=True), actor=hulp)
            case_id = case.id
        assert session.get(Afweging, case_id) is not None
        session.rollback()
    citizen = app.test_client()
    login_citizen(app, citizen, "anna")
    html = citizen.get("/mijn/uitwisselingen").get_data(as_text=True)
    assert "van Gemeente Teststad naar GGZ Teststad" in html
    assert "van GGZ Teststad naar Gemeente Teststad" in html
    assert "Welke organisaties helpen" in html  # the answer's category, in words


def test_a_reopened_case_may_ask_again_and_is_open_then(app: Flask, world: World) -> None:
    case_id = world.afwegingen["dirk"]
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        case = session.get(Afweging, case_id)
        assert case is not None
        case.status = "heropend"
    reg = staff(app, "reg1")
    assert ask(reg, case_id, world.orgs["ggz"]).status_code == 302
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        case = session.get(Afweging, case_id)
        assert case is not None and case.status == "open"
