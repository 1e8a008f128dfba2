"""What the citizen sees of signals (issue 13): deferred disclosure (#7), who reported it (#8)
and removed signals (#10)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.clock import now, today
from app.db import session
from app.signalen import inrichting
from app.signalen.models import Afweging, AfwegingStap, Vroegsignaal
from app.signalen.uitstel import Uitstel
from app.users.models import User
from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.citizens import login_citizen
from tests.support.world import BSN, World

DIAG = "Melding huiselijke onrust"


def _citizen(app: Flask, who: str = "anna") -> FlaskClient:
    client = app.test_client()
    login_citizen(app, client, who)
    return client


def _deliver_police(app: Flask, bsn: str, ref: str = "POL-1", code: str = "politie") -> int:
    with app.app_context():
        bron = inrichting.bron(code)
        assert bron is not None and bron.gevoelig
        _t, plain = inrichting.maak_bron_token(bron, "test")
        session.commit()
    resp = app.test_client().post(
        f"/api/v1/bronnen/{code}/signalen",
        json={
            "bsn": bsn,
            "bronReferentie": ref,
            "signaaldatum": today().isoformat(),
            "categorie": "politie",
            "inhoud": DIAG,
        },
        headers={"Authorization": f"Bearer {plain}"},
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    body = resp.get_json()
    return int(body["id"]) if "id" in body else int(body["opgeslagenRegels"][0]["id"])


def _citizen_surfaces(app: Flask, client: FlaskClient) -> dict[str, str]:
    """Every surface where the citizen reads about signals and log lines."""
    out = {
        "signalen": client.get("/mijn/signalen").get_data(as_text=True),
        "logboek": client.get("/mijn/logboek").get_data(as_text=True),
        "uitwisselingen": client.get("/mijn/uitwisselingen").get_data(as_text=True),
        "nieuw": client.get("/mijn/logboek/nieuw?na=0").get_data(as_text=True),
    }
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/mijn/gegevens").get_data(True)
    )
    assert token
    out["download"] = client.post(
        "/mijn/gegevens/download", data={"csrf_token": token.group(1)}
    ).get_data(as_text=True)
    with app.app_context():
        p = pseudonym(app, BSN["anna"])
    out["api"] = client.get(f"/api/v1/dataverwerkingen?dataSubjectId={p}").get_data(as_text=True)
    return out


def _step_2(app: Flask, signal_id: int, person: str, world: World) -> None:
    """Step 2 of a case with this signal is answered (recorded as the afwegingskader does)."""
    with app.app_context():
        reg1 = session.scalars(select(User).where(User.username == "reg1")).one()
        case = Afweging(
            person_id=world.persons[person],
            aanleiding="signalen",
            status="open",
            regisseur_id=reg1.id,
        )
        session.add(case)
        session.flush()
        session.get(Vroegsignaal, signal_id).afweging_id = case.id  # type: ignore[union-attr]
        for stap in (1, 2):
            session.add(
                AfwegingStap(
                    afweging=case,
                    stap=stap,
                    antwoord=True,
                    motivering="Vastgelegd in de test.",
                    besloten_door_id=reg1.id,
                    besloten_door_naam=reg1.name,
                )
            )
        session.commit()


# --- #7 deferred disclosure ------------------------------------------------------------------


def test_police_signal_is_deferred_until_step_2_on_every_surface(app: Flask, world: World) -> None:
    signal_id = _deliver_police(app, BSN["anna"])
    client = _citizen(app)
    seen = _citizen_surfaces(app, client)
    for surface, text in seen.items():
        assert DIAG not in text, surface
        assert f'"eenplan.object.id": "{signal_id}"' not in text, surface
        assert "Politie" not in text, surface  # not the signal, not its exchange line
    # The deferral is recorded, for the privacy officer's review.
    with app.app_context():
        u = session.scalars(select(Uitstel).where(Uitstel.vroegsignaal_id == signal_id)).one()
        assert u.reden == "gevoelige_bron" and u.tot_stap_2
        assert u.onderwerp == pseudonym(app, BSN["anna"])
        session.rollback()
    privacy = app.test_client()
    login(privacy, "privacy1")
    assert "Nog niet zichtbaar voor de inwoner" in privacy.get("/privacy/uitstel").get_data(True)

    # Step 2 answered: now she sees the signal and the exchange, with the date and the reason.
    _step_2(app, signal_id, "anna", world)
    seen = _citizen_surfaces(app, client)
    assert DIAG in seen["signalen"] and "U ziet dit signaal pas sinds" in seen["signalen"]
    assert "politie of Veilig Thuis" in seen["signalen"]
    assert "Politie" in seen["uitwisselingen"] and "U ziet dit pas sinds" in seen["uitwisselingen"]
    assert DIAG in seen["download"] and "later_getoond_vanaf" in seen["download"]


def test_functioneel_beheerder_marks_a_source_sensitive(app: Flask, world: World) -> None:
    beheer = app.test_client()
    login(beheer, "beheer1")
    url = f"/beheer/signaalbronnen/{world.bronnen['cjib']}"
    resp = beheer.post(
        url,
        data={
            "csrf_token": csrf_token(beheer, url),
            "naam": "CJIB",
            "processing_activity": "vroegsignalering-rijksschuldeisers",
            "velden": ["bedrag"],
            "bewaartermijn_dagen": "183",
            "actief": "y",
            "gevoelig": "y",
        },
    )
    assert resp.status_code == 302
    assert "Gevoelig: pas zichtbaar" in beheer.get("/beheer/signaalbronnen/").get_data(True)
    signal_id = _deliver_police(app, BSN["anna"], "CJIB-GEVOELIG", code="cjib")
    with app.app_context():
        assert session.scalars(select(Uitstel).where(Uitstel.vroegsignaal_id == signal_id)).one()
        session.rollback()


def _defer_form(client: FlaskClient, signal_id: int, **data: str) -> Any:
    url = f"/signalen/signaal/{signal_id}/uitstel"
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data})


def test_regisseur_defers_a_signal_refusals_keep_input(app: Flask, world: World) -> None:
    from tests.test_portaal_signalen import _signalen_over

    _signalen_over(app, world, "anna")  # a neighbour's melding (no case) and a CJIB one
    with app.app_context():
        melding = session.scalars(
            select(Vroegsignaal).where(
                Vroegsignaal.person_id == world.persons["anna"], Vroegsignaal.bron_id.is_(None)
            )
        ).one()
        signal_id = melding.id
        session.rollback()
    reg = app.test_client()
    login(reg, "reg2")
    base = {"reden": "veiligheid", "toelichting": "Eerst de veiligheid regelen."}
    refusals = {
        "tot": ((today() - dt.timedelta(days=1)).isoformat(), "Kies een datum na vandaag."),
        "max": ((today() + dt.timedelta(days=91)).isoformat(), "Uitstel mag hoogstens 90 dagen"),
    }
    for _name, (tot, message) in refusals.items():
        resp = _defer_form(reg, signal_id, tot=tot, **base)
        html = resp.get_data(as_text=True)
        assert resp.status_code == 400 and message in html
        assert "Eerst de veiligheid regelen." in html and f'value="{tot}"' in html
    later = (today() + dt.timedelta(days=20)).isoformat()
    resp = _defer_form(reg, signal_id, tot=later, toelichting="Eerst de veiligheid regelen.")
    assert resp.status_code == 400 and "Kies een reden." in resp.get_data(as_text=True)
    resp = _defer_form(reg, signal_id, tot=later, reden="veiligheid", toelichting="kort")
    assert resp.status_code == 400 and "Minstens 10 tekens." in resp.get_data(as_text=True)
    with app.app_context():
        assert (
            session.scalars(select(Uitstel).where(Uitstel.vroegsignaal_id == signal_id)).all() == []
        )
        session.rollback()

    url = f"/signalen/signaal/{signal_id}/uitstel"
    token = csrf_token(reg, url)
    before = head_seq(app)
    assert reg.post(url, data={"csrf_token": token, "tot": later, **base}).status_code == 302
    # One line about her, with the signal as object (so hidden with it).
    lines = log_lines(app, before)
    assert [(r["action"], r["object_type"], r["object_id"]) for r in lines] == [
        ("create", "vroegsignaal", str(signal_id))
    ]
    assert lines[0]["data_subject_id"] == pseudonym(app, BSN["anna"])

    citizen = _citizen(app)
    seen = _citizen_surfaces(app, citizen)
    assert "De brievenbus puilt uit" not in seen["signalen"]
    assert "CJIB" in seen["signalen"]  # the other signal is not deferred
    assert f'"eenplan.object.id": "{signal_id}"' not in seen["download"]

    # The date arrives (moving the clock would end her login session): she sees it, with the
    # reason given.
    with app.app_context():
        u = session.scalars(select(Uitstel).where(Uitstel.vroegsignaal_id == signal_id)).one()
        u.tot = today()
        session.commit()
    seen = _citizen_surfaces(app, citizen)
    assert "De brievenbus puilt uit" in seen["signalen"]
    assert "Eerst de veiligheid regelen." in seen["signalen"]
    assert "De veiligheid van u of iemand anders ging voor" in seen["logboek"]


def test_a_case_whose_signals_are_all_deferred_is_deferred_with_them(
    app: Flask, world: World
) -> None:
    from tests.test_portaal_signalen import _signalen_over

    _signalen_over(app, world, "anna")  # the CJIB signal is in a case, step 1 answered
    with app.app_context():
        cjib = session.scalars(
            select(Vroegsignaal).where(
                Vroegsignaal.person_id == world.persons["anna"], Vroegsignaal.bron_id.is_not(None)
            )
        ).one()
        signal_id, case_id = cjib.id, cjib.afweging_id
        session.rollback()
    reg = app.test_client()
    login(reg, "reg1")
    later = (today() + dt.timedelta(days=10)).isoformat()
    resp = _defer_form(
        reg, signal_id, tot=later, reden="onderzoek", toelichting="Justitie doet onderzoek."
    )
    assert resp.status_code == 302
    seen = _citizen_surfaces(app, _citizen(app))
    assert "Twee signalen over geldzaken" not in seen["signalen"]  # the case's step 1
    assert "Twee signalen over geldzaken" not in seen["download"]
    assert f'"eenplan.object.id": "{case_id}"' not in seen["download"]
    assert "De brievenbus puilt uit" in seen["signalen"]  # the other signal is not deferred
    # The deferral ends: the case is back, with its signal shown late.
    with app.app_context():
        u = session.scalars(select(Uitstel).where(Uitstel.vroegsignaal_id == signal_id)).one()
        u.tot = today()
        session.commit()
    seen = _citizen_surfaces(app, _citizen(app))
    assert "Twee signalen over geldzaken" in seen["signalen"]
    assert "U ziet dit signaal pas sinds" in seen["signalen"]


def test_privacy_officer_reviews_and_ends_a_deferral(app: Flask, world: World) -> None:
    signal_id = _deliver_police(app, BSN["anna"], "POL-2")
    with app.app_context():
        uitstel_id = session.scalars(
            select(Uitstel.id).where(Uitstel.vroegsignaal_id == signal_id)
        ).one()
        session.rollback()
    privacy = app.test_client()
    login(privacy, "privacy1")
    url = f"/privacy/uitstel/{uitstel_id}"
    resp = privacy.post(url, data={"csrf_token": csrf_token(privacy, url)})
    assert resp.status_code == 422 and "Kies akkoord of beëindigen." in resp.get_data(True)
    resp = privacy.post(
        url,
        data={
            "csrf_token": csrf_token(privacy, url),
            "uitkomst": "beeindigen",
            "toelichting": "Geen reden meer.",
        },
    )
    assert resp.status_code == 302
    seen = _citizen_surfaces(app, _citizen(app))
    assert DIAG in seen["signalen"]


def test_deferral_form_refuses_other_roles(app: Flask, world: World) -> None:
    url = f"/signalen/signaal/{world.signalen['dirk_cjib']}/uitstel"
    for user, status in (("reg2", 403), ("hulp1", 403), ("melder1", 403), ("reg1", 200)):
        c = app.test_client()
        login(c, user)
        assert c.get(url).status_code == status, user
    c = app.test_client()
    login(c, "reg1")
    assert c.get("/signalen/signaal/999999/uitstel").status_code == 404


# --- #8 who reported it ----------------------------------------------------------------------


def test_melder_is_named_by_organisation_and_role_on_every_surface(
    app: Flask, world: World
) -> None:
    melder = app.test_client()
    login(melder, "melder1")
    resp = melder.post(
        "/signalen/melden",
        data={
            "csrf_token": csrf_token(melder, "/signalen/melden"),
            "bsn": BSN["anna"],
            "melder_naam": "Mees Melder",
            "melder_contact": "mees@school.example",
            "relatie": "Mentor",
            "aanleiding": "Vaak afwezig",
            "signaal": "Zorgen over het gezin.",
            "categorie": "zorgen",
            "domeinen": ["onderwijs"],
        },
    )
    assert resp.status_code == 302
    seen = _citizen_surfaces(app, _citizen(app))
    for surface in ("logboek", "nieuw"):
        assert "Melder bij Basisschool Test" in seen[surface], surface
    assert "Melder bij Basisschool Test (mentor)" in seen["signalen"]
    for surface, text in seen.items():
        assert "Mees Melder" not in text, surface
        assert "mees@school.example" not in text, surface
    data = json.loads(seen["download"])
    melding = [x for x in data["logboek"] if x["name"] == "signalen.melden"]
    assert melding and melding[0]["uitleg"]["wie"] is None
    assert melding[0]["uitleg"]["organisatie"] == "Basisschool Test"
    assert melding[0]["attributes"].get("eenplan.actor.id") is None
    api = json.loads(seen["api"])["_embedded"]["dataverwerkingen"]
    assert any(x["name"] == "signalen.melden" for x in api)
    # The privacy officer still sees who it was (their review needs it).
    privacy = app.test_client()
    login(privacy, "privacy1")
    p = pseudonym(app, BSN["anna"])
    assert "Mees Melder" in privacy.get(f"/api/v1/dataverwerkingen?dataSubjectId={p}").get_data(
        True
    )


def test_private_person_only_by_relation() -> None:
    from app.signalen.melders import beschrijving, regel_voor_inwoner

    assert beschrijving(organisatie=None, rol="Melder", relatie="buurvrouw") == "Buurvrouw"
    assert beschrijving(organisatie=None, rol=None, relatie=None) == "Iemand uit uw omgeving"
    assert (
        beschrijving(organisatie="GGD", rol="Hulpverlener", relatie="Huisarts")
        == "Hulpverlener bij GGD (huisarts)"
    )

    import dataclasses

    @dataclasses.dataclass(frozen=True)
    class L:
        name: str
        actor_name: str | None
        actor_id: str | None
        actor_role: str | None
        actor_organisation: str | None
        actor_mandate: str | None

    shown = regel_voor_inwoner(L("signalen.melden", "Nina Naaste", "7", "Melder", None, None))
    assert shown.actor_name == "Iemand uit uw omgeving" and shown.actor_id is None
    other = L("plan.bekijken", "Regina Eerste", "1", "Regisseur", "Gemeente", None)
    assert regel_voor_inwoner(other) is other  # rule 4: who looked is always named


# --- #10 removed signals ---------------------------------------------------------------------


def test_removed_signals_are_explained_not_silently_gone(app: Flask, world: World) -> None:
    from app.logboek import unit_of_work
    from app.signalen import vergeten
    from tests.test_portaal_signalen import _signalen_over

    _signalen_over(app, world, "anna")
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        ids = [
            s.id
            for s in session.scalars(
                select(Vroegsignaal).where(Vroegsignaal.person_id == world.persons["anna"])
            )
        ]
        rows = vergeten.tombstone_rows(Vroegsignaal.id.in_(ids[:1]))
        vergeten.tombstones(rows, "signalen-afweging", "signalen.purge", now(), "bewaartermijn")
        rows = vergeten.tombstone_rows(Vroegsignaal.id.in_(ids[1:]))
        vergeten.tombstones(
            rows, "signalen-afweging", "signalen.afweging.beeindigd", now(), "afweging_stap_2"
        )
    client = _citizen(app)
    html = client.get("/mijn/signalen").get_data(as_text=True)
    assert "De gemeente heeft geen signalen over u." not in html
    assert "Verwijderde signalen" in html and "Wel kwamen er eerder signalen binnen" in html
    assert "Er is binnen de vaste termijn niets mee gedaan" in html
    assert "Dat was niet zo" in html
    assert "CJIB (bronsysteem)" in html
    assert "De brievenbus puilt uit" not in html  # what it said is gone
    data = json.loads(_citizen_surfaces(app, client)["download"])
    assert len(data["verwijderde_signalen"]) == 2
    assert {v["van_wie"] for v in data["verwijderde_signalen"]} == {
        "CJIB (bronsysteem)",
        "Iemand uit uw omgeving",
    }
    # Someone else's removed signals are not hers.
    other = _citizen(app, "truus")
    assert "Verwijderde signalen" not in other.get("/mijn/signalen").get_data(as_text=True)


def test_hidden_objects_filter_leaves_lines_without_an_object(app: Flask, world: World) -> None:
    """The logboek's reader hides lines about the given objects only — never a line without an
    object, or about another object of the same type (the chain itself is untouched)."""
    from app.db import get_database
    from audit import LineFilter
    from tests.test_logboek_api import _write

    plain = _write(app, 1, BSN["kees"])[0]
    hidden = _write(app, 1, BSN["kees"], object_type="vroegsignaal", object_id="41")[0]
    other = _write(app, 1, BSN["kees"], object_type="vroegsignaal", object_id="42")[0]
    plan = _write(app, 1, BSN["kees"], object_type="plan", object_id="41")[0]
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.connect() as conn:
        f = LineFilter(
            data_subject_id=pseudonym(app, BSN["kees"]),
            hidden_objects=(("vroegsignaal", "41"),),
        )
        seqs = {line.seq for line in logboek.page(conn, f, limit=100).lines}
        assert {plain, other, plan} <= seqs and hidden not in seqs
        assert logboek.verify(conn).ok


def test_privacy_officer_defers_from_a_logboek_line(app: Flask, world: World) -> None:
    before = head_seq(app)
    signal_id = _deliver_police(app, BSN["anna"], "POL-3")
    seq = next(r["seq"] for r in log_lines(app, before) if r["object_id"] == str(signal_id))
    privacy = app.test_client()
    login(privacy, "privacy1")
    html = privacy.get(f"/privacy/regels/{seq}").get_data(as_text=True)
    url = f"/signalen/signaal/{signal_id}/uitstel"
    assert f'href="{url}"' in html
    later = (today() + dt.timedelta(days=60)).isoformat()
    resp = _defer_form(
        privacy, signal_id, tot=later, reden="melder", toelichting="De melder loopt gevaar."
    )
    assert resp.status_code == 302
    with app.app_context():
        made = session.scalars(select(Uitstel).where(Uitstel.vroegsignaal_id == signal_id)).all()
        assert {(u.reden, u.tot_stap_2) for u in made} == {
            ("gevoelige_bron", True),
            ("melder", False),
        }
        session.rollback()


def test_lines_about_a_fully_deferred_case_hide_and_come_back_marked(
    app: Flask, world: World
) -> None:
    """The world's case about Dirk has one signal, deferred for 30 days: a line about the case
    is hidden from Dirk (read API), and shown — marked as late, with the reason — once the
    deferral ends."""
    from tests.test_logboek_api import _write, citizen_client

    case = str(world.afwegingen["dirk"])
    seq = _write(app, 1, BSN["dirk"], object_type="afweging", object_id=case)[0]
    dirk = citizen_client(app, world, "dirk")
    url = f"/api/v1/dataverwerkingen?dataSubjectId={pseudonym(app, BSN['dirk'])}&pageSize=100"

    def lines() -> dict[int, Any]:
        body = dirk.get(url).get_json()
        return {x["attributes"]["eenplan.seq"]: x for x in body["_embedded"]["dataverwerkingen"]}

    assert seq not in lines()
    with app.app_context():
        u = session.get(Uitstel, world.uitstel["dirk_cjib"])
        assert u is not None
        u.beeindigd_op = today()
        session.commit()
    shown = lines()[seq]["attributes"]
    assert shown["eenplan.disclose_after"] == today().isoformat()
    assert "Politie onderzoekt de situatie thuis nog." in shown["eenplan.deferral_reason"]


def test_a_hulpverlener_who_reports_is_named_by_organisation_and_role(
    app: Flask, world: World
) -> None:
    hulp = app.test_client()
    login(hulp, "hulp1")
    form = hulp.get("/signalen/melden").get_data(as_text=True)
    assert "Hulpverlener bij Schuldhulp Teststad" in form  # the form starts with her role
    resp = hulp.post(
        "/signalen/melden",
        data={
            "csrf_token": csrf_token(hulp, "/signalen/melden"),
            "bsn": BSN["anna"],
            "melder_naam": "Hanna Schuld",
            "melder_contact": "hanna@schuldhulp.example",
            "relatie": "Hulpverlener bij Schuldhulp Teststad",
            "aanleiding": "Nieuwe aanmaningen",
            "signaal": "Zorgen over de vaste lasten.",
            "categorie": "zorgen",
            "domeinen": ["financien"],
        },
    )
    assert resp.status_code == 302
    seen = _citizen_surfaces(app, _citizen(app))
    assert "Hulpverlener bij Schuldhulp Teststad" in seen["logboek"]
    assert "Melder bij Schuldhulp Teststad (hulpverlener)" in seen["signalen"]
    # (She is named elsewhere on Anna's pages as the author of her comments: rule 4.)
    for surface in ("signalen", "logboek", "nieuw", "uitwisselingen"):
        assert "Hanna Schuld" not in seen[surface], surface
    data = json.loads(seen["download"])
    melding = [x for x in data["logboek"] if x["name"] == "signalen.melden"]
    assert melding and all(x["attributes"].get("eenplan.actor.name") is None for x in melding)
    assert "Hanna Schuld" not in json.dumps(data["signalen"])
    api = json.loads(seen["api"])["_embedded"]["dataverwerkingen"]
    assert all(
        x["attributes"].get("eenplan.actor.name") is None
        for x in api
        if x["name"] == "signalen.melden"
    )
    assert "hanna@schuldhulp.example" not in seen["download"]


def test_forgetting_a_deferred_signal_empties_the_deferrals_text(app: Flask, world: World) -> None:
    from app.logboek import unit_of_work
    from app.signalen import vergeten

    signal_id = _deliver_police(app, BSN["anna"], "POL-4")
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        rows = vergeten.tombstone_rows(Vroegsignaal.id == signal_id)
        vergeten.tombstones(rows, "signalen-afweging", "signalen.purge", now(), "bewaartermijn")
    with app.app_context():
        u = session.scalars(select(Uitstel).where(Uitstel.vroegsignaal_id == signal_id)).one()
        assert u.toelichting == "" and u.reden == "gevoelige_bron" and u.tot_stap_2
        session.rollback()
