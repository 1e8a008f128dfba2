"""Who may report (issue 13 item 9): staff of every organisation report signals besides the
melder role; every report has the melder's own number ("Melding 2"), never the global id; and
source systems ask the status of their own deliveries by their own reference."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.db import session
from app.signalen.models import Vroegsignaal
from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.world import BSN
from tests.test_signalen_api import auth, token

MELDING = {
    "bsn": BSN["frank"],
    "melder_naam": "Hanna Hulp",
    "melder_contact": "hanna@schuldhulp.example",
    "relatie": "Schuldhulpverlener van de buurvrouw",
    "aanleiding": "Huisbezoek bij de buren",
    "signaal": "Frank zegt dat de huur al maanden niet betaald is.",
    "categorie": "zorgen",
    "domeinen": ["financien", "wonen"],
}


def _meld(client: FlaskClient, **changes: Any) -> Any:
    data = {**MELDING, **changes, "csrf_token": csrf_token(client, "/signalen/melden")}
    return client.post("/signalen/melden", data=data, follow_redirects=True)


def _global_ids(app: Flask, username: str) -> list[int]:
    from app.users.models import User

    with app.app_context():
        user_id = session.scalars(select(User.id).where(User.username == username)).one()
        ids = list(
            session.scalars(
                select(Vroegsignaal.id)
                .where(Vroegsignaal.melder_id == user_id)
                .order_by(Vroegsignaal.id)
                .execution_options(audit_internal=True)
            )
        )
        session.rollback()
    return ids


def test_a_hulpverlener_reports_and_sees_their_own_numbers(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    login(client, "hulp1")
    form = client.get("/signalen/melden")
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    # The form knows who reports: their name and their role at their organisation.
    assert "Hulpverlener bij Schuldhulp Teststad" in page
    assert 'href="/signalen/melden"' in page  # in the menu
    before = head_seq(app)
    first = _meld(client)
    assert first.status_code == 200
    assert "Uw signaal is ontvangen als Melding 1." in first.get_data(as_text=True)
    # The report, then (Mijn meldingen, where the form lands) its status sent to the melder.
    lines = log_lines(app, before)
    assert [(r["action"], r["kind"]) for r in lines] == [
        ("create", "inzage"),
        ("send", "uitwisseling"),
    ]
    assert lines[1]["name"] == "signalen.meldingstatus"
    # To the melder as the citizen may read it: organisation and role, never their name.
    assert lines[1]["recipient"] == "Melder bij Schuldhulp Teststad"
    second = _meld(client, bsn=BSN["anna"]).get_data(as_text=True)
    assert "als Melding 2." in second
    mine = client.get("/signalen/mijn-meldingen").get_data(as_text=True)
    assert re.findall(r"Melding (\d+)</td>", mine) == ["2", "1"]
    # Never the global id, which would tell how many signals the municipality receives.
    for global_id in _global_ids(app, "hulp1"):
        if global_id not in (1, 2):
            assert f"Melding {global_id}<" not in mine and f"Melding {global_id}." not in second


def test_the_melder_numbers_on_from_their_own_last(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    login(client, "melder1")  # the world's report about Kees is melder1's "Melding 1"
    body = _meld(client).get_data(as_text=True)
    assert "als Melding 2." in body
    ids = _global_ids(app, "melder1")
    assert len(ids) == 2 and ids[-1] != 2  # the global id is another number


def test_a_regisseur_may_report_too(app: Flask, client: FlaskClient, world: Any) -> None:
    login(client, "noord1")
    assert "als Melding 1." in _meld(client).get_data(as_text=True)


def test_other_roles_may_not_report(app: Flask, client: FlaskClient, world: Any) -> None:
    for user in ("privacy1", "beheer1"):
        login(client, user)
        assert client.get("/signalen/melden").status_code == 403
        assert client.get("/signalen/mijn-meldingen").status_code == 403
        client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account/")})


def test_form_errors_are_named_and_the_input_is_kept(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    login(client, "hulp_jeugd")
    before = head_seq(app)
    resp = _meld(client, signaal="", bsn="123456789")
    text = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "Huisbezoek bij de buren" in text and "hanna@schuldhulp.example" in text
    assert 'value="123456789"' in text  # the wrong BSN stays, to be corrected
    assert 'aria-invalid="true"' in text or "utrecht-form-field--invalid" in text
    assert log_lines(app, before) == []


# --- source systems: the status of their own deliveries ------------------------------------


def test_a_source_asks_the_status_of_its_own_delivery(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    plain = token(app, "cjib")
    body = {"bsn": BSN["anna"], "bronReferentie": "CJIB/2026/8", "signaaldatum": "2026-01-10"}
    assert (
        client.post("/api/v1/bronnen/cjib/signalen", json=body, headers=auth(plain)).status_code
        == 201
    )
    before = head_seq(app)
    resp = client.get("/api/v1/bronnen/cjib/signalen/CJIB/2026/8", headers=auth(plain))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    got = resp.get_json()
    assert got["bronReferentie"] == "CJIB/2026/8"
    assert (got["status"], got["statusOmschrijving"]) == (
        "ontvangen",
        "Ontvangen, nog niet gewogen",
    )
    assert got["signaaldatum"] == "2026-01-10" and got["verwijderdOp"] is None
    assert set(got) == {
        "bronReferentie",
        "signaaldatum",
        "ontvangenOp",
        "status",
        "statusOmschrijving",
        "verwijderdOp",
    }
    # The world's CJIB signal about Dirk is in an open afweging: being weighed. Nothing more.
    weighed = client.get("/api/v1/bronnen/cjib/signalen/CJIB-WORLD-1", headers=auth(plain))
    assert weighed.get_json()["status"] == "inBehandeling"
    assert BSN["dirk"] not in weighed.get_data(as_text=True)
    assert "Dirk" not in weighed.get_data(as_text=True)
    # Each answer tells the source something about the person: an exchange line each, which
    # the citizen reads (sent by the municipality to the source, about the delivered BSN).
    rows = log_lines(app, before)
    assert [(r["kind"], r["action"], r["name"]) for r in rows] == [
        ("uitwisseling", "send", "signalen.status")
    ] * 2
    anna, dirk = rows
    assert anna["data_subject_id"] == pseudonym(app, BSN["anna"])
    assert anna["data_categories"] == "signalen"
    assert dirk["data_subject_id"] == pseudonym(app, BSN["dirk"])
    assert dirk["data_categories"] == "afweging,signalen"
    assert (dirk["sender"], dirk["recipient"]) == ("Gemeente Teststad", "CJIB")
    assert dirk["actor_name"] == "CJIB (bronsysteem)"
    assert dirk["processing_activity_id"] == "signalen-afweging"


def test_a_removed_signals_status_is_about_nobody(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    """A tombstone keeps its reference and dates, not the BSN: "verwijderd", and no line."""
    from app.clock import now

    with app.app_context():
        signal = session.get(Vroegsignaal, world.signalen["nieuw_toeslagen"])
        assert signal is not None
        session.execute(
            Vroegsignaal.__table__.update()
            .where(Vroegsignaal.id == signal.id)
            .values(bsn=None, gegevens=None, verwijderd_op=now(), verwijder_reden="termijn")
        )
        session.commit()
    plain = token(app, "toeslagen")
    before = head_seq(app)
    resp = client.get("/api/v1/bronnen/toeslagen/signalen/TOESLAGEN-WORLD-1", headers=auth(plain))
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "verwijderd" and resp.get_json()["verwijderdOp"]
    assert log_lines(app, before) == []


def test_another_sources_reference_is_not_found(
    app: Flask, client: FlaskClient, world: Any
) -> None:
    plain = token(app, "cjib")
    for url in (
        "/api/v1/bronnen/cjib/signalen/TOESLAGEN-WORLD-1",  # Toeslagen's reference
        "/api/v1/bronnen/toeslagen/signalen/TOESLAGEN-WORLD-1",  # Toeslagen's source
        "/api/v1/bronnen/cjib/signalen/BESTAAT-NIET",
    ):
        resp = client.get(url, headers=auth(plain))
        assert resp.status_code == 404, url
        assert resp.mimetype == "application/problem+json"
    no_token = client.get("/api/v1/bronnen/cjib/signalen/CJIB-WORLD-1")
    assert no_token.status_code == 401 and no_token.mimetype == "application/problem+json"
    personal = client.get(
        "/api/v1/bronnen/cjib/signalen/CJIB-WORLD-1", headers=auth(world.tokens["reg1"])
    )
    assert personal.status_code == 401


def test_the_migration_numbers_existing_reports_per_melder(app: Flask, world: Any) -> None:
    """Reports made before the per-melder numbers get them in the order they were stored."""
    from sqlalchemy import text

    from app import migrate
    from app.db import get_database

    migrate.downgrade(app, "0010_plan_afweging")
    with app.app_context(), get_database().engine.begin() as conn:
        for melder in ("melder1", "hulp1", "melder1"):
            conn.execute(
                text(
                    "INSERT INTO vroegsignaal (melder_id, categorie, domeinen, signaaldatum,"
                    " ontvangen_op) VALUES (:m, 'zorgen', 'wonen', '2026-01-10',"
                    " '2026-01-10 10:00:00+00:00')"
                ),
                {"m": world.users[melder]},
            )
    migrate.upgrade(app)
    with app.app_context(), get_database().engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT melder_id, melder_volgnummer FROM vroegsignaal"
                " WHERE melder_id IS NOT NULL ORDER BY id"
            )
        ).all()
    with app.app_context():
        assert migrate.drift(get_database().engine) == []
    assert [(m, n) for m, n in rows] == [
        (world.users["melder1"], 1),  # the world's report about Kees
        (world.users["melder1"], 2),
        (world.users["hulp1"], 1),
        (world.users["melder1"], 3),
    ]
