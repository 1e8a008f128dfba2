"""scripts/check_pins.py: pinned dependencies behind a patch release of their series fail CI."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "check_pins.py"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_pins", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_pins = _module()


def test_every_direct_dependency_is_pinned_and_read() -> None:
    pinned = check_pins.pins()
    assert pinned["Authlib"] and pinned["psycopg"] and pinned["pytest"]
    assert "psycopg[binary]" not in pinned  # extras dropped
    assert pinned["Authlib"] != "1.9.9"  # issue 20: the login library is current


@pytest.mark.parametrize(
    ("version", "requirement"),
    [
        ("1.9.9", ">=1.9.9,==1.9.*"),
        ("2.2", ">=2.2,==2.2.*"),
        ("2026.6", ">=2026.6,==2026.6.*"),
        ("7", ">=7,==7.0.*"),
    ],
)
def test_the_series_is_major_minor(version: str, requirement: str) -> None:
    assert check_pins.series(version) == requirement


def test_behind_lists_only_pins_with_a_newer_release_in_their_series() -> None:
    pinned = {"Authlib": "1.9.9", "httpx": "0.28.1", "redis": "7.4.1"}
    newest = {"Authlib": "1.9.10", "httpx": "0.28.1", "redis": "7.4.1"}
    assert check_pins.behind(pinned, newest) == [("Authlib", "1.9.9", "1.9.10")]


def test_an_unreachable_index_is_skipped_with_a_clear_message(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PIP_INDEX_URL": "http://127.0.0.1:9/simple"}
    done = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0
    assert "cannot reach the index (http://127.0.0.1:9/simple): skipped" in done.stdout
