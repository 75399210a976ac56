"""The service's error body (``ErrorContainer``) and the exception handlers raise to produce it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["MORE_INFO", "ApiError", "error_body", "json_kind"]

MORE_INFO = "https://quantum.cloud.ibm.com/docs/errors"

_DEFAULT_CODES: dict[int, str | int] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "internal_error",
    502: "bad_gateway",
    503: "service_unavailable",
    504: "gateway_timeout",
}


class ApiError(Exception):
    """An HTTP error answer: status, message, error code and extra headers."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code: str | int = code if code is not None else _DEFAULT_CODES.get(status, "error")
        self.headers = dict(headers or {})


def error_body(
    status: int, message: str, trace: str, code: str | int | None = None
) -> dict[str, object]:
    """``{"errors": [{"code", "message", "more_info"}], "trace", "status_code"}``."""
    return {
        "errors": [
            {
                "code": code if code is not None else _DEFAULT_CODES.get(status, "error"),
                "message": message,
                "more_info": MORE_INFO,
            }
        ],
        "trace": trace,
        "status_code": status,
    }


def json_kind(value: Any) -> str:
    """The JSON type of ``value`` with its article ("a number", "an array"), for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__
