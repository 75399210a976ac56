"""Configuration of the emulator: instances and their credentials, timings, limits.

The defaults describe a ready-to-use demo: two instances (the second one to test isolation) with
well-known credentials. A configuration can also be read from a JSON or YAML file, whose path may
come from the ``QISKIT_RUNTIME_EMULATOR_CONFIG`` environment variable.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

__all__ = [
    "CONFIG_ENV_VAR",
    "DEFAULT_API_KEY",
    "DEFAULT_CRN",
    "DEFAULT_LEGACY_TOKEN",
    "MIB",
    "EmulatorConfig",
    "InstanceConfig",
    "default_data_dir",
    "load_config",
]

CONFIG_ENV_VAR = "QISKIT_RUNTIME_EMULATOR_CONFIG"

DEFAULT_API_KEY = "emulator-api-key"
DEFAULT_CRN = "crn:v1:bluemix:public:quantum-computing:us-east:a/emulator:instance-1::"
DEFAULT_LEGACY_TOKEN = "emulator-legacy-token"


def default_data_dir() -> Path:
    """Where ``qiskit-runtime-emulator serve`` keeps its store unless told otherwise: the user's
    data folder (``$XDG_DATA_HOME``, else ``~/.local/share``; ``~/Library/Application Support``
    on macOS, ``%LOCALAPPDATA%`` on Windows), subfolder ``qiskit-runtime-emulator``."""
    if sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    elif os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "qiskit-runtime-emulator"


def _optional_path(value: Any) -> str | None:
    return None if value is None else str(Path(os.fspath(value)).expanduser())


def _tuple_of_str(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@attrs.frozen
class InstanceConfig:
    """One service instance: its CRN, the credentials that reach it and its plan.

    ``api_keys`` are exchanged for IAM tokens (or sent as ``Authorization: apikey <key>``);
    ``legacy_tokens`` are legacy ``x-access-token`` values whose instance is
    ``hub/group/project``. ``backends`` limits the devices the instance sees (None: all).
    """

    crn: str
    # secrets: never in a repr (configs are printed and logged)
    api_keys: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str, repr=False)
    hub: str = "hub1"
    group: str = "group1"
    project: str = "project1"
    legacy_tokens: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str, repr=False)
    plan_id: str = "emulator-plan"
    user_id: str = "IBMid-emulator-user"
    usage_limit_seconds: float | None = None
    backends: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_tuple_of_str)
    )

    @property
    def legacy_instance(self) -> str:
        """The legacy instance name, ``hub/group/project``."""
        return f"{self.hub}/{self.group}/{self.project}"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> InstanceConfig:
        known = {a.name for a in attrs.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown instance setting(s): {', '.join(sorted(unknown))}")
        return cls(**dict(data))


def _default_instances() -> tuple[InstanceConfig, ...]:
    return (
        InstanceConfig(
            crn=DEFAULT_CRN,
            api_keys=(DEFAULT_API_KEY,),
            hub="hub1",
            group="group1",
            project="project1",
            legacy_tokens=(DEFAULT_LEGACY_TOKEN,),
            plan_id="emulator-plan",
            user_id="IBMid-emulator-user-1",
        ),
        InstanceConfig(
            crn="crn:v1:bluemix:public:quantum-computing:us-east:a/emulator:instance-2::",
            api_keys=("emulator-api-key-2",),
            hub="hub2",
            group="group2",
            project="project2",
            legacy_tokens=("emulator-legacy-token-2",),
            plan_id="emulator-plan",
            user_id="IBMid-emulator-user-2",
        ),
    )


def _instances(value: Any) -> tuple[InstanceConfig, ...]:
    out = tuple(v if isinstance(v, InstanceConfig) else InstanceConfig.from_dict(v) for v in value)
    if not out:
        raise ValueError("at least one instance is required")
    return out


MIB = 1 << 20


@attrs.frozen
class EmulatorConfig:
    """Settings of one emulator server.

    Times are in seconds. ``strict_responses`` turns a response that violates the spec into a
    500 naming the violation (always logged either way). ``rate_limit_per_minute`` limits job
    submissions per user (None: off; the real service documents 5). ``seed`` seeds the
    simulation of jobs that set no seed of their own (identifiers are always random).
    ``tick_seconds`` is how often the scheduler checks deadlines and TTLs. ``test_knobs`` lets
    jobs use ``params.options.experimental.emulator`` (``delay_seconds``, ``fail``): for tests,
    off by default.

    Execution: ``workers`` worker processes run jobs, each with at most ``worker_memory_mb`` MiB
    of address space (None: no cap).

    Backends: ``fake_backends`` adds devices of qiskit-ibm-runtime's fake provider (the
    ``qiskit`` extra), each named by its class, ``FakeSherbrooke`` (served under the snapshot's
    name, ``ibm_sherbrooke``) or ``FakeSherbrooke=my_name``. Device backends simulate the noise
    of their calibration unless ``noise`` is false (all of them) or they are listed in
    ``noiseless_backends``.

    Admission limits, checked before any work (the emulator guide, ``docs/guides/emulator.md``,
    lists each with its message):
    ``max_request_bytes`` (413), ``max_json_depth``, ``max_json_containers`` (arrays and
    objects in a body), ``max_circuit_qubits`` (qubits a program may declare or address, before
    it is parsed; a circuit wider than its backend but within this limit makes a job that fails
    with code 1517, like any non-ISA circuit), ``max_circuit_bytes`` (OpenQASM 2 text or
    decompressed QPY, per circuit), ``max_qasm3_bytes`` (OpenQASM 3 text, per job: its parser
    is slow), ``max_classical_bits`` (per circuit), ``max_bindings`` (parameter bindings per
    job), ``max_executions`` (Sampler shots x bindings per job), ``max_loop_iterations``
    (``for`` loop iterations per circuit, nested loops multiplied) and ``max_result_bytes``
    (the estimated size of the result).

    Store: ``data_dir`` keeps jobs, sessions, results and logs in a SQLite database in that
    directory, which survives restarts and crashes (None, the default of this class: in memory,
    lost when the server stops; ``qiskit-runtime-emulator serve`` defaults to
    :func:`default_data_dir`). ``max_jobs`` and ``max_age`` (seconds since creation) bound the
    jobs kept: beyond them, the oldest final jobs are deleted (None: no bound).

    Connections: ``header_timeout`` (to send a request's head), ``body_timeout`` (to send its
    body), ``keep_alive_timeout`` (idle between requests) and ``max_connections`` (open at once;
    beyond it the oldest idle connection is closed; never more than the process's file
    descriptor limit allows).

    ``dashboard`` serves the dashboard (``GET /ui``, behind the API's credentials).
    ``dask_scheduler`` (``tcp://host:8786``) runs jobs on that Dask cluster instead of local
    worker processes (the ``dask`` extra; see :mod:`.dask_backend`).
    """

    instances: tuple[InstanceConfig, ...] = attrs.field(
        factory=_default_instances, converter=_instances
    )
    token_lifetime: int = 3600
    workers: int = 2
    session_max_ttl: int = 28800
    session_interactive_ttl: int = 60
    default_job_cost: int = 10800
    rate_limit_per_minute: int | None = None
    seed: int | None = None
    strict_responses: bool = True
    validate_responses: bool = True
    jwt_secret: str | None = attrs.field(default=None, repr=False)
    tick_seconds: float = 0.05
    api_version: str = "2026-04-15"
    test_knobs: bool = False
    worker_memory_mb: int | None = 8192
    fake_backends: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    noise: bool = True
    noiseless_backends: tuple[str, ...] = attrs.field(default=(), converter=_tuple_of_str)
    max_request_bytes: int = 16 * MIB
    max_json_depth: int = 64
    max_json_containers: int = 500_000
    max_circuit_qubits: int = 2048
    max_circuit_bytes: int = 4 * MIB
    max_qasm3_bytes: int = 256 * 1024
    max_classical_bits: int = 1024
    max_bindings: int = 100_000
    max_executions: int = 10_000_000
    max_loop_iterations: int = 100_000
    max_result_bytes: int = 256 * MIB
    header_timeout: float = 10.0
    body_timeout: float = 60.0
    keep_alive_timeout: float = 30.0
    max_connections: int = 1000
    data_dir: str | None = attrs.field(default=None, converter=_optional_path)
    max_jobs: int | None = None
    max_age: float | None = None
    dashboard: bool = True
    dask_scheduler: str | None = None

    @property
    def default_instance(self) -> InstanceConfig:
        return self.instances[0]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EmulatorConfig:
        known = {a.name for a in attrs.fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown emulator setting(s): {', '.join(sorted(unknown))}")
        return cls(**dict(data))

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> EmulatorConfig:
        """Read a JSON (``.json``) or YAML (anything else) configuration file."""
        p = Path(path)
        text = p.read_text(encoding="utf-8")
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text) or {}
        if not isinstance(data, Mapping):
            raise ValueError(f"{p}: the configuration must be a mapping")
        return cls.from_dict(data)


def load_config(path: str | os.PathLike[str] | None = None) -> EmulatorConfig:
    """The configuration in ``path``, else in ``$QISKIT_RUNTIME_EMULATOR_CONFIG``, else defaults."""
    if path is None:
        path = os.environ.get(CONFIG_ENV_VAR) or None
    if path is None:
        return EmulatorConfig()
    return EmulatorConfig.from_file(path)
