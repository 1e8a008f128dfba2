"""The gettext catalogues under ``translations/``: extract, update, compile and check them.

The same steps as ``pybabel extract/update/compile`` (docs/vertalen.md), with Babel's Python
API so that the app (compile when stale), ``scripts/vertalen.py`` and the tests share them.
Dutch is the source language: a msgid is the Dutch text, ``translations/en`` holds English.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
MAPPING = ROOT / "babel.cfg"
# The directories whose files hold interface text (babel.cfg says which files and how).
SOURCES = ("app", "templates")
# Besides Babel's defaults (_, gettext, ngettext, pgettext, N_, …): the lazy ones for forms
# and module-level labels (``from flask_babel import lazy_gettext as _l``).
KEYWORDS: dict[str, Any] = {
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
DOMAIN = "messages"
# Fixed header dates: the .po changes only when its messages do (no merge noise).
HEADER_DATE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
LOCALES = ("en",)


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


@dataclass(frozen=True)
class Found:
    """One message found in the source: its id (str, or (singular, plural)) and where."""

    msgid: str | tuple[str, ...]
    context: str | None
    places: tuple[tuple[str, int], ...]


def extract(root: Path = ROOT) -> Catalog:
    """Every translatable string under ``SOURCES``, as a template catalogue (the .pot)."""
    from babel.messages.extract import DEFAULT_KEYWORDS  # lazy: only for extraction

    with MAPPING.open() as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(MAPPING))
    keywords = {**DEFAULT_KEYWORDS, **KEYWORDS}
    catalog = _catalog(None)
    for source in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
            root / source,
            method_map,
            options_map,
            keywords=keywords,
            comment_tags=("NOTE",),
            strip_comment_tags=True,
        ):
            path = f"{source}/{filename}"
            catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    for text, line in register_texts(root):
        catalog.add(text, None, [(REGISTER, line)])
    return catalog


REGISTER = "app/verwerkingsregister.json"
# The article references the citizen's log page leaves out (app.portaal.logboek.in_gewone_woorden).
_HAAKJES = re.compile(r"\s*\([^)]*\)")


def register_texts(root: Path = ROOT) -> list[tuple[str, int]]:
    """The texts of the processing register a citizen reads on their log pages (each log line
    carries its activity's name, purpose and legal basis): shown with ``|vertaald``."""
    entries = json.loads((root / REGISTER).read_text(encoding="utf-8"))
    texts = []
    for number, entry in enumerate(entries, start=1):
        plain = _HAAKJES.sub("", entry["legal_basis"] or "").strip()
        texts += [(entry["name"], number), (entry["purpose"], number), (plain, number)]
    return [(t, n) for t, n in texts if t]


def _catalog(locale: str | None) -> Catalog:
    return Catalog(
        locale=locale,
        project="Eenplan",
        version="1",
        copyright_holder="Eenplan",
        msgid_bugs_address="",
        creation_date=HEADER_DATE,
        revision_date=HEADER_DATE,
        last_translator="Eenplan",
        language_team="Eenplan",
        charset="utf-8",
        fuzzy=False,
    )


def _write_po(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, no_location=True, sort_output=True, ignore_obsolete=True, width=100)


def update(locales: Iterable[str] = LOCALES) -> list[Path]:
    """Bring each ``messages.po`` in line with the source: new msgids get an empty msgstr,
    msgids no longer in the source go. Translations of unchanged msgids are kept; no fuzzy
    matching (a guessed translation would pass for a real one)."""
    template = extract()
    written = []
    for locale in locales:
        path = po_path(locale)
        if path.exists():
            with path.open("rb") as fh:
                catalog = read_po(fh, locale=locale)
        else:
            catalog = _catalog(locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = catalog.revision_date = HEADER_DATE
        catalog.obsolete.clear()
        _write_po(catalog, path)
        written.append(path)
    return written


def merge(other: Path, locale: str = "en") -> int:
    """Take the translations from another copy of the catalogue (another branch's) for the
    msgids that have none here; then :func:`update` keeps exactly what the source uses.
    Returns how many were taken."""
    with other.open("rb") as fh:
        theirs = read_po(fh, locale=locale)
    path = po_path(locale)
    with path.open("rb") as fh:
        ours = read_po(fh, locale=locale)
    taken = 0
    for message in theirs:
        if not message.id or message.fuzzy or not message.string:
            continue
        mine = ours.get(message.id, context=message.context)
        if mine is None:
            ours.add(message.id, message.string, context=message.context, flags=message.flags)
            taken += 1
        elif not mine.string or (isinstance(mine.string, tuple | list) and not all(mine.string)):
            mine.string = message.string
            taken += 1
    _write_po(ours, path)
    update([locale])
    return taken


def compile_catalog(locale: str) -> Path:
    """Write ``messages.mo`` from ``messages.po`` (atomically: several workers may start at once)."""
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    target = mo_path(locale)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".messages-", suffix=".mo")
    try:
        with os.fdopen(fd, "wb") as out:
            write_mo(out, catalog)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def is_stale(locale: str) -> bool:
    po, mo = po_path(locale), mo_path(locale)
    return po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime)


def compile_stale(locales: Iterable[str] = LOCALES) -> list[Path]:
    """Compile every catalogue whose .mo is missing or older than its .po."""
    return [compile_catalog(locale) for locale in locales if is_stale(locale)]


def untranslated(locale: str = "en") -> list[Found]:
    """The strings in the source without a usable translation in ``locale``: missing from the
    .po, an empty msgstr (or plural form), or marked fuzzy."""
    with po_path(locale).open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    missing = []
    for message in extract():
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = [] if entry is None else entry.string
        if isinstance(strings, str):
            strings = [strings]
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(
                Found(
                    msgid=message.id if isinstance(message.id, str) else tuple(message.id),
                    context=message.context,
                    places=tuple((str(f), int(n or 0)) for f, n in message.locations),
                )
            )
    return missing


def by_file(found: Iterable[Found]) -> dict[str, int]:
    """How many untranslated strings each file holds (to see which areas are left)."""
    counts: dict[str, int] = {}
    for item in found:
        for filename in sorted({f for f, _ in item.places}):
            counts[filename] = counts.get(filename, 0) + 1
    return dict(sorted(counts.items()))
