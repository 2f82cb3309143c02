"""The presigned upload: policy, signature, expiry, and streaming without buffering."""

from __future__ import annotations

import base64
import hashlib
import json
import tracemalloc
from collections.abc import Iterator

import httpx
import pytest

from dragoneye.emulator import Emulator
from dragoneye.emulator.storage import PolicyError, PolicySigner

from .helpers import SpecCheckedClient, begin, predict, status, upload, wait_done


def _fields(begun: dict[str, object]) -> dict[str, str]:
    signed = begun["signed_urls"][0]  # type: ignore[index]
    return dict(signed["presigned_post_request"]["fields"])


def _xml_code(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/xml")
    return response.text.split("<Code>")[1].split("</Code>")[0]


def test_upload_stores_digest_and_size(
    client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator
) -> None:
    begun = begin(client)
    response = upload(storage, begun, b"exact bytes")
    assert response.status_code == 201
    assert response.content == b""
    task = emulator.service.store.get(begun["prediction_task_uuid"])
    assert task is not None and task.upload is not None
    assert task.upload.sha256 == hashlib.sha256(b"exact bytes").digest()
    assert task.upload.size == len(b"exact bytes")


def test_tampered_policy_is_403(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    document = json.loads(base64.b64decode(_fields(begun)["policy"]))
    document["expires_at"] += 10_000
    forged = base64.b64encode(json.dumps(document).encode()).decode()
    response = upload(storage, begun, b"data", policy=forged)
    assert response.status_code == 403
    assert _xml_code(response) == "SignatureDoesNotMatch"
    assert status(client, begun["prediction_task_uuid"]) == "awaiting_upload"


def test_tampered_signature_is_403(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    response = upload(storage, begun, b"data", **{"x-dragoneye-signature": "0" * 64})
    assert response.status_code == 403
    assert _xml_code(response) == "SignatureDoesNotMatch"


def test_other_key_is_403(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    first, second = begin(client), begin(client)
    response = upload(storage, first, b"data", key=_fields(second)["key"])
    assert response.status_code == 403
    assert _xml_code(response) == "AccessDenied"


def test_missing_policy_is_403(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    fields = _fields(begun)
    del fields["policy"]
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    response = storage.post(url, data=fields, files={"file": ("file", b"data")})
    assert response.status_code == 403


def test_expired_policy_is_403(client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.upload_url_ttl_seconds = -5
    begun = begin(client)
    response = upload(storage, begun, b"data")
    assert response.status_code == 403
    assert "expired" in response.text


def test_policy_expiry_is_checked_at_upload_time() -> None:
    signer = PolicySigner(b"secret")
    fields = signer.fields("a/key", ttl_seconds=60, max_bytes=10)
    policy = signer.verify(fields)
    assert policy.key == "a/key"
    assert policy.max_bytes == 10
    with pytest.raises(PolicyError, match="expired"):
        signer.verify(fields, now=policy.expires_at + 1)
    with pytest.raises(PolicyError):
        PolicySigner(b"another secret").verify(fields)


def test_missing_file_is_400(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    response = storage.post(url, files={name: (None, value) for name, value in _fields(begun).items()})
    assert response.status_code == 400
    assert _xml_code(response) == "InvalidArgument"


def test_not_multipart_is_400(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    response = storage.post(url, data=_fields(begun))
    assert response.status_code == 400
    assert _xml_code(response) == "MalformedPOSTRequest"


def test_too_large_is_400(client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator) -> None:
    emulator.config.upload_max_bytes = 4
    begun = begin(client)
    response = upload(storage, begun, b"12345")
    assert response.status_code == 400
    assert _xml_code(response) == "EntityTooLarge"


def test_without_success_action_status_answers_204(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    fields = _fields(begun)
    del fields["success_action_status"]
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    response = storage.post(url, data=fields, files={"file": ("file", b"data")})
    assert response.status_code == 204
    assert status(client, begun["prediction_task_uuid"]) == "uploaded"


def test_upload_needs_no_key_and_counts_a_wrong_one(
    client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator
) -> None:
    begun = begin(client)
    assert upload(storage, begun, b"data").status_code == 201
    assert emulator.stats.upload_requests_with_api_key == 0
    fields = _fields(begun)
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    leaked = storage.post(url, data=fields, files={"file": ("file", b"data")}, headers={"X-API-Key": "secret"})
    assert leaked.status_code == 201
    assert emulator.stats.upload_requests_with_api_key == 1


def test_reupload_before_predict_replaces_media(
    client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator
) -> None:
    begun = begin(client)
    upload(storage, begun, b"first")
    upload(storage, begun, b"second")
    task = emulator.service.store.get(begun["prediction_task_uuid"])
    assert task is not None and task.upload is not None
    assert task.upload.sha256 == hashlib.sha256(b"second").digest()
    predict(client, begun["prediction_task_uuid"])
    late = upload(storage, begun, b"third")
    assert late.status_code == 403
    assert "started" in late.text
    assert wait_done(client, begun["prediction_task_uuid"]) == "predicted"


def test_fields_after_the_file_are_ignored(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    fields = _fields(begun)
    boundary = "b0undary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nDATA\r\n')
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nother/key\r\n--{boundary}--\r\n')
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    response = storage.post(
        url, content="".join(parts).encode(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 201


def _streamed_form(fields: dict[str, str], boundary: str, size: int, chunk: int) -> Iterator[bytes]:
    for name, value in fields.items():
        yield f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    yield f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\n'.encode()
    yield b"Content-Type: application/octet-stream\r\n\r\n"
    block = b"\0" * chunk
    for _ in range(size // chunk):
        yield block
    yield f"\r\n--{boundary}--\r\n".encode()


def test_large_upload_is_streamed_not_buffered(
    client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator
) -> None:
    size, chunk = 48 * 1024 * 1024, 256 * 1024
    begun = begin(client, "video/mp4")
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    boundary = "large-upload-boundary"
    # Storage hosts need the exact length: the form around the file, plus the file.
    length = sum(len(part) for part in _streamed_form(_fields(begun), boundary, 0, chunk)) + size
    tracemalloc.start()
    try:
        response = storage.post(
            url,
            content=_streamed_form(_fields(begun), boundary, size, chunk),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(length)},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code == 201
    assert peak < 8 * 1024 * 1024, f"the upload path held {peak} bytes"
    task = emulator.service.store.get(begun["prediction_task_uuid"])
    assert task is not None and task.upload is not None
    assert task.upload.size == size
    assert task.upload.sha256 == hashlib.sha256(b"\0" * size).digest()
    assert emulator.stats.upload_bytes == size


def test_truncated_form_is_not_stored(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    begun = begin(client)
    boundary = "cut-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in _fields(begun).items()
    ]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nDATA WITHOUT END')
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    response = storage.post(
        url, content="".join(parts).encode(), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    assert response.status_code == 400
    assert status(client, begun["prediction_task_uuid"]) == "awaiting_upload"


def test_a_chunked_upload_is_refused_with_411_as_s3_does(
    client: SpecCheckedClient, storage: SpecCheckedClient, emulator: Emulator
) -> None:
    begun = begin(client)
    url = begun["signed_urls"][0]["presigned_post_request"]["url"]
    boundary = "chunked-boundary"
    response = storage.post(
        url,
        content=_streamed_form(_fields(begun), boundary, 1024, 256),  # a generator: sent chunked
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.request.headers.get("Transfer-Encoding") == "chunked"
    assert response.status_code == 411
    assert _xml_code(response) == "MissingContentLength"
    assert status(client, begun["prediction_task_uuid"]) == "awaiting_upload"
    assert emulator.stats.upload_bytes == 0
