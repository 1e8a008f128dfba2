"""The ASGI site built from a JSON config in ``EENPLAN_TEST_APP_CONFIG``: what a test serves
with ``serve.py --app tests.support.live_site:app --workers 2`` (tests/test_portaal_live_workers.py)."""

from __future__ import annotations

import json
import os

from app import create_app
from app.portaal.stream import Site

app = Site(create_app(json.loads(os.environ["EENPLAN_TEST_APP_CONFIG"])), wsgi_threads=4)
