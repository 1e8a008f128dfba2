"""The autorisaties as a user meets them: the citizen's levels and trusted people, consent,
standing in, beroepsgeheim and mandates. The access matrix (test_matrix.py) covers every route
for the fixed world; these tests change the world and look at what follows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app import access
from app.access import guard
from app.autorisaties import services as autorisaties
from app.autorisaties.models import InzageNiveau, Vervanging
from app.clock import set_offset, today
from app.db import session
from app.organisations.models import Mandaat, Organisation
from app.plans import services
from app.plans.models import Activity, Plan, PlanComment, PlanGebeurtenis
from app.users.models import User
from tests.conftest import csrf_token, head_seq, log_lines, login, pseudonym
from tests.support.citizens import login_citizen
from tests.support.world import BSN, SECRET_COMMENT, VERVANGING_REDEN


def _user(name: str) -> User:
    return session.scalars(select(User).where(User.username == name)).one()


def _org(app: Flask, world: Any, key: str) -> Organisation:
    org = session.get(Organisation, world.orgs[key])
    assert org is not None
    return org


def _plan(world: Any, key: str) -> Plan:
    plan = session.get(Plan, world.plans[key])
    assert plan is not None
    return plan


def _set_level(
    app: Flask, world: Any, plan: str, org: str, niveau: str, citizen: str = "anna"
) -> None:
    with app.app_context():
        user = _user(citizen)
        with autorisaties.als_inwoner(user):
            autorisaties.zet_inzageniveau(
                _plan(world, plan), _org(app, world, org), niveau, actor=user
            )


@pytest.fixture(autouse=True)
def _clock_back() -> Any:
    yield
    set_offset(dt.timedelta(0))


# --- the citizen's levels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("niveau", "sees_description", "sees_remark"),
    [("geen", False, False), ("buitenkant", False, False), ("volledig", True, True)],
)
def test_level_change_takes_effect_on_the_next_request(
    app, client, world, niveau: str, sees_description: bool, sees_remark: bool
) -> None:
    login(client, "hulp1")
    url = f"/plannen/{world.plans['a']}"
    before = client.get(url).get_data(as_text=True)
    assert "Gezinsbegeleiding thuis" not in before  # default: buitenkant of Jeugdhulp's work
    _set_level(app, world, "a", "schuldhulp", niveau)
    page = client.get(url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert ("Gezinsbegeleiding thuis" in body) is sees_description
    assert ("Toelichting bij a_jeugd" in body) is sees_remark
    if niveau == "geen":
        # That there is a plan, who the regisseur is, and their own organisation's work (issue
        # 16 item 7: the level hides what others do, not what they do themselves).
        assert "alleen ziet dát er een plan is" in body
        assert "Regina Eerste" in body and "Anna Aalders" in body
        assert "Schuldenoverzicht maken" in body
        for hidden in (BSN["anna"], "Teststraat", SECRET_COMMENT, "Eerste gesprek gevoerd"):
            assert hidden not in body
        assert client.get(f"{url}/activiteiten/nieuw").status_code == 200
        api = client.get(
            f"/api/v1/plannen/{world.plans['a']}",
            headers={"Authorization": f"Bearer {world.tokens['hulp1']}"},
        ).get_json()
        assert api["inzage"] == "geen" and "basis" not in api and "bsn" not in str(api)
        # The work list still names the plan; "mijn activiteiten" still shows their own work.
        assert "Anna Aalders" in client.get("/plannen").get_data(as_text=True)
        assert "Schuldenoverzicht maken" in client.get("/activiteiten").get_data(as_text=True)


def test_level_change_is_logged_as_the_citizens_decision(app, world) -> None:
    before = head_seq(app)
    _set_level(app, world, "a", "schuldhulp", "geen")
    rows = log_lines(app, before)
    assert [
        (r["actor_type"], r["actor_name"], r["action"], r["data_categories"]) for r in rows
    ] == [("burger", "Anna Aalders", "update", "instellingen")]
    assert rows[0]["processing_activity_id"] == "zeggenschap-inwoner"
    assert rows[0]["data_subject_id"] == pseudonym(app, BSN["anna"])
    assert rows[0]["name"] == "zeggenschap.inzageniveau"
    with app.app_context():
        last = session.scalars(
            select(PlanGebeurtenis)
            .where(PlanGebeurtenis.plan_id == world.plans["a"])
            .order_by(PlanGebeurtenis.id.desc())
        ).first()
        assert last is not None
        assert last.omschrijving == "De inwoner koos: Schuldhulp Teststad ziet geen inzage"
        # Setting the same level again is no decision and writes nothing.
    before = head_seq(app)
    _set_level(app, world, "a", "schuldhulp", "geen")
    assert log_lines(app, before) == []


def test_only_the_citizen_sets_levels_and_only_for_involved_organisations(app, world) -> None:
    with app.app_context():
        plan = _plan(world, "a")
        for who in ("reg1", "truus"):
            with pytest.raises(services.PlanError):
                autorisaties.zet_inzageniveau(
                    plan, _org(app, world, "schuldhulp"), "geen", actor=_user(who)
                )
        with pytest.raises(services.PlanError) as exc:
            autorisaties.zet_inzageniveau(
                plan, _org(app, world, "ggz"), "volledig", actor=_user("anna")
            )
        assert exc.value.field == "organisation_id"
        with pytest.raises(services.PlanError) as exc:
            autorisaties.zet_inzageniveau(
                plan, _org(app, world, "schuldhulp"), "alles", actor=_user("anna")
            )
        assert exc.value.field == "niveau"
        assert (
            session.scalars(
                select(InzageNiveau).where(InzageNiveau.organisation_id == world.orgs["schuldhulp"])
            ).all()
            == []
        )


def test_buitenkant_fields_are_not_even_loaded(app, world) -> None:
    """What may not be seen is not loaded: touching a hidden column raises."""
    from sqlalchemy.exc import InvalidRequestError

    with app.test_request_context():
        t = access.plan_for(_user("hulp1"), world.plans["a"])
        outside = t.activities_buitenkant()
        assert {a.id for a in outside} == {
            world.activities["a_jeugd"],
            world.activities["a_huishouden"],
        }
        for a in outside:
            for hidden in ("omschrijving", "uitvoerder_contact", "toelichting"):
                with pytest.raises(InvalidRequestError):
                    getattr(a, hidden)
        t2 = access.plan_for(_user("hulp_jeugd"), world.plans["a"])
        items = dict((a.id, mode) for a, mode in t2.activities())
        assert items[world.activities["a_schuld"]] == access.ZONDER_TOELICHTING
        secret = next(a for a, _ in t2.activities() if a.id == world.activities["a_schuld"])
        assert secret.omschrijving == "Schuldenoverzicht maken"
        with pytest.raises(InvalidRequestError):
            _ = secret.toelichting


# --- people the citizen trusts ---------------------------------------------------------------


def test_trusted_person_reads_until_revoked_or_expired(app, world) -> None:
    with app.test_request_context():
        truus = _user("truus")
        t = access.plan_for(truus, world.plans["a"])
        assert t.is_vertrouwenspersoon and not t.may_comment and not t.may_manage
        assert not t.may_edit_activity(session.get(Activity, world.activities["a_huishouden"]))
        assert SECRET_COMMENT not in [c.body for c in t.comments()]
        assert t.household() == [] and t.history() == []
        # Anna's BSN and address stay hidden from Truus: only name and date of birth.
        from sqlalchemy.exc import InvalidRequestError

        with pytest.raises(InvalidRequestError):
            _ = t.plan.person.bsn
    # The grant ends on its end date...
    set_offset(dt.timedelta(days=91))
    with app.test_request_context(), pytest.raises(Exception) as exc:
        access.plan_for(_user("truus"), world.plans["a"])
    assert getattr(exc.value, "code", None) == 404
    set_offset(dt.timedelta(0))
    # ...or when Anna revokes it, at once.
    before = head_seq(app)
    with app.app_context():
        anna = _user("anna")
        grant = autorisaties.vertrouwenspersonen_van(anna)[0]
        with autorisaties.als_inwoner(anna):
            autorisaties.trek_toegang_in(grant, actor=anna)
    rows = log_lines(app, before)
    assert [(r["actor_type"], r["name"]) for r in rows] == [
        ("burger", "zeggenschap.vertrouwenspersoon.intrekken")
    ]
    with app.test_request_context(), pytest.raises(Exception) as exc:
        access.plan_for(_user("truus"), world.plans["a"])
    assert getattr(exc.value, "code", None) == 404


def test_a_trusted_persons_view_is_logged_under_their_name(app, world) -> None:
    client = app.test_client()
    login_citizen(app, client, "truus")

    # Truus has no portal yet (issue 5); read through the access layer inside a request.
    # Through the route guard, which records how Truus reached the plan (her role on the line).
    @guard(
        verwerking="inzage-betrokkene",
        name="test.vertrouwenspersoon",
        resolve=lambda user, _args: access.plan_for(user, world.plans["a"]),
    )
    def view(toegang: access.PlanToegang) -> str:
        return ",".join(a.aard for a, _ in toegang.activities())

    app.add_url_rule("/test-vertrouwd", "test_vertrouwd", view)
    before = head_seq(app)
    assert client.get("/test-vertrouwd").status_code == 200
    rows = log_lines(app, before)
    assert len(rows) == 1
    assert rows[0]["actor_name"] == "Truus Trouw"
    assert rows[0]["actor_role"] == "Vertrouwenspersoon van de inwoner"
    assert rows[0]["data_subject_id"] == pseudonym(app, BSN["anna"])


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"bsn": "123456789"}, "bsn"),
        ({"bsn": BSN["anna"]}, "bsn"),  # herself
        ({"naam": " "}, "naam"),
        ({"relatie": "buurman"}, "relatie"),
        ({"geldig_tot": dt.date(2000, 1, 1)}, "geldig_tot"),
        ({"geldig_tot": today() + dt.timedelta(days=3 * 365)}, "geldig_tot"),
        ({"bsn": BSN["truus"]}, "bsn"),  # already has access
    ],
)
def test_granting_access_checks_its_input(app, world, changes: dict[str, Any], field: str) -> None:
    data: dict[str, Any] = {
        "bsn": BSN["bram"],
        "naam": "Bram Aalders",
        "relatie": "familielid",
        "geldig_tot": today() + dt.timedelta(days=30),
        **changes,
    }
    with app.app_context():
        with pytest.raises(services.PlanError) as exc:
            autorisaties.verleen_toegang(_user("anna"), **data)
        assert exc.value.field == field


# --- consent -------------------------------------------------------------------------------------


def test_revoking_consent_closes_the_plan_for_all_but_citizen_and_regisseur(app, world) -> None:
    hulp = app.test_client()
    login(hulp, "hulp_jeugd")
    url = f"/plannen/{world.plans['b']}"
    assert hulp.get(url).status_code == 200
    with app.app_context():
        dirk_plan = _plan(world, "b")
        from app.people.models import Person

        dirk = session.get(Person, world.persons["dirk"])
        assert dirk is not None
        citizen = User(username="dirk", name=dirk.naam, person_id=dirk.id)
        session.add(citizen)
        session.commit()
        before = head_seq(app)
        with autorisaties.als_inwoner(citizen):
            autorisaties.trek_toestemming_in(dirk_plan, actor=citizen, toelichting="Wil niet meer")
    rows = log_lines(app, before)
    assert [(r["actor_type"], r["name"], r["data_categories"]) for r in rows] == [
        ("burger", "zeggenschap.toestemming.intrekken", "toestemming")
    ]
    assert hulp.get(url).status_code == 404
    assert "Dirk Dekker" not in hulp.get("/plannen").get_data(as_text=True)
    reg = app.test_client()
    login(reg, "reg2")
    page = reg.get(url).get_data(as_text=True)
    assert "De toestemming voor dit plan is ingetrokken" in page
    assert "Volgende stap:" in page and "Nieuwe toestemming vastleggen" in page
    assert "Activiteit toevoegen" not in page
    # The next step, prefilled: close with reason "toestemming ingetrokken".
    close = reg.get(f"{url}/afsluiten").get_data(as_text=True)
    assert '<option selected value="toestemming_ingetrokken">' in close
    with app.test_request_context():
        assert access.plan_for(_user("dirk"), world.plans["b"]).is_inwoner
    # New consent opens the plan again for the involved organisation.
    token = csrf_token(reg, f"{url}/toestemming/nieuw")
    resp = reg.post(
        f"{url}/toestemming/nieuw",
        data={
            "csrf_token": token,
            "gegeven_door": "de betrokkene zelf",
            "gegeven_op": today().isoformat(),
            "wijze": "schriftelijk",
        },
    )
    assert resp.status_code == 302
    assert hulp.get(url).status_code == 200


def test_regisseur_records_a_revocation_and_bad_input_is_kept(app, world) -> None:
    reg = app.test_client()
    login(reg, "reg2")
    url = f"/plannen/{world.plans['b']}/toestemming/intrekken"
    token = csrf_token(reg, url)
    resp = reg.post(url, data={"csrf_token": token, "toelichting": "x" * 2001})
    assert resp.status_code == 422 and "x" * 2001 in resp.get_data(as_text=True)
    resp = reg.post(url, data={"csrf_token": token, "toelichting": "Belde vanochtend"})
    assert resp.status_code == 302
    with app.app_context():
        from app.plans.models import Toestemming

        t = session.scalars(
            select(Toestemming).where(Toestemming.plan_id == world.plans["b"])
        ).one()
        assert t.ingetrokken_door == "Rutger Tweede (regisseur), namens de inwoner"
        assert t.intrekking_toelichting == "Belde vanochtend"
    # Not twice, and not on a plan without consent as its basis.
    assert reg.get(url).status_code == 404
    other = app.test_client()
    login(other, "reg1")
    assert other.get(f"/plannen/{world.plans['a']}/toestemming/intrekken").status_code == 404


# --- standing in ------------------------------------------------------------------------------------


def test_stand_in_needs_a_reason_is_logged_as_emergency_and_ends(app, world) -> None:
    client = app.test_client()
    login(client, "reg2")
    url = f"/plannen/{world.plans['a']}"
    assert client.get(url).status_code == 404
    token = csrf_token(client, "/vervanging")
    resp = client.post(
        "/vervanging", data={"csrf_token": token, "bsn": BSN["anna"], "reden": "ziek"}
    )
    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert "minstens 10 tekens" in body and BSN["anna"] in body  # kept, in the form only
    assert client.get(url).status_code == 404
    reden = "Regina is ziek, Anna belt met een vraag."
    before = head_seq(app)
    resp = client.post(
        "/vervanging", data={"csrf_token": token, "bsn": BSN["anna"], "reden": reden}
    )
    assert resp.status_code == 302 and resp.headers["Location"].endswith(url)
    assert BSN["anna"] not in resp.headers["Location"]
    page = client.get(url)
    assert page.status_code == 200
    assert "U opent dit plan als vervanger van Regina Eerste" in page.get_data(as_text=True)
    rows = log_lines(app, before)
    assert rows and all(r["emergency"] and r["reason"] == reden for r in rows)
    assert {r["actor_role"] for r in rows} == {"Regisseur", "Regisseur (vervanging)"}
    # The plan's own regisseur sees it in the history.
    own = app.test_client()
    login(own, "reg1")
    assert "Rutger Tweede opende het plan als vervanger van Regina Eerste" in own.get(url).get_data(
        as_text=True
    )
    # The stand-in does not show in lists (every read of it must be marked as emergency).
    assert "Anna Aalders" not in client.get("/plannen").get_data(as_text=True)
    # Eight hours later it is over (a fresh login: the old session timed out meanwhile).
    set_offset(dt.timedelta(hours=8, minutes=1))
    later = app.test_client()
    login(later, "reg2")
    assert later.get(url).status_code == 404


def test_stand_in_only_within_the_organisation(app, world) -> None:
    with app.app_context():
        for user, bsn in (("noord1", BSN["anna"]), ("reg1", BSN["gijs"]), ("reg1", BSN["anna"])):
            with pytest.raises(services.PlanError) as exc:
                autorisaties.start_vervanging(_user(user), bsn=bsn, reden="Een goede reden hier")
            assert exc.value.field == "bsn"
        with pytest.raises(services.PlanError):
            autorisaties.start_vervanging(_user("hulp1"), bsn=BSN["anna"], reden="Een goede reden")
        # A plan whose consent was revoked is the regisseur's and the citizen's only.
        with pytest.raises(services.PlanError):
            autorisaties.start_vervanging(_user("reg2"), bsn=BSN["ilse"], reden="Een goede reden")
        assert session.scalars(select(Vervanging)).all().__len__() == 2  # the world's two


def test_world_stand_in_reason_is_on_every_line(app, world) -> None:
    client = app.test_client()
    login(client, "reg3")
    before = head_seq(app)
    client.get(f"/api/v1/plannen/{world.plans['a']}")  # session, not token: same rule
    client.get(f"/plannen/{world.plans['a']}")
    rows = log_lines(app, before)
    assert rows and {(r["emergency"], r["reason"]) for r in rows} == {(True, VERVANGING_REDEN)}


# --- beroepsgeheim ----------------------------------------------------------------------------------


def test_beroepsgeheim_only_for_author_organisation_and_regisseur(app, world) -> None:
    def page(user: str) -> str:
        c = app.test_client()
        login(c, user)
        return c.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)

    assert SECRET_COMMENT in page("hulp1") and SECRET_COMMENT in page("reg1")
    assert SECRET_COMMENT in page("reg3")  # standing in for the regisseur
    assert SECRET_COMMENT not in page("hulp_jeugd")
    assert "Toelichting bij a_schuld" in page("hulp1")
    assert "Toelichting bij a_schuld" not in page("hulp_jeugd")  # even with "volledig"
    with app.test_request_context():
        t = access.plan_for(_user("anna"), world.plans["a"])
        assert SECRET_COMMENT not in [c.body for c in t.comments()]


def test_only_a_hulpverlener_marks_beroepsgeheim(app, world) -> None:
    with app.app_context():
        plan = _plan(world, "a")
        with pytest.raises(services.PlanError):
            services.add_comment(plan, actor=_user("reg1"), body="x", beroepsgeheim=True)
        act = session.get(Activity, world.activities["a_jeugd"])
        assert act is not None
        data = services.ActiviteitGegevens(
            aard=act.aard,
            omschrijving=act.omschrijving,
            start_date=act.start_date,
            end_date=act.end_date,
            uitvoerder_soort=act.uitvoerder_soort,
            organisation_id=act.organisation_id,
            toelichting="Geheim",
            toelichting_beroepsgeheim=True,
        )
        for who in ("hulp1", "reg1"):  # another organisation; the regisseur
            with pytest.raises(services.PlanError):
                services.update_activity(act, data, actor=_user(who), expected_version=None)
            session.rollback()
        services.update_activity(act, data, actor=_user("hulp_jeugd"), expected_version=None)
        assert act.toelichting_beroepsgeheim


def test_hulpverlener_marks_a_comment_through_the_screen(app, world) -> None:
    client = app.test_client()
    login(client, "hulp_jeugd")
    url = f"/plannen/{world.plans['a']}"
    page = client.get(url).get_data(as_text=True)
    assert "Onder beroepsgeheim" in page
    token = csrf_token(client, url)
    resp = client.post(
        f"{url}/opmerkingen",
        data={"csrf_token": token, "body": "Vertrouwelijk van Jeugdhulp", "beroepsgeheim": "y"},
    )
    assert resp.status_code == 302
    with app.app_context():
        c = session.scalars(
            select(PlanComment).where(PlanComment.body == "Vertrouwelijk van Jeugdhulp")
        ).one()
        assert c.beroepsgeheim
    reg = app.test_client()
    login(reg, "reg1")
    assert "Onder beroepsgeheim" not in reg.get(url).get_data(as_text=True)  # not for regisseurs


def test_exports_include_beroepsgeheim_only_with_both_consents(app, world) -> None:
    from app.autorisaties.models import OBJECT_ACTIVITEIT, OBJECT_OPMERKING

    def exported() -> tuple[set[str], set[str]]:
        with app.app_context():
            comments = {
                c.body for c in session.scalars(access.shareable_comments(world.plans["a"]))
            }
            remarks = {
                a.toelichting or ""
                for a, with_remark in access.shareable_activities(world.plans["a"])
                if with_remark
            }
            return comments, remarks

    comments, remarks = exported()
    assert SECRET_COMMENT not in comments and "Toelichting bij a_schuld" not in remarks
    assert "Schuldhulp: aanmelding ontvangen." in comments and "Toelichting bij a_jeugd" in remarks
    with app.app_context():
        cid = world.comments["a_geheim"]
        aid = world.activities["a_schuld"]
        for obj, oid in ((OBJECT_OPMERKING, cid), (OBJECT_ACTIVITEIT, aid)):
            with pytest.raises(services.PlanError):  # another organisation may not release it
                autorisaties.geef_beroepsgeheim_vrij(obj, oid, actor=_user("hulp_jeugd"))
            autorisaties.geef_beroepsgeheim_vrij(obj, oid, actor=_user("hulp1"))
        session.commit()
    comments, remarks = exported()
    assert SECRET_COMMENT not in comments  # the author alone is not enough
    with app.test_request_context():
        # The author released it to ask Anna's consent: she may now read it; Truus still not.
        anna_sees = {c.body for c in access.plan_for(_user("anna"), world.plans["a"]).comments()}
        truus_sees = {c.body for c in access.plan_for(_user("truus"), world.plans["a"]).comments()}
        assert SECRET_COMMENT in anna_sees and SECRET_COMMENT not in truus_sees
    with app.app_context():
        anna = _user("anna")
        with autorisaties.als_inwoner(anna):
            autorisaties.geef_beroepsgeheim_vrij(OBJECT_OPMERKING, cid, actor=anna)
            autorisaties.geef_beroepsgeheim_vrij(OBJECT_ACTIVITEIT, aid, actor=anna)
    comments, remarks = exported()
    assert SECRET_COMMENT in comments and "Toelichting bij a_schuld" in remarks
    # Released by both: passed on to another organisation's screen too (issue 16 #6; Jeugdhulp
    # has level "volledig"), until either side withdraws.
    c = app.test_client()
    login(c, "hulp_jeugd")
    page = c.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)
    assert "Toelichting bij a_schuld" in page and SECRET_COMMENT in page
    with app.app_context():
        anna = _user("anna")
        with autorisaties.als_inwoner(anna):
            autorisaties.trek_vrijgave_in(OBJECT_OPMERKING, cid, actor=anna)
    comments, _ = exported()
    assert SECRET_COMMENT not in comments
    assert SECRET_COMMENT not in c.get(f"/plannen/{world.plans['a']}").get_data(as_text=True)


# --- mandates -------------------------------------------------------------------------------------


def test_the_mandate_of_a_log_line_is_read_in_one_statement(app, world) -> None:
    """Every logged request of a mandated regisseur names the mandate: one statement (the
    municipality's name with it), not the mandate and then its municipality."""
    from sqlalchemy import event

    from app.db import get_database
    from app.organisations.services import active_mandate_label

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with app.app_context():
        engine = get_database().engine
        org_id = session.get(Mandaat, world.mandaat).organisation_id  # type: ignore[union-attr]
        session.expire_all()
        event.listen(engine, "before_cursor_execute", count)
        try:
            label = active_mandate_label(org_id)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert label == "namens Gemeente Teststad (mandaat MB-TEST-1)"
    assert len(statements) == 1, statements


def test_mandated_regisseur_loses_access_when_the_mandate_ends(app, world) -> None:
    client = app.test_client()
    login(client, "noord1")
    url = f"/plannen/{world.plans['d']}"
    before = head_seq(app)
    page = client.get(url).get_data(as_text=True)
    assert "namens Gemeente Teststad" in page
    assert {r["actor_mandate"] for r in log_lines(app, before)} == {
        "namens Gemeente Teststad (mandaat MB-TEST-1)"
    }
    beheer = app.test_client()
    login(beheer, "beheer1")
    path = f"/beheer/mandaten/{world.mandaat}/beeindigen"
    token = csrf_token(beheer, path)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    assert beheer.post(path, data={"csrf_token": token, "end_date": yesterday}).status_code == 302
    assert client.get(url).status_code == 404
    with app.app_context():
        m = session.get(Mandaat, world.mandaat)
        assert m is not None and m.valid_until == today() - dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("user", "plan", "path", "schema"),
    [
        ("hulp_ggz", "d", "/plannen/{id}", "/plannen/{planId}"),  # geen inzage
        ("hulp_jeugd", "a", "/plannen/{id}/activiteiten", "/plannen/{planId}/activiteiten"),
        ("hulp1", "d", "/plannen/{id}/activiteiten", "/plannen/{planId}/activiteiten"),
    ],
)
def test_restricted_api_responses_match_the_openapi_schemas(
    client, world, user: str, plan: str, path: str, schema: str
) -> None:
    from openapi_schema_validator import OAS31Validator

    from app.api.openapi import document

    resp = client.get(
        "/api/v1" + path.format(id=world.plans[plan]),
        headers={"Authorization": f"Bearer {world.tokens[user]}"},
    )
    assert resp.status_code == 200
    doc = document()
    body_schema = doc["paths"][schema]["get"]["responses"]["200"]["content"]
    OAS31Validator(
        {**next(iter(body_schema.values()))["schema"], "components": doc["components"]}
    ).validate(resp.get_json())
