from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.layer_noise_learning_options import LayerNoiseLearningOptions
    from ..models.measure_noise_learning_options import MeasureNoiseLearningOptions
    from ..models.pec_options import PecOptions
    from ..models.zne_options import ZneOptions


T = TypeVar("T", bound="ResilienceOptions")


@_attrs_define
class ResilienceOptions:
    """
    Attributes:
        measure_mitigation (bool | None | Unset):
        measure_noise_learning (MeasureNoiseLearningOptions | Unset):
        zne_mitigation (bool | None | Unset):
        zne (ZneOptions | Unset):
        pec_mitigation (bool | None | Unset):
        pec (PecOptions | Unset):
        layer_noise_learning (LayerNoiseLearningOptions | Unset):
    """

    measure_mitigation: bool | None | Unset = UNSET
    measure_noise_learning: MeasureNoiseLearningOptions | Unset = UNSET
    zne_mitigation: bool | None | Unset = UNSET
    zne: ZneOptions | Unset = UNSET
    pec_mitigation: bool | None | Unset = UNSET
    pec: PecOptions | Unset = UNSET
    layer_noise_learning: LayerNoiseLearningOptions | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        measure_mitigation: bool | None | Unset
        if isinstance(self.measure_mitigation, Unset):
            measure_mitigation = UNSET
        else:
            measure_mitigation = self.measure_mitigation

        measure_noise_learning: dict[str, Any] | Unset = UNSET
        if not isinstance(self.measure_noise_learning, Unset):
            measure_noise_learning = self.measure_noise_learning.to_dict()

        zne_mitigation: bool | None | Unset
        if isinstance(self.zne_mitigation, Unset):
            zne_mitigation = UNSET
        else:
            zne_mitigation = self.zne_mitigation

        zne: dict[str, Any] | Unset = UNSET
        if not isinstance(self.zne, Unset):
            zne = self.zne.to_dict()

        pec_mitigation: bool | None | Unset
        if isinstance(self.pec_mitigation, Unset):
            pec_mitigation = UNSET
        else:
            pec_mitigation = self.pec_mitigation

        pec: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pec, Unset):
            pec = self.pec.to_dict()

        layer_noise_learning: dict[str, Any] | Unset = UNSET
        if not isinstance(self.layer_noise_learning, Unset):
            layer_noise_learning = self.layer_noise_learning.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if measure_mitigation is not UNSET:
            field_dict["measure_mitigation"] = measure_mitigation
        if measure_noise_learning is not UNSET:
            field_dict["measure_noise_learning"] = measure_noise_learning
        if zne_mitigation is not UNSET:
            field_dict["zne_mitigation"] = zne_mitigation
        if zne is not UNSET:
            field_dict["zne"] = zne
        if pec_mitigation is not UNSET:
            field_dict["pec_mitigation"] = pec_mitigation
        if pec is not UNSET:
            field_dict["pec"] = pec
        if layer_noise_learning is not UNSET:
            field_dict["layer_noise_learning"] = layer_noise_learning

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.layer_noise_learning_options import LayerNoiseLearningOptions
        from ..models.measure_noise_learning_options import MeasureNoiseLearningOptions
        from ..models.pec_options import PecOptions
        from ..models.zne_options import ZneOptions

        d = dict(src_dict)

        def _parse_measure_mitigation(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        measure_mitigation = _parse_measure_mitigation(d.pop("measure_mitigation", UNSET))

        _measure_noise_learning = d.pop("measure_noise_learning", UNSET)
        measure_noise_learning: MeasureNoiseLearningOptions | Unset
        if isinstance(_measure_noise_learning, Unset):
            measure_noise_learning = UNSET
        else:
            measure_noise_learning = MeasureNoiseLearningOptions.from_dict(_measure_noise_learning)

        def _parse_zne_mitigation(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        zne_mitigation = _parse_zne_mitigation(d.pop("zne_mitigation", UNSET))

        _zne = d.pop("zne", UNSET)
        zne: ZneOptions | Unset
        if isinstance(_zne, Unset):
            zne = UNSET
        else:
            zne = ZneOptions.from_dict(_zne)

        def _parse_pec_mitigation(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        pec_mitigation = _parse_pec_mitigation(d.pop("pec_mitigation", UNSET))

        _pec = d.pop("pec", UNSET)
        pec: PecOptions | Unset
        if isinstance(_pec, Unset):
            pec = UNSET
        else:
            pec = PecOptions.from_dict(_pec)

        _layer_noise_learning = d.pop("layer_noise_learning", UNSET)
        layer_noise_learning: LayerNoiseLearningOptions | Unset
        if isinstance(_layer_noise_learning, Unset):
            layer_noise_learning = UNSET
        else:
            layer_noise_learning = LayerNoiseLearningOptions.from_dict(_layer_noise_learning)

        resilience_options = cls(
            measure_mitigation=measure_mitigation,
            measure_noise_learning=measure_noise_learning,
            zne_mitigation=zne_mitigation,
            zne=zne,
            pec_mitigation=pec_mitigation,
            pec=pec,
            layer_noise_learning=layer_noise_learning,
        )

        return resilience_options
