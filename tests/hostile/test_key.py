"""The API key shows nowhere in what a failure exposes, and follows no redirect."""

from __future__ import annotations

import pytest

from dragoneye import AsyncDragoneye, Dragoneye

from .conftest import assert_fails, probe
from .server import KEY, Exchange, HostileServer


def test_a_connection_dropped_after_the_key_was_sent(server: HostileServer) -> None:
    server.routes["/prediction-task/begin"] = Exchange.drop
    outcomes = probe(server)
    assert_fails(outcomes, "PredictionTaskBeginError", peak_mib=32, seconds=5, names="RemoteProtocolError")
    assert server.keyed(), "the key was sent, so the failure had it to leak"


def test_a_dropped_connection_on_a_retried_call(server: HostileServer) -> None:
    server.routes["/prediction-task/status"] = Exchange.drop
    outcomes = probe(server, client={"max_retries": 2})
    assert_fails(outcomes, "PredictionTaskError", peak_mib=32, seconds=5, names="status failed")


def test_a_detail_that_echoes_the_key(server: HostileServer) -> None:
    def echo(exchange: Exchange) -> None:
        exchange.reply(400, {"detail": f"bad key {exchange.headers['X-API-Key']} for this model"})

    server.routes["/prediction-task/begin"] = echo
    outcomes = probe(server)
    assert_fails(outcomes, "PredictionTaskBeginError", peak_mib=32, seconds=5, names="bad key [redacted] for")
    assert all(outcome["detail"] == "bad key [redacted] for this model" for outcome in outcomes)


def test_a_failed_status_that_echoes_the_key(server: HostileServer) -> None:
    def echo(exchange: Exchange) -> None:
        status = f"failed: {exchange.headers['X-API-Key']}"
        exchange.reply(200, {"prediction_task_uuid": "t", "prediction_type": "image", "status": status})

    server.routes["/prediction-task/status"] = echo
    assert_fails(probe(server), "PredictionTaskError", peak_mib=32, seconds=5, names="failed: [redacted]")


def test_no_redirect_is_followed_whatever_the_http_client(server: HostileServer) -> None:
    with HostileServer().running() as elsewhere:

        def redirect(exchange: Exchange) -> None:
            exchange.reply(307, {}, {"Location": elsewhere.url + "/prediction-task/begin"})

        server.routes["/prediction-task/begin"] = redirect
        outcomes = probe(server, follow_redirects=True)
    assert_fails(outcomes, "PredictionTaskBeginError", peak_mib=32, seconds=5, names="HTTP 307")
    assert elsewhere.received == []


@pytest.mark.parametrize("cls", [Dragoneye, AsyncDragoneye])
def test_no_repr_shows_the_key(cls: type[Dragoneye] | type[AsyncDragoneye]) -> None:
    client = cls(api_key=KEY, base_api_url="http://127.0.0.1:9")
    shown = [repr(client), repr(client.classification), repr(vars(client)), repr(vars(client._sender))]
    assert not [text for text in shown if KEY in text]


def test_the_key_never_reaches_the_storage_host(server: HostileServer) -> None:
    outcomes = probe(server)
    assert all(outcome["exception"] is None for outcome in outcomes), outcomes
    uploads = [r for r in server.received if r.path == "/upload"]
    assert uploads and not [r for r in uploads if KEY in str(r.headers)]
