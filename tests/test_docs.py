"""Every Python block of the documentation site runs, page by page, in order, against the emulator.

Each page under ``docs/`` is run as a reader would paste it: its ```` ```python ```` blocks in
order, in one namespace, in this process (the pages start their own emulator with
``Runtime.local()``). A block that must not run carries the marker line
``<!-- docs-test: skip: REASON -->`` just before it; the marker is rare and each use says why
(and where else the block is exercised).

Sections that the pages include from the README (``--8<-- "README.md:..."``) are not repeated
here: ``tests/test_e2e_readme.py`` runs them. The site itself is built with warnings as errors by
``scripts/docs.py build``, a gate of ``scripts/check.py``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SKIP = re.compile(r"<!-- docs-test: skip: (?P<reason>[^>]+?) -->\s*$")
BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


# What some pages print (their comments say so too): the code does what the prose claims.
EXPECTED: dict[str, tuple[str, ...]] = {
    "guides/modes.md": (
        "best theta: (0.0,",
        "True False",
        "['Completed', 'Completed']",
        "\n11 200\n",
    ),
    "guides/pubs.md": ("() (2, 3) (3,)", "(2, 3) 100", "(2, 3) (2, 3)", "[1, -1]"),
    "guides/options.md": ("200 50", "True 50", "immutable: cannot set 'default_shots'"),
    "guides/results.md": ("['meas', 'flag']", "1000 2 ()", "True True [0]"),
    "guides/errors.md": (
        "404 not_found True",
        "Failed 1000 calibration drift",
        "Ran too long 1305",
    ),
    "guides/many-jobs.md": (
        "6 1",
        "failed: on purpose",
        "[10, 20, 30, 40]",
        "6 done, 1 failed",
        "7 20\nCompleted\n",
    ),
    "guides/connecting.md": ("environment", "saved account 'emulator' True", "0o600", "42.0"),
    "guides/emulator.md": ("ibm_emulator_5q", "True"),
    "guides/executor.md": (
        "(2, 3, 500, 1) (4, 500, 2)",
        "(8, 100, 2)\nTrue\nExecutorJob Completed\n['executor', 'executor']",
        "['meas', 'measurement_flips.meas']",
        "\nexecutor\n",
        "(2, 200, 1) [0. 1.]",
    ),
    "guides/regenerating.md": ("['ibm_emulator_5q', 'ibm_emulator_27q', 'ibm_emulator_127q'",),
    # the ISA path, options, many jobs with progress and listings (issue 16)
    "migration.md": (
        "Backend(name='ibm_emulator_5q', num_qubits=5)\n1\n" + str(["Completed"] * 4),
        "4/4",
        "4 done, 0 failed",
        "\nTrue\n",
    ),
}


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if BLOCK.search(p.read_text(encoding="utf-8")))


def blocks(page: Path) -> list[tuple[int, str, str | None]]:
    """``(line, code, skip reason)`` of each Python block of ``page``."""
    text = page.read_text(encoding="utf-8")
    out = []
    for match in BLOCK.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = SKIP.search(before)
        line = text.count("\n", 0, match.start()) + 2
        out.append((line, match.group(1), skip.group("reason") if skip else None))
    return out


def run_page(page: Path) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"docs.{page.stem}"}
    name = str(page.relative_to(ROOT))
    for line, code, skip in blocks(page):
        if skip is None:
            # Pad so that tracebacks point at the page's own line numbers.
            exec(compile("\n" * (line - 1) + code, name, "exec"), namespace)
    return namespace


def test_the_pages_have_code_and_rarely_skip() -> None:
    found = {p.relative_to(DOCS).as_posix() for p in pages()}
    guides = {p.relative_to(DOCS).as_posix() for p in (DOCS / "guides").glob("*.md")}
    with_code = guides - {"guides/cli.md"}  # shell commands only
    assert with_code <= found, with_code - found
    skipped = [(p, line, why) for p in pages() for line, _, why in blocks(p) if why]
    total = sum(len(blocks(p)) for p in pages())
    assert len(skipped) <= 2 and total >= 40, (skipped, total)
    for _, _, why in skipped:
        assert "tests/" in why  # says where the block is exercised instead


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.relative_to(DOCS).as_posix())
def test_page_runs(page: Path, capsys: pytest.CaptureFixture[str], clean_env: None) -> None:
    namespace = run_page(page)
    runtime = namespace.get("rt")
    if runtime is not None and hasattr(runtime, "emulator"):
        assert runtime.emulator is None, "the page leaves its Runtime.local() running"
    captured = capsys.readouterr()
    for expected in EXPECTED.get(page.relative_to(DOCS).as_posix(), ()):
        assert expected in captured.out + captured.err, expected
