"""The register of processing activities, maintained by the functioneel beheerder."""

from __future__ import annotations

from typing import Any

import pytest

from app.db import get_database
from app.register import seed_entries
from tests.conftest import csrf_token, head_seq, log_lines, login

BASE = "/beheer/verwerkingsregister"
REGIE = f"{BASE}/regie-multiproblematiek"


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "naam": "Regie op multiprobleemsituaties (1 gezin, 1 plan, 1 regisseur)",
        "doel": "Huishoudens met problemen op meerdere leefgebieden samenhangend helpen.",
        "grondslag": "Uitvoering van een wettelijke taak (AVG art. 6 lid 1 sub e).",
        "wettelijke_verwijzing": "Wmo 2015 art. 5.2.1",
        "categorieen": ["bsn", "naw", "plan", "activiteiten"],
        "ontvangers": "regisseur\n\nbetrokken hulpverleners (alleen hun deel)",
        "bewaartermijn": "7 jaar na afsluiten van het plan",
        "termijn_jaren": "7",
        "termijn_maanden": "0",
        "termijn_na": "plan-afgesloten",
        "versie": "1",
    }
    data.update(changes)
    return data


def post(client, path: str, data: dict[str, Any]) -> Any:  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def test_list_shows_every_activity(client, world) -> None:
    login(client, "beheer1")
    body = client.get(f"{BASE}/").get_data(as_text=True)
    for entry in seed_entries():
        assert entry["name"] in body and entry["key"] in body
    assert "Verwerkingsactiviteit toevoegen" in body


def test_privacy_officer_reads_but_does_not_edit(client, world) -> None:
    login(client, "privacy1")
    assert client.get(REGIE).status_code == 200
    assert "Wijzigen" not in client.get(REGIE).get_data(as_text=True)
    assert client.get(f"{REGIE}/wijzigen").status_code == 403
    assert client.get(f"{BASE}/nieuw").status_code == 403


@pytest.mark.parametrize("user", ["reg1", "hulp1", "melder1"])
def test_others_may_not(client, world, user: str) -> None:
    login(client, user)
    assert client.get(f"{BASE}/").status_code == 403


def test_change_adds_a_version_and_lines_keep_theirs(app, client, world) -> None:
    login(client, "reg1")
    before = head_seq(app)
    client.get(f"/plannen/{world.plans['a']}")
    old_version_id = log_lines(app, before)[0]["processing_activity_version_id"]

    beheer = app.test_client()
    login(beheer, "beheer1")
    resp = post(beheer, f"{REGIE}/wijzigen", form())
    assert resp.status_code == 302
    page = beheer.get(REGIE).get_data(as_text=True)
    assert "Versie 2" in page and "Bea Beheer" in page and "7 jaar na afsluiten" in page
    assert "Versie 1 bekijken" in page and "Versie 2 bekijken" in page
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.connect() as conn:
        history = logboek.register.history(conn, "regie-multiproblematiek")
    assert [v.version for v in history] == [1, 2]
    assert history[1].recipient_categories == (
        "regisseur",
        "betrokken hulpverleners (alleen hun deel)",
    )
    assert history[1].data_categories == ("bsn", "naw", "plan", "activiteiten")
    assert history[0].retention != history[1].retention  # the old version is untouched

    mid = head_seq(app)
    client2 = app.test_client()
    login(client2, "reg1")
    client2.get(f"/plannen/{world.plans['a']}")
    assert log_lines(app, mid)[0]["processing_activity_version_id"] == history[1].id
    assert log_lines(app, before)[0]["processing_activity_version_id"] == old_version_id
    assert old_version_id == history[0].id


def test_saving_without_a_change_adds_no_version(app, client, world) -> None:
    login(client, "beheer1")
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.connect() as conn:
        v = logboek.register.current_version(conn, "berichten")
    data = form(
        naam=v.name,
        doel=v.purpose,
        grondslag=v.legal_basis,
        wettelijke_verwijzing=v.legal_reference,
        categorieen=list(v.data_categories),
        ontvangers="\n".join(v.recipient_categories),
        bewaartermijn=v.retention,
        termijn_jaren="5",  # the seed's structured term of "berichten"
    )
    resp = post(client, f"{BASE}/berichten/wijzigen", data)
    assert resp.status_code == 302
    assert "niets gewijzigd" in client.get(f"{BASE}/berichten").get_data(as_text=True)
    with app.app_context(), get_database().engine.connect() as conn:
        assert logboek.register.current_version(conn, "berichten").version == 1


def test_someone_else_saved_first(app, client, world) -> None:
    login(client, "beheer1")
    assert (
        post(client, f"{REGIE}/wijzigen", form(bewaartermijn="eerste wijziging")).status_code == 302
    )
    resp = post(client, f"{REGIE}/wijzigen", form(bewaartermijn="mijn wijziging"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Iemand anders was u voor" in body and "mijn wijziging" in body  # input kept
    assert 'name="versie" type="hidden" value="2"' in body
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.connect() as conn:
        assert logboek.register.current_version(conn, "regie-multiproblematiek").retention == (
            "eerste wijziging"
        )


def test_invalid_input_is_shown_and_kept(client, world) -> None:
    login(client, "beheer1")
    resp = post(client, f"{REGIE}/wijzigen", form(naam="", categorieen=[], doel="Nieuw doel"))
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Controleer de invoer" in body and "Kies minstens één categorie." in body
    assert "Nieuw doel" in body


def test_add_an_activity(app, client, world) -> None:
    login(client, "beheer1")
    bad = post(client, f"{BASE}/nieuw", form(sleutel="Met Spaties", versie=""))
    assert bad.status_code == 422 and "Kleine letters" in bad.get_data(as_text=True)
    taken = post(client, f"{BASE}/nieuw", form(sleutel="berichten", versie=""))
    assert taken.status_code == 422 and "bestaat al" in taken.get_data(as_text=True)
    ok = post(
        client,
        f"{BASE}/nieuw",
        form(sleutel="huisbezoek-verslag", naam="Verslag van huisbezoeken", versie=""),
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith(f"{BASE}/huisbezoek-verslag")
    assert "Verslag van huisbezoeken" in client.get(f"{BASE}/").get_data(as_text=True)
    # The logboek can point at it straight away.
    from audit import Actor, Entry, TraceContext

    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.begin() as conn:
        lines = logboek.record(
            conn,
            [
                Entry(
                    kind="inzage",
                    action="view",
                    name="proef",
                    actor=Actor("systeem", None, "Eenplan"),
                    subjects=(),
                    processing_activity="huisbezoek-verslag",
                    data_categories=("naw",),
                    trace=TraceContext.new(),
                )
            ],
        )
    assert lines[0].processing_activity_name == "Verslag van huisbezoeken"


def test_unknown_activity_is_404(client, world) -> None:
    login(client, "beheer1")
    assert client.get(f"{BASE}/bestaat-niet").status_code == 404
    assert client.get(f"{BASE}/bestaat-niet/wijzigen").status_code == 404


def test_lines_point_at_the_version_that_applies_even_after_a_rolled_back_change(
    app, world
) -> None:
    """Appends cache the register's current versions; a change (or a change that was rolled
    back) is seen by the very next line."""
    from audit import Actor, Entry, Register, TraceContext

    logboek = app.extensions["eenplan_logboek"]
    entry = Entry(
        kind="inzage",
        action="view",
        name="proef",
        actor=Actor("systeem", None, "Eenplan"),
        subjects=(),
        processing_activity="berichten",
        data_categories=("berichten",),
        trace=TraceContext.new(),
    )
    engine = app.extensions["eenplan_db"].engine
    with app.app_context(), engine.begin() as conn:
        v1 = logboek.record(conn, [entry])[0].processing_activity_version_id
    with app.app_context(), engine.connect() as conn:
        tx = conn.begin()
        Register().save(conn, "berichten", changed_by="proef", retention="wordt teruggedraaid")
        inside = logboek.record(conn, [entry])[0]
        assert inside.processing_activity_version == 2
        tx.rollback()
    with app.app_context(), engine.begin() as conn:
        assert logboek.record(conn, [entry])[0].processing_activity_version_id == v1
        saved = Register().save(conn, "berichten", changed_by="proef", retention="blijft")
    with app.app_context(), engine.begin() as conn:
        line = logboek.record(conn, [entry])[0]
    assert line.processing_activity_version_id == saved.id != v1
    assert line.processing_activity_version == 2


def test_the_structured_term_is_edited_with_the_entry(app, client, world) -> None:  # type: ignore[no-untyped-def]
    """The term `flask retention run` enforces: years and months after an event, per activity."""
    from app.vernietiging.termijn import Bewaartermijn, Gebeurtenis

    login(client, "beheer1")
    page = client.get(f"{REGIE}/wijzigen").get_data(as_text=True)
    assert 'name="termijn_jaren" type="text" value="5"' in page
    assert '<option selected value="plan-afgesloten">' in page
    assert 'name="termijn_jeugdhulp_jaren" type="text" value="20"' in page
    # Half a term: an event without years or months, or a number without an event.
    resp = post(client, f"{REGIE}/wijzigen", form(termijn_jaren="0", termijn_maanden=""))
    assert resp.status_code == 422 and "Geef het aantal jaren of maanden." in resp.get_data(
        as_text=True
    )
    resp = post(client, f"{REGIE}/wijzigen", form(termijn_na=""))
    assert resp.status_code == 422
    assert "Kies vanaf welke gebeurtenis de termijn loopt." in resp.get_data(as_text=True)
    resp = post(client, f"{REGIE}/wijzigen", form(termijn_jeugdhulp_jaren="3"))
    assert "Bij jeugdhulp is de termijn niet korter dan de gewone." in resp.get_data(as_text=True)
    resp = post(client, f"{REGIE}/wijzigen", form(termijn_jaren="20", termijn_maanden="6"))
    assert resp.status_code == 302
    assert "20 jaar en 6 maanden na afsluiten van het plan" in client.get(REGIE).get_data(
        as_text=True
    )
    logboek = app.extensions["eenplan_logboek"]
    with app.app_context(), get_database().engine.connect() as conn:
        v = logboek.register.current_version(conn, "regie-multiproblematiek")
    assert Bewaartermijn.parse(v.retention_term) == Bewaartermijn(
        20, 6, Gebeurtenis.PLAN_AFGESLOTEN
    )
