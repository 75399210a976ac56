from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.backend_list import BackendList
from ...models.error_container import ErrorContainer
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    fields: str | Unset = UNSET,
    include_mocks: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["fields"] = fields

    params["include_mocks"] = include_mocks

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/backends",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BackendList | ErrorContainer | None:
    if response.status_code == 200:
        response_200 = BackendList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorContainer.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorContainer.from_dict(response.json())

        return response_401

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
) -> Response[BackendList | ErrorContainer]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    include_mocks: bool | Unset = UNSET,
) -> Response[BackendList | ErrorContainer]:
    """List the backends this instance can use

    Args:
        fields (str | Unset):
        include_mocks (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BackendList | ErrorContainer]
    """

    kwargs = _get_kwargs(
        fields=fields,
        include_mocks=include_mocks,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    include_mocks: bool | Unset = UNSET,
) -> BackendList | ErrorContainer | None:
    """List the backends this instance can use

    Args:
        fields (str | Unset):
        include_mocks (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BackendList | ErrorContainer
    """

    return sync_detailed(
        client=client,
        fields=fields,
        include_mocks=include_mocks,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    include_mocks: bool | Unset = UNSET,
) -> Response[BackendList | ErrorContainer]:
    """List the backends this instance can use

    Args:
        fields (str | Unset):
        include_mocks (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BackendList | ErrorContainer]
    """

    kwargs = _get_kwargs(
        fields=fields,
        include_mocks=include_mocks,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    include_mocks: bool | Unset = UNSET,
) -> BackendList | ErrorContainer | None:
    """List the backends this instance can use

    Args:
        fields (str | Unset):
        include_mocks (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BackendList | ErrorContainer
    """

    return (
        await asyncio_detailed(
            client=client,
            fields=fields,
            include_mocks=include_mocks,
        )
    ).parsed
