from typing import Any

import httpx

from ....models import PredictionTaskStatusResponse
from ...errors import UndocumentedStatus
from ...types import UNSET


def build_request_kwargs(
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


def parse_response(response: httpx.Response) -> PredictionTaskStatusResponse:
    """The body of a documented 2xx response; UndocumentedStatus for any other."""
    if response.status_code == 200:
        return PredictionTaskStatusResponse.from_dict(response.json())
    raise UndocumentedStatus(response.status_code)
