from typing import Literal

DynamicalDecouplingOptionsSchedulingMethod = Literal["alap", "asap"]

DYNAMICAL_DECOUPLING_OPTIONS_SCHEDULING_METHOD_VALUES: set[
    DynamicalDecouplingOptionsSchedulingMethod
] = {
    "alap",
    "asap",
}


def check_dynamical_decoupling_options_scheduling_method(
    value: str,
) -> DynamicalDecouplingOptionsSchedulingMethod:
    if value in DYNAMICAL_DECOUPLING_OPTIONS_SCHEDULING_METHOD_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DYNAMICAL_DECOUPLING_OPTIONS_SCHEDULING_METHOD_VALUES!r}"
    )
