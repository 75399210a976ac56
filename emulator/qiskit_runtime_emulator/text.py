"""Text the server echoes, made safe to send: valid UTF-8, and one log record per line.

Python strings can hold lone surrogates (JSON's ``"\\ud800"`` decodes to one), which cannot be
encoded as UTF-8 and which ``json.dumps`` writes as escapes that strict decoders refuse. Every
JSON document the emulator sends goes through :func:`dumps_json`, and every log line through
:func:`log_text`.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["dumps_json", "log_text", "without_surrogates"]

REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls but tab, DEL, and the C1 controls: never raw in a log line (a newline in a
# job's failure reason would otherwise forge a log record of its own).
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def without_surrogates(value: Any) -> Any:
    """``value`` (a JSON value) with every lone surrogate in its strings, keys included,
    replaced by U+FFFD; the same object when there is none."""
    if isinstance(value, str):
        return _SURROGATE.sub(REPLACEMENT, value) if _SURROGATE.search(value) else value
    if isinstance(value, list):
        return [without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def dumps_json(value: Any) -> bytes:
    """Compact JSON bytes of ``value``, without lone surrogates."""
    out = json.dumps(value, separators=(",", ":")).encode()
    # json.dumps writes every non-ASCII character as an escape, surrogates as \udxxx (valid
    # pairs too): look closer only then.
    if b"\\ud" in out:
        out = json.dumps(without_surrogates(value), separators=(",", ":")).encode()
    return out


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r"}.get(char, f"\\x{ord(char):02x}")


def log_text(message: str) -> str:
    """``message`` on one line: control characters escaped (``\\n``, ``\\x00``), lone surrogates
    replaced by U+FFFD."""
    if _CONTROL.search(message):
        message = _CONTROL.sub(_escape, message)
    return _SURROGATE.sub(REPLACEMENT, message) if _SURROGATE.search(message) else message
