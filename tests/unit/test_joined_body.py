"""Uploads are sent in few pieces: httpx yields each multipart boundary, header and field alone."""

from __future__ import annotations

import io

import httpx
import pytest

from dragoneye._async._sender import WRITE_AT_ONCE, _joining_pieces
from dragoneye._sync._sender import _joining_pieces as _joining_pieces_blocking

SIZES = [(1_000, 1), (300_000, 7)]  # (media bytes, most pieces)


def _upload(size: int) -> tuple[httpx.Request, bytes]:
    """A multipart upload of `size` bytes of media, and the body it sends."""
    media = io.BytesIO(b"x" * size)  # read in 64 KiB chunks, as a file is
    request = httpx.Request("POST", "http://host/", data={"key": "k", "policy": "p"}, files={"file": ("m", media)})
    assert isinstance(request.stream, httpx.SyncByteStream)
    sent = b"".join(request.stream)
    media.seek(0)
    return request, sent


def _check(pieces: list[bytes], sent: bytes, most_pieces: int) -> None:
    assert b"".join(pieces) == sent
    assert len(pieces) <= most_pieces  # httpx alone yields 13 for the small upload
    assert max(map(len, pieces)) <= WRITE_AT_ONCE  # large pieces are not joined: memory stays flat


@pytest.mark.parametrize(("size", "most_pieces"), SIZES)
def test_blocking_uploads_are_sent_in_few_pieces(size: int, most_pieces: int) -> None:
    request, sent = _upload(size)
    stream = _joining_pieces_blocking(request).stream
    assert isinstance(stream, httpx.SyncByteStream)
    _check(list(stream), sent, most_pieces)


@pytest.mark.anyio
@pytest.mark.parametrize(("size", "most_pieces"), SIZES)
async def test_async_uploads_are_sent_in_few_pieces(size: int, most_pieces: int) -> None:
    request, sent = _upload(size)
    stream = _joining_pieces(request).stream
    assert isinstance(stream, httpx.AsyncByteStream)
    _check([piece async for piece in stream], sent, most_pieces)


def test_bodies_in_memory_are_left_alone() -> None:
    request = httpx.Request("POST", "http://host/", data={"model_name": "m"})
    stream = request.stream
    assert _joining_pieces(request).stream is stream
