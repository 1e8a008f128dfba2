"""Property: in any world, no user ever receives a field the rules deny — through the HTML pages,
the JSON API, or (for citizens, whose portal comes later) the access layer itself.

Hypothesis builds random worlds: organisations, regisseurs (some standing in for a colleague),
hulpverleners, plans (multiproblematiek or toestemming, consent revoked or not, open or closed),
betrokkenheden (active, ended, not yet started; of the organisation or of one hulpverlener),
activities and comments (some under beroepsgeheim, some released by the author and/or the
citizen), the citizen's level per organisation, and trusted people (active, expired, revoked).
Every text in such a world carries a unique marker; an oracle written from docs/architecture.md
("Who sees what") — not from app/access/ — says which markers each user may receive, and the
test checks both directions: every allowed marker is there, and no other marker is.

Each example adds its own world (fresh names, users and BSNs) to the database of the test; the
fixed test world and earlier examples stay in it as other people's data that must never leak.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from stdnum.nl import bsn as stdnum_bsn

from app import access
from app.access import NotVisible
from app.auth.passwords import hash_password
from app.auth.services import create_token
from app.autorisaties.models import (
    BeroepsgeheimVrijgave,
    InzageNiveau,
    Vertrouwenspersoon,
    Vervanging,
)
from app.clock import now, today
from app.db import session
from app.organisations.models import Organisation
from app.people.models import Person
from app.plans.models import (
    Activity,
    Betrokkenheid,
    Plan,
    PlanComment,
    Toestemming,
)
from app.users.models import User, UserRole
from tests.conftest import login
from tests.support.citizens import login_citizen
from tests.support.world import PASSWORD

EXAMPLES = int(os.environ.get("EENPLAN_PROPERTY_EXAMPLES", "12"))
_counter = itertools.count(1)
_bsn_counter = itertools.count(300000000)
_PASSWORD_HASH: dict[str, str] = {}

HELP_KINDS = ("jeugdhulp", "schuldhulpverlening", "ggz", "wijkteam")
ZICHT = ("regisseurs", "alle_betrokkenen", "eigen_organisatie")  # comment visibility (#9)


def _next_bsn() -> str:
    while True:
        candidate = str(next(_bsn_counter))
        if stdnum_bsn.is_valid(candidate):
            return candidate


# --- the random world, as plain data ------------------------------------------------------------


@dataclass
class PlanSpec:
    regisseur: int
    toestemming: bool
    ingetrokken: bool
    closed: bool
    # org index -> (state, personal hulpverlener index within the org or None)
    betrokken: dict[int, tuple[str, int | None]]
    # (org index or None for the household, remark secret, released by author, by citizen)
    activities: list[tuple[int | None, bool, bool, bool]]
    # (author: -1 regisseur or org index, secret, released by author, by citizen, visibility:
    # 0 the regisseur, 1 all involved, 2 the author's organisation only)
    comments: list[tuple[int, bool, bool, bool, int]]
    levels: dict[int, str]
    # trusted person index -> state
    grants: dict[int, str]
    # stand-in by the other regisseur: None, "actief", "verlopen"
    vervanging: str | None
    citizen_user: bool


@dataclass
class WorldSpec:
    orgs: int
    helpers: list[int]  # hulpverleners per organisation
    trusted: int
    plans: list[PlanSpec]


STATES = ("actief", "beeindigd", "toekomst")


@st.composite
def worlds(draw: Any) -> WorldSpec:
    n_orgs = draw(st.integers(1, 3))
    helpers = [draw(st.integers(1, 2)) for _ in range(n_orgs)]
    trusted = draw(st.integers(0, 2))
    plans = []
    for _ in range(draw(st.integers(1, 3))):
        toestemming = draw(st.booleans())
        betrokken = {
            org: (state, personal if personal is not None and personal < helpers[org] else None)
            for org, (state, personal) in draw(
                st.dictionaries(
                    st.integers(0, n_orgs - 1),
                    st.tuples(st.sampled_from(STATES), st.none() | st.integers(0, 1)),
                    max_size=n_orgs,
                )
            ).items()
        }
        activities = draw(
            st.lists(
                st.tuples(st.none() | st.integers(0, n_orgs - 1), *[st.booleans()] * 3),
                max_size=4,
            )
        )
        comment = st.tuples(st.integers(-1, n_orgs - 1), *[st.booleans()] * 3, st.integers(0, 2))
        comments = draw(st.lists(comment, max_size=3))
        plans.append(
            PlanSpec(
                regisseur=draw(st.integers(0, 1)),
                toestemming=toestemming,
                ingetrokken=toestemming and draw(st.booleans()),
                closed=draw(st.integers(0, 4)) == 0,
                betrokken=betrokken,
                activities=activities,
                comments=comments,
                levels=draw(
                    st.dictionaries(
                        st.integers(0, n_orgs - 1),
                        st.sampled_from(("geen", "buitenkant", "volledig")),
                        max_size=n_orgs,
                    )
                ),
                grants=draw(
                    st.dictionaries(
                        st.integers(0, max(trusted - 1, 0)),
                        st.sampled_from(("actief", "verlopen", "ingetrokken")),
                        max_size=trusted,
                    )
                )
                if trusted
                else {},
                vervanging=draw(st.sampled_from((None, "actief", "verlopen"))),
                citizen_user=draw(st.booleans()),
            )
        )
    return WorldSpec(orgs=n_orgs, helpers=helpers, trusted=trusted, plans=plans)


# --- building it in the database ----------------------------------------------------------------


@dataclass
class Who:
    username: str
    kind: str  # regisseur | hulpverlener | inwoner | vertrouwd
    org: int | None = None  # org index (hulpverleners)
    helper: int | None = None  # index within the org
    regisseur: int | None = None
    plan: int | None = None  # the citizen's own plan index
    trusted: int | None = None
    token: str | None = None


@dataclass
class Built:
    spec: WorldSpec
    tag: str
    users: list[Who] = field(default_factory=list)
    plan_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    bsns: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    # marker -> (kind, plan index, item index)
    markers: dict[str, tuple[str, int, int]] = field(default_factory=dict)


def _person(tag: str, label: str) -> Person:
    p = Person(
        bsn=_next_bsn(),
        voornamen=f"Pers{label}",
        achternaam=f"X{tag}",
        geboortedatum=dt.date(1980, 1, 1),
        straat=f"Straat{tag}{label}",
        huisnummer="1",
        postcode="1234AB",
        woonplaats="Teststad",
    )
    session.add(p)
    session.flush()
    return p


def _user(
    username: str, name: str, *, org_id: int | None, role: str | None, person_id: int | None = None
) -> User:
    if "pw" not in _PASSWORD_HASH:
        _PASSWORD_HASH["pw"] = hash_password(PASSWORD)
    u = User(
        username=username,
        name=name,
        organisation_id=org_id,
        person_id=person_id,
        password_hash=_PASSWORD_HASH["pw"] if role else None,
    )
    u.role_rows = [UserRole(role=role)] if role else []
    session.add(u)
    session.flush()
    return u


def build(spec: WorldSpec, gemeente_id: int) -> Built:
    tag = f"{next(_counter)}q{os.getpid()}"
    b = Built(spec=spec, tag=tag)
    day, moment = today(), now()
    orgs = []
    for i, kind in zip(range(spec.orgs), itertools.cycle(HELP_KINDS), strict=False):
        o = Organisation(name=f"Org {tag}-{i}", kind=kind)
        session.add(o)
        session.flush()
        orgs.append(o)
    regs = []
    for r in range(2):
        u = _user(f"r{tag}x{r}", f"Regisseur {tag}-{r}", org_id=gemeente_id, role="regisseur")
        regs.append(u)
        b.users.append(Who(u.username, "regisseur", regisseur=r))
    helpers: dict[tuple[int, int], User] = {}
    for o, n in enumerate(spec.helpers):
        for h in range(n):
            u = _user(
                f"h{tag}x{o}x{h}", f"Hulp {tag}-{o}-{h}", org_id=orgs[o].id, role="hulpverlener"
            )
            helpers[(o, h)] = u
            b.users.append(Who(u.username, "hulpverlener", org=o, helper=h))
    trusted_people = []
    for t in range(spec.trusted):
        p = _person(tag, f"T{t}")
        u = _user(f"t{tag}x{t}", p.naam, org_id=None, role=None, person_id=p.id)
        trusted_people.append(p)
        b.users.append(Who(u.username, "vertrouwd", trusted=t))
    for i, ps in enumerate(spec.plans):
        p = _person(tag, f"P{i}")
        b.person_ids.append(p.id)
        b.bsns.append(p.bsn)
        b.names.append(p.naam)
        reg = regs[ps.regisseur]
        plan = Plan(
            person_id=p.id,
            basis="toestemming" if ps.toestemming else "multiproblematiek",
            status="afgesloten" if ps.closed else "actief",
            gemeente_id=gemeente_id,
            regisseur_id=reg.id,
            created_by_id=reg.id,
            updated_by_id=reg.id,
        )
        session.add(plan)
        session.flush()
        b.plan_ids.append(plan.id)
        if ps.toestemming:
            session.add(
                Toestemming(
                    plan_id=plan.id,
                    gegeven_door="de betrokkene zelf",
                    gegeven_op=day,
                    wijze="mondeling",
                    ingetrokken_op=moment if ps.ingetrokken else None,
                )
            )
        if ps.citizen_user:
            u = _user(f"c{tag}x{i}", p.naam, org_id=None, role=None, person_id=p.id)
            b.users.append(Who(u.username, "inwoner", plan=i))
        for o, (state, personal) in ps.betrokken.items():
            start, end = {
                "actief": (day - dt.timedelta(days=10), None),
                "beeindigd": (day - dt.timedelta(days=30), day - dt.timedelta(days=1)),
                "toekomst": (day + dt.timedelta(days=5), None),
            }[state]
            person_user = helpers.get((o, personal)) if personal is not None else None
            session.add(
                Betrokkenheid(
                    plan_id=plan.id,
                    organisation_id=orgs[o].id,
                    user_id=person_user.id if person_user else None,
                    rol="Hulp",
                    start_date=start,
                    end_date=end,
                )
            )
        for j, (org, secret, rel_a, rel_c) in enumerate(ps.activities):
            a = Activity(
                plan_id=plan.id,
                aard="gesprek",
                omschrijving=f"OMS{tag}p{i}a{j}Z",
                uitvoerder_soort="organisatie" if org is not None else "huishouden",
                organisation_id=orgs[org].id if org is not None else None,
                uitvoerder_contact=f"CON{tag}p{i}a{j}Z",
                start_date=day - dt.timedelta(days=3),
                toelichting=f"TOE{tag}p{i}a{j}Z",
                toelichting_beroepsgeheim=secret and org is not None,
            )
            session.add(a)
            session.flush()
            for prefix in ("OMS", "CON", "TOE"):
                b.markers[f"{prefix}{tag}p{i}a{j}Z"] = (prefix, i, j)
            _releases(plan.id, "activiteit", a.id, secret and org is not None, rel_a, rel_c)
        for j, (author, secret, rel_a, rel_c, zicht) in enumerate(ps.comments):
            by_helper = author >= 0 and (author, 0) in helpers
            writer = helpers[(author, 0)] if by_helper else reg
            c = PlanComment(
                plan_id=plan.id,
                author_id=writer.id,
                author_name=writer.name,
                author_organisation_id=writer.organisation_id,
                body=f"COM{tag}p{i}c{j}Z",
                beroepsgeheim=secret and by_helper,
                zichtbaarheid=ZICHT[zicht],
            )
            session.add(c)
            session.flush()
            b.markers[f"COM{tag}p{i}c{j}Z"] = ("COM", i, j)
            _releases(plan.id, "opmerking", c.id, secret and by_helper, rel_a, rel_c)
        for o, lvl in ps.levels.items():
            session.add(InzageNiveau(plan_id=plan.id, organisation_id=orgs[o].id, niveau=lvl))
        for t, state in ps.grants.items():
            session.add(
                Vertrouwenspersoon(
                    person_id=p.id,
                    bsn=trusted_people[t].bsn,
                    naam=trusted_people[t].naam,
                    relatie="familielid",
                    geldig_van=day - dt.timedelta(days=10),
                    geldig_tot=day - dt.timedelta(days=1)
                    if state == "verlopen"
                    else day + dt.timedelta(days=10),
                    ingetrokken_op=moment if state == "ingetrokken" else None,
                )
            )
        if ps.vervanging:
            start_at = moment - (
                dt.timedelta(hours=1) if ps.vervanging == "actief" else dt.timedelta(days=3)
            )
            session.add(
                Vervanging(
                    plan_id=plan.id,
                    user_id=regs[1 - ps.regisseur].id,
                    voor_user_id=reg.id,
                    reden="Vervanging in een willekeurige wereld",
                    van=start_at,
                    tot=start_at + dt.timedelta(hours=8),
                )
            )
    for who in b.users:
        if who.kind in ("regisseur", "hulpverlener"):
            u = session.scalars(select(User).where(User.username == who.username)).one()
            _token, who.token = create_token(u, "eigenschapstest")
    session.commit()
    return b


def _releases(
    plan_id: int, object_type: str, object_id: int, secret: bool, rel_a: bool, rel_c: bool
) -> None:
    if not secret:
        return
    for partij, released in (("auteur", rel_a), ("inwoner", rel_c)):
        if released:
            session.add(
                BeroepsgeheimVrijgave(
                    plan_id=plan_id, object_type=object_type, object_id=object_id, partij=partij
                )
            )


# --- the oracle: docs/architecture.md, "Who sees what" ------------------------------------------


def path(b: Built, who: Who, i: int) -> str | None:
    ps = b.spec.plans[i]
    if who.kind == "regisseur":
        if ps.regisseur == who.regisseur:
            return "regisseur"
        if ps.vervanging == "actief" and not ps.ingetrokken:
            return "vervanger"
        return None
    if who.kind == "hulpverlener":
        if ps.closed or ps.ingetrokken:
            return None
        state = ps.betrokken.get(who.org)  # type: ignore[arg-type]
        if state and state[0] == "actief" and state[1] in (None, who.helper):
            return "hulpverlener"
        return None
    if who.kind == "inwoner":
        return "inwoner" if who.plan == i else None
    if who.kind == "vertrouwd":
        return (
            "vertrouwd"
            if ps.grants.get(who.trusted) == "actief" and not ps.ingetrokken  # type: ignore[arg-type]
            else None
        )
    return None


def level(b: Built, who: Who, i: int) -> str:
    if path(b, who, i) != "hulpverlener":
        return "volledig"
    return b.spec.plans[i].levels.get(who.org, "buitenkant")  # type: ignore[arg-type]


def allowed_markers(b: Built, who: Who, i: int) -> set[str]:
    """Markers of plan i this user may receive on its page."""
    how = path(b, who, i)
    if how is None:
        return set()
    ps = b.spec.plans[i]
    lvl = level(b, who, i)
    out: set[str] = set()
    for j, (org, secret_flag, rel_a, rel_c) in enumerate(ps.activities):
        secret = secret_flag and org is not None
        shared = not secret or (rel_a and rel_c)  # released by both: passed on (rule 9)
        fields: set[str] = set()
        if how in ("regisseur", "vervanger"):
            fields = {"OMS", "CON", "TOE"}
        elif how == "hulpverlener":
            # Their own organisation's activities, whatever the level ("geen inzage" never
            # stops a hulpverlener's own work, issue 16 item 7); others' only by the level.
            if org is not None and org == who.org:
                fields = {"OMS", "CON", "TOE"}
            elif lvl == "volledig":
                fields = {"OMS", "CON"} | ({"TOE"} if shared else set())
        elif how == "inwoner":
            fields = {"OMS", "CON"} | ({"TOE"} if not secret or rel_a else set())
        elif how == "vertrouwd":
            fields = {"OMS", "CON"} | ({"TOE"} if shared else set())
        out |= {f"{f}{b.tag}p{i}a{j}Z" for f in fields}
    for j, (author, secret_flag, rel_a, rel_c, zicht) in enumerate(ps.comments):
        by_helper = author >= 0
        secret = secret_flag and by_helper
        released = secret and rel_a and rel_c
        author_org = author if by_helper else None
        if how in ("regisseur", "vervanger"):
            ok = not (by_helper and zicht == 2)  # not another organisation's own note
        elif how == "hulpverlener":
            own = author_org is not None and author_org == who.org
            ok = lvl != "geen" and (own or (zicht == 1 and not secret) or (released and zicht != 2))
        elif how == "inwoner":
            ok = not secret or rel_a
        else:
            ok = not secret or released
        if ok:
            out.add(f"COM{b.tag}p{i}c{j}Z")
    return out


def sees_bsn(b: Built, who: Who, i: int) -> bool:
    how = path(b, who, i)
    return how in ("regisseur", "vervanger", "inwoner") or (
        how == "hulpverlener" and level(b, who, i) != "geen"
    )


# --- the checks ---------------------------------------------------------------------------------

MARKER = re.compile(r"(?:OMS|CON|TOE|COM)\d+q\d+p\d+[ac]\d+Z")


def _no_foreign_markers(body: str, b: Built, allowed: set[str], where: str) -> None:
    found = set(MARKER.findall(body))
    assert found <= allowed, f"{where}: received {sorted(found - allowed)}"


def check_staff(app: Flask, b: Built, who: Who) -> None:
    client = app.test_client()
    login(client, who.username)
    api = {"Authorization": f"Bearer {who.token}"}
    everything: set[str] = set()
    # The work list and the API list: names of plans in the list only, no markers, no BSNs.
    listed = {i for i in range(len(b.plan_ids)) if path(b, who, i) in ("regisseur", "hulpverlener")}
    for body in (
        client.get("/plannen").get_data(as_text=True),
        client.get("/api/v1/plannen?pageSize=100", headers=api).get_data(as_text=True),
    ):
        _no_foreign_markers(body, b, set(), f"{who.username} werklijst")
        for i, name in enumerate(b.names):
            assert (name in body) is (i in listed), f"{who.username} list, plan {i}"
            assert b.bsns[i] not in body
    for i, plan_id in enumerate(b.plan_ids):
        allowed = allowed_markers(b, who, i)
        everything |= allowed
        how = path(b, who, i)
        where = f"{who.username} plan {i} ({how}, {level(b, who, i)})"
        page = client.get(f"/plannen/{plan_id}")
        api_plan = client.get(f"/api/v1/plannen/{plan_id}", headers=api)
        api_acts = client.get(f"/api/v1/plannen/{plan_id}/activiteiten", headers=api)
        api_person = client.get(f"/api/v1/personen/{b.person_ids[i]}", headers=api)
        if how is None:
            for resp in (page, api_plan, api_acts, api_person):
                assert resp.status_code == 404, where
                _no_foreign_markers(resp.get_data(as_text=True), b, set(), where)
                assert b.names[i] not in resp.get_data(as_text=True)
            continue
        body = page.get_data(as_text=True)
        assert page.status_code == 200, where
        assert set(MARKER.findall(body)) == allowed, where  # exactly: nothing more, nothing less
        assert (b.bsns[i] in body) is sees_bsn(b, who, i), where
        assert api_plan.status_code == 200, where
        assert (b.bsns[i] in api_plan.get_data(as_text=True)) is sees_bsn(b, who, i), where
        _no_foreign_markers(api_plan.get_data(as_text=True), b, set(), where)
        content = sees_bsn(b, who, i)
        # A hulpverlener at "geen inzage" still lists their own organisation's activities.
        if content or how == "hulpverlener":
            acts = api_acts.get_data(as_text=True)
            assert api_acts.status_code == 200, where
            expected = {m for m in allowed if not m.startswith("COM")}
            assert set(MARKER.findall(acts)) == expected, where
        else:
            assert api_acts.status_code == 404, where
        # Full person data only along a path that is not a stand-in (whose reads are all marked
        # as emergency through the plan).
        assert (api_person.status_code == 200) is (content and how != "vervanger"), where
    if who.kind == "hulpverlener":
        mine = client.get("/activiteiten?toon=alle").get_data(as_text=True)
        own = {
            f"OMS{b.tag}p{i}a{j}Z"
            for i, ps in enumerate(b.spec.plans)
            for j, (org, *_rest) in enumerate(ps.activities)
            if org == who.org and path(b, who, i) == "hulpverlener"
        }
        assert set(MARKER.findall(mine)) == own, f"{who.username} mijn activiteiten"


def check_citizen(app: Flask, b: Built, who: Who) -> None:
    """Citizens and trusted people: their portal comes later; check the access layer itself."""
    from sqlalchemy import inspect as sa_inspect

    client = app.test_client()
    login_citizen(app, client, who.username)
    assert client.get("/plannen").status_code == 403  # no staff screens
    assert client.get("/api/v1/plannen").status_code == 403
    for i, plan_id in enumerate(b.plan_ids):
        where = f"{who.username} plan {i} ({path(b, who, i)})"
        with app.test_request_context():
            user = session.scalars(select(User).where(User.username == who.username)).one()
            try:
                t = access.plan_for(user, plan_id)
            except NotVisible:
                assert path(b, who, i) is None, where
                continue
            assert path(b, who, i) is not None, where
            received: set[str] = set()
            for a, _mode in t.activities():
                state = sa_inspect(a)
                for attr in ("omschrijving", "uitvoerder_contact", "toelichting"):
                    if attr not in state.unloaded:
                        received.add(getattr(a, attr) or "")
            received |= {c.body for c in t.comments()}
            received = {m for m in received if MARKER.fullmatch(m)}
            assert received == allowed_markers(b, who, i), where
            person_state = sa_inspect(t.plan.person)
            assert ("bsn" not in person_state.unloaded) is sees_bsn(b, who, i), where
            assert not t.may_manage
            if who.kind == "vertrouwd":
                assert not t.may_comment and not t.may_add_activity  # read-only


@pytest.mark.slow
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # Every example is a whole world with dozens of requests; shrinking one takes minutes. The
    # failing world is printed in full instead.
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(spec=worlds())
def test_no_user_ever_receives_a_field_the_rules_deny(
    app: Flask, world: Any, spec: WorldSpec
) -> None:
    with app.app_context():
        b = build(spec, world.orgs["gemeente"])
    for who in b.users:
        if who.kind in ("regisseur", "hulpverlener"):
            check_staff(app, b, who)
        else:
            check_citizen(app, b, who)


@pytest.mark.parametrize("n", [0])
def test_the_oracle_is_not_vacuous(n: int) -> None:
    """The property above could pass by showing nothing; this pins the oracle to real grants."""
    spec = WorldSpec(
        orgs=2,
        helpers=[1, 1],
        trusted=1,
        plans=[
            PlanSpec(
                regisseur=0,
                toestemming=False,
                ingetrokken=False,
                closed=False,
                betrokken={0: ("actief", None), 1: ("actief", None)},
                activities=[(0, True, False, False), (1, False, False, False)],
                comments=[(0, True, False, False, 0)],
                levels={1: "volledig"},
                grants={0: "actief"},
                vervanging="actief",
                citizen_user=True,
            )
        ],
    )
    b = Built(spec=spec, tag="1q1")
    own = Who("h0", "hulpverlener", org=0, helper=0)
    other = Who("h1", "hulpverlener", org=1, helper=0)
    assert allowed_markers(b, own, 0) == {
        "OMS1q1p0a0Z",
        "CON1q1p0a0Z",
        "TOE1q1p0a0Z",
        "COM1q1p0c0Z",
    }
    assert allowed_markers(b, other, 0) == {
        "OMS1q1p0a0Z",
        "CON1q1p0a0Z",  # volledig, but never a remark under another's beroepsgeheim
        "OMS1q1p0a1Z",
        "CON1q1p0a1Z",
        "TOE1q1p0a1Z",
    }
    assert path(b, Who("r1", "regisseur", regisseur=1), 0) == "vervanger"
    assert "COM1q1p0c0Z" not in allowed_markers(b, Who("t0", "vertrouwd", trusted=0), 0)
