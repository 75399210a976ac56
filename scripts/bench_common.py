"""Shared pieces of the benchmark suite: result rows, targets, timing helpers, machine info.

Every figure is a :class:`Row`: our number, a baseline measured in the same run on the same
machine, their ratio (always ``ours / baseline``), and the target the figure is held to.
Nothing here asserts: rows say whether a target is met, the caller decides what to do with it.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "FINAL_STATUSES",
    "NOT_AVAILABLE",
    "Row",
    "Section",
    "Target",
    "bare_decode",
    "fresh_config",
    "fresh_processes",
    "fresh_rounds",
    "interleaved",
    "machine_info",
    "median",
    "not_available",
    "p90",
    "peak_memory",
    "run_command",
    "run_python",
    "timed",
]

ROOT = Path(__file__).resolve().parent.parent

NOT_AVAILABLE = "not available"

FINAL_STATUSES = frozenset({"Completed", "Failed", "Cancelled", "Cancelled - Ran too long"})

TargetKind = Literal["ratio_max", "ratio_min", "delta_max", "flag"]


@dataclass(frozen=True)
class Target:
    """What a row is held to.

    ``ratio_max``: ``ours / baseline <= value`` (times: lower is better); ``ratio_min``:
    ``ours / baseline >= value`` (rates: higher is better); ``delta_max``: ``ours - baseline <=
    value`` (in the row's unit); ``flag``: the row's ``ours`` must be ``"no"``.
    """

    kind: TargetKind
    value: float
    text: str

    def met(self, ours: float | str, baseline: float | str | None) -> bool | None:
        if self.kind == "flag":
            return ours == "no"
        if not isinstance(ours, float | int) or not isinstance(baseline, float | int):
            return None
        if self.kind == "delta_max":
            return ours - baseline <= self.value
        if baseline == 0:
            return None
        ratio = ours / baseline
        return ratio <= self.value if self.kind == "ratio_max" else ratio >= self.value

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, "text": self.text}


@dataclass
class Row:
    """One line of the table."""

    name: str
    unit: str
    ours: float | str
    baseline: float | str | None
    target: Target | None = None
    baseline_name: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if isinstance(self.ours, float | int) and isinstance(self.baseline, float | int):
            return self.ours / self.baseline if self.baseline else None
        return None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.ours, self.baseline)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "ours": self.ours,
            "baseline": self.baseline,
            "baseline_name": self.baseline_name,
            "ratio": self.ratio,
            "target": None if self.target is None else self.target.to_json(),
            "met": self.met,
            "details": self.details,
        }


@dataclass
class Section:
    """The rows of one figure, the settings it ran with and notes for the reader."""

    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "seconds": round(self.seconds, 3),
            "config": self.config,
            "notes": self.notes,
            "rows": [row.to_json() for row in self.rows],
        }


# -- timing ------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def p90(values: Sequence[float]) -> float:
    """The 90th percentile (nearest rank below)."""
    return sorted(values)[int(0.9 * (len(values) - 1))]


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes (``time.perf_counter``)."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(
    fns: Mapping[str, Callable[[], object]], *, repeat: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Time each function ``repeat`` times, alternating them so that drift (CPU frequency,
    other load) hits every contender alike; ``warmup`` rounds are run first and dropped."""
    samples: dict[str, list[float]] = {name: [] for name in fns}
    for round_ in range(warmup + repeat):
        for name, fn in fns.items():
            gc.collect()
            took = timed(fn)
            if round_ >= warmup:
                samples[name].append(took)
    return samples


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes traced by ``tracemalloc`` during one call of ``fn`` (numpy buffers included,
    since numpy reports its allocations to tracemalloc). Run apart from the timed calls: tracing
    slows allocation down."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return peak


def not_available(name: str, unit: str, target: Target | None, baseline_name: str, why: str) -> Row:
    """A row whose subject does not exist yet (a feature another issue adds): reported as
    ``"not available"`` with the reason, never a crash; its target is shown but not judged."""
    return Row(name, unit, NOT_AVAILABLE, None, target, baseline_name, {"why": why})


# -- fresh processes (import and start-up figures) ------------------------------------------

_HWM = """
for _line in open("/proc/self/status"):
    if _line.startswith("VmHWM:"):
        print(_line.split()[1])
"""


@contextlib.contextmanager
def fresh_processes() -> Iterator[dict[str, str]]:
    """The environment of fresh child processes: bytecode cached in a private directory
    (removed afterwards), for every package alike (an editable install run with
    PYTHONDONTWRITEBYTECODE would recompile the SDK in every process, which a pip-installed
    user never pays)."""
    cache = tempfile.mkdtemp(prefix="bench-pycache-")
    try:
        env = dict(os.environ)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
        yield env
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def fresh_rounds(
    env: Mapping[str, str],
    repeat: int,
    codes: Mapping[str, str],
    commands: Mapping[str, Sequence[str]] | None = None,
) -> tuple[dict[str, list[float]], dict[str, list[int]]]:
    """Run each ``python -c`` code and each command ``1 + repeat`` times in fresh processes,
    round-robin, and drop the first round (a warm-up: .pyc files and the page cache are then
    warm for everyone). Returns the wall seconds of every name, and the peak RSS bytes of every
    code (see :func:`run_python`)."""
    commands = commands or {}
    walls: dict[str, list[float]] = {name: [] for name in [*codes, *commands]}
    rss: dict[str, list[int]] = {name: [] for name in codes}
    for round_ in range(1 + repeat):
        for name, code in codes.items():
            wall, peak = run_python(code, env)
            if round_ > 0:
                walls[name].append(wall)
                rss[name].append(peak)
        for name, argv in commands.items():
            wall = run_command(argv, env)
            if round_ > 0:
                walls[name].append(wall)
    return walls, rss


def fresh_config(repeat: int) -> dict[str, Any]:
    """How :func:`fresh_rounds` measured, for a section's config."""
    return {
        "processes_per_variant": repeat,
        "warmup_rounds": 1,
        "python": sys.executable,
        "statistic": "median",
        "bytecode": "cached (PYTHONPYCACHEPREFIX, written by the warm-up round)",
    }


def run_python(code: str, env: Mapping[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS bytes of ``python -c code`` (this interpreter).

    The peak is the child's own ``VmHWM`` (read from /proc as its last act), not ``ru_maxrss``:
    Linux carries the RSS of the pre-exec copy of the parent (this benchmark process) into the
    child's ``ru_maxrss``, so ``getrusage``/``wait4`` would report the parent's size.
    """
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code + _HWM], capture_output=True, text=True, env=env
    )
    wall = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"python -c {code!r} failed:\n{out.stderr}")
    return wall, int(out.stdout.split()[-1]) * 1024  # kB


def run_command(argv: Sequence[str], env: Mapping[str, str]) -> float:
    """Wall seconds of one run of ``argv`` (output captured and dropped; a failure raises)."""
    start = time.perf_counter()
    out = subprocess.run(list(argv), capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited with {out.returncode}:\n{out.stderr}")
    return wall


# -- the bare decoder (the baseline of figures 2 and 3) -------------------------------------


def _bare_array(node: Mapping[str, Any]) -> npt.NDArray[Any]:
    raw = zlib.decompress(base64.b64decode(node["__value__"]))
    array: npt.NDArray[Any] = np.load(io.BytesIO(raw), allow_pickle=False)
    return array


def bare_decode(content: bytes | str) -> list[dict[str, npt.NDArray[Any]]]:
    """What a hand-written client does with a typed result: ``json.loads``, then base64 + zlib
    + ``np.load`` for each field of each PUB (metadata ignored, nothing checked)."""
    doc = json.loads(content)
    out: list[dict[str, npt.NDArray[Any]]] = []
    for pub in doc["__value__"]["pub_results"]:
        arrays: dict[str, npt.NDArray[Any]] = {}
        for name, node in pub["__value__"]["data"]["__value__"]["fields"].items():
            if node["__type__"] == "BitArray":
                node = node["__value__"]["array"]
            arrays[name] = _bare_array(node)
        out.append(arrays)
    return out


# -- machine ---------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.lower().startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _memory_total_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def machine_info() -> dict[str, Any]:
    """CPU, cores, memory, OS and the versions that matter (read from package metadata, so
    qiskit is not imported for this)."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        usable = os.cpu_count() or 0
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "memory_mb": _memory_total_mb(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "versions": {
            name: _version(name)
            for name in (
                "qiskit-runtime-rest",
                "numpy",
                "qiskit",
                "qiskit-aer",
                "qiskit-ibm-runtime",
                "httpx",
                "attrs",
                "uvicorn",
                "starlette",
            )
        },
    }
