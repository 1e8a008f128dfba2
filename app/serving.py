"""What a server process does once the application is built, before its first request.

**The garbage collector.** A page loads hundreds of ORM objects and renders thousands of
template values; CPython's cyclic collector then runs several times a request, and each
older-generation pass walks every object the process holds — the application, its mappers,
templates, catalogues (~260,000 objects). Measured on the city (bench/stad.py, one request at a
time): 6.6 ms of a 62 ms activities page and 16 ms of an 87 ms logboek search (38 collections
for its list of 3,300 staff members) went to collections. ``gc.freeze()`` moves what exists
once the app is built into a permanent generation that is never walked again (what gunicorn's
and Instagram's write-ups recommend for pre-built web apps), and a larger first-generation
threshold lets a request's short-lived objects die by reference counting before a collection
starts. Cycles are still collected; only how often and over what changes.

**The templates.** Jinja compiles a template to Python the first time it is rendered (about
7 ms each, 114 templates: 0.8 s); every page's first request in a new worker paid for its own
template, the base and the macros (measured on the city: the management information's privacy
page 86 ms the first time, 8 ms after). The server compiles them all before it accepts a
request (:func:`compile_templates`, from ``asgi.py``; not for ``flask`` commands, which render
few or none), and they are frozen with the rest.

Called by the entry points (``asgi.py``; ``wsgi.py``, which ``flask`` commands load too — a
long job such as ``flask privacy indicatoren`` gains the same), never by tests (they build many
apps in one process, which must stay collectable). What is frozen is never freed: only what the
app built at start, once.
"""

from __future__ import annotations

import gc

from flask import Flask

FIRST_GENERATION = 10_000  # allocations before a young collection (CPython's default: 700)


def prepare_process() -> None:
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(FIRST_GENERATION, second, third)


def compile_templates(app: Flask) -> int:
    """Compile every template into the environment's cache now; the number compiled. The
    cache must hold them all, or the first would be compiled again later (it is enlarged)."""
    env = app.jinja_env
    names = [n for n in env.list_templates() if n.endswith((".html", ".txt", ".xml"))]
    capacity = getattr(env.cache, "capacity", None)  # None: no cache, or an unbounded dict
    if capacity is not None and capacity < len(names):
        env.cache = type(env.cache)(2 * len(names))  # type: ignore[call-arg,misc]
    for name in names:
        env.get_template(name)
    return len(names)
