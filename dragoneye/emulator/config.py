"""The emulator's knobs: result sizes, processing delay and injected faults."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

DEFAULT_API_KEY = "emulator-key"
GIB = 1024**3

# Knobs the control endpoint and the CLI may change; everything else in the
# config is fixed when the server starts.
_ERROR_STATUSES = frozenset({500, 502, 503, 504})
_METHODS = frozenset({"GET", "POST"})


@dataclasses.dataclass
class EmulatorConfig:
    """Server-wide settings of an emulator; tests may change them between calls.

    Every `*_every` fault counts the API and upload calls (not the control
    endpoints) it applies to, starting from the moment its value was last set:
    with `rate_limit_every=3` the 3rd, 6th, 9th... calls answer 429.
    """

    api_keys: tuple[str, ...] = (DEFAULT_API_KEY,)
    """Accepted values of the X-API-Key header."""

    # Processing and results.
    processing_delay: float = 0.05
    """Seconds a task spends `predicting` (the model name's `delay=` overrides it)."""
    image_objects: int | None = None
    """Objects per image; None: 2 to 5, chosen by the media's digest."""
    video_objects: int | None = None
    """Tracked objects per video; None: 3 to 8, chosen by the media's digest."""
    categories_per_object: int | None = None
    """Categories per object; None: 1 to 3."""
    attributes_per_category: int | None = None
    """Attributes per category; None: 1 to 3."""
    video_duration_seconds: float = 10.0
    """The emulated length of every video: frames are sampled over it."""
    default_frames_per_second: int = 1
    """The sampling rate of a video whose task did not give `frames_per_second`."""

    # Presigned uploads.
    upload_url_ttl_seconds: float = 3600.0
    """How long a presigned upload stays valid (<= 0: already expired)."""
    upload_max_bytes: int = 5 * GIB
    """The largest upload the presigned policy allows."""

    # Faults.
    rate_limit_every: int | None = None
    """Every Kth call answers 429 with `Retry-After: retry_after`."""
    retry_after: float = 0.0
    """Seconds sent in Retry-After on 429 and 503 answers."""
    error_every: int | None = None
    """Every Kth call among `error_methods` answers `error_status`."""
    error_status: int = 503
    """502, 503, 500 or 504."""
    error_methods: frozenset[str] | None = None
    """Methods `error_every` counts and hits (None: all)."""
    drop_every: int | None = None
    """Every Kth call among `drop_methods` gets its headers and part of its body, then loses its connection."""
    drop_methods: frozenset[str] | None = None
    """Methods `drop_every` counts and hits (None: all)."""
    slow_response_seconds: float = 0.0
    """Seconds to wait before answering every API and upload call."""
    fail_tasks: bool = False
    """Every task ends in `failed_prediction`."""

    # Server.
    keep_alive_seconds: float = 75.0
    """How long an idle keep-alive connection stays open (read at start only)."""

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError naming the first knob whose value is out of range."""
        if not self.api_keys or not all(isinstance(key, str) and key for key in self.api_keys):
            raise ValueError("api_keys must hold at least one non-empty key")
        for name in ("processing_delay", "retry_after", "slow_response_seconds"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for name in ("rate_limit_every", "error_every", "drop_every"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be >= 1 or None")
        for name in ("image_objects", "video_objects"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise ValueError(f"{name} must be >= 0 or None")
        for name in ("categories_per_object",):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be >= 1 or None")
        if self.attributes_per_category is not None and self.attributes_per_category < 0:
            raise ValueError("attributes_per_category must be >= 0 or None")
        if self.video_duration_seconds <= 0:
            raise ValueError("video_duration_seconds must be > 0")
        if self.default_frames_per_second < 1:
            raise ValueError("default_frames_per_second must be >= 1")
        if self.upload_max_bytes < 1:
            raise ValueError("upload_max_bytes must be >= 1")
        if self.error_status not in _ERROR_STATUSES:
            raise ValueError(f"error_status must be one of {sorted(_ERROR_STATUSES)}")
        for name in ("error_methods", "drop_methods"):
            methods = getattr(self, name)
            if methods is not None and not methods <= _METHODS:
                raise ValueError(f"{name} may only hold {sorted(_METHODS)}")
        if self.keep_alive_seconds <= 0:
            raise ValueError("keep_alive_seconds must be > 0")

    def update(self, changes: Mapping[str, Any]) -> None:
        """Set several knobs at once from plain (JSON-like) values, all or none."""
        unknown = sorted(set(changes) - {field.name for field in dataclasses.fields(self)})
        if unknown:
            raise ValueError(f"unknown emulator knob(s): {', '.join(unknown)}")
        coerced = {name: _coerce(name, value) for name, value in changes.items()}
        candidate = dataclasses.replace(self, **coerced)  # runs validate()
        for name in coerced:
            setattr(self, name, getattr(candidate, name))

    def to_dict(self) -> dict[str, Any]:
        """The knobs as JSON-ready values (the API keys are left out)."""
        data = {field.name: getattr(self, field.name) for field in dataclasses.fields(self)}
        del data["api_keys"]
        for name in ("error_methods", "drop_methods"):
            if data[name] is not None:
                data[name] = sorted(data[name])
        return data


def _coerce(name: str, value: Any) -> Any:
    """Turn a JSON value into the knob's Python type, or raise ValueError."""
    if name == "api_keys":
        return tuple(_strings(name, value))
    if name in ("error_methods", "drop_methods"):
        return None if value is None else frozenset(method.upper() for method in _strings(name, value))
    if name == "fail_tasks":
        if not isinstance(value, bool):
            raise ValueError("fail_tasks must be true or false")
        return value
    optional_ints = {
        "rate_limit_every",
        "error_every",
        "drop_every",
        "image_objects",
        "video_objects",
        "categories_per_object",
        "attributes_per_category",
    }
    if name in optional_ints and value is None:
        return None
    if name in optional_ints or name in {"error_status", "default_frames_per_second", "upload_max_bytes"}:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an integer")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number")
    return float(value)


def _strings(name: str, value: Any) -> Iterable[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list | tuple | set | frozenset) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{name} must be a list of strings")
    return list(value)
