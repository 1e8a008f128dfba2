#!/usr/bin/env bash
# Command 2 of the quick start: set up and run the whole test suite (lint, types, tests).
# Runs on SQLite; also on PostgreSQL when TEST_DATABASE_URL is set (CI does that).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

# Browser tests drive Debian's Chromium through Playwright (no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Chromium installeren (Debian) voor de browsertests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium ontbreekt: installeer het pakket 'chromium' (nodig voor de browsertests)." >&2
    exit 1
  fi
fi

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"
.venv/bin/mypy
.venv/bin/python scripts/check_pins.py  # pins behind a patch release of their series fail
echo "== pytest (backends: sqlite${TEST_DATABASE_URL:+ and postgresql})"
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
