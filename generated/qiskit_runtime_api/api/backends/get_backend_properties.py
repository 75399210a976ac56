import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.backend_properties import BackendProperties
from ...models.error_container import ErrorContainer
from ...types import UNSET, Response, Unset


def _get_kwargs(
    backend_name: str,
    *,
    updated_before: datetime.datetime | Unset = UNSET,
    calibration_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_updated_before: str | Unset = UNSET
    if not isinstance(updated_before, Unset):
        json_updated_before = updated_before.isoformat()
    params["updated_before"] = json_updated_before

    params["calibration_id"] = calibration_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/backends/{backend_name}/properties".format(
            backend_name=quote(str(backend_name), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BackendProperties | ErrorContainer | None:
    if response.status_code == 200:
        response_200 = BackendProperties.from_dict(response.json())

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
) -> Response[BackendProperties | ErrorContainer]:
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
    updated_before: datetime.datetime | Unset = UNSET,
    calibration_id: str | Unset = UNSET,
) -> Response[BackendProperties | ErrorContainer]:
    """Get a backend's calibration properties

    Args:
        backend_name (str):
        updated_before (datetime.datetime | Unset):
        calibration_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BackendProperties | ErrorContainer]
    """

    kwargs = _get_kwargs(
        backend_name=backend_name,
        updated_before=updated_before,
        calibration_id=calibration_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    backend_name: str,
    *,
    client: AuthenticatedClient | Client,
    updated_before: datetime.datetime | Unset = UNSET,
    calibration_id: str | Unset = UNSET,
) -> BackendProperties | ErrorContainer | None:
    """Get a backend's calibration properties

    Args:
        backend_name (str):
        updated_before (datetime.datetime | Unset):
        calibration_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BackendProperties | ErrorContainer
    """

    return sync_detailed(
        backend_name=backend_name,
        client=client,
        updated_before=updated_before,
        calibration_id=calibration_id,
    ).parsed


async def asyncio_detailed(
    backend_name: str,
    *,
    client: AuthenticatedClient | Client,
    updated_before: datetime.datetime | Unset = UNSET,
    calibration_id: str | Unset = UNSET,
) -> Response[BackendProperties | ErrorContainer]:
    """Get a backend's calibration properties

    Args:
        backend_name (str):
        updated_before (datetime.datetime | Unset):
        calibration_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BackendProperties | ErrorContainer]
    """

    kwargs = _get_kwargs(
        backend_name=backend_name,
        updated_before=updated_before,
        calibration_id=calibration_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    backend_name: str,
    *,
    client: AuthenticatedClient | Client,
    updated_before: datetime.datetime | Unset = UNSET,
    calibration_id: str | Unset = UNSET,
) -> BackendProperties | ErrorContainer | None:
    """Get a backend's calibration properties

    Args:
        backend_name (str):
        updated_before (datetime.datetime | Unset):
        calibration_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BackendProperties | ErrorContainer
    """

    return (
        await asyncio_detailed(
            backend_name=backend_name,
            client=client,
            updated_before=updated_before,
            calibration_id=calibration_id,
        )
    ).parsed
