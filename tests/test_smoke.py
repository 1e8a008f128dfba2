from tests.conftest import login


def test_regisseur_opens_own_plan(app, client, world):
    login(client, "reg1")
    resp = client.get(f"/plannen/{world.plans['a']}")
    assert resp.status_code == 200
    assert "Anna Aalders" in resp.get_data(as_text=True)
