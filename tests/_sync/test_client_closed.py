# Generated from tests/_async/ by generator/generate.py (unasync). Do not edit.
"""A closed client refuses every call with a DragoneyeError that says what to do, and sends nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from dragoneye import Classification, Dragoneye, Image, Video
from dragoneye.types.exception import DragoneyeError

MODEL = "recognize_anything/m"
CLOSED = "client is closed: make your calls before closing it, or create a new client"

CALLS: dict[str, Callable[[Classification], Any]] = {
    "predict_image": lambda c: c.predict_image(Image.from_bytes(b"\x89PNG", "image/png"), MODEL),
    "predict_video": lambda c: c.predict_video(Video.from_bytes(b"\x00\x00\x00\x18ftypmp42", "video/mp4"), MODEL),
    "status": lambda c: c.status("task-1"),
    "get_image_results": lambda c: c.get_image_results("task-1"),
    "get_video_results": lambda c: c.get_video_results("task-1"),
}


@pytest.mark.parametrize("call", sorted(CALLS))
def test_a_closed_client_refuses_every_call(fake_api: Any, call: str) -> None:
    http = httpx.Client(transport=httpx.MockTransport(fake_api))
    with Dragoneye(api_key="secret-key", base_api_url="http://127.0.0.1:9", http_client=http) as client:
        pass
    with pytest.raises(DragoneyeError, match=CLOSED) as raised:
        CALLS[call](client.classification)
    assert type(raised.value) is DragoneyeError
    assert fake_api.requests == []
    # The httpx client was ours: closing the SDK's client left it open.
    assert not http.is_closed
    http.close()


def test_a_client_that_closed_its_own_pool_says_so() -> None:
    client = Dragoneye(api_key="secret-key", base_api_url="http://127.0.0.1:9")
    client.close()
    client.close()  # closing twice is harmless
    with pytest.raises(DragoneyeError, match=CLOSED):
        client.classification.status("task-1")
    with pytest.raises(DragoneyeError, match=CLOSED):
        with client:
            pass
