"""``import qiskit_runtime_rest`` stays light: no httpx, numpy, qiskit or emulator until used;
and the wrapper's modules import each other without cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
import qiskit_runtime_rest


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return out.stdout.strip()


def test_import_loads_no_heavy_module() -> None:
    heavy = [
        "httpx",
        "numpy",
        "qiskit",
        "qiskit_ibm_runtime",
        "samplomatic",
        "pydantic",
        "qiskit_runtime_emulator",
        "qiskit_runtime_api",
        "click",  # the command line's library, imported only by qiskit_runtime_rest.cli
    ]
    code = f"import sys, qiskit_runtime_rest\nprint([m for m in {heavy!r} if m in sys.modules])"
    assert _run(code) == "[]"


def test_cli_help_loads_neither_the_client_nor_numpy() -> None:
    """``qiskit-runtime-rest --help`` answers without httpx, numpy, rich or the generated client
    (the start-up figure of scripts/bench_startup.py measures it)."""
    code = (
        "import contextlib, io, sys\n"
        "from qiskit_runtime_rest.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
        "    code = main(['--help'])\n"
        "assert code == 0 and 'Commands:' in out.getvalue()\n"
        "heavy = ('httpx', 'numpy', 'rich', 'qiskit', 'qiskit_runtime_api',\n"
        "         'qiskit_runtime_emulator')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert _run(code) == "[]"


def test_runtime_does_not_need_numpy_or_qiskit() -> None:
    code = (
        "import sys\n"
        "from qiskit_runtime_rest import Runtime, SamplerOptions\n"
        "heavy = ('numpy', 'qiskit', 'qiskit_runtime_emulator')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert _run(code) == "[]"


def test_importing_runtime_leaves_httpx_to_the_first_client() -> None:
    """``from qiskit_runtime_rest import Runtime, SamplerPub`` loads neither httpx (nor what its
    own import pulls in: its command line's rich, click and pygments) nor asyncio; the first
    client does (the start-up figure of scripts/bench_startup.py)."""
    code = (
        "import sys\n"
        "from qiskit_runtime_rest import Runtime, SamplerPub\n"
        "heavy = ('httpx', 'httpcore', 'asyncio', 'rich', 'pygments', 'qiskit_runtime_api.client',"
        " 'qiskit_runtime_rest.transport', 'qiskit_runtime_rest.auth')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "Runtime(token='t', instance='crn:v1:x', url='https://runtime.test/api/v1', "
        "access_token=None, iam_url='https://iam.test', trust_env=False).close()\n"
        "print('httpx' in sys.modules)"
    )
    assert _run(code) == "[]\nTrue"


def test_quantum_programs_need_neither_qiskit_nor_samplomatic() -> None:
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from qiskit_runtime_rest.programs import CircuitItem, QuantumProgram, "
        "decode_program_result\n"
        "qasm = 'OPENQASM 3.0; input float[64] t; bit[1] c; qubit[1] q; rx(t) q[0]; "
        "c[0] = measure q[0];'\n"
        "program = QuantumProgram([CircuitItem(qasm, np.zeros((2, 3)))], shots=10)\n"
        "params = program.to_params()\n"
        "from qiskit_runtime_rest.codec import encode_tensor\n"
        "bits = encode_tensor(np.zeros((2, 3, 10, 1), bool))\n"
        "doc = {'schema_version': 'v2.0', 'data': [{'results': {'c': bits}, 'metadata': {}}], "
        "'metadata': {'chunk_timing': []}}\n"
        "assert decode_program_result(doc, program)[0]['c'].shape == (2, 3, 10, 1)\n"
        "heavy = ('qiskit', 'qiskit_ibm_runtime', 'samplomatic', 'pydantic', "
        "'qiskit_runtime_emulator')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert _run(code) == "[]"


def test_public_names_resolve() -> None:
    for name in qiskit_runtime_rest.__all__:
        assert getattr(qiskit_runtime_rest, name) is not None, name
    assert "Runtime" in dir(qiskit_runtime_rest)
    with pytest.raises(AttributeError):
        qiskit_runtime_rest.DoesNotExist  # noqa: B018


def test_local_without_the_emulator_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from qiskit_runtime_rest import Runtime

    monkeypatch.setitem(sys.modules, "qiskit_runtime_emulator.server", None)
    with pytest.raises(ImportError, match=r"pip install 'qiskit-runtime-rest\[local\]'"):
        Runtime.local()


def _wrapper_imports() -> dict[str, set[str]]:
    """Which wrapper modules each wrapper module imports, anywhere in it (module level, inside
    functions, under ``TYPE_CHECKING``)."""
    package = Path(qiskit_runtime_rest.__file__).parent
    files: dict[str, Path] = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package).with_suffix("").parts
        if len(parts) > 1 and parts[-1] == "__init__":  # a subpackage: cli/__init__.py -> cli
            parts = parts[:-1]
        files[".".join(parts)] = path
    modules = set(files)

    def module_of(dotted: list[str]) -> str:
        # qiskit_runtime_rest.cli.app -> "cli.app"; a name inside a module -> that module
        for end in range(len(dotted), 0, -1):
            if ".".join(dotted[:end]) in modules:
                return ".".join(dotted[:end])
        return "__init__"

    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] != "qiskit_runtime_rest":
                    continue
                base = parts[1:]
                # from qiskit_runtime_rest[.pkg] import x: a module x, or a name of the package
                edges |= {
                    module_of([*base, a.name]) if base or a.name in modules else "__init__"
                    for a in node.names
                }
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "qiskit_runtime_rest":
                        edges.add(module_of(parts[1:]))
        graph[name] = edges - {name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (as a path that returns to its start), or None."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        for child in sorted(graph.get(node, ())):
            found = visit(child, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in sorted(graph):
        found = visit(start, [])
        if found:
            return found
    return None


def test_the_wrapper_has_no_import_cycle() -> None:
    graph = _wrapper_imports()
    assert "errors" in graph["transport"]  # the graph is really read
    assert "cli.output" in graph["cli.app"]  # subpackages included
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])
    assert _cycle({**graph, "errors": {"transport"}}) is not None  # and a cycle is found
