from typing import Literal

ZneExtrapolator = Literal[
    "double_exponential",
    "exponential",
    "fallback",
    "linear",
    "polynomial_degree_1",
    "polynomial_degree_2",
    "polynomial_degree_3",
    "polynomial_degree_4",
    "polynomial_degree_5",
    "polynomial_degree_6",
    "polynomial_degree_7",
]

ZNE_EXTRAPOLATOR_VALUES: set[ZneExtrapolator] = {
    "double_exponential",
    "exponential",
    "fallback",
    "linear",
    "polynomial_degree_1",
    "polynomial_degree_2",
    "polynomial_degree_3",
    "polynomial_degree_4",
    "polynomial_degree_5",
    "polynomial_degree_6",
    "polynomial_degree_7",
}


def check_zne_extrapolator(value: str) -> ZneExtrapolator:
    if value in ZNE_EXTRAPOLATOR_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ZNE_EXTRAPOLATOR_VALUES!r}")
