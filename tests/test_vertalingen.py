"""Every interface string has English (docs/vertalen.md).

The strings are extracted from app/ and templates/ with Babel, as ``pybabel extract`` does, and
compared with translations/en/LC_MESSAGES/messages.po: each needs a non-empty, non-fuzzy msgstr.
On failure the message lists the files with strings left, and the strings themselves.
"""

from __future__ import annotations

import io
from typing import Any

from babel.messages.mofile import read_mo

from app import i18n_catalog

# Areas whose every string must already have English (the citizen's side, sign-in, the shared
# page frame and the errors). The whole tree is checked by test_every_string_has_english.
VOLLEDIG = (
    "templates/base.html",
    "templates/_macros.html",
    "templates/errors/",
    "templates/auth/",
    "templates/account/",
    "templates/portaal/",
    "app/portaal/",
    "app/auth/",
    "app/account/",
    "app/errors.py",
    "app/domain.py",
    "app/forms.py",
    "app/templating.py",
    "app/i18n.py",
)


def _report(found: list[i18n_catalog.Found]) -> str:
    lines = [f"{n:4d}  {f}" for f, n in i18n_catalog.by_file(found).items()]
    sample = [f"  {f.msgid!r}  ({f.places[0][0]}:{f.places[0][1]})" for f in found[:40]]
    return "\n".join(
        ["Strings without English, per file (scripts/vertalen.py check):", *lines, *sample]
    )


def test_the_extraction_finds_strings_in_python_and_templates() -> None:
    catalog = i18n_catalog.extract()
    files = {f for m in catalog for f, _ in m.locations}
    assert any(f.startswith("templates/") for f in files)
    assert any(f.startswith("app/") and f.endswith(".py") for f in files)
    # lazy labels and plurals are extracted too
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}
    assert "Uitloggen" in ids


def test_my_areas_have_english() -> None:
    missing = [
        f
        for f in i18n_catalog.untranslated("en")
        if any(place.startswith(VOLLEDIG) for place, _ in f.places)
    ]
    assert not missing, _report(missing)


def test_every_string_has_english() -> None:
    missing = i18n_catalog.untranslated("en")
    assert not missing, _report(missing)


def test_the_compiled_catalogue_matches_the_po() -> None:
    i18n_catalog.compile_stale()
    with i18n_catalog.mo_path("en").open("rb") as fh:
        compiled = read_mo(io.BytesIO(fh.read()))
    with i18n_catalog.po_path("en").open("rb") as fh:
        from babel.messages.pofile import read_po

        source = read_po(fh)

    def ids(catalog: Any, *, skip_fuzzy: bool) -> set[str]:
        return {
            m.id if isinstance(m.id, str) else m.id[0]
            for m in catalog
            if m.id and m.string and not (skip_fuzzy and m.fuzzy)
        }

    assert ids(compiled, skip_fuzzy=False) >= ids(source, skip_fuzzy=True)


def test_a_stale_mo_is_compiled_again(monkeypatch: Any, tmp_path: Any) -> None:
    po = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Uitloggen"\nmsgstr "Log out"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n_catalog, "TRANSLATIONS", tmp_path)
    assert i18n_catalog.is_stale("en")
    assert i18n_catalog.compile_stale() == [tmp_path / "en" / "LC_MESSAGES" / "messages.mo"]
    assert not i18n_catalog.is_stale("en")
    assert i18n_catalog.compile_stale() == []
    with (tmp_path / "en" / "LC_MESSAGES" / "messages.mo").open("rb") as fh:
        assert read_mo(fh).get("Uitloggen").string == "Log out"


def test_the_register_texts_on_the_log_page_are_in_the_catalogue() -> None:
    import json

    from app.portaal.logboek import in_gewone_woorden

    texts = {t for t, _ in i18n_catalog.register_texts()}
    for entry in json.loads((i18n_catalog.ROOT / i18n_catalog.REGISTER).read_text("utf-8")):
        assert {entry["name"], entry["purpose"], in_gewone_woorden(entry["legal_basis"])} <= texts


def test_merge_takes_the_other_branchs_english(monkeypatch: Any, tmp_path: Any) -> None:
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    ours = tmp_path / "en" / "LC_MESSAGES" / "messages.po"
    ours.parent.mkdir(parents=True)
    ours.write_text(
        head + 'msgid "Uitloggen"\nmsgstr "Log out"\n\nmsgid "Mijn plan"\nmsgstr ""\n', "utf-8"
    )
    theirs = tmp_path / "theirs.po"
    theirs.write_text(
        head + 'msgid "Mijn plan"\nmsgstr "My plan"\n\nmsgid "Nieuw plan"\nmsgstr "New plan"\n'
        '\nmsgid "Uitloggen"\nmsgstr "Sign out"\n',
        "utf-8",
    )
    monkeypatch.setattr(i18n_catalog, "TRANSLATIONS", tmp_path)
    monkeypatch.setattr(i18n_catalog, "update", lambda locales: [])
    assert i18n_catalog.merge(theirs) == 2
    from babel.messages.pofile import read_po

    merged = read_po(ours.open("rb"))
    assert merged.get("Mijn plan").string == "My plan"
    assert merged.get("Nieuw plan").string == "New plan"
    assert merged.get("Uitloggen").string == "Log out"  # ours is kept
