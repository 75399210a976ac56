from typing import Literal

MeasLevel = Literal["avg_kerneled", "both", "classified", "kerneled"]

MEAS_LEVEL_VALUES: set[MeasLevel] = {
    "avg_kerneled",
    "both",
    "classified",
    "kerneled",
}


def check_meas_level(value: str) -> MeasLevel:
    if value in MEAS_LEVEL_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {MEAS_LEVEL_VALUES!r}")
