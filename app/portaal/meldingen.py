"""Opt-in e-mail notices to the citizen (issue 16 #13): "Er is iets nieuw in Mijn Eenplan".

The citizen chooses, on *Mijn Eenplan → E-mailmeldingen* (``/mijn/meldingen``), for which of
three kinds they want a notice — a **new** organisation or person looked at their data (a view
or exchange line by a professional or a trusted person not in their log before; their own and
household members' use does not count), a **signal** about them became visible to them, a
**message** arrived for them — and at which address. Off by default; every change is the citizen's own logboek line
(``zeggenschap.meldingen``) and optimistic locking guards concurrent edits.

Delivery is a scheduled command, ``flask notices send`` (cron, e.g. every 15 minutes): per
citizen who opted in, per kind, it looks what is new since the last run and sends **one** mail
for all kinds with news, at most once a day per kind. The mail says nothing but that there is
something new and where to log in (the SMTP settings of the message notice,
:mod:`app.berichten.notify`). Idempotent: what was found is remembered (:class:`Meldingstand`),
so a second run sends nothing; a failed mail is tried again at the next run. Choosing a kind
starts it from now: nothing from before is announced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, replace

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.access import logboek_regels_voor
from app.access.paths import ACTING_LABELS, Pad
from app.autorisaties import services as autorisaties
from app.berichten import notify
from app.berichten.models import SOORT_INWONER, SOORT_PLAN, Bericht, Gesprek
from app.clock import TZ, now
from app.db import session
from app.domain import Gegevenscategorie
from app.i18n import N_
from app.logboek import current_logboek
from app.plans.models import Plan
from app.plans.services import Conflict, PlanError
from app.portaal.meldingen_models import (
    BERICHT,
    INZAGE,
    SIGNAAL,
    SOORTEN,
    Meldingstand,
    Meldingvoorkeur,
)
from app.signalen.models import Vroegsignaal
from app.signalen.uitstel import uitgesteld
from app.users.models import User
from audit import LineFilter

VERTROUWENSPERSOON = ACTING_LABELS[Pad.VERTROUWENSPERSOON]
ONDERWERP = N_("Er is iets nieuw in Mijn Eenplan")
TEKST = N_(
    "Goedendag,\n\n"
    "Er is iets nieuw in Mijn Eenplan. Om uw privacy te beschermen staat in deze e-mail niet "
    "wat.\n\n"
    "Log in om te kijken: %(url)s\n\n"
    "U krijgt deze e-mail omdat u daarvoor koos. U kunt dat in Mijn Eenplan veranderen, bij "
    "E-mailmeldingen. Dit is een automatisch bericht; u kunt er niet op antwoorden.\n"
)


# --- the choice ---------------------------------------------------------------------------------


def voorkeur_van(user: User) -> Meldingvoorkeur | None:
    return session.scalars(
        select(Meldingvoorkeur).where(Meldingvoorkeur.user_id == user.id)
    ).first()


def zet_voorkeur(
    user: User,
    *,
    email: str | None,
    soorten: set[str],
    expected_version: int | None,
) -> Meldingvoorkeur:
    """Record the citizen's choice (one transaction with its logboek line). Raises PlanError
    (field errors) or Conflict (the choice changed meanwhile, e.g. in another tab)."""
    if user.person_id is None:
        raise PlanError(_("Alleen een inwoner kiest e-mailmeldingen."))
    email = (email or "").strip() or None
    if soorten and email is None:
        raise PlanError(_("Vul het e-mailadres in waarop u de meldingen wilt krijgen."), "email")
    voorkeur = voorkeur_van(user)
    if voorkeur is not None and expected_version is not None:
        if voorkeur.version != expected_version:
            raise Conflict(voorkeur)
    elif voorkeur is not None and expected_version is None:
        raise Conflict(voorkeur)
    nieuw = voorkeur is None
    if voorkeur is None:
        voorkeur = Meldingvoorkeur(user_id=user.id, person_id=user.person_id)
        session.add(voorkeur)
    aangezet = {s for s in soorten if not (voorkeur.aan(s) and not nieuw)}
    voorkeur.email = email
    for soort in SOORTEN:
        setattr(voorkeur, soort, soort in soorten)
    voorkeur.gewijzigd_op = now()
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(voorkeur) from exc
    for soort in aangezet:
        _begin(user, soort)
    autorisaties._log_besluit(
        person_id=user.person_id,
        actor=user,
        name="zeggenschap.meldingen",
        action="create" if nieuw else "update",
        categories=(Gegevenscategorie.INSTELLINGEN, Gegevenscategorie.CONTACT),
        obj=f"meldingvoorkeur:{voorkeur.id}",
    )
    return voorkeur


def _stand(user_id: int, soort: str) -> Meldingstand:
    stand = session.scalars(
        select(Meldingstand).where(Meldingstand.user_id == user_id, Meldingstand.soort == soort)
    ).first()
    if stand is None:
        stand = Meldingstand(user_id=user_id, soort=soort, gezien="", sinds=now())
        session.add(stand)
    return stand


def _begin(user: User, soort: str) -> None:
    """A kind switched on starts from now: what is there already is not announced."""
    stand = _stand(user.id, soort)
    stand.sinds = now()
    stand.gezien = ",".join(sorted(_bekend(user, soort, stand)))
    session.flush()


# --- what is new --------------------------------------------------------------------------------


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _kijkers(user: User) -> set[str]:
    """Who (organisations and people, hashed) ever looked at the citizen's data or received it,
    as the citizen may see it in "Wie heeft mijn gegevens gezien": professionals and the people
    the citizen trusts; not the citizen's own use nor a household member's (that would tell
    one partner when the other logged in, see afscherming)."""
    toegang = logboek_regels_voor(user)
    if toegang is None:
        return set()
    filters = toegang.filter(LineFilter())
    if filters is None:
        return set()
    out: set[str] = set()
    before: int | None = None
    while True:
        page = current_logboek().page(session.connection(), filters, limit=500, before_seq=before)
        for line in page.lines:
            if line.kind not in ("inzage", "uitwisseling"):
                continue
            if line.actor_type == "burger" and line.actor_role != VERTROUWENSPERSOON:
                continue  # their own use, or a household member's (afscherming: never told)
            if line.kind == "inzage" and line.action != "view":
                continue
            out.add(_hash(f"{line.actor_organisation or ''}|{line.actor_id or line.actor_name}"))
        if page.next_before is None:
            return out
        before = page.next_before


def _signalen(user: User) -> set[str]:
    """The signals about the citizen they may see now (not forgotten, disclosure not deferred)."""
    ids = set(
        session.scalars(
            select(Vroegsignaal.id)
            .where(Vroegsignaal.person_id == user.person_id, Vroegsignaal.verwijderd_op.is_(None))
            .execution_options(audit_internal=True)
        )
    )
    verborgen = uitgesteld(ids).verborgen if ids else set()
    return {str(i) for i in ids - set(verborgen)}


def _bekend(user: User, soort: str, stand: Meldingstand) -> set[str]:
    if soort == INZAGE:
        return _kijkers(user)
    if soort == SIGNAAL:
        return _signalen(user)
    return set()  # messages: the watermark ``sinds``


def _nieuwe_berichten(user: User, sinds: dt.datetime) -> dt.datetime | None:
    """The time of the newest message for the citizen after ``sinds`` (not their own, not under
    beroepsgeheim), or None."""
    return session.execute(
        select(Bericht.created_at)
        .join(Gesprek, Gesprek.id == Bericht.gesprek_id)
        .join(Plan, Plan.id == Bericht.plan_id)
        .where(
            Plan.person_id == user.person_id,
            Gesprek.soort.in_((SOORT_PLAN, SOORT_INWONER)),
            Bericht.beroepsgeheim.is_(False),
            Bericht.author_id != user.id,
            Bericht.created_at > sinds,
        )
        .order_by(Bericht.created_at.desc())
        .limit(1)
        .execution_options(audit_internal=True)
    ).scalar()


# --- sending ------------------------------------------------------------------------------------


@dataclass
class Resultaat:
    verzonden: int = 0
    mislukt: int = 0


def verstuur(moment: dt.datetime | None = None) -> Resultaat:
    """One run of the scheduled command; commits per citizen."""
    moment = moment or now()
    dag = moment.astimezone(TZ).date()
    result = Resultaat()
    voorkeuren = list(
        session.scalars(
            select(Meldingvoorkeur)
            .where(Meldingvoorkeur.email.is_not(None))
            .order_by(Meldingvoorkeur.id)
            .execution_options(audit_internal=True)
        )
    )
    for v in voorkeuren:
        user = session.get(User, v.user_id)
        if user is None or not user.active or user.person_id is None or v.email is None:
            continue
        kinds = [s for s in SOORTEN if v.aan(s)]
        nieuw: list[tuple[Meldingstand, str, dt.datetime]] = []
        for soort in kinds:
            stand = _stand(user.id, soort)
            if stand.verzonden_op == dag:
                continue  # at most once a day per kind; the news waits for tomorrow
            if soort == BERICHT:
                laatste = _nieuwe_berichten(user, stand.sinds)
                if laatste is not None:
                    nieuw.append((stand, "", laatste))
                continue
            bekend = set(filter(None, stand.gezien.split(",")))
            nu = _bekend(user, soort, stand)
            if nu - bekend:
                nieuw.append((stand, ",".join(sorted(nu | bekend)), moment))
        if not nieuw:
            session.commit()
            continue
        job = notify.opdracht(current_app.config, [v.email], "/mijn/")
        if job is None or not notify.send(replace(job, onderwerp=ONDERWERP, tekst=TEKST)):
            session.rollback()  # tried again at the next run
            result.mislukt += 1
            continue
        for stand, gezien, tot in nieuw:
            if stand.soort == BERICHT:
                stand.sinds = tot
            else:
                stand.gezien = gezien
            stand.verzonden_op = dag
        session.commit()
        result.verzonden += 1
    return result


# --- the command ----------------------------------------------------------------------------


notices_cli = AppGroup("notices", help="E-mailmeldingen aan inwoners (opt-in).")


@notices_cli.command("send")
def send_command() -> None:
    """Send the citizens' opt-in notices that are due. Idempotent; safe from cron."""
    result = verstuur()
    click.echo(json.dumps({"verzonden": result.verzonden, "mislukt": result.mislukt}))
