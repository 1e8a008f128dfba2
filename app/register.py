"""Eenplan's entries in the register of processing activities (seeded once, then edited as data)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from audit import Register

SEED_FILE = Path(__file__).with_name("verwerkingsregister.json")


def seed_entries() -> list[dict[str, Any]]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))


def seed_register(conn: Connection) -> int:
    return Register().seed(conn, seed_entries(), changed_by="eenplan (eerste inrichting)")
