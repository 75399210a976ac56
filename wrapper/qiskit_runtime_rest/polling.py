"""When waits check on a job: the poll schedule, and what it costs.

``job.wait()``, ``job.result()``, ``wait_all()`` and ``as_completed()`` ask for the job's status
at once, then after a pause that grows geometrically up to a cap: small jobs are seen final
soon after they are, and long jobs cost few requests. Every client has a
:class:`PollSchedule` (``Runtime(poll=...)``); ``poll_interval`` / ``max_poll_interval`` of a
single wait override it.

Against IBM Quantum, the default (:data:`DEFAULT_POLL`: 0.2 s, x1.5, at most 5 s) asks 20 times
about a job that takes one minute (:meth:`PollSchedule.checks`); with the submission and the
result download, such a job costs 22 requests. (qiskit-ibm-runtime's ``job.result()`` asks every
0.5 s, every 0.1 s in a session or batch: 121 and 601 status requests for the same job.)
:meth:`Runtime.local() <qiskit_runtime_rest.Runtime.local>` polls its in-process emulator on
:data:`LOCAL_POLL` (0.01 s, x1.5, at most 1 s): a Bell job there is final a few milliseconds
after it was submitted.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import attrs

from qiskit_runtime_rest.errors import ValidationError

__all__ = ["DEFAULT_POLL", "LOCAL_POLL", "MIN_POLL_INTERVAL", "PollSchedule"]

MIN_POLL_INTERVAL = 0.01
"""The shortest pause between two status checks of one wait, in seconds."""


def _interval(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{attribute.name} must be a number of seconds, got {value!r}")
    if not MIN_POLL_INTERVAL <= value < math.inf:
        raise ValidationError(
            f"{attribute.name} must be at least {MIN_POLL_INTERVAL} s and finite, got {value!r}"
        )


def _growth(_: object, attribute: attrs.Attribute[float], value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 10:
        raise ValidationError(f"growth must be a number within [1, 10], got {value!r}")


@attrs.frozen
class PollSchedule:
    """The status checks of a wait: the first at once, the second ``interval`` seconds later,
    each following pause ``growth`` times the previous one, never more than ``max_interval``.

    Raises:
        ValidationError: an interval under 0.01 s or not finite, a ``max_interval`` below
            ``interval``, a ``growth`` outside [1, 10].
    """

    interval: float = attrs.field(default=0.2, validator=_interval)
    max_interval: float = attrs.field(default=5.0, validator=_interval)
    growth: float = attrs.field(default=1.5, validator=_growth)

    def __attrs_post_init__(self) -> None:
        if self.max_interval < self.interval:
            raise ValidationError(
                f"max_interval ({self.max_interval} s) must be at least interval "
                f"({self.interval} s)"
            )

    def pauses(self) -> Iterator[float]:
        """The pauses between checks, in order (endless)."""
        pause = self.interval
        while True:
            yield pause
            pause = min(pause * self.growth, self.max_interval)

    def checks(self, seconds: float) -> int:
        """How many status checks a wait makes for a job that becomes final ``seconds`` after
        the first check: the first, at once, and one after each pause, up to the first check
        made at or after ``seconds``."""
        count, elapsed = 1, 0.0
        pauses = self.pauses()
        while elapsed < seconds:
            elapsed += next(pauses)
            count += 1
        return count


DEFAULT_POLL = PollSchedule()
"""The schedule of clients of a remote service (IBM Quantum): 0.2 s, x1.5, at most 5 s (no IBM
job is final within the first second: shorter first pauses would cost requests, not time)."""
LOCAL_POLL = PollSchedule(interval=0.01, max_interval=1.0)
"""The schedule of :meth:`Runtime.local() <qiskit_runtime_rest.Runtime.local>`: the emulator
runs in this process, so a status check costs a fraction of a millisecond."""
