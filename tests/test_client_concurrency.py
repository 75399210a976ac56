"""AsyncRuntime keeps at most ``max_concurrency`` requests in flight."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from qiskit_runtime_rest import AsyncRuntime, RetryPolicy, Timeouts, ValidationError

from tests.fakes import API_KEY, BASE, CRN, FAST_RETRY, IAM, FakeService

VERSIONS = {"versions": [{"version": "2026-04-15", "status": "live"}]}


@pytest.mark.parametrize("bound", [1, 3])
def test_async_requests_in_flight_are_bounded(bound: int) -> None:
    service = FakeService().on("GET", "/versions", VERSIONS)
    in_flight = 0
    peak = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            await asyncio.sleep(0.005)
            return service(request)
        finally:
            in_flight -= 1

    async def main() -> None:
        rt = AsyncRuntime(
            token=API_KEY,
            instance=CRN,
            url=BASE,
            iam_url=IAM,
            retry=FAST_RETRY,
            transport=httpx.MockTransport(handler),
            max_concurrency=bound,
        )
        async with rt:
            results = await asyncio.gather(*(rt.versions() for _ in range(20)))
        assert all(r[0].version == "2026-04-15" for r in results)

    asyncio.run(main())
    # The IAM token request is not an API call: it may overlap the first slot's request.
    assert peak <= bound + 1
    assert len(service.api_requests("GET", "/versions")) == 20


def test_waiting_for_a_turn_is_not_part_of_a_requests_timeout() -> None:
    """40 calls through one slot queue for about 40 x 50 ms, twice the 1 s that each request
    may take: the wait for a turn does not count against it, so none of them times out."""
    service = FakeService().on("GET", "/versions", VERSIONS)

    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.05)
        return service(request)

    async def main() -> None:
        rt = AsyncRuntime(
            token=API_KEY,
            instance=CRN,
            url=BASE,
            iam_url=IAM,
            retry=RetryPolicy(max_attempts=1),
            timeout=Timeouts(total=1.0),
            transport=httpx.MockTransport(handler),
            max_concurrency=1,
        )
        async with rt:
            results = await asyncio.gather(*(rt.versions() for _ in range(40)))
        assert len(results) == 40

    asyncio.run(main())
    assert len(service.api_requests("GET", "/versions")) == 40


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "8"])
def test_max_concurrency_must_be_a_positive_integer(bad: object) -> None:
    with pytest.raises(ValidationError, match="max_concurrency"):
        AsyncRuntime(token=API_KEY, instance=CRN, url=BASE, iam_url=IAM, max_concurrency=bad)  # type: ignore[arg-type]
