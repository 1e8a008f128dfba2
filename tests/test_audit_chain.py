"""The audit package on its own: the chain's hashing, subjects, independence from the app."""

from __future__ import annotations

import datetime as dt
import hmac
import re
from pathlib import Path

import pytest

from audit import Subject, schema
from audit.chain import HASHED_COLUMNS, ChainKey, canonical, timestamp_text
from audit.verify import NON_TEXT

AUDIT = Path(__file__).resolve().parent.parent / "audit"


def test_audit_never_imports_the_app() -> None:
    for path in AUDIT.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+app(\.|\s|$)", text, re.M), path.name


@pytest.mark.parametrize("key", [b"k", b"x" * 64, b"y" * 100, "sleutel-ë".encode()])
def test_chain_mac_is_hmac_sha256(key: bytes) -> None:
    chain = ChainKey(key)
    for message in (b"", b"head|1|abc", "regel ë".encode() * 50):
        assert chain.mac(message) == hmac.digest(key, message, "sha256").hex()


def test_only_the_known_columns_are_not_text() -> None:
    """verify's fast loop converts only these columns; every other hashed column is text."""
    for i, name in enumerate(HASHED_COLUMNS):
        column = schema.log_line.c[name]
        if i not in NON_TEXT:
            assert column.type.python_type is str, name
    assert set(HASHED_COLUMNS) == {c.name for c in schema.log_line.c} - {"line_hash"}


def test_timestamps_hash_alike_from_every_driver() -> None:
    aware = dt.datetime(2026, 3, 4, 5, 6, 7, 890, tzinfo=dt.UTC)
    elsewhere = aware.astimezone(dt.timezone(dt.timedelta(hours=2)))
    naive = aware.replace(tzinfo=None)
    sqlite_text = "2026-03-04 05:06:07.000890"
    expected = "2026-03-04T05:06:07.000890Z"
    assert {timestamp_text(v) for v in (aware, elsewhere, naive, sqlite_text)} == {expected}


def test_canonical_form_is_json_of_strings() -> None:
    values = ["x"] * len(HASHED_COLUMNS)
    values[0] = 12
    values[HASHED_COLUMNS.index("emergency")] = True
    values[HASHED_COLUMNS.index("disclose_after")] = dt.date(2026, 5, 1)
    values[HASHED_COLUMNS.index("occurred_at")] = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    values[HASHED_COLUMNS.index("reason")] = None
    values[HASHED_COLUMNS.index("actor_name")] = 'Zoë "Z"'
    text = canonical(values).decode()
    assert text.startswith('["12","2026-01-02T00:00:00.000000Z",')
    assert '"1","2026-05-01"' in text and "null" in text and '"Zoë \\"Z\\""' in text


def test_a_subject_has_an_identifier_or_a_pseudonym() -> None:
    with pytest.raises(ValueError):
        Subject("BSN")
    with pytest.raises(ValueError):
        Subject("BSN", "123", pseudonym="a" * 64)
    with pytest.raises(ValueError, match="pseudonym"):
        Subject.pseudonymous("BSN", "111222333")
    assert "111222333" not in repr(Subject("BSN", "111222333"))
