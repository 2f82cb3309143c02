"""Bodies that inflate far beyond their size are read against budgets of decoded bytes."""

from __future__ import annotations

from .conftest import assert_fails, probe
from .server import Exchange, HostileServer, gzip_bomb, status_body

HTTP_BOMB_MIB = 128  # the bound on peak memory growth for HTTP-level bombs


def gzipped(status: int) -> object:
    def answer(exchange: Exchange) -> None:
        exchange.reply(status, gzip_bomb(), {"Content-Encoding": "gzip", "Content-Type": "application/json"})

    return answer


def test_results_that_inflate_to_a_gibibyte(server: HostileServer) -> None:
    server.routes["/prediction-task/results"] = gzipped(200)  # type: ignore[assignment]
    outcomes = probe(server)
    assert_fails(
        outcomes, "PredictionTaskResultsUnavailableError", peak_mib=HTTP_BOMB_MIB, seconds=10, names="67,108,864-byte"
    )
    results = [r for r in server.received if r.path == "/prediction-task/results"]
    assert results and all(r.headers.get("Accept-Encoding") == "identity" for r in results)


def test_an_error_body_that_inflates_to_a_gibibyte(server: HostileServer) -> None:
    server.routes["/prediction-task/begin"] = gzipped(400)  # type: ignore[assignment]
    assert_fails(probe(server), "PredictionTaskBeginError", peak_mib=HTTP_BOMB_MIB, seconds=10, names="HTTP 400")


def test_a_status_answer_that_inflates_to_a_gibibyte(server: HostileServer) -> None:
    server.routes["/prediction-task/status"] = gzipped(200)  # type: ignore[assignment]
    assert_fails(probe(server), "PredictionTaskError", peak_mib=HTTP_BOMB_MIB, seconds=10, names="1,048,576-byte")


def test_a_smaller_results_budget_is_the_clients_choice(server: HostileServer) -> None:
    outcomes = probe(server, client={"max_results_bytes": 1000})
    assert_fails(outcomes, "PredictionTaskResultsUnavailableError", peak_mib=HTTP_BOMB_MIB, seconds=10, names="1,000")
    assert status_body("predicted")  # the task itself succeeded: only the budget refused the archive
