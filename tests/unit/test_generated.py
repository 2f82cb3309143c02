"""The generated wire layer on its own: request kwargs in, typed values out."""

from __future__ import annotations

from io import BytesIO

import httpx
import pytest

from dragoneye._generated.api.prediction import get_prediction_task_results, get_prediction_task_status
from dragoneye._generated.api.storage import upload_media
from dragoneye._generated.errors import UndocumentedStatus
from dragoneye._generated.models import UploadMediaForm
from dragoneye._generated.types import File
from dragoneye.models import PredictionTaskStatusResponse, PredictionType


def test_status_operation_builds_the_request_and_parses_the_public_type() -> None:
    kwargs = get_prediction_task_status.build_request_kwargs(prediction_task_uuid="task-1")
    request = httpx.Request(kwargs["method"], "http://127.0.0.1:9" + kwargs["url"], params=kwargs["params"])
    assert request.url.path == "/prediction-task/status"
    assert request.url.params["predictionTaskUuid"] == "task-1"
    assert "X-API-Key" not in request.headers  # the sender adds the key, to API calls only

    body = {"prediction_task_uuid": "task-1", "prediction_type": "video", "status": "predicting"}
    parsed = get_prediction_task_status.parse_response(httpx.Response(200, json=body))
    assert parsed == PredictionTaskStatusResponse(
        prediction_task_uuid="task-1", prediction_type=PredictionType.VIDEO, status="predicting"
    )
    assert type(parsed) is PredictionTaskStatusResponse


@pytest.mark.parametrize("status", [201, 202, 206, 299])
def test_an_undocumented_2xx_is_an_error(status: int) -> None:
    body = {"prediction_task_uuid": "task-1", "prediction_type": "video", "status": "predicting"}
    with pytest.raises(UndocumentedStatus) as caught:
        get_prediction_task_status.parse_response(httpx.Response(status, json=body))
    assert caught.value.status_code == status


def test_results_parse_to_the_body_bytes() -> None:
    assert get_prediction_task_results.parse_response(httpx.Response(200, content=b"PK\x03\x04")) == b"PK\x03\x04"


def test_multipart_body_has_a_random_boundary_and_the_file_last() -> None:
    boundaries = set()
    for _ in range(2):
        form = UploadMediaForm(file=File(payload=BytesIO(b"+++media+++"), file_name="f", mime_type="image/png"))
        form.additional_properties = {"key": "uploads/1", "policy": "p"}
        kwargs = upload_media.build_request_kwargs(body=form)
        assert "Content-Type" not in kwargs["headers"]
        assert [name for name, _ in kwargs["files"]] == ["key", "policy", "file"]
        request = httpx.Request("POST", "http://127.0.0.1:9/", files=kwargs["files"])
        boundaries.add(request.headers["Content-Type"])
    assert len(boundaries) == 2
