"""A presigned URL is checked before use: https (or http with an http API), with a host."""

from __future__ import annotations

import pytest

from dragoneye import PredictionUploadError
from dragoneye._checks import check_upload_url

from .conftest import assert_fails, probe
from .server import HostileServer, begin_body


@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("file:///etc/passwd", "scheme 'file'"),
        ("ftp://127.0.0.1/upload", "scheme 'ftp'"),
        ("http://[::1", "not a valid URL"),
        ("https://", "with a host"),
        ("http://exa\udcffmple.com/", "not a valid URL"),
    ],
)
def test_a_bad_presigned_url_fails_at_once(server: HostileServer, url: str, names: str) -> None:
    server.routes["/prediction-task/begin"] = lambda exchange: exchange.reply(200, begin_body(url))
    outcomes = probe(server, kinds=["blocking", "asyncio"], client={"max_retries": 5})
    assert_fails(outcomes, "PredictionUploadError", peak_mib=32, seconds=2, names=names)
    assert [r.path for r in server.received].count("/prediction-task/begin") == 2  # once per kind, never retried


@pytest.mark.parametrize(
    ("api", "url", "ok"),
    [
        ("https://api.dragoneye.ai", "https://storage.example/upload", True),
        ("https://api.dragoneye.ai", "http://storage.example/upload", False),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/upload", True),
        ("http://127.0.0.1:8080", "https://storage.example/upload", True),
    ],
)
def test_http_storage_only_with_an_http_api(api: str, url: str, ok: bool) -> None:
    if ok:
        check_upload_url(url, api)
    else:
        with pytest.raises(PredictionUploadError, match="must be https with a host"):
            check_upload_url(url, api)
