"""The facade's use of the generated parsers: the typed body of a 2xx, or the step's error."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import httpx

from ._generated.errors import UndocumentedStatus
from .types.exception import DragoneyeError

__all__ = ["parse"]

_Parsed = TypeVar("_Parsed")


def parse(
    parser: Callable[[httpx.Response], _Parsed],
    response: httpx.Response,
    error: type[DragoneyeError],
    action: str,
) -> _Parsed:
    """`response` (a 2xx) parsed by its generated parser; `error` if the spec does not document
    its status or its body does not have the documented shape."""
    try:
        return parser(response)
    except UndocumentedStatus as exc:
        raise error(
            f"{action} failed: HTTP {exc.status_code} is not a documented response", status_code=exc.status_code
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise error(f"{action} failed: unexpected response body ({type(exc).__name__}: {exc})") from exc
