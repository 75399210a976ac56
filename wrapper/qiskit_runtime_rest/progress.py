"""Live progress of waits: ``wait_all(jobs, progress=True)``, ``job.wait(progress=True)``.

One line that updates in place: a bar, the counts of jobs done, failed (cancelled included),
running and queued, and the time elapsed; for a single job, its status and the time elapsed.
Drawn with `rich <https://github.com/Textualize/rich>`_ (the ``progress`` extra:
``pip install 'qiskit-runtime-rest[progress]'``), imported only when a display is opened.

* In a terminal, rich redraws the line in place on stderr (a refresh thread keeps the elapsed
  time ticking between polls); when stderr is not a terminal (a log file, CI), the final line
  is written once when the wait ends.
* In Jupyter, the line is an HTML output that is updated in place through IPython's display
  handles (``display(..., display_id=True)``), so no widget library is needed.
"""

from __future__ import annotations

import io
import sys
from typing import IO, TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

__all__ = ["JobTally", "ProgressDisplay", "open_display"]

_EXTRA = "pip install 'qiskit-runtime-rest[progress]'"


@attrs.frozen
class JobTally:
    """How many of the jobs of a wait are in each state."""

    total: int
    completed: int = 0
    failed: int = 0
    cancelled: int = 0
    running: int = 0
    queued: int = 0

    @property
    def finished(self) -> int:
        """Jobs in a final state (completed, failed or cancelled)."""
        return self.completed + self.failed + self.cancelled

    def describe(self) -> str:
        """``"3 done, 1 failed, 2 running, 4 queued"`` (cancelled jobs count as failed)."""
        return (
            f"{self.completed} done, {self.failed + self.cancelled} failed, "
            f"{self.running} running, {self.queued} queued"
        )


def _in_jupyter(console: Console) -> bool:
    return bool(console.is_jupyter)


class ProgressDisplay:
    """A one-line live display (see the module documentation); :meth:`close` it at the end.

    Raises:
        ImportError: when rich (the ``progress`` extra) is not installed.
    """

    def __init__(self, description: str, total: int | None, *, file: IO[str] | None = None) -> None:
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
        except ImportError as exc:
            raise ImportError(f"progress=True needs the rich library: {_EXTRA}") from exc
        self._console = Console(file=file if file is not None else sys.stderr)
        self._jupyter = _in_jupyter(self._console)
        columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
        if total is not None:
            columns += [BarColumn(), MofNCompleteColumn()]
        columns += [TextColumn("{task.fields[detail]}"), TimeElapsedColumn()]
        self._progress: Progress = Progress(
            *columns, console=self._console, auto_refresh=not self._jupyter
        )
        self._task = self._progress.add_task(description, total=total, detail="")
        self._handle: Any = None
        self._closed = False
        if self._jupyter:
            self._show_in_jupyter()
        else:
            self._progress.start()

    def update(self, detail: str, completed: int | None = None) -> None:
        """Show ``detail`` (and ``completed`` jobs on the bar)."""
        if self._closed:
            return
        if completed is None:
            self._progress.update(self._task, detail=detail)
        else:
            self._progress.update(self._task, detail=detail, completed=completed)
        if self._jupyter:
            self._show_in_jupyter()

    def tally(self, tally: JobTally) -> None:
        """Show the counts of a many-job wait."""
        self.update(tally.describe(), completed=tally.finished)

    def close(self) -> None:
        """Draw the final state and stop refreshing (idempotent)."""
        if self._closed:
            return
        self._closed = True
        if self._jupyter:
            self._show_in_jupyter()
        else:
            self._progress.stop()

    def render(self) -> str:
        """The line as plain text (for logs and tests)."""
        from rich.console import Console

        out = io.StringIO()
        Console(file=out, width=120, color_system=None).print(self._progress.get_renderable())
        return out.getvalue().rstrip()

    def _show_in_jupyter(self) -> None:
        from IPython.display import HTML, display
        from rich.console import Console

        recorder = Console(record=True, file=io.StringIO(), width=120, force_jupyter=False)
        recorder.print(self._progress.get_renderable())
        html = HTML(recorder.export_html(inline_styles=True, code_format="<pre>{code}</pre>"))
        if self._handle is None:
            self._handle = display(html, display_id=True)
        else:
            self._handle.update(html)

    def __enter__(self) -> ProgressDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_display(description: str, total: int | None) -> ProgressDisplay:
    """A live display on stderr (or in the Jupyter cell).

    Raises:
        ImportError: when rich (the ``progress`` extra) is not installed.
    """
    return ProgressDisplay(description, total)
