"""Beroepsgeheim both ways (issue 16 #6, SPEC rule 9): the author's organisation releases an
item under beroepsgeheim or refuses with a reason; only with the citizen's release as well does
it reach others (other organisations' plan pages and API, trusted people)."""

from __future__ import annotations

from typing import Any

from flask import Flask

from app.db import session
from app.plans.models import Activity
from tests.conftest import csrf_token, login
from tests.support.citizens import login_citizen
from tests.support.world import SECRET_COMMENT, World
from tests.test_portaal import portaal_app  # noqa: F401 - the fixture


def _besluit(client: Any, plan: int, soort: str, object_id: int, **data: str) -> Any:
    url = f"/plannen/{plan}/beroepsgeheim/{soort}/{object_id}"
    return client.post(url, data={**data, "csrf_token": csrf_token(client, url)})


def _citizen_releases(app: Flask, soort: str, object_id: int) -> None:
    anna = app.test_client()
    login_citizen(app, anna, "anna")
    page = anna.get("/mijn/toegang").get_data(as_text=True)
    action = f"/mijn/toegang/beroepsgeheim/{soort}/{object_id}"
    assert action in page, "the citizen is asked once the organisation released it"
    resp = anna.post(action, data={"csrf_token": csrf_token(anna, "/mijn/toegang")})
    assert resp.status_code == 302


def test_released_by_both_the_comment_reaches_the_other_organisations(
    portaal_app: Flask,  # noqa: F811
    world: World,
) -> None:
    plan, comment = world.plans["a"], world.comments["a_geheim"]
    jeugd = portaal_app.test_client()
    login(jeugd, "hulp_jeugd")
    assert SECRET_COMMENT not in jeugd.get(f"/plannen/{plan}").get_data(as_text=True)
    truus = portaal_app.test_client()
    login_citizen(portaal_app, truus, "truus")
    assert SECRET_COMMENT not in truus.get(f"/mijn/meekijken/{plan}").get_data(as_text=True)

    schuld = portaal_app.test_client()
    login(schuld, "hulp1")
    detail = schuld.get(f"/plannen/{plan}").get_data(as_text=True)
    assert f"/plannen/{plan}/beroepsgeheim/opmerking/{comment}" in detail
    assert _besluit(schuld, plan, "opmerking", comment, besluit="vrijgeven").status_code == 302
    # The organisation alone is not enough.
    assert SECRET_COMMENT not in jeugd.get(f"/plannen/{plan}").get_data(as_text=True)
    _citizen_releases(portaal_app, "opmerking", comment)
    assert SECRET_COMMENT in jeugd.get(f"/plannen/{plan}").get_data(as_text=True)
    assert SECRET_COMMENT in truus.get(f"/mijn/meekijken/{plan}").get_data(as_text=True)
    reg = portaal_app.test_client()
    login(reg, "reg1")
    assert "mag worden doorgegeven" in reg.get(f"/plannen/{plan}").get_data(as_text=True)
    # The organisation withdraws: it stops at once.
    assert _besluit(schuld, plan, "opmerking", comment, besluit="intrekken").status_code == 302
    assert SECRET_COMMENT not in jeugd.get(f"/plannen/{plan}").get_data(as_text=True)


def test_released_by_both_the_remark_reaches_volledig_and_the_api(
    portaal_app: Flask,  # noqa: F811
    world: World,
) -> None:
    plan, act_id = world.plans["a"], world.activities["a_schuld"]
    with portaal_app.app_context():
        act = session.get(Activity, act_id)
        assert act is not None and act.toelichting_beroepsgeheim and act.toelichting
        remark = act.toelichting
    jeugd = portaal_app.test_client()  # Anna chose "volledig" for Jeugdhulp
    login(jeugd, "hulp_jeugd")
    api = f"/api/v1/plannen/{plan}/activiteiten"
    assert remark not in jeugd.get(api).get_data(as_text=True)
    schuld = portaal_app.test_client()
    login(schuld, "hulp1")
    assert _besluit(schuld, plan, "activiteit", act_id, besluit="vrijgeven").status_code == 302
    _citizen_releases(portaal_app, "activiteit", act_id)
    assert remark in jeugd.get(f"/plannen/{plan}").get_data(as_text=True)
    assert remark in jeugd.get(api).get_data(as_text=True)


def test_the_organisation_refuses_with_a_reason_and_the_citizen_is_not_asked(
    portaal_app: Flask,  # noqa: F811
    world: World,
) -> None:
    plan, comment = world.plans["a"], world.comments["a_geheim"]
    schuld = portaal_app.test_client()
    login(schuld, "hulp1")
    bad = _besluit(schuld, plan, "opmerking", comment, besluit="weigeren", reden="")
    assert bad.status_code == 422
    assert "Schrijf waarom u het niet vrijgeeft." in bad.get_data(as_text=True)
    reason = "Gegeven in een vertrouwelijk gesprek."
    ok = _besluit(schuld, plan, "opmerking", comment, besluit="weigeren", reden=reason)
    assert ok.status_code == 302
    reg = portaal_app.test_client()
    login(reg, "reg1")
    page = reg.get(f"/plannen/{plan}").get_data(as_text=True)
    assert "Vrijgave geweigerd door de organisatie" in page and reason in page
    anna = portaal_app.test_client()
    login_citizen(portaal_app, anna, "anna")
    toegang = anna.get("/mijn/toegang").get_data(as_text=True)
    assert f"/mijn/toegang/beroepsgeheim/opmerking/{comment}" not in toegang


def test_only_the_authors_organisation_decides(app: Flask, world: World) -> None:
    plan, comment = world.plans["a"], world.comments["a_geheim"]
    jeugd = app.test_client()
    login(jeugd, "hulp_jeugd")
    url = f"/plannen/{plan}/beroepsgeheim/opmerking/{comment}"
    assert jeugd.get(url).status_code == 404
    reg = app.test_client()
    login(reg, "reg1")
    assert reg.get(url).status_code == 403  # the regisseur received it; they do not release it
