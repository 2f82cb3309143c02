"""Parse model names, with the per-task knobs they may carry in a query part.

`recognize_anything/mymodel?objects=500&frames=600&categories=2&attributes=3&delay=0.2&fail=1`
asks for 500 objects over 600 sampled frames, 2 categories per object, 3
attributes per category, 0.2 s of processing, and a task that fails. The knobs
ride in the model name so that any client, ours or the official one, can pass
them unchanged.
"""

from __future__ import annotations

from urllib.parse import parse_qsl

import attrs

MODEL_PREFIX = "recognize_anything/"

# name -> (minimum, maximum) of each integer knob
_INT_KNOBS = {
    "objects": (0, 100_000),
    "frames": (1, 1_000_000),
    "categories": (1, 50),
    "attributes": (0, 50),
}
# name -> (minimum, maximum) of each number knob
_FLOAT_KNOBS = {"delay": (0.0, 3600.0), "duration": (0.001, 86_400.0)}
_BOOL_KNOBS = {"fail"}
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@attrs.frozen
class ModelOptions:
    """The knobs of one task; None means "use the emulator's default"."""

    objects: int | None = None
    frames: int | None = None
    categories: int | None = None
    attributes: int | None = None
    delay: float | None = None
    duration: float | None = None
    fail: bool = False


def parse_model_name(model_name: str) -> tuple[str, ModelOptions]:
    """Split `recognize_anything/<name>[?knobs]` into the name and its options.

    Raises ValueError with a message fit for a 400 `detail`.
    """
    name, _, query = model_name.partition("?")
    if not name.startswith(MODEL_PREFIX) or not name[len(MODEL_PREFIX) :].strip("/"):
        raise ValueError(f"model_name must look like '{MODEL_PREFIX}<model name>', got {model_name!r}")
    values: dict[str, int | float | bool] = {}
    for key, raw in parse_qsl(query, keep_blank_values=True):
        if key in values:
            raise ValueError(f"model option {key!r} is given twice")
        values[key] = _parse_knob(key, raw)
    return name, ModelOptions(**values)  # type: ignore[arg-type]


def _parse_knob(key: str, raw: str) -> int | float | bool:
    if key in _INT_KNOBS:
        low, high = _INT_KNOBS[key]
        try:
            number = int(raw)
        except ValueError:
            raise ValueError(f"model option {key!r} must be an integer, got {raw!r}") from None
        if not low <= number <= high:
            raise ValueError(f"model option {key!r} must be between {low} and {high}, got {number}")
        return number
    if key in _FLOAT_KNOBS:
        low_f, high_f = _FLOAT_KNOBS[key]
        try:
            value = float(raw)
        except ValueError:
            raise ValueError(f"model option {key!r} must be a number, got {raw!r}") from None
        if not low_f <= value <= high_f:
            raise ValueError(f"model option {key!r} must be between {low_f} and {high_f}, got {raw}")
        return value
    if key in _BOOL_KNOBS:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise ValueError(f"model option {key!r} must be 1 or 0, got {raw!r}")
    known = ", ".join(sorted([*_INT_KNOBS, *_FLOAT_KNOBS, *_BOOL_KNOBS]))
    raise ValueError(f"unknown model option {key!r} (known: {known})")
