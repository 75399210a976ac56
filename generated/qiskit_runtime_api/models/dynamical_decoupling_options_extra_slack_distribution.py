from typing import Literal

DynamicalDecouplingOptionsExtraSlackDistribution = Literal["edges", "middle"]

DYNAMICAL_DECOUPLING_OPTIONS_EXTRA_SLACK_DISTRIBUTION_VALUES: set[
    DynamicalDecouplingOptionsExtraSlackDistribution
] = {
    "edges",
    "middle",
}


def check_dynamical_decoupling_options_extra_slack_distribution(
    value: str,
) -> DynamicalDecouplingOptionsExtraSlackDistribution:
    if value in DYNAMICAL_DECOUPLING_OPTIONS_EXTRA_SLACK_DISTRIBUTION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {DYNAMICAL_DECOUPLING_OPTIONS_EXTRA_SLACK_DISTRIBUTION_VALUES!r}"
    )
