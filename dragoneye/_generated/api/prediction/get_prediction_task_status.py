from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_detail import ErrorDetail
from ...models.prediction_task_status_response import PredictionTaskStatusResponse
from ...models.validation_error_detail import ValidationErrorDetail
from ...types import UNSET, Response


def _get_kwargs(
    *,
    prediction_task_uuid: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["predictionTaskUuid"] = prediction_task_uuid

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/prediction-task/status",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail | None:
    if response.status_code == 200:
        response_200 = PredictionTaskStatusResponse.from_dict(response.json())

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
) -> Response[Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail]:
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
) -> Response[Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail]:
    """The status of a prediction task

    Args:
        prediction_task_uuid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail]
    """

    kwargs = _get_kwargs(
        prediction_task_uuid=prediction_task_uuid,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    prediction_task_uuid: str,
) -> Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail | None:
    """The status of a prediction task

    Args:
        prediction_task_uuid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail
    """

    return sync_detailed(
        client=client,
        prediction_task_uuid=prediction_task_uuid,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    prediction_task_uuid: str,
) -> Response[Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail]:
    """The status of a prediction task

    Args:
        prediction_task_uuid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail]
    """

    kwargs = _get_kwargs(
        prediction_task_uuid=prediction_task_uuid,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    prediction_task_uuid: str,
) -> Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail | None:
    """The status of a prediction task

    Args:
        prediction_task_uuid (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | PredictionTaskStatusResponse | ValidationErrorDetail
    """

    return (
        await asyncio_detailed(
            client=client,
            prediction_task_uuid=prediction_task_uuid,
        )
    ).parsed


build_request_kwargs = _get_kwargs
parse_response = _parse_response
