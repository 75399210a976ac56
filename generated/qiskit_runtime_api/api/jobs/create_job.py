from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_container import ErrorContainer
from ...models.estimator_job_request import EstimatorJobRequest
from ...models.executor_job_request import ExecutorJobRequest
from ...models.job_create_response import JobCreateResponse
from ...models.sampler_job_request import SamplerJobRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest,
    parent_job_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(parent_job_id, Unset):
        headers["Parent-Job-Id"] = parent_job_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/jobs",
    }

    if isinstance(body, SamplerJobRequest) or isinstance(body, EstimatorJobRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorContainer | JobCreateResponse | None:
    if response.status_code == 200:
        response_200 = JobCreateResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorContainer.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorContainer.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorContainer.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorContainer.from_dict(response.json())

        return response_404

    if response.status_code == 408:
        response_408 = ErrorContainer.from_dict(response.json())

        return response_408

    if response.status_code == 409:
        response_409 = ErrorContainer.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorContainer.from_dict(response.json())

        return response_413

    if response.status_code == 429:
        response_429 = ErrorContainer.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorContainer.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ErrorContainer.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorContainer | JobCreateResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest,
    parent_job_id: str | Unset = UNSET,
) -> Response[ErrorContainer | JobCreateResponse]:
    """Submit a Sampler, Estimator or executor job

     Submits a primitive job (`program_id` `sampler` or `estimator`) or a quantum program
    (`program_id` `executor`, what qiskit-ibm-runtime's `Executor` and its client-side
    `executor_sampler.Sampler` / `executor_estimator.Estimator` send), optionally into a
    session or batch (`session_id`). Rate limited (documented: 5 jobs per minute per user).
    A 429 or 409 answer means the job was **not** created, so the request may be repeated
    after `Retry-After`.

    Args:
        parent_job_id (str | Unset):
        body (EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest): A Sampler, Estimator
            or executor job; `program_id` tells which.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorContainer | JobCreateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        parent_job_id=parent_job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest,
    parent_job_id: str | Unset = UNSET,
) -> ErrorContainer | JobCreateResponse | None:
    """Submit a Sampler, Estimator or executor job

     Submits a primitive job (`program_id` `sampler` or `estimator`) or a quantum program
    (`program_id` `executor`, what qiskit-ibm-runtime's `Executor` and its client-side
    `executor_sampler.Sampler` / `executor_estimator.Estimator` send), optionally into a
    session or batch (`session_id`). Rate limited (documented: 5 jobs per minute per user).
    A 429 or 409 answer means the job was **not** created, so the request may be repeated
    after `Retry-After`.

    Args:
        parent_job_id (str | Unset):
        body (EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest): A Sampler, Estimator
            or executor job; `program_id` tells which.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorContainer | JobCreateResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        parent_job_id=parent_job_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest,
    parent_job_id: str | Unset = UNSET,
) -> Response[ErrorContainer | JobCreateResponse]:
    """Submit a Sampler, Estimator or executor job

     Submits a primitive job (`program_id` `sampler` or `estimator`) or a quantum program
    (`program_id` `executor`, what qiskit-ibm-runtime's `Executor` and its client-side
    `executor_sampler.Sampler` / `executor_estimator.Estimator` send), optionally into a
    session or batch (`session_id`). Rate limited (documented: 5 jobs per minute per user).
    A 429 or 409 answer means the job was **not** created, so the request may be repeated
    after `Retry-After`.

    Args:
        parent_job_id (str | Unset):
        body (EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest): A Sampler, Estimator
            or executor job; `program_id` tells which.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorContainer | JobCreateResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        parent_job_id=parent_job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest,
    parent_job_id: str | Unset = UNSET,
) -> ErrorContainer | JobCreateResponse | None:
    """Submit a Sampler, Estimator or executor job

     Submits a primitive job (`program_id` `sampler` or `estimator`) or a quantum program
    (`program_id` `executor`, what qiskit-ibm-runtime's `Executor` and its client-side
    `executor_sampler.Sampler` / `executor_estimator.Estimator` send), optionally into a
    session or batch (`session_id`). Rate limited (documented: 5 jobs per minute per user).
    A 429 or 409 answer means the job was **not** created, so the request may be repeated
    after `Retry-After`.

    Args:
        parent_job_id (str | Unset):
        body (EstimatorJobRequest | ExecutorJobRequest | SamplerJobRequest): A Sampler, Estimator
            or executor job; `program_id` tells which.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorContainer | JobCreateResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            parent_job_id=parent_job_id,
        )
    ).parsed
