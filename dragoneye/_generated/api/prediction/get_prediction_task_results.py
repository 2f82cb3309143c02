from http import HTTPStatus
from io import BytesIO
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_detail import ErrorDetail
from ...models.validation_error_detail import ValidationErrorDetail
from ...types import UNSET, File, Response


def _get_kwargs(
    *,
    prediction_task_uuid: str,
    response_version: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["predictionTaskUuid"] = prediction_task_uuid

    params["response_version"] = response_version

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/prediction-task/results",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorDetail | File | ValidationErrorDetail | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 400:
        response_400 = ErrorDetail.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorDetail.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorDetail.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorDetail.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = ValidationErrorDetail.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorDetail.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = cast(Any, None)
        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | ErrorDetail | File | ValidationErrorDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    prediction_task_uuid: str,
    response_version: str,
) -> Response[Any | ErrorDetail | File | ValidationErrorDetail]:
    """The results of a finished prediction task

     A ZIP archive whose members are STORED (not deflated):
    `predictions.parquet` (always) and `frame_timestamps.parquet` (videos),
    both zstd-compressed parquet in the object-forward schema.

    Args:
        prediction_task_uuid (str):
        response_version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | File | ValidationErrorDetail]
    """

    kwargs = _get_kwargs(
        prediction_task_uuid=prediction_task_uuid,
        response_version=response_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    prediction_task_uuid: str,
    response_version: str,
) -> Any | ErrorDetail | File | ValidationErrorDetail | None:
    """The results of a finished prediction task

     A ZIP archive whose members are STORED (not deflated):
    `predictions.parquet` (always) and `frame_timestamps.parquet` (videos),
    both zstd-compressed parquet in the object-forward schema.

    Args:
        prediction_task_uuid (str):
        response_version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | File | ValidationErrorDetail
    """

    return sync_detailed(
        client=client,
        prediction_task_uuid=prediction_task_uuid,
        response_version=response_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    prediction_task_uuid: str,
    response_version: str,
) -> Response[Any | ErrorDetail | File | ValidationErrorDetail]:
    """The results of a finished prediction task

     A ZIP archive whose members are STORED (not deflated):
    `predictions.parquet` (always) and `frame_timestamps.parquet` (videos),
    both zstd-compressed parquet in the object-forward schema.

    Args:
        prediction_task_uuid (str):
        response_version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | File | ValidationErrorDetail]
    """

    kwargs = _get_kwargs(
        prediction_task_uuid=prediction_task_uuid,
        response_version=response_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    prediction_task_uuid: str,
    response_version: str,
) -> Any | ErrorDetail | File | ValidationErrorDetail | None:
    """The results of a finished prediction task

     A ZIP archive whose members are STORED (not deflated):
    `predictions.parquet` (always) and `frame_timestamps.parquet` (videos),
    both zstd-compressed parquet in the object-forward schema.

    Args:
        prediction_task_uuid (str):
        response_version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | File | ValidationErrorDetail
    """

    return (
        await asyncio_detailed(
            client=client,
            prediction_task_uuid=prediction_task_uuid,
            response_version=response_version,
        )
    ).parsed


build_request_kwargs = _get_kwargs
parse_response = _parse_response
