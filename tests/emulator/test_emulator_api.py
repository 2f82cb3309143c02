"""Every operation of openapi.yaml, and the task state machine."""

from __future__ import annotations

import pytest

from dragoneye.emulator import Emulator

from .helpers import (
    SpecCheckedClient,
    begin,
    predict,
    read_archive,
    results,
    run_prediction,
    status,
    upload,
    wait_done,
)


def test_image_prediction_end_to_end(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client, "image/jpeg", file_name="house.jpg", response_version="parquet_object")
    assert begun["prediction_type"] == "image"
    signed = begun["signed_urls"][0]
    assert signed["presigned_post_request"]["fields"]["key"] == signed["blob_path"]
    task_uuid = begun["prediction_task_uuid"]

    assert upload(storage, begun, b"\xff\xd8 a tiny jpeg").status_code == 201
    started = predict(client, task_uuid)
    assert started.json()["prediction_task_uuid"] == task_uuid
    assert wait_done(client, task_uuid) == "predicted"

    response = results(client, task_uuid)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["x-original-file-name"] == "house.jpg"
    assert "x-frames-per-second" not in response.headers
    rows, frames = read_archive(response.content)
    assert frames is None
    assert 2 <= len(rows) <= 5


def test_video_prediction_end_to_end(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    _, response = run_prediction(client, storage, b"some video bytes", "video/mp4", frames_per_second="2")
    assert response.headers["x-frames-per-second"] == "2"
    assert "x-original-file-name" not in response.headers
    rows, frames = read_archive(response.content)
    assert rows
    assert frames == [index * 500_000 for index in range(20)]  # 10 s at 2 frames per second


def test_multipart_begin_is_accepted(client: SpecCheckedClient) -> None:
    response = client.post(
        "/prediction-task/begin",
        files={"mimetype": (None, "video/mp4"), "frames_per_second": (None, "3"), "file_name": (None, "clip")},
    )
    assert response.status_code == 200, response.text
    assert response.json()["prediction_type"] == "video"


def test_state_machine(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client, "image/png")
    task_uuid = begun["prediction_task_uuid"]
    assert status(client, task_uuid) == "awaiting_upload"
    upload(storage, begun, b"png bytes")
    assert status(client, task_uuid) == "uploaded"
    # Long enough that the two checks below come first even on a loaded machine.
    assert predict(client, task_uuid, "recognize_anything/m?delay=2").json()["status"] == "predicting"
    assert status(client, task_uuid) == "predicting"
    not_yet = results(client, task_uuid)
    assert not_yet.status_code == 400
    assert "predicting" in not_yet.json()["detail"]
    assert wait_done(client, task_uuid) == "predicted"
    assert results(client, task_uuid).status_code == 200


def test_results_before_upload_and_before_predict(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    task_uuid = begun["prediction_task_uuid"]
    assert results(client, task_uuid).status_code == 400
    upload(storage, begun, b"bytes")
    response = results(client, task_uuid)
    assert response.status_code == 400
    assert "uploaded" in response.json()["detail"]


def test_predict_again_is_a_no_op(client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator) -> None:
    task_uuid, first = run_prediction(client, storage, b"same")
    again = predict(client, task_uuid, "recognize_anything/other?fail=1")
    assert again.status_code == 200
    assert again.json()["status"] == "predicted"
    assert results(client, task_uuid).content == first.content
    assert emulator.stats.predictions_started == 1


def test_failed_task(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    task_uuid = begun["prediction_task_uuid"]
    upload(storage, begun, b"bytes")
    predict(client, task_uuid, "recognize_anything/m?fail=1&delay=0")
    assert wait_done(client, task_uuid) == "failed_prediction"
    response = results(client, task_uuid)
    assert response.status_code == 400
    assert "failed" in response.json()["detail"]


def test_fail_tasks_knob(client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.fail_tasks = True
    begun = begin(client, "video/mp4")
    upload(storage, begun, b"bytes")
    predict(client, begun["prediction_task_uuid"])
    assert wait_done(client, begun["prediction_task_uuid"]) == "failed_prediction"


def test_predict_before_upload(client: SpecCheckedClient) -> None:
    task_uuid = begin(client)["prediction_task_uuid"]
    response = predict(client, task_uuid)
    assert response.status_code == 400
    assert "not been uploaded" in response.json()["detail"]
    assert status(client, task_uuid) == "awaiting_upload"


@pytest.mark.parametrize(
    ("model_name", "problem"),
    [
        ("my_model", "recognize_anything/"),
        ("recognize_anything/", "recognize_anything/"),
        ("other_family/my_model", "recognize_anything/"),
        ("recognize_anything/m?objects=lots", "'objects' must be an integer"),
        ("recognize_anything/m?objects=-1", "'objects' must be between"),
        ("recognize_anything/m?delay=nan", "'delay' must be between"),
        ("recognize_anything/m?fail=maybe", "'fail' must be 1 or 0"),
        ("recognize_anything/m?colour=red", "unknown model option 'colour'"),
        ("recognize_anything/m?frames=2&frames=3", "given twice"),
    ],
)
def test_bad_model_names(client: SpecCheckedClient, storage: SpecCheckedClient, model_name: str, problem: str) -> None:
    begun = begin(client)
    upload(storage, begun, b"bytes")
    response = predict(client, begun["prediction_task_uuid"], model_name)
    assert response.status_code == 400
    assert problem in response.json()["detail"]


def test_unknown_task_is_404_everywhere(client: SpecCheckedClient) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    for response in (
        predict(client, unknown),
        client.get("/prediction-task/status", params={"predictionTaskUuid": unknown}),
        results(client, unknown),
    ):
        assert response.status_code == 404
        assert unknown in response.json()["detail"]


@pytest.mark.parametrize("mimetype", ["application/pdf", "text/plain", "image", "image/", "video/ ", "imagex/png"])
def test_unsupported_mimetype_is_400(client: SpecCheckedClient, mimetype: str) -> None:
    response = client.post("/prediction-task/begin", data={"mimetype": mimetype})
    assert response.status_code == 400
    assert "mimetype" in response.json()["detail"]


def test_begin_validation(client: SpecCheckedClient) -> None:
    missing = client.post("/prediction-task/begin", data={"file_name": "x"})
    assert missing.status_code == 422
    assert missing.json()["detail"] == [{"loc": ["body", "mimetype"], "msg": "Field required", "type": "missing"}]

    zero_fps = client.post("/prediction-task/begin", data={"mimetype": "video/mp4", "frames_per_second": "0"})
    assert zero_fps.status_code == 422
    assert zero_fps.json()["detail"][0]["loc"] == ["body", "frames_per_second"]

    not_a_number = client.post("/prediction-task/begin", data={"mimetype": "video/mp4", "frames_per_second": "abc"})
    assert not_a_number.status_code == 422
    assert "abc" in not_a_number.json()["detail"][0]["msg"]

    json_body = client.post("/prediction-task/begin", json={"mimetype": "image/png"})
    assert json_body.status_code == 422
    assert "application/json" in json_body.json()["detail"][0]["msg"]

    version = client.post("/prediction-task/begin", data={"mimetype": "image/png", "response_version": "json_v1"})
    assert version.status_code == 400
    assert "response_version" in version.json()["detail"]

    newline = client.post("/prediction-task/begin", data={"mimetype": "image/png", "file_name": "a\r\nX-Evil: 1"})
    assert newline.status_code == 400
    assert "file_name" in newline.json()["detail"]


def test_predict_validation(client: SpecCheckedClient) -> None:
    response = client.post("/predict", data={"model_name": "recognize_anything/m"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "prediction_task_uuid"]


def test_query_validation(client: SpecCheckedClient) -> None:
    no_uuid = client.get("/prediction-task/status")
    assert no_uuid.status_code == 422
    assert no_uuid.json()["detail"] == [
        {"loc": ["query", "predictionTaskUuid"], "msg": "Field required", "type": "missing"}
    ]
    task_uuid = begin(client)["prediction_task_uuid"]
    no_version = client.get("/prediction-task/results", params={"predictionTaskUuid": task_uuid})
    assert no_version.status_code == 422
    assert no_version.json()["detail"][0]["loc"] == ["query", "response_version"]
    other_version = client.get(
        "/prediction-task/results", params={"predictionTaskUuid": task_uuid, "response_version": "json"}
    )
    assert other_version.status_code == 400


def test_unicode_file_name_round_trips(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    _, response = run_prediction(client, storage, b"bytes", file_name="façade - été.jpg")
    assert response.headers["x-original-file-name"] == "façade - été.jpg"


def test_unknown_route_and_method_are_json(client: SpecCheckedClient) -> None:
    missing = client.get("/v2/nothing-here")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not Found"}
    wrong_method = client.get("/predict")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"detail": "Method Not Allowed"}


def test_presigned_url_points_at_the_emulator(client: SpecCheckedClient, emulator: Emulator) -> None:
    begun = begin(client)
    presigned = begun["signed_urls"][0]["presigned_post_request"]
    assert presigned["url"] == f"{emulator.base_url}/_storage/"
    assert presigned["fields"]["success_action_status"] == "201"
    assert set(presigned["fields"]) == {"key", "policy", "x-dragoneye-signature", "success_action_status"}


def test_stats_count_the_flow(client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator) -> None:
    run_prediction(client, storage, b"12345")
    client.post("/prediction-task/begin", data={"mimetype": "application/pdf"})
    stats = emulator.stats.snapshot()
    assert stats["begin_calls"] == 2
    assert stats["tasks_begun"] == 1
    assert stats["uploads_completed"] == 1
    assert stats["upload_bytes"] == 5
    assert stats["predictions_started"] == 1
    assert stats["calls"]["beginPredictionTask"] == 2
    assert stats["calls"]["uploadMedia"] == 1
    assert stats["calls"]["predict"] == 1
    assert stats["calls"]["getPredictionTaskResults"] == 1
    assert stats["calls"]["getPredictionTaskStatus"] >= 1
    assert stats["requests_total"] == sum(stats["calls"].values())
    assert stats["upload_requests_with_api_key"] == 0


def test_every_response_was_checked(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    run_prediction(client, storage, b"abc")
    assert [line.split(" -> ")[0] for line in client.checked[:2]] == [
        "POST /prediction-task/begin",
        "POST /predict",
    ]
    assert storage.checked == ["POST /_storage/ -> 201"]


def test_connection_errors_are_not_leaked(emulator: Emulator) -> None:
    # A raw keep-alive client: the emulator must not break the connection between calls.
    with SpecCheckedClient(base_url=emulator.base_url, headers={"X-API-Key": emulator.api_key}) as raw:
        for _ in range(5):
            assert raw.get("/prediction-task/status", params={"predictionTaskUuid": "x"}).status_code == 404
    assert emulator.stats.connections_opened == 1
