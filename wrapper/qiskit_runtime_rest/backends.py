"""Backend handles: ``rt.backend(name)``, ``rt.backends(...)``, ``rt.least_busy(...)``.

A :class:`Backend` (``AsyncBackend`` with the async client) carries the backend's
configuration, fetched once, and reads its status and calibration on demand, all as the SDK's
own typed views (:mod:`qiskit_runtime_rest.views`). With the ``qiskit`` extra,
:attr:`Backend.target` is the qiskit ``Target`` that qiskit-ibm-runtime builds for the same
backend: the SDK hands the same documents to qiskit-ibm-runtime's own decoders and converter
(``qiskit_ibm_runtime.utils.backend_decoder`` / ``backend_converter``), so the two agree by
construction. qiskit is imported only when a target is asked for.

The filters of :meth:`Runtime.backends` and :meth:`Runtime.least_busy` are the official
client's (``QiskitRuntimeService.backends`` / ``least_busy``,
https://github.com/Qiskit/qiskit-ibm-runtime): ``name``, ``min_num_qubits``, ``simulator``,
``operational``, ``dynamic_circuits`` and a ``filters`` callable.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from qiskit_runtime_rest import _operations as ops
from qiskit_runtime_rest._core import AsyncEngine, Engine
from qiskit_runtime_rest.errors import BackendNotFoundError, ValidationError
from qiskit_runtime_rest.views import (
    BackendConfiguration,
    BackendInfo,
    BackendProperties,
    BackendStatus,
)

if TYPE_CHECKING:
    from qiskit_runtime_api.models import BackendList

__all__ = [
    "AsyncBackend",
    "Backend",
    "BackendFilters",
    "backend_infos",
    "build_target",
    "least_busy_candidates",
    "no_backend",
    "select",
]

E = TypeVar("E", Engine, AsyncEngine)


def build_target(
    configuration: BackendConfiguration,
    properties: BackendProperties | None,
    *,
    use_fractional_gates: bool = False,
) -> Any:
    """The qiskit ``Target`` qiskit-ibm-runtime builds from these documents (``IBMBackend
    .target``); ``use_fractional_gates`` as in ``QiskitRuntimeService.backend``.

    Raises:
        ImportError: without the ``qiskit`` extra (qiskit and qiskit-ibm-runtime).
    """
    import copy

    try:
        from qiskit_ibm_runtime.utils.backend_converter import convert_to_target
        from qiskit_ibm_runtime.utils.backend_decoder import (
            configuration_from_server_data,
            properties_from_server_data,
        )
    except ImportError as exc:
        raise ImportError(
            "Backend.target needs qiskit and qiskit-ibm-runtime: "
            "pip install 'qiskit-runtime-rest[qiskit]'"
        ) from exc
    config = configuration_from_server_data(
        copy.deepcopy(configuration.raw), use_fractional_gates=use_fractional_gates
    )
    if config is None:
        raise ValidationError(
            f"the configuration of {configuration.backend_name} does not make a qiskit Target"
        )
    props = None
    if properties is not None:
        props = properties_from_server_data(
            copy.deepcopy(properties.raw), use_fractional_gates=use_fractional_gates
        )
    return convert_to_target(configuration=config, properties=props)


class _BackendBase(Generic[E]):
    """What both handles share: the configuration and what it tells."""

    def __init__(self, engine: E, configuration: BackendConfiguration) -> None:
        self._engine: E = engine
        self._configuration = configuration
        self._properties: BackendProperties | None = None
        self._target: Any = None

    @property
    def name(self) -> str:
        """The backend's name (``ibm_fez``, ``ibm_emulator_5q``...)."""
        return self._configuration.backend_name

    @property
    def num_qubits(self) -> int:
        """The number of qubits."""
        return self._configuration.num_qubits

    @property
    def basis_gates(self) -> list[str]:
        """The native gates (``cz``, ``rz``, ``sx``, ``x``...)."""
        return list(self._configuration.basis_gates)

    @property
    def coupling_map(self) -> list[tuple[int, int]]:
        """The directed qubit pairs two-qubit gates act on."""
        return list(self._configuration.coupling_map)

    @property
    def simulator(self) -> bool:
        """Whether the backend is a simulator."""
        return self._configuration.simulator

    def configuration(self) -> BackendConfiguration:
        """The backend's configuration (fetched when the handle was made; no request).

        Raises:
            Nothing: no request is made.
        """
        return self._configuration

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, num_qubits={self.num_qubits})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _BackendBase) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)


class Backend(_BackendBase[Engine]):
    """A backend (sync): ``rt.backend("ibm_fez")``.

    ``name``, ``num_qubits``, ``basis_gates`` and ``coupling_map`` come from the configuration;
    ``status()`` and ``properties()`` ask the service; ``target`` is the qiskit ``Target``
    (the ``qiskit`` extra).
    """

    @classmethod
    def _load(cls, engine: Engine, name: str) -> Backend:
        model = engine.send(ops.get_backend_configuration(name))
        return cls(engine, BackendConfiguration._from_model(model))

    def status(self) -> BackendStatus:
        """The backend's current status (operational, queue length).

        Raises:
            NotFoundError: if the backend is gone; other ``APIError`` / ``APIConnectionError``
                subclasses for failures of the request.
        """
        return BackendStatus._from_model(
            self.name, self._engine.send(ops.get_backend_status(self.name))
        )

    def properties(self, refresh: bool = False) -> BackendProperties | None:
        """The backend's calibration (fetched once, then kept; ``refresh=True`` fetches it
        again). None for a simulator, which has none.

        Raises:
            APIError: a subclass for a refused request; ``APIConnectionError`` for network
                failures.
        """
        if self.simulator:
            return None
        if self._properties is None or refresh:
            model = self._engine.send(ops.get_backend_properties(self.name))
            self._properties = BackendProperties._from_model(self.name, model)
            self._target = None
        return self._properties

    @property
    def target(self) -> Any:
        """The qiskit ``Target`` of this backend, equal to qiskit-ibm-runtime's
        (``QiskitRuntimeService.backend(name).target``); built once.

        Raises:
            ImportError: without the ``qiskit`` extra.
        """
        if self._target is None:
            self._target = build_target(self._configuration, self.properties())
        return self._target


class AsyncBackend(_BackendBase[AsyncEngine]):
    """The async twin of :class:`Backend`: ``await rt.backend(name)`` fetches the
    configuration and the calibration, so ``target`` needs no further request."""

    @classmethod
    async def _load(cls, engine: AsyncEngine, name: str) -> AsyncBackend:
        model = await engine.send(ops.get_backend_configuration(name))
        backend = cls(engine, BackendConfiguration._from_model(model))
        await backend.properties()
        return backend

    async def status(self) -> BackendStatus:
        """The backend's current status (see :meth:`Backend.status`).

        Raises:
            NotFoundError: if the backend is gone; other ``APIError`` / ``APIConnectionError``
                subclasses for failures of the request.
        """
        model = await self._engine.send(ops.get_backend_status(self.name))
        return BackendStatus._from_model(self.name, model)

    async def properties(self, refresh: bool = False) -> BackendProperties | None:
        """The backend's calibration (see :meth:`Backend.properties`).

        Raises:
            APIError: a subclass for a refused request; ``APIConnectionError`` for network
                failures.
        """
        if self.simulator:
            return None
        if self._properties is None or refresh:
            model = await self._engine.send(ops.get_backend_properties(self.name))
            self._properties = BackendProperties._from_model(self.name, model)
            self._target = None
        return self._properties

    @property
    def target(self) -> Any:
        """The qiskit ``Target`` (see :attr:`Backend.target`), from the calibration fetched
        last.

        Raises:
            ImportError: without the ``qiskit`` extra.
        """
        if self._target is None:
            self._target = build_target(self._configuration, self._properties)
        return self._target


# -- filters -------------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class BackendFilters:
    """The official client's backend filters; ``None`` means "any"."""

    name: str | None = None
    min_num_qubits: int | None = None
    simulator: bool | None = None
    operational: bool | None = None
    dynamic_circuits: bool | None = None
    filters: Callable[[Any], bool] | None = None

    def __attrs_post_init__(self) -> None:
        n = self.min_num_qubits
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise ValidationError(f"min_num_qubits must be an integer >= 0, got {n!r}")
        if self.filters is not None and not callable(self.filters):
            raise ValidationError("filters must be a callable taking a backend")

    def names(self, listing: BackendList) -> list[str]:
        """The listed backends that may match (the filters the listing can answer)."""
        out = []
        for device in listing.devices:
            info = BackendInfo._from_model(device)
            if self.name is not None and info.name != self.name:
                continue
            if self.simulator is not None and info.simulator != self.simulator:
                continue
            out.append(info.name)
        return out

    def by_configuration(self, configuration: BackendConfiguration) -> bool:
        """Whether a backend's configuration matches."""
        if self.min_num_qubits and configuration.num_qubits < self.min_num_qubits:
            return False
        if self.simulator is not None and configuration.simulator != self.simulator:
            return False
        return self.dynamic_circuits is None or (
            configuration.dynamic_circuits == self.dynamic_circuits
        )


def backend_infos(listing: BackendList, min_num_qubits: int | None = None) -> list[BackendInfo]:
    """The listed backends as views, those with fewer than ``min_num_qubits`` left out.

    Raises:
        ValidationError: for a bad ``min_num_qubits``.
    """
    if min_num_qubits is not None:
        BackendFilters(min_num_qubits=min_num_qubits)  # validates it
    infos = [BackendInfo._from_model(d) for d in listing.devices]
    if min_num_qubits:
        infos = [i for i in infos if (i.num_qubits or 0) >= min_num_qubits]
    return infos


def least_busy_candidates(listing: BackendList, min_num_qubits: int | None) -> list[str]:
    """Online backends with enough qubits, shortest queue first (the official client's rule)."""
    online = [i for i in backend_infos(listing, min_num_qubits) if i.status == "online"]
    return [i.name for i in sorted(online, key=lambda i: i.queue_length)]


def no_backend(filters: BackendFilters) -> BackendNotFoundError:
    """The error for a search that found nothing."""
    shown = {k: v for k, v in attrs.asdict(filters).items() if v is not None}
    return BackendNotFoundError(f"no online backend matches the criteria {shown}")


def select(backends: Sequence[Any], filters: BackendFilters) -> list[Any]:
    """Apply the ``filters`` callable (the last filter, as in the official client)."""
    if filters.filters is None:
        return list(backends)
    return [b for b in backends if filters.filters(b)]
