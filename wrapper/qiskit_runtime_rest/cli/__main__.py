"""``python -m qiskit_runtime_rest.cli``: the same as the ``qiskit-runtime-rest`` script."""

import sys

from qiskit_runtime_rest.cli.app import main

sys.exit(main())
