from typing import Literal

ExecutionOptionsMeasType = Literal["avg_kerneled", "classified", "kerneled"]

EXECUTION_OPTIONS_MEAS_TYPE_VALUES: set[ExecutionOptionsMeasType] = {
    "avg_kerneled",
    "classified",
    "kerneled",
}


def check_execution_options_meas_type(value: str) -> ExecutionOptionsMeasType:
    if value in EXECUTION_OPTIONS_MEAS_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {EXECUTION_OPTIONS_MEAS_TYPE_VALUES!r}"
    )
