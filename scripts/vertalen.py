#!/usr/bin/env python
"""Translations (docs/vertalen.md): extract, update, compile and check the gettext catalogues.

scripts/vertalen.py update     extract every string from app/ and templates/ and bring
                               translations/en/LC_MESSAGES/messages.po in line (new msgids
                               get an empty msgstr; removed ones go)
scripts/vertalen.py compile    write messages.mo from messages.po (the app also does this
                               at start when the .mo is missing or older)
scripts/vertalen.py check      list the strings still without English, per file; exit 1
                               when there are any
scripts/vertalen.py pot        write translations/messages.pot (for tools that want one)
scripts/vertalen.py merge F    take the English of another copy of messages.po (another
                               branch's: git show BRANCH:translations/en/LC_MESSAGES/messages.po)
                               for the strings without English here, then update
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import i18n_catalog  # noqa: E402


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "help"
    if command == "update":
        for path in i18n_catalog.update():
            print(f"bijgewerkt: {path.relative_to(i18n_catalog.ROOT)}")
        return 0
    if command == "compile":
        for locale in i18n_catalog.LOCALES:
            print(
                f"gecompileerd: {i18n_catalog.compile_catalog(locale).relative_to(i18n_catalog.ROOT)}"
            )
        return 0
    if command == "check":
        rc = 0
        for locale in i18n_catalog.LOCALES:
            missing = i18n_catalog.untranslated(locale)
            for filename, count in i18n_catalog.by_file(missing).items():
                print(f"{locale}  {count:4d}  {filename}")
            if missing:
                print(f"{locale}: {len(missing)} teksten zonder vertaling")
                rc = 1
        return rc
    if command == "merge" and len(argv) > 2:
        taken = i18n_catalog.merge(Path(argv[2]))
        print(f"overgenomen: {taken} vertalingen")
        return 0
    if command == "merge" and len(argv) > 2:
        taken = i18n_catalog.merge(Path(argv[2]))
        print(f"overgenomen: {taken} vertalingen")
        return 0
    if command == "pot":
        from babel.messages.pofile import write_po

        target = i18n_catalog.TRANSLATIONS / "messages.pot"
        with target.open("wb") as fh:
            write_po(fh, i18n_catalog.extract(), sort_output=True, width=100)
        print(f"geschreven: {target.relative_to(i18n_catalog.ROOT)}")
        return 0
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
