"""The generated layer on its own: typed calls over an httpx transport."""

from __future__ import annotations

import httpx

from dragoneye._generated.api.prediction import get_prediction_task_status
from dragoneye._generated.client import AuthenticatedClient
from dragoneye._generated.models import PredictionTaskStatusResponse


def test_generated_status_operation_is_typed_and_sends_the_api_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={"prediction_task_uuid": "task-1", "prediction_type": "video", "status": "predicting"},
        )

    client = AuthenticatedClient(
        base_url="http://127.0.0.1:9",
        token="secret-key",
        prefix="",
        auth_header_name="X-API-Key",
        httpx_args={"transport": httpx.MockTransport(handler)},
    )
    with client:
        response = get_prediction_task_status.sync_detailed(client=client, prediction_task_uuid="task-1")

    assert isinstance(response.parsed, PredictionTaskStatusResponse)
    assert response.parsed.status == "predicting"
    assert response.parsed.prediction_type == "video"
    (request,) = seen
    assert request.url.path == "/prediction-task/status"
    assert request.url.params["predictionTaskUuid"] == "task-1"
    assert request.headers["X-API-Key"] == "secret-key"
    assert "Authorization" not in request.headers


def test_generated_multipart_body_has_a_random_boundary() -> None:
    from io import BytesIO

    from dragoneye._generated.api.storage import upload_media
    from dragoneye._generated.models import UploadMediaForm
    from dragoneye._generated.types import File

    boundaries = set()
    for _ in range(2):
        form = UploadMediaForm(file=File(payload=BytesIO(b"+++media+++"), file_name="f", mime_type="image/png"))
        kwargs = upload_media.build_request_kwargs(body=form)
        assert "Content-Type" not in kwargs["headers"]
        request = httpx.Request("POST", "http://127.0.0.1:9/", files=kwargs["files"])
        boundaries.add(request.headers["Content-Type"])
    assert len(boundaries) == 2
