"""A local Qiskit Runtime service: the REST API on loopback, executing PUBs with qiskit.

Public names are imported lazily so that ``import qiskit_runtime_emulator`` stays cheap::

    from qiskit_runtime_emulator import EmulatorServer, EmulatorConfig, FaultConfig
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import create_app
    from .config import EmulatorConfig, InstanceConfig
    from .database import StoreError
    from .faults import FaultConfig
    from .server import EmulatorServer

__all__ = [
    "EmulatorConfig",
    "EmulatorServer",
    "FaultConfig",
    "InstanceConfig",
    "StoreError",
    "create_app",
]

_LAZY = {
    "EmulatorConfig": ".config",
    "InstanceConfig": ".config",
    "FaultConfig": ".faults",
    "StoreError": ".database",
    "EmulatorServer": ".server",
    "create_app": ".app",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
