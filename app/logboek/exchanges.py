"""Exchanges of personal data with other parties, for the logboek (SPEC: "The logboek").

The reusable helpers later features call when data leaves Eenplan or comes in:

* :func:`export` — an export (a download, a file for another system);
* :func:`information_asked` / :func:`information_received` — the regisseur asks an
  organisation (a hulpverlener's organisation, a source) for information about a person, and
  gets an answer;
* :func:`signal_received` — a vroegsignaal arrives from a source organisation;
* :func:`sent_to` — anything else sent to another party;
* :func:`plan_shared_with` — a plan is shared with a newly involved organisation.

Each notes the exchange on the current unit of work's ledger (a request, or a command/job in
``app.logboek.unit_of_work``): one logboek line per person, with sender, recipient, the data
categories, and the processing activity (whose register version gives purpose and legal basis),
written in the same transaction as the unit of work's own changes. If the unit of work rolls
back, the exchange did not happen and is not logged. Without a unit of work they raise
:class:`~app.logboek.ledger.NoLedger`: an exchange that cannot be logged must not happen.

``refs`` name the persons the data is about: ``("person", id)`` or ``("plan", id)``. An
exchange of a person's own data with that person themselves is not logged (it is no inzage by
someone else).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from flask import current_app, has_app_context

from app.logboek.ledger import current_ledger

Refs = Iterable[tuple[str, int]]

# What a question about a person gives away to the organisation asked: who it is about.
IDENTIFICATIE = ("bsn", "naw")

# What a newly involved organisation receives access to.
SHARED_WITH_BETROKKENE = (
    "naw",
    "bsn",
    "contact",
    "plan",
    "activiteiten",
    "activiteiten-buitenkant",
)


def _municipality() -> str:
    if has_app_context():
        return str(current_app.config["EENPLAN_MUNICIPALITY"])
    return "de gemeente"


def _note(
    action: str,
    *,
    refs: Refs,
    categories: Iterable[str],
    sender: str,
    recipient: str,
    object_type: str | None,
    object_id: Any,
    processing_activity: str | None,
) -> None:
    categories = tuple(categories)
    if not categories:
        raise ValueError("an exchange names the data categories it carries")
    current_ledger().note_exchange(
        refs=refs,
        categories=categories,
        sender=sender,
        recipient=recipient,
        action=action,
        object_type=object_type,
        object_id=object_id,
        processing_activity=processing_activity,
    )


def export(
    *,
    refs: Refs,
    categories: Iterable[str],
    recipient: str,
    sender: str | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    processing_activity: str | None = None,
) -> None:
    """Personal data leaves as an export (a download, a file) for ``recipient``."""
    _note(
        "export",
        refs=refs,
        categories=categories,
        sender=sender or _municipality(),
        recipient=recipient,
        object_type=object_type,
        object_id=object_id,
        processing_activity=processing_activity,
    )


def information_asked(
    *,
    refs: Refs,
    asked_of: str,
    categories: Iterable[str] = IDENTIFICATIE,
    sender: str | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    processing_activity: str | None = None,
) -> None:
    """A question about a person goes to ``asked_of``: the question itself tells them who it is
    about (``categories``: by default the identification, BSN and name)."""
    _note(
        "send",
        refs=refs,
        categories=categories,
        sender=sender or _municipality(),
        recipient=asked_of,
        object_type=object_type,
        object_id=object_id,
        processing_activity=processing_activity,
    )


def information_received(
    *,
    refs: Refs,
    received_from: str,
    categories: Iterable[str],
    recipient: str | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    processing_activity: str | None = None,
) -> None:
    """The answer comes in from ``received_from`` with data of these ``categories``."""
    _note(
        "receive",
        refs=refs,
        categories=categories,
        sender=received_from,
        recipient=recipient or _municipality(),
        object_type=object_type,
        object_id=object_id,
        processing_activity=processing_activity,
    )


def signal_received(
    *,
    refs: Refs,
    source: str,
    categories: Iterable[str],
    recipient: str | None = None,
    object_type: str | None = "vroegsignaal",
    object_id: Any = None,
    processing_activity: str | None = None,
) -> None:
    """A vroegsignaal about a person arrives from ``source`` (e.g. a source organisation)."""
    information_received(
        refs=refs,
        received_from=source,
        categories=categories,
        recipient=recipient,
        object_type=object_type,
        object_id=object_id,
        processing_activity=processing_activity,
    )


def sent_to(
    *,
    refs: Refs,
    recipient: str,
    categories: Iterable[str],
    sender: str | None = None,
    object_type: str | None = None,
    object_id: Any = None,
    processing_activity: str | None = None,
) -> None:
    """Personal data is sent to ``recipient``."""
    _note(
        "send",
        refs=refs,
        categories=categories,
        sender=sender or _municipality(),
        recipient=recipient,
        object_type=object_type,
        object_id=object_id,
        processing_activity=processing_activity,
    )


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class SharedPlan(Protocol):
    """A plan as :func:`plan_shared_with` needs it (``plans.models.Plan``)."""

    @property
    def id(self) -> int: ...

    @property
    def gemeente(self) -> _Named: ...


class Involvement(Protocol):
    """An organisation's involvement in a plan (``plans.models.Betrokkenheid``)."""

    @property
    def organisation(self) -> _Named: ...


def plan_shared_with(plan: SharedPlan, betrokkenheid: Involvement) -> None:
    """The plan is shared with a newly involved organisation (sent by the plan's municipality)."""
    sent_to(
        refs=[("plan", plan.id)],
        categories=SHARED_WITH_BETROKKENE,
        sender=plan.gemeente.name,
        recipient=betrokkenheid.organisation.name,
        object_type="plan",
        object_id=plan.id,
    )


__all__ = [
    "IDENTIFICATIE",
    "SHARED_WITH_BETROKKENE",
    "export",
    "information_asked",
    "information_received",
    "plan_shared_with",
    "signal_received",
    "sent_to",
]
