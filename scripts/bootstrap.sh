#!/usr/bin/env bash
# Create .venv and install Eenplan with its pinned dependencies. Safe to run again: it only
# reinstalls when pyproject.toml changed. Needs only Python 3.11 (on Debian as root it installs
# python3-venv when that is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1; then PY="$candidate"; break; fi
  done
fi
[ -n "$PY" ] || { echo "Python 3.11 is nodig (niet gevonden)." >&2; exit 1; }
"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)' \
  || { echo "Python 3.11 of nieuwer is nodig; gevonden: $("$PY" --version)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "python3-venv installeren (Debian)…"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv .venv
    else
      echo "Kan geen virtualenv maken: installeer python3-venv." >&2; exit 1
    fi
  fi
fi

stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Afhankelijkheden installeren in .venv…"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# The English catalogue: translations/en/LC_MESSAGES/messages.po → messages.mo (docs/vertalen.md).
.venv/bin/python scripts/vertalen.py compile >/dev/null

# The project's bytecode, as a deployment's image holds it: the server's workers and every
# `flask` command from cron start without compiling Eenplan's modules first. Python writes it
# itself only where PYTHONDONTWRITEBYTECODE is not set; a module changed later is compiled
# again in memory (its source is newer), so a stale file is never used. (-q: only errors, each
# with its file.)
.venv/bin/python -m compileall -q -j 0 app audit demo wsgi.py asgi.py serve.py
