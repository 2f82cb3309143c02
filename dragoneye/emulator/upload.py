"""Stream a presigned-POST upload: keep the form fields, hash the file part.

The file is never held in memory nor written to disk: only its sha256 and
size are kept, so a 1 GiB upload costs a few kilobytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

import attrs
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

FILE_FIELD = "file"
_MAX_FIELD_BYTES = 64 * 1024
_MAX_FIELDS = 64


class UploadFormError(Exception):
    """The upload is not a well-formed presigned-POST form (400 on the wire)."""


@attrs.define
class ReceivedUpload:
    """The fields sent before the file, and what the file part was."""

    fields: dict[str, str] = attrs.field(factory=dict)
    has_file: bool = False
    size: int = 0
    sha256: bytes = b""


class _Receiver:
    """python-multipart callbacks that collect fields and hash the file."""

    def __init__(self) -> None:
        self.result = ReceivedUpload()
        self._hasher = hashlib.sha256()
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._disposition = b""
        self._name: str | None = None
        self._value = bytearray()
        self._in_file = False
        self._after_file = False

    def on_part_begin(self) -> None:
        self._disposition = b""
        self._name = None
        self._value.clear()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if bytes(self._header_field).lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        raw_name = options.get(b"name")
        if raw_name is None:
            raise UploadFormError("a part of the form has no name")
        self._name = raw_name.decode("utf-8", "replace")
        self._in_file = self._name == FILE_FIELD and not self._after_file

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._hasher.update(data[start:end])
            self.result.size += end - start
        elif not self._after_file:
            # Fields after the file are ignored, as S3 does.
            self._value += data[start:end]
            if len(self._value) > _MAX_FIELD_BYTES:
                raise UploadFormError(f"the form field {self._name!r} is too large")

    def on_part_end(self) -> None:
        if self._in_file:
            self._in_file = False
            self._after_file = True
            self.result.has_file = True  # only once the part is complete
            self.result.sha256 = self._hasher.digest()
        elif not self._after_file and self._name is not None:
            if len(self.result.fields) >= _MAX_FIELDS:
                raise UploadFormError("the form has too many fields")
            self.result.fields[self._name] = self._value.decode("utf-8", "replace")


async def receive_upload(content_type: str | None, chunks: AsyncIterator[bytes]) -> ReceivedUpload:
    """Parse a multipart/form-data body as it streams in."""
    mime, options = parse_options_header(content_type or "")
    boundary = options.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise UploadFormError("the upload must be a multipart/form-data form with a boundary")
    receiver = _Receiver()
    callbacks = {
        "on_part_begin": receiver.on_part_begin,
        "on_header_field": receiver.on_header_field,
        "on_header_value": receiver.on_header_value,
        "on_header_end": receiver.on_header_end,
        "on_headers_finished": receiver.on_headers_finished,
        "on_part_data": receiver.on_part_data,
        "on_part_end": receiver.on_part_end,
    }
    try:
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        async for chunk in chunks:
            if chunk:
                parser.write(chunk)
        parser.finalize()
    except FormParserError as error:
        raise UploadFormError(f"the multipart form is malformed: {error}") from None
    return receiver.result
