from typing import Literal

ExecutionMode = Literal["batch", "dedicated"]

EXECUTION_MODE_VALUES: set[ExecutionMode] = {
    "batch",
    "dedicated",
}


def check_execution_mode(value: str) -> ExecutionMode:
    if value in EXECUTION_MODE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {EXECUTION_MODE_VALUES!r}")
