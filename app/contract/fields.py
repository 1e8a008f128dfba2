"""Field types of the API contract, and pydantic's validation errors as ``invalidParams``.

A field's type says both what the OpenAPI document shows and what the server accepts (pydantic
derives the JSON Schema and the validation from the same annotation). What a client reads when
its input does not fit is Dutch, per kind of error: a default per kind below, or a
:class:`Reden` on the field where the field says it otherwise.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Union

from flask_babel import gettext as _
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError, core_schema

from app.i18n import N_
from app.people.services import InvalidBSN, normalise_bsn

MAX_ID = 2_147_483_647  # ids and versions are 32-bit integers
MAX_PAGE = 100_000

# Patterns the document shows, and what a client reads when its text does not match one.
NO_NUL = "^[^\\x00]*$"
NOT_BLANK = "^[^\\x00]*[^\\s\\x00][^\\x00]*$"
BSN_PATTERN = "^[0-9]{9}$"
HEX32 = "^[0-9a-f]{32}$"

Reason = tuple[str, str]  # (code, reason)
CUSTOM = frozenset(
    {"bsn", "enum", "minProperties"}
)  # codes of the errors the checks below raise themselves
Rule = Reason | Callable[[Any], Reason]


@dataclass(frozen=True)
class Reden:
    """What a client reads when this field does not fit, per kind of error (code, reason), or a
    function of the value sent. Unset kinds use the defaults of :func:`_default`."""

    type: Rule | None = None
    range: Rule | None = None
    pattern: Rule | None = None
    enum: Rule | None = None
    unknown: Rule | None = None
    required: Rule | None = None


class Schema(BaseModel):
    """A JSON object of the API: camelCase names, nothing coerced (``"3"`` is no integer)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, strict=True, frozen=True
    )


class Query(BaseModel):
    """Query parameters: text by nature, so numbers are read from text."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


def _nul_or_required(value: Any) -> Reason:
    if isinstance(value, str) and "\x00" in value:
        return ("pattern", _("Tekst zonder NUL-tekens."))
    return ("required", _("Verplicht veld."))


PATTERN_REASONS: dict[str, Rule] = {
    NO_NUL: ("pattern", N_("Tekst zonder NUL-tekens.")),
    NOT_BLANK: _nul_or_required,
    BSN_PATTERN: ("bsn", N_("Een BSN heeft precies 9 cijfers.")),
}


def _bsn(value: str) -> str:
    try:
        return normalise_bsn(value)
    except InvalidBSN as exc:
        raise PydanticCustomError("bsn", str(exc)) from None


@dataclass(frozen=True)
class Text:
    """``Annotated[str, Text(200)]``: text without NUL characters, at most so long;
    ``required``: at least one character that is not a space."""

    max_length: int
    required: bool = False

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.str_schema(
            max_length=self.max_length,
            pattern=NOT_BLANK if self.required else NO_NUL,
            strict=True,
        )


@dataclass(frozen=True)
class OneOf:
    """``Annotated[str, OneOf(values)]``: one of these values (the document's ``enum``)."""

    values: tuple[str, ...]
    reason: str | None = None

    def __init__(self, values: Any, reason: str | None = None) -> None:
        object.__setattr__(self, "values", tuple(str(v) for v in values))
        object.__setattr__(self, "reason", reason)

    def _check(self, value: str) -> str:
        if value not in self.values:
            raise PydanticCustomError(
                "enum", self.reason or _("Een van: %(waarden)s", waarden=", ".join(self.values))
            )
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return core_schema.no_info_after_validator_function(
            self._check, core_schema.str_schema(strict=True)
        )

    def __get_pydantic_json_schema__(self, schema: Any, handler: Any) -> Any:
        return {"type": "string", "enum": list(self.values)}


Bsn = Annotated[
    str,
    Field(
        pattern=BSN_PATTERN,
        json_schema_extra={
            "format": "bsn",
            "description": "Burgerservicenummer: 9 cijfers die voldoen aan de 11-proef.",
        },
    ),
    AfterValidator(_bsn),
]


def _integral(value: Any) -> Any:
    """JSON has one number type: 3.0 is the integer 3 (as JSON Schema says)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


INTEGRAL = BeforeValidator(_integral)  # last in Annotated[int, Field(…), INTEGRAL]
Id = Annotated[int, Field(ge=1, le=MAX_ID), INTEGRAL]
Version = Annotated[int, Field(ge=0, le=MAX_ID), INTEGRAL]
PathId = Annotated[int, Field(ge=0, le=MAX_ID)]


def absent(**kwargs: Any) -> Any:
    """The default of a field a client may leave out (but not send as ``null``)."""
    return Field(default=None, **kwargs)


class Link(Schema):
    href: str


# --- pydantic's errors as invalidParams -----------------------------------------------------

_KIND = {
    "missing": "required",
    "string_too_short": "required",
    "string_too_long": "length",
    "string_pattern_mismatch": "pattern",
    "string_unicode": "pattern",
    "literal_error": "enum",
    "enum": "enum",
    "greater_than_equal": "range",
    "less_than_equal": "range",
    "greater_than": "range",
    "less_than": "range",
    "extra_forbidden": "unknown",
}


def _field(model: type[BaseModel], loc: tuple[int | str, ...]) -> Any:
    """The FieldInfo at ``loc`` (alias names) in ``model``, or None."""
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int) or not (
            isinstance(current, type) and issubclass(current, BaseModel)
        ):
            continue
        info = next(
            (f for n, f in current.model_fields.items() if (f.alias or n) == part or n == part),
            None,
        )
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return info


def _unwrap(annotation: Any) -> Any:
    """``X | None`` → ``X``; ``list[X]`` → ``X``."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _unwrap(args[0]) if len(args) == 1 else annotation
    if origin is list:
        return _unwrap(typing.get_args(annotation)[0])
    return annotation


def _bounds(info: Any) -> tuple[Any, Any]:
    """``ge`` and ``le`` of the field, also where they sit in ``Annotated[int, …] | None``."""
    found = list(getattr(info, "metadata", ()))
    for arg in typing.get_args(getattr(info, "annotation", None)):
        found += list(getattr(arg, "__metadata__", ()))
    low = high = None
    for item in found:
        for m in (item, *getattr(item, "metadata", ())):
            low = getattr(m, "ge", low)
            high = getattr(m, "le", high)
    return low, high


def _default(model: type[BaseModel], kind: str, error: Any, info: Any) -> Reason:
    ctx = error.get("ctx") or {}
    if kind == "required":
        return ("required", _("Verplicht veld."))
    if kind == "length":
        return ("maxLength", _("Hooguit %(n)s tekens.", n=ctx.get("max_length")))
    if kind == "pattern":
        if error["type"] == "string_unicode":
            return ("pattern", _("Geen geldige Unicode-tekst."))
        rule = PATTERN_REASONS.get(str(ctx.get("pattern")))
        if rule is not None:
            return rule(error.get("input")) if callable(rule) else rule
        return ("pattern", _("Voldoet niet aan het patroon %(p)s.", p=ctx.get("pattern")))
    if kind == "enum":
        return ("enum", _("Een van: %(waarden)s", waarden=str(ctx.get("expected", ""))))
    if kind == "range":
        low, high = _bounds(info)
        return ("range", _("Een geheel getal van %(low)s tot en met %(high)s.", low=low, high=high))
    if kind == "unknown":
        return getattr(model, "UNKNOWN_FIELD", ("unknown", _("Onbekend veld.")))
    kind_of = error["type"]
    if kind_of.startswith("date"):
        return ("date", _("Een datum als JJJJ-MM-DD."))
    if kind_of.startswith("int"):
        return ("integer", _("Een geheel getal verwacht."))
    if kind_of.startswith("bool"):
        return ("boolean", _("true of false."))
    if kind_of.startswith(("string", "str")):
        return ("string", _("Tekst verwacht."))
    if kind_of in ("dict_type", "model_type", "model_attributes_type"):
        return ("object", _("Een JSON-object verwacht."))
    return ("invalid", _("Ongeldige waarde."))


def params(model: type[BaseModel], exc: ValidationError) -> list[dict[str, str]]:
    """pydantic's errors as ``invalidParams``: the field's name as the client sent it (a field
    inside an object by its own name, as before), a code and a Dutch reason."""
    out: list[dict[str, str]] = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        names = [str(p) for p in loc if isinstance(p, str)]
        name = names[-1] if names else "body"
        info = _field(model, loc)
        if error["type"] in CUSTOM:  # raised by a field's own check, with its own reason
            out.append({"name": name, "code": error["type"], "reason": str(error["msg"])})
            continue
        kind = _KIND.get(error["type"], "type")
        if not loc and kind == "type":
            out.append({"name": "body", "code": "invalid", "reason": _("Stuur een JSON-object.")})
            continue
        if kind == "type" and error.get("input", 0) is None:
            kind = "required"  # null for a field that must hold something
        reden = next((m for m in getattr(info, "metadata", ()) if isinstance(m, Reden)), None)
        rule = getattr(reden, kind, None) if reden is not None else None
        if rule is None and kind == "length" and reden is not None:
            rule = reden.type
        code, reason = (
            (rule(error.get("input")) if callable(rule) else rule)
            if rule is not None
            else _default(model, kind, error, info)
        )
        # a reason kept as a constant is a Dutch msgid: shown in the request's language
        out.append({"name": name[:100], "code": code, "reason": _(str(reason))})
    return out
