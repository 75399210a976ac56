"""``GET /metrics``: the emulator's figures in Prometheus' text format (prometheus-client).

Each server has a registry of its own (never the library's global one: a test process runs many
servers). What it exports:

* ``qiskit_runtime_emulator_jobs{status}``: stored jobs by top-level status (read from the
  store's counters when scraped: no scan of the jobs);
* ``qiskit_runtime_emulator_queue_length``: jobs waiting for a worker;
* ``qiskit_runtime_emulator_sessions{state}``: stored sessions by state;
* ``qiskit_runtime_emulator_job_duration_seconds{program,status}``: how long jobs ran
  (Running to final), a histogram;
* ``qiskit_runtime_emulator_requests_total{method,route,status}``: answered requests by route
  template (``/api/v1/jobs/{job_id}``; ``<unmatched>`` for paths without a route).
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from .store import JobRecord, Store

__all__ = ["CONTENT_TYPE", "UNMATCHED_ROUTE", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED_ROUTE = "<unmatched>"
_PREFIX = "qiskit_runtime_emulator"
_DURATION_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 10800)


class _StoreCollector(Collector):
    """Job, queue and session figures, read from the store when scraped."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def collect(self) -> Iterator[GaugeMetricFamily]:
        stats = self.store.stats()
        jobs = GaugeMetricFamily(f"{_PREFIX}_jobs", "Stored jobs by status", labels=["status"])
        for status, n in sorted(stats["jobs_by_status"].items()):
            jobs.add_metric([status], n)
        yield jobs
        yield GaugeMetricFamily(
            f"{_PREFIX}_queue_length",
            "Jobs waiting for a worker (Queued)",
            value=self.store.queued_jobs(),
        )
        sessions = GaugeMetricFamily(
            f"{_PREFIX}_sessions", "Stored sessions by state", labels=["state"]
        )
        for state, n in sorted(stats["sessions_by_state"].items()):
            sessions.add_metric([state], n)
        yield sessions


class Metrics:
    """The metrics of one server; :meth:`render` is the body of ``GET /metrics``."""

    def __init__(self, store: Store) -> None:
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(_StoreCollector(store))
        self.requests = Counter(
            f"{_PREFIX}_requests",
            "Answered requests by method, route template and status (0: dropped on purpose)",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.job_duration = Histogram(
            f"{_PREFIX}_job_duration_seconds",
            "How long jobs ran, from Running to their final status",
            ["program", "status"],
            buckets=_DURATION_BUCKETS,
            registry=self.registry,
        )
        store.on_job_final.append(self._job_final)

    def _job_final(self, job: JobRecord) -> None:
        if job.running_at is not None:
            self.job_duration.labels(job.program_id, job.top_status).observe(job.usage_seconds)

    def request(self, method: str, route: str, status: int) -> None:
        self.requests.labels(method, route, str(status)).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
