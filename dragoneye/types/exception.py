"""The exceptions the SDK raises. Every failure of a call is a DragoneyeError."""

from __future__ import annotations

__all__ = [
    "DragoneyeError",
    "MissingAPIKeyError",
    "PredictionTaskBeginError",
    "PredictionTaskError",
    "PredictionTaskResultsUnavailableError",
    "PredictionTimeoutException",
    "PredictionUploadError",
]


class DragoneyeError(Exception):
    """Base class of the SDK's errors.

    `status_code` is the HTTP status of the response that caused the error and
    `detail` the server's `detail` message, where there was one.
    """

    def __init__(self, message: str, *, status_code: int | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.detail = detail


class MissingAPIKeyError(DragoneyeError):
    """No API key was given and DRAGONEYE_API_KEY is not set."""


class PredictionTaskBeginError(DragoneyeError):
    """The prediction task could not be started."""


class PredictionUploadError(DragoneyeError):
    """The media could not be uploaded."""


class PredictionTaskError(DragoneyeError):
    """The prediction could not be started, or the task failed on the server."""


class PredictionTimeoutException(DragoneyeError):
    """The prediction did not complete within `timeout_seconds`."""


class PredictionTaskResultsUnavailableError(DragoneyeError):
    """Results could not be had: the task is not done, or the archive is unreadable."""
