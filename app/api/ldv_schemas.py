"""Logboek records as the standard *Logboek Dataverwerkingen* (read extension 1.1.0) shapes them,
and the envelopes and request bodies of the two APIs that serve them (``/api/v1/dataverwerkingen``
and ``/api/ldv/v1/processing-activities``), as pydantic models (:mod:`app.contract`)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.contract import Query, Reden, Schema
from app.contract.fields import INTEGRAL, Link, Text, absent

Hex16 = Annotated[str, Field(pattern="^[0-9a-f]{16}$")]
Uri = Annotated[str, Field(json_schema_extra={"format": "uri"})]


class ResourceAttributes(Schema):
    service_name: str = Field(alias="service.name")
    service_version: str = Field(alias="service.version")


class Resource(Schema):
    attributes: ResourceAttributes


class RecordAttributes(Schema):
    """The standard's ``dpl.core.*`` attributes and the local extension ``eenplan.*``
    (docs/logboek.md)."""

    processing_activity_id: Uri = Field(alias="dpl.core.processing_activity_id")
    data_subject_id: str | None = absent(alias="dpl.core.data_subject_id")
    data_subject_id_type: str | None = absent(alias="dpl.core.data_subject_id_type")
    processor: Uri | None = absent(alias="dpl.core.foreign_operation.processor")
    seq: int = Field(alias="eenplan.seq")
    kind: Literal["inzage", "uitwisseling"] = Field(alias="eenplan.kind")
    action: Literal["view", "create", "update", "delete", "export", "send", "receive"] = Field(
        alias="eenplan.action"
    )
    activity: str | None = absent(alias="eenplan.processing_activity")
    activity_version: int | None = absent(alias="eenplan.processing_activity_version")
    purpose: str | None = absent(alias="eenplan.purpose")
    legal_basis: str | None = absent(alias="eenplan.legal_basis")
    legal_reference: str | None = absent(alias="eenplan.legal_reference")
    actor_type: str | None = absent(alias="eenplan.actor.type")
    actor_id: str | None = absent(alias="eenplan.actor.id")
    actor_name: str | None = absent(alias="eenplan.actor.name")
    actor_role: str | None = absent(alias="eenplan.actor.role")
    actor_organisation: str | None = absent(alias="eenplan.actor.organisation")
    actor_mandate: str | None = absent(alias="eenplan.actor.mandate")
    object_type: str | None = absent(alias="eenplan.object.type")
    object_id: str | None = absent(alias="eenplan.object.id")
    data_categories: list[str] = Field(alias="eenplan.data_categories")
    reason: str | None = absent(alias="eenplan.reason")
    emergency: bool | None = absent(alias="eenplan.emergency")
    disclose_after: str | None = absent(alias="eenplan.disclose_after")
    deferral_reason: str | None = absent(alias="eenplan.deferral_reason")
    sender: str | None = absent(alias="eenplan.sender")
    recipient: str | None = absent(alias="eenplan.recipient")
    request_parent: str | None = absent(alias="eenplan.request.parent_span_id")


class Dataverwerking(Schema):
    """Eén logboekregel als record van de standaard Logboek Dataverwerkingen (ProcessingActivity
    van de extensie lezen 1.1.0). dpl.core.data_subject_id is het pseudoniem van de betrokkene,
    nooit een BSN; eenplan.* is de lokale extensie (docs/logboek.md)."""

    trace_id: Annotated[str, Field(json_schema_extra={"format": "uuid"})]
    span_id: Hex16
    parent_span_id: Hex16
    name: str
    start_time: Annotated[int, Field(json_schema_extra={"format": "int64"})]
    end_time: Annotated[int, Field(json_schema_extra={"format": "int64"})]
    status: Literal["Unset", "Ok", "Error"]
    resource: Resource
    attributes: RecordAttributes


class PageLinks(Schema):
    """next: dezelfde vraag voor de volgende (oudere) regels; ontbreekt als er geen zijn."""

    self: Link
    next: Link | None = None


class DataverwerkingenLijst(Schema):
    dataverwerkingen: list[Dataverwerking]


class DataverwerkingenPagina(Schema):
    embedded: DataverwerkingenLijst = Field(alias="_embedded")
    page_size: int
    links: PageLinks = Field(alias="_links")


# --- the standard's read API (/api/ldv/v1) ---------------------------------------------------

MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z
_MS = ("type", "Milliseconden sinds 1970-01-01T00:00:00Z (int64).")


def _text(n: int) -> Reden:
    reason = ("type", f"Een tekst van hoogstens {n} tekens.")
    return Reden(type=reason, pattern=reason, required=reason)


Millis = Annotated[
    int,
    Field(ge=0, le=MAX_MS, json_schema_extra={"format": "int64"}),
    INTEGRAL,
    Reden(type=_MS, range=_MS),
]


class ProcessingActivityRequest(Schema):
    """De vraag van de standaard (ProcessingActivityRequest): minstens één filter."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"minProperties": 1}, alias_generator=None
    )
    UNKNOWN_FIELD: ClassVar = ("unknown", "Dit veld kent de standaard niet.")

    @model_validator(mode="after")
    def _one_filter(self) -> ProcessingActivityRequest:
        if not self.model_fields_set:
            raise PydanticCustomError(
                "minProperties", "Geef minstens één filter mee, zo precies mogelijk."
            )
        return self

    processing_activity_id: Annotated[
        str, Text(500, required=True), Field(json_schema_extra={"format": "uri"}), _text(500)
    ] = absent(alias="dpl.core.processing_activity_id")
    data_subject_id: Annotated[str, Text(64, required=True), _text(64)] = absent(
        alias="dpl.core.data_subject_id"
    )
    data_subject_id_type: Annotated[str, Text(40, required=True), _text(40)] = absent(
        alias="dpl.core.data_subject_id_type"
    )
    processor: Annotated[
        str, Text(500, required=True), Field(json_schema_extra={"format": "uri"}), _text(500)
    ] = absent(alias="dpl.core.foreign_operation.processor")
    trace_id: Annotated[
        str,
        Field(max_length=36),
        Reden(type=("format", "Een trace-id: een uuid of 32 hexadecimale tekens.")),
    ] = absent(alias="traceId")
    start_time: Millis = absent(alias="startTime")
    end_time: Millis = absent(alias="endTime")


class LdvQuery(Query):
    page_size: Annotated[
        int, Field(ge=1, le=100), Reden(type=("range", "Een geheel getal van 1 tot en met 100."))
    ] = 50
    cursor: Annotated[
        int | None,
        Field(ge=1, le=2**62, description="Uit _links.next van het vorige antwoord."),
        Reden(type=("range", f"Een geheel getal van 1 tot en met {2**62}.")),
    ] = None


class Metadata(Schema):
    logbook_id: str
    organization_name: str


class ListProcessingActivities(Schema):
    metadata: Metadata
    processing_activities: list[Dataverwerking]
    links: PageLinks = Field(alias="_links")
