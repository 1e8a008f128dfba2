"""A server process prepares itself once the app is built (app/serving.py): what the app built
is frozen out of the garbage collector's walks, young collections run less often, and cycles
made by requests are still collected."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.serving import FIRST_GENERATION

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, weakref
import {module}
frozen, first = gc.get_freeze_count(), gc.get_threshold()[0]
class Node: pass
a, b = Node(), Node()
a.other, b.other = b, a  # a cycle, as a request's objects may make
gone = weakref.ref(a)
del a, b
gc.collect()
print(frozen, first, gone() is None)
"""


def _probe(code: str, tmp_path: Path) -> str:
    """Run ``code`` in a fresh interpreter with an app configured on ``tmp_path``; its output."""
    env = {
        **os.environ,
        "SECRET_KEY": "serving-test",
        "AUDIT_SUBJECT_KEY": "serving-test-subject",
        "AUDIT_CHAIN_KEY": "serving-test-chain",
        "MFA_KEY": "serving-test-mfa",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'eenplan.db'}",
        "INSTANCE_PATH": str(tmp_path),
        "LOG_LEVEL": "WARNING",
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize("module", ["asgi", "wsgi"])
def test_a_server_process_freezes_the_built_app_and_still_collects_cycles(
    module: str, tmp_path: Path
) -> None:
    frozen, first, collected = _probe(PROBE.format(module=module), tmp_path).split()[-3:]
    assert int(frozen) > 50_000  # the app's objects, out of the collector's walks
    assert int(first) == FIRST_GENERATION
    assert collected == "True"


TEMPLATES_PROBE = """
import asgi
env = asgi.flask_app.jinja_env
names = [n for n in env.list_templates() if n.endswith(".html")]
def no_loading(*args, **kwargs):
    raise AssertionError("a template was loaded after the server started")
env.loader.get_source = no_loading
for name in names:
    env.get_template(name)  # from the cache the server filled at start
print(len(names), len(env.cache))
"""


def test_the_server_compiles_every_template_before_its_first_request(tmp_path: Path) -> None:
    """A page's first request in a new worker no longer compiles its templates (app/serving.py:
    about 7 ms a template; the first request of a page was 10× its later ones)."""
    names, cached = (int(x) for x in _probe(TEMPLATES_PROBE, tmp_path).split()[-2:])
    assert names > 100
    assert cached >= names
