from typing import Any

import httpx

from ...errors import UndocumentedStatus
from ...models.begin_prediction_task_form import BeginPredictionTaskForm
from ...models.prediction_task_begin_response import PredictionTaskBeginResponse
from ...types import UNSET, Unset


def build_request_kwargs(
    *,
    body: BeginPredictionTaskForm | BeginPredictionTaskForm | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/prediction-task/begin",
    }

    if isinstance(body, BeginPredictionTaskForm):
        _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif isinstance(body, BeginPredictionTaskForm):
        _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def parse_response(response: httpx.Response) -> PredictionTaskBeginResponse:
    """The body of a documented 2xx response; UndocumentedStatus for any other."""
    if response.status_code == 200:
        return PredictionTaskBeginResponse.from_dict(response.json())
    raise UndocumentedStatus(response.status_code)
