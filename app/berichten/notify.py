"""The optional e-mail that says "you have a new message" — and nothing else.

Off by default (``BERICHTEN_MAIL=1`` and ``BERICHTEN_SMTP_HOST`` switch it on). The mail holds
no content, no name, no plan: only that there is a new message and where to log in. It is sent
only after the message was committed (a rolled-back message sends nothing), from a background
thread so a slow mail server never holds up the page.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from babel import support
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import i18n_catalog
from app.i18n import N_
from app.security.tracing import outgoing_traceparent

log = logging.getLogger("eenplan.berichten")

# The recipient's language is not known here (a background thread, an address only): the mail
# is in Dutch, then in English (translations/en, docs/vertalen.md).
ONDERWERP = N_("Nieuw bericht in Eenplan")
TEKST = N_(
    "Goedendag,\n\n"
    "Er staat een nieuw bericht voor u klaar in Eenplan. Om uw privacy te beschermen staat de "
    "inhoud niet in deze e-mail.\n\n"
    "Log in om het bericht te lezen: %(url)s\n\n"
    "Dit is een automatisch bericht; u kunt er niet op antwoorden.\n"
)


def _engels() -> support.NullTranslations:
    return support.Translations.load(str(i18n_catalog.TRANSLATIONS), ["en"])


def onderwerp(nl: str = ONDERWERP) -> str:
    return f"{nl} / {_engels().gettext(nl)}"


def tekst(url: str, nl: str = TEKST) -> str:
    engels = _engels().gettext(nl)
    return f"{nl % {'url': url}}\n—\n\n{engels % {'url': url}}"


@dataclass(frozen=True)
class MailOpdracht:
    recipients: tuple[str, ...]
    host: str
    port: int
    user: str
    password: str
    starttls: bool
    sender: str
    url: str
    # The W3C trace of the request that sent the message, as a mail header: a mail system that
    # logs it can be followed back to Eenplan's logboek and application log by trace id.
    traceparent: str = ""
    # The subject and text (Dutch msgids, ``%(url)s`` filled in; sent in Dutch and English): by default the message notice; the citizen's
    # opt-in notices (app/portaal/meldingen.py) use their own, as content-free.
    onderwerp: str = ONDERWERP
    tekst: str = TEKST


def opdracht(config: dict[str, Any], recipients: list[str], url: str) -> MailOpdracht | None:
    if not config.get("BERICHTEN_MAIL") or not config.get("BERICHTEN_SMTP_HOST"):
        return None
    clean = tuple(sorted({r for r in recipients if r and "@" in r}))
    if not clean:
        return None
    return MailOpdracht(
        recipients=clean,
        host=config["BERICHTEN_SMTP_HOST"],
        port=int(config.get("BERICHTEN_SMTP_PORT") or 587),
        user=config.get("BERICHTEN_SMTP_USER") or "",
        password=config.get("BERICHTEN_SMTP_PASSWORD") or "",
        starttls=bool(config.get("BERICHTEN_SMTP_STARTTLS")),
        sender=config.get("BERICHTEN_MAIL_FROM") or "eenplan@localhost",
        url=(config.get("BERICHTEN_BASE_URL") or "").rstrip("/") + url,
        traceparent=outgoing_traceparent(),
    )


def queue(session: Session, job: MailOpdracht | None) -> None:
    """Send ``job`` once the session's transaction commits."""
    if job is not None:
        session.info.setdefault("berichten_mail", []).append(job)


def send(job: MailOpdracht) -> bool:
    """One mail per recipient (no recipient sees another's address); False when it failed."""
    try:
        with smtplib.SMTP(job.host, job.port, timeout=15) as smtp:
            if job.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if job.user:
                smtp.login(job.user, job.password)
            for rcpt in job.recipients:
                msg = EmailMessage()
                msg["Subject"] = onderwerp(job.onderwerp)
                msg["From"] = job.sender
                msg["To"] = rcpt
                if job.traceparent:
                    msg["traceparent"] = job.traceparent
                msg.set_content(tekst(job.url, job.tekst))
                smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("e-mailmelding niet verstuurd: %s", type(exc).__name__)
        return False
    return True


def _after_commit(session: Session) -> None:
    jobs = session.info.pop("berichten_mail", [])
    for job in jobs:
        threading.Thread(target=send, args=(job,), daemon=True, name="eenplan-mail").start()


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    if not getattr(previous_transaction, "nested", False):
        session.info.pop("berichten_mail", None)


def init_session_events(sessionmaker: Any) -> None:
    event.listen(sessionmaker, "after_commit", _after_commit)
    event.listen(sessionmaker, "after_soft_rollback", _after_soft_rollback)
