"""The benchmark suite: what users of the SDK feel, each figure against a same-run baseline.

    python scripts/bench.py                      # everything (about 6 minutes on 2 cores)
    python scripts/bench.py --quick              # smaller sizes: a smoke run
    python scripts/bench.py --only import,decode # some figures
    python scripts/bench.py --output FILE        # JSON elsewhere (bench-results/latest.json)

Figures (``--only`` keys): ``import`` (1), ``client`` (2), ``decode`` (3), ``encode`` (4),
``concurrency`` (5), ``emulator`` (6); against qiskit-ibm-runtime, ``official`` (7: a small
job offline and against the same emulator, decoding) and ``startup`` (8: import, the command
line); ``store`` (9: the emulator's durable store against the in-memory one); how cost grows,
``growth`` (10: jobs in flight through AsyncRuntime, listing) and ``decode_size`` (11: decoding
up to 1 GiB). Every row shows our number, the baseline, their ratio (ours / baseline) and the
target; this script reports, it never fails on a missed target. A row whose subject does not
exist yet (a feature of another issue) reads "not available", with the reason below the table.
The emulator figures run the emulator in a separate process (``bench_emulator.py``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import NOT_AVAILABLE, ROOT, Row, Section, machine_info

FIGURES: dict[str, str] = {
    "import": "bench_import",
    "client": "bench_client",
    "decode": "bench_decode",
    "encode": "bench_encode",
    "concurrency": "bench_concurrency",
    "emulator": "bench_throughput",
    "official": "bench_official",
    "startup": "bench_startup",
    "store": "bench_store",
    "growth": "bench_growth",
    "decode_size": "bench_decode_size",
}
DEFAULT_OUTPUT = ROOT / "bench-results" / "latest.json"
SCHEMA = 1


def _fmt(value: float | str | None, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.0f} us"
        if value < 1.0:
            return f"{value * 1e3:.2f} ms"
        return f"{value:.2f} s"
    if unit == "B":
        if abs(value) < 2**20:
            return f"{value / 2**10:.1f} KiB"
        return f"{value / 2**20:.1f} MiB"
    if unit == "jobs/s":
        return f"{value:.0f} jobs/s"
    return f"{value:.3g} {unit}".strip()


def _met(row: Row) -> str:
    met = row.met
    return "-" if met is None else ("yes" if met else "NO")


def table(sections: Sequence[Section]) -> str:
    """The results as a fixed-width text table."""
    header = ("figure", "ours", "baseline", "ratio", "target", "met?")
    lines: list[tuple[str, ...]] = []
    for section in sections:
        lines.append((f"[{section.title}]", "", "", "", "", ""))
        for row in section.rows:
            ratio = row.ratio
            lines.append(
                (
                    "  " + row.name,
                    _fmt(row.ours, row.unit),
                    _fmt(row.baseline, row.unit),
                    "-" if ratio is None else f"{ratio:.2f}x",
                    row.target.text if row.target else "-",
                    _met(row),
                )
            )
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    widths[0] = min(widths[0], 78)

    def render(cells: tuple[str, ...]) -> str:
        first = cells[0] if len(cells[0]) <= widths[0] else cells[0][: widths[0] - 3] + "..."
        rest = [c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first.ljust(widths[0]), *rest]).rstrip()

    out = [render(header), "  ".join("-" * w for w in widths)]
    out += [render(line) for line in lines]
    return "\n".join(out)


def _parse_only(text: str | None) -> list[str]:
    if not text:
        return list(FIGURES)
    keys = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in FIGURES]
    if unknown:
        raise SystemExit(f"unknown figure(s) {unknown}; choose from {', '.join(FIGURES)}")
    return keys


def run(keys: Sequence[str], quick: bool) -> tuple[list[Section], dict[str, str]]:
    """Run the figures; a figure that crashes is reported (with its traceback), not fatal."""
    sections: list[Section] = []
    errors: dict[str, str] = {}
    for key in keys:
        print(f"running {key}...", file=sys.stderr, flush=True)
        start = time.perf_counter()
        try:
            module = importlib.import_module(FIGURES[key])
            section: Section = module.run(quick)
        except Exception:
            errors[key] = traceback.format_exc()
            print(errors[key], file=sys.stderr)
            continue
        section.seconds = time.perf_counter() - start
        sections.append(section)
    return sections, errors


def document(
    sections: Sequence[Section],
    errors: dict[str, str],
    *,
    machine: dict[str, Any],
    quick: bool,
    keys: Sequence[str],
    started: datetime,
    seconds: float,
) -> dict[str, Any]:
    rows = [row for section in sections for row in section.rows]
    return {
        "schema": SCHEMA,
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "quick": quick,
        "only": list(keys),
        "machine": machine,
        "figures": {section.key: section.to_json() for section in sections},
        "errors": errors,
        "summary": {
            "rows": len(rows),
            "with_target": sum(1 for r in rows if r.target is not None),
            "met": sum(1 for r in rows if r.met is True),
            "missed": [r.name for r in rows if r.met is False],
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--only", help=f"comma-separated figures: {','.join(FIGURES)}")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="JSON file to write")
    args = parser.parse_args(argv)
    keys = _parse_only(args.only)
    machine = machine_info()  # before the run: its load average tells how busy the host was
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    sections, errors = run(keys, args.quick)
    doc = document(
        sections,
        errors,
        machine=machine,
        quick=args.quick,
        keys=keys,
        started=started,
        seconds=time.perf_counter() - t0,
    )
    print(
        f"\n{machine['cpu_model']}, {machine['cores_usable']} cores, "
        f"python {machine['python']}, numpy {machine['versions']['numpy']}, "
        f"qiskit {machine['versions']['qiskit']}, load average {machine['load_average']}"
        + (" (quick run: small sizes)" if args.quick else "")
    )
    print(table(sections))
    for section in sections:
        for note in section.notes:
            print(f"  * {section.key}: {note}")
        for row in section.rows:
            if row.ours == NOT_AVAILABLE:
                print(f"  - {section.key}: {row.name}: {NOT_AVAILABLE}: {row.details['why']}")
    for key in errors:
        print(f"  ! {key}: crashed (traceback in the JSON and above)")
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nresults: {output} ({doc['seconds']:.0f} s)")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
