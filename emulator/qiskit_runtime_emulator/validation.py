"""Request and response checks against ``spec/qiskit-runtime.yaml``.

The spec is loaded once per process. Every operation's parameters, request body and documented
responses get a precompiled JSON Schema 2020-12 validator (``jsonschema``, with ``$ref`` inlined
so that validation needs no reference resolution at run time). A request body whose schema is a
``oneOf`` with a ``discriminator`` is checked against the branch its discriminator selects, so
that error messages name the real problem rather than "not valid under any of the schemas".
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

from .errors import ApiError, json_kind

__all__ = [
    "REQUEST_VALIDATION_CODE",
    "Operation",
    "Param",
    "ResponseSpec",
    "Spec",
    "describe_error",
    "load_spec",
    "parse_datetime",
    "spec_path",
]

# IBM's registry code for "request body validation failed".
REQUEST_VALIDATION_CODE = 1208
_MAX_MESSAGE = 400
_Validator = jsonschema.Draft202012Validator


def spec_path() -> Path:
    """The spec file: the copy packaged in the wheel, else the repository's ``spec/`` dir."""
    try:
        packaged = resources.files("qiskit_runtime_emulator").joinpath("spec/qiskit-runtime.yaml")
        if packaged.is_file():
            return Path(str(packaged))
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):  # pragma: no cover
        pass
    repo = Path(__file__).resolve().parents[2] / "spec" / "qiskit-runtime.yaml"
    if repo.is_file():
        return repo
    raise FileNotFoundError(
        "spec/qiskit-runtime.yaml not found (neither packaged nor in a repository checkout)"
    )


def _yaml_load(text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


def parse_datetime(value: str) -> datetime:
    """ISO 8601 -> aware datetime (naive values are UTC); ValueError if unparseable."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt


def _truncate(text: str, limit: int = _MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _format_path(prefix: str, path: Sequence[Any]) -> str:
    out = prefix
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else str(part)
    return out or "(root)"


def _relevance(error: ValidationError) -> tuple[int, int]:
    # Prefer deep errors; among them, errors that are not about "any of the schemas".
    return (len(error.absolute_path), 0 if error.validator in ("anyOf", "oneOf") else 1)


def _selected_branch(error: ValidationError) -> list[ValidationError]:
    """For a ``oneOf`` with a ``discriminator``, the errors of the branch that the instance's
    tag selects (empty when there is no such branch): a samplex item with a bad argument should
    hear about its argument, not that it lacks the fields of a circuit item."""
    schema = error.schema
    if error.validator != "oneOf" or not isinstance(schema, Mapping):
        return []
    disc = schema.get("discriminator")
    if not isinstance(disc, Mapping) or not isinstance(error.instance, Mapping):
        return []
    prop = disc.get("propertyName")
    tag = error.instance.get(prop)
    for i, branch in enumerate(schema.get("oneOf", [])):
        const = branch.get("properties", {}).get(prop, {}).get("const")
        if const is not None and const == tag:
            return [c for c in error.context or () if list(c.relative_schema_path)[:1] == [i]]
    return []


def describe_error(error: ValidationError, prefix: str = "body") -> str:
    """A one-line message: ``<where>: <what>``, descending into union branches (into the branch
    a discriminator selects, when there is one)."""
    while branch := _selected_branch(error):
        error = max(branch, key=_relevance)
    best = best_match([error], key=_relevance)
    where = _format_path(prefix, list(best.absolute_path))
    message = best.message
    if best.validator in ("anyOf", "oneOf") and best.context:
        # List the reasons of the closest branches.
        reasons = sorted({_truncate(c.message, 120) for c in best.context})[:3]
        message = f"{_truncate(message, 160)} ({'; '.join(reasons)})"
    return f"{where}: {_truncate(message)}"


@dataclass(frozen=True)
class Param:
    """A query, path or header parameter and how to read it."""

    name: str
    location: str
    kind: str  # integer | number | boolean | array | string
    required: bool
    validator: jsonschema.protocols.Validator
    default: Any = None
    item_kind: str = "string"
    is_datetime: bool = False


@dataclass(frozen=True)
class ResponseSpec:
    content_type: str | None  # None: no body
    validator: jsonschema.protocols.Validator | None


@dataclass
class Operation:
    """One operation of the spec with its compiled validators."""

    operation_id: str
    method: str
    template: str
    public: bool
    params: list[Param] = field(default_factory=list)
    body_required: bool = False
    body_validator: jsonschema.protocols.Validator | None = None
    discriminator: str | None = None
    branches: dict[str, jsonschema.protocols.Validator] = field(default_factory=dict)
    responses: dict[int, ResponseSpec] = field(default_factory=dict)

    # -------------------------------------------------------------- requests

    def parse_params(
        self,
        path_params: Mapping[str, str],
        query: Any,
        headers: Mapping[str, str],
    ) -> dict[str, Any]:
        """Coerce and check parameters; raises ``ApiError(400)`` naming the parameter."""
        out: dict[str, Any] = {}
        for p in self.params:
            if p.location == "path":
                raw: Any = path_params.get(p.name)
            elif p.location == "query":
                raw = query.getlist(p.name) if p.kind == "array" else query.get(p.name)
                if p.kind == "array" and not raw:
                    raw = None
            else:
                raw = headers.get(p.name)
            where = f"{p.location} parameter '{p.name}'"
            if raw is None:
                if p.required:
                    raise ApiError(400, f"{where} is required", code=REQUEST_VALIDATION_CODE)
                if p.default is not None:
                    out[p.name] = p.default
                continue
            value = _coerce(raw, p.kind, p.item_kind, where)
            error = next(iter(p.validator.iter_errors(value)), None)
            if error is not None:
                raise ApiError(
                    400,
                    f"{where}: {_truncate(error.message)}",
                    code=REQUEST_VALIDATION_CODE,
                )
            if p.is_datetime:
                try:
                    value = parse_datetime(value)
                except ValueError:
                    raise ApiError(
                        400,
                        f"{where}: {value!r} is not an ISO 8601 date-time",
                        code=REQUEST_VALIDATION_CODE,
                    ) from None
            out[p.name] = value
        return out

    def check_body(self, body: Any) -> None:
        """Validate a parsed JSON body; raises ``ApiError(400)`` naming the field."""
        if self.body_validator is None:
            return
        if self.discriminator is not None and not isinstance(body, dict):
            raise ApiError(
                400,
                f"body: the request body must be a JSON object, got {json_kind(body)}",
                code=REQUEST_VALIDATION_CODE,
            )
        if self.discriminator is not None and isinstance(body, dict):
            tag = body.get(self.discriminator)
            if tag is None:
                raise ApiError(
                    400,
                    f"body: '{self.discriminator}' is required "
                    f"(one of: {', '.join(sorted(self.branches))})",
                    code=REQUEST_VALIDATION_CODE,
                )
            branch = self.branches.get(tag) if isinstance(tag, str) else None
            if branch is None:
                raise ApiError(
                    400,
                    f"body.{self.discriminator}: unknown value {_truncate(repr(tag), 80)}; "
                    f"allowed: {', '.join(sorted(self.branches))}",
                    code=REQUEST_VALIDATION_CODE,
                )
            validator = branch
        else:
            validator = self.body_validator
        # The most relevant error at the top; describe_error chooses among its branches.
        error = max(validator.iter_errors(body), key=_relevance, default=None)
        if error is not None:
            raise ApiError(
                400, f"Invalid request: {describe_error(error)}", code=REQUEST_VALIDATION_CODE
            )

    # -------------------------------------------------------------- responses

    def check_response(self, status: int, content_type: str | None, body: Any) -> list[str]:
        """Violations of the documented response (empty list when it conforms)."""
        spec = self.responses.get(status)
        if spec is None:
            return [f"{self.operation_id}: status {status} is not documented"]
        if spec.content_type is None:
            if body not in (None, b""):
                return [f"{self.operation_id}: status {status} must not have a body"]
            return []
        if content_type is None or not content_type.startswith(spec.content_type):
            return [
                f"{self.operation_id}: status {status} has content type {content_type!r}, "
                f"documented {spec.content_type!r}"
            ]
        if spec.validator is None:
            return []
        return [
            f"{self.operation_id} {status}: {describe_error(e, 'response')}"
            for e in spec.validator.iter_errors(body)
        ][:5]


def _coerce(raw: Any, kind: str, item_kind: str, where: str) -> Any:
    if kind == "array":
        return [_coerce(v, item_kind, "string", where) for v in raw]
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        raise ApiError(
            400, f"{where}: {raw!r} is not a valid {kind}", code=REQUEST_VALIDATION_CODE
        ) from None
    if kind == "boolean":
        low = raw.strip().lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0"):
            return False
        raise ApiError(
            400, f"{where}: {raw!r} is not a boolean (true or false)", code=REQUEST_VALIDATION_CODE
        )
    return raw


def _primary_type(schema: Mapping[str, Any]) -> str:
    t = schema.get("type", "string")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), "string")
    return str(t)


class Spec:
    """The loaded spec and one :class:`Operation` per (method, path template)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._inlined: dict[str, Any] = {}
        self.operations: dict[tuple[str, str], Operation] = {}
        self.by_id: dict[str, Operation] = {}
        root_security = document.get("security", [])
        for template, item in document.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method in ("get", "put", "post", "delete", "patch"):
                raw = item.get(method)
                if raw is None:
                    continue
                security = raw.get("security", root_security)
                op = Operation(
                    operation_id=raw["operationId"],
                    method=method.upper(),
                    template=template,
                    public=security == [],
                )
                self._add_params(op, [*shared, *raw.get("parameters", [])])
                self._add_body(op, raw.get("requestBody"))
                self._add_responses(op, raw.get("responses", {}))
                self.operations[(op.method, template)] = op
                self.by_id[op.operation_id] = op

    # -------------------------------------------------------------- $ref inlining

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"unsupported $ref {ref!r}")
        node: Any = self.document
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def inline(self, node: Any, stack: tuple[str, ...] = ()) -> Any:
        """A copy of ``node`` with every ``$ref`` replaced by its target (no cycles allowed)."""
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref in stack:
                    raise ValueError(f"recursive $ref {ref!r} cannot be inlined")
                if ref not in self._inlined:
                    self._inlined[ref] = self.inline(self.resolve(ref), (*stack, ref))
                target = self._inlined[ref]
                rest = {k: v for k, v in node.items() if k != "$ref"}
                if not rest:
                    return target
                return {"allOf": [target], **self.inline(rest, stack)}
            return {k: self.inline(v, stack) for k, v in node.items()}
        if isinstance(node, list):
            return [self.inline(v, stack) for v in node]
        return node

    def validator(self, schema: Any) -> jsonschema.protocols.Validator:
        inlined = self.inline(schema)
        _Validator.check_schema(inlined)
        return _Validator(inlined)

    def schema_validator(self, name: str) -> jsonschema.protocols.Validator:
        return self.validator({"$ref": f"#/components/schemas/{name}"})

    # -------------------------------------------------------------- operations

    def _add_params(self, op: Operation, raw_params: list[Any]) -> None:
        seen: dict[tuple[str, str], Param] = {}
        for raw in raw_params:
            p = self.resolve(raw["$ref"]) if "$ref" in raw else raw
            schema = self.inline(p.get("schema", {}))
            kind = _primary_type(schema)
            item_kind = _primary_type(schema.get("items", {})) if kind == "array" else "string"
            name = p["name"]
            location = p["in"]
            seen[(location, name)] = Param(
                name=name.lower() if location == "header" else name,
                location=location,
                kind=kind,
                item_kind=item_kind,
                required=bool(p.get("required", location == "path")),
                validator=_Validator(schema),
                default=copy.deepcopy(schema.get("default")),
                is_datetime=schema.get("format") == "date-time",
            )
        op.params = list(seen.values())

    def _add_body(self, op: Operation, body: Any) -> None:
        if body is None:
            return
        if "$ref" in body:
            body = self.resolve(body["$ref"])
        op.body_required = bool(body.get("required", False))
        schema = body.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return
        op.body_validator = self.validator(schema)
        target = self.resolve(schema["$ref"]) if "$ref" in schema else schema
        disc = target.get("discriminator")
        if disc and "mapping" in disc:
            op.discriminator = disc["propertyName"]
            op.branches = {
                tag: self.validator({"$ref": ref}) for tag, ref in disc["mapping"].items()
            }

    def _add_responses(self, op: Operation, responses: Mapping[str, Any]) -> None:
        for code, raw in responses.items():
            if not str(code).isdigit():
                continue
            resp = self.resolve(raw["$ref"]) if "$ref" in raw else raw
            content = resp.get("content") or {}
            if not content:
                op.responses[int(code)] = ResponseSpec(None, None)
                continue
            ctype, media = next(iter(content.items()))
            schema = media.get("schema")
            op.responses[int(code)] = ResponseSpec(
                ctype, self.validator(schema) if schema is not None else None
            )


@cache
def load_spec(path: str | None = None) -> Spec:
    """The spec (loaded and compiled once per process)."""
    p = Path(path) if path is not None else spec_path()
    return Spec(_yaml_load(p.read_text(encoding="utf-8")))
