from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_container import ErrorContainer
from ...models.plain_primitive_result import PlainPrimitiveResult
from ...models.quantum_program_result import QuantumProgramResult
from ...models.typed_primitive_result import TypedPrimitiveResult
from ...types import Response


def _get_kwargs(
    job_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/jobs/{job_id}/results".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_result_type_0 = TypedPrimitiveResult.from_dict(data)

                return componentsschemas_job_result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_job_result_type_1 = PlainPrimitiveResult.from_dict(data)

                return componentsschemas_job_result_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_job_result_type_2 = QuantumProgramResult.from_dict(data)

            return componentsschemas_job_result_type_2

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = ErrorContainer.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorContainer.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorContainer.from_dict(response.json())

        return response_404

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
) -> Response[
    Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult
]:
    """Get a job's final result

     Sampler and Estimator jobs: the result's encoding depends on the job's
    `params.support_qiskit`: `true` gives the Qiskit-typed form (`PrimitiveResult`), absent or
    `false` the plain JSON form. Executor jobs: a `QuantumProgramResult` (schema version
    `v2.0`), one entry per item of the program. Answers 204 when there is no result (yet).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> (
    Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult | None
):
    """Get a job's final result

     Sampler and Estimator jobs: the result's encoding depends on the job's
    `params.support_qiskit`: `true` gives the Qiskit-typed form (`PrimitiveResult`), absent or
    `false` the plain JSON form. Executor jobs: a `QuantumProgramResult` (schema version
    `v2.0`), one entry per item of the program. Answers 204 when there is no result (yet).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[
    Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult
]:
    """Get a job's final result

     Sampler and Estimator jobs: the result's encoding depends on the job's
    `params.support_qiskit`: `true` gives the Qiskit-typed form (`PrimitiveResult`), absent or
    `false` the plain JSON form. Executor jobs: a `QuantumProgramResult` (schema version
    `v2.0`), one entry per item of the program. Answers 204 when there is no result (yet).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> (
    Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult | None
):
    """Get a job's final result

     Sampler and Estimator jobs: the result's encoding depends on the job's
    `params.support_qiskit`: `true` gives the Qiskit-typed form (`PrimitiveResult`), absent or
    `false` the plain JSON form. Executor jobs: a `QuantumProgramResult` (schema version
    `v2.0`), one entry per item of the program. Answers 204 when there is no result (yet).

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorContainer | PlainPrimitiveResult | QuantumProgramResult | TypedPrimitiveResult
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
        )
    ).parsed
