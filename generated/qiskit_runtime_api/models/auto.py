from typing import Literal

Auto = Literal["auto"]

AUTO_VALUES: set[Auto] = {
    "auto",
}


def check_auto(value: str) -> Auto:
    if value in AUTO_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {AUTO_VALUES!r}")
