from typing import Any

import httpx

from ...errors import UndocumentedStatus
from ...models.upload_media_form import UploadMediaForm


def build_request_kwargs(
    *,
    body: UploadMediaForm,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/",
    }

    _kwargs["files"] = body.to_multipart()

    # Files (streamed parts) after the form fields (encoded bytes): storage hosts ignore fields after the file.
    _kwargs["files"].sort(key=lambda part: not isinstance(part[1][1], bytes))

    _kwargs["headers"] = headers
    return _kwargs


def parse_response(response: httpx.Response) -> None:
    """The body of a documented 2xx response; UndocumentedStatus for any other."""
    if response.status_code == 200:
        return None
    if response.status_code == 201:
        return None
    if response.status_code == 204:
        return None
    raise UndocumentedStatus(response.status_code)
