#!/usr/bin/env python3
"""Fail when a pinned direct dependency is behind a patch release of its own series.

Every ``name==X.Y.Z`` in pyproject.toml (dependencies and the ``dev`` extra) is compared with
the newest release of the same major.minor series (``>=X.Y.Z, ==X.Y.*``, no pre-releases) that
pip can install here from the configured index (pip's own configuration: index-url,
extra-index-url, find-links, certificates). Such a release is a bug-fix or security release that
should be taken; a new minor or major version is not flagged here (it needs its changelog read),
and neither is a known vulnerability in the pinned version itself — that is pip-audit's job
against OSV (see SECURITY.md).

One ``pip install --dry-run --report`` resolves all pins at once (no download, nothing
installed). When the index cannot be reached (offline), the check says so and passes.

    python scripts/check_pins.py            # exit 0: current; 1: behind (listed); 2: error
"""

from __future__ import annotations

import json
import os
import re
import ssl
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INDEX = "https://pypi.org/simple"
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([0-9][^\s;,]*)\s*(;.*)?$")
SKIPPED = "check_pins: cannot reach the index ({}): skipped"


def pins(pyproject: Path = ROOT / "pyproject.toml") -> dict[str, str]:
    """The pinned direct dependencies: name → version (extras and markers dropped)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    specs = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        specs += extra
    found: dict[str, str] = {}
    for spec in specs:
        m = PIN.match(spec)
        if m:
            found[m.group(1)] = m.group(3)
    return found


def series(version: str) -> str:
    """The requirement for "this version or a later release of its major.minor series"."""
    parts = version.split(".")
    prefix = ".".join((parts + ["0"])[:2])
    return f">={version},=={prefix}.*"


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter's pip
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, timeout=600
    )


def index_url() -> str:
    """The index pip uses (PIP_INDEX_URL, pip's configuration, or PyPI)."""
    if os.environ.get("PIP_INDEX_URL"):
        return os.environ["PIP_INDEX_URL"]
    listed = _pip("config", "list").stdout
    for line in listed.splitlines():
        key, _, value = line.partition("=")
        if key.endswith(".index-url") and not key.endswith("extra-index-url"):
            return value.strip().strip("'\"")
    return DEFAULT_INDEX


def reachable(url: str, timeout: float = 10) -> bool:
    if url.startswith("file:"):
        return Path(url[len("file://") :]).exists()
    cafile = os.environ.get("PIP_CERT") or None
    context = ssl.create_default_context(
        cafile=cafile if cafile and Path(cafile).exists() else None
    )
    request = urllib.request.Request(url.rstrip("/") + "/pip/", method="HEAD")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context):  # noqa: S310
            return True
    except urllib.error.HTTPError as exc:
        return exc.code < 500  # the server answered
    except (OSError, ValueError):
        return False


def newest_in_series(pinned: dict[str, str]) -> dict[str, str]:
    """name → the newest installable release of the pin's series, resolved by pip."""
    reqs = [f"{name}{series(version)}" for name, version in pinned.items()]
    done = _pip(
        "install",
        "--dry-run",
        "--quiet",
        "--no-deps",
        "--ignore-installed",
        "--disable-pip-version-check",
        "--report",
        "-",
        *reqs,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip()[-2000:] or "pip failed")
    report = json.loads(done.stdout)
    canonical = {_canon(n): n for n in pinned}
    newest: dict[str, str] = {}
    for item in report.get("install", []):
        meta = item["metadata"]
        name = canonical.get(_canon(meta["name"]))
        if name:
            newest[name] = meta["version"]
    return newest


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def behind(pinned: dict[str, str], newest: dict[str, str]) -> list[tuple[str, str, str]]:
    return [
        (name, version, newest[name])
        for name, version in sorted(pinned.items(), key=lambda kv: kv[0].lower())
        if name in newest and newest[name] != version
    ]


def main() -> int:
    pinned = pins()
    url = index_url()
    if not reachable(url):
        print(SKIPPED.format(url))
        return 0
    try:
        newest = newest_in_series(pinned)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        print(f"check_pins: pip could not resolve the pins: {exc}", file=sys.stderr)
        return 2
    late = behind(pinned, newest)
    if late:
        print("check_pins: pinned dependencies behind a release of their own series:")
        for name, have, new in late:
            print(f"  {name}=={have}  →  {new}  (update the pin in pyproject.toml)")
        return 1
    print(f"check_pins: {len(pinned)} pins, each the newest of its series on {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
