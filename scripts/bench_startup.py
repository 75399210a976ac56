"""Figure 8: start-up against qiskit-ibm-runtime, in fresh processes.

* ``from qiskit_runtime_rest import Runtime, SamplerPub`` against ``from qiskit_ibm_runtime import
  QiskitRuntimeService, SamplerV2`` (the names a user of each needs to submit a Sampler job):
  wall time and peak RSS of ``python -c "<import>"``.
* ``qiskit-runtime-rest --help`` (the SDK's command line, issue 17) against ``python -c "import
  qiskit_ibm_runtime"``: what a user waits for before the first line of output, against what a
  throw-away script built on the official client waits for before its first statement.

Every variant runs in fresh processes, round-robin, after one warm-up round that is dropped (so
.pyc files, written to a private cache, and the page cache are warm for everyone); the median is
reported. Wall time is measured by the parent around the whole process.

The command line is found as the ``qiskit-runtime-rest`` console script installed next to this
interpreter (``<venv>/bin/qiskit-runtime-rest``, what ``pip install`` makes of a
``[project.scripts]`` entry). Until it exists the row says "not available" and why; an entry
point declared in the package metadata but not installed as a script (an editable install made
before the entry was added) says so too.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from bench_common import (
    Row,
    Section,
    Target,
    fresh_config,
    fresh_processes,
    fresh_rounds,
    median,
    not_available,
)

__all__ = ["cli_script", "run"]

CLI = "qiskit-runtime-rest"
OURS_IMPORT = "from qiskit_runtime_rest import Runtime, SamplerPub"
OFFICIAL_IMPORT = "from qiskit_ibm_runtime import QiskitRuntimeService, SamplerV2"
OFFICIAL_BARE = "import qiskit_ibm_runtime"
FLOOR = "pass"
IMPORT_TARGET = Target("ratio_max", 0.10, "<= 0.10x")
CLI_TARGET = Target("ratio_max", 0.2, "<= 0.2x")


def cli_script() -> tuple[Path | None, str]:
    """The installed ``qiskit-runtime-rest`` script next to this interpreter, or None and why."""
    script = Path(sys.executable).parent / CLI
    if script.is_file():
        return script, f"{script}"
    declared = any(ep.name == CLI for ep in metadata.entry_points(group="console_scripts"))
    if declared:
        return None, (
            f"the {CLI} entry point is declared but {script} is not installed "
            "(re-run pip install -e .)"
        )
    return None, f"no {CLI} entry point yet (the command line of issue 17)"


def run(quick: bool) -> Section:
    with fresh_processes() as env:
        return _run(quick, env)


def _run(quick: bool, env: Mapping[str, str]) -> Section:
    repeat = 2 if quick else 11
    section = Section("startup", "8. Start-up against qiskit-ibm-runtime (fresh processes)")
    script, where = cli_script()
    codes = {FLOOR: FLOOR, OURS_IMPORT: OURS_IMPORT, OFFICIAL_IMPORT: OFFICIAL_IMPORT}
    commands: dict[str, list[str]] = {}
    if script is not None:
        codes[OFFICIAL_BARE] = OFFICIAL_BARE
        commands[CLI] = [str(script), "--help"]
    walls, rss = fresh_rounds(env, repeat, codes, commands)
    section.config = fresh_config(repeat) | {"cli": where}
    section.notes.append(
        f"interpreter floor (python -c pass): {median(walls[FLOOR]) * 1e3:.1f} ms, "
        f"{median(rss[FLOOR]) / 2**20:.1f} MiB; all wall times include it"
    )
    section.rows.append(
        Row(
            f"{OURS_IMPORT}: wall",
            "s",
            median(walls[OURS_IMPORT]),
            median(walls[OFFICIAL_IMPORT]),
            IMPORT_TARGET,
            baseline_name=OFFICIAL_IMPORT,
            details={
                "samples_s": walls[OURS_IMPORT],
                "baseline_samples_s": walls[OFFICIAL_IMPORT],
                "floor_s": median(walls[FLOOR]),
            },
        )
    )
    section.rows.append(
        Row(
            f"{OURS_IMPORT}: peak RSS",
            "B",
            median(rss[OURS_IMPORT]),
            median(rss[OFFICIAL_IMPORT]),
            baseline_name=OFFICIAL_IMPORT,
            details={
                "samples_bytes": rss[OURS_IMPORT],
                "baseline_samples_bytes": rss[OFFICIAL_IMPORT],
            },
        )
    )
    name = f"{CLI} --help: wall"
    if script is None:
        section.rows.append(
            not_available(name, "s", CLI_TARGET, f"python -c {OFFICIAL_BARE!r}", where)
        )
    else:
        section.rows.append(
            Row(
                name,
                "s",
                median(walls[CLI]),
                median(walls[OFFICIAL_BARE]),
                CLI_TARGET,
                baseline_name=f"python -c {OFFICIAL_BARE!r}",
                details={
                    "script": where,
                    "samples_s": walls[CLI],
                    "baseline_samples_s": walls[OFFICIAL_BARE],
                },
            )
        )
    return section
