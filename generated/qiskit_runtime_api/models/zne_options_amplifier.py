from typing import Literal

ZneOptionsAmplifier = Literal["gate_folding", "gate_folding_back", "gate_folding_front", "pea"]

ZNE_OPTIONS_AMPLIFIER_VALUES: set[ZneOptionsAmplifier] = {
    "gate_folding",
    "gate_folding_back",
    "gate_folding_front",
    "pea",
}


def check_zne_options_amplifier(value: str) -> ZneOptionsAmplifier:
    if value in ZNE_OPTIONS_AMPLIFIER_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {ZNE_OPTIONS_AMPLIFIER_VALUES!r}")
