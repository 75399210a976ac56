from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.backend_status import BackendStatus
from ...models.error_container import ErrorContainer
from ...types import Response


def _get_kwargs(
    backend_name: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/backends/{backend_name}/status".format(
            backend_name=quote(str(backend_name), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BackendStatus | ErrorContainer | None:
    if response.status_code == 200:
        response_200 = BackendStatus.from_dict(response.json())

        return response_200

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
) -> Response[BackendStatus | ErrorContainer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    backend_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[BackendStatus | ErrorContainer]:
    """Get a backend's status and queue length

    Args:
        backend_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BackendStatus | ErrorContainer]
    """

    kwargs = _get_kwargs(
        backend_name=backend_name,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    backend_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> BackendStatus | ErrorContainer | None:
    """Get a backend's status and queue length

    Args:
        backend_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BackendStatus | ErrorContainer
    """

    return sync_detailed(
        backend_name=backend_name,
        client=client,
    ).parsed


async def asyncio_detailed(
    backend_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[BackendStatus | ErrorContainer]:
    """Get a backend's status and queue length

    Args:
        backend_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BackendStatus | ErrorContainer]
    """

    kwargs = _get_kwargs(
        backend_name=backend_name,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    backend_name: str,
    *,
    client: AuthenticatedClient | Client,
) -> BackendStatus | ErrorContainer | None:
    """Get a backend's status and queue length

    Args:
        backend_name (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BackendStatus | ErrorContainer
    """

    return (
        await asyncio_detailed(
            backend_name=backend_name,
            client=client,
        )
    ).parsed
