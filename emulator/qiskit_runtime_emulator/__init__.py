"""A local Qiskit Runtime service."""
