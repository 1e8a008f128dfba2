"""Issue 16 item 7: "geen inzage" hides what other organisations do, not an organisation's own
work. GGZ (Gerda) has "geen inzage" in plan d (Gijs): she keeps GGZ's own activity, may add and
change her organisation's activities, and finds them under "Activiteiten van mijn organisatie";
the regisseur is warned; a message to her says the level. Logged exactly as shown."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import head_seq, log_lines, login, pseudonym
from tests.support.world import BSN, World
from tests.test_portaal import form_token

OWN = "Behandeling bij GGZ"


def test_own_activities_stay_visible_and_logged_exactly(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "hulp_ggz")
    url = f"/plannen/{world.plans['d']}"
    before = head_seq(app)
    page = client.get(url)
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "alleen ziet dát er een plan is" in body
    assert OWN in body and "Toelichting bij d_ggz" in body
    assert BSN["gijs"] not in body and "Teststraat" not in body
    # The activities are on the page once, and the page's title is only its title.
    assert body.count('id="activiteiten"') == 1
    title = body.split("<title>", 1)[1].split("</title>", 1)[0]
    assert OWN not in title and "<" not in title
    rows = [
        r for r in log_lines(app, before) if r["data_subject_id"] == pseudonym(app, BSN["gijs"])
    ]
    assert [(r["action"], r["data_categories"]) for r in rows] == [
        ("view", "activiteiten,naw,plan")
    ]
    # "Activiteiten van mijn organisatie" keeps the plan.
    assert OWN in client.get("/activiteiten").get_data(as_text=True)


def test_may_add_and_change_own_activities_not_comment(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "hulp_ggz")
    plan_d = world.plans["d"]
    form_page = client.get(f"/plannen/{plan_d}/activiteiten/nieuw")
    assert form_page.status_code == 200
    html = form_page.get_data(as_text=True)
    data = {
        "csrf_token": form_token(html),
        "aard": "gesprek",
        "omschrijving": "Vervolggesprek GGZ",
        "uitvoerder_soort": "organisatie",
        "start_date": "2026-12-01",
        "end_date": "",
        "toelichting": "",
    }
    # Bad input: named error, input kept.
    bad = client.post(f"/plannen/{plan_d}/activiteiten/nieuw", data={**data, "aard": ""})
    assert bad.status_code == 422 and "Vervolggesprek GGZ" in bad.get_data(as_text=True)
    ok = client.post(f"/plannen/{plan_d}/activiteiten/nieuw", data=data)
    assert ok.status_code == 302
    assert "Vervolggesprek GGZ" in client.get(f"/plannen/{plan_d}").get_data(as_text=True)
    edit = client.get(f"/plannen/{plan_d}/activiteiten/{world.activities['d_ggz']}/bewerken")
    assert edit.status_code == 200
    # Their own remark may go under their beroepsgeheim, as at any other level.
    assert "De toelichting valt onder mijn beroepsgeheim" in edit.get_data(as_text=True)
    # Comments are the plan's conversation: still not for an organisation without inzage.
    comment = client.post(
        f"/plannen/{plan_d}/opmerkingen", data={"csrf_token": form_token(html), "body": "Hoi"}
    )
    assert comment.status_code == 404


def test_api_lists_only_own_activities(app: Flask, world: World) -> None:
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['hulp_ggz']}"}
    resp = client.get(f"/api/v1/plannen/{world.plans['d']}/activiteiten", headers=headers)
    assert resp.status_code == 200
    items = resp.get_json()["_embedded"]["activiteiten"]
    assert [i["id"] for i in items] == [world.activities["d_ggz"]]


def test_regisseur_is_warned_and_messages_say_the_level(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "noord1")
    plan_d = world.plans["d"]
    body = client.get(f"/plannen/{plan_d}").get_data(as_text=True)
    assert 'id="geen-inzage-gekozen"' in body
    assert "De inwoner koos ‘geen inzage’ voor GGZ Teststad." in body
    berichten = client.get(f"/plannen/{plan_d}/berichten").get_data(as_text=True)
    assert "Gerda GGZ (GGZ Teststad) — geen inzage: deel niets uit het plan" in berichten
    # Schuldhulp has the default level: no warning for it.
    assert "geen inzage’ voor Schuldhulp" not in body
