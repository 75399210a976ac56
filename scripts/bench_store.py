"""Figure 9: emulator throughput with a durable store against the in-memory one (issue 14).

Trivial Sampler jobs through the emulator's own command line, measured as in figure 6
(:func:`bench_throughput.jobs_per_second`: raw ``httpx.AsyncClient``, a bounded number of
requests in flight, submit until every job is final), once with the store on disk and once in
memory, alternating, each run on a fresh server (and a fresh, empty data directory).

**What it looks for.** The durable store is an option of ``qiskit-runtime-emulator serve``; the
row runs when ``serve --help`` documents both ``--data-dir`` (the durable store, under that
directory) and ``--ephemeral`` (today's in-memory store), and says "not available" otherwise,
with what is missing. Both are required: with ``--data-dir`` alone, serving without it could
be durable too (issue 14 makes the durable store the default), and the ratio would compare the
durable store with itself.
"""

from __future__ import annotations

import asyncio
import re
import shutil
import tempfile
from typing import Any

from bench_common import Row, Section, median, not_available
from bench_emulator import EmulatorCommand
from bench_throughput import WORKERS, jobs_per_second

__all__ = ["durable_options", "run"]

DURABLE = "--data-dir"
EPHEMERAL = "--ephemeral"


def durable_options() -> tuple[bool, str]:
    """Whether ``serve`` offers both stores, and what was found (or is missing)."""
    text = EmulatorCommand.serve_help()
    if not text:
        return False, "qiskit-runtime-emulator serve --help failed"
    # A whole option name: "--data-dir DATA_DIR" or "[--data-dir", never "--data-directory".
    missing = [
        option
        for option in (DURABLE, EPHEMERAL)
        if not re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text)
    ]
    if missing:
        return False, f"qiskit-runtime-emulator serve has no {' or '.join(missing)} option yet"
    return True, f"serve {DURABLE} DIR against serve {EPHEMERAL}"


def _rate(args: list[str], n: int) -> dict[str, Any]:
    with EmulatorCommand(["--workers", str(WORKERS), *args]) as emu:
        return asyncio.run(jobs_per_second(emu, n))


def run(quick: bool) -> Section:
    n_jobs = 100 if quick else 1000
    rounds = 1 if quick else 2
    section = Section("store", "9. Emulator store: durable against in-memory (issue 14)")
    available, what = durable_options()
    section.config = {
        "looks_for": f"serve --help listing {DURABLE} and {EPHEMERAL}",
        "found": what,
        "trivial_jobs": n_jobs,
        "rounds": rounds,
        "emulator": {"workers": WORKERS, "process": "qiskit-runtime-emulator serve"},
    }
    name = f"trivial Sampler jobs/s, {n_jobs} concurrent: durable store ({DURABLE})"
    baseline_name = f"the same with the in-memory store ({EPHEMERAL})"
    if not available:
        section.rows.append(not_available(name, "jobs/s", None, baseline_name, what))
        return section
    durable: list[dict[str, Any]] = []
    memory: list[dict[str, Any]] = []
    for _ in range(rounds):
        memory.append(_rate([EPHEMERAL], n_jobs))
        data_dir = tempfile.mkdtemp(prefix="bench-store-")
        try:
            durable.append(_rate([DURABLE, data_dir], n_jobs))
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)
    section.rows.append(
        Row(
            name,
            "jobs/s",
            median([r["jobs_per_s"] for r in durable]),
            median([r["jobs_per_s"] for r in memory]),
            baseline_name=baseline_name,
            details={"durable": durable, "in_memory": memory},
        )
    )
    section.notes.append(
        "issue 14 asks for this ratio without a target; each run starts a fresh server "
        "(and an empty data directory)"
    )
    return section
