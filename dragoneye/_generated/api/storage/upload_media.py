from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_detail import ErrorDetail
from ...models.upload_media_form import UploadMediaForm
from ...types import Response


def _get_kwargs(
    *,
    body: UploadMediaForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/",
    }

    _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Any | ErrorDetail | None:
    if response.status_code == 201:
        response_201 = cast(Any, None)
        return response_201

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if response.status_code == 400:
        response_400 = cast(Any, None)
        return response_400

    if response.status_code == 403:
        response_403 = cast(Any, None)
        return response_403

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Any | ErrorDetail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UploadMediaForm,
) -> Response[Any | ErrorDetail]:
    """Upload the media to the presigned storage URL

     An S3/GCS-style presigned POST to `presigned_post_request.url` from the
    begin response: every entry of `presigned_post_request.fields` as a form
    field, then the media as the part named `file`, which must come last.
    This goes to the storage host and never carries the API key.

    Args:
        body (UploadMediaForm): Every entry of `presigned_post_request.fields` (policy, signature,
            key,
            ...; their names depend on the storage host), then `file` last.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UploadMediaForm,
) -> Any | ErrorDetail | None:
    """Upload the media to the presigned storage URL

     An S3/GCS-style presigned POST to `presigned_post_request.url` from the
    begin response: every entry of `presigned_post_request.fields` as a form
    field, then the media as the part named `file`, which must come last.
    This goes to the storage host and never carries the API key.

    Args:
        body (UploadMediaForm): Every entry of `presigned_post_request.fields` (policy, signature,
            key,
            ...; their names depend on the storage host), then `file` last.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UploadMediaForm,
) -> Response[Any | ErrorDetail]:
    """Upload the media to the presigned storage URL

     An S3/GCS-style presigned POST to `presigned_post_request.url` from the
    begin response: every entry of `presigned_post_request.fields` as a form
    field, then the media as the part named `file`, which must come last.
    This goes to the storage host and never carries the API key.

    Args:
        body (UploadMediaForm): Every entry of `presigned_post_request.fields` (policy, signature,
            key,
            ...; their names depend on the storage host), then `file` last.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UploadMediaForm,
) -> Any | ErrorDetail | None:
    """Upload the media to the presigned storage URL

     An S3/GCS-style presigned POST to `presigned_post_request.url` from the
    begin response: every entry of `presigned_post_request.fields` as a form
    field, then the media as the part named `file`, which must come last.
    This goes to the storage host and never carries the API key.

    Args:
        body (UploadMediaForm): Every entry of `presigned_post_request.fields` (policy, signature,
            key,
            ...; their names depend on the storage host), then `file` last.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed


build_request_kwargs = _get_kwargs
parse_response = _parse_response
