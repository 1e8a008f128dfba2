"""The logboek: its read API, the privacy officer's screens, the register of processing activities.

What the privacy officer reads is itself logged: one line per person whose lines were shown,
under ``toezicht-logboek``, category ``logboek``. The routes here read the world's own lines
(``World.logboek_trace``, ``World.logboek_seqs``: about Anna and Dirk), which no other request
touches, so the expected lines do not depend on what other tests wrote.
"""

from __future__ import annotations

from tests.routes.facts import CITIZENS, PERSON_NAME
from tests.routes.spec import Case, Line, RouteSpec
from tests.support.world import BSN

PRIVACY = {"privacy1"}


def reading(*persons: str) -> list[Line]:
    return [Line(p, "view", frozenset({"logboek"})) for p in persons]


def privacy_only(c: Case) -> bool:
    return c.user in PRIVACY


def privacy_or_citizen(c: Case) -> bool:
    """The read API: the privacy officer reads all lines; a citizen only their own (unlogged)."""
    return c.user in PRIVACY or c.user in CITIZENS


def no_bsns(w, c):  # type: ignore[no-untyped-def]
    return list(BSN.values())


def no_citizen_data(w, c):  # type: ignore[no-untyped-def]
    """The privacy officer sees pseudonyms, never names, BSNs or plan content."""
    return [*BSN.values(), *PERSON_NAME.values(), "Schuldenoverzicht maken", "Teststraat"]


REVIEW = {"conclusie": "rechtmatig", "toelichting": "Waarneming afgesproken met de teamleider."}


ROUTES = [
    # --- read API ----------------------------------------------------------------------------
    RouteSpec(
        "api.dataverwerkingen",
        "GET",
        lambda w, c: f"/api/v1/dataverwerkingen?traceId={w.logboek_trace}",
        kind="api",
        has_object=False,
        allowed=privacy_or_citizen,
        denied_status=403,
        # A citizen's reading of their own lines is no inzage by someone else: no line.
        lines=lambda w, c: reading("anna", "dirk") if privacy_only(c) else [],
        must_show=lambda w, c: (
            ["dpl.core.data_subject_id", w.pseudonyms["dirk"], "Waarneming"]
            if privacy_only(c)
            else ([w.pseudonyms["anna"]] if c.user == "anna" else [])
        ),
        must_not_show=lambda w, c: [
            *no_bsns(w, c),
            *([] if privacy_only(c) else [w.pseudonyms["dirk"]]),
            *([w.pseudonyms["anna"]] if c.user == "truus" else []),
        ],
    ),
    RouteSpec(
        "api.dataverwerkingen_zoeken",
        "POST",
        lambda w, c: "/api/v1/dataverwerkingen/_zoek",
        kind="api",
        has_object=False,
        allowed=privacy_or_citizen,
        denied_status=403,
        body=lambda w, c: {"bsn": BSN["dirk"]},
        # A citizen asking for someone else's lines gets an empty page, and nothing is logged.
        lines=lambda w, c: reading("dirk") if privacy_only(c) else [],
        must_show=lambda w, c: [w.pseudonyms["dirk"]] if privacy_only(c) else [],
        must_not_show=lambda w, c: [
            *no_bsns(w, c),
            *([] if privacy_only(c) else [w.pseudonyms["dirk"]]),
        ],
    ),
    RouteSpec(
        "ldv.processing_activities",
        "POST",
        lambda w, c: "/api/ldv/v1/processing-activities",
        kind="api",
        has_object=False,
        allowed=privacy_or_citizen,
        denied_status=403,
        # The LDV read extension's own body: the BSN in the body, never in the URL.
        body=lambda w, c: {
            "dpl.core.data_subject_id": BSN["dirk"],
            "dpl.core.data_subject_id_type": "BSN",
        },
        lines=lambda w, c: reading("dirk") if privacy_only(c) else [],
        must_show=lambda w, c: (
            [w.pseudonyms["dirk"], "processingActivities"]
            if privacy_only(c)
            else ["processingActivities"]
        ),
        must_not_show=lambda w, c: [
            *no_bsns(w, c),
            *([] if privacy_only(c) else [w.pseudonyms["dirk"]]),
        ],
    ),
    # --- the privacy officer's screens -------------------------------------------------------
    RouteSpec(
        "privacy.overzicht",
        "GET",
        lambda w, c: "/privacy/",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: [],  # indicators name staff, not persons
        query={
            "van": ("", "2026-01-01", "01-02-2026"),
            "tot": ("", "2026-01-01", "01-02-2026"),
            "toon": ("open", "alle"),
        },
        must_show=lambda w, c: ["Logboekcontrole", "Noodtoegang", "Regina Eerste"],
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.zoeken",
        "GET",
        lambda w, c: f"/privacy/logboek?trace={w.logboek_trace}",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: reading("anna", "dirk"),
        query={
            "bsn": ("",),
            # a name in the address is taken out by a redirect, as a BSN is
            "medewerker": ("",),
            "kiezen": ("", "de"),
            "gebruiker": ("", "1", "system"),
            "organisatie": ("", "1"),
            "verwerking": ("",),
            "van": ("", "2026-01-01", "01-02-2026"),
            "tot": ("", "2026-01-01", "01-02-2026"),
            "noodtoegang": ("", "y"),
            "persoon": ("", "0" * 64),
            "trace": ("", "0" * 32),
            "span": ("", "0" * 16),
            "voor": ("", "1", "100"),
        },
        must_show=lambda w, c: ["Waarneming", "Gerda GGZ", w.pseudonyms["dirk"][:8]],
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.zoeken",
        "POST",
        lambda w, c: "/privacy/logboek",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        body=lambda w, c: {"bsn": BSN["dirk"]},
        lines=lambda w, c: reading("dirk"),
        # Dirk's lines (by his pseudonym): in the matrix's shared copy other cases add lines
        # about him, so one particular old line need not be on the first page.
        must_show=lambda w, c: [w.pseudonyms["dirk"][:8]],
        # The typed BSN stays in its field; nothing else about the person is shown.
        must_not_show=lambda w, c: [*PERSON_NAME.values(), "Teststraat"],
    ),
    RouteSpec(
        "privacy.regel",
        "GET",
        lambda w, c: f"/privacy/regels/{w.logboek_seqs['nood_dirk']}",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: reading("dirk"),
        must_show=lambda w, c: ["Waarneming", w.pseudonyms["dirk"], "Noodtoegang"],
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.regel_beoordelen",
        "POST",
        lambda w, c: f"/privacy/regels/{w.logboek_seqs['nood_dirk']}/beoordelen",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: REVIEW,
        lines=lambda w, c: [],  # a redirect shows nothing
    ),
    RouteSpec(
        "privacy.zaak",
        "GET",
        lambda w, c: (
            "/privacy/zaak?soort=buiten-betrokkenheid&regels="
            f"{w.logboek_seqs['ggz_anna']},{w.logboek_seqs['nood_dirk']}"
        ),
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: reading("anna", "dirk"),
        must_show=lambda w, c: ["Inzage buiten betrokkenheid", "Gerda GGZ"],
        query={
            "soort": ("buiten-betrokkenheid", "noodtoegang"),
            "regels": ("1", "1,2", "2,3,4"),
        },
        must_not_show=no_citizen_data,
    ),
    RouteSpec(
        "privacy.zaak",
        "POST",
        lambda w, c: "/privacy/zaak",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {
            **REVIEW,
            "soort": "noodtoegang",
            "regels": str(w.logboek_seqs["nood_dirk"]),
        },
        lines=lambda w, c: [],
    ),
    RouteSpec(
        "privacy.beoordelingen",
        "GET",
        lambda w, c: "/privacy/beoordelingen",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Beoordelingen"],
    ),
    # Safety marks (afscherming): none in the world, so no lines.
    RouteSpec(
        "privacy.afschermingen",
        "GET",
        lambda w, c: "/privacy/afschermingen",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Afschermingen"],
    ),
    # Tombstones of what `flask retention run` destroyed: no personal data, so no lines.
    RouteSpec(
        "vernietiging.overzicht",
        "GET",
        lambda w, c: "/privacy/vernietigingen/",
        has_object=False,
        allowed=privacy_only,
        denied_status=403,
        lines=lambda w, c: [],
        query={"voor": ("", "1")},
        must_show=lambda w, c: ["Vernietigd na de bewaartermijn"],
        must_not_show=no_citizen_data,
    ),
]


# --- the register of processing activities (no personal data: no lines) -----------------------

BEHEER = {"beheer1"}
REGISTER_READERS = {"beheer1", "privacy1"}
REGISTER = "/beheer/verwerkingsregister"


def activity_form(w, c):  # type: ignore[no-untyped-def]
    return {
        "naam": "Regie op multiprobleemsituaties",
        "doel": "Huishoudens samenhangend helpen.",
        "grondslag": "Wettelijke taak (AVG art. 6 lid 1 sub e).",
        "wettelijke_verwijzing": "Wmo 2015 art. 5.2.1",
        "categorieen": ["bsn", "naw", "plan"],
        "ontvangers": "regisseur\nbetrokken hulpverleners",
        "bewaartermijn": "7 jaar na afsluiten",
        "versie": "1",
    }


ROUTES += [
    RouteSpec(
        "verwerkingsregister.lijst",
        "GET",
        lambda w, c: f"{REGISTER}/",
        has_object=False,
        allowed=lambda c: c.user in REGISTER_READERS,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Regie op multiprobleemsituaties", "toezicht-logboek"],
    ),
    RouteSpec(
        "verwerkingsregister.activiteit",
        "GET",
        lambda w, c: f"{REGISTER}/regie-multiproblematiek",
        has_object=False,
        allowed=lambda c: c.user in REGISTER_READERS,
        denied_status=403,
        lines=lambda w, c: [],
        must_show=lambda w, c: ["Versie 1", "Wmo 2015"],
    ),
    RouteSpec(
        "verwerkingsregister.wijzigen",
        "GET",
        lambda w, c: f"{REGISTER}/regie-multiproblematiek/wijzigen",
        has_object=False,
        allowed=lambda c: c.user in BEHEER,
        denied_status=403,
        lines=lambda w, c: [],
    ),
    RouteSpec(
        "verwerkingsregister.wijzigen",
        "POST",
        lambda w, c: f"{REGISTER}/regie-multiproblematiek/wijzigen",
        has_object=False,
        allowed=lambda c: c.user in BEHEER,
        denied_status=403,
        ok_status=302,
        mutates=True,
        body=activity_form,
        lines=lambda w, c: [],
    ),
    RouteSpec(
        "verwerkingsregister.nieuw",
        "GET",
        lambda w, c: f"{REGISTER}/nieuw",
        has_object=False,
        allowed=lambda c: c.user in BEHEER,
        denied_status=403,
        lines=lambda w, c: [],
    ),
    RouteSpec(
        "verwerkingsregister.nieuw",
        "POST",
        lambda w, c: f"{REGISTER}/nieuw",
        has_object=False,
        allowed=lambda c: c.user in BEHEER,
        denied_status=403,
        ok_status=302,
        mutates=True,
        body=lambda w, c: {**activity_form(w, c), "sleutel": "proef-activiteit", "versie": ""},
        lines=lambda w, c: [],
    ),
]
