"""Results drawn as inline SVG, on the server: a counts histogram, expectation values with
error bars. No script and no style attribute (the dashboard's Content-Security-Policy allows
neither inline): presentation attributes only; every text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from html import escape

__all__ = ["counts_histogram", "expectation_values"]

_WIDTH = 720
_HEIGHT = 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 16, 16, 64
_BAR = "#4f7cff"
_AXIS = "#8a8f98"
_TEXT = "#1d2330"
MAX_BARS = 32
MAX_POINTS = 64


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / max(1, ticks)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * power:
            return m * power
    return 10 * power


def _svg(label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(label)}" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" '
        f'height="{_HEIGHT}" font-family="sans-serif" font-size="11" fill="{_TEXT}">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def _y_axis(lo: float, hi: float, y: Callable[[float], float], fmt: str) -> list[str]:
    out = []
    step = _nice_step(hi - lo)
    tick = math.ceil(lo / step) * step
    while tick <= hi + 1e-12:
        py = y(tick)
        out.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{py:.1f}" y2="{py:.1f}" '
            f'stroke="#e3e6eb" stroke-width="1"/>'
            f'<text x="{_LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">{format(tick, fmt)}</text>'
        )
        tick += step
    return out


def _x_label(cx: float, text: str, rotate: bool) -> str:
    """A label under the plot at ``cx`` (turned by 45 degrees when labels are many or long)."""
    ly = _HEIGHT - _BOTTOM + 14
    transform = f' transform="rotate(-45 {cx:.1f} {ly:.1f})"' if rotate else ""
    anchor = "end" if rotate else "middle"
    return (
        f'<text x="{cx:.1f}" y="{ly:.1f}" text-anchor="{anchor}"{transform} '
        f'font-family="monospace">{escape(text)}</text>'
    )


def counts_histogram(counts: Mapping[str, int], label: str) -> str:
    """A bar per outcome (the ``MAX_BARS`` most frequent, in bitstring order; the rest summed
    as "other"), heights in shots."""
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    rest = sum(v for _, v in items[MAX_BARS:])
    bars = sorted(items[:MAX_BARS])
    if rest:
        bars.append(("other", rest))
    top = max([v for _, v in bars] or [1])
    step = _nice_step(top)
    hi = math.ceil(top / step) * step or 1

    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM

    def y(v: float) -> float:
        return _TOP + plot_h * (1 - v / hi)

    body = _y_axis(0, hi, y, "g")
    slot = plot_w / max(1, len(bars))
    bar_w = max(2.0, slot * 0.7)
    rotate = len(bars) > 8 or max((len(k) for k, _ in bars), default=0) > 6
    for i, (key, value) in enumerate(bars):
        x = _LEFT + i * slot + (slot - bar_w) / 2
        top_y = y(value)
        cx = x + bar_w / 2
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{top_y:.1f}" width="{bar_w:.1f}" '
            f'height="{_TOP + plot_h - top_y:.1f}" fill="{_BAR}" data-outcome="{escape(key)}" '
            f'data-count="{value}"><title>{escape(key)}: {value}</title></rect>'
        )
        if not rotate:
            body.append(
                f'<text x="{cx:.1f}" y="{top_y - 4:.1f}" text-anchor="middle">{value}</text>'
            )
        body.append(_x_label(cx, key, rotate))
    body.append(
        f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{_TOP + plot_h}" y2="{_TOP + plot_h}" '
        f'stroke="{_AXIS}"/>'
    )
    return _svg(label, body)


def expectation_values(
    values: Sequence[float], errors: Sequence[float], labels: Sequence[str], label: str
) -> str:
    """A point per expectation value with a bar of +- its standard error (the first
    ``MAX_POINTS``), over an axis that always shows -1..1."""
    points = list(zip(values, errors, labels, strict=True))[:MAX_POINTS]
    finite = [(v, e) for v, e, _ in points if math.isfinite(v) and math.isfinite(e)]
    lo = min([-1.0, *(v - abs(e) for v, e in finite)])
    hi = max([1.0, *(v + abs(e) for v, e in finite)])
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM

    def y(v: float) -> float:
        return _TOP + plot_h * (hi - v) / (hi - lo)

    body = _y_axis(lo, hi, y, ".2g")
    body.append(
        f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" '
        f'stroke="{_AXIS}"/>'
    )
    slot = plot_w / max(1, len(points))
    rotate = len(points) > 8 or max((len(t) for _, _, t in points), default=0) > 8
    for i, (value, error, text) in enumerate(points):
        cx = _LEFT + (i + 0.5) * slot
        body.append(_x_label(cx, text, rotate))
        if not (math.isfinite(value) and math.isfinite(error)):
            continue
        e = abs(error)
        y1, y2, py = y(value + e), y(value - e), y(value)
        cap = min(8.0, slot * 0.3)
        body.append(
            f'<g class="ev" data-value="{value:.6g}" data-error="{e:.6g}">'
            f"<title>{escape(text)}: {value:.4f} \u00b1 {e:.4f}</title>"
            f'<line x1="{cx:.1f}" x2="{cx:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="{_TEXT}"/>'
            f'<line x1="{cx - cap:.1f}" x2="{cx + cap:.1f}" y1="{y1:.1f}" y2="{y1:.1f}" '
            f'stroke="{_TEXT}"/>'
            f'<line x1="{cx - cap:.1f}" x2="{cx + cap:.1f}" y1="{y2:.1f}" y2="{y2:.1f}" '
            f'stroke="{_TEXT}"/>'
            f'<circle cx="{cx:.1f}" cy="{py:.1f}" r="4" fill="{_BAR}"/></g>'
        )
    return _svg(label, body)
