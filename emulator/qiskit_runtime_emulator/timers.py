"""Deadlines of the live jobs and sessions, in a heap: a timer check costs nothing per stored job.

The scheduler's tick asks :meth:`DeadlineHeap.pop_due` for the keys whose deadline has passed;
that looks at the heap's head only, so an idle server with 50,000 finished jobs does the same
work per tick as an empty one. Rescheduling a key pushes a new entry and leaves the old one in
the heap, where it is skipped when it comes up (and dropped when the heap is compacted).
"""

from __future__ import annotations

import heapq

__all__ = ["DeadlineHeap"]


class DeadlineHeap:
    """One pending deadline per key (a job or session id), earliest first. Not thread-safe: the
    store calls it under its lock."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, str]] = []
        self._when: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._when)

    def __contains__(self, key: object) -> bool:
        return key in self._when

    def when(self, key: str) -> float | None:
        """The deadline of ``key`` (None if it has none)."""
        return self._when.get(key)

    def schedule(self, key: str, when: float) -> None:
        """Set (or move) the deadline of ``key``."""
        if self._when.get(key) == when:
            return
        self._when[key] = when
        heapq.heappush(self._heap, (when, key))
        if len(self._heap) > 2 * len(self._when) + 64:
            self._compact()

    def cancel(self, key: str) -> None:
        """Forget the deadline of ``key`` (nothing if it has none)."""
        self._when.pop(key, None)

    def pop_due(self, now: float) -> list[str]:
        """The keys whose deadline is ``now`` or earlier, earliest first; they are forgotten."""
        due: list[str] = []
        heap = self._heap
        while heap and heap[0][0] <= now:
            when, key = heapq.heappop(heap)
            if self._when.get(key) == when:  # else: moved or cancelled since
                del self._when[key]
                due.append(key)
        return due

    def _compact(self) -> None:
        self._heap = [(when, key) for key, when in self._when.items()]
        heapq.heapify(self._heap)
