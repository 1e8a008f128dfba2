#!/usr/bin/env bash
# Command 1 of the quick start: set up, migrate, load demo data and serve Eenplan on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

export FLASK_APP=wsgi.py
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"

.venv/bin/flask db upgrade
.venv/bin/flask demo

cat <<TXT

  Eenplan draait op: http://${HOST}:${PORT}/

  Demo-inlogs voor medewerkers (wachtwoord voor allemaal: $(.venv/bin/python -c 'from app.demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')):
$(.venv/bin/python -c 'from app.demo import demo_logins
for u, n, r in demo_logins(): print(f"    {u:<20} {n:<22} {r}")')

  Stoppen: Ctrl+C
TXT

exec .venv/bin/gunicorn --bind "${HOST}:${PORT}" --worker-class gthread --workers 2 --threads 16 \
  --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms' --access-logfile - wsgi:app
