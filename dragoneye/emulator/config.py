"""The emulator's knobs: result sizes, processing delay and injected faults."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from .fixtures import FixtureResult, to_fixtures

DEFAULT_API_KEY = "emulator-key"
GIB = 1024**3

_ERROR_STATUSES = (500, 502, 503, 504)
_METHODS = frozenset({"GET", "POST"})

_Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _integer(minimum: int, *, optional: bool = False) -> _Validator:
    """An int (not a bool) of at least `minimum`; with `optional`, None too."""
    bound = f">= {minimum} or None" if optional else f">= {minimum}"

    def check(_config: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{attribute.name} must be an integer")
        if value < minimum:
            raise ValueError(f"{attribute.name} must be {bound}")

    return check


def _seconds(*, positive: bool = False, negative_ok: bool = False) -> _Validator:
    """A number of seconds: >= 0, > 0 with `positive`, any with `negative_ok`."""

    def check(_config: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not _is_number(value):
            raise ValueError(f"{attribute.name} must be a number")
        if positive and value <= 0:
            raise ValueError(f"{attribute.name} must be > 0")
        if not positive and not negative_ok and value < 0:
            raise ValueError(f"{attribute.name} must be >= 0")

    return check


def _to_float(value: Any) -> Any:
    """JSON's integers as floats; anything else is left for the validator to judge."""
    return float(value) if _is_number(value) else value


def _to_keys(value: Any) -> Any:
    """One key or a list of keys, as a tuple."""
    if isinstance(value, str):
        return (value,)
    return tuple(value) if isinstance(value, list | tuple | set | frozenset) else value


def _check_keys(_config: Any, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not value or not all(isinstance(key, str) and key for key in value):
        raise ValueError("api_keys must hold at least one non-empty key")


def _to_methods(value: Any) -> Any:
    """None, one method or a list of them, as a frozenset of upper-case names."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(method.upper() if isinstance(method, str) else method for method in value)
    return value


def _check_methods(_config: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, frozenset) or not value <= _METHODS:
        raise ValueError(f"{attribute.name} may only hold {sorted(_METHODS)}")


def _check_status(_config: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or value not in _ERROR_STATUSES:
        raise ValueError(f"{attribute.name} must be one of {list(_ERROR_STATUSES)}")


def _check_flag(_config: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise ValueError(f"{attribute.name} must be true or false")


def _optional_rate(_config: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not _is_number(value) or not 0 < value < float("inf")):
        raise ValueError(f"{attribute.name} must be a positive number or None")


def _seconds_field(default: float, **bounds: bool) -> Any:
    return attrs.field(default=default, converter=_to_float, validator=_seconds(**bounds))


@attrs.define(kw_only=True)
class EmulatorConfig:
    """Server-wide settings of an emulator; tests may change them between calls.

    Every knob is checked when set, at construction, by `update` and by plain
    assignment alike: a bad value raises ValueError naming the knob.

    Every `*_every` fault counts the API and upload calls (not the control
    endpoints) it applies to, starting from the moment its value was last set:
    with `rate_limit_every=3` the 3rd, 6th, 9th... calls answer 429.
    """

    api_keys: tuple[str, ...] = attrs.field(
        default=(DEFAULT_API_KEY,), converter=_to_keys, validator=_check_keys, repr=False
    )
    """Accepted values of the X-API-Key header."""

    # Processing and results.
    processing_delay: float = _seconds_field(0.05)
    """Seconds a task spends `predicting` (the model name's `delay=` overrides it)."""
    image_objects: int | None = attrs.field(default=None, validator=_integer(0, optional=True))
    """Objects per image; None: 2 to 5, chosen by the media's digest."""
    video_objects: int | None = attrs.field(default=None, validator=_integer(0, optional=True))
    """Tracked objects per video; None: 3 to 8, chosen by the media's digest."""
    categories_per_object: int | None = attrs.field(default=None, validator=_integer(1, optional=True))
    """Categories per object; None: 1 to 3."""
    attributes_per_category: int | None = attrs.field(default=None, validator=_integer(0, optional=True))
    """Attributes per category; None: 1 to 3."""
    video_duration_seconds: float = _seconds_field(10.0, positive=True)
    """The emulated length of every video: frames are sampled over it."""
    default_frames_per_second: int = attrs.field(default=1, validator=_integer(1))
    """The sampling rate of a video whose task did not give `frames_per_second`."""

    fixtures: dict[str, FixtureResult] = attrs.field(factory=dict, converter=to_fixtures, repr=False)
    """Known answers: media (its bytes, or their SHA-256 in hex) -> the result to
    return for it, a response or its `to_dict()` JSON (see `Emulator.add_fixture`)."""

    # Presigned uploads.
    upload_url_ttl_seconds: float = _seconds_field(3600.0, negative_ok=True)
    """How long a presigned upload stays valid (<= 0: already expired)."""
    upload_max_bytes: int = attrs.field(default=5 * GIB, validator=_integer(1))
    """The largest upload the presigned policy allows."""

    # Faults.
    rate_limit_every: int | None = attrs.field(default=None, validator=_integer(1, optional=True))
    """Every Kth call answers 429 with `Retry-After: retry_after`."""
    retry_after: float = _seconds_field(0.0)
    """Seconds sent in Retry-After on 429 and 503 answers."""
    rate_limit_per_second: float | None = attrs.field(default=None, converter=_to_float, validator=_optional_rate)
    """A token bucket over API calls (not uploads): this many a second; beyond it, 429
    with Retry-After: the time until the next token. None: no limit."""
    rate_limit_burst: int | None = attrs.field(default=None, validator=_integer(1, optional=True))
    """The bucket's size: calls allowed at once after a quiet spell (None: one second's worth)."""
    error_every: int | None = attrs.field(default=None, validator=_integer(1, optional=True))
    """Every Kth call among `error_methods` answers `error_status`."""
    error_status: int = attrs.field(default=503, validator=_check_status)
    """502, 503, 500 or 504."""
    error_methods: frozenset[str] | None = attrs.field(default=None, converter=_to_methods, validator=_check_methods)
    """Methods `error_every` counts and hits (None: all)."""
    drop_every: int | None = attrs.field(default=None, validator=_integer(1, optional=True))
    """Every Kth call among `drop_methods` gets its headers and part of its body, then loses its connection."""
    drop_methods: frozenset[str] | None = attrs.field(default=None, converter=_to_methods, validator=_check_methods)
    """Methods `drop_every` counts and hits (None: all)."""
    slow_response_seconds: float = _seconds_field(0.0)
    """Seconds to wait before answering every API and upload call."""
    fail_tasks: bool = attrs.field(default=False, validator=_check_flag)
    """Every task ends in `failed_prediction`."""

    # Server.
    keep_alive_seconds: float = _seconds_field(75.0, positive=True)
    """How long an idle keep-alive connection stays open (read at start only)."""

    def update(self, changes: Mapping[str, Any]) -> None:
        """Set several knobs at once from plain (JSON-like) values, all or none."""
        known = attrs.fields_dict(EmulatorConfig)
        unknown = sorted(set(changes) - set(known))
        if unknown:
            raise ValueError(f"unknown emulator knob(s): {', '.join(unknown)}")
        candidate = attrs.evolve(self, **changes)  # converts and validates every change
        for name in changes:
            setattr(self, name, getattr(candidate, name))

    def to_dict(self) -> dict[str, Any]:
        """The knobs as JSON-ready values (the API keys and fixtures are left out)."""
        fields = attrs.fields(EmulatorConfig)
        return attrs.asdict(
            self,
            filter=attrs.filters.exclude(fields.api_keys, fields.fixtures),
            value_serializer=_json_ready,
        )


def _json_ready(_config: Any, _attribute: attrs.Attribute[Any] | None, value: Any) -> Any:
    return sorted(value) if isinstance(value, frozenset) else value
