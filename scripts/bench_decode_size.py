"""Figure 11: how decoding grows with the size of a result, up to 1 GiB.

Sampler results of ``PUBS`` PUBs x S shots x 127 bits in the emulator's wire form (random
outcomes: zlib cannot shrink them), with S chosen so that the JSON is about 1 MiB, 16 MiB,
128 MiB and 1 GiB (``--quick``: 1 MiB and 4 MiB, two rounds each). One PUB is encoded and its
node repeated (:func:`bench_decode.sampler_payload` with ``distinct=False``): the decoders do
the same work on repeated bytes and a 1 GiB payload builds in seconds.

Each size compares :func:`qiskit_runtime_rest.codec.decode_result` with the bare decoder
(:func:`bench_common.bare_decode`: ``json.loads`` + base64 + zlib + ``np.load``, nothing
checked) on the same bytes, and also times the official client's decoder (``json.loads(data,
cls=RuntimeDecoder)``), reported in the details and the notes. Peak memory is ``tracemalloc``'s
peak during one separate call of each decoder, the payload itself not included (it exists
before); past 128 MiB each decoder is called once, timed and traced in the same call. A last
row holds the time per megabyte at the largest size against the smallest: 1.0x is linear
growth.

Memory: the 1 GiB size needs about 1 GiB for the payload plus a decoder's peak (about twice the
payload: the parsed JSON strings and the arrays), one decoder at a time, 3.3 GiB RSS in all.
The run checks ``MemAvailable`` first and skips a size that would not fit with room to spare
(``MEMORY_FACTOR`` times the payload; noted).
"""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path
from typing import Any

from bench_common import Row, Section, Target, bare_decode, interleaved, median, peak_memory
from bench_decode import sampler_payload

__all__ = ["run"]

PUBS = 100
NUM_BITS = 127
SIZES = (2**20, 2**24, 2**27, 2**30)
QUICK_SIZES = (2**20, 2**22)
# Base64 of 16 packed bytes per shot (127 bits), zlib adding almost nothing to random bytes.
BYTES_PER_SHOT = 16 * 4 / 3
LARGE = 2**27  # past this size, one traced call per decoder (see _measure)
MEMORY_FACTOR = 6  # bytes available per payload byte before a size is attempted
TARGET = Target("ratio_max", 1.2, "<= 1.2x")
FLAT = Target("ratio_max", 1.5, "<= 1.5x")


def _label(size: int) -> str:
    return f"{size / 2**30:g} GiB" if size >= 2**30 else f"{size / 2**20:g} MiB"


def _available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _measure(size: int, quick: bool) -> dict[str, Any]:
    from qiskit_ibm_runtime import RuntimeDecoder
    from qiskit_runtime_rest.codec import decode_result

    shots = max(1, round(size / (PUBS * BYTES_PER_SHOT)))
    payload = sampler_payload(PUBS, shots, NUM_BITS, distinct=False)

    def ours() -> object:
        return decode_result(payload)

    def bare() -> object:
        return bare_decode(payload)

    def official() -> object:
        return json.loads(payload, cls=RuntimeDecoder)

    fns = {"ours": ours, "bare": bare, "official": official}
    if size <= LARGE:
        # Fewer rounds and no warm-up past 16 MiB (the code paths are warm from smaller sizes).
        repeat, warmup = (2, 1) if quick else (5, 1) if size <= 2**24 else (3, 0)
        samples = interleaved(fns, repeat=repeat, warmup=warmup)
        peaks = {name: peak_memory(fn) for name, fn in fns.items()}
    else:
        # One call per decoder, timed and traced at once: a few big allocations make
        # tracemalloc's cost negligible here, and each call takes seconds. One untimed call
        # first: the first decoder to allocate blocks this large pays for fresh pages (glibc
        # serves them with mmap until its dynamic threshold has risen), which would otherwise
        # fall on whichever decoder happens to run first (up to 1.5x on a 1 GiB result).
        repeat, warmup = 1, 1
        bare()
        samples, peaks = {}, {}
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            peaks[name] = peak_memory(fn)
            samples[name] = [time.perf_counter() - start]
    mb = len(payload) / 1e6
    out = {
        "payload_bytes": len(payload),
        "pubs": PUBS,
        "shots": shots,
        "num_bits": NUM_BITS,
        "repeat": repeat,
        "warmup": warmup,
        "seconds": {name: median(values) for name, values in samples.items()},
        "mb_per_s": {name: mb / median(values) for name, values in samples.items()},
        "peak_memory_bytes": peaks,
        "samples_s": samples,
    }
    return out


def run(quick: bool) -> Section:
    sizes = QUICK_SIZES if quick else SIZES
    section = Section("decode_size", "11. How decoding grows with the result's size")
    section.config = {
        "pubs": PUBS,
        "num_bits": NUM_BITS,
        "sizes_bytes": list(sizes),
        "payload": "one random PUB encoded, its node repeated (same bytes per PUB)",
        "statistic": "median (past 128 MiB: one call per decoder, timed and traced)",
        "memory": "tracemalloc peak of one separate call, payload excluded",
    }
    measured: dict[int, dict[str, Any]] = {}
    for size in sizes:
        available = _available_bytes()
        if available is not None and available < MEMORY_FACTOR * size:
            section.notes.append(
                f"{_label(size)} skipped: {available / 2**30:.1f} GiB available, "
                f"{MEMORY_FACTOR * size / 2**30:.1f} GiB wanted"
            )
            continue
        measured[size] = m = _measure(size, quick)
        gc.collect()  # the payload and the decoded results are gone before the next size
        section.rows.append(
            Row(
                f"decode_result, {_label(size)} ({PUBS} PUBs x {m['shots']:,} shots x "
                f"{NUM_BITS} bits)",
                "s",
                m["seconds"]["ours"],
                m["seconds"]["bare"],
                TARGET,
                baseline_name="json.loads + base64 + zlib + np.load, same bytes",
                details=m,
            )
        )
    if len(measured) >= 2:
        small, large = min(measured), max(measured)
        per_mb = {
            size: m["seconds"]["ours"] / (m["payload_bytes"] / 1e6) for size, m in measured.items()
        }
        section.rows.append(
            Row(
                f"decode_result time per MB at {_label(large)}",
                "s",
                per_mb[large],
                per_mb[small],
                FLAT,
                baseline_name=f"the same at {_label(small)}",
                details={"per_mb_s": {str(k): v for k, v in per_mb.items()}},
            )
        )
    section.notes.append(
        "per size, decode_result / RuntimeDecoder time and peak memory / payload (ours, "
        "bare, RuntimeDecoder): "
        + "; ".join(
            f"{_label(size)}: {m['seconds']['ours'] / m['seconds']['official']:.2f}x, "
            + "/".join(
                f"{m['peak_memory_bytes'][k] / m['payload_bytes']:.2f}"
                for k in ("ours", "bare", "official")
            )
            for size, m in measured.items()
        )
    )
    return section
