"""The API's JSON shapes of persons, plans, activities and gezinslinks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import url_for

from app import access
from app.people.models import Person
from app.plans.models import Activity, Gezinslink, Plan
from app.users.models import User


def person_json(p: Person) -> dict[str, Any]:
    return {
        "id": p.id,
        "bsn": p.bsn,
        "voornamen": p.voornamen,
        "tussenvoegsel": p.tussenvoegsel,
        "achternaam": p.achternaam,
        "geboortedatum": p.geboortedatum.isoformat(),
        "adres": {
            "straat": p.straat,
            "huisnummer": p.huisnummer,
            "huisnummertoevoeging": p.huisnummer_toevoeging,
            "postcode": p.postcode,
            "woonplaats": p.woonplaats,
        },
        "_links": {"self": {"href": url_for("api.persoon", person_id=p.id)}},
    }


def plan_summary_json(p: Plan, *, with_basis: bool) -> dict[str, Any]:
    out = {
        "id": p.id,
        "status": p.status,
        "persoon": {"id": p.person.id, "naam": p.person.naam},
        "regisseur": {"id": p.regisseur.id, "naam": p.regisseur.name},
        "gewijzigdOp": p.updated_at.isoformat(),
        "version": p.version,
        "_links": {"self": {"href": url_for("api.plan", plan_id=p.id)}},
    }
    if with_basis:  # only a regisseur's list carries the basis (see access.plan_list_options)
        out["basis"] = p.basis
    return out


def _regisseur_json(reg: User) -> dict[str, Any]:
    return {
        "id": reg.id,
        "naam": reg.name,
        "organisatie": reg.organisation.name if reg.organisation else None,
        "telefoon": reg.phone,
        "email": reg.email,
    }


def plan_geen_inzage_json(t: access.PlanToegang) -> dict[str, Any]:
    """ "Geen inzage": that the plan exists, its status, and who the regisseur is."""
    p = t.plan
    return {
        "id": p.id,
        "status": p.status,
        "inzage": access.NIVEAU_GEEN,
        "persoon": {
            "id": p.person.id,
            "naam": p.person.naam,
            "geboortedatum": p.person.geboortedatum.isoformat(),
        },
        "regisseur": _regisseur_json(p.regisseur),
        "mandaat": {"id": p.mandaat.id, "omschrijving": p.mandaat.label} if p.mandaat else None,
        "version": p.version,
        "_links": {"self": {"href": url_for("api.plan", plan_id=p.id)}},
    }


def plan_json(t: access.PlanToegang) -> dict[str, Any]:
    if not t.sees_content:
        return plan_geen_inzage_json(t)
    p = t.plan
    return {
        "id": p.id,
        "status": p.status,
        "basis": p.basis,
        # Basis multiproblematiek without the afweging that established it (from before
        # issue 13): true until step 4 of an afweging for the person is recorded.
        "wegingOntbreekt": p.weging_ontbreekt,
        "persoon": person_json(p.person),
        "regisseur": _regisseur_json(p.regisseur),
        "mandaat": {"id": p.mandaat.id, "omschrijving": p.mandaat.label} if p.mandaat else None,
        "afsluitreden": p.closed_reason,
        "afgeslotenOp": p.closed_at.isoformat() if p.closed_at else None,
        "aangemaaktOp": p.created_at.isoformat(),
        "gewijzigdOp": p.updated_at.isoformat(),
        "version": p.version,
        "_links": {
            "self": {"href": url_for("api.plan", plan_id=p.id)},
            "activiteiten": {"href": url_for("api.activiteiten", plan_id=p.id)},
            "gezinslinks": {"href": url_for("api.gezinslinks", plan_id=p.id)},
        },
    }


def activity_json(a: Activity, mode: str, day: dt.date) -> dict[str, Any]:
    """An activity as the user may see it: ``vol``, ``zonder-toelichting`` (the remark is under
    beroepsgeheim) or ``buitenkant`` (organisation, kind, period, status)."""
    out: dict[str, Any] = {
        "id": a.id,
        "planId": a.plan_id,
        "aard": a.aard,
        "uitvoerderSoort": a.uitvoerder_soort,
        "organisatie": {"id": a.organisation.id, "naam": a.organisation.name}
        if a.organisation
        else None,
        "startdatum": a.start_date.isoformat(),
        "einddatum": a.end_date.isoformat() if a.end_date else None,
        "afgerond": a.afgerond,
        "afgerondOp": a.afgerond_op.isoformat() if a.afgerond_op else None,
        "status": a.status(day).value,
        "version": a.version,
        "_links": {
            "self": {"href": url_for("api.activiteit", plan_id=a.plan_id, activity_id=a.id)}
        },
    }
    if mode in (access.VOL, access.ZONDER_TOELICHTING):
        out.update(omschrijving=a.omschrijving, uitvoerderContact=a.uitvoerder_contact)
    if mode == access.VOL:
        out.update(toelichting=a.toelichting, toelichtingBeroepsgeheim=a.toelichting_beroepsgeheim)
    return out


def link_json(link: Gezinslink, plan: Plan) -> dict[str, Any]:
    other = link.other(plan.person_id)
    return {
        "id": link.id,
        "persoon": {
            "id": other.id,
            "naam": other.naam,
            "geboortedatum": other.geboortedatum.isoformat(),
        },
        "relatie": link.relatie,
        "relatieOmschrijving": link.relatie_label_from(plan.person_id),
        "actief": link.actief,
        "gelegdOp": link.gelegd_op.isoformat(),
        "gelegdDoor": link.gelegd_door_naam,
        "verbrokenOp": link.verbroken_op.isoformat() if link.verbroken_op else None,
        "verbrokenDoor": link.verbroken_door_naam,
    }


def with_etag(resp: Any, version: int) -> Any:
    resp.headers["ETag"] = f'"{version}"'
    return resp
