"""Contains endpoint functions for accessing the API.

The endpoint modules are imported lazily, on first access: importing the package does not import
them, nor the models they use (custom template of qiskit-runtime-rest,
spec/templates/endpoint_init.py.jinja).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from . import (
        cancel_job,
        create_job,
        delete_job,
        get_job,
        get_job_logs,
        get_job_metrics,
        get_job_results,
        list_jobs,
        replace_job_tags,
    )

__all__ = (
    "cancel_job",
    "create_job",
    "delete_job",
    "get_job",
    "get_job_logs",
    "get_job_metrics",
    "get_job_results",
    "list_jobs",
    "replace_job_tags",
)


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # Importing a submodule also binds it as an attribute of this package.
    return importlib.import_module(f".{name}", __name__)


def __dir__() -> list[str]:
    return sorted(__all__)
