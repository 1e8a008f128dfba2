"""The app side of the logboek: every inzage and exchange of personal data, logged first.

How it works
------------
* Models holding residents' personal data inherit :class:`PersonalData` and say whom a row is
  about (``audit_refs``); the model of the persons themselves and the models whose references
  stand for a person register with :func:`data_subject` / :func:`refers_to_person`. The
  logboek imports no feature model.
* Every request and every :class:`unit_of_work` (commands, jobs) carries a :class:`Ledger`.
  Whatever personal data its session loads, creates, changes or deletes, the ledger notes
  (:mod:`~app.logboek.session_events`); what the session cannot see is noted explicitly: data
  shown from elsewhere (``current_ledger().note_view``), an exchange with another party
  (:mod:`~app.logboek.exchanges`), a decision (:func:`record_decision`), logboek lines
  read (:func:`read_lines`).
* At the end of the unit of work (for a request: after the page or JSON was rendered and
  before a byte is sent) :func:`~app.logboek.writer.finalize` turns the ledger into logboek
  lines — one per data subject — and writes them **in the same transaction** as the unit of
  work's own changes, then commits, then notifies live readers (:mod:`~app.logboek.live`). If
  that fails, the request fails with an error page and the rendered data is thrown away.
* A view declares *why* it processes personal data with :func:`verwerking` (a processing
  activity from the register). A view that loads personal data without one fails closed.
* Selecting bare columns of a personal-data model (which would bypass the load hook) is
  refused, unless the query is explicitly marked internal
  (``execution_options(audit_internal=True)``) — for access checks and counts that show
  nothing about a person.
* Fail closed: every explicit log call outside a unit of work raises :class:`NoLedger`, and a
  command line command that touches personal data outside one fails with it.

Views therefore cannot forget to log: what they load is what gets logged, and what they may
not show is not loaded (the access layer builds the queries).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from app.logboek import exchanges, ldv, live, session_events, web
from app.logboek.declaration import verwerking
from app.logboek.ledger import (
    SYSTEM_ACTOR,
    ColumnLevelPersonalDataRead,
    Ledger,
    LedgerClosed,
    NoLedger,
    PersonalData,
    UndeclaredVerwerking,
    current_ledger,
    current_logboek,
    get_ledger,
    record_decision,
)
from app.logboek.reading import MAX_PAGE_SIZE, ReadAccess, read_lines, read_lines_by_seq
from app.logboek.subjects import UnknownSubjectKind, data_subject, refers_to_person
from app.logboek.writer import discard, unit_of_work
from audit import Actor


def init_app(
    app: Flask, *, actor: Callable[[], Actor], own_person_id: Callable[[], int | None]
) -> None:
    """Note on every session, a ledger per request, and live notifications.

    ``actor`` and ``own_person_id`` say who acts in the current request (the logboek's actor,
    and a citizen's own person, whose own data is no inzage by someone else).
    """
    session_events.install(app.extensions["eenplan_db"].sessionmaker)
    web.init_app(app, actor=actor, own_person_id=own_person_id)
    live.init_app(app)


__all__ = [
    "MAX_PAGE_SIZE",
    "SYSTEM_ACTOR",
    "ColumnLevelPersonalDataRead",
    "Ledger",
    "LedgerClosed",
    "NoLedger",
    "PersonalData",
    "ReadAccess",
    "UndeclaredVerwerking",
    "UnknownSubjectKind",
    "current_ledger",
    "current_logboek",
    "data_subject",
    "discard",
    "exchanges",
    "get_ledger",
    "init_app",
    "ldv",
    "live",
    "read_lines",
    "read_lines_by_seq",
    "record_decision",
    "refers_to_person",
    "unit_of_work",
    "verwerking",
]
