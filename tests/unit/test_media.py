"""Image and Video: construction, checks, and reading."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from dragoneye import Image, Video


def test_from_path_guesses_mime_and_defaults_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"jpeg-bytes")
    image = Image.from_path(path)
    assert image.mime_type == "image/jpeg"
    assert image.name == "photo.jpg"
    with image.open() as stream:
        assert stream.read() == b"jpeg-bytes"
        assert not stream.closed
    assert stream.closed
    assert image.size() == 10


def test_from_path_keeps_an_explicit_name_and_mime(tmp_path: Path) -> None:
    path = tmp_path / "clip.bin"
    path.write_bytes(b"v")
    video = Video.from_path(path, name="my-clip", mime_type="video/mp4", read_into_memory=True)
    assert (video.name, video.mime_type) == ("my-clip", "video/mp4")
    path.unlink()
    with video.open() as stream:
        assert stream.read() == b"v"


def test_from_path_holds_no_file_open(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(b"x")
    Image.from_path(path)  # a ResourceWarning (an error in this suite) would fail the test


@pytest.mark.parametrize(
    ("name", "kwargs", "error", "match"),
    [
        ("missing.jpg", {}, FileNotFoundError, "no such file"),
        ("", {}, IsADirectoryError, "directory"),
        ("notes.unknownext", {}, ValueError, "cannot tell the MIME type"),
        ("photo.jpg", {"guess_from_extension": False}, ValueError, "pass mime_type"),
        ("doc.pdf", {}, ValueError, "starting with 'image/'"),
    ],
)
def test_from_path_errors(
    tmp_path: Path, name: str, kwargs: dict[str, bool], error: type[Exception], match: str
) -> None:
    for existing in ("notes.unknownext", "photo.jpg", "doc.pdf"):
        (tmp_path / existing).write_bytes(b"x")
    with pytest.raises(error, match=match):
        Image.from_path(tmp_path / name, **kwargs)  # type: ignore[arg-type]


def test_mime_family_is_enforced() -> None:
    with pytest.raises(ValueError, match="Video requires a mime_type starting with 'video/'; got 'image/png'"):
        Video.from_bytes(b"x", mime_type="image/png")
    with pytest.raises(ValueError, match="Image requires"):
        Image.from_stream(io.BytesIO(b"x"), mime_type="application/pdf")


def test_from_bytes_and_stream() -> None:
    assert Image.from_bytes(b"abc", "image/png", name="n").size() == 3
    stream = io.BytesIO(b"0123456789")
    stream.seek(4)
    video = Video.from_stream(stream, mime_type="video/mp4")
    assert video.size() == 6
    with video.open() as opened:
        assert opened.read() == b"456789"
    with pytest.raises(TypeError, match="data must be bytes"):
        Image.from_bytes("text", "image/png")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="readable binary stream"):
        Image.from_stream(b"bytes", mime_type="image/png")  # type: ignore[arg-type]


def test_repr_names_the_source_kind_not_the_content() -> None:
    assert repr(Image.from_bytes(b"secret-bytes", "image/png", name="n")) == (
        "Image(mime_type='image/png', name='n', source=bytes)"
    )
