"""Staff sign-in: two factors for every role, enrolment, recovery codes, lockout, throttling,
no user enumeration, the password policy and password changes."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from app import clock, create_app
from app.auth import mfa, password_policy
from app.auth.mfa import current_code
from app.auth.models import LoginState, MfaCredential, RecoveryCode
from app.db import get_database, session
from app.users.models import User
from tests.conftest import base_config, get_database_engine, login
from tests.support.world import PASSWORD, STAFF, World, totp_secret

NEW_PASSWORD = "fiets paraplu walvis 1987"


def token_of(html: str) -> str:
    m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert m, "no CSRF token"
    return m.group(1)


def form_post(client: FlaskClient, path: str, data: dict[str, str], page: str | None = None) -> Any:
    html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data={**data, "csrf_token": token_of(html)})


def password_step(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    return form_post(client, "/inloggen", {"username": username, "password": password})


def code_step(client: FlaskClient, code: str) -> Any:
    return form_post(client, "/inloggen/code", {"code": code})


def is_logged_in(client: FlaskClient) -> bool:
    return client.get("/account/").status_code == 200


@pytest.fixture
def strict_app(db_url: str, _tmp_root: Path) -> Iterator[Flask]:
    """The production settings for the once-only TOTP rule (the suite's default turns it off)."""
    cfg = base_config(_tmp_root, db_url)
    cfg["MFA_REPLAY_PROTECTION"] = True
    application = create_app(cfg)
    yield application
    get_database_engine(application).dispose()


@pytest.fixture
def shifted_clock() -> Iterator[Any]:
    def shift(**kw: float) -> None:
        clock.set_offset(dt.timedelta(**kw))

    yield shift
    clock.set_offset(dt.timedelta(0))


# --- two factors, for every staff role ------------------------------------------------------


@pytest.mark.parametrize("username", sorted(STAFF))
def test_every_staff_role_needs_the_second_factor(app: Flask, world: World, username: str) -> None:
    client = app.test_client()
    resp = password_step(client, username)
    assert resp.status_code == 302 and resp.headers["Location"] == "/inloggen/code"
    # The right password alone opens nothing: no page, no API with the cookie.
    assert not is_logged_in(client)
    assert client.get("/api/v1/plannen").status_code == 401
    assert client.get(f"/plannen/{world.plans['a']}").status_code == 302
    wrong = code_step(client, "000000" if current_code(totp_secret(username)) != "000000" else "1")
    assert wrong.status_code == 401 and "Deze code klopt niet" in wrong.get_data(as_text=True)
    assert not is_logged_in(client)
    ok = code_step(client, current_code(totp_secret(username)))
    assert ok.status_code == 302
    assert is_logged_in(client)


def test_a_user_without_an_authenticator_sets_one_up_before_anything_else(
    app: Flask, world: World
) -> None:
    from app.auth.passwords import hash_password
    from app.users.models import UserRole

    with app.app_context():
        u = User(
            username="nieuw1",
            name="Nina Nieuw",
            organisation_id=world.orgs["gemeente"],
            password_hash=hash_password(PASSWORD),
        )
        u.role_rows = [UserRole(role="regisseur")]
        session.add(u)
        session.commit()
    client = app.test_client()
    resp = password_step(client, "nieuw1")
    assert resp.headers["Location"] == "/inloggen/tweestapsverificatie"
    # Another step cannot be skipped to.
    assert client.get("/inloggen/code").headers["Location"] == "/inloggen/tweestapsverificatie"
    assert not is_logged_in(client)
    page = client.get("/inloggen/tweestapsverificatie").get_data(as_text=True)
    # The QR code is inline SVG made on the server (no script, no external service).
    assert '<svg role="img" aria-label="QR-code' in page
    assert 'viewBox="0 0 ' in page  # scales to its box without being cut off
    assert "<script" not in page and "data:image" not in page
    secret = re.search(r'class="utrecht-code ep-secret">([A-Z2-7 ]+)<', page)
    assert secret
    plain = secret.group(1).replace(" ", "")
    bad = form_post(client, "/inloggen/tweestapsverificatie", {"code": "123"})
    assert bad.status_code == 422 and not is_logged_in(client)
    done = form_post(client, "/inloggen/tweestapsverificatie", {"code": current_code(plain)})
    assert done.status_code == 200
    codes = re.findall(
        r"<code class=\"utrecht-code\">([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<",
        done.get_data(as_text=True),
    )
    assert len(codes) == 10
    assert is_logged_in(client)
    with app.app_context():
        uid = session.scalars(select(User.id).where(User.username == "nieuw1")).one()
        cred = session.get(MfaCredential, uid)
        assert cred is not None and cred.confirmed_at is not None
        assert plain not in cred.secret_encrypted  # encrypted at rest
        stored = session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == uid)).all()
        assert len(stored) == 10
        raw = {c.replace("-", "") for c in codes}
        assert not raw & {r.code_hash for r in stored}
        assert all(len(r.code_hash) == 64 and r.salt for r in stored)


def test_a_recovery_code_works_once(app: Flask, world: World) -> None:
    with app.app_context():
        user = session.get(User, world.users["hulp1"])
        assert user is not None
        codes = mfa.new_recovery_codes(user)
        session.commit()
    client = app.test_client()
    password_step(client, "hulp1")
    resp = code_step(client, codes[0].upper().replace("-", " "))  # typed loosely
    assert resp.status_code == 302
    assert "nog 9 over" in client.get(resp.headers["Location"]).get_data(as_text=True)
    assert is_logged_in(client)
    again = app.test_client()
    password_step(again, "hulp1")
    assert code_step(again, codes[0]).status_code == 401
    assert not is_logged_in(again)


def test_a_totp_code_is_accepted_only_once(strict_app: Flask, world: World, caplog: Any) -> None:
    code = current_code(totp_secret("reg1"))
    first = strict_app.test_client()
    password_step(first, "reg1")
    assert code_step(first, code).status_code == 302
    second = strict_app.test_client()
    password_step(second, "reg1")
    with caplog.at_level("WARNING", logger="eenplan.security"):
        assert code_step(second, code).status_code == 401
    assert not is_logged_in(second)
    assert any(getattr(r, "reason", "") == "code opnieuw gebruikt" for r in caplog.records)


def test_the_second_step_expires(app: Flask, world: World, shifted_clock: Any) -> None:
    client = app.test_client()
    password_step(client, "reg1")
    shifted_clock(minutes=11)
    resp = client.get("/inloggen/code")
    assert resp.status_code == 302 and resp.headers["Location"] == "/inloggen"
    assert "duurde te lang" in client.get("/inloggen").get_data(as_text=True)


# --- lockout and throttling -----------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_and_the_lock_ends(
    app: Flask, world: World, shifted_clock: Any
) -> None:
    client = app.test_client()
    for _ in range(5):
        assert password_step(client, "reg1", "fout-wachtwoord-lang").status_code == 401
    with app.app_context():
        state = session.get(LoginState, world.users["reg1"])
        assert state is not None and state.locked_until is not None
    # Locked: the right password does not help, and the answer is the same as a wrong one.
    locked = password_step(client, "reg1")
    assert locked.status_code == 401
    assert "Onjuiste gebruikersnaam of wachtwoord." in locked.get_data(as_text=True)
    shifted_clock(minutes=16)
    login(client, "reg1")
    assert is_logged_in(client)


def test_every_further_lock_lasts_twice_as_long(
    app: Flask, world: World, shifted_clock: Any
) -> None:
    client = app.test_client()
    for _ in range(5):
        password_step(client, "hulp1", "fout-wachtwoord-lang")
    shifted_clock(minutes=16)
    for _ in range(5):
        password_step(client, "hulp1", "fout-wachtwoord-lang")
    shifted_clock(minutes=16 + 16)  # 16 minutes into a 30-minute lock
    assert password_step(client, "hulp1").status_code == 401
    shifted_clock(minutes=16 + 31)
    assert password_step(client, "hulp1").status_code == 302


def test_wrong_codes_count_towards_the_lockout(app: Flask, world: World) -> None:
    client = app.test_client()
    password_step(client, "reg2")
    for _ in range(4):
        assert code_step(client, "000001").status_code == 401
    last = code_step(client, "000001")
    assert last.status_code == 302 and last.headers["Location"] == "/inloggen"
    assert "tijdelijk geblokkeerd" in client.get("/inloggen").get_data(as_text=True)
    # Even with the password and the right code, not now.
    assert password_step(client, "reg2").status_code == 401


def test_the_login_steps_are_throttled_per_address(
    db_url: str, _tmp_root: Path, world: World
) -> None:
    cfg = base_config(_tmp_root, db_url)
    cfg.update(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute")
    app = create_app(cfg)
    client = app.test_client()
    # Spraying one password over different accounts: the lockout cannot see it, the limit can.
    for username in ("reg1", "reg2", "hulp1"):
        assert password_step(client, username, "zomer2026zomer!").status_code == 401
    blocked = password_step(client, "hulp_jeugd", "zomer2026zomer!")
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    assert "te veel verzoeken" in blocked.get_data(as_text=True).lower()
    # Another address is not affected.
    other = app.test_client()
    html = other.get("/inloggen", environ_base={"REMOTE_ADDR": "10.0.0.7"}).get_data(as_text=True)
    resp = other.post(
        "/inloggen",
        data={"username": "reg1", "password": "x" * 12, "csrf_token": token_of(html)},
        environ_base={"REMOTE_ADDR": "10.0.0.7"},
    )
    assert resp.status_code == 401
    # Reading pages is not limited.
    assert client.get("/inloggen").status_code == 200
    get_database_engine(app).dispose()


@pytest.mark.redis
def test_rate_limits_can_be_kept_in_redis(
    db_url: str, _tmp_root: Path, world: World, redis_url: str
) -> None:
    """Production keeps the counters in Redis, shared by every worker: two app instances (two
    workers) count together."""
    import uuid

    cfg = base_config(_tmp_root, db_url)
    cfg.update(
        RATELIMIT_ENABLED=True,
        RATELIMIT_LOGIN="2 per minute",
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=f"eenplan-test-{uuid.uuid4().hex}",
    )
    worker1, worker2 = create_app(cfg), create_app(cfg)
    assert password_step(worker1.test_client(), "reg1", "x" * 12).status_code == 401
    assert password_step(worker2.test_client(), "reg1", "x" * 12).status_code == 401
    assert password_step(worker1.test_client(), "reg1", "x" * 12).status_code == 429
    for a in (worker1, worker2):
        get_database_engine(a).dispose()


# --- no user enumeration --------------------------------------------------------------------


def _normalised(resp: Any, username: str) -> str:
    html = resp.get_data(as_text=True)
    html = re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "CSRF", html)
    return html.replace(f'value="{username}"', 'value="USER"')


def test_unknown_wrong_and_locked_accounts_get_the_same_answer(app: Flask, world: World) -> None:
    client = app.test_client()
    for _ in range(5):
        password_step(client, "hulp_ggz", "fout-wachtwoord-lang")
    answers = {
        "unknown": password_step(client, "bestaat.niet", "fout-wachtwoord-lang"),
        "wrong": password_step(client, "reg1", "fout-wachtwoord-lang"),
        "locked": password_step(client, "hulp_ggz", PASSWORD),
        "citizen-like": password_step(client, "111222333", "fout-wachtwoord-lang"),
    }
    statuses = {k: r.status_code for k, r in answers.items()}
    assert set(statuses.values()) == {401}, statuses
    bodies = {
        k: _normalised(r, u)
        for (k, r), u in zip(
            answers.items(), ["bestaat.niet", "reg1", "hulp_ggz", "111222333"], strict=True
        )
    }
    assert len(set(bodies.values())) == 1, "the answers differ"
    headers = {
        k: sorted(name for name, _value in r.headers.items() if name != "Set-Cookie")
        for k, r in answers.items()
    }
    assert len({tuple(v) for v in headers.values()}) == 1


@pytest.mark.slow
def test_timing_does_not_tell_whether_an_account_exists(
    app: Flask, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Known and unknown usernames cost the same: one argon2 verification each.

    With production argon2 parameters (so the hash dominates, as it does in production), the
    median time of a failed login for a known user and for an unknown one must be within a
    factor of 1.5 of each other. No absolute threshold; without the dummy-hash verification the
    ratio would be far above 10.
    """
    from argon2 import PasswordHasher

    from app.auth import passwords

    real = PasswordHasher()  # production parameters (RFC 9106 low-memory profile)
    monkeypatch.setattr(passwords, "_hasher", real)
    dummy = real.hash("dummy")
    monkeypatch.setattr(passwords, "_dummy_hash", lambda: dummy)
    with app.app_context():
        user = session.get(User, world.users["reg1"])
        assert user is not None
        user.password_hash = real.hash(PASSWORD)
        session.commit()
    client = app.test_client()
    token = token_of(client.get("/inloggen").get_data(as_text=True))

    def attempt(username: str) -> float:
        started = time.perf_counter()
        resp = client.post(
            "/inloggen",
            data={"username": username, "password": "fout-wachtwoord-lang", "csrf_token": token},
        )
        elapsed = time.perf_counter() - started
        assert resp.status_code == 401
        return elapsed

    attempt("reg1"), attempt("onbekend")  # warm up
    known, unknown = [], []
    for _ in range(7):  # interleaved, so load on the machine hits both alike
        known.append(attempt("reg1"))
        unknown.append(attempt("onbekend"))
    ratio = statistics.median(known) / statistics.median(unknown)
    assert 1 / 1.5 < ratio < 1.5, f"known/unknown = {ratio:.2f}"


# --- the password policy --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", password_policy.MSG_SHORT % {"n": 12}),
        ("elf tekens!", password_policy.MSG_SHORT % {"n": 12}),
        ("x" * 257, password_policy.MSG_LONG % {"n": 256}),
        ("1234567890123", password_policy.MSG_PATTERN),
        ("qwertyuiop", password_policy.MSG_SHORT % {"n": 12}),
        ("Wachtwoord2026!", password_policy.MSG_COMMON),
        ("welkom welkom", password_policy.MSG_COMMON),
        ("Feyenoord1908!!", password_policy.MSG_COMMON),
        ("iloveyou1234", password_policy.MSG_COMMON),
        ("regina-eerste-2026", password_policy.MSG_CONTEXT),
        ("mijn eenplan toegang", password_policy.MSG_CONTEXT),
        ("reg1reg1reg1reg1", password_policy.MSG_CONTEXT),
        ("aaaaaaaaaaaaaaab", password_policy.MSG_PATTERN),
        ("abcdefghijklmnop", password_policy.MSG_PATTERN),
        ("zxcvbnmasdfgh", password_policy.MSG_GUESSABLE),
        ("1q2w3e4r5t6y7u", password_policy.MSG_GUESSABLE),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password: str, message: str) -> None:
    problems = password_policy.problems(password, username="reg1", name="Regina Eerste")
    assert problems == [message]


@pytest.mark.parametrize(
    "password",
    [
        NEW_PASSWORD,
        "correct horse battery staple",
        "ikfietsdoordeduinenmetregen",
        "Brood & spelen op dinsdag",
        "zeeën, meeuwen én wind ☀",
        "x7#Lq9!mZ2@v",
        # Long passphrases are fine (the maximum is 256 characters, nothing is cut off).
        "een heel lang zinnetje over fietsen in de regen langs de Amstel, met een hond "
        "die blaft naar de eenden bij de sluis en een kop koffie na afloop",
    ],
)
def test_long_or_random_passwords_are_accepted_without_composition_rules(password: str) -> None:
    assert password_policy.problems(password, username="reg1", name="Regina Eerste") == []


def test_the_password_list_ships_with_the_project() -> None:
    common = password_policy._common()
    assert len(common) > 30_000
    assert {"123456", "password", "wachtwoord", "welkom01"} <= common


# --- changing the password ------------------------------------------------------------------


def test_changing_the_password_checks_the_current_one_and_the_policy(
    app: Flask, world: World
) -> None:
    client = app.test_client()
    login(client, "reg1")
    wrong = form_post(
        client,
        "/account/wachtwoord",
        {"current": "niet-mijn-wachtwoord", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert wrong.status_code == 422 and "niet uw huidige wachtwoord" in wrong.get_data(as_text=True)
    weak = form_post(
        client,
        "/account/wachtwoord",
        {"current": PASSWORD, "password": "welkom2026!!", "confirm": "welkom2026!!"},
    )
    assert weak.status_code == 422 and password_policy.MSG_COMMON in weak.get_data(as_text=True)
    typo = form_post(
        client,
        "/account/wachtwoord",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"},
    )
    assert typo.status_code == 422 and "niet gelijk" in typo.get_data(as_text=True)
    # Another browser of the same user is logged out by the change; this one stays in.
    other = app.test_client()
    login(other, "reg1")
    done = form_post(
        client,
        "/account/wachtwoord",
        {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.status_code == 302
    assert is_logged_in(client)
    assert not is_logged_in(other)
    fresh = app.test_client()
    assert password_step(fresh, "reg1", PASSWORD).status_code == 401
    login(fresh, "reg1", NEW_PASSWORD)


def test_a_temporary_password_is_replaced_at_the_first_login(app: Flask, world: World) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "nieuwe.hulp",
            "--name",
            "Nico Nieuw",
            "--role",
            "hulpverlener",
            "--organisation",
            "Schuldhulp Teststad",
            "--password",
            "tijdelijk paard fontein 42",
        ]
    )
    assert result.exit_code == 0, result.output
    weak = runner.invoke(
        args=[
            "users",
            "create",
            "zwak",
            "--name",
            "Zwak",
            "--role",
            "hulpverlener",
            "--organisation",
            "Schuldhulp Teststad",
            "--password",
            "welkom123",
        ]
    )
    assert weak.exit_code != 0 and "minstens 12" in weak.output
    client = app.test_client()
    assert (
        password_step(client, "nieuwe.hulp", "tijdelijk paard fontein 42").headers["Location"]
        == "/inloggen/tweestapsverificatie"
    )
    page = client.get("/inloggen/tweestapsverificatie").get_data(as_text=True)
    secret = re.search(r'ep-secret">([A-Z2-7 ]+)<', page)
    assert secret
    codes_page = form_post(
        client,
        "/inloggen/tweestapsverificatie",
        {"code": current_code(secret.group(1).replace(" ", ""))},
    )
    assert 'href="/inloggen/nieuw-wachtwoord"' in codes_page.get_data(as_text=True)
    assert not is_logged_in(client)  # not before the own password is set
    same = form_post(
        client,
        "/inloggen/nieuw-wachtwoord",
        {"password": "tijdelijk paard fontein 42", "confirm": "tijdelijk paard fontein 42"},
    )
    assert same.status_code == 422 and password_policy.MSG_SAME in same.get_data(as_text=True)
    done = form_post(
        client, "/inloggen/nieuw-wachtwoord", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert done.status_code == 302 and is_logged_in(client)


def test_admin_commands_unlock_and_reset_the_second_factor(app: Flask, world: World) -> None:
    client = app.test_client()
    for _ in range(5):
        password_step(client, "reg2", "fout-wachtwoord-lang")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "unlock", "reg2"]).exit_code == 0
    login(client, "reg2")
    assert runner.invoke(args=["users", "reset-mfa", "reg2"]).exit_code == 0
    assert not is_logged_in(client)  # sessions ended with it
    again = app.test_client()
    assert password_step(again, "reg2").headers["Location"] == "/inloggen/tweestapsverificatie"


def test_demo_code_only_in_development(app: Flask, world: World) -> None:
    runner = app.test_cli_runner()
    app.config["EENPLAN_ENV"] = "development"
    out = runner.invoke(args=["demo-code", "reg1"])
    assert out.exit_code == 0 and out.output.strip() == current_code(totp_secret("reg1"))
    app.config["EENPLAN_ENV"] = "production"
    assert runner.invoke(args=["demo-code", "reg1"]).exit_code != 0


def test_replay_protection_cannot_be_switched_off_outside_tests(_tmp_root: Path) -> None:
    with pytest.raises(RuntimeError):
        create_app(
            {
                "TESTING": False,
                "MFA_REPLAY_PROTECTION": False,
                "DATABASE_URL": "sqlite://",
                "SECRET_KEY": "x",
                "AUDIT_SUBJECT_KEY": "x",
                "AUDIT_CHAIN_KEY": "x",
                "MFA_KEY": "x",
            }
        )


def test_nothing_about_logins_is_personal_data_of_residents(app: Flask, world: World) -> None:
    """Signing in writes no logboek lines (it shows no resident's data)."""
    from tests.conftest import head_seq

    before = head_seq(app)
    client = app.test_client()
    login(client, "reg1")
    client.get("/account/beveiliging")
    assert head_seq(app) == before
    with app.app_context(), get_database().engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM login_session")).scalar_one() == 1


# --- where to go after the login (issue 20, item 5) -----------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/x\r\nSet-Cookie: a=b",
        "/x\nLocation: https://evil.example/",
        "/x\tdoor",
        "/x\x00",
        "/x\x7f",
        "/ spatie",
        "/\u2028x",
        "/plannen\u00e9",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "plannen",
        "/x#fragment",
    ],
)
def test_next_accepts_only_a_clean_local_path(target: str) -> None:
    from app.auth.views import _safe_next

    assert _safe_next(target) is None


@pytest.mark.parametrize("target", ["/plannen", "/plannen/3?tab=doelen&x=a%20b", "/account/"])
def test_next_keeps_a_local_path(target: str) -> None:
    from app.auth.views import _safe_next

    assert _safe_next(target) == target


def test_a_header_injection_in_next_is_ignored_not_a_500_after_the_code(
    app: Flask, world: World
) -> None:
    """The reproduction: ``/inloggen?next=/x%0d%0aSet-Cookie:…`` was accepted, and the redirect
    after the password and the TOTP code gave a 500 (both were used up)."""
    client = app.test_client()
    path = "/inloggen?next=/x%0d%0aSet-Cookie:%20sessie=overgenomen"
    first = form_post(client, path, {"username": "reg1", "password": PASSWORD}, page=path)
    assert first.status_code == 302 and first.headers["Location"] == "/inloggen/code"
    done = code_step(client, current_code(totp_secret("reg1")))
    assert done.status_code == 302
    assert done.headers["Location"] == "/plannen"  # the user's home, not the injected target
    assert "Set-Cookie: sessie" not in str(done.headers)
    assert is_logged_in(client)
