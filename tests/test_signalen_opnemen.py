"""Issue 13 item 5: from the combined queue row of a BSN not yet in Eenplan to an afweging —
the signal team records the person from the BRP ("Persoon opnemen uit de BRP",
``/signalen/signaal/<id>/brp``), which matches every open signal with that BSN at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.db import session
from app.inkijk.bronnen import BronAntwoord, BronNietBeschikbaar
from app.inkijk.haalcentraal import HaalCentraalBRP
from app.people.models import Person
from app.signalen.models import Vroegsignaal
from tests.conftest import login
from tests.support.world import BSN, World
from tests.test_signalen import head_seq, log_lines, make_bsn, pseudonym
from tests.test_signalen_werkvoorraad import _three_creditors


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert m, "no csrf token on the page"
    return m.group(1)


def _people(app: Flask, bsn: str) -> int:
    with app.app_context():
        return _count_people(bsn)


def _count_people(bsn: str) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(Person)
            .where(Person.bsn == bsn)
            .execution_options(audit_internal=True)
        ).scalar_one()
    )


def _unmatched(app: Flask, ids: list[int]) -> int:
    with app.app_context():
        return _count_unmatched(ids)


def _count_unmatched(ids: list[int]) -> int:
    return int(
        session.execute(
            select(func.count())
            .select_from(Vroegsignaal)
            .where(Vroegsignaal.id.in_(ids), Vroegsignaal.person_id.is_(None))
            .execution_options(audit_internal=True)
        ).scalar_one()
    )


def _person_id(app: Flask, bsn: str) -> int:
    with app.app_context():
        return int(
            session.execute(
                select(Person.id).where(Person.bsn == bsn).execution_options(audit_internal=True)
            ).scalar_one()
        )


def test_the_regisseur_records_the_person_from_the_brp_and_all_signals_match(
    app: Flask, world: World
) -> None:
    with app.app_context():
        unknown = make_bsn(32000001)
        ids = _three_creditors(unknown, "OPN")
    reg = app.test_client()
    login(reg, "reg1")
    koppel = reg.get(f"/signalen/signaal/{ids[0]}").get_data(as_text=True)
    link = f'href="/signalen/signaal/{ids[0]}/brp"'
    assert "Persoon opnemen uit de BRP" in koppel and link in koppel
    with app.app_context():
        before = head_seq(app)
    resp = reg.get(f"/signalen/signaal/{ids[0]}/brp")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Persoon opnemen uit de BRP" in html and "Geboortedatum" in html
    assert "Amsterdam" in html  # the synthetic BRP's address
    with app.app_context():
        # Shown only with its line: one view line about the delivered BSN, for the afweging.
        lines = log_lines(app, before)
        subject = pseudonym(app, unknown)
    assert [(r["action"], r["data_subject_id"]) for r in lines] == [("view", subject)]
    assert lines[0]["processing_activity_id"] == "signalen-afweging"
    assert {"bsn", "naw"} <= set(lines[0]["data_categories"].split(","))
    assert _people(app, unknown) == 0  # looking writes nothing but the line

    with app.app_context():
        before = head_seq(app)
    resp = reg.post(f"/signalen/signaal/{ids[0]}/brp", data={"csrf_token": _csrf(html)})
    assert resp.status_code == 302
    pid = _person_id(app, unknown)
    assert resp.headers["Location"].endswith(f"/signalen/persoon/{pid}")
    assert _unmatched(app, ids) == 0  # all three creditors' signals are the person's now
    with app.app_context():
        actions = {(r["action"], r["data_subject_id"]) for r in log_lines(app, before)}
    assert ("create", subject) in actions and ("update", subject) in actions

    # The person page, where the afweging is started.
    page = reg.get(f"/signalen/persoon/{pid}").get_data(as_text=True)
    assert "Afweging starten met deze signalen" in page
    assert "De persoon is opgenomen uit de BRP" in page


class _Stub:
    herkomst = "stub"
    partij: str | None = None

    def __init__(self, answer: Any) -> None:
        self.answer = answer

    def vraag(self, bsn: str, niveau: str) -> BronAntwoord:
        raise AssertionError("not used")

    def raadpleeg(self, bsn: str) -> dict[str, Any] | None:
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (None, "Dit BSN is niet gevonden in de BRP"),
        (BronNietBeschikbaar("brp"), "Deze bron is nu niet bereikbaar"),
        (
            {
                "naam": {"voornamen": "Oud", "geslachtsnaam": "Overleden"},
                "geboorte": {"datum": {"type": "Datum", "datum": "1930-01-01"}},
                "overlijden": {"datum": {"type": "Datum", "datum": "2025-01-01"}},
            },
            "Volgens de BRP is deze persoon overleden",
        ),
    ],
)
def test_brp_errors_give_a_message_and_write_nothing(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch, answer: Any, message: str
) -> None:
    with app.app_context():
        unknown = make_bsn(32000101)
        ids = _three_creditors(unknown, "ERR")
    reg = app.test_client()
    login(reg, "reg1")
    token = _csrf(reg.get(f"/signalen/signaal/{ids[0]}/brp").get_data(as_text=True))
    monkeypatch.setitem(app.extensions["eenplan_inkijk"].adapters, "brp", _Stub(answer))
    resp = reg.get(f"/signalen/signaal/{ids[0]}/brp")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and message in html
    assert "Persoon opnemen en signalen koppelen" not in html  # nothing to confirm
    resp = reg.post(f"/signalen/signaal/{ids[0]}/brp", data={"csrf_token": token})
    assert resp.status_code == 409 and message in resp.get_data(as_text=True)
    assert _people(app, unknown) == 0 and _unmatched(app, ids) == 3


def test_no_brp_adapter_is_a_message(app: Flask, world: World, monkeypatch: Any) -> None:
    reg = app.test_client()
    login(reg, "reg1")
    monkeypatch.delitem(app.extensions["eenplan_inkijk"].adapters, "brp")
    resp = reg.get(f"/signalen/signaal/{world.signalen['nieuw_toeslagen']}/brp")
    assert "Eenplan kan de BRP hier niet raadplegen" in resp.get_data(as_text=True)


def test_a_person_recorded_meanwhile_is_not_recorded_twice(app: Flask, world: World) -> None:
    """Another regisseur recorded the person first: the signal is matched, the page is gone."""
    sid = world.signalen["nieuw_toeslagen"]
    reg = app.test_client()
    login(reg, "reg1")
    token = _csrf(reg.get(f"/signalen/signaal/{sid}/brp").get_data(as_text=True))
    other = app.test_client()
    login(other, "reg2")
    page = other.get(f"/signalen/signaal/{sid}/brp").get_data(as_text=True)
    resp = other.post(f"/signalen/signaal/{sid}/brp", data={"csrf_token": _csrf(page)})
    assert resp.status_code == 302
    resp = reg.post(f"/signalen/signaal/{sid}/brp", data={"csrf_token": token})
    assert resp.status_code == 404
    assert _people(app, BSN["nieuw"]) == 1


def test_the_synthetic_brp_knows_delivered_bsns_only(app: Flask, world: World) -> None:
    from app.inkijk.synthetisch import SynthetischeBron

    with app.app_context():
        brp = SynthetischeBron("brp")
        found = brp.raadpleeg(BSN["nieuw"])
        assert found is not None and found["naam"]["geslachtsnaam"]
        assert found == brp.raadpleeg(BSN["nieuw"])  # the same BSN, the same person
        assert brp.raadpleeg(make_bsn(32000901)) is None  # no signal: not in the BRP
        anna = brp.raadpleeg(BSN["anna"])
        assert anna is not None and anna["naam"]["volledigeNaam"] == "Anna Aalders"


def test_the_haal_centraal_adapter_asks_only_name_birth_and_address() -> None:
    """Against the local server that checks requests and answers against the standard: the
    person to record, read into the fields of a person in Eenplan; unknown: ``None``."""
    import json

    from app.inkijk.haalcentraal import OPNEMEN_FIELDS
    from app.signalen.opnemen import _gegevens
    from tests.support.haalcentraal_server import API_KEY, HaalCentraalServer
    from tests.support.standards import brp_fields

    assert set(OPNEMEN_FIELDS) <= brp_fields()
    with HaalCentraalServer() as server:
        a = HaalCentraalBRP(server.url, api_key=API_KEY)
        found = a.raadpleeg(BSN["anna"])
        assert found is not None
        assert json.loads(server.requests[-1]["body"])["fields"] == OPNEMEN_FIELDS
        assert "partners" not in found and "kinderen" not in found  # data minimisation
        gevonden = _gegevens(BSN["anna"], found)
        assert gevonden.naam == "Anna Aalders"
        assert gevonden.gegevens.achternaam == "Aalders" and gevonden.gegevens.huisnummer
        assert gevonden.gegevens.postcode and gevonden.gegevens.woonplaats
        assert a.raadpleeg("999999990") is None
        assert server.violations == []


def test_a_real_register_asked_at_confirmation_is_an_exchange_line(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a real BRP (the adapter names a party) the BSN went out and name and address came
    in: an exchange line about the BSN each time, for the afweging; every category the route logs
    is in the register's entry for signalen-afweging."""
    from app.logboek import current_logboek

    answer = {
        "burgerservicenummer": BSN["nieuw"],
        "naam": {"voornamen": "Rik", "voorvoegsel": "van", "geslachtsnaam": "Echt"},
        "geboorte": {"datum": {"type": "Datum", "datum": "1990-03-04"}},
        "verblijfplaats": {
            "verblijfadres": {
                "officieleStraatnaam": "Brpstraat",
                "huisnummer": 5,
                "huisletter": "a",
                "postcode": "1234AB",
                "woonplaats": "Teststad",
            }
        },
    }
    stub = _Stub(answer)
    stub.partij = "BRP (Rijksdienst voor Identiteitsgegevens)"
    monkeypatch.setitem(app.extensions["eenplan_inkijk"].adapters, "brp", stub)
    sid = world.signalen["nieuw_toeslagen"]
    reg = app.test_client()
    login(reg, "reg1")
    with app.app_context():
        before = head_seq(app)
    page = reg.get(f"/signalen/signaal/{sid}/brp").get_data(as_text=True)
    assert "Rik van Echt" in page and "4 maart 1990" in page and "Brpstraat 5a" in page
    resp = reg.post(f"/signalen/signaal/{sid}/brp", data={"csrf_token": _csrf(page)})
    assert resp.status_code == 302
    with app.app_context():
        lines = log_lines(app, before)
        subject = pseudonym(app, BSN["nieuw"])
        person = session.scalars(select(Person).where(Person.bsn == BSN["nieuw"])).one()
        assert (person.voornamen, person.tussenvoegsel, person.achternaam) == ("Rik", "van", "Echt")
        assert (person.huisnummer, person.huisnummer_toevoeging) == ("5", "a")
        register = {v.key: v for v in current_logboek().register.current(session.connection())}[
            "signalen-afweging"
        ]
    exchanges = [r for r in lines if r["kind"] == "uitwisseling"]
    # Asked twice (to show, then again to record): the BSN went out twice.
    assert [(r["action"], r["data_subject_id"], r["sender"]) for r in exchanges] == [
        ("receive", subject, stub.partij)
    ] * 2
    assert all(r["processing_activity_id"] == "signalen-afweging" for r in lines)
    # What this screen adds (the BRP's answer, the person, the exchange) is in the register's
    # entry; the signal's own categories are the koppelen page's, as before.
    assert {"bsn", "naw"} <= set(register.data_categories)
    for r in lines:
        if r["action"] != "view":
            assert set(r["data_categories"].split(",")) <= set(register.data_categories)
