"""The commands of ``qiskit-runtime-rest``, built with click.

Each command connects through :class:`~qiskit_runtime_rest.client.Runtime` (the SDK's public
API, so the same credentials, retries and typed errors) and prints a table or ``key: value``
lines for people, or JSON with ``--json``. The SDK is imported inside the commands, so
``--help`` loads neither httpx nor numpy.

Exit codes: 0 success; 1 an error (the service refused, the job failed, no connection, bad
credentials: one line on stderr, the traceback only with ``--debug``); 2 a usage error (an
unknown command or option, a missing argument); 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import attrs
import click

from qiskit_runtime_rest.cli import output

if TYPE_CHECKING:
    from qiskit_runtime_rest.client import Runtime
    from qiskit_runtime_rest.jobs import Job

__all__ = ["PROG", "cli", "main"]

PROG = "qiskit-runtime-rest"
COMPLETE_VAR = "_QISKIT_RUNTIME_REST_COMPLETE"
SHELLS = ("bash", "zsh", "fish")
DEFAULT_TIMEOUT = 3600.0

F = TypeVar("F", bound=Callable[..., Any])


@attrs.define
class Settings:
    """The global options: where to connect and with which credentials (None: the SDK's own
    resolution, environment then saved account), and ``--debug``."""

    token: str | None = None
    instance: str | None = None
    channel: str | None = None
    url: str | None = None
    iam_url: str | None = None
    account: str | None = None
    accounts_file: str | None = None
    debug: bool = False
    _runtime: Runtime | None = None

    def connect(self) -> Runtime:
        """The Runtime of this invocation (made once; closed when the command ends)."""
        if self._runtime is None:
            from qiskit_runtime_rest.client import Runtime
            from qiskit_runtime_rest.errors import ValidationError

            try:
                self._runtime = Runtime(
                    token=self.token,
                    instance=self.instance,
                    channel=self.channel,
                    url=self.url,
                    iam_url=self.iam_url,
                    name=self.account,
                    filename=self.accounts_file,
                )
            except ValidationError as exc:
                raise ValidationError(
                    f"{exc} (on the command line: --token and --instance, the QISKIT_IBM_* "
                    f"variables, or `{PROG} account save`)"
                ) from exc
            click.get_current_context().call_on_close(self._runtime.close)
        return self._runtime


def settings() -> Settings:
    obj = click.get_current_context().find_object(Settings)
    assert obj is not None  # set by the group's callback
    return obj


def fail(message: str) -> NoReturn:
    """End the command with exit code 1 and ``message`` on stderr."""
    click.echo(f"error: {message}", err=True)
    raise click.exceptions.Exit(1)


class Group(click.Group):
    """A group that turns errors into one line on stderr and exit code 1 (the traceback only
    with ``--debug``), and lists its commands in the order they are defined."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(130) from None
        except Exception as exc:
            found = ctx.find_object(Settings)
            if found is not None and found.debug:
                raise
            from qiskit_runtime_rest.errors import RuntimeRestError

            hint = "" if isinstance(exc, RuntimeRestError) else " (--debug shows the traceback)"
            click.echo(f"error: {output.describe_error(exc)}{hint}", err=True)
            raise click.exceptions.Exit(1) from None


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (for scripts).")(func)


def timeout_option(func: F) -> F:
    return click.option(
        "--timeout",
        type=click.FloatRange(min=0),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help="Seconds to wait for the job.",
    )(func)


# -- the group -----------------------------------------------------------------------------------


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="qiskit-runtime-rest", prog_name=PROG)
@click.option("--token", help="IBM Cloud API key (default: $QISKIT_IBM_TOKEN, a saved account).")
@click.option("--instance", help="Instance CRN (default: $QISKIT_IBM_INSTANCE, a saved account).")
@click.option(
    "--channel",
    type=click.Choice(["ibm_quantum_platform", "ibm_cloud", "legacy"]),
    help="Service channel (default: $QISKIT_IBM_CHANNEL, or ibm_quantum_platform).",
)
@click.option("--url", help="API URL (default: $QISKIT_IBM_URL, or IBM Quantum's for the CRN).")
@click.option("--iam-url", help="IAM URL for the API-key exchange (default: $IAM_URL).")
@click.option("--account", help="Name of a saved account to use.")
@click.option(
    "--accounts-file",
    type=click.Path(dir_okay=False),
    help="Saved-account file (default ~/.qiskit/qiskit-ibm.json).",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.pass_context
def cli(ctx: click.Context, /, **options: Any) -> None:
    """Check on Qiskit Runtime jobs, sessions, backends and usage from a terminal.

    Credentials come from the same places as the SDK's Runtime: the options below, then the
    environment (QISKIT_IBM_TOKEN, QISKIT_IBM_INSTANCE, QISKIT_IBM_URL, QISKIT_IBM_CHANNEL,
    IAM_URL), then the saved account (~/.qiskit/qiskit-ibm.json, shared with
    qiskit-ibm-runtime).

    Exit codes: 0 ok, 1 error (one line on stderr; --debug for the traceback), 2 usage error.

    \b
    Examples:
      qiskit-runtime-rest jobs --pending
      qiskit-runtime-rest job JOB_ID --wait
      qiskit-runtime-rest --account staging backends --json
    """
    ctx.obj = Settings(**options)


def main(argv: list[str] | None = None) -> int:
    """Run the command line (the ``qiskit-runtime-rest`` script); return its exit code."""
    try:
        cli.main(args=argv, prog_name=PROG, complete_var=COMPLETE_VAR, standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


# -- backends and usage ----------------------------------------------------------------------------


@cli.command()
@click.option("--min-qubits", type=click.IntRange(min=0), help="Only backends this large.")
@json_option
def backends(min_qubits: int | None, as_json: bool) -> None:
    """List the backends of the instance: status, qubits, queue.

    \b
    Example:
      qiskit-runtime-rest backends --min-qubits 100
    """
    infos = settings().connect().backend_list(min_num_qubits=min_qubits)
    if as_json:
        click.echo(output.to_json(infos))
        return
    rows = [(i.name, i.status, i.num_qubits, i.queue_length, i.simulator) for i in infos]
    click.echo(output.table(["name", "status", "qubits", "queue", "simulator"], rows))


@cli.command()
@json_option
def usage(as_json: bool) -> None:
    """Show the instance's usage in the current period (seconds).

    \b
    Example:
      qiskit-runtime-rest usage
    """
    info = settings().connect().usage()
    if as_json:
        doc = output.plain(info) | {"usage_remaining_seconds": info.usage_remaining_seconds}
        click.echo(output.to_json(doc))
        return
    click.echo(
        output.fields(
            [
                ("instance", info.instance_id),
                ("plan", info.plan_id),
                ("consumed", info.usage_consumed_seconds),
                ("limit", info.usage_limit_seconds),
                ("allocation", info.usage_allocation_seconds),
                ("remaining", info.usage_remaining_seconds),
                ("limit reached", info.usage_limit_reached),
                ("period", f"{output.when(info.period_start)} to {output.when(info.period_end)}"),
            ]
        )
    )


# -- jobs ------------------------------------------------------------------------------------------


def _job_row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.last_status,
        "backend": job.backend,
        "program": job.program_id,
        "created": job.creation_date,
        "session": job.session_id,
    }


@cli.command()
@click.option(
    "--limit", type=click.IntRange(min=0), default=10, show_default=True, help="Jobs to list."
)
@click.option(
    "--pending/--finished",
    default=None,
    help="Only queued or running jobs / only finished ones.",
)
@click.option("--backend", help="Only jobs on this backend.")
@click.option("--session", help="Only jobs of this session or batch.")
@click.option("--tag", "tags", multiple=True, help="Only jobs with this tag (repeatable: all).")
@click.option("--program", type=click.Choice(["sampler", "estimator", "executor"]))
@json_option
def jobs(
    limit: int,
    pending: bool | None,
    backend: str | None,
    session: str | None,
    tags: tuple[str, ...],
    program: str | None,
    as_json: bool,
) -> None:
    """List jobs, newest first.

    \b
    Examples:
      qiskit-runtime-rest jobs --pending --limit 50
      qiskit-runtime-rest jobs --session SESSION_ID --json
    """
    found = (
        settings()
        .connect()
        .jobs(
            limit=limit,
            pending=pending,
            backend=backend,
            session_id=session,
            tags=list(tags) or None,
            program=program,
        )
    )
    rows = [_job_row(job) for job in found]
    if as_json:
        click.echo(output.to_json(rows))
        return
    click.echo(
        output.table(
            ["id", "status", "backend", "program", "created", "session"],
            [list(r.values()) for r in rows],
        )
    )


def _job_document(job: Job) -> dict[str, Any]:
    details = job.details()
    metrics = job.metrics()
    return {
        "details": details,
        "timestamps": {
            "created": metrics.created,
            "running": metrics.running,
            "finished": metrics.finished,
        },
        "usage": metrics.usage,
    }


def _show_job(doc: dict[str, Any]) -> str:
    details, stamps, usage = doc["details"], doc["timestamps"], doc["usage"]
    pairs: list[tuple[str, Any]] = [
        ("id", details.id),
        ("status", details.status),
        ("backend", details.backend),
        ("program", details.program_id),
        ("session", details.session_id),
        ("tags", details.tags),
        ("created", stamps["created"] or details.created),
        ("running", stamps["running"]),
        ("finished", stamps["finished"]),
    ]
    if usage is not None and usage.qpu_charge_time_seconds is not None:
        pairs.append(("usage", f"{usage.qpu_charge_time_seconds:g} s ({usage.status or '-'})"))
    else:
        pairs.append(("usage", None))
    if details.reason or details.reason_code is not None:
        code = f" (code {details.reason_code})" if details.reason_code is not None else ""
        pairs.append(("reason", f"{details.reason or '-'}{code}"))
    if details.reason_solution:
        pairs.append(("solution", details.reason_solution))
    return output.fields(pairs)


def _wait(job: Job, timeout: float) -> None:
    """Wait for ``job`` with a live line on stderr (rich, the ``progress`` extra), or a line
    per new status without it. Failures are reported by the caller from the details."""
    import importlib.util

    from qiskit_runtime_rest.errors import JobCancelledError, JobFailedError

    live = importlib.util.find_spec("rich") is not None

    def on_status(status: str) -> None:
        if not live:
            click.echo(f"{job.id}: {status}", err=True)

    with contextlib.suppress(JobFailedError, JobCancelledError):
        job.wait(timeout=timeout, progress=live, on_status=on_status)


@cli.command()
@click.argument("job_id")
@click.option("--wait", is_flag=True, help="Wait until the job is final, showing its status.")
@timeout_option
@json_option
def job(job_id: str, wait: bool, timeout: float, as_json: bool) -> None:
    """Show a job: status, timestamps, usage, and the reason of a failure.

    With --wait, waits until the job is final (a live status line on stderr) and exits with
    1 if it failed or was cancelled.

    \b
    Examples:
      qiskit-runtime-rest job JOB_ID
      qiskit-runtime-rest job JOB_ID --wait --timeout 600 && echo done
    """
    handle = settings().connect().job(job_id)
    if wait:
        _wait(handle, timeout)
    doc = _job_document(handle)
    click.echo(output.to_json(doc) if as_json else _show_job(doc))
    if wait:
        from qiskit_runtime_rest.jobs import classify_status

        details = doc["details"]
        if classify_status(details.status, details.reason_code) != "completed":
            raise click.exceptions.Exit(1)


@cli.command()
@click.argument("job_id")
@click.option("--json", "as_json", is_flag=True, help="The whole result as JSON.")
@click.option("--counts", is_flag=True, help="The counts of each PUB's registers, as JSON.")
@timeout_option
def result(job_id: str, as_json: bool, counts: bool, timeout: float) -> None:
    """Show a job's result (waiting for the job if it is not final yet).

    For people: per PUB (or executor item), each register's most frequent outcomes, or each
    array's values. --counts prints [{register: {bitstring: count}}, ...] per PUB or item;
    --json prints every field and the metadata.

    \b
    Examples:
      qiskit-runtime-rest result JOB_ID
      qiskit-runtime-rest result JOB_ID --counts > counts.json
    """
    if as_json and counts:
        raise click.UsageError("--json and --counts exclude each other")
    rt = settings().connect()
    job = rt.job(job_id)
    value = (
        rt.executor_job(job_id).result(timeout=timeout)
        if job.program_id == "executor"
        else job.result(timeout=timeout)
    )
    if as_json:
        click.echo(output.to_json(output.result_document(value)))
    elif counts:
        try:
            click.echo(output.to_json(output.result_counts(value)))
        except ValueError as exc:
            fail(str(exc))
    else:
        click.echo(output.result_summary(value))


@cli.command()
@click.argument("job_id")
def logs(job_id: str) -> None:
    """Print a job's logs.

    \b
    Example:
      qiskit-runtime-rest logs JOB_ID
    """
    text = settings().connect().job(job_id).logs()
    click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.argument("job_id")
def cancel(job_id: str) -> None:
    """Cancel a queued or running job (an error if it already finished).

    \b
    Example:
      qiskit-runtime-rest cancel JOB_ID
    """
    settings().connect().job(job_id).cancel()
    click.echo(f"cancelled {job_id}")


# -- sessions --------------------------------------------------------------------------------------


@cli.group(cls=Group)
def session() -> None:
    """Show, close or cancel a session or batch.

    \b
    Examples:
      qiskit-runtime-rest session show SESSION_ID
      qiskit-runtime-rest session close SESSION_ID
    """


@session.command("show")
@click.argument("session_id")
@json_option
def session_show(session_id: str, as_json: bool) -> None:
    """Show a session or batch: mode, state, backend, usage, TTLs.

    \b
    Example:
      qiskit-runtime-rest session show SESSION_ID --json
    """
    details = settings().connect().session_details(session_id)
    if as_json:
        click.echo(output.to_json(details))
        return
    click.echo(
        output.fields(
            [
                ("id", details.id),
                ("mode", details.mode),
                ("state", details.state),
                ("backend", details.backend_name),
                ("accepting jobs", details.accepting_jobs),
                ("usage", None if details.elapsed_time is None else f"{details.elapsed_time:g} s"),
                ("max ttl", details.max_ttl),
                ("started", details.started_at),
                ("closed", details.closed_at),
                ("reason", details.state_reason),
            ]
        )
    )


def _end_session(session_id: str, action: str) -> None:
    rt = settings().connect()
    mode = rt.session_details(session_id).mode
    handle = rt.batch_from_id(session_id) if mode == "batch" else rt.session_from_id(session_id)
    handle.cancel() if action == "cancel" else handle.close()
    kind = "batch" if mode == "batch" else "session"
    click.echo(f"{action}{'led' if action == 'cancel' else 'd'} {kind} {session_id}")


@session.command("close")
@click.argument("session_id")
def session_close(session_id: str) -> None:
    """Close a session or batch: no new jobs; queued jobs still run.

    \b
    Example:
      qiskit-runtime-rest session close SESSION_ID
    """
    _end_session(session_id, "close")


@session.command("cancel")
@click.argument("session_id")
def session_cancel(session_id: str) -> None:
    """Cancel a session or batch: no new jobs, and its queued jobs do not run.

    \b
    Example:
      qiskit-runtime-rest session cancel SESSION_ID
    """
    _end_session(session_id, "cancel")


# -- accounts --------------------------------------------------------------------------------------


@cli.group(cls=Group)
def account() -> None:
    """Save, list and choose the saved accounts (~/.qiskit/qiskit-ibm.json, the file
    qiskit-ibm-runtime's save_account writes).

    \b
    Examples:
      qiskit-runtime-rest account save --name work --instance CRN
      qiskit-runtime-rest account use work
    """


@account.command("save")
@click.option(
    "--token",
    prompt="API key",
    hide_input=True,
    help="IBM Cloud API key (asked for, unechoed, when not given).",
)
@click.option("--instance", required=True, help="Instance CRN (or hub/group/project: legacy).")
@click.option("--name", help="Account name (default: the channel's default name).")
@click.option(
    "--channel",
    type=click.Choice(["ibm_quantum_platform", "ibm_cloud", "legacy"]),
    default="ibm_quantum_platform",
    show_default=True,
)
@click.option("--url", help="API URL (default: IBM Quantum's).")
@click.option("--default", "set_default", is_flag=True, help="Make it the default account.")
@click.option("--overwrite", is_flag=True, help="Replace an account of the same name.")
def account_save(
    token: str,
    instance: str,
    name: str | None,
    channel: str,
    url: str | None,
    set_default: bool,
    overwrite: bool,
) -> None:
    """Save an account (readable by you only, mode 0600).

    \b
    Example:
      qiskit-runtime-rest account save --name work --instance crn:v1:... --default
    """
    from qiskit_runtime_rest.client import Runtime

    path = Runtime.save_account(
        token,
        instance,
        channel=channel,
        url=url,
        name=name,
        filename=settings().accounts_file,
        overwrite=overwrite,
        set_as_default=set_default,
    )
    click.echo(f"saved account {name or 'default-' + channel.replace('_', '-')} in {path}")


@account.command("list")
@json_option
def account_list(as_json: bool) -> None:
    """List the saved accounts (never their tokens).

    \b
    Example:
      qiskit-runtime-rest account list
    """
    from qiskit_runtime_rest.accounts import read_accounts_file

    saved = read_accounts_file(settings().accounts_file)
    rows = [
        {
            "name": name,
            "channel": acc.get("channel"),
            "instance": acc.get("instance"),
            "url": acc.get("url"),
            "default": bool(acc.get("is_default_account")),
        }
        for name, acc in sorted(saved.items())
    ]
    if as_json:
        click.echo(output.to_json(rows))
    elif not rows:
        click.echo(f"no saved account (save one with `{PROG} account save`)")
    else:
        click.echo(output.table(list(rows[0]), [list(r.values()) for r in rows]))


@account.command("use")
@click.argument("name")
def account_use(name: str) -> None:
    """Make a saved account the default one (what commands and Runtime() use when nothing
    else gives credentials).

    \b
    Example:
      qiskit-runtime-rest account use work
    """
    from qiskit_runtime_rest.accounts import set_default_account

    path = set_default_account(name, settings().accounts_file)
    click.echo(f"{name} is now the default account in {path}")


# -- shell completion ------------------------------------------------------------------------------


@cli.command()
@click.argument("shell", type=click.Choice(SHELLS), required=False)
def completion(shell: str | None) -> None:
    """Print the shell completion script (bash, zsh or fish; default: from $SHELL).

    \b
    Examples:
      qiskit-runtime-rest completion bash >> ~/.bashrc
      qiskit-runtime-rest completion zsh > ~/.zfunc/_qiskit-runtime-rest
      qiskit-runtime-rest completion fish > ~/.config/fish/completions/qiskit-runtime-rest.fish
    """
    from click.shell_completion import get_completion_class

    shell = shell or os.path.basename(os.environ.get("SHELL", ""))
    completer = get_completion_class(shell) if shell in SHELLS else None
    if completer is None:
        raise click.UsageError(f"name the shell: one of {', '.join(SHELLS)}")
    click.echo(completer(cli, {}, PROG, COMPLETE_VAR).source())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
