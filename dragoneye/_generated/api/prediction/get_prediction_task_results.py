from typing import Any

import httpx

from ...errors import UndocumentedStatus
from ...types import UNSET


def build_request_kwargs(
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


def parse_response(response: httpx.Response) -> bytes:
    """The body of a documented 2xx response; UndocumentedStatus for any other."""
    if response.status_code == 200:
        return response.content
    raise UndocumentedStatus(response.status_code)
