"""``qiskit-runtime-emulator serve``: run the emulator in the foreground.

```
qiskit-runtime-emulator serve [--host 127.0.0.1] [--port 8000] [--config FILE] [--workers N]
                              [--seed N] [--rate-limit N] [--test-knobs] [--strict]
                              [--fake-backend FakeSherbrooke] [--noiseless NAME] [--no-noise]
                              [--data-dir PATH | --ephemeral] [--max-jobs N] [--max-age 30d]
                              [--dask-scheduler tcp://host:8786] [--no-dashboard]
                              [--log-level info]
python -m qiskit_runtime_emulator serve ...
```

The store is durable by default: jobs, sessions, results and logs are kept in a SQLite database
under ``--data-dir`` (default: the user's data folder, :func:`~.config.default_data_dir`, unless
the configuration file sets ``data_dir``) and survive restarts and crashes; ``--ephemeral`` keeps
them in memory instead.

At ``--log-level info`` (the default) the server logs one line per request and one per job
transition on stderr; ``debug`` adds the emulator's own diagnostics, ``warning`` only problems.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

import attrs

from .config import CONFIG_ENV_VAR, default_data_dir, load_config
from .database import StoreError
from .server import EmulatorServer

__all__ = ["banner", "build_parser", "configure_logging", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qiskit-runtime-emulator",
        description="A local emulator of the Qiskit Runtime REST service.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the REST API (loopback only by default)")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any)")
    serve.add_argument(
        "--config", default=None, help=f"JSON or YAML configuration file (or ${CONFIG_ENV_VAR})"
    )
    serve.add_argument("--workers", type=int, default=None, help="job worker processes")
    serve.add_argument(
        "--seed", type=int, default=None, help="seed for simulations that set none of their own"
    )
    serve.add_argument(
        "--rate-limit", type=int, default=None, help="jobs per minute per user (default: off)"
    )
    serve.add_argument(
        "--test-knobs",
        action="store_true",
        help="let jobs use params.options.experimental.emulator (delay_seconds, fail)",
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        help="answer 500 when a response would violate the spec (default: log it)",
    )
    serve.add_argument(
        "--fake-backend",
        action="append",
        default=None,
        metavar="CLASS[=NAME]",
        help="also serve a device of qiskit-ibm-runtime's fake provider, e.g. FakeSherbrooke "
        "(served as ibm_sherbrooke); repeatable; needs the qiskit extra",
    )
    serve.add_argument(
        "--noiseless",
        action="append",
        default=None,
        metavar="NAME",
        help="simulate this device backend without noise; repeatable",
    )
    serve.add_argument(
        "--no-noise", action="store_true", help="simulate every device backend without noise"
    )
    store = serve.add_mutually_exclusive_group()
    store.add_argument(
        "--data-dir",
        default=None,
        metavar="PATH",
        help="keep jobs, sessions, results and logs in a SQLite database in this directory "
        f"(default: the configuration's data_dir, else {default_data_dir()})",
    )
    store.add_argument(
        "--ephemeral",
        action="store_true",
        help="keep everything in memory (lost when the server stops; faster)",
    )
    serve.add_argument(
        "--max-jobs",
        type=int,
        default=None,
        metavar="N",
        help="keep at most N jobs: the oldest finished ones beyond are deleted (default: all)",
    )
    serve.add_argument(
        "--max-age",
        type=duration,
        default=None,
        metavar="AGE",
        help="delete finished jobs created longer ago than AGE: seconds, or with a unit "
        "(90s, 30m, 12h, 30d; default: never)",
    )
    serve.add_argument(
        "--dask-scheduler",
        default=None,
        metavar="ADDRESS",
        help="run jobs on the Dask cluster of this scheduler (tcp://host:8786) instead of local "
        "worker processes; its workers need this package with the local extra (dask extra)",
    )
    serve.add_argument(
        "--no-dashboard", action="store_true", help="do not serve the dashboard (GET /ui)"
    )
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="server log verbosity on stderr (default info: one line per request and per job "
        "transition)",
    )
    return parser


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def duration(text: str) -> float:
    """``90``, ``90s``, ``30m``, ``12h``, ``30d`` or ``2w`` -> seconds."""
    value = text.strip().lower()
    unit = _UNITS.get(value[-1:])
    number = value[:-1] if unit is not None else value
    try:
        seconds = float(number) * (unit or 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a duration: give seconds, or a number with s, m, h, d or w"
        ) from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"{text!r}: the duration must be positive")
    return seconds


def configure_logging(level: str) -> None:
    """Send the emulator's log records at ``level`` and above to stderr, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    logger = logging.getLogger("qiskit_runtime_emulator")
    logger.setLevel(level.upper())
    logger.addHandler(handler)
    logger.propagate = False


def banner(server: EmulatorServer) -> str:
    """What to print on start: the URLs, credentials and a qiskit-ibm-runtime snippet."""
    inst = server.config.default_instance
    return f"""Qiskit Runtime emulator running
  base URL (current service): {server.url}
  URL for qiskit-ibm-runtime: {server.client_url}
  legacy URL:                 {server.legacy_url}
  IAM URL:                    {server.iam_url}   (POST {server.iam_url}/identity/token)
  API key:                    {server.api_key}
  instance CRN:               {server.crn}
  legacy token:               {server.legacy_token}   (instance {inst.legacy_instance})
  backends:                   {_backends(server)}
  store:                      {_store(server)}
  dashboard:                  {_dashboard(server)}
  execution:                  {_execution(server)}

qiskit-ibm-runtime (official client):

    import os
    os.environ["IAM_URL"] = "{server.iam_url}"
    os.environ["QISKIT_FUNCTIONS_EXPERIMENTAL"] = "1"  # skip IBM Cloud instance discovery
    from qiskit_ibm_runtime import QiskitRuntimeService
    service = QiskitRuntimeService(
        channel="ibm_quantum_platform",
        token="{server.api_key}",
        instance="{server.crn}",
        url="{server.client_url}",  # contains "experimental": used verbatim
    )

curl:

    TOKEN=$(curl -s -X POST {server.iam_url}/identity/token \\
      -d grant_type=urn:ibm:params:oauth:grant-type:apikey -d apikey={server.api_key} \\
      | python -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
    curl -H "Authorization: Bearer $TOKEN" -H "Service-CRN: {server.crn}" {server.url}/backends

Press Ctrl+C to stop."""


def _backends(server: EmulatorServer) -> str:
    names = []
    for name, backend in server.state.backends.items():
        note = "simulator" if backend.simulator else "noisy" if backend.noisy else "noiseless"
        names.append(f"{name} ({note})")
    return ", ".join(names)


def _store(server: EmulatorServer) -> str:
    store = server.store
    if store.data_dir is None:
        return "in memory (--ephemeral): lost when the server stops"
    return f"{store.data_dir} ({store.stats()['jobs']} jobs)"


def _dashboard(server: EmulatorServer) -> str:
    if not server.config.dashboard:
        return "off"
    return f"{server.base_url}/ui   (sign in with an API key or token)"


def _execution(server: EmulatorServer) -> str:
    address = server.config.dask_scheduler
    if address:
        return f"the Dask cluster at {address}"
    return f"{server.config.workers} local worker processes"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = load_config(args.config)
    changes: dict[str, Any] = {"strict_responses": bool(args.strict)}
    if args.workers is not None:
        changes["workers"] = args.workers
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.rate_limit is not None:
        changes["rate_limit_per_minute"] = args.rate_limit
    if args.test_knobs:
        changes["test_knobs"] = True
    if args.fake_backend:
        changes["fake_backends"] = (*config.fake_backends, *args.fake_backend)
    if args.noiseless:
        changes["noiseless_backends"] = (*config.noiseless_backends, *args.noiseless)
    if args.no_noise:
        changes["noise"] = False
    if args.ephemeral:
        changes["data_dir"] = None
    elif args.data_dir is not None:
        changes["data_dir"] = args.data_dir
    elif config.data_dir is None:
        changes["data_dir"] = default_data_dir()
    if args.max_jobs is not None:
        changes["max_jobs"] = args.max_jobs
    if args.max_age is not None:
        changes["max_age"] = args.max_age
    if args.dask_scheduler:
        changes["dask_scheduler"] = args.dask_scheduler
    if args.no_dashboard:
        changes["dashboard"] = False
    config = attrs.evolve(config, **changes)
    configure_logging(args.log_level)
    if not _is_loopback(args.host):
        print(
            f"warning: serving on {args.host}, not loopback: anyone who can reach it can use "
            "the well-known demo credentials",
            file=sys.stderr,
        )
    try:
        server = EmulatorServer(config, host=args.host, port=args.port)
    except (ValueError, StoreError) as exc:  # an unknown backend name; a data dir in use
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # --dask-scheduler without the dask extra
        print(f"error: {exc}; install the dask extra (pip install '.[dask]')", file=sys.stderr)
        return 2
    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    server.start()
    print(banner(server), flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
