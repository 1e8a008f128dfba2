"""The register of processing activities (verwerkingsregister), versioned.

A change never overwrites: it adds a version, and log lines keep pointing at the version that
applied when they were written. The entries themselves (purposes, legal bases) are data that the
functioneel beheerder edits; nothing here hard-codes them.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from . import schema


@dataclass(frozen=True)
class ProcessingActivityVersion:
    id: int
    key: str
    version: int
    name: str
    purpose: str
    legal_basis: str
    legal_reference: str | None
    data_categories: tuple[str, ...]
    recipient_categories: tuple[str, ...]
    retention: str
    valid_from: dt.datetime
    changed_by: str
    retention_term: str | None = None  # JSON, see app/vernietiging/termijn.py


EDITABLE_FIELDS = (
    "name",
    "purpose",
    "legal_basis",
    "legal_reference",
    "data_categories",
    "recipient_categories",
    "retention",
    "retention_term",
)


def _version_from_row(row: Any) -> ProcessingActivityVersion:
    valid_from = row.valid_from
    if valid_from.tzinfo is None:
        valid_from = valid_from.replace(tzinfo=dt.UTC)
    return ProcessingActivityVersion(
        id=row.id,
        key=row.key,
        version=row.version,
        name=row.name,
        purpose=row.purpose,
        legal_basis=row.legal_basis,
        legal_reference=row.legal_reference,
        data_categories=tuple(json.loads(row.data_categories)),
        recipient_categories=tuple(json.loads(row.recipient_categories)),
        retention=row.retention,
        valid_from=valid_from,
        changed_by=row.changed_by,
        retention_term=row.retention_term,
    )


def _versions_with_key() -> Any:
    pa, v = schema.processing_activity, schema.processing_activity_version
    return select(v, pa.c.key).join(pa, pa.c.id == v.c.activity_id)


# Built once: every logboek append looks up the current version of its processing activity.
_CURRENT_VERSION = (
    _versions_with_key()
    .where(schema.processing_activity.c.key == bindparam("key"))
    .order_by(schema.processing_activity_version.c.version.desc())
    .limit(1)
)


def _term_json(term: Any) -> str | None:
    """The structured term as stored: canonical JSON (a dict from the seed file, or a string)."""
    if term is None or term == "":
        return None
    if isinstance(term, str):
        term = json.loads(term)
    return json.dumps(term, sort_keys=True)


class Register:
    def _select(self) -> Any:
        return _versions_with_key()

    def current_version(self, conn: Connection, key: str) -> ProcessingActivityVersion | None:
        row = conn.execute(_CURRENT_VERSION, {"key": key}).first()
        return _version_from_row(row) if row else None

    def version(self, conn: Connection, version_id: int) -> ProcessingActivityVersion | None:
        row = conn.execute(
            self._select().where(schema.processing_activity_version.c.id == version_id)
        ).first()
        return _version_from_row(row) if row else None

    def current(self, conn: Connection) -> list[ProcessingActivityVersion]:
        """The newest version of every activity, by name."""
        v = schema.processing_activity_version
        newest = (
            select(v.c.activity_id, func.max(v.c.version).label("mv"))
            .group_by(v.c.activity_id)
            .subquery()
        )
        rows = conn.execute(
            self._select()
            .join(newest, (newest.c.activity_id == v.c.activity_id) & (newest.c.mv == v.c.version))
            .order_by(v.c.name)
        ).all()
        return [_version_from_row(r) for r in rows]

    def history(self, conn: Connection, key: str) -> list[ProcessingActivityVersion]:
        v = schema.processing_activity_version
        rows = conn.execute(
            self._select().where(schema.processing_activity.c.key == key).order_by(v.c.version)
        ).all()
        return [_version_from_row(r) for r in rows]

    def save(
        self, conn: Connection, key: str, *, changed_by: str, **fields: Any
    ) -> ProcessingActivityVersion:
        """Create the activity or add a version with the given fields (unchanged fields carry over).

        Saving without any difference from the current version adds nothing.
        """
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"unknown fields: {sorted(unknown)}")
        now = dt.datetime.now(dt.UTC)
        current = self.current_version(conn, key)
        if current is None:
            missing = {"name", "purpose", "legal_basis", "data_categories", "retention"} - set(
                fields
            )
            if missing:
                raise ValueError(f"a new processing activity needs {sorted(missing)}")
            activity_id = conn.execute(
                insert(schema.processing_activity).values(key=key, created_at=now)
            ).inserted_primary_key[0]  # type: ignore[index]
            base: dict[str, Any] = {
                "legal_reference": None,
                "recipient_categories": (),
                "retention_term": None,
            }
            number = 1
        else:
            activity_id = conn.execute(
                select(schema.processing_activity.c.id).where(
                    schema.processing_activity.c.key == key
                )
            ).scalar_one()
            base = {f: getattr(current, f) for f in EDITABLE_FIELDS}
            number = current.version + 1
        merged = {**base, **fields}
        merged["data_categories"] = tuple(merged["data_categories"])
        merged["recipient_categories"] = tuple(merged["recipient_categories"])
        merged["retention_term"] = _term_json(merged["retention_term"])
        if current is not None and all(merged[f] == getattr(current, f) for f in EDITABLE_FIELDS):
            return current
        # Appends cache the current versions per register generation (audit.Logboek): a new
        # version gives it a new random value, in this transaction, under the head's lock.
        head = schema.chain_head
        conn.execute(
            update(head).where(head.c.id == 1).values(register_generation=secrets.randbits(62))
        )
        conn.execute(
            insert(schema.processing_activity_version).values(
                activity_id=activity_id,
                version=number,
                name=merged["name"],
                purpose=merged["purpose"],
                legal_basis=merged["legal_basis"],
                legal_reference=merged["legal_reference"] or None,
                data_categories=json.dumps(list(merged["data_categories"])),
                recipient_categories=json.dumps(list(merged["recipient_categories"])),
                retention=merged["retention"],
                retention_term=_term_json(merged["retention_term"]),
                valid_from=now,
                changed_by=changed_by,
            )
        )
        result = self.current_version(conn, key)
        assert result is not None
        return result

    def seed(self, conn: Connection, entries: Iterable[dict[str, Any]], *, changed_by: str) -> int:
        """Add the entries whose key is not in the register yet; returns how many were added."""
        added = 0
        for entry in entries:
            fields = dict(entry)
            key = fields.pop("key")
            if self.current_version(conn, key) is None:
                self.save(conn, key, changed_by=changed_by, **fields)
                added += 1
        return added
