#!/usr/bin/env bash
# Screenshots of both themes (EENPLAN_THEMA voorbeeld and amsterdam) for docs/themas.md, at
# 375 px (a phone) and 1280 px: Mijn plan and the citizen's log page (Mijn Eenplan) and the
# regisseur's werklijst. They are taken by the browser test tests/browser/test_responsive.py
# (Playwright driving Debian's Chromium, the test world), which writes them to docs/img/ when
# EENPLAN_SCREENSHOTS is set — so refreshing them also checks the pages (axe, no sideways
# scrolling). Run after changing the look or the vendored themes (scripts/vendor_themes.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
EENPLAN_SCREENSHOTS=docs/img "$PY" -m pytest -q -p no:cacheprovider -n 0 -m browser \
  tests/browser/test_responsive.py -k "fit_a_phone"
ls -1 docs/img/*.png
