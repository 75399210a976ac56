"""qiskit-runtime-rest: a typed, lightweight SDK for the Qiskit Runtime REST API."""

__version__ = "0.1.0"
