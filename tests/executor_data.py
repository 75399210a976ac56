"""The executor bodies and results recorded from qiskit-ibm-runtime (``tests/data/executor``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "executor"
NAMES = (
    "sampler-plain",
    "sampler-twirled",
    "estimator-level0",
    "estimator-level1",
    "estimator-level2-session",
    "executor-rx-sweep",
)


@cache
def _text(name: str, kind: str) -> str:
    return (DATA / f"{name}.{kind}.json").read_text()


def request(name: str) -> dict[str, Any]:
    """A fresh copy of the recorded ``POST /jobs`` body."""
    body: dict[str, Any] = json.loads(_text(name, "request"))
    return body


def result(name: str) -> dict[str, Any]:
    """A fresh copy of the recorded ``GET /jobs/{id}/results`` body."""
    body: dict[str, Any] = json.loads(_text(name, "result"))
    return body


def result_text(name: str) -> str:
    """The recorded result body, as the client received it."""
    return _text(name, "result")
