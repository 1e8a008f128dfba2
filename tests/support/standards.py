"""The official standards' own files (``../shared/standards/`` next to the repository, never
copied into it) and validators built from them.

Found at ``$EENPLAN_STANDARDS``, else ``../shared/standards`` from the repository root, else
from the main checkout when this is a git worktree. A test that needs them fails (it does not
skip) when they are missing: CI has them.
"""

from __future__ import annotations

import json
import os
import subprocess
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT202012

ROOT = Path(__file__).resolve().parents[2]


@cache
def standards_dir() -> Path:
    candidates = []
    if os.environ.get("EENPLAN_STANDARDS"):
        candidates.append(Path(os.environ["EENPLAN_STANDARDS"]))
    candidates.append(ROOT.parent / "shared" / "standards")
    try:
        common = subprocess.run(
            ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        candidates.append(Path(common).parent.parent / "shared" / "standards")
    except (OSError, subprocess.CalledProcessError):
        pass
    for candidate in candidates:
        if (candidate / "ldv-lezen" / "openapi.json").is_file():
            return candidate
    raise AssertionError(
        "de standaarden ontbreken: zet ze in ../shared/standards of wijs EENPLAN_STANDARDS aan "
        f"(gezocht: {', '.join(map(str, candidates))})"
    )


def load(relative: str) -> Any:
    return json.loads((standards_dir() / relative).read_text(encoding="utf-8"))


_formats = FormatChecker()


@_formats.checks("uri")
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme == "urn") and " " not in value


@_formats.checks("int64")
def _int64(value: object) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


@cache
def _ldv_registry() -> tuple[Registry, str]:
    folder = standards_dir() / "ldv-lezen"
    base = folder.as_uri() + "/"
    resources = [
        (base + name, Resource(contents=load(f"ldv-lezen/{name}"), specification=DRAFT7))
        for name in ("openapi.json", "attributes.schema.json", "ProblemJson.schema.json")
    ]
    return Registry().with_resources(resources), base


def ldv_validator(schema: str) -> Draft7Validator:
    """A validator for one of the read extension's schemas (``components/schemas/<schema>``,
    e.g. ``ListProcessingActivities``, ``ProcessingActivity``, ``Nlgovproblem``), formats
    (uri, uuid, int64) checked."""
    registry, base = _ldv_registry()
    return Draft7Validator(
        {"$ref": f"{base}openapi.json#/components/schemas/{schema}"},
        registry=registry,
        format_checker=_formats,
    )


@cache
def _brp_registry() -> tuple[Registry, str]:
    uri = (standards_dir() / "haal-centraal-brp" / "openapi.json").as_uri()
    resource = Resource(contents=load("haal-centraal-brp/openapi.json"), specification=DRAFT202012)
    return Registry().with_resource(uri, resource), uri


def brp_validator(schema: str) -> Draft202012Validator:
    """A validator for a schema of BRP API Personen 2.7.0 (OAS 3.1: JSON Schema 2020-12)."""
    registry, uri = _brp_registry()
    return Draft202012Validator(
        {"$ref": f"{uri}#/components/schemas/{schema}"},
        registry=registry,
        format_checker=_formats,
    )


@cache
def brp_fields() -> frozenset[str]:
    """The field paths a client may ask for (``fields-filtered-Persoon.csv``)."""
    lines = (standards_dir() / "haal-centraal-brp" / "fields-filtered-Persoon.csv").read_text()
    return frozenset(line.strip() for line in lines.splitlines()[1:] if line.strip())
