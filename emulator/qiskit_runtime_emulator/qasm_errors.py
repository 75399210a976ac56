"""Say where an OpenQASM program fails to parse: line, column and the offending token.

qiskit's parsers know the position of an error but say it in different ways: the OpenQASM 3
grammar (openqasm3, ANTLR) raises an empty ``QASM3ParsingError`` whose cause holds the offending
token; the lexer says ``L2:C16: ...``; qiskit-qasm3-import and qiskit's OpenQASM 2 parser start
their messages with ``2,0:`` or ``<input>:3,0:``. :func:`describe_parse_error` turns all of them
into ``line 2, column 17: unexpected '=' (...)``, lines and columns counted from 1.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["describe_parse_error"]

_POSITION = re.compile(r"^\W*(?:<input>:)?(?:L(\d+):C(\d+)|(\d+),(\d+)):\s*(.*)$", re.DOTALL)
_TOKEN = re.compile(r"[A-Za-z_$][\w$]*|\d[\w.]*|\S")
_MAX_EXPECTED = 6


def _token_at(text: str, line: int, column: int) -> str | None:
    """The token that starts at ``line`` (from 1) and ``column`` (from 0) of ``text``."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    match = _TOKEN.match(lines[line - 1], column)
    return match.group() if match else None


def _where(line: int, column: int, message: str, token: str | None) -> str:
    at = f" (at {token!r})" if token and token not in message else ""
    return f"line {line}, column {column + 1}: {message}{at}"


def _recognition(exc: BaseException) -> Any:
    """The ANTLR ``RecognitionException`` behind a ``QASM3ParsingError``, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if getattr(current, "offendingToken", None) is not None:
            return current
        for arg in getattr(current, "args", ()):
            if getattr(arg, "offendingToken", None) is not None:
                return arg
        current = current.__cause__ or current.__context__
    return None


def _grammar_error(error: Any) -> str:
    token = error.offendingToken
    text = "end of program" if token.type == -1 else repr(token.text)
    message = f"unexpected {text}"
    try:
        recognizer = error.recognizer
        expected = error.getExpectedTokens().toString(
            recognizer.literalNames, recognizer.symbolicNames
        )
    except Exception:  # the token sets are a nicety; the position is what matters
        expected = ""
    names = [e.strip() for e in expected.strip("{}").split(",") if e.strip()]
    if 0 < len(names) <= _MAX_EXPECTED:
        message += f", expected {' or '.join(names)}"
    return f"line {token.line}, column {token.column + 1}: {message}"


def describe_parse_error(exc: BaseException, text: str) -> str:
    """A one-line description of why ``text`` did not parse, with its position when the parser
    gave one (``line 3, column 1: unexpected 'cx', expected ';'``)."""
    error = _recognition(exc)
    if error is not None:
        return _grammar_error(error)
    message = str(exc).strip()
    if len(message) > 1 and message[0] == message[-1] and message[0] in "'\"":
        message = message[1:-1].strip()  # qiskit's QASM3ImporterError quotes its message
    match = _POSITION.match(message)
    if match:
        line = int(match.group(1) or match.group(3))
        column = int(match.group(2) or match.group(4))
        detail = match.group(5).strip().rstrip(".") or type(exc).__name__
        return _where(line, column, detail, _token_at(text, line, column))
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
