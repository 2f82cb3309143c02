"""Media that cannot be sent: each is refused when it is built, with a message naming the problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dragoneye import Image, Media, Video

pytestmark = pytest.mark.timeout(20)

MEDIA_CLASSES = [Image, Video]


@pytest.mark.parametrize("cls", MEDIA_CLASSES)
def test_a_missing_path(cls: type[Media], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "clip.mp4"
    with pytest.raises(FileNotFoundError, match=rf"no such file: .*{re.escape(str(missing))}"):
        cls.from_path(missing)


@pytest.mark.parametrize("cls", MEDIA_CLASSES)
def test_a_directory(cls: type[Media], tmp_path: Path) -> None:
    folder = tmp_path / "photos.jpg"
    folder.mkdir()
    with pytest.raises(IsADirectoryError, match=r"expected a file, got a directory: .*photos\.jpg"):
        cls.from_path(folder)


@pytest.mark.parametrize("cls", MEDIA_CLASSES)
def test_an_unknown_extension_without_mime_type(cls: type[Media], tmp_path: Path) -> None:
    path = tmp_path / "capture.qqq"
    path.write_bytes(b"data")
    with pytest.raises(ValueError, match=r"cannot tell the MIME type of .*capture\.qqq.*pass mime_type="):
        cls.from_path(path)


def test_guessing_turned_off_without_mime_type(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"data")
    with pytest.raises(ValueError, match=r"cannot tell the MIME type of .*photo\.jpg"):
        Image.from_path(path, guess_from_extension=False)


@pytest.mark.parametrize(
    ("cls", "file_name", "guessed"),
    [(Image, "clip.mp4", "video/mp4"), (Video, "photo.png", "image/png")],
)
def test_an_extension_of_the_other_media_class(cls: type[Media], file_name: str, guessed: str, tmp_path: Path) -> None:
    path = tmp_path / file_name
    path.write_bytes(b"data")
    with pytest.raises(ValueError, match=rf"{cls.__name__} requires a mime_type starting with .*got '{guessed}'"):
        cls.from_path(path)


@pytest.mark.parametrize("mime_type", ["application/pdf", "text/plain", "", "IMAGE/PNG", "imagepng"])
def test_a_mime_type_outside_image(mime_type: str) -> None:
    with pytest.raises(ValueError, match=rf"Image requires a mime_type starting with 'image/'; got '{mime_type}'"):
        Image.from_bytes(b"data", mime_type=mime_type)


@pytest.mark.parametrize("mime_type", ["application/octet-stream", "image/png", "audio/mpeg"])
def test_a_mime_type_outside_video(mime_type: str) -> None:
    with pytest.raises(ValueError, match=rf"Video requires a mime_type starting with 'video/'; got '{mime_type}'"):
        Video.from_bytes(b"data", mime_type=mime_type)


def test_a_mime_type_that_is_not_a_string() -> None:
    with pytest.raises(ValueError, match=r"Image requires a mime_type starting with 'image/'; got None"):
        Image.from_bytes(b"data", mime_type=None)  # type: ignore[arg-type]


def test_text_instead_of_bytes() -> None:
    with pytest.raises(TypeError, match=r"data must be bytes; got str"):
        Image.from_bytes("not bytes", mime_type="image/png")  # type: ignore[arg-type]


def test_something_that_is_not_a_stream() -> None:
    with pytest.raises(TypeError, match=r"stream must be a readable binary stream.*got bytes"):
        Video.from_stream(b"not a stream", mime_type="video/mp4")  # type: ignore[arg-type]
