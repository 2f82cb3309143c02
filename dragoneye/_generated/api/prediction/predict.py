from typing import Any

import httpx

from ...errors import UndocumentedStatus
from ...models.predict_form import PredictForm
from ...types import UNSET, Unset


def build_request_kwargs(
    *,
    body: PredictForm | PredictForm | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/predict",
    }

    if isinstance(body, PredictForm):
        _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif isinstance(body, PredictForm):
        _kwargs["files"] = body.to_multipart()

    _kwargs["headers"] = headers
    return _kwargs


def parse_response(response: httpx.Response) -> None:
    """The body of a documented 2xx response; UndocumentedStatus for any other."""
    if response.status_code == 200:
        return None
    raise UndocumentedStatus(response.status_code)
