"""The screens: a melder files a signal and sees its status; the signal team's regisseur sees it in
the queue, opens a case and weighs it through to a plan; who else gets 403/404."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.db import session
from app.signalen.models import Afweging, Vroegsignaal
from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.world import BSN, World


def _post(client: FlaskClient, url: str, page: str, data: dict[str, object]) -> object:
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)})


def test_melder_to_regisseur_to_plan(app: Flask, world: World) -> None:
    melder = app.test_client()
    login(melder, "melder1")
    form = melder.get("/signalen/melden")
    assert form.status_code == 200 and "Signaal melden" in form.get_data(as_text=True)
    # Wrong input is named and kept.
    bad = _post(melder, "/signalen/melden", "/signalen/melden", {"signaal": "Zorgen om het gezin"})
    text = bad.get_data(as_text=True)  # type: ignore[attr-defined]
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Zorgen om het gezin" in text and "Vul het BSN in" in text
    before = head_seq(app)
    ok = _post(
        melder,
        "/signalen/melden",
        "/signalen/melden",
        {
            "bsn": BSN["frank"],
            "melder_naam": "Mees Melder",
            "melder_contact": "mees@school.example",
            "relatie": "Mentor",
            "aanleiding": "Dochter vaak afwezig",
            "signaal": "Vader vertelt over een beslag op zijn loon.",
            "categorie": "schoolverzuim",
            "domeinen": ["onderwijs", "financien"],
        },
    )
    assert ok.status_code == 302  # type: ignore[attr-defined]
    lines = log_lines(app, before)
    assert [(r["action"], r["data_subject_id"]) for r in lines] == [
        ("create", pseudonym(app, BSN["frank"]))
    ]
    status = melder.get("/signalen/mijn-meldingen").get_data(as_text=True)
    assert "Ontvangen, nog niet gewogen" in status
    assert "Frank" not in status and BSN["frank"] not in status and "beslag" not in status
    assert melder.get("/signalen/").status_code == 403

    reg = app.test_client()
    login(reg, "reg1")
    before = head_seq(app)
    queue = reg.get("/signalen/")
    page = queue.get_data(as_text=True)
    assert queue.status_code == 200 and "Frank Fransen" in page
    assert "beslag" not in page  # the queue shows counts, not contents
    viewed = log_lines(app, before)
    assert {(r["action"], r["data_subject_id"]) for r in viewed} >= {
        ("view", pseudonym(app, BSN["frank"]))
    }
    person_page = reg.get(f"/signalen/persoon/{world.persons['frank']}")
    assert "beslag op zijn loon" in person_page.get_data(as_text=True)
    started = _post(
        reg,
        f"/signalen/persoon/{world.persons['frank']}/afweging",
        f"/signalen/persoon/{world.persons['frank']}",
        {},
    )
    assert started.status_code == 302  # type: ignore[attr-defined]
    case_url = started.headers["Location"]  # type: ignore[attr-defined]
    case_id = int(re.search(r"/afweging/(\d+)", case_url).group(1))  # type: ignore[union-attr]
    for stap, motivering in (
        (2, "Onderwijs en financiën, bevestigd in gesprek met vader."),
        (3, "Meerdere hulpverleners nodig; afstemming ontbreekt."),
        (4, "Multiproblematiek vastgesteld in overleg met het gezin."),
    ):
        resp = _post(
            reg,
            f"/signalen/afweging/{case_id}/stap",
            f"/signalen/afweging/{case_id}",
            {"antwoord": "ja", "motivering": motivering},
        )
        assert resp.status_code == 302, (stap, resp.get_data(as_text=True))  # type: ignore[attr-defined]
    with app.app_context():
        case = session.get(Afweging, case_id)
        assert case is not None and case.status == "multiproblematiek" and case.plan_id
        signal = session.scalars(
            select(Vroegsignaal).where(Vroegsignaal.person_id == world.persons["frank"])
        ).first()
        assert signal is not None and signal.afweging_id == case_id
        session.rollback()
    final = reg.get(f"/signalen/afweging/{case_id}").get_data(as_text=True)
    assert "Naar het plan" in final and "Regina Eerste" in final
    # The melder's status follows, without telling what was decided.
    assert "Afgerond" in melder.get("/signalen/mijn-meldingen").get_data(as_text=True)
    # Others: a hulpverlener and the mandated regisseur are not in the signal team.
    for username in ("hulp1", "noord1"):
        other = app.test_client()
        login(other, username)
        assert other.get("/signalen/").status_code == 403
        assert other.get(f"/signalen/afweging/{case_id}").status_code in (403, 404)


def test_beheerder_configures_a_source(app: Flask, world: World) -> None:
    from app.signalen.models import SignaalBron

    client = app.test_client()
    login(client, "beheer1")
    url = f"/beheer/signaalbronnen/{world.bronnen['cjib']}"
    # The term's field says the register's term can end it sooner (signalen.vergeten._grens).
    form = client.get(url).get_data(as_text=True)
    assert "of eerder als de bewaartermijn van de verwerkingsactiviteit" in form
    bad = _post(client, url, url, {"naam": "CJIB", "bewaartermijn_dagen": "2"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "Tussen 7 en 3650 dagen" in bad.get_data(as_text=True)  # type: ignore[attr-defined]
    ok = _post(
        client,
        url,
        url,
        {
            "naam": "CJIB",
            "processing_activity": "vroegsignalering-schulden",
            "velden": ["bedrag"],
            "bewaartermijn_dagen": "30",
        },
    )
    assert ok.status_code == 302  # type: ignore[attr-defined]
    with app.app_context():
        bron = session.get(SignaalBron, world.bronnen["cjib"])
        assert bron is not None
        assert (bron.bewaartermijn_dagen, bron.velden, bron.actief) == (30, ["bedrag"], False)
        assert bron.processing_activity == "vroegsignalering-schulden"
        session.rollback()
    assert "vroegsignalering-schulden" in client.get("/beheer/signaalbronnen/").get_data(
        as_text=True
    ) or "Vroegsignalering van betalingsachterstanden" in client.get(
        "/beheer/signaalbronnen/"
    ).get_data(as_text=True)
