"""The durable store's SQLite database: its file, schema, migrations, connections and locking.

One database file, ``emulator.sqlite3``, in the server's data directory, in WAL mode with
``synchronous=NORMAL``: a transaction is on disk (in the write-ahead log) when ``COMMIT``
returns, so it survives the emulator's process being killed (``kill -9``, a crash); only a crash
of the operating system or a power cut may lose the last transactions. A second server on the
same directory is refused (an exclusive ``flock`` on ``emulator.lock``).

The schema's version is SQLite's ``PRAGMA user_version``: :data:`MIGRATIONS` lists the steps
from an empty file to the current schema, and opening a database applies the missing ones, each
in a transaction. A database written by a newer emulator (a version this one does not know) is
refused with :class:`StoreError`, never altered.

Each thread uses its own connection (sqlite3 connections are not shared across threads); the
store serializes its writes under its own lock, and WAL lets readers run meanwhile. The log is
copied into the database file by :meth:`Database.checkpoint`, which the scheduler's tick calls
once a second, rather than by whichever commit fills it (SQLite's default, kept as a backstop
for a log of 40 MB).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

__all__ = ["DB_FILE", "MIGRATIONS", "SCHEMA_VERSION", "Database", "StoreError"]

DB_FILE = "emulator.sqlite3"
LOCK_FILE = "emulator.lock"

_V1 = (
    # Jobs: the columns GET /jobs filters and sorts by, the params (read only when asked for),
    # and everything else as one JSON document.
    """CREATE TABLE jobs (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        instance_crn TEXT NOT NULL,
        program_id TEXT NOT NULL,
        backend TEXT NOT NULL,
        status TEXT NOT NULL,
        top_status TEXT NOT NULL,
        final INTEGER NOT NULL,
        session_id TEXT,
        created REAL NOT NULL,
        params TEXT NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX jobs_by_instance ON jobs (instance_crn, seq)",
    "CREATE INDEX jobs_by_final ON jobs (instance_crn, final, seq)",
    "CREATE INDEX jobs_by_backend ON jobs (instance_crn, backend, seq)",
    "CREATE INDEX jobs_by_program ON jobs (instance_crn, program_id, seq)",
    "CREATE INDEX jobs_by_created ON jobs (instance_crn, created)",
    "CREATE INDEX jobs_by_session ON jobs (session_id, seq) WHERE session_id IS NOT NULL",
    "CREATE INDEX jobs_final_by_age ON jobs (final, seq)",
    """CREATE TABLE job_tags (
        tag TEXT NOT NULL,
        job_seq INTEGER NOT NULL,
        PRIMARY KEY (tag, job_seq)
    ) WITHOUT ROWID""",
    "CREATE INDEX job_tags_by_job ON job_tags (job_seq)",
    "CREATE TABLE results (job_seq INTEGER PRIMARY KEY, data BLOB NOT NULL)",
    """CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        instance_crn TEXT NOT NULL,
        state TEXT NOT NULL,
        created REAL NOT NULL,
        doc TEXT NOT NULL
    )""",
    "CREATE INDEX sessions_by_instance ON sessions (instance_crn, created)",
    "CREATE INDEX sessions_by_state ON sessions (state)",
    "CREATE TABLE usage (instance_crn TEXT PRIMARY KEY, seconds REAL NOT NULL)",
    "CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)

MIGRATIONS: list[Sequence[str]] = [_V1]
"""Step ``i`` takes a database from schema version ``i`` to ``i + 1`` (0: an empty file).
Append new steps; never edit a released one."""

SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(RuntimeError):
    """The data directory cannot be used: in use by another server, or a newer schema."""


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: no implicit transactions; the store opens its own (BEGIN IMMEDIATE).
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0, check_same_thread=False)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=OFF")
    # Checkpoints (they sync the database file) run off the request path, every second, in the
    # store's maintenance (Database.checkpoint); a commit runs one only if the log grew past
    # ~40 MB meanwhile (SQLite's default: 4 MB, which a busy server fills every few seconds).
    conn.execute("PRAGMA wal_autocheckpoint=10000")
    return conn


def migrate(conn: sqlite3.Connection, migrations: Sequence[Sequence[str]] = MIGRATIONS) -> int:
    """Bring the database to the newest schema; returns the version it had.

    Raises :class:`StoreError` for a version newer than ``len(migrations)``."""
    found = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if found > len(migrations):
        raise StoreError(
            f"the database's schema version is {found}, newer than this emulator knows "
            f"({len(migrations)}): it was written by a newer qiskit-runtime-rest. Upgrade, or "
            "use another data directory"
        )
    for version in range(found, len(migrations)):
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in migrations[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


class Database:
    """The database of one data directory (created if missing); see the module docstring."""

    def __init__(self, data_dir: str | os.PathLike[str]) -> None:
        self.data_dir = Path(data_dir).expanduser()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / DB_FILE
        self._lock_fd = os.open(self.data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._lock_fd)
            raise StoreError(
                f"the data directory {self.data_dir} is in use by another emulator server "
                "(one server per directory: give this one another --data-dir, or --ephemeral)"
            ) from None
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self.closed = False
        try:
            conn = self.conn
            conn.execute("PRAGMA journal_mode=WAL")
            self.found_version = migrate(conn)
        except BaseException:
            self.close()
            raise

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self.closed:
                raise StoreError(f"the store of {self.data_dir} is closed (its server stopped)")
            conn = _connect(self.path)
            self._local.conn = conn
            with self._all_lock:
                self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction, committed (on disk, see the module docstring) when it ends."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, without blocking writers
        (PASSIVE)."""
        self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def close(self) -> None:
        """Close every connection and let another server use the directory."""
        self.closed = True
        with self._all_lock:
            conns, self._all = self._all, []
        for conn in conns:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._local = threading.local()
        if self._lock_fd >= 0:
            with contextlib.suppress(OSError):
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
                os.close(self._lock_fd)
            self._lock_fd = -1
