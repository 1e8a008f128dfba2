"""The Haal Centraal BRP adapter against a local server that checks requests and answers against
the standard's own files (``../shared/standards/haal-centraal-brp/``): OAuth 2.0 client
credentials, deceased persons, errors told apart, the trace context, the relatives' names."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from app.inkijk.bronnen import BUITENKANT, DETAIL, BronNietBeschikbaar
from app.inkijk.haalcentraal import BUITENKANT_FIELDS, DETAIL_FIELDS, MELDINGEN, HaalCentraalBRP
from app.inkijk.oauth import ClientCredentials
from tests.support.haalcentraal_server import CLIENT_ID, CLIENT_SECRET, HaalCentraalServer
from tests.support.standards import brp_fields, brp_validator
from tests.support.world import BSN

OVERLEDEN = "999990019"  # Hendrik Aalders, deceased (tests/fixtures/haalcentraal)


@pytest.fixture
def brp() -> Iterator[HaalCentraalServer]:
    with HaalCentraalServer() as server:
        yield server
        assert server.violations == []  # every answer it sent fits the standard


def adapter(server: HaalCentraalServer, clock=None, **kwargs) -> HaalCentraalBRP:  # type: ignore[no-untyped-def]
    extra = {"clock": clock} if clock else {}
    oauth = ClientCredentials(server.token_url, CLIENT_ID, CLIENT_SECRET, scope="brp", **extra)
    return HaalCentraalBRP(server.url, oauth=oauth, **kwargs)


def test_the_fields_asked_are_allowed_and_the_bodies_valid() -> None:
    assert set(BUITENKANT_FIELDS) <= brp_fields() and set(DETAIL_FIELDS) <= brp_fields()
    a = HaalCentraalBRP("http://x")
    for niveau in (BUITENKANT, DETAIL):
        brp_validator("RaadpleegMetBurgerservicenummer").validate(
            a.request_body(BSN["anna"], niveau)
        )


def test_oauth_client_credentials_token_is_cached_until_it_expires(brp) -> None:
    now = [1000.0]
    a = adapter(brp, clock=lambda: now[0])
    assert a.vraag(BSN["anna"], BUITENKANT).bekend
    assert a.vraag(BSN["bram"], BUITENKANT).bekend
    assert len(brp.token_requests) == 1  # cached
    (token_request,) = brp.token_requests
    assert token_request["form"] == {"grant_type": "client_credentials", "scope": "brp"}
    auths = {r["headers"]["Authorization"] for r in brp.requests}
    assert len(auths) == 1 and auths.pop().startswith("Bearer ")
    assert all("X-API-KEY" not in r["headers"] for r in brp.requests)
    now[0] += 3600  # expired (minus the margin): a new one
    a.vraag(BSN["anna"], BUITENKANT)
    assert len(brp.token_requests) == 2


def test_a_token_refused_early_is_fetched_again_once(brp) -> None:
    a = adapter(brp)
    a.vraag(BSN["anna"], BUITENKANT)
    brp.tokens.clear()  # the server revoked every token
    assert a.vraag(BSN["anna"], BUITENKANT).bekend
    assert len(brp.token_requests) == 2


def test_wrong_client_secret_is_no_access_not_an_outage(brp) -> None:
    oauth = ClientCredentials(brp.token_url, CLIENT_ID, "fout")
    with pytest.raises(BronNietBeschikbaar) as exc:
        HaalCentraalBRP(brp.url, oauth=oauth).vraag(BSN["anna"], BUITENKANT)
    assert exc.value.melding == MELDINGEN[401]
    assert brp.requests == []  # the BSN never left


def test_a_deceased_person_is_found_with_the_date_of_death(brp) -> None:
    a = adapter(brp)
    answer = a.vraag(OVERLEDEN, BUITENKANT)
    assert answer.bekend
    assert answer.feit("overleden").waarde == "2 november 2025"  # type: ignore[union-attr]
    assert json.loads(brp.requests[-1]["body"])["inclusiefOverledenPersonen"] is True
    # Without the parameter the real API leaves the person out: "niet gevonden".
    without = adapter(brp, inclusief_overleden=False).vraag(OVERLEDEN, BUITENKANT)
    assert not without.bekend


def test_relatives_are_named_from_their_parts(brp) -> None:
    """The API gives relatives no volledigeNaam; the adapter builds the name."""
    detail = adapter(brp).vraag(BSN["anna"], DETAIL)
    assert any(f.waarde.startswith("Bram Aalders") for f in detail.feiten if f.label == "Partner")
    assert any(f.waarde.startswith("Kees Aalders") for f in detail.feiten if f.label == "Kind")


@pytest.mark.parametrize("status", [400, 401, 403, 404, 429, 500, 503])
def test_errors_are_told_apart(brp, status) -> None:
    brp.fail_with = status
    with pytest.raises(BronNietBeschikbaar) as exc:
        adapter(brp).vraag(BSN["anna"], BUITENKANT)
    if status >= 500:
        assert exc.value.melding == BronNietBeschikbaar.NIET_BEREIKBAAR
    else:
        assert exc.value.melding == MELDINGEN[status]
        assert exc.value.melding != BronNietBeschikbaar.NIET_BEREIKBAAR
    assert BSN["anna"] not in exc.value.melding


def test_a_request_the_standard_refuses_is_a_fault_to_report(brp) -> None:
    class Wrong(HaalCentraalBRP):
        def request_body(self, bsn, niveau):  # type: ignore[no-untyped-def]
            return {**super().request_body(bsn, niveau), "fields": ["naam.bestaatNiet"]}

    oauth = ClientCredentials(brp.token_url, CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(BronNietBeschikbaar) as exc:
        Wrong(brp.url, oauth=oauth).vraag(BSN["anna"], BUITENKANT)
    assert exc.value.melding == MELDINGEN[400]


def test_every_call_carries_a_traceparent(brp) -> None:
    adapter(brp).vraag(BSN["anna"], BUITENKANT)
    header = brp.requests[-1]["headers"]["traceparent"]
    version, trace, span, flags = header.split("-")
    assert (version, len(trace), len(span), flags) == ("00", 32, 16, "01")


def test_configuration(brp) -> None:
    config = {
        "HAALCENTRAAL_BRP_URL": brp.url,
        "HAALCENTRAAL_BRP_TOKEN_URL": brp.token_url,
        "HAALCENTRAAL_BRP_CLIENT_ID": CLIENT_ID,
        "HAALCENTRAAL_BRP_CLIENT_SECRET": CLIENT_SECRET,
    }
    configured = HaalCentraalBRP.from_config("brp", config)
    assert configured.oauth is not None and configured.api_key is None
    assert configured.vraag(BSN["anna"], BUITENKANT).bekend
    with pytest.raises(ValueError, match="CLIENT_ID"):
        HaalCentraalBRP.from_config("brp", {**config, "HAALCENTRAAL_BRP_CLIENT_ID": ""})
