from typing import Literal

LogLevel = Literal[
    "critical", "CRITICAL", "debug", "DEBUG", "ERROR", "error", "INFO", "info", "warning", "WARNING"
]

LOG_LEVEL_VALUES: set[LogLevel] = {
    "critical",
    "CRITICAL",
    "debug",
    "DEBUG",
    "ERROR",
    "error",
    "INFO",
    "info",
    "warning",
    "WARNING",
}


def check_log_level(value: str) -> LogLevel:
    if value in LOG_LEVEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {LOG_LEVEL_VALUES!r}")
