#!/usr/bin/env bash
# Command 1 of the quick start: set up, migrate, load demo data and serve Eenplan on SQLite,
# with a local OpenID Connect provider next to it so that SSO for staff can be tried.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

export FLASK_APP=wsgi.py
# The demo municipality is Gemeente Amsterdam: its own look (docs/themas.md).
export EENPLAN_MUNICIPALITY="${EENPLAN_MUNICIPALITY:-Gemeente Amsterdam}"
export EENPLAN_THEMA="${EENPLAN_THEMA:-amsterdam}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-5000}"
OIDC_PORT="${OIDC_PORT:-9400}"   # OIDC_PORT=0: no SSO demo

.venv/bin/flask db upgrade
.venv/bin/flask demo

OIDC_PID=""
APP_PID=""
cleanup() {
  for pid in $APP_PID $OIDC_PID; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

if [ "$OIDC_PORT" != "0" ]; then
  # A demo identity provider (oidc-provider-mock): it stands in for the municipality's own.
  # Its users say they logged in with two factors (amr), so Eenplan asks no code of its own.
  users=()
  for u in regisseur hulpverlener privacy beheer teamleider beleid; do
    users+=(--user-claims "{\"sub\": \"demo-$u\", \"preferred_username\": \"$u\", \"employee_id\": \"$u\", \"amr\": [\"pwd\", \"otp\"]}")
  done
  # Demo citizens (with a plan) for Mijn Eenplan: the provider's "bsn" claim carries their BSN.
  DEMO_INWONERS="$(.venv/bin/flask demo-inwoners)"
  while read -r bsn naam; do
    [ -n "$bsn" ] || continue
    users+=(--user-claims "{\"sub\": \"inwoner-$bsn\", \"bsn\": \"$bsn\", \"name\": \"$naam\"}")
  done <<< "$DEMO_INWONERS"
  .venv/bin/python -m oidc_provider_mock --port "$OIDC_PORT" "${users[@]}" >/dev/null 2>&1 &
  OIDC_PID=$!
  export OIDC_STAFF_ISSUER="http://127.0.0.1:${OIDC_PORT}"
  export OIDC_STAFF_CLIENT_ID="eenplan-demo" OIDC_STAFF_CLIENT_SECRET="demo"
  export OIDC_STAFF_LABEL="Inloggen met uw gemeenteaccount (demo)"
  # The demo provider's "employee_id" stands in for an immutable claim (an employee number)
  # whose value is the Eenplan username: it links a first SSO login to the demo account.
  export OIDC_STAFF_LINK_CLAIM="employee_id"
  # The same provider stands in for the DigiD broker of Mijn Eenplan (the citizen portal): the
  # citizen picks a demo inwoner there, and the provider puts their BSN in the "bsn" claim.
  export OIDC_BURGER_ISSUER="http://127.0.0.1:${OIDC_PORT}"
  export OIDC_BURGER_CLIENT_ID="eenplan-demo-burger" OIDC_BURGER_CLIENT_SECRET="demo"
  export OIDC_BURGER_BSN_CLAIM="bsn"
fi

PW="$(.venv/bin/python -c 'from demo import DEMO_PASSWORD; print(DEMO_PASSWORD)')"
cat <<TXT

  Eenplan draait op: http://${HOST}:${PORT}/

  Demo-inlogs voor medewerkers (wachtwoord voor allemaal: ${PW}):
$(.venv/bin/python -c 'from demo import demo_logins
for u, n, r in demo_logins(): print(f"    {u:<20} {n:<22} {r}")')

  Tweestapsverificatie is verplicht. Na het wachtwoord vraagt Eenplan een code; de demo-
  medewerkers hebben hun app al ingesteld. De code van nu (elke 30 seconden een nieuwe), in
  een tweede terminal:
      FLASK_APP=wsgi.py .venv/bin/flask demo-code regisseur

  Zelf de app instellen met de QR-code: log in als
$(.venv/bin/python -c 'from demo import new_colleague_login
u, n, r = new_colleague_login(); print(f"      {u} ({n}, {r})")')
  met hetzelfde wachtwoord; u kiest daarna een eigen wachtwoord.
TXT
if [ -n "$OIDC_PID" ]; then
cat <<TXT

  SSO: kies op de inlogpagina "Inloggen met uw gemeenteaccount (demo)" en klik bij de
  demo-identiteitsprovider (http://127.0.0.1:${OIDC_PORT}/) op demo-regisseur,
  demo-hulpverlener, demo-privacy, demo-beheer, demo-teamleider of demo-beleid (sturingsinformatie).

  Mijn Eenplan (het portaal voor inwoners): http://${HOST}:${PORT}/mijn/inloggen
  Klik op "Inloggen met DigiD" en kies bij de demo-DigiD-provider een van deze inwoners (de
  provider geeft hun BSN door in de claim "bsn"; Eenplan vraagt nooit zelf om een BSN):
$(echo "$DEMO_INWONERS" | sed 's/^\([0-9]*\)  /      inwoner-\1  /')
TXT
fi
cat <<TXT

  Stoppen: Ctrl+C
TXT

# One port, two worker processes: each serves the Flask app (a thread pool) and the live event
# streams of Mijn Eenplan (on its event loop, no thread per open page); see docs/portaal.md.
# serve.py: uvicorn with a listening socket per worker, so connections spread evenly over them.
.venv/bin/python serve.py --host "${HOST}" --port "${PORT}" --workers 2 &
APP_PID=$!
wait "$APP_PID"
