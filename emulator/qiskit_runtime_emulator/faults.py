"""Fault injection: error answers, dropped connections and latency, off by default.

A 429 is always decided *before* the handler runs (the request had no effect, as the spec
documents for rate limiting). 500/503 answers and dropped connections happen either before the
handler ran or after it (chosen at random): "after" means the request took effect (a job was
created, say) but the client never learns it, which is the ambiguous case a client's retry logic
must survive.
"""

from __future__ import annotations

import enum
import random
import threading
from collections import Counter

import attrs

__all__ = ["FaultConfig", "FaultDecision", "FaultInjector", "FaultKind"]


def _statuses(value: object) -> tuple[int, ...]:
    out = tuple(int(v) for v in value)  # type: ignore[attr-defined]
    for s in out:
        if not 400 <= s <= 599:
            raise ValueError(f"fault status {s} is not an HTTP error status")
    return out


def _str_tuple(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value)  # type: ignore[attr-defined]


def _upper_tuple(value: object) -> tuple[str, ...]:
    return tuple(str(v).upper() for v in value)  # type: ignore[attr-defined]


@attrs.frozen
class FaultConfig:
    """What to inject and how often.

    ``rate`` is the probability that a request gets an error status (one of ``statuses``);
    ``drop_rate`` the probability that its connection is closed without an answer; ``latency``
    seconds are added to every request. ``retry_after`` is sent in ``Retry-After`` on 429
    answers. ``include_iam`` extends injection to ``POST /identity/token``. ``paths`` (prefixes
    relative to the service root, e.g. ``/jobs``) restricts injection; None means everywhere.
    """

    rate: float = attrs.field(default=0.0)
    statuses: tuple[int, ...] = attrs.field(default=(429, 500, 503), converter=_statuses)
    retry_after: float = 0.05
    latency: float = 0.0
    drop_rate: float = attrs.field(default=0.0)
    seed: int | None = None
    include_iam: bool = False
    methods: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_upper_tuple)
    )
    paths: tuple[str, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_str_tuple)
    )

    @rate.validator
    def _check_rate(self, _attr: object, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError("rate must be within [0, 1]")

    @drop_rate.validator
    def _check_drop_rate(self, _attr: object, value: float) -> None:
        if not 0.0 <= value <= 1.0:
            raise ValueError("drop_rate must be within [0, 1]")


class FaultKind(enum.Enum):
    NONE = "none"
    STATUS = "status"
    DROP = "drop"


@attrs.frozen
class FaultDecision:
    """The fault for one request: what, which status, and whether after the handler ran."""

    kind: FaultKind
    status: int = 0
    after: bool = False
    latency: float = 0.0
    retry_after: float = 0.0

    @property
    def label(self) -> str:
        when = "after" if self.after else "before"
        if self.kind is FaultKind.DROP:
            return f"drop_{when}"
        return f"{self.status}_{when}"


_NO_FAULT = FaultDecision(FaultKind.NONE)


class FaultInjector:
    """Draws a :class:`FaultDecision` per request and counts what it injected."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._config: FaultConfig | None = None
        self._rng = random.Random()
        self.counts: Counter[str] = Counter()
        self.set(config)

    @property
    def config(self) -> FaultConfig | None:
        return self._config

    def set(self, config: FaultConfig | None) -> None:
        with self._lock:
            self._config = config
            self._rng = random.Random(config.seed if config is not None else None)

    def reset_counts(self) -> None:
        with self._lock:
            self.counts.clear()

    def decide(self, method: str, path: str, *, iam: bool = False) -> FaultDecision:
        """The fault for a request to ``path`` (relative to the service root)."""
        cfg = self._config
        if cfg is None:
            return _NO_FAULT
        if iam and not cfg.include_iam:
            return _NO_FAULT
        if cfg.methods is not None and method.upper() not in cfg.methods:
            return FaultDecision(FaultKind.NONE, latency=cfg.latency)
        if cfg.paths is not None and not any(path.startswith(p) for p in cfg.paths):
            return FaultDecision(FaultKind.NONE, latency=cfg.latency)
        with self._lock:
            rng = self._rng
            if cfg.drop_rate and rng.random() < cfg.drop_rate:
                decision = FaultDecision(
                    FaultKind.DROP, after=rng.random() < 0.5, latency=cfg.latency
                )
            elif cfg.rate and cfg.statuses and rng.random() < cfg.rate:
                status = rng.choice(cfg.statuses)
                # 429 never has an effect; other statuses may come after the handler ran.
                after = status != 429 and rng.random() < 0.5
                decision = FaultDecision(
                    FaultKind.STATUS,
                    status=status,
                    after=after,
                    latency=cfg.latency,
                    retry_after=cfg.retry_after,
                )
            else:
                return FaultDecision(FaultKind.NONE, latency=cfg.latency)
            self.counts[decision.label] += 1
            self.counts["drop" if decision.kind is FaultKind.DROP else str(decision.status)] += 1
            self.counts["total"] += 1
        return decision

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self.counts)
