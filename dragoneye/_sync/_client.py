# Generated from dragoneye/_async/ by generator/generate.py (unasync). Do not edit.
"""The client: configuration, the connection pool, its lifecycle."""

from __future__ import annotations

import os
from collections.abc import Callable
from types import TracebackType
from typing import Self

import httpx

from .._backends import sync_http_client
from .._constants import (
    API_KEY_ENV,
    BASE_URL_ENV,
    DEFAULT_BASE_URL,
    DEFAULT_LIMITS,
    DEFAULT_MAX_BACKOFF_TIME,
    DEFAULT_MAX_POLL_INTERVAL,
    DEFAULT_MAX_RESULT_VALUES,
    DEFAULT_MAX_RESULTS_BYTES,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    UPLOAD_WRITE_TIMEOUT,
)
from .._retry import full_jitter
from ..types.exception import MissingAPIKeyError
from ._classification import Classification
from ._sender import SyncSender
from ._state import ClientState


class Dragoneye:
    """The Dragoneye API for blocking code.

    One pooled HTTP client serves every call; close it with `with` or
    `client.close()`. A closed client raises DragoneyeError.

    Attributes:
        classification: The API's calls (see its methods' help for what each raises):
            `predict_image(media, model_name, timeout_seconds=None)` and
            `predict_video(media, model_name, frames_per_second=1, timeout_seconds=None)`
            run a whole prediction and return its results;
            `status(prediction_task_uuid)` is a task's current status;
            `get_image_results(prediction_task_uuid)` and
            `get_video_results(prediction_task_uuid)` are a finished task's results.

    Args:
        api_key: Your API key; defaults to the DRAGONEYE_API_KEY environment variable.
        max_retries: How many times a failed call is retried (429 always; 502,
            503, 504 and dropped connections where repeating is safe).
        max_backoff_time: The most seconds one call may spend waiting between retries.
        backoff_jitter: Maps the exponential backoff bound to the wait; full jitter by default.
        base_api_url: The API's URL; defaults to DRAGONEYE_BASE_URL, then the hosted service.
        timeout: httpx timeouts for API calls (uploads get a long write timeout).
        max_poll_interval: The longest wait, in seconds, between status checks.
        http_client: An httpx client of your own to send requests with; you close it.
            Whatever its settings, no request carrying the API key follows a redirect.
        max_results_bytes: The largest results archive accepted (64 MiB by default;
            a 500-object, 600-frame video is about 1.2 MB); a larger one raises
            PredictionTaskResultsUnavailableError.
        max_result_values: The most values (timestamps, coordinates, scores, ids,
            names) one parquet file of the results may hold, checked before
            decoding; each costs about 90 bytes decoded. 2.5 million by default; a
            500-object, 600-frame video has 1.7 million. More raises
            PredictionTaskResultsUnavailableError.
    """

    def __init__(
        self,
        api_key: str | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_backoff_time: float = DEFAULT_MAX_BACKOFF_TIME,
        backoff_jitter: Callable[[float], float] = full_jitter,
        base_api_url: str | None = None,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
        http_client: httpx.Client | None = None,
        max_results_bytes: int = DEFAULT_MAX_RESULTS_BYTES,
        max_result_values: int = DEFAULT_MAX_RESULT_VALUES,
    ) -> None:
        api_key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
        if not api_key:
            raise MissingAPIKeyError(f"no API key: pass api_key= or set the {API_KEY_ENV} environment variable")
        base_api_url = (base_api_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
        if not base_api_url.startswith(("http://", "https://")):
            raise ValueError(f"base_api_url must start with http:// or https://; got {base_api_url!r}")
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ValueError(f"max_retries must be a non-negative integer; got {max_retries!r}")
        if max_backoff_time < 0:
            raise ValueError(f"max_backoff_time must not be negative; got {max_backoff_time!r}")
        if max_poll_interval <= 0:
            raise ValueError(f"max_poll_interval must be positive; got {max_poll_interval!r}")
        _check_positive_int("max_results_bytes", max_results_bytes)
        _check_positive_int("max_result_values", max_result_values)
        self._state = ClientState()
        self._owns_http = http_client is None
        http = http_client if http_client is not None else sync_http_client(timeout, DEFAULT_LIMITS)
        self._sender = SyncSender(
            http,
            base_url=base_api_url,
            api_key=api_key,
            max_retries=max_retries,
            max_backoff_time=max_backoff_time,
            backoff_jitter=backoff_jitter,
        )
        upload_timeout = httpx.Timeout(
            connect=timeout.connect, read=timeout.read, write=UPLOAD_WRITE_TIMEOUT, pool=timeout.pool
        )
        self.classification = Classification(
            self._sender,
            state=self._state,
            max_poll_interval=max_poll_interval,
            upload_timeout=upload_timeout,
            max_results_bytes=max_results_bytes,
            max_result_values=max_result_values,
        )

    @property
    def base_api_url(self) -> str:
        """The API's base URL."""
        return self._sender.base_url

    @property
    def max_retries(self) -> int:
        """How many times a failed call is retried."""
        return self._sender.max_retries

    @property
    def max_backoff_time(self) -> float:
        """The most seconds one call may spend waiting between retries."""
        return self._sender.max_backoff_time

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_api_url={self.base_api_url!r})"

    def close(self) -> None:
        """Close the connection pool (unless the httpx client was yours); the client serves no more calls."""
        self._state.closed = True
        if self._owns_http:
            self._sender.http.close()

    def __enter__(self) -> Self:
        self._state.check()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def _check_positive_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
