"""Domain rules of plans, tested at the service layer (no request)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.clock import today
from app.db import get_database, session
from app.domain import PlanBasis, PlanStatus, Relatie, UitvoerderSoort
from app.people.models import Person
from app.people.services import InvalidBSN, PersonGegevens, create_person, normalise_bsn
from app.plans import gezinslinks, services
from app.plans.models import Activity, Betrokkenheid, Gezinslink, Plan, PlanGebeurtenis
from app.users.models import User
from tests.support.world import BSN


def _user(name: str) -> User:
    u = session.scalars(select(User).where(User.username == name)).one()
    return u


@pytest.mark.parametrize("bsn", ["111222333", "123456782", " 1234 56782 "])
def test_valid_bsn_passes_the_11_proef(bsn: str) -> None:
    assert normalise_bsn(bsn) == bsn.replace(" ", "")


@pytest.mark.parametrize(
    "bsn", ["123456789", "12345678", "abcdefghi", "", "1234567820", "12", "0000012"]
)
def test_invalid_bsn_is_refused(bsn: str) -> None:
    with pytest.raises(InvalidBSN):
        normalise_bsn(bsn)


def test_person_bsn_is_unique(app, world) -> None:
    from sqlalchemy.exc import IntegrityError

    with app.app_context(), pytest.raises(IntegrityError):
        create_person(PersonGegevens(BSN["anna"], "Anna", "Dubbel", dt.date(1990, 1, 1)))


def test_a_second_plan_for_the_same_person_is_refused(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        anna = session.get(Person, world.persons["anna"])
        with pytest.raises(services.PlanExists) as exc:
            services.create_plan(
                person=anna,
                basis=PlanBasis.MULTIPROBLEMATIEK,
                regisseur=reg,
                actor=reg,
                gemeente=reg.organisation,
            )
        assert exc.value.plan.id == world.plans["a"]


def test_plan_on_basis_toestemming_needs_recorded_consent(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        person = create_person(PersonGegevens(BSN["nieuw"], "Nina", "Nieuw", dt.date(1992, 2, 2)))
        with pytest.raises(services.PlanError) as exc:
            services.create_plan(
                person=person,
                basis=PlanBasis.TOESTEMMING,
                regisseur=reg,
                actor=reg,
                gemeente=reg.organisation,
            )
        assert exc.value.field == "toestemming_gegeven_door"
        plan = services.create_plan(
            person=person,
            basis=PlanBasis.TOESTEMMING,
            regisseur=reg,
            actor=reg,
            gemeente=reg.organisation,
            toestemming=services.ToestemmingGegevens("de betrokkene zelf", today(), "mondeling"),
        )
        session.commit()
        assert plan.status == PlanStatus.CONCEPT
        assert [
            t.wijze
            for t in session.scalars(
                select(services.Toestemming).where(services.Toestemming.plan_id == plan.id)
            )
        ] == ["mondeling"]


def test_consent_in_the_future_is_refused(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["b"])
        with pytest.raises(services.PlanError):
            services.add_toestemming(
                plan,
                services.ToestemmingGegevens(
                    "de betrokkene", today() + dt.timedelta(days=1), "mondeling"
                ),
                actor=reg,
            )


def test_activity_end_before_start_is_refused(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        data = services.ActiviteitGegevens(
            aard="gesprek",
            omschrijving="x",
            start_date=today(),
            end_date=today() - dt.timedelta(days=1),
            uitvoerder_soort=UitvoerderSoort.HUISHOUDEN,
            organisation_id=None,
        )
        with pytest.raises(services.PlanError) as exc:
            services.add_activity(plan, data, actor=reg)
        assert exc.value.field == "end_date"


def test_activity_by_organisation_needs_the_organisation(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        data = services.ActiviteitGegevens(
            aard="gesprek",
            omschrijving="x",
            start_date=today(),
            end_date=None,
            uitvoerder_soort=UitvoerderSoort.ORGANISATIE,
            organisation_id=None,
        )
        with pytest.raises(services.PlanError) as exc:
            services.add_activity(plan, data, actor=reg)
        assert exc.value.field == "organisation_id"


def test_household_activity_has_no_organisation(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        act = services.add_activity(
            plan,
            services.ActiviteitGegevens(
                aard="aanvraag",
                omschrijving="Formulier invullen",
                start_date=today(),
                end_date=None,
                uitvoerder_soort=UitvoerderSoort.HUISHOUDEN,
                organisation_id=world.orgs["schuldhulp"],
            ),
            actor=reg,
        )
        assert act.organisation_id is None and act.door_huishouden


def test_stale_version_is_a_conflict_not_an_overwrite(app, world) -> None:
    """Two people edit the same activity: the second save is refused and nothing is lost."""
    with app.app_context():
        engine = get_database().engine
        from sqlalchemy.orm import Session

        reg = _user("reg1")
        session.commit()  # end this session's transaction: SQLite allows one writer at a time
        data = services.ActiviteitGegevens(
            aard="schuldhulpverlening",
            omschrijving="Versie van Regina",
            start_date=today(),
            end_date=None,
            uitvoerder_soort=UitvoerderSoort.ORGANISATIE,
            organisation_id=world.orgs["jeugdhulp"],
        )
        # Two sessions load version 1 (each in its own, finished transaction, as two requests do).
        with (
            Session(engine, expire_on_commit=False) as s1,
            Session(engine, expire_on_commit=False) as s2,
        ):
            a2 = s2.get(Activity, world.activities["a_jeugd"])
            s2.commit()
            a1 = s1.get(Activity, world.activities["a_jeugd"])
            assert a1.version == a2.version == 1
            a1.omschrijving = "Eerste"
            s1.commit()
            # The second save races past any check: the version column still stops it.
            a2.omschrijving = "Tweede"
            from sqlalchemy.orm.exc import StaleDataError

            with pytest.raises(StaleDataError):
                s2.commit()
        # The service refuses on the version the form carried.
        act = session.get(Activity, world.activities["a_jeugd"])
        with pytest.raises(services.Conflict) as exc:
            services.update_activity(act, data, actor=reg, expected_version=1)
        assert exc.value.current.omschrijving == "Eerste"


def test_breaking_a_link_keeps_its_history(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        link = session.get(Gezinslink, world.links["a_bram"])
        gezinslinks.break_link(link, plan=plan, actor=reg, reason="Uit elkaar")
        session.commit()
        kept = session.get(Gezinslink, world.links["a_bram"])
        assert kept is not None and not kept.actief
        assert (
            kept.gelegd_door_naam == "Regina Eerste" and kept.verbroken_door_naam == "Regina Eerste"
        )
        with pytest.raises(services.PlanError):
            gezinslinks.break_link(kept, plan=plan, actor=reg, reason=None)
        # and it can be laid again, as a new link
        bram = session.get(Person, world.persons["bram"])
        again = gezinslinks.lay_link(
            plan=plan, other=bram, relatie=Relatie.PARTNER, plan_person_is_a=True, actor=reg
        )
        assert again.id != kept.id


def test_a_duplicate_active_link_is_refused(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        bram = session.get(Person, world.persons["bram"])
        with pytest.raises(services.PlanError):
            gezinslinks.lay_link(
                plan=plan, other=bram, relatie=Relatie.HUISGENOOT, plan_person_is_a=False, actor=reg
            )


def test_closing_a_plan_ends_every_betrokkenheid(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        services.close_plan(
            plan, actor=reg, reason="doelen_bereikt", note=None, expected_version=plan.version
        )
        session.commit()
        ends = session.scalars(
            select(Betrokkenheid.end_date).where(Betrokkenheid.plan_id == plan.id)
        ).all()
        assert ends and all(e == today() for e in ends)
        with pytest.raises(services.PlanError):
            services.add_activity(
                plan,
                services.ActiviteitGegevens(
                    "gesprek", "x", today(), None, UitvoerderSoort.HUISHOUDEN, None
                ),
                actor=reg,
            )


def test_closing_with_other_reason_needs_a_note(app, world) -> None:
    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        with pytest.raises(services.PlanError) as exc:
            services.close_plan(plan, actor=reg, reason="anders", note="  ", expected_version=None)
        assert exc.value.field == "toelichting"


def test_transfer_records_history_and_moves_access(app, world) -> None:
    from app.access import plans_visible_to

    with app.app_context():
        reg1, reg2 = _user("reg1"), _user("reg2")
        plan = session.get(Plan, world.plans["a"])
        services.transfer_plan(plan, new_regisseur=reg2, actor=reg1, reason="Op verzoek van Anna")
        session.commit()
        assert (
            world.plans["a"]
            not in session.scalars(plans_visible_to(reg1).with_only_columns(Plan.id)).all()
        )
        assert (
            world.plans["a"]
            in session.scalars(plans_visible_to(reg2).with_only_columns(Plan.id)).all()
        )
        last = session.scalars(
            select(PlanGebeurtenis)
            .where(PlanGebeurtenis.plan_id == plan.id)
            .order_by(PlanGebeurtenis.id.desc())
        ).first()
        assert (
            "Regina Eerste aan Rutger Tweede" in last.omschrijving
            and "Op verzoek van Anna" in last.omschrijving
        )


def test_ended_betrokkenheid_ends_access(app, world) -> None:
    from app.access import plans_visible_to

    with app.app_context():
        hulp = _user("hulp1")
        ids = set(session.scalars(plans_visible_to(hulp).with_only_columns(Plan.id)))
        assert world.plans["a"] in ids and world.plans["c"] not in ids
        # Ending the active one today removes access from today on.
        reg = _user("reg1")
        b = session.get(Betrokkenheid, world.betrokkenheden["a_schuld"])
        services.end_betrokkenheid(
            b, plan=session.get(Plan, world.plans["a"]), actor=reg, end_date=today(), reason=None
        )
        session.commit()
        ids = set(session.scalars(plans_visible_to(hulp).with_only_columns(Plan.id)))
        assert world.plans["a"] not in ids


def test_history_tells_two_activities_of_one_kind_apart(app, world) -> None:
    """Issue 19: "Activiteit 'Werk en re-integratie' toegevoegd" twice said nothing; the line
    says whose activity it is and from when."""
    from app.plans.models import PlanGebeurtenis

    with app.app_context():
        reg = _user("reg1")
        plan = session.get(Plan, world.plans["a"])
        for org in ("schuldhulp", "jeugdhulp"):
            services.add_activity(
                plan,
                services.ActiviteitGegevens(
                    aard="schuldhulpverlening",
                    omschrijving="x",
                    start_date=dt.date(2026, 3, 2),
                    end_date=None,
                    uitvoerder_soort=UitvoerderSoort.ORGANISATIE,
                    organisation_id=world.orgs[org],
                ),
                actor=reg,
            )
        session.flush()
        lines = [
            e.omschrijving
            for e in session.scalars(
                select(PlanGebeurtenis)
                .where(PlanGebeurtenis.plan_id == plan.id, PlanGebeurtenis.soort == "activiteit")
                .order_by(PlanGebeurtenis.id.desc())
                .limit(2)
            )
        ]
        assert len(set(lines)) == 2, lines
        assert any("Schuldhulp Teststad" in line and "02-03-2026" in line for line in lines)
        assert any("Jeugdhulp Teststad" in line for line in lines)
