#!/usr/bin/env bash
# The NL API Design Rules linter (Spectral with the official ruleset) over the OpenAPI documents
# Eenplan serves: /api/v1/openapi.json, /api/ldv/v1/openapi.json and
# /api/verwerkingsregister/v1/openapi.json. Fails on any error (warnings are printed).
#
# Spectral comes from the npm registry, pinned in tools/spectral/package-lock.json and installed
# with `npm ci` into tools/spectral/node_modules (gitignored). The ruleset is the official one
# from ../shared/standards/nl-api-design-rules/ (never copied into this repository); set
# EENPLAN_STANDARDS to use another copy.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Node.js installeren (Debian) voor de API-linter…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  else
    echo "Node.js ontbreekt: installeer de pakketten 'nodejs' en 'npm' (nodig voor de API-linter)." >&2
    exit 1
  fi
fi

spectral=tools/spectral/node_modules/.bin/spectral
if [ ! -x "$spectral" ] || [ tools/spectral/package-lock.json -nt tools/spectral/node_modules/.package-lock.json ]; then
  (cd tools/spectral && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

standards="${EENPLAN_STANDARDS:-}"
if [ -z "$standards" ]; then
  for candidate in ../shared/standards \
    "$(dirname "$(git rev-parse --path-format=absolute --git-common-dir)")/../shared/standards"; do
    if [ -f "$candidate/nl-api-design-rules/ruleset.yaml" ]; then standards="$candidate"; break; fi
  done
fi
ruleset="$standards/nl-api-design-rules/ruleset.yaml"
if [ ! -f "$ruleset" ]; then
  echo "De ruleset van de API Design Rules ontbreekt (../shared/standards of EENPLAN_STANDARDS)." >&2
  exit 1
fi

mkdir -p build
# The documents exactly as served (through the application's own routes).
.venv/bin/python - <<'PY'
import json
from app import create_app
app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://"})
client = app.test_client()
for name, path in (
    ("openapi", "/api/v1/openapi.json"),
    ("openapi-ldv", "/api/ldv/v1/openapi.json"),
    ("openapi-verwerkingsregister", "/api/verwerkingsregister/v1/openapi.json"),
):
    resp = client.get(path)
    assert resp.status_code == 200, (path, resp.status_code)
    with open(f"build/{name}.json", "w", encoding="utf-8") as out:
        json.dump(resp.get_json(), out, indent=1, ensure_ascii=False)
PY
for doc in openapi openapi-ldv openapi-verwerkingsregister; do
  echo "== NL API Design Rules (Spectral) over build/$doc.json"
  "$spectral" lint --ruleset "$ruleset" --fail-severity error "build/$doc.json"
done
