from typing import Literal

TwirlingOptionsStrategy = Literal["active", "active-accum", "active-circuit", "all"]

TWIRLING_OPTIONS_STRATEGY_VALUES: set[TwirlingOptionsStrategy] = {
    "active",
    "active-accum",
    "active-circuit",
    "all",
}


def check_twirling_options_strategy(value: str) -> TwirlingOptionsStrategy:
    if value in TWIRLING_OPTIONS_STRATEGY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {TWIRLING_OPTIONS_STRATEGY_VALUES!r}"
    )
