"""Nothing listening at the API's URL: a refused connection or a host name that
does not resolve fails within seconds, naming the URL, with the default retry settings."""

from __future__ import annotations

import socket
import time
from typing import Any

import httpx
import pytest

from dragoneye import Dragoneye
from dragoneye._constants import DEFAULT_MAX_BACKOFF_TIME, DEFAULT_MAX_RETRIES, UNREACHABLE_RETRY_SECONDS
from dragoneye._retry import full_jitter
from dragoneye.types.exception import PredictionTaskBeginError, PredictionTaskError

from ..clients import Clients
from .support import MODEL, image

pytestmark = [pytest.mark.live, pytest.mark.timeout(60)]

UNRESOLVABLE_HOST = "api.dragoneye.invalid"
# The budget, plus room for a loaded machine; the old policy took over a minute.
FAILS_WITHIN = UNREACHABLE_RETRY_SECONDS + 3.0
DEFAULTS: dict[str, Any] = {
    "max_retries": DEFAULT_MAX_RETRIES,
    "max_backoff_time": DEFAULT_MAX_BACKOFF_TIME,
    "backoff_jitter": full_jitter,
}


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """UNRESOLVABLE_HOST fails to resolve, as an unknown name does, without asking any DNS server."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in (UNRESOLVABLE_HOST, UNRESOLVABLE_HOST.encode()):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_a_refused_connection_fails_fast_naming_the_url(run: Clients) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    with pytest.raises(PredictionTaskBeginError) as caught:
        run(lambda client: client.classification.predict_image(image(0), MODEL), base_api_url=url, **DEFAULTS)
    assert time.monotonic() - started < FAILS_WITHIN
    message = str(caught.value)
    assert message.startswith(f"begin failed: cannot reach the Dragoneye API at {url} (connection refused)")
    assert "emulator, is running" in message
    assert isinstance(caught.value.__cause__, httpx.ConnectError)


@pytest.mark.usefixtures("no_dns")
def test_an_unresolvable_host_fails_fast_naming_the_url(run: Clients) -> None:
    url = f"http://{UNRESOLVABLE_HOST}"
    started = time.monotonic()
    with pytest.raises(PredictionTaskError) as caught:
        run(lambda client: client.classification.status("0" * 32), base_api_url=url, **DEFAULTS)
    assert time.monotonic() - started < FAILS_WITHIN
    assert f"cannot reach the Dragoneye API at {url} (the host name does not resolve)" in str(caught.value)


def refusing_transport(calls: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        try:
            raise ConnectionRefusedError(111, "Connection refused")
        except ConnectionRefusedError as refused:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request) from refused

    return httpx.MockTransport(handler)


def test_a_refused_connection_is_retried_only_within_its_short_budget() -> None:
    calls: list[httpx.Request] = []
    # Waits of 0.5 s then 1 s fit in the 3 s budget; the next (2 s) would not.
    with (
        httpx.Client(transport=refusing_transport(calls)) as http,
        Dragoneye(
            api_key="k", base_api_url="http://api.test", backoff_jitter=lambda bound: bound, http_client=http
        ) as client,
        pytest.raises(PredictionTaskError, match=r"cannot reach the Dragoneye API at http://api\.test"),
    ):
        client.classification.status("0" * 32)
    assert len(calls) == 3


def test_other_connection_failures_keep_the_full_retry_policy() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("TLS handshake failed", request=request)

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Dragoneye(
            api_key="k", base_api_url="http://api.test", backoff_jitter=lambda bound: 0.0, http_client=http
        ) as client,
        pytest.raises(PredictionTaskError, match=r"ConnectError \(TLS handshake failed\)"),
    ):
        client.classification.status("0" * 32)
    assert len(calls) == DEFAULT_MAX_RETRIES + 1
