"""The problem+json bodies (RFC 9457) of Eenplan's APIs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.contract.fields import Schema


class InvalidParam(Schema):
    name: str
    code: str
    reason: str


class Problem(Schema):
    """``/api/v1``: ``invalidParams`` names the fields (NL API Design Rules)."""

    type: str | None = None
    title: str
    status: int
    detail: str | None = None
    invalid_params: list[InvalidParam] | None = None


class ProbleemFout(Schema):
    in_: Literal["body", "query"] = Field(alias="in")
    location: str
    code: str
    detail: str


class Probleem(Schema):
    """application/problem+json, in de vorm van ProblemJson van de standaard."""

    type: str | None = None
    title: str
    status: int
    detail: str | None = None
    errors: list[ProbleemFout] | None = None
