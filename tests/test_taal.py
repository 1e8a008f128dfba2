"""Two languages (docs/vertalen.md): Accept-Language as the default, the switch in the header
(remembered per staff user, and in the session for everyone), <html lang>, and dates, numbers
and money in the page's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db import session
from app.templating import bedrag, datum, datumtijd, getal
from app.users.models import User
from tests.conftest import csrf_token, login
from tests.support.world import World
from tests.test_portaal import as_citizen, portaal_app  # noqa: F401

EN = {"Accept-Language": "en-GB,en;q=0.9"}


def _html(resp: Any) -> str:
    return str(resp.get_data(as_text=True))


def _switch(client: FlaskClient, taal: str, page: str, terug: str | None = None) -> Any:
    data = {"taal": taal, "csrf_token": csrf_token(client, page), "terug": terug or page}
    return client.post("/taal", data=data)


def _taal_of(app: Flask, username: str) -> str | None:
    with app.app_context():
        return session.scalars(select(User.taal).where(User.username == username)).one()


def test_accept_language_decides_when_nothing_was_chosen(client: FlaskClient) -> None:
    english = _html(client.get("/inloggen", headers=EN))
    assert '<html lang="en"' in english
    assert "Staff login" in english and "Skip to content" in english
    assert "Inloggen voor medewerkers" not in english
    # the switch offers the other language, named in that language
    assert 'value="nl" lang="nl"' in english and ">Nederlands</button>" in english

    dutch = _html(client.get("/inloggen"))
    assert '<html lang="nl"' in dutch and "Inloggen voor medewerkers" in dutch
    assert ">English</button>" in dutch
    other = _html(client.get("/inloggen", headers={"Accept-Language": "de-DE,fr;q=0.8"}))
    assert '<html lang="nl"' in other  # Dutch is the default


def test_the_switch_is_remembered_in_the_session(client: FlaskClient) -> None:
    resp = _switch(client, "en", "/inloggen")
    assert resp.status_code == 303 and resp.headers["Location"] == "/inloggen"
    page = _html(client.get("/inloggen"))
    assert '<html lang="en"' in page and "Staff login" in page
    # the choice beats the browser's header
    assert "Staff login" in _html(client.get("/inloggen", headers={"Accept-Language": "nl"}))
    _switch(client, "nl", "/inloggen")
    assert "Inloggen voor medewerkers" in _html(client.get("/inloggen", headers=EN))


def test_the_switch_needs_a_csrf_token_a_known_language_and_stays_on_the_site(
    client: FlaskClient,
) -> None:
    assert client.post("/taal", data={"taal": "en"}).status_code == 400
    assert _switch(client, "de", "/inloggen").status_code == 400
    away = _switch(client, "en", "/inloggen", terug="//evil.example/x")
    assert away.status_code == 303 and away.headers["Location"] == "/"
    absolute = _switch(client, "en", "/inloggen", terug="https://evil.example/")
    assert absolute.headers["Location"] == "/"


def test_a_staff_members_choice_follows_them_to_their_next_login(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, "reg1")
    assert "Mijn account" in _html(client.get("/account/"))
    resp = _switch(client, "en", "/account/")
    assert resp.status_code == 303 and resp.headers["Location"] == "/account/"
    page = _html(client.get("/account/"))
    assert '<html lang="en"' in page and "My account" in page and "Log out" in page
    assert _taal_of(app, "reg1") == "en"

    other = app.test_client()  # another browser, no choice in its session, a Dutch browser
    login(other, "reg1")
    page = _html(other.get("/account/", headers={"Accept-Language": "nl"}))
    assert '<html lang="en"' in page and "My account" in page

    _switch(other, "nl", "/account/")
    assert _taal_of(app, "reg1") == "nl"
    assert "Mijn account" in _html(other.get("/account/", headers=EN))


def test_a_choice_made_before_logging_in_survives_login_and_logout(
    app: Flask, client: FlaskClient, world: World
) -> None:
    _switch(client, "en", "/inloggen")
    login(client, "reg2")
    assert "My account" in _html(client.get("/account/"))
    assert _taal_of(app, "reg2") is None  # chosen before login: only this session
    client.post("/uitloggen", data={"csrf_token": csrf_token(client, "/account/")})
    page = _html(client.get("/inloggen"))
    assert "You are logged out." in page and "Staff login" in page


def test_a_citizens_choice_lasts_their_session(
    portaal_app: Flask,  # noqa: F811
    oidc_provider: Any,
    world: World,
) -> None:
    client = as_citizen(portaal_app, oidc_provider, "anna")
    assert "Mijn plan" in _html(client.get("/mijn/"))
    resp = _switch(client, "en", "/mijn/")
    assert resp.status_code == 303 and resp.headers["Location"] == "/mijn/"
    page = _html(client.get("/mijn/"))
    assert '<html lang="en"' in page
    assert "My plan" in page and "Your care coordinator" in page and "Who can see what" in page
    assert _taal_of(portaal_app, "anna") is None  # nothing stored on the citizen

    again = as_citizen(portaal_app, oidc_provider, "anna")
    assert '<html lang="nl"' in _html(again.get("/mijn/"))


def test_dates_numbers_and_money_follow_the_language(app: Flask) -> None:
    day = dt.date(2026, 5, 3)
    moment = dt.datetime(2026, 12, 4, 13, 5, tzinfo=dt.UTC)
    with app.test_request_context(headers=EN):
        assert datum(day) == "3 May 2026"
        assert datumtijd(moment) == "4 December 2026, 14:05"
        assert bedrag("1840.00") == "€1,840.00"
        assert getal(1840.5) == "1,840.5"
    with app.test_request_context():
        assert datum(day) == "3 mei 2026"
        assert datumtijd(moment) == "4 december 2026, 14:05"
        assert bedrag("1840.00").replace("\xa0", " ") == "€ 1.840,00"
        assert getal(1840.5) == "1.840,5"
    with app.app_context():  # outside a request (a CLI command): Dutch
        assert datum(day) == "3 mei 2026"


def test_a_naive_moment_is_utc_for_its_day_as_for_its_time(app: Flask) -> None:
    """A naive moment (as the database gives it) is read as UTC by ``datum`` as by
    ``datumtijd``, whatever the server's own time zone."""
    import os
    import time

    late = dt.datetime(2026, 12, 4, 23, 30)  # UTC: 00:30 on 5 December in Amsterdam
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"  # a server far east of UTC
    time.tzset()
    try:
        with app.test_request_context():
            assert datumtijd(late) == "5 december 2026, 00:30"
            assert datum(late) == "5 december 2026"
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@settings(
    max_examples=300,
    deadline=None,
    # the app is only read: one per test, whatever the examples
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    moment=st.datetimes(
        min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2999, 12, 31), timezones=st.none()
    ),
    minutes=st.integers(min_value=0, max_value=59),
)
def test_dates_are_written_as_babel_writes_their_pattern(
    app: Flask, moment: dt.datetime, minutes: int
) -> None:
    """``datum`` and ``datumtijd`` write their patterns out by hand (app/templating.py): the
    same text as Babel's formatter, in both languages, for any moment — naive (UTC, as the
    database gives it) or aware, around the clock changes too (the generated moments include
    the last Sundays of March and October)."""
    from babel import dates

    from app.clock import TZ
    from app.templating import DATUM, DATUMTIJD

    aware = moment.replace(tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    for headers in (EN, {}):
        with app.test_request_context(headers=headers):
            locale = "en" if headers else "nl"
            for value in (moment, aware, aware.astimezone(TZ)):
                assert datumtijd(value) == dates.format_datetime(
                    value, DATUMTIJD, tzinfo=TZ, locale=locale
                )
            assert datum(moment.date()) == dates.format_date(moment.date(), DATUM, locale=locale)
            assert datum(aware) == dates.format_date(
                aware.astimezone(TZ).date(), DATUM, locale=locale
            )


def test_error_pages_and_problem_json_speak_the_language(client: FlaskClient) -> None:
    page = client.get("/bestaat-niet", headers=EN)
    assert page.status_code == 404
    assert '<html lang="en"' in _html(page) and "Not found" in _html(page)
    assert "To the home page" in _html(page)
    problem = client.get("/api/v1/bestaat-niet", headers=EN)
    assert problem.status_code == 404 and problem.mimetype == "application/problem+json"
    assert problem.get_json()["title"] == "Not found"
    assert client.get("/api/v1/bestaat-niet").get_json()["title"] == "Niet gevonden"


def test_form_errors_and_flash_messages_are_english(client: FlaskClient, world: World) -> None:
    token = csrf_token(client, "/inloggen")
    resp = client.post(
        "/inloggen", data={"username": "reg1", "password": "fout", "csrf_token": token}, headers=EN
    )
    html = _html(resp)
    assert resp.status_code == 401
    assert "Please check what you entered" in html and "Wrong username or password." in html
    resp = client.post("/inloggen", data={"csrf_token": token}, headers=EN)
    assert "Enter your username." in _html(resp) and "Enter your password." in _html(resp)


def test_the_api_answers_problems_in_english_when_asked(client: FlaskClient, world: World) -> None:
    english = client.get("/api/v1/plannen", headers=EN)
    assert english.status_code == 401
    assert english.get_json()["title"] == "Not logged in"
    assert english.get_json()["detail"].startswith("Send a valid token")
    dutch = client.get("/api/v1/plannen")
    assert dutch.get_json()["title"] == "Niet ingelogd"
    assert dutch.get_json()["detail"].startswith("Stuur een geldig token mee")


def test_templates_follow_a_locale_changed_within_the_request(app: Flask) -> None:
    """The templates' gettext remembers the request's catalogue beside its locale
    (app/i18n.py): a locale forced or refreshed in the middle of a request is followed, and the
    request's own language comes back after it."""
    from flask import render_template_string
    from flask_babel import force_locale, refresh

    page = (
        "{{ _('Inloggen') }}|{{ ngettext('%(num)s regel', '%(num)s regels', 2) }}"
        "|{{ 'Lopend'|vertaald }}"  # the filter for domain labels goes the same way
    )
    with app.test_request_context("/", headers=EN):
        assert render_template_string(page) == "Log in|2 lines|Running"
        with force_locale("nl"):
            assert render_template_string(page) == "Inloggen|2 regels|Lopend"
        assert render_template_string(page) == "Log in|2 lines|Running"
    with app.test_request_context("/"):
        assert render_template_string(page) == "Inloggen|2 regels|Lopend"
        from flask import session as web_session

        web_session["taal"] = "en"  # the switch, then the locale looked up again
        refresh()
        assert render_template_string(page) == "Log in|2 lines|Running"
