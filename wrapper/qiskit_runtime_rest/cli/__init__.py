"""``qiskit-runtime-rest``: the command line of the SDK (jobs, results, sessions, backends, usage
and saved accounts, from a terminal). See :mod:`qiskit_runtime_rest.cli.app` for the commands
and their exit codes; ``qiskit-runtime-rest --help`` lists them.

Only the command line imports click; ``import qiskit_runtime_rest`` does not import this package.
"""

from __future__ import annotations

from qiskit_runtime_rest.cli.app import cli, main

__all__ = ["cli", "main"]
