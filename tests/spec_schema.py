"""Validate JSON values against the schemas of spec/qiskit-runtime.yaml (JSON Schema 2020-12)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parent.parent / "spec" / "qiskit-runtime.yaml"
_URI = "urn:qiskit-runtime-spec"


@cache
def load_spec() -> dict[str, Any]:
    with SPEC_PATH.open() as f:
        spec: dict[str, Any] = yaml.safe_load(f)
    return spec


@cache
def _registry() -> Registry:
    return Registry().with_resource(_URI, Resource.from_contents(load_spec(), DRAFT202012))


def validator(schema_name: str) -> jsonschema.Draft202012Validator:
    """A validator for ``#/components/schemas/<schema_name>``."""
    return jsonschema.Draft202012Validator(
        {"$ref": f"{_URI}#/components/schemas/{schema_name}"}, registry=_registry()
    )


def errors(schema_name: str, value: Any) -> list[str]:
    """Validation messages for ``value`` (empty when valid), including those of union branches."""
    out: list[str] = []
    pending = list(validator(schema_name).iter_errors(value))
    while pending:
        e = pending.pop(0)
        out.append(f"{'/'.join(map(str, e.absolute_path))}: {e.message}")
        pending.extend(e.context or ())
    return out
