"""A plan comment's visibility (issue 16 #9): all involved / the regisseur only / the author's
own organisation. Hulpverleners read the comments meant for them, and only those; the citizen
reads every comment not under beroepsgeheim."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from app.db import session
from app.plans.models import PlanComment
from tests.conftest import csrf_token, login
from tests.support.world import World
from tests.test_portaal import as_citizen, portaal_app  # noqa: F401 - the fixture


def _post(client: Any, plan: int, body: str, zichtbaarheid: str, **extra: str) -> Any:
    url = f"/plannen/{plan}/opmerkingen"
    return client.post(
        url,
        data={
            "body": body,
            "zichtbaarheid": zichtbaarheid,
            "csrf_token": csrf_token(client, f"/plannen/{plan}"),
            **extra,
        },
    )


def test_each_professional_reads_what_is_meant_for_them(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    plan = world.plans["a"]
    reg = portaal_app.test_client()
    login(reg, "reg1")
    assert 'name="zichtbaarheid"' in reg.get(f"/plannen/{plan}").get_data(as_text=True)
    assert _post(reg, plan, "Voor iedereen: huisbezoek dinsdag.", "alle_betrokkenen").status_code
    assert _post(reg, plan, "Alleen regie: overleg met teamleider.", "regisseurs").status_code
    jeugd = portaal_app.test_client()
    login(jeugd, "hulp_jeugd")
    assert _post(jeugd, plan, "Intern Jeugdhulp: dossier bijwerken.", "eigen_organisatie")
    schuld = portaal_app.test_client()
    login(schuld, "hulp1")

    page = jeugd.get(f"/plannen/{plan}").get_data(as_text=True)
    assert "Voor iedereen: huisbezoek dinsdag." in page
    assert "Alleen regie: overleg met teamleider." not in page
    assert "Intern Jeugdhulp: dossier bijwerken." in page  # their own organisation's
    assert "Schuldhulp: aanmelding ontvangen." not in page  # another organisation's, for regie

    page = schuld.get(f"/plannen/{plan}").get_data(as_text=True)
    assert "Voor iedereen: huisbezoek dinsdag." in page
    assert "Intern Jeugdhulp: dossier bijwerken." not in page
    assert "Alleen regie: overleg met teamleider." not in page

    page = reg.get(f"/plannen/{plan}").get_data(as_text=True)
    assert "Alleen regie: overleg met teamleider." in page
    assert "Schuldhulp: aanmelding ontvangen." in page
    assert "Intern Jeugdhulp: dossier bijwerken." not in page  # Jeugdhulp's own
    assert "voor alle betrokkenen" in page

    anna = as_citizen(portaal_app, oidc_provider, "anna")
    mijn = anna.get("/mijn/").get_data(as_text=True)
    assert "Voor iedereen: huisbezoek dinsdag." in mijn
    assert "Alleen regie: overleg met teamleider." in mijn  # co-ownership: the citizen reads


def test_beroepsgeheim_is_never_for_all_involved_and_the_input_is_kept(
    app: Flask, world: World
) -> None:
    plan = world.plans["a"]
    client = app.test_client()
    login(client, "hulp_jeugd")
    resp = _post(client, plan, "Gevoelig: uit mijn dossier.", "alle_betrokkenen", beroepsgeheim="y")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Een opmerking onder beroepsgeheim lezen alleen de regisseur en uw organisatie." in html
    assert "Gevoelig: uit mijn dossier." in html
    # A visibility that does not exist is refused, named.
    resp = _post(client, plan, "Iets", "iedereen_op_straat")
    assert resp.status_code == 422
    with app.app_context():
        assert not session.scalars(
            select(PlanComment).where(PlanComment.body == "Gevoelig: uit mijn dossier.")
        ).first()
