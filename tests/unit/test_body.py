"""BoundedBody: decoding a body within a budget of decoded bytes."""

from __future__ import annotations

import zlib

import pytest

from dragoneye._body import BodyTooLarge, BoundedBody, UnsupportedEncoding


def gzip(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [(None, bytes), ("identity", bytes), ("gzip", gzip), ("deflate", zlib.compress), ("GZIP", gzip)],
)
def test_a_body_within_budget_decodes_whole(encoding: str | None, encode: object) -> None:
    data = b"abc" * 10_000
    raw = encode(data)  # type: ignore[operator]
    body = BoundedBody(len(data), encoding)
    for start in range(0, len(raw), 1000):
        body.feed(raw[start : start + 1000])
    assert body.content() == data


@pytest.mark.parametrize("encoding", [None, "gzip"])
def test_one_byte_over_budget_raises_naming_the_limit(encoding: str | None) -> None:
    data = bytes(5001)
    body = BoundedBody(5000, encoding)
    with pytest.raises(BodyTooLarge, match="5,000-byte limit"):
        body.feed(gzip(data) if encoding else data)
        body.content()


def test_an_error_body_is_cut_to_its_budget() -> None:
    body = BoundedBody(10, "gzip", truncate=True)
    body.feed(gzip(b"0123456789abcdef"))
    assert body.full and body.content() == b"0123456789"


@pytest.mark.parametrize(("encoding", "raw"), [("br", b"x"), ("gzip", b"not gzip at all")])
def test_what_cannot_be_decoded_is_refused(encoding: str, raw: bytes) -> None:
    with pytest.raises(UnsupportedEncoding):
        BoundedBody(100, encoding).feed(raw)
