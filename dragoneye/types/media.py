"""Image and Video: media to send to a prediction endpoint.

A media object holds a path, bytes or a binary stream and is read only while
it is uploaded, in chunks, so a large video never sits in memory whole. A path
is opened at upload time and closed after it, so no file handle is held. A
stream that cannot seek (a pipe) is first copied to a temporary spool, in
memory up to 8 MiB and on disk beyond: storage hosts need an upload's length
before its body (S3 answers 411 to a chunked upload), and a copy can be sent
again when a retry needs it.
"""

from __future__ import annotations

import io
import mimetypes
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, ClassVar, Self, cast

__all__ = ["Image", "Media", "Video"]

# A one-way stream's copy stays in memory up to this size, then moves to disk.
_SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024
_COPY_CHUNK_BYTES = 1024 * 1024


class Media:
    """Binary media with its MIME type and an optional name of the user's own."""

    #: The MIME family this class accepts, e.g. "image/".
    accepted_prefix: ClassVar[str] = ""

    __slots__ = ("_source", "mime_type", "name")

    def __init__(self, source: bytes | BinaryIO | Path, *, mime_type: str, name: str | None = None) -> None:
        if not isinstance(mime_type, str) or not mime_type.startswith(self.accepted_prefix):
            raise ValueError(
                f"{type(self).__name__} requires a mime_type starting with {self.accepted_prefix!r}; got {mime_type!r}"
            )
        self._source = source
        self.mime_type = mime_type
        self.name = name

    def __repr__(self) -> str:
        kind = "path" if isinstance(self._source, Path) else "bytes" if isinstance(self._source, bytes) else "stream"
        return f"{type(self).__name__}(mime_type={self.mime_type!r}, name={self.name!r}, source={kind})"

    @classmethod
    def from_bytes(cls, data: bytes, mime_type: str, name: str | None = None) -> Self:
        """Media held in memory."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError(f"data must be bytes; got {type(data).__name__}")
        return cls(bytes(data), mime_type=mime_type, name=name)

    @classmethod
    def from_stream(cls, stream: BinaryIO, *, mime_type: str, name: str | None = None) -> Self:
        """Media read from a readable binary stream when uploaded (from its current position)."""
        if not callable(getattr(stream, "read", None)) or isinstance(stream, io.TextIOBase):
            raise TypeError(f"stream must be a readable binary stream; got {type(stream).__name__}")
        return cls(stream, mime_type=mime_type, name=name)

    @classmethod
    def from_path(
        cls,
        path: str | os.PathLike[str],
        *,
        mime_type: str | None = None,
        name: str | None = None,
        guess_from_extension: bool = True,
        read_into_memory: bool = False,
    ) -> Self:
        """Media from a file. `name` defaults to the file's name; the MIME type is
        guessed from the extension unless given (or `guess_from_extension=False`).

        Raises FileNotFoundError, IsADirectoryError, or ValueError when the MIME
        type is unknown or of the wrong family.
        """
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no such file: {str(path)!r}")
        if path.is_dir():
            raise IsADirectoryError(f"expected a file, got a directory: {str(path)!r}")
        if mime_type is None and guess_from_extension:
            mime_type = mimetypes.guess_type(path.name)[0]
        if mime_type is None:
            raise ValueError(f"cannot tell the MIME type of {str(path)!r} from its extension; pass mime_type=")
        source: bytes | Path = path.read_bytes() if read_into_memory else path
        return cls(source, mime_type=mime_type, name=name if name is not None else path.name)

    @property
    def path(self) -> Path | None:
        """The file this media is read from, or None for bytes and streams."""
        return self._source if isinstance(self._source, Path) else None

    @property
    def is_stream(self) -> bool:
        """Whether the content comes from a stream (it can be read only once)."""
        return not isinstance(self._source, bytes | Path)

    def check_readable(self) -> None:
        """Raise ValueError if the content can no longer be read (a closed stream)."""
        if not isinstance(self._source, bytes | Path) and getattr(self._source, "closed", False):
            raise ValueError(f"the stream of {self!r} is closed")

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """A binary stream of the content, positioned at its start; closed after if we opened it."""
        source = self._source
        if isinstance(source, bytes):
            yield io.BytesIO(source)
        elif isinstance(source, Path):
            with source.open("rb") as file:
                yield file
        else:
            start = seekable_position(source)
            if start is None:
                with _spooled_copy(source) as copy:
                    yield copy
            else:
                yield cast(BinaryIO, _Remainder(source, start)) if start else source

    def size(self) -> int | None:
        """The content's size in bytes, where it can be told without reading it."""
        source = self._source
        if isinstance(source, bytes):
            return len(source)
        if isinstance(source, Path):
            return source.stat().st_size
        try:
            if not source.seekable():
                return None
            position = source.tell()
            end = source.seek(0, io.SEEK_END)
            source.seek(position)
        except (AttributeError, OSError, ValueError):
            return None
        return end - position


@contextmanager
def _spooled_copy(stream: BinaryIO) -> Iterator[BinaryIO]:
    """The rest of a one-way stream, copied to a seekable spool that is closed (and deleted) after."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES) as spool:
        shutil.copyfileobj(stream, spool, _COPY_CHUNK_BYTES)
        spool.seek(0)
        yield cast(BinaryIO, spool)


def seekable_position(stream: BinaryIO) -> int | None:
    """The stream's position if it can be returned to, else None."""
    try:
        return int(stream.tell()) if stream.seekable() else None
    except (AttributeError, OSError, ValueError):
        return None


class _Remainder(io.RawIOBase):
    """The rest of a seekable stream from `start`, seen as a whole stream.

    httpx rewinds an upload to offset 0 and sizes it from the file descriptor;
    media read from a stream's current position must hide what lies before it.
    """

    def __init__(self, stream: BinaryIO, start: int) -> None:
        super().__init__()
        self._stream = stream
        self._start = start

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self._stream.tell() - self._start

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            offset += self._start
        return self._stream.seek(offset, whence) - self._start

    def close(self) -> None:
        # The stream is the user's: leave it open.
        super().close()


class Image(Media):
    """Media restricted to image/* MIME types."""

    accepted_prefix = "image/"
    __slots__ = ()


class Video(Media):
    """Media restricted to video/* MIME types."""

    accepted_prefix = "video/"
    __slots__ = ()
