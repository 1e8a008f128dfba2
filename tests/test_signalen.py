"""Signals: bulk intake with an exact report, matching, combination, the afwegingskader,
forgetting (purge and tombstones) and reopening — on every database backend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from app import clock
from app.db import session
from app.domain import PlanBasis
from app.logboek import unit_of_work
from app.organisations.models import Organisation
from app.people.models import Person
from app.plans.models import Plan
from app.signalen import (
    afweging,
    inrichting,
    intake,
    status,
    validation,
    vergeten,
    vragen,
    werkvoorraad,
)
from app.signalen.models import Afweging, SignaalBron, Vroegsignaal
from app.users.models import User
from tests.conftest import head_seq as _head_seq
from tests.conftest import log_lines as _log_lines
from tests.conftest import pseudonym
from tests.support.world import BSN, World


def log_lines(app: Flask, before: int) -> list[dict[str, Any]]:
    session.rollback()  # end this session's transaction (SQLite: one writer at a time)
    return _log_lines(app, before)


def head_seq(app: Flask) -> int:
    session.rollback()
    return _head_seq(app)


def make_bsn(n: int) -> str:
    """A valid (11-proef) synthetic BSN from a number."""
    while True:
        digits = [int(c) for c in f"{n:08d}"]
        check = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
        if check < 10:
            return f"{n:08d}{check}"
        n += 1


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    yield
    clock.set_offset(dt.timedelta(0))


def person(bsn: str, achternaam: str, postcode: str = "9999ZZ", nummer: str = "1") -> Person:
    p = Person(
        bsn=bsn,
        voornamen="Test",
        achternaam=achternaam,
        geboortedatum=dt.date(1980, 1, 1),
        straat="Signaalweg",
        huisnummer=nummer,
        postcode=postcode,
        woonplaats="Teststad",
    )
    session.add(p)
    session.flush()
    return p


def deliver(code: str, rows: list[tuple[int, Any]]) -> intake.Rapport:
    with unit_of_work(session, "vroegsignalering-schulden"):
        b = inrichting.bron(code)
        assert b is not None
        org = inrichting.koppel_organisatie(b)
        return intake.ontvang(b, rows, actor=inrichting.bron_actor(b, org))


def row(bsn: str, ref: str, **extra: Any) -> dict[str, Any]:
    return {"bsn": bsn, "bronReferentie": ref, "signaaldatum": "2026-01-15", **extra}


def test_sources_and_rules_are_seeded_as_data(app: Flask) -> None:
    with app.app_context():
        codes = set(session.scalars(select(SignaalBron.code)))
        assert {"belastingdienst", "toeslagen", "cak", "cjib", "woningcorporatie"} <= codes
        b = inrichting.bron("cjib")
        assert b is not None
        assert b.processing_activity == "vroegsignalering-rijksschuldeisers"
        assert set(b.velden) == {"schuldsoort", "bedrag", "maanden_achterstand", "schuldeiser"}
        assert b.bewaartermijn_dagen == 183


def test_bulk_report_is_exact_and_redelivery_is_not_duplicated(app: Flask, world: World) -> None:
    with app.app_context():
        before = head_seq(app)
        rows: list[tuple[int, Any]] = [
            (1, row(BSN["anna"], "R1", bedrag="350.00", maandenAchterstand=3)),
            (2, row("123456789", "R2")),  # fails the 11-proef
            (3, row(BSN["dirk"], "")),  # no reference
            (4, row(BSN["dirk"], "R4", kleur="rood")),  # a field this source does not deliver
            (5, row(BSN["nieuw"], "R5", schuldeiser="CJIB")),  # no person yet: stored unmatched
            (6, row(BSN["dirk"], "R1")),  # the same reference twice in one delivery
            (7, validation.SignaalError("Geen geldige JSON.", "regel")),
            (8, row(BSN["dirk"], "R8", signaaldatum="2999-01-01")),
            (9, row(BSN["dirk"], "R9", bedrag="veel")),
        ]
        rapport = deliver("cjib", rows)
        assert rapport.ontvangen == 9
        assert [r for r, _ in rapport.opgeslagen] == [1, 5]
        assert rapport.dubbel == [(6, "R1")]
        assert [(f.regel, f.veld) for f in rapport.fouten] == [
            (2, "bsn"),
            (3, "bronReferentie"),
            (4, "kleur"),
            (7, "regel"),
            (8, "signaaldatum"),
            (9, "bedrag"),
        ]
        stored = {
            s.bron_referentie: s
            for s in session.scalars(
                select(Vroegsignaal).where(Vroegsignaal.bron_referentie.like("R%"))
            )
        }
        assert stored["R1"].person_id == world.persons["anna"]
        assert stored["R1"].gegevens == {"bedrag": "350.00", "maanden_achterstand": 3}
        assert stored["R5"].person_id is None and stored["R5"].bsn == BSN["nieuw"]
        # Every received signal is one exchange line, received from the source.
        lines = log_lines(app, before)
        assert len(lines) == 2
        assert {r["data_subject_id"] for r in lines} == {
            pseudonym(app, BSN["anna"]),
            pseudonym(app, BSN["nieuw"]),
        }
        for r in lines:
            assert (r["kind"], r["action"]) == ("uitwisseling", "receive")
            assert r["sender"] == "CJIB" and r["recipient"] == "Gemeente Teststad"
            assert r["processing_activity_id"] == "vroegsignalering-rijksschuldeisers"
            assert r["object_type"] == "vroegsignaal"

        # Delivered again (with one new row): nothing is stored twice, nothing logged twice.
        before = head_seq(app)
        again = deliver("cjib", [(1, row(BSN["anna"], "R1")), (2, row(BSN["dirk"], "R10"))])
        assert again.dubbel == [(1, "R1")] and [r for r, _ in again.opgeslagen] == [2]
        assert len(log_lines(app, before)) == 1
        assert (
            session.scalar(
                select(func.count())
                .select_from(Vroegsignaal)
                .where(Vroegsignaal.bron_referentie.like("R%"))
            )
            == 3
        )


def _pid(bsn: str) -> int:
    return session.execute(
        select(Person.id).where(Person.bsn == bsn).execution_options(audit_internal=True)
    ).scalar_one()


def _signal(bsn: str, code: str, ref: str, **extra: Any) -> int:
    rapport = deliver(code, [(1, row(bsn, ref, **extra))])
    assert rapport.opgeslagen, rapport.fouten
    return rapport.opgeslagen[0][1]


def test_combination_rules_fire_per_household(app: Flask) -> None:
    with app.app_context():
        with unit_of_work(session, "vroegsignalering-schulden"):
            a = person(make_bsn(20000001), "Achterstand", postcode="1111AA")
            partner = person(make_bsn(20000101), "Achterstand", postcode="1111AA")
            other = person(make_bsn(20000201), "Anders", postcode="2222BB")
            bsns = (a.bsn, partner.bsn, other.bsn)
        _signal(bsns[0], "belastingdienst", "B1")
        _signal(bsns[0], "cak", "C1")
        _signal(bsns[1], "cjib", "J1")  # the partner: same address, same household
        _signal(bsns[2], "toeslagen", "T1")
        _signal(bsns[2], "woningcorporatie", "W1", dreigendeOntruiming=True)
        with unit_of_work(session, "signalen-afweging"):
            queue = werkvoorraad.werkvoorraad().groepen
            by_person = {pid: g for g in queue for pid in g.person_ids}
            household = by_person[_pid(bsns[0])]
            assert len(household.person_ids) == 2 and household.aantal == 3
            assert household.aantal_bronnen == 3
            assert [r.code for r in household.regels][0] == "drie-rijksschuldeisers"
            assert household.urgentie == 3
            single = by_person[_pid(bsns[2])]
            assert "dreigende-uitzetting" in {r.code for r in single.regels}
            assert "drie-rijksschuldeisers" not in {r.code for r in single.regels}
            assert single.aantal == 2 and single.urgentie == 3


def _regisseur() -> User:
    u = session.scalars(select(User).where(User.username == "reg1")).one()
    return u


def test_afweging_step_2_no_removes_signals_with_a_tombstone(app: Flask) -> None:
    with app.app_context():
        with unit_of_work(session, "vroegsignalering-schulden"):
            p = person(make_bsn(20001001), "Twee")
            bsn = p.bsn
        sid = _signal(bsn, "energie", "E1", inhoud="Achterstand van drie maanden")
        before = head_seq(app)
        with unit_of_work(session, "signalen-afweging"):
            s = session.get(Vroegsignaal, sid)
            assert s is not None and s.person_id is not None
            pers = session.get(Person, s.person_id)
            assert pers is not None
            case = afweging.open_afweging(pers, regisseur=_regisseur(), signalen=[s])
            org = (
                session.scalars(
                    select(Organisation).where(Organisation.name == "Schuldhulp Teststad")
                ).first()
                or session.scalars(select(Organisation)).first()
            )
            assert org is not None
            vraag = vragen.stel_vraag(case, org.id, actor=_regisseur())
            hulpverlener = session.scalars(select(User).where(User.username == "hulp1")).one()
            vragen.beantwoord(vraag, vragen.Antwoord(bekend=False), actor=hulpverlener)
            afweging.besluit(
                case,
                2,
                False,
                "Alleen financiën speelt; geen tweede leefgebied.",
                actor=_regisseur(),
            )
            case_id = case.id
        lines = log_lines(app, before)
        kinds = [(r["kind"], r["action"]) for r in lines]
        assert ("uitwisseling", "send") in kinds and ("uitwisseling", "receive") in kinds
        deletes = [
            r for r in lines if r["action"] == "delete" and r["object_type"] == "vroegsignaal"
        ]
        assert len(deletes) == 1 and deletes[0]["data_categories"] == "signalen"
        with unit_of_work(session, "signalen-afweging"):
            s = session.get(Vroegsignaal, sid)
            assert s is not None
            assert s.verwijderd_op is not None and s.verwijder_reden == "afweging_stap_2"
            assert (s.inhoud, s.bsn, s.person_id, s.gegevens) == (None, None, None, None)
            case = session.get(Afweging, case_id)
            assert case is not None and case.status == "beeindigd"
            assert [st.stap for st in case.stappen] == [1, 2]
            assert all(st.besloten_door_naam == "Regina Eerste" for st in case.stappen)


def test_afweging_step_3_no_refers_and_step_4_makes_a_plan(app: Flask) -> None:
    with app.app_context():
        with unit_of_work(session, "vroegsignalering-schulden"):
            p3 = person(make_bsn(20002001), "Kolom", postcode="3333CC")
            p4 = person(make_bsn(20002101), "Plan", postcode="4444DD")
            b3, b4 = p3.bsn, p4.bsn
        s3 = _signal(b3, "water", "W3")
        s4 = _signal(b4, "cak", "C4")
        with unit_of_work(session, "signalen-afweging"):
            reg = _regisseur()
            sig3 = session.get(Vroegsignaal, s3)
            sig4 = session.get(Vroegsignaal, s4)
            assert sig3 and sig4
            c3 = afweging.open_afweging(
                session.get(Person, sig3.person_id), regisseur=reg, signalen=[sig3]
            )  # type: ignore[arg-type]
            afweging.besluit(
                c3, 2, True, "Financiën en wonen, bevestigd door de inwoner.", actor=reg
            )
            with pytest.raises(validation.SignaalError):
                afweging.besluit(c3, 3, False, "Geen integrale aanpak nodig.", actor=reg)
            afweging.besluit(
                c3, 3, False, "Geen integrale aanpak nodig.", actor=reg, verwijzing="Schuldhulp"
            )
            assert c3.status == "kolommen" and c3.verwijzing == "Schuldhulp"
            c4 = afweging.open_afweging(
                session.get(Person, sig4.person_id), regisseur=reg, signalen=[sig4]
            )  # type: ignore[arg-type]
            with pytest.raises(validation.SignaalError):
                afweging.besluit(c4, 3, True, "Te vroeg: stap 2 eerst.", actor=reg)
            afweging.besluit(c4, 2, True, "Zorg en financiën, bekend bij CAK en GGZ.", actor=reg)
            afweging.besluit(c4, 3, True, "Hulp loopt langs elkaar heen; regie nodig.", actor=reg)
            afweging.besluit(
                c4, 4, True, "Multiproblematiek vastgesteld met de inwoner.", actor=reg
            )
            assert c4.status == "multiproblematiek" and c4.plan_id is not None
            plan = session.get(Plan, c4.plan_id)
            assert plan is not None and plan.basis == PlanBasis.MULTIPROBLEMATIEK
            assert plan.person_id == sig4.person_id


def test_purge_forgets_after_the_term_idempotently(app: Flask) -> None:
    with app.app_context():
        with unit_of_work(session, "vroegsignalering-schulden"):
            p = person(make_bsn(20003001), "Vergeten")
            bsn = p.bsn
        old = _signal(bsn, "belastingdienst", "OLD")
        in_case = _signal(bsn, "cak", "CASE")
        with unit_of_work(session, "signalen-afweging"):
            s = session.get(Vroegsignaal, in_case)
            assert s is not None
            afweging.open_afweging(
                session.get(Person, s.person_id), regisseur=_regisseur(), signalen=[s]
            )  # type: ignore[arg-type]
        clock.set_offset(dt.timedelta(days=100))
        young = _signal(bsn, "toeslagen", "YOUNG")
        police = _signal(bsn, "politie", "POL")  # politie: a term of 92 days
        clock.set_offset(dt.timedelta(days=150))
        before = head_seq(app)
        first = vergeten.purge()
        assert first.verwijderd == 0  # nothing is past its term yet
        clock.set_offset(dt.timedelta(days=200))
        first = vergeten.purge(batch=1)
        # The world's own web-form signal (melding) is past its term too.
        assert first.verwijderd == 4  # and the world's melding and unmatched signal
        assert dict(first.per_bron) == {
            "belastingdienst": 1,
            "politie": 1,
            "melding": 1,
            "toeslagen": 1,
        }
        lines = log_lines(app, before)
        assert [(r["action"], r["data_categories"]) for r in lines] == [("delete", "signalen")] * 4
        assert {r["data_subject_id"] for r in lines} == {
            pseudonym(app, bsn),
            pseudonym(app, BSN["kees"]),
            pseudonym(app, BSN["nieuw"]),
        }
        assert vergeten.purge().verwijderd == 0  # idempotent
        with unit_of_work(session, "signalen-afweging"):
            gone = {s.id: s for s in session.scalars(select(Vroegsignaal))}
            assert gone[old].verwijderd_op is not None and gone[old].bsn is None
            assert gone[police].verwijderd_op is not None
            assert gone[in_case].verwijderd_op is None  # led to a case step
            assert gone[young].verwijderd_op is None
            assert gone[old].bron_referentie == "OLD"  # the tombstone keeps the reference
        # A re-delivery of a forgotten signal does not bring it back.
        assert deliver("belastingdienst", [(1, row(bsn, "OLD"))]).dubbel == [(1, "OLD")]


def _register_term(app: Flask, key: str, term: dict[str, Any]) -> None:
    """A new version of register entry ``key`` with this structured term (as the form saves)."""
    register = app.extensions["eenplan_logboek"].register
    with app.app_context():
        register.save(
            session.connection(),
            key,
            changed_by="test",
            retention="Korter bewaard (test)",
            retention_term=term,
        )
        session.commit()


def _rijk_en_schulden(n: int, achternaam: str) -> tuple[str, int, int]:
    """A new person with a signal of the Belastingdienst (vroegsignalering-rijksschuldeisers)
    and one of an energy supplier (vroegsignalering-schulden): their BSN and the signals' ids."""
    with unit_of_work(session, "vroegsignalering-schulden"):
        bsn = person(make_bsn(n), achternaam).bsn
    return bsn, _signal(bsn, "belastingdienst", f"RIJK-{n}"), _signal(bsn, "energie", f"SCHULD-{n}")


def test_purge_honours_the_registers_term_when_it_is_shorter(app: Flask) -> None:
    """The register's structured term of a source's processing activity ends a signal's life
    when it passes before the source's own days; a term from another event changes nothing."""
    with app.app_context():
        bronnen = {b.code: b for b in session.scalars(select(SignaalBron))}
        # Two sources of different activities, both keeping a signal 183 days.
        rijk, schulden = bronnen["belastingdienst"], bronnen["energie"]
        assert rijk.processing_activity != schulden.processing_activity
        assert rijk.bewaartermijn_dagen == schulden.bewaartermijn_dagen == 183
        rijk_pa = rijk.processing_activity
        session.rollback()
    _register_term(app, rijk_pa, {"jaren": 0, "maanden": 1, "na": "signaal-ontvangen"})
    with app.app_context():
        bsn, kort, lang = _rijk_en_schulden(20003501, "Registertermijn")
        clock.set_offset(dt.timedelta(days=27))
        assert vergeten.purge().verwijderd == 0  # a month has not passed yet
        clock.set_offset(dt.timedelta(days=32))
        result = vergeten.purge()
        with unit_of_work(session, "signalen-afweging"):
            gone = {s.id: s.verwijderd_op for s in session.scalars(select(Vroegsignaal))}
        session.rollback()
    assert result.per_bron["belastingdienst"] == 1 and "energie" not in result.per_bron
    assert gone[kort] is not None  # the register's month
    assert gone[lang] is None  # its own activity's term is the source's 183 days
    # A term that runs from another event does not shorten the source's days, and a longer
    # register term does not lengthen them: the signal goes at day 184 all the same.
    for na, maanden in (("signaal-vergeten", 1), ("signaal-ontvangen", 12)):
        _register_term(app, rijk_pa, {"jaren": 0, "maanden": maanden, "na": na})
        with app.app_context():
            clock.set_offset(dt.timedelta(0))
            later = _signal(bsn, "belastingdienst", f"LATER-{na}")
            clock.set_offset(dt.timedelta(days=40))
            assert "belastingdienst" not in vergeten.purge().per_bron, na
            clock.set_offset(dt.timedelta(days=184))
            assert vergeten.purge().per_bron["belastingdienst"] == 1, na
            with unit_of_work(session, "signalen-afweging"):
                signal = session.get(Vroegsignaal, later)
                assert signal is not None and signal.verwijderd_op is not None
            session.rollback()


def test_an_invalid_register_term_leaves_the_sources_days(app: Flask) -> None:
    """A hand-made register entry with a term the form would refuse does not stop the purge:
    that activity's sources keep their own days, the others are forgotten as ever."""
    with app.app_context():
        rijk_pa = (
            session.scalars(select(SignaalBron).where(SignaalBron.code == "belastingdienst"))
            .one()
            .processing_activity
        )
        session.rollback()
    _register_term(app, rijk_pa, {"jaren": 0, "maanden": 0, "na": "signaal-ontvangen"})
    with app.app_context():
        _bsn, rijk, schulden = _rijk_en_schulden(20003601, "Ongeldig")
        clock.set_offset(dt.timedelta(days=100))
        assert vergeten.purge().verwijderd == 0
        clock.set_offset(dt.timedelta(days=184))
        result = vergeten.purge()
        session.rollback()
    assert result.per_bron["belastingdienst"] == 1 and result.per_bron["energie"] == 1
    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        for sid in (rijk, schulden):
            signal = session.get(Vroegsignaal, sid)
            assert signal is not None and signal.verwijderd_op is not None


def test_a_refused_case_reopens_when_a_new_signal_arrives(app: Flask) -> None:
    with app.app_context():
        with unit_of_work(session, "vroegsignalering-schulden"):
            p = person(make_bsn(20004001), "Heropend", postcode="5555EE")
            bsn = p.bsn
        sid = _signal(bsn, "cjib", "J1")
        with unit_of_work(session, "signalen-afweging"):
            s = session.get(Vroegsignaal, sid)
            assert s is not None
            case = afweging.open_afweging(
                session.get(Person, s.person_id), regisseur=_regisseur(), signalen=[s]
            )  # type: ignore[arg-type]
            afweging.sluit_afweging(
                case, "weigering", "Wil geen contact, twee keer gebeld.", actor=_regisseur()
            )
            case_id = case.id
        with unit_of_work(session, "signalen-afweging"):
            assert all(not g.heropend for g in werkvoorraad.werkvoorraad().groepen)
        rapport = deliver("belastingdienst", [(1, row(bsn, "B2"))])
        assert rapport.heropend == 1
        with unit_of_work(session, "signalen-afweging"):
            case = session.get(Afweging, case_id)
            assert case is not None and case.status == "heropend" and case.heropend_op
            queue = werkvoorraad.werkvoorraad().groepen
            group = next(g for g in queue if case.person_id in g.person_ids)
            assert group.heropend
            assert queue[0] is group  # reopened cases first


def test_melder_sees_status_only_and_citizen_sees_signals_about_them(
    app: Flask, world: World
) -> None:
    with app.app_context():
        with unit_of_work(session, "signalen-afweging"):
            melder = session.scalars(select(User).where(User.username == "melder1")).one()
            intake.meld(
                melder,
                intake.Melding(
                    bsn=BSN["dirk"],
                    naam=None,
                    geboortedatum=None,
                    adres=None,
                    melder_naam="Mees Melder",
                    melder_contact="mees@school.example",
                    relatie="Mentor van de zoon",
                    aanleiding="Zoon komt vaak niet op school",
                    inhoud="Vader vertelde over oplopende rekeningen.",
                    domeinen=["onderwijs", "financien"],
                ),
            )
            with pytest.raises(validation.SignaalError):
                intake.meld(
                    melder,
                    intake.Melding(None, "Iemand", None, None, "M", "c", "r", "a", "i", ["wonen"]),
                )
        with unit_of_work(session, "signalen-afweging"):
            melder = session.scalars(select(User).where(User.username == "melder1")).one()
            statuses = status.mijn_meldingen(melder)
            # Newest first: this one, then the world's melding about Kees.
            assert [s.status for s in statuses] == ["Ontvangen, nog niet gewogen"] * 2
            about = status.signalen_over_inwoner(world.persons["dirk"])
            # The melder by organisation and role (docs/signalen.md "Who reported it"); the
            # world's CJIB signal in Dirk's case is deferred (uitstel): not shown to him yet.
            assert [(s["bron"], s["status"]) for s in about] == [
                ("Melder bij Basisschool Test (mentor van de zoon)", "Ontvangen, nog niet gewogen"),
            ]
            assert status.signalen_over_inwoner(world.persons["anna"]) == []


def test_purge_command_and_source_token_command(app: Flask, world: World) -> None:
    """`flask signals purge` is what cron runs: JSON summary, idempotent."""
    import json

    runner = app.test_cli_runner()
    token = runner.invoke(args=["signals", "token", "cjib", "--name", "CJIB koppeling"])
    assert token.exit_code == 0 and token.output.strip().startswith("ebron_")
    assert runner.invoke(args=["signals", "token", "onbekend"]).exit_code != 0
    bronnen = runner.invoke(args=["signals", "bronnen"])
    assert '"code": "cjib"' in bronnen.output
    with app.app_context():
        session.rollback()
    clock.set_offset(dt.timedelta(days=184))
    first = runner.invoke(args=["signals", "purge"])
    assert first.exit_code == 0, first.output
    summary = json.loads(first.output.strip().splitlines()[-1])
    # The world's melding about Kees and its unmatched Toeslagen signal.
    assert summary == {"verwijderd": 2, "perBron": {"melding": 1, "toeslagen": 1}}
    again = runner.invoke(args=["signals", "purge"])
    assert json.loads(again.output.strip().splitlines()[-1]) == {"verwijderd": 0, "perBron": {}}


def test_afwegingen_voor_inwoner(app: Flask, world: World) -> None:
    from app.clock import today
    from app.signalen.uitstel import Uitstel

    with app.app_context(), unit_of_work(session, "signalen-afweging"):
        # The world's case about Dirk has one signal, and its disclosure is deferred: the
        # case is deferred with it (issue 13 #7) — until the deferral ends.
        assert status.afwegingen_voor_inwoner(world.persons["dirk"]) == []
        uitstel = session.get(Uitstel, world.uitstel["dirk_cjib"])
        assert uitstel is not None
        uitstel.beeindigd_op = today()
        session.flush()
        dossier = status.afwegingen_voor_inwoner(world.persons["dirk"])
        assert [(a["status"], [s["stap"] for s in a["stappen"]]) for a in dossier] == [
            ("Wordt gewogen", [1])
        ]
        assert dossier[0]["stappen"][0]["besloten_door"] == "Regina Eerste"
        assert status.afwegingen_voor_inwoner(world.persons["frank"]) == []
