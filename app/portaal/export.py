"""Mijn gegevens downloaden: everything Eenplan holds about the citizen, machine-readable
(AVG art. 15 and 20). The download itself is an exchange — from the municipality to the
citizen — and gets its own logboek line; household members named in it get view lines as on
the plan page (the ORM hooks see them)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import current_app

from app import access
from app.autorisaties import services as autorisaties
from app.autorisaties.models import NIVEAU_KORT, RELATIES_VERTROUWENSPERSOON
from app.clock import now
from app.db import session
from app.domain import ACTIE_LABELS, CATEGORIEEN, Gegevenscategorie, Verwerkingsactiviteit
from app.logboek import current_ledger, current_logboek, ldv
from app.signalen.status import afwegingen_voor_inwoner, signalen_over_inwoner
from app.signalen.verwijderd import verwijderde_signalen
from app.users.models import User
from audit import Entry, LineFilter, Subject

VERWERKING = Verwerkingsactiviteit.INZAGE_BETROKKENE
FORMAT = "eenplan-inzage/1"
EXPORT_CATEGORIES = (
    Gegevenscategorie.BSN,
    Gegevenscategorie.NAW,
    Gegevenscategorie.CONTACT,
    Gegevenscategorie.PLAN,
    Gegevenscategorie.ACTIVITEITEN,
    Gegevenscategorie.OPMERKINGEN,
    Gegevenscategorie.GEZIN,
    Gegevenscategorie.INSTELLINGEN,
    Gegevenscategorie.SIGNALEN,
    Gegevenscategorie.LOGBOEK,
)
MAX_LINES = 100_000


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _log_lines(toegang: access.LogboekToegang) -> list[dict[str, Any]]:
    narrowed = toegang.filter(LineFilter())
    if narrowed is None:
        return []
    out: list[dict[str, Any]] = []
    before: int | None = None
    while len(out) < MAX_LINES:
        page = current_logboek().page(session.connection(), narrowed, limit=1000, before_seq=before)
        for line in toegang.toon(page.lines):
            item = ldv.record(line)
            item["uitleg"] = {
                "wanneer": _iso(line.occurred_at),
                "wie": line.actor_name,
                "rol": line.actor_role,
                "organisatie": line.actor_organisation,
                "namens": line.actor_mandate,
                "wat": ACTIE_LABELS.get(line.action, line.action),
                "gegevens": [CATEGORIEEN.get(c, c) for c in line.data_categories],
                "doel": line.purpose,
                "grondslag": line.legal_basis,
                "reden": line.reason,
                "later_getoond_vanaf": _iso(line.disclose_after),
                "waarom_later": line.deferral_reason,
            }
            out.append(item)
        if page.next_before is None:
            break
        before = page.next_before
    return out


def gegevens(user: User, toegang: access.PlanToegang) -> dict[str, Any]:
    """The export as a JSON-ready dict."""
    plan = toegang.plan
    person = plan.person
    lb_toegang = access.logboek_regels_voor(user)
    lines = _log_lines(lb_toegang) if lb_toegang is not None else []
    activiteiten = []
    for act, mode in toegang.activities():
        # The access layer decides whether the remark is hers to see (beroepsgeheim).
        show_remark = mode == access.VOL
        activiteiten.append(
            {
                "soort": act.aard_label,
                "omschrijving": act.omschrijving,
                "door": "huishouden"
                if act.door_huishouden
                else (act.organisation.name if act.organisation else None),
                "contact": act.uitvoerder_contact,
                "van": _iso(act.start_date),
                "tot": _iso(act.end_date),
                "klaar": act.afgerond,
                "klaar_op": _iso(act.afgerond_op),
                "toelichting": act.toelichting if show_remark else None,
            }
        )
    return {
        "formaat": FORMAT,
        "gemaakt_op": _iso(now()),
        "gemeente": current_app.config["EENPLAN_MUNICIPALITY"],
        "persoon": {
            "naam": person.naam,
            "bsn": person.bsn,
            "geboortedatum": _iso(person.geboortedatum),
            "adres": person.adres,
            "telefoon": person.telefoon,
            "email": person.email,
        },
        "plan": {
            "basis": plan.basis_label,
            "status": plan.status_label,
            "gemaakt_op": _iso(plan.created_at),
            "afgesloten_op": _iso(plan.closed_at),
            "regisseur": {
                "naam": plan.regisseur.name,
                "organisatie": plan.regisseur.organisation.name
                if plan.regisseur.organisation
                else None,
                "telefoon": plan.regisseur.phone,
                "email": plan.regisseur.email,
                "namens": plan.mandaat.label if plan.mandaat else None,
            },
        },
        "activiteiten": activiteiten,
        "opmerkingen": [
            {
                "door": c.author_name,
                "organisatie": c.author_organisation,
                "soort": c.soort,
                "tekst": c.body,
                "op": _iso(c.created_at),
                "antwoord_op": c.reply_to_id,
                "id": c.id,
            }
            for c in toegang.comments()
        ],
        "huishouden": [
            {
                "naam": link.other(plan.person_id).naam,
                "relatie": link.relatie_label_from(plan.person_id),
                "gekoppeld_op": _iso(link.gelegd_op),
                "verbroken_op": _iso(link.verbroken_op),
            }
            for link in toegang.household()
        ],
        "wie_mag_wat_zien": {
            "organisaties": [
                {
                    "organisatie": o.name,
                    "ziet": NIVEAU_KORT[access.niveau_van(plan.id, o.id)],
                }
                for o in autorisaties.involved_organisations(plan)
            ],
            "vertrouwenspersonen": [
                {
                    "naam": v.naam,
                    "relatie": RELATIES_VERTROUWENSPERSOON.get(v.relatie, v.relatie),
                    "van": _iso(v.geldig_van),
                    "tot": _iso(v.geldig_tot),
                    "gestopt_op": _iso(v.ingetrokken_op),
                }
                for v in autorisaties.vertrouwenspersonen_van(user)
            ],
        },
        "signalen": _signalen(person.id),
        "verwijderde_signalen": [v.json() for v in verwijderde_signalen(lb_toegang)],
        "afwegingen": _afwegingen(person.id),
        "logboek": lines,
        "uitwisselingen": [
            line for line in lines if line["attributes"]["eenplan.kind"] == "uitwisseling"
        ],
        "controlepunt": _controlepunt(lines),
    }


def _controlepunt(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """The newest signed checkpoint that covers every line in the download (a new one when the
    newest does not reach that far): a receipt. Should the logboek later be put back to an
    older state, this receipt shows it (`flask audit verify --anker <download>`)."""
    newest_seq = max((line["attributes"]["eenplan.seq"] for line in lines), default=0)
    cp = current_logboek().checkpoint_covering(session.connection(), newest_seq)
    return {
        **cp.to_dict(),
        "uitleg": (
            f"Een ondertekend controlepunt van het logboek: regel {cp.seq} had op "
            f"{_iso(cp.created_at)} deze vingerafdruk (line_hash), en de gemeente heeft dat met "
            "haar sleutel ondertekend (mac). Het dekt alle logboekregels in dit bestand. Wordt "
            "het logboek ooit teruggezet naar een eerdere stand, dan blijkt dat met dit bestand: "
            "`flask audit verify --anker` met dit bestand faalt dan."
        ),
    }


def _signalen(person_id: int) -> list[dict[str, Any]]:
    return [
        {
            **s,
            "signaaldatum": _iso(s["signaaldatum"]),
            "ontvangen_op": _iso(s["ontvangen_op"]),
            "later_zichtbaar": {
                "vanaf": _iso(s["later_zichtbaar"][0]),
                "waarom": s["later_zichtbaar"][1],
            }
            if s["later_zichtbaar"]
            else None,
        }
        for s in signalen_over_inwoner(person_id)
    ]


def _afwegingen(person_id: int) -> list[dict[str, Any]]:
    out = []
    for a in afwegingen_voor_inwoner(person_id):
        stappen = [{**st, "besloten_op": _iso(st["besloten_op"])} for st in a["stappen"]]
        out.append(
            {
                **a,
                "geopend_op": _iso(a["geopend_op"]),
                "gesloten_op": _iso(a["gesloten_op"]),
                "stappen": stappen,
            }
        )
    return out


def noteer_download(user: User, plan_id: int, name: str = "portaal.gegevens-downloaden") -> None:
    """The download is an exchange from the municipality to the citizen: one line about them.
    The readable document (``portaal.gegevens-document``) holds the same data: the same line."""
    ledger = current_ledger()
    bsn = autorisaties._bsn_of(user.person_id or 0)
    ledger.record(
        Entry(
            kind="uitwisseling",
            action="export",
            name=name,
            actor=autorisaties.inwoner_actor(user),
            subjects=(Subject("BSN", bsn),),
            processing_activity=VERWERKING,
            data_categories=EXPORT_CATEGORIES,
            trace=ledger.trace,
            object_type="plan",
            object_id=str(plan_id),
            sender=str(current_app.config["EENPLAN_MUNICIPALITY"]),
            recipient="de inwoner zelf (download)",
        )
    )
