"""Run one SDK call against a hostile server, in a process of its own, and report.

    python tests/hostile/probe.py '{"base_url": ..., "call": "predict_image", ...}'

For each client kind (blocking, asyncio, trio) it prints one JSON line: the
exception raised (or null), its message, the growth of peak memory during the
call (VmHWM, reset before each kind), the seconds taken, and every place the
API key shows in what the failure exposes (texts, chained requests' headers,
frame locals). The test process's own peak memory plays no part.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import anyio
import httpx
import pyarrow.parquet  # noqa: F401  imported up front: imports are not the call's memory

import dragoneye
from dragoneye import AsyncDragoneye, Dragoneye, Image, Video

_MODEL = "recognize_anything/hostile"


def peak_kib() -> int:
    return int(re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text()).group(1))  # type: ignore[union-attr]


def reset_peak() -> int:
    """Set the high-water mark to the current size; return it."""
    gc.collect()
    Path("/proc/self/clear_refs").write_text("5")
    return peak_kib()


def call(client: Any, spec: dict[str, Any]) -> Any:
    name = spec["call"]
    method = getattr(client.classification, name)
    if name == "predict_image":
        return method(Image.from_path(spec["media"]), _MODEL, timeout_seconds=spec.get("timeout"))
    if name == "predict_video":
        return method(Video.from_path(spec["media"]), _MODEL, timeout_seconds=spec.get("timeout"))
    return method("11111111-2222-3333-4444-555555555555")


def run(kind: str, spec: dict[str, Any]) -> str:
    """The type of what the call returned.

    Only the name leaves the coroutine: at its end asyncio.run on Python
    3.11.7 and earlier builds (and discards) an error message holding the repr
    of the main task, result included (python/cpython#112559), and a hostile
    result's repr can take gigabytes.
    """
    options = dict(api_key=spec["key"], base_api_url=spec["base_url"], backoff_jitter=lambda bound: 0.0)
    options.update(spec.get("client", {}))
    follow = spec.get("follow_redirects", False)
    if kind == "blocking":
        with httpx.Client(follow_redirects=follow) as http, Dragoneye(http_client=http, **options) as client:
            return type(call(client, spec)).__name__

    async def main() -> str:
        async with (
            httpx.AsyncClient(follow_redirects=follow) as http,
            AsyncDragoneye(http_client=http, **options) as client,
        ):
            return type(await call(client, spec)).__name__

    return anyio.run(main, backend=kind)


def shows(value: Any, key: str, depth: int = 0) -> bool:
    if isinstance(value, httpx.Request | httpx.Response):
        value = value.headers
    if isinstance(value, httpx.Headers):
        return any(key in text for text in value.values())
    if isinstance(value, bytes | bytearray):  # the repr of a large body would cost more than the call
        return key.encode() in value
    if isinstance(value, list | tuple) and depth < 2:
        return any(shows(item, key, depth + 1) for item in value)
    try:
        return key in repr(value)
    except Exception:
        return False


def exposures(error: BaseException, key: str) -> list[str]:
    """Where `key` shows in `error`, its chain and its traceback's frames."""
    found = []
    if key in "".join(traceback.format_exception(error)):
        found.append("formatted traceback")
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = type(current).__name__
        if shows(current, key) or any(shows(v, key) for v in vars(current).values()):
            found.append(f"{name} or its attributes")
        request = getattr(current, "_request", None)
        if request is not None and shows(request, key):
            found.append(f"{name}.request.headers")
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if frame.f_code.co_filename != __file__:  # the probe's own frames hold the key it was given
                found += [
                    f"local {local!r} of {frame.f_code.co_name}"
                    for local, value in frame.f_locals.items()
                    if shows(value, key)
                ]
            tb = tb.tb_next
        current = current.__cause__ or current.__context__
    return found


def main() -> None:
    spec = json.loads(sys.argv[1])
    for module in ("dragoneye._async._classification", "dragoneye._sync._classification"):
        for name, value in spec.get("patch", {}).items():
            setattr(sys.modules[module], name, value)
    for kind in spec.get("kinds", ["blocking", "asyncio", "trio"]):
        Dragoneye(api_key="warm", base_api_url=spec["base_url"]).close()  # loads TLS settings once
        base = reset_peak()
        start = time.monotonic()
        outcome: dict[str, Any] = {"kind": kind, "exception": None, "message": None, "exposed": []}
        error: BaseException | None = None
        try:
            outcome["result"] = run(kind, spec)
        except BaseException as exc:  # report anything, even what the SDK must never raise
            error = exc
        # Measured before the failure is searched for the key, which costs memory and time of its own.
        outcome["seconds"] = round(time.monotonic() - start, 3)
        outcome["peak_mib"] = round((peak_kib() - base) / 1024, 1)
        if error is not None:
            outcome.update(
                exception=type(error).__name__,
                message=str(error),
                detail=getattr(error, "detail", None),
                sdk=isinstance(error, dragoneye.DragoneyeError),
                exposed=exposures(error, spec["key"]),
            )
        print(json.dumps(outcome), flush=True)


if __name__ == "__main__":
    main()
