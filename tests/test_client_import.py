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
    ]
    code = f"import sys, qiskit_runtime_rest\nprint([m for m in {heavy!r} if m in sys.modules])"
    assert _run(code) == "[]"


def test_runtime_does_not_need_numpy_or_qiskit() -> None:
    code = (
        "import sys\n"
        "from qiskit_runtime_rest import Runtime, SamplerOptions\n"
        "heavy = ('numpy', 'qiskit', 'qiskit_runtime_emulator')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    assert _run(code) == "[]"


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
    modules = {p.stem for p in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name in modules:
        edges: set[str] = set()
        for node in ast.walk(ast.parse((package / f"{name}.py").read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] != "qiskit_runtime_rest":
                    continue
                if len(parts) > 1:
                    edges.add(parts[1])
                else:  # from qiskit_runtime_rest import x: a module, or a name of the package
                    edges |= {a.name if a.name in modules else "__init__" for a in node.names}
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "qiskit_runtime_rest":
                        edges.add(parts[1] if len(parts) > 1 else "__init__")
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
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])
    assert _cycle({**graph, "errors": {"transport"}}) is not None  # and a cycle is found
