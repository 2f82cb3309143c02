"""The shortcut for plainly valid requests agrees with openapi-core wherever it answers."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoneye.emulator.plain_requests import FORM, Accepted, PlainRequests
from dragoneye.emulator.validation import SpecRequest, request_errors, spec_errors, spec_path

PLAIN = PlainRequests(yaml.safe_load(spec_path().read_text(encoding="utf-8")))
HEADERS = [("x-api-key", "key")]
QUERIES = {
    "getPredictionTaskStatus": ("GET", "/prediction-task/status"),
    "getPredictionTaskResults": ("GET", "/prediction-task/results"),
}
FORMS = {"beginPredictionTask": "/prediction-task/begin", "predict": "/predict"}
# Each operation's required fields, so that many drawn requests are plainly valid.
REQUIRED = {
    "getPredictionTaskStatus": ["predictionTaskUuid"],
    "getPredictionTaskResults": ["predictionTaskUuid", "response_version"],
    "beginPredictionTask": ["mimetype"],
    "predict": ["model_name", "prediction_task_uuid"],
}
NAMES = st.sampled_from(
    [
        "predictionTaskUuid",
        "response_version",
        "mimetype",
        "file_name",
        "frames_per_second",
        "model_name",
        "prediction_task_uuid",
        "other",
    ]
)
ODD_VALUES = ["", "x", "0", "1", "07", "-1", "+1", "1.0", " 2", "abc", "é", "9" * 19, "a b", "a,b"]
VALUES = st.sampled_from(ODD_VALUES) | st.text(max_size=6)
PLAIN_VALUES = st.sampled_from(["x", "0", "1", "7", "image/png", "é", "a b", "a,b", "a&b=c"])


@st.composite
def fields(draw: st.DrawFn, operation: str) -> list[tuple[str, str]]:
    """Mostly the operation's required fields with plain values, sometimes more, fewer or odd ones."""
    items = [(name, draw(PLAIN_VALUES)) for name in REQUIRED[operation] if draw(st.integers(0, 9))]
    items += draw(st.lists(st.tuples(NAMES, PLAIN_VALUES | VALUES), max_size=3))
    return list(draw(st.permutations(items)))


def test_every_api_operation_has_the_shortcut_and_the_upload_not() -> None:
    assert all(operation in PLAIN for operation in [*QUERIES, *FORMS])
    assert "uploadMedia" not in PLAIN  # multipart, and not checked by request_errors


@pytest.mark.parametrize(
    ("operation", "query", "body", "values"),
    [
        ("getPredictionTaskStatus", [("predictionTaskUuid", "u")], None, None),
        ("getPredictionTaskResults", [("predictionTaskUuid", "u"), ("response_version", "parquet_object")], None, None),
        (
            "beginPredictionTask",
            [],
            b"mimetype=video%2Fmp4&frames_per_second=2&file_name=a+b.mp4",
            {"mimetype": "video/mp4", "frames_per_second": 2, "file_name": "a b.mp4"},
        ),
        ("predict", [], b"model_name=m&prediction_task_uuid=u", {"model_name": "m", "prediction_task_uuid": "u"}),
    ],
)
def test_what_clients_send_takes_the_shortcut(
    operation: str, query: list[tuple[str, str]], body: bytes | None, values: dict[str, object] | None
) -> None:
    assert PLAIN.accept(operation, query, FORM if body else "", body) == Accepted(values)


@pytest.mark.parametrize(
    ("operation", "query", "content_type", "body"),
    [
        ("getPredictionTaskStatus", [], "", None),  # missing
        ("getPredictionTaskStatus", [("predictionTaskUuid", "")], "", None),  # empty
        ("getPredictionTaskStatus", [("predictionTaskUuid", "u"), ("predictionTaskUuid", "v")], "", None),
        ("getPredictionTaskStatus", [("predictionTaskUuid", "u"), ("other", "v")], "", None),
        ("getPredictionTaskStatus", [("predictionTaskUuid", "u")], FORM, b"a=b"),  # a body
        ("beginPredictionTask", [], FORM, b"frames_per_second=2"),  # mimetype missing
        ("beginPredictionTask", [], FORM, b"mimetype=image%2Fpng&frames_per_second=0"),  # below the minimum
        ("beginPredictionTask", [], FORM, b"mimetype=image%2Fpng&frames_per_second=02"),
        ("beginPredictionTask", [], "application/json", b'{"mimetype": "image/png"}'),
        ("beginPredictionTask", [], FORM, b"mimetype=\xff"),
        ("beginPredictionTask", [], FORM, b""),
        ("predict", [("predictionTaskUuid", "u")], FORM, b"model_name=m&prediction_task_uuid=u"),
    ],
)
def test_anything_else_goes_to_openapi_core(
    operation: str, query: list[tuple[str, str]], content_type: str, body: bytes | None
) -> None:
    assert PLAIN.accept(operation, query, content_type, body) is None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), operation=st.sampled_from(sorted(QUERIES)))
def test_queries_it_accepts_openapi_core_accepts(data: st.DataObject, operation: str) -> None:
    query = data.draw(fields(operation))
    method, path = QUERIES[operation]
    request = SpecRequest(method, path, query=query, headers=HEADERS)
    if PLAIN.accept(operation, query, "", None) is not None:
        assert spec_errors(request) == ([], None)
    assert request_errors(request) == spec_errors(request)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), operation=st.sampled_from(sorted(FORMS)))
def test_forms_it_accepts_openapi_core_reads_alike(data: st.DataObject, operation: str) -> None:
    body = urlencode(data.draw(fields(operation))).encode()
    request = SpecRequest("POST", FORMS[operation], headers=HEADERS, body=body, content_type=FORM)
    accepted = PLAIN.accept(operation, [], FORM, body)
    if accepted is not None:
        assert spec_errors(request) == ([], accepted.body)
    assert request_errors(request) == spec_errors(request)
