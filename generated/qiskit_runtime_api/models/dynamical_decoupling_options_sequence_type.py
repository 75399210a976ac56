from typing import Literal

DynamicalDecouplingOptionsSequenceType = Literal["XpXm", "XX", "XY4"]

DYNAMICAL_DECOUPLING_OPTIONS_SEQUENCE_TYPE_VALUES: set[DynamicalDecouplingOptionsSequenceType] = {
    "XpXm",
    "XX",
    "XY4",
}


def check_dynamical_decoupling_options_sequence_type(
    value: str,
) -> DynamicalDecouplingOptionsSequenceType:
    if value in DYNAMICAL_DECOUPLING_OPTIONS_SEQUENCE_TYPE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DYNAMICAL_DECOUPLING_OPTIONS_SEQUENCE_TYPE_VALUES!r}"
    )
