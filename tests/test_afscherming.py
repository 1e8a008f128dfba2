"""Afscherming (issue 16, item 5): a safety mark on a gezinslink. The portal then shows neither
side to the other, and logboek lines caused by one member's own use are shown to the other
without their name — on the log page, the download and the read model alike — while the
hash-chained lines themselves stay as they were."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from sqlalchemy import select, text

from app import clock
from app.db import get_database, session
from app.plans.afscherming import IEMAND_UIT_HUISHOUDEN, Afscherming
from app.plans.models import PlanGebeurtenis
from app.users.models import User
from audit import Actor
from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.world import BSN, World
from tests.test_portaal import as_citizen, form_token, portaal_app  # noqa: F401 - the fixture
from tests.test_portaal_logboek import write_line


def bram_user(app: Flask, world: World) -> int:
    with app.app_context():
        u = User(username="bram", name="Bram Aalders", person_id=world.persons["bram"])
        session.add(u)
        session.commit()
        return u.id


def afschermen(app: Flask, world: World, reden: str = "Huiselijk geweld") -> Any:
    staff = app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/gezinslinks/{world.links['a_bram']}/afschermen"
    return staff.post(url, data={"reden": reden, "csrf_token": csrf_token(staff, url)})


def test_the_regisseur_shields_a_link_and_it_is_logged_and_in_the_history(
    portaal_app: Flask,  # noqa: F811
    world: World,
) -> None:
    staff = portaal_app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/gezinslinks/{world.links['a_bram']}/afschermen"
    detail = staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert url in detail  # offered on the plan page
    # No reason: the error by field, the form again.
    resp = staff.post(url, data={"reden": "  ", "csrf_token": csrf_token(staff, url)})
    assert resp.status_code == 422
    assert "Geef de reden van de afscherming." in resp.get_data(as_text=True)
    before = head_seq(portaal_app)
    resp = afschermen(portaal_app, world)
    assert resp.status_code == 302
    lines = log_lines(portaal_app, before)
    names = {line["name"] for line in lines if line["action"] == "create"}
    assert "gezinslink.afschermen" in names
    subjects = {
        line["data_subject_id"] for line in lines if line["name"] == "gezinslink.afschermen"
    }
    assert pseudonym(portaal_app, BSN["bram"]) in subjects
    with portaal_app.app_context():
        mark = session.scalars(select(Afscherming)).one()
        assert mark.gezinslink_id == world.links["a_bram"] and mark.reden == "Huiselijk geweld"
        assert mark.gezet_door_naam == "Regina Eerste"
        events = session.scalars(
            select(PlanGebeurtenis.omschrijving).where(PlanGebeurtenis.soort == "afscherming")
        ).all()
        assert events == ["Gezinslink afgeschermd"]
    detail = staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "Afgeschermd" in detail
    # Twice is refused, with the reason.
    again = afschermen(portaal_app, world)
    assert again.status_code == 422
    assert "al afgeschermd" in again.get_data(as_text=True)


def test_the_portal_no_longer_shows_or_loads_the_shielded_member(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    anna = as_citizen(portaal_app, oidc_provider, "anna")
    assert "Bram Aalders" in anna.get("/mijn/").get_data(as_text=True)
    assert afschermen(portaal_app, world).status_code == 302
    before = head_seq(portaal_app)
    html = anna.get("/mijn/").get_data(as_text=True)
    assert "Bram" not in html
    assert "Kees" in html  # the rest of the household stays
    bram = pseudonym(portaal_app, BSN["bram"])
    assert all(line["data_subject_id"] != bram for line in log_lines(portaal_app, before))
    export = download(anna)
    assert "Bram" not in str(export) and "Kees" in str(export["huishouden"])


def test_a_shielded_members_own_use_is_shown_without_their_name(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    bram_id = bram_user(portaal_app, world)
    write_line(portaal_app, "anna")  # by staff (Olga Onderzoek)
    seq = write_line(
        portaal_app,
        "anna",
        actor=Actor("burger", str(bram_id), "Bram Aalders", "Inwoner"),
    )
    anna = as_citizen(portaal_app, oidc_provider, "anna")
    assert "Bram Aalders" in anna.get("/mijn/logboek").get_data(as_text=True)
    assert afschermen(portaal_app, world).status_code == 302
    html = anna.get("/mijn/logboek").get_data(as_text=True)
    assert "Bram" not in html
    assert IEMAND_UIT_HUISHOUDEN in html
    # The live stream's polling fallback and the download show the same.
    live = anna.get("/mijn/logboek/nieuw?na=0")
    assert live.status_code == 200
    assert "Bram" not in live.get_data(as_text=True)
    assert IEMAND_UIT_HUISHOUDEN in live.get_data(as_text=True)
    body = str(download(anna)["logboek"])
    assert "Bram" not in body and IEMAND_UIT_HUISHOUDEN in body
    # The read API (Logboek Dataverwerkingen) too.
    api = anna.get(f"/api/v1/dataverwerkingen?dataSubjectId={pseudonym(portaal_app, BSN['anna'])}")
    assert api.status_code == 200
    assert "Bram" not in api.get_data(as_text=True)
    assert IEMAND_UIT_HUISHOUDEN in api.get_data(as_text=True)
    # The privacy officer still sees who it was (their review needs it).
    officer = portaal_app.test_client()
    login(officer, "privacy1")
    assert "Bram Aalders" in officer.get(
        f"/api/v1/dataverwerkingen?dataSubjectId={pseudonym(portaal_app, BSN['anna'])}"
    ).get_data(as_text=True)
    # The line in the chain is unchanged (a presentation filter, never a rewrite).
    with portaal_app.app_context(), get_database().engine.connect() as conn:
        stored = conn.execute(
            text("SELECT actor_name FROM audit_log_line WHERE seq = :s"), {"s": seq}
        ).scalar_one()
    assert stored == "Bram Aalders"
    # Staff use (a regisseur) stays named: only household members' own use is shielded.
    assert "Olga Onderzoek" in html


def download(client: Any) -> dict[str, Any]:
    page = client.get("/mijn/gegevens").get_data(as_text=True)
    resp = client.post("/mijn/gegevens/download", data={"csrf_token": form_token(page)})
    assert resp.status_code == 200
    return dict(resp.get_json(force=True))


def test_the_privacy_officer_reviews_the_marks_and_reading_them_is_logged(
    portaal_app: Flask,  # noqa: F811
    world: World,
) -> None:
    officer = portaal_app.test_client()
    login(officer, "privacy1")
    assert "Er zijn geen actieve afschermingen." in officer.get("/privacy/afschermingen").get_data(
        as_text=True
    )
    assert (
        afschermen(portaal_app, world, "Huiselijk geweld, melding Veilig Thuis").status_code == 302
    )
    before = head_seq(portaal_app)
    html = officer.get("/privacy/afschermingen").get_data(as_text=True)
    assert "Huiselijk geweld, melding Veilig Thuis" in html and "Regina Eerste" in html
    assert "Bram" not in html and "Anna" not in html  # no names in the review list
    lines = [
        line for line in log_lines(portaal_app, before) if line["name"] == "privacy.afschermingen"
    ]
    assert {line["data_subject_id"] for line in lines} == {
        pseudonym(portaal_app, BSN["anna"]),
        pseudonym(portaal_app, BSN["bram"]),
    }
    assert {line["processing_activity_id"] for line in lines} == {"toezicht-logboek"}


def test_shielding_the_person_hides_the_whole_household_from_them(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    staff = portaal_app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/afschermen"
    assert url in staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    bad = staff.post(url, data={"reden": "", "csrf_token": csrf_token(staff, url)})
    assert bad.status_code == 422
    assert "Geef de reden van de afscherming." in bad.get_data(as_text=True)
    resp = staff.post(url, data={"reden": "Veiligheid", "csrf_token": csrf_token(staff, url)})
    assert resp.status_code == 302
    anna = as_citizen(portaal_app, oidc_provider, "anna")
    html = anna.get("/mijn/").get_data(as_text=True)
    assert "Bram" not in html and "Kees" not in html
    # The regisseur still sees the household.
    detail = staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "Bram Aalders" in detail and "Kees Aalders" in detail
    with portaal_app.app_context():
        mark = session.scalars(select(Afscherming)).one()
        assert mark.gezinslink_id is None and mark.person_id == world.persons["anna"]


def opheffen(app: Flask, world: World, reden: str = "Situatie veilig") -> Any:
    staff = app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/gezinslinks/{world.links['a_bram']}/afscherming-opheffen"
    return staff.post(url, data={"reden": reden, "csrf_token": csrf_token(staff, url)})


def test_lifting_shows_the_household_again_but_never_the_shielded_past(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    bram_id = bram_user(portaal_app, world)
    bram = Actor("burger", str(bram_id), "Bram Aalders", "Inwoner")
    anna = as_citizen(portaal_app, oidc_provider, "anna")
    staff = portaal_app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/gezinslinks/{world.links['a_bram']}/afscherming-opheffen"
    # Nothing to lift yet: said so, no form.
    none = staff.get(url)
    assert none.status_code == 200 and "Er is geen afscherming om op te heffen." in none.get_data(
        as_text=True
    )
    clock.set_offset(dt.timedelta(0))
    try:
        before_mark = write_line(portaal_app, "anna", actor=bram)
        clock.set_offset(dt.timedelta(minutes=1))
        assert afschermen(portaal_app, world).status_code == 302
        clock.set_offset(dt.timedelta(minutes=2))
        during = write_line(portaal_app, "anna", actor=bram)  # Bram logs in while shielded
        clock.set_offset(dt.timedelta(minutes=3))
        assert url in staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
        page = staff.get(url).get_data(as_text=True)
        assert "blijft afgeschermd" in page and "Huiselijk geweld" in page
        # No reason: the error by field, the form again; nothing lifted.
        bad = staff.post(url, data={"reden": " ", "csrf_token": csrf_token(staff, url)})
        assert bad.status_code == 422
        assert "Geef de reden om de afscherming op te heffen." in bad.get_data(as_text=True)
        before = head_seq(portaal_app)
        resp = opheffen(portaal_app, world)
        assert resp.status_code == 302
        lines = [
            line
            for line in log_lines(portaal_app, before)
            if line["name"] == "gezinslink.afscherming_opheffen" and line["action"] == "update"
        ]
        assert {line["data_subject_id"] for line in lines} == {
            pseudonym(portaal_app, BSN["anna"]),
            pseudonym(portaal_app, BSN["bram"]),
        }
        clock.set_offset(dt.timedelta(minutes=4))
        after = write_line(portaal_app, "anna", actor=bram)
    finally:
        clock.set_offset(dt.timedelta(0))
    with portaal_app.app_context():
        mark = session.scalars(select(Afscherming)).one()
        assert not mark.actief and mark.opheffing_reden == "Situatie veilig"
        assert mark.opgeheven_door_naam == "Regina Eerste"
        events = session.scalars(
            select(PlanGebeurtenis.omschrijving).where(PlanGebeurtenis.soort == "afscherming")
        ).all()
        assert events == ["Gezinslink afgeschermd", "Afscherming gezinslink opgeheven"]
    # The portal shows the household again.
    assert "Bram Aalders" in anna.get("/mijn/").get_data(as_text=True)
    # What Bram did while shielded (and before) stays shielded; after lifting he is named.
    api = anna.get(f"/api/v1/dataverwerkingen?dataSubjectId={pseudonym(portaal_app, BSN['anna'])}")
    names = {
        int(r["attributes"]["eenplan.seq"]): r["attributes"]["eenplan.actor.name"]
        for r in api.get_json()["_embedded"]["dataverwerkingen"]
    }
    assert names[during] == IEMAND_UIT_HUISHOUDEN
    assert names[before_mark] == IEMAND_UIT_HUISHOUDEN
    assert names[after] == "Bram Aalders"
    html = anna.get("/mijn/logboek").get_data(as_text=True)
    assert IEMAND_UIT_HUISHOUDEN in html and "Bram Aalders" in html
    # Lifting twice: refused with the reason.
    again = opheffen(portaal_app, world)
    assert again.status_code == 422
    assert "Er is geen afscherming om op te heffen." in again.get_data(as_text=True)
    # The privacy officer sees who lifted it, when and why.
    officer = portaal_app.test_client()
    login(officer, "privacy1")
    review = officer.get("/privacy/afschermingen").get_data(as_text=True)
    assert "Er zijn geen actieve afschermingen." in review
    assert "Situatie veilig" in review and "Regina Eerste" in review


def test_lifting_a_shielded_person(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    staff = portaal_app.test_client()
    login(staff, "reg1")
    url = f"/plannen/{world.plans['a']}/afschermen"
    resp = staff.post(url, data={"reden": "Veiligheid", "csrf_token": csrf_token(staff, url)})
    assert resp.status_code == 302
    lift = f"/plannen/{world.plans['a']}/afscherming-opheffen"
    assert lift in staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    kept = staff.post(lift, data={"reden": "", "csrf_token": csrf_token(staff, lift)})
    assert kept.status_code == 422
    resp = staff.post(lift, data={"reden": "Verhuisd", "csrf_token": csrf_token(staff, lift)})
    assert resp.status_code == 302
    anna = as_citizen(portaal_app, oidc_provider, "anna")
    html = anna.get("/mijn/").get_data(as_text=True)
    assert "Bram Aalders" in html and "Kees" in html
    assert url in staff.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
