"""Reading a response body against a budget of decoded bytes.

httpx inflates a gzip body without bound, so the SDK reads the raw stream and
decodes it here, never producing more than the budget plus one byte: a small
compressed body that inflates to gigabytes costs no more memory than the budget.
"""

from __future__ import annotations

import zlib

import httpx

__all__ = ["BodyTooLarge", "BoundedBody", "UnsupportedEncoding", "with_body"]

# Headers that describe the body as sent, not as decoded.
_ENCODING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})

_GZIP_OR_ZLIB = zlib.MAX_WBITS | 32  # zlib detects the gzip or zlib header
# The most one decompress() call makes: its output is copied once more when it returns.
_STEP = 1 << 20


class BodyTooLarge(Exception):
    """The body decodes to more than its budget."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the response body exceeds the {limit:,}-byte limit")
        self.limit = limit


class UnsupportedEncoding(Exception):
    """The body has a Content-Encoding the SDK did not ask for and cannot decode."""


class BoundedBody:
    """Collects a body from raw chunks, decoding `content_encoding`.

    `feed` raises BodyTooLarge as soon as the decoded bytes would pass `limit`;
    with `truncate` it keeps the first `limit` bytes instead and stops (for
    error bodies, where an excerpt is all the SDK shows).
    """

    def __init__(self, limit: int, content_encoding: str | None = None, *, truncate: bool = False) -> None:
        self.limit = limit
        self.truncate = truncate
        self.full = False
        self._chunks: list[bytes] = []
        self._size = 0
        self._decoder = _decoder(content_encoding)

    def feed(self, raw: bytes) -> None:
        """Add a raw chunk of the body; BodyTooLarge when over budget."""
        if self.full:
            return
        if self._decoder is None:
            self._add(raw)
            return
        data = raw
        while data and not self.full:
            try:
                chunk = self._decoder.decompress(data, min(self.limit - self._size + 1, _STEP))
            except zlib.error as exc:
                raise UnsupportedEncoding(f"the response body is not validly encoded: {exc}") from exc
            self._add(chunk)
            data = self._decoder.unconsumed_tail

    def content(self) -> bytes:
        """The decoded body."""
        if self._decoder is not None and not self.full:
            self._add(self._decoder.flush())
        return b"".join(self._chunks)

    def _add(self, chunk: bytes) -> None:
        if self._size + len(chunk) > self.limit:
            if not self.truncate:
                raise BodyTooLarge(self.limit)
            chunk = chunk[: self.limit - self._size]
            self.full = True
        self._size += len(chunk)
        self._chunks.append(chunk)


def _decoder(content_encoding: str | None) -> zlib._Decompress | None:
    encoding = (content_encoding or "identity").strip().lower()
    if encoding == "identity":
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(_GZIP_OR_ZLIB)
    if encoding == "deflate":  # zlib-wrapped, as RFC 9110 defines it
        return zlib.decompressobj(zlib.MAX_WBITS)
    raise UnsupportedEncoding(f"the response has an unsupported Content-Encoding: {encoding[:50]!r}")


def with_body(response: httpx.Response, content: bytes) -> httpx.Response:
    """A copy of a streamed `response` holding its decoded `content`."""
    headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() not in _ENCODING_HEADERS]
    return httpx.Response(response.status_code, headers=headers, content=content)
