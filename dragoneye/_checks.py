"""Checks made before a request is sent: the media class of an endpoint, the presigned URL."""

from __future__ import annotations

import httpx

from .types.exception import PredictionUploadError
from .types.media import Media


def check_media(media: object, expected: type[Media], method: str) -> None:
    """Raise ValueError unless `media` is of the class `method` takes."""
    if not isinstance(media, expected):
        raise ValueError(f"{method} needs {expected.__name__} media; got {type(media).__name__}")


def check_upload_url(url: str, api_url: str) -> None:
    """The presigned URL must be https, or http when the API itself is (the emulator)."""
    schemes = ("https",) if api_url.startswith("https:") else ("https", "http")
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, UnicodeError, ValueError, TypeError) as exc:
        raise PredictionUploadError(f"upload failed: the presigned URL is not a valid URL ({exc})") from None
    if parsed.scheme not in schemes or not parsed.host:
        raise PredictionUploadError(
            f"upload failed: the presigned URL must be {' or '.join(schemes)} with a host;"
            f" got scheme {parsed.scheme[:20]!r}"
        )
