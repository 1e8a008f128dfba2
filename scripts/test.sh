#!/usr/bin/env bash
# Command 2 of the quick start: set up and run the whole test suite (lint, types, tests).
# Runs on SQLite; also on PostgreSQL when TEST_DATABASE_URL is set (CI does that).
# `scripts/test.sh --fast` is the quick loop while you work; see --help and docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'EOF'
Usage: scripts/test.sh [--fast] [PYTEST ARGS...]

  (no option)  The full run, as CI (.ci/run) does it: ruff, ruff format, mypy, then every test
               (matrix, browser, fuzz, slow — among them every bench/*.py with --smoke) on
               SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set.
  --fast       The quick loop: ruff, then pytest on SQLite only, without the tests marked
               browser, fuzz, slow or matrix (about 2 minutes). No mypy, no Chromium needed.
  -h, --help   This text.

Anything else goes to pytest, after the options above, e.g.
  scripts/test.sh --fast tests/test_views.py -k consent
  scripts/test.sh --fast -m matrix -k "plans."      (a later -m replaces the --fast one)
  scripts/test.sh tests/test_matrix.py              (lint, types, then only the matrix)
PYTEST_WORKERS sets the number of pytest-xdist workers (default 2; 0 runs in-process).
EOF
}

fast=0
args=()
for arg in "$@"; do
  case "$arg" in
    --fast) fast=1 ;;
    -h | --help) usage; exit 0 ;;
    *) args+=("$arg") ;;
  esac
done

scripts/bootstrap.sh

if [ "$fast" = 1 ]; then
  echo "== ruff"
  .venv/bin/ruff check .
  .venv/bin/ruff format --check .
  echo "== pytest --fast (sqlite; not browser, fuzz, slow or matrix)"
  unset TEST_DATABASE_URL
  exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" \
    -m "not browser and not fuzz and not slow and not matrix" "${args[@]}"
fi

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
scripts/lint_api.sh  # NL API Design Rules (Spectral, the official ruleset): 0 errors
echo "== pytest (backends: sqlite${TEST_DATABASE_URL:+ and postgresql})"
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "${args[@]}"
