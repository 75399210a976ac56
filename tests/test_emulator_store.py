"""The store's parts (issue 14): timer heaps, schema migrations, retention, recovery, /metrics.

Unit tests on :class:`~qiskit_runtime_emulator.store.Store` (in memory and durable, in a
temporary directory), and the HTTP-level checks of ``GET /metrics`` and the command line's
store options. The kill -9 and 50,000-job checks are in ``tests/test_emulator_durable.py``.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
import qiskit_runtime_emulator
from qiskit_runtime_emulator.cli import build_parser, duration
from qiskit_runtime_emulator.config import DEFAULT_CRN, EmulatorConfig, default_data_dir
from qiskit_runtime_emulator.database import (
    DB_FILE,
    MIGRATIONS,
    SCHEMA_VERSION,
    Database,
    StoreError,
    migrate,
)
from qiskit_runtime_emulator.server import EmulatorServer
from qiskit_runtime_emulator.store import JobRecord, SessionRecord, Store
from qiskit_runtime_emulator.timers import DeadlineHeap

RESULT = b'{"results":[]}'
STD = 'OPENQASM 3.0; include "stdgates.inc";'


def new_job(
    store: Store, *, cost: int = 60, session_id: str | None = None, age: float = 0.0
) -> JobRecord:
    return JobRecord(
        id=store.new_id(),
        seq=store.next_seq(),
        instance_crn=DEFAULT_CRN,
        user_id="user",
        program_id="sampler",
        backend="ibm_emulator_simulator",
        params={"pubs": [["qasm", None, 10]], "version": 2},
        created=time.time() - age,
        cost=cost,
        session_id=session_id,
        tags=["t"],
    )


def done_job(store: Store, **kwargs: object) -> JobRecord:
    job = new_job(store, **kwargs)  # type: ignore[arg-type]
    assert store.add_job(job)
    assert store.start_job(job)
    assert store.complete_job(job, RESULT, 1.0)
    return job


def new_session(store: Store, max_ttl: int = 100, interactive_ttl: int = 10) -> SessionRecord:
    now = time.time()
    session = SessionRecord(
        id=store.new_id(),
        instance_crn=DEFAULT_CRN,
        user_id="user",
        backend_name=None,
        mode="dedicated",
        max_ttl=max_ttl,
        interactive_ttl=interactive_ttl,
        created=now,
        created_mono=time.monotonic(),
    )
    store.add_session(session)
    return session


@pytest.fixture(params=["memory", "durable"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "data" if request.param == "durable" else None)
    yield s
    s.close()


# ---------------------------------------------------------------------------- timers


def test_the_deadline_heap_pops_due_keys_once_in_order() -> None:
    heap = DeadlineHeap()
    heap.schedule("a", 3.0)
    heap.schedule("b", 1.0)
    heap.schedule("c", 2.0)
    heap.schedule("a", 0.5)  # moved earlier: the old entry is skipped
    heap.cancel("c")
    assert heap.pop_due(0.1) == []
    assert heap.pop_due(2.5) == ["a", "b"]
    assert heap.pop_due(10.0) == []
    assert len(heap) == 0
    for i in range(10000):  # rescheduling one key many times keeps the heap small
        heap.schedule("k", float(i))
    assert len(heap._heap) < 200
    assert heap.pop_due(1e9) == ["k"]


def test_timers_hold_only_live_jobs_and_sessions(store: Store) -> None:
    for _ in range(300):
        done_job(store)
    running = new_job(store, cost=1)
    assert store.add_job(running) and store.start_job(running)
    session = new_session(store)
    assert len(store._deadlines) == 1  # the running job; finished ones left the heap
    assert len(store._wakeups) == 1
    assert store.overdue_jobs(time.monotonic()) == []
    overdue = store.overdue_jobs(time.monotonic() + 2)
    assert overdue == [running]
    assert store.overdue_jobs(time.monotonic() + 2) == []  # each deadline fires once
    assert store.time_out_job(running)
    store.cancel_session(session)
    assert len(store._deadlines) == 0 and len(store._wakeups) == 0


def test_a_session_closes_at_its_max_ttl_from_the_heap(store: Store) -> None:
    session = new_session(store, max_ttl=1)
    queued = new_job(store, session_id=session.id)
    assert store.add_job(queued)
    store.settle_sessions()
    assert session.state == "open"
    session.created_mono -= 2  # as if two seconds passed
    store._schedule_session(session)
    store.settle_sessions()
    assert session.state == "closed"
    assert queued.status == "Cancelled"
    again = store.get_session(DEFAULT_CRN, session.id)
    assert again is not None and again.state == "closed"


# ---------------------------------------------------------------------------- schema


def test_a_new_database_gets_the_current_schema_and_a_newer_one_is_refused(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path)
    assert db.found_version == 0
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    with sqlite3.connect(tmp_path / DB_FILE) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this emulator knows"):
        Store(tmp_path)
    with sqlite3.connect(tmp_path / DB_FILE) as conn:  # refused, and left as it was
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_migrations_apply_the_missing_steps_and_keep_the_data(tmp_path: Path) -> None:
    store = Store(tmp_path)
    job = done_job(store)
    store.close()
    extra = [*MIGRATIONS, ("ALTER TABLE jobs ADD COLUMN note TEXT",)]
    conn = sqlite3.connect(tmp_path / DB_FILE, isolation_level=None)
    assert migrate(conn, extra) == SCHEMA_VERSION
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert conn.execute("SELECT id, note FROM jobs").fetchall() == [(job.id, None)]
    assert migrate(conn, extra) == SCHEMA_VERSION + 1  # nothing left to do
    broken = [*extra, ("CREATE TABLE x (a)", "CREATE TABLE x (a)")]
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, broken)
    # A step that fails leaves the database at the version before it.
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'x'").fetchone()[0] == 0
    conn.close()


def test_one_server_per_data_directory(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with pytest.raises(qiskit_runtime_emulator.StoreError, match="in use by another emulator"):
        EmulatorServer(data_dir=tmp_path)
    store.close()
    Store(tmp_path).close()  # free again once closed


# ---------------------------------------------------------------------------- retention


def test_retention_deletes_the_oldest_final_jobs_beyond_max_jobs(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    live = new_job(store)
    assert store.add_job(live)  # the oldest job, but Queued: never deleted
    jobs = [done_job(store) for _ in range(10)]
    store.max_jobs = 4
    with caplog.at_level(logging.INFO, logger="qiskit_runtime_emulator.store"):
        deleted = store.apply_retention()
    assert deleted == [j.id for j in jobs[:7]]
    assert "retention (max_jobs=4): deleted 7 final job(s)" in caplog.text
    assert jobs[0].id in caplog.text
    page, total = store.query_jobs(DEFAULT_CRN)
    assert total == 4
    assert [j.id for j in page] == [j.id for j in reversed(jobs[7:])] + [live.id]
    assert store.get_job(DEFAULT_CRN, jobs[0].id) is None
    assert store.stats()["jobs"] == 4 and store.stats()["jobs_deleted"] == 7
    assert store.apply_retention() == []


def test_retention_deletes_final_jobs_older_than_max_age(store: Store) -> None:
    old = [done_job(store, age=7200) for _ in range(3)]
    live = new_job(store, age=7200)
    assert store.add_job(live)
    new = done_job(store)
    store.max_age = 3600
    assert store.apply_retention() == [j.id for j in old]
    assert store.apply_retention() == []
    assert store.apply_retention(now=time.time() + 3601) == [new.id]
    assert store.query_jobs(DEFAULT_CRN)[1] == 1


# ---------------------------------------------------------------------------- durability


def test_a_reopened_store_has_every_job_session_result_and_ttl_clock(tmp_path: Path) -> None:
    store = Store(tmp_path)
    session = new_session(store, max_ttl=1000, interactive_ttl=100)
    done = done_job(store, session_id=session.id)
    running = new_job(store, session_id=session.id)
    assert store.add_job(running) and store.start_job(running)
    queued = new_job(store)
    assert store.add_job(queued)
    store.set_tags(done, ["x", "y"])
    consumed = dict(store.consumed)
    ttl_before = session.active_ttl(time.monotonic())
    # Every change is on disk already (the next line is what a kill -9 would leave).
    assert not (store._dirty_jobs or store._dirty_sessions or store._dirty_usage)
    store.close()

    again = Store(tmp_path)
    assert [j.id for j in again.recovered] == [running.id, queued.id]
    rerun = again.jobs[running.id]
    assert rerun.status == "Queued" and rerun.running_at is None
    assert "runs again from the start" in again.job_logs(rerun)[-1]
    assert again.stats()["jobs_by_status"] == {"Completed": 1, "Queued": 2}
    assert again.pending_on_backend("ibm_emulator_simulator") == 2
    got = again.get_job(DEFAULT_CRN, done.id)
    assert got is not None and got.tags == ["x", "y"] and got.params == done.params
    assert again.job_result(got) == RESULT
    assert again.query_jobs(DEFAULT_CRN, tags=["x", "y"])[1] == 1
    assert again.query_jobs(DEFAULT_CRN, tags=["x", "t"])[1] == 0
    assert again.query_jobs(DEFAULT_CRN, pending=True)[1] == 2
    assert again.query_jobs(DEFAULT_CRN, session_id=session.id)[1] == 2
    assert again.consumed == consumed
    s = again.get_session(DEFAULT_CRN, session.id)
    assert s is not None and s.state == "active" and s.job_ids == [done.id, running.id]
    assert 0 <= ttl_before - s.active_ttl(time.monotonic()) <= 2
    assert again.sessions_of(DEFAULT_CRN)[1] == 1
    assert len(again._wakeups) == 1
    again.close()


def test_a_private_result_is_read_once_even_across_restarts(tmp_path: Path) -> None:
    store = Store(tmp_path)
    job = new_job(store)
    job.private = True
    assert store.add_job(job) and store.start_job(job)
    assert store.complete_job(job, RESULT, None)
    got = store.get_job(DEFAULT_CRN, job.id)
    assert got is not None and store.job_result(got, consume=False) == RESULT  # a look
    assert store.job_result(got) == RESULT
    assert store.job_result(got) is None
    store.close()
    again = Store(tmp_path)
    got = again.get_job(DEFAULT_CRN, job.id)
    assert got is not None and again.job_result(got) is None
    again.close()


def test_the_server_resumes_queued_jobs_from_its_data_dir(tmp_path: Path) -> None:
    config = EmulatorConfig(workers=1, seed=3, strict_responses=True)
    store = Store(tmp_path)
    job = new_job(store)
    job.params = {
        "pubs": [[f"{STD} qubit[1] q; bit[1] c; x q[0]; c[0] = measure q[0];", None, 8]],
        "version": 2,
    }
    assert store.add_job(job)
    store.close()
    with (
        EmulatorServer(config, data_dir=tmp_path) as server,
        httpx.Client(base_url=server.url, headers=server.headers()) as client,
    ):
        deadline = time.monotonic() + 60
        while (state := client.get(f"/jobs/{job.id}").json())["status"] != "Completed":
            assert state["status"] in ("Queued", "Running"), state["state"]
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert client.get(f"/jobs/{job.id}/results").status_code == 200


# ---------------------------------------------------------------------------- metrics


def test_metrics_need_credentials_and_count_jobs_and_requests(
    make_emulator: Callable[..., EmulatorServer],
) -> None:
    servers = [make_emulator() for _ in range(2)]  # one registry each: no clash
    server = servers[0]
    anonymous = httpx.get(f"{server.base_url}/metrics")
    assert anonymous.status_code == 401
    assert "Missing credentials" in anonymous.text
    with httpx.Client(base_url=server.url, headers=server.headers()) as client:
        job = client.post(
            "/jobs",
            json={
                "program_id": "sampler",
                "backend": "ibm_emulator_simulator",
                "params": {
                    "pubs": [["OPENQASM 3.0; qubit[1] q; bit[1] c; c[0] = measure q[0];"]],
                    "version": 2,
                },
            },
        ).json()["id"]
        while client.get(f"/jobs/{job}").json()["status"] != "Completed":
            time.sleep(0.05)
        assert client.get("/jobs/nope").status_code == 404
        r = client.get(f"{server.base_url}/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=")
    text = r.text
    assert 'qiskit_runtime_emulator_jobs{status="Completed"} 1.0' in text
    assert "qiskit_runtime_emulator_queue_length 0.0" in text
    assert (
        'qiskit_runtime_emulator_job_duration_seconds_count{program="sampler",status="Completed"}'
        " 1.0" in text
    )
    assert (
        'qiskit_runtime_emulator_requests_total{method="GET",route="/api/v1/jobs/{job_id}",'
        'status="404"} 1.0' in text
    )
    assert 'route="/metrics",status="401"' in text
    # An API key alone will do (no Service-CRN): what a Prometheus scrape config can send.
    apikey = {"Authorization": f"apikey {servers[1].api_key}"}
    other = httpx.get(f"{servers[1].base_url}/metrics", headers=apikey).text
    assert 'qiskit_runtime_emulator_jobs{status="Completed"}' not in other
    # /metrics is the emulator's own page, not an operation of the API: not under its roots.
    with httpx.Client(base_url=server.url, headers=server.headers()) as client:
        assert client.get("/metrics").status_code == 404


# ---------------------------------------------------------------------------- command line


def test_serve_is_durable_by_default_in_the_users_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr("sys.platform", "linux")
    assert default_data_dir() == tmp_path / "qiskit-runtime-emulator"
    args = build_parser().parse_args(["serve", "--data-dir", "d", "--max-age", "30d"])
    assert (args.data_dir, args.ephemeral, args.max_age) == ("d", False, 30 * 86400)
    assert build_parser().parse_args(["serve", "--ephemeral"]).ephemeral
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--ephemeral", "--data-dir", "d"])
    assert duration("90") == 90 and duration("2h") == 7200
    with pytest.raises(Exception, match="not a duration"):
        duration("soon")
    assert EmulatorConfig.from_dict({"data_dir": "~/x", "max_jobs": 5}).data_dir == str(
        Path("~/x").expanduser()
    )
