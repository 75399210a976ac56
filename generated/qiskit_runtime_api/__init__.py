"""A client library for accessing Qiskit Runtime REST API"""
# The clients (and httpx with them) are imported on first access, not with the package: the
# models and endpoint packages are usable without them (custom template of qiskit-runtime-rest,
# spec/templates/package_init.py.jinja).

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(".client", __name__), name)


def __dir__() -> list[str]:
    return sorted(__all__)
