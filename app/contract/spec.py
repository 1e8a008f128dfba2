"""An API's contract, declared where its routes are: :meth:`Api.route` registers a Flask route
*and* records its operation — the pydantic models of its body, query and answers. The OpenAPI
document (:meth:`Api.document`) and the validation of every request (:func:`request_body`,
:func:`request_query`) are both made from those models, so they cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Blueprint, current_app, has_app_context, request
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from app.contract.fields import params

REF = "#/components/schemas/{model}"
M = TypeVar("M", bound=BaseModel)
F = TypeVar("F", bound=Callable[..., Any])

API_VERSION_HEADER = {
    "API-Version": {"schema": {"type": "string"}, "description": "Volledige versie van de API."}
}
ETAG_HEADER = {
    "ETag": {"schema": {"type": "string"}, "description": "Versie van het object, voor If-Match."}
}
# ADR /core/doc-openapi-contact: name, e-mail and URL (overridden from the configuration
# where a document is served: EENPLAN_API_CONTACT_NAME, _EMAIL, _URL).
CONTACT = {
    "name": "Functioneel beheer Eenplan",
    "email": "eenplan@gemeente.example",
    "url": "https://eenplan.gemeente.example/api",
}
_RULE_ARG = re.compile(r"<(?:([a-z]+):)?([a-z_]+)>")


_DECLARED: dict[tuple[str, str], Operation] = {}


def _current() -> Operation | None:
    """The operation of the request being answered (HEAD is GET's)."""
    method = "get" if request.method == "HEAD" else request.method.lower()
    return _DECLARED.get((request.endpoint or "", method))


def _declared(model: type[BaseModel], part: str) -> None:
    """A route reads its input only as its contract says (else the document would lie)."""
    op = _current()
    assert op is not None and getattr(op, part) is model, (request.endpoint, model)


class InvalidInput(Exception):
    """A request that does not fit its contract: ``params`` as ``invalidParams``, ``where``
    ``body`` or ``query``. Each API answers it in its own problem+json shape."""

    def __init__(self, items: list[dict[str, str]], where: str = "body", status: int = 400) -> None:
        super().__init__("invalid input")
        self.params = items
        self.where = where
        self.status = status


class _Generator(GenerateJsonSchema):
    """Schemas without a generated title on every property (the names say it)."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


@dataclass(frozen=True)
class Answer:
    """One documented answer: its description, and the model(s) of its body (several: oneOf)."""

    description: str
    model: type[BaseModel] | tuple[type[BaseModel], ...] | None = None
    headers: dict[str, Any] = field(default_factory=dict)
    media_type: str = "application/json"


@dataclass(frozen=True)
class PathParam:
    name: str
    type: Any
    description: str | None = None


@dataclass
class Operation:
    path: str
    method: str
    endpoint: str
    spec: dict[str, Any]
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    answers: dict[int, Answer]
    errors: tuple[str, ...]
    path_args: list[str]


@dataclass
class Api:
    """One API Eenplan serves (``/api/v1``, ``/api/ldv/v1``, …) and its document."""

    prefix: str
    info: dict[str, Any]
    problem: type[BaseModel]
    error_texts: dict[str, str]
    default_errors: tuple[str, ...]
    path_params: dict[str, PathParam] = field(default_factory=dict)
    security: list[dict[str, list[str]]] | None = None
    security_schemes: dict[str, Any] = field(default_factory=dict)
    operations: list[Operation] = field(default_factory=list)

    def route(
        self,
        bp: Blueprint,
        rule: str,
        method: str,
        *,
        operation_id: str,
        ok: dict[int, Answer],
        summary: str | None = None,
        description: str | None = None,
        body: type[BaseModel] | None = None,
        raw_body: dict[str, Any] | None = None,
        query: type[BaseModel] | None = None,
        errors: tuple[str, ...] = (),
        headers: tuple[dict[str, Any], ...] = (),
        security: list[dict[str, list[str]]] | None = None,
    ) -> Callable[[F], F]:
        """``bp.route(rule, methods=[method])``, and the operation in this API's document."""
        full = (bp.url_prefix or "") + rule
        path_args = [m.group(2) for m in _RULE_ARG.finditer(full)]
        path = _RULE_ARG.sub(lambda m: "{" + self.path_params[m.group(2)].name + "}", full)
        spec: dict[str, Any] = {"operationId": operation_id}
        if summary:
            spec["summary"] = summary
        if description:
            spec["description"] = description
        if headers:
            spec["headers"] = list(headers)
        if raw_body:
            spec["requestBody"] = {"required": True, "content": raw_body}
        if security is not None:
            spec["security"] = security

        def register(view: F) -> F:
            bp.route(rule, methods=[method])(view)
            op = Operation(
                path=path.removeprefix(self.prefix),
                method=method.lower(),
                endpoint=f"{bp.name}.{view.__name__}",
                spec=spec,
                body=body,
                query=query,
                answers=ok,
                errors=(*self.default_errors, *errors),
                path_args=path_args,
            )
            self.operations.append(op)
            _DECLARED[(op.endpoint, op.method)] = op
            return view

        return register

    # --- the document ---------------------------------------------------------------------

    def _models(self) -> list[tuple[type[BaseModel], Any]]:
        found: dict[type[BaseModel], Any] = {self.problem: "serialization"}
        for op in self.operations:
            if op.body is not None:
                found[op.body] = "validation"
            for answer in op.answers.values():
                models = answer.model if isinstance(answer.model, tuple) else (answer.model,)
                for model in models:
                    if model is not None:
                        found.setdefault(model, "serialization")
        return list(found.items())

    def document(self) -> dict[str, Any]:
        """The OpenAPI document; ``info.contact`` from the configuration where set."""
        refs, top = models_json_schema(
            self._models(), ref_template=REF, schema_generator=_Generator
        )
        schemas = _tidy(top.get("$defs", {}))

        def ref(model: type[BaseModel], mode: str = "serialization") -> dict[str, Any]:
            return refs[(model, mode)]  # type: ignore[index]

        def content(answer: Answer) -> dict[str, Any]:
            model = answer.model
            out: dict[str, Any] = {
                "description": answer.description,
                "headers": {**API_VERSION_HEADER, **answer.headers},
            }
            if model is not None:
                schema = (
                    {"oneOf": [ref(m) for m in model]} if isinstance(model, tuple) else ref(model)
                )
                out["content"] = {answer.media_type: {"schema": schema}}
            return out

        problem = ref(self.problem)
        paths: dict[str, dict[str, Any]] = {}
        for op in self.operations:
            spec = dict(op.spec)
            parameters = [self._path_parameter(arg) for arg in op.path_args]
            if op.query is not None:
                parameters += _query_parameters(op.query)
            parameters += spec.pop("headers", [])
            if parameters:
                spec["parameters"] = parameters
            if op.body is not None:
                spec["requestBody"] = {
                    "required": True,
                    "content": {"application/json": {"schema": ref(op.body, "validation")}},
                }
            responses = {str(code): content(a) for code, a in sorted(op.answers.items())}
            for code in op.errors:
                responses.setdefault(
                    code,
                    {
                        "description": self.error_texts[code],
                        "headers": dict(API_VERSION_HEADER),
                        "content": {"application/problem+json": {"schema": problem}},
                    },
                )
            spec["responses"] = responses
            paths.setdefault(op.path, {})[op.method] = spec
        doc: dict[str, Any] = {
            "openapi": "3.1.0",
            "info": {**self.info, "contact": {**CONTACT, **_configured_contact()}},
            "servers": [{"url": self.prefix}],
        }
        if self.security is not None:
            doc["security"] = self.security
        doc["paths"] = paths
        doc["components"] = {"schemas": schemas}
        if self.security_schemes:
            doc["components"]["securitySchemes"] = self.security_schemes
        return doc

    def _path_parameter(self, arg: str) -> dict[str, Any]:
        param = self.path_params[arg]
        out: dict[str, Any] = {
            "name": param.name,
            "in": "path",
            "required": True,
            "schema": TypeAdapter(param.type).json_schema(),
        }
        if param.description:
            out["description"] = param.description
        return out

    def query_names(self, endpoint: str | None, method: str) -> frozenset[str]:
        """The query parameters a route takes (its query model's names), none if not declared."""
        op = self.operation(endpoint, method)
        if op is None or op.query is None:
            return frozenset()
        return frozenset(f.alias or name for name, f in op.query.model_fields.items())

    def operation(self, endpoint: str | None, method: str) -> Operation | None:
        op = _DECLARED.get((endpoint or "", "get" if method == "HEAD" else method.lower()))
        return op if op in self.operations else None


def _tidy(node: Any) -> Any:
    """Docstrings as one-line descriptions; no ``default: null`` (absent says the same)."""
    if isinstance(node, dict):
        out = {k: _tidy(v) for k, v in node.items() if not (k == "default" and v is None)}
        if isinstance(out.get("description"), str):
            out["description"] = " ".join(out["description"].split())
        return out
    if isinstance(node, list):
        return [_tidy(v) for v in node]
    return node


def _configured_contact() -> dict[str, str]:
    config = current_app.config if has_app_context() else {}
    return {
        name: config[f"EENPLAN_API_CONTACT_{name.upper()}"]
        for name in ("name", "email", "url")
        if config.get(f"EENPLAN_API_CONTACT_{name.upper()}")
    }


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = _tidy(model.model_json_schema(ref_template=REF, schema_generator=_Generator))
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = dict(prop)
        param: dict[str, Any] = {"name": name, "in": "query"}
        if "description" in prop:
            param["description"] = prop.pop("description")
        if name in required:
            param["required"] = True
        param["schema"] = prop
        out.append(param)
    return out


def check_answer(resp: Any) -> None:
    """While testing: an answer's JSON body must fit the model its route documents for that
    status (the serialisers are held to the contract by every API test, not only the fuzzer:
    a mismatch is a 500 with the fields named in the log)."""
    op = _current()
    answer = op.answers.get(resp.status_code) if op is not None else None
    if answer is None or answer.model is None or request.method == "HEAD":
        return
    models = answer.model if isinstance(answer.model, tuple) else (answer.model,)
    failures = []
    for model in models:
        try:
            model.model_validate_json(resp.get_data())
            return
        except ValidationError as exc:  # where and what, never the values (personal data)
            failures += [(e["loc"], e["type"]) for e in exc.errors(include_input=False)]
    raise AssertionError(f"{request.endpoint} {resp.status_code} breaks its contract: {failures}")


# --- reading a request by its contract ------------------------------------------------------


def request_body(model: type[M]) -> M:
    """The JSON body as ``model`` (the model the route documents), else :class:`InvalidInput`."""
    _declared(model, "body")
    try:
        return model.model_validate_json(request.get_data(cache=True) or b"")
    except ValidationError as exc:
        raise InvalidInput(params(model, exc)) from None


def request_query(model: type[M]) -> M:
    """The query string as ``model`` (the first value of a repeated parameter)."""
    _declared(model, "query")
    try:
        return model.model_validate(request.args.to_dict())
    except ValidationError as exc:
        raise InvalidInput(params(model, exc), "query") from None
