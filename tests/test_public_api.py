"""The public surface a user touches (issue 16): docstrings that say what raises, no private
parameters in signatures, a clean ``dir()``, no ``Unset`` in what the wrapper returns, and a
light import (no qiskit, no progress library until asked for)."""

from __future__ import annotations

import inspect
import pydoc
import subprocess
import sys

import qiskit_runtime_rest as q

# the handles whose methods talk to the service: each says what it raises
IO_CLASSES = [
    "Runtime",
    "AsyncRuntime",
    "Job",
    "AsyncJob",
    "Session",
    "Batch",
    "AsyncSession",
    "AsyncBatch",
    "Sampler",
    "Estimator",
    "AsyncSampler",
    "AsyncEstimator",
    "Executor",
    "AsyncExecutor",
    "ExecutorJob",
    "AsyncExecutorJob",
    "Backend",
    "AsyncBackend",
]


def _public_members(cls: type) -> list[tuple[str, object]]:
    out = []
    for name, member in inspect.getmembers(cls):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(cls, name)
        if isinstance(static, property):
            if str(getattr(static.fget, "__module__", "")).startswith("qiskit_runtime_rest"):
                out.append((name, static))
        elif callable(member) and str(getattr(member, "__module__", "")).startswith(
            "qiskit_runtime_rest"
        ):
            out.append((name, member))
    return out


def test_every_public_callable_is_documented_and_io_says_what_it_raises() -> None:
    undocumented, silent = [], []
    for name in q.__all__:
        obj = getattr(q, name)
        if not inspect.isclass(obj):
            continue
        assert inspect.getdoc(obj), name
        if issubclass(obj, BaseException):
            continue
        for attr, member in _public_members(obj):
            doc = inspect.getdoc(member)
            if not doc:
                undocumented.append(f"{name}.{attr}")
            elif name in IO_CLASSES and not isinstance(member, property) and "Raises" not in doc:
                silent.append(f"{name}.{attr}")
    assert undocumented == [] and silent == []
    text = pydoc.render_doc(q.Job.result, renderer=pydoc.plaintext)
    assert "Raises:" in text and "JobFailedError" in text and "JobTimeoutError" in text


def test_no_private_parameter_in_public_signatures() -> None:
    for name in q.__all__:
        obj = getattr(q, name)
        if not inspect.isclass(obj):
            continue
        members = [("__init__", obj.__init__), *_public_members(obj)]
        for attr, member in members:
            if isinstance(member, property) or not callable(member):
                continue
            try:
                params = inspect.signature(member).parameters
            except (TypeError, ValueError):
                continue
            private = [p for p in params if p.startswith("_") and p != "__self"]
            assert not private, f"{name}.{attr}{private}"
    assert "_sources" not in str(inspect.signature(q.Runtime))


def test_dir_offers_only_public_names() -> None:
    names = dir(q)
    for noise in ("Any", "TYPE_CHECKING", "importlib", "annotations"):
        assert noise not in names
    assert {"Runtime", "Backend", "BitArray", "JobDetails", "FrozenOptionsError"} <= set(names)
    assert set(names) == set(q.__all__)


def test_returned_views_have_no_unset_in_their_types() -> None:
    """What the wrapper hands out is typed without the generator's ``Unset``."""
    for cls in (
        q.Runtime,
        q.AsyncRuntime,
        q.Job,
        q.AsyncJob,
        q.ExecutorJob,
        q.Executor,
        q.Session,
        q.Backend,
    ):
        for attr, member in _public_members(cls):
            target = member.fget if isinstance(member, property) else member
            returned = str(getattr(target, "__annotations__", {}).get("return"))
            assert "Unset" not in returned, f"{cls.__name__}.{attr}"
            assert "Model" not in returned, f"{cls.__name__}.{attr} returns a generated model"


def _run(code: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return out.stdout.strip()


def test_import_loads_no_qiskit_and_no_progress_library() -> None:
    # httpx imports rich for its command line when click is installed too (as in the dev
    # environment); a user of the progress extra has no click, so it is blocked here
    code = (
        "import sys\n"
        "sys.modules['click'] = None\n"
        "import qiskit_runtime_rest\n"
        "from qiskit_runtime_rest import Runtime, Backend, BitArray, JobDetails\n"
        "import qiskit_runtime_rest.progress\n"  # the module itself is light
        "heavy = ('qiskit', 'qiskit_ibm_runtime', 'rich', 'IPython')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        "qiskit_runtime_rest.progress.open_display('x', 1).close()\n"
        "print('rich' in sys.modules, 'qiskit' in sys.modules)\n"
    )
    assert _run(code).splitlines() == ["[]", "True False"]
