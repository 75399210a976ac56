"""``qiskit-runtime-emulator serve``: run the emulator in the foreground.

```
qiskit-runtime-emulator serve [--host 127.0.0.1] [--port 8000] [--config FILE] [--workers N]
                              [--seed N] [--rate-limit N] [--test-knobs] [--strict]
python -m qiskit_runtime_emulator serve ...
```
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

import attrs

from .config import CONFIG_ENV_VAR, load_config
from .server import EmulatorServer

__all__ = ["banner", "build_parser", "main"]


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
    return parser


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
    config = attrs.evolve(config, **changes)
    if not _is_loopback(args.host):
        print(
            f"warning: serving on {args.host}, not loopback: anyone who can reach it can use "
            "the well-known demo credentials",
            file=sys.stderr,
        )
    server = EmulatorServer(config, host=args.host, port=args.port)
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
