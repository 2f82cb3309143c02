"""Joining a streamed request body's small pieces, so that they are sent together.

httpx yields each multipart boundary, part header and field of an upload
alone; sent as they come, a small image upload took some twenty writes.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator

WRITE_AT_ONCE = 64 * 1024
"""Small pieces are joined up to this many bytes; larger ones pass as they are, so memory stays flat."""


async def joined(chunks: AsyncIterator[bytes]) -> AsyncGenerator[bytes, None]:
    """`chunks`, consecutive small ones joined up to WRITE_AT_ONCE bytes; closes `chunks` however it ends."""
    pending = bytearray()
    try:
        async for chunk in chunks:
            if len(pending) + len(chunk) < WRITE_AT_ONCE:
                pending += chunk
                continue
            if pending:
                yield bytes(pending)
                pending.clear()
            yield chunk
        if pending:
            yield bytes(pending)
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()
