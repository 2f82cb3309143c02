"""What `dragoneye predict` says when things go wrong: a JSON line per failed
input, the storage host's errors summarised, and retries on the progress line."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator

import pytest

from dragoneye._errors import xml_error_summary
from dragoneye.cli import main
from dragoneye.emulator import Emulator

MODEL = "recognize_anything/cli_test"
Capture = pytest.CaptureFixture[str]


@pytest.fixture
def small_uploads_only(emulator: Emulator) -> Iterator[None]:
    """The storage host refuses the sample image (15 KB) but takes the sample video (7 KB)."""
    emulator.config.upload_max_bytes = 10_000
    yield
    emulator.config.upload_max_bytes = 5 * 1024**3


@pytest.mark.usefixtures("small_uploads_only")
def test_json_has_a_line_for_every_input_in_order_failures_included(
    copies: Callable[[list[str]], list[str]], capsys: Capture
) -> None:
    files = copies(["a.mp4", "b.jpg", "c.mp4", "d.jpg"])
    assert main(["predict", *files, "--model", MODEL, "--json", "--concurrency", "3"]) == 1
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 4
    assert [line.get("original_file_name") for line in lines[::2]] == ["a.mp4", "c.mp4"]
    for line, path in zip(lines[1::2], files[1::2], strict=True):
        assert line == {
            "file": path,
            "ok": False,
            "error": {
                "type": "PredictionUploadError",
                "status_code": 400,
                "detail": "EntityTooLarge: your proposed upload exceeds the maximum allowed size",
                "message": line["error"]["message"],
            },
        }
        # The storage host's XML is summarised as Code: Message, never dumped.
        assert "<" not in line["error"]["message"] and "EntityTooLarge: " in line["error"]["message"]
    assert err.count("dragoneye: error: ") == 2
    assert "<?xml" not in err and "EntityTooLarge: " in err


@pytest.mark.usefixtures("small_uploads_only")
def test_json_failure_line_of_a_single_blocking_prediction(image: str, capsys: Capture) -> None:
    assert main(["predict", image, "--model", MODEL, "--json"]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["file"] == image and json.loads(line)["ok"] is False


@pytest.mark.parametrize(
    ("body", "summary"),
    [
        (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
            "<Message>Request has expired</Message><RequestId>1</RequestId></Error>",
            "AccessDenied: Request has expired",
        ),
        ("<Error><Code>EntityTooLarge</Code></Error>", "EntityTooLarge"),
        ("<Error><Message>a &amp; b</Message></Error>", "a & b"),
        ("<Error><Message>&quot;key&apos; &#60;&#x3e;</Message></Error>", "\"key' <>"),
        ("<html><body>Bad gateway</body></html>", None),
        ("plain text", None),
    ],
)
def test_xml_error_summary(body: str, summary: str | None) -> None:
    assert xml_error_summary(body) == summary


def test_the_progress_line_says_when_a_call_is_being_retried(
    emulator: Emulator, image: str, use_terminal: Callable[[], io.StringIO], capsys: Capture
) -> None:
    terminal = use_terminal()
    # Every GET (status checks) answers 503 once in two, asking for a 0.3 s wait.
    emulator.config.update({"error_every": 2, "error_methods": ["GET"], "error_status": 503, "retry_after": 0.3})
    try:
        assert main(["predict", image, "--model", MODEL + "?delay=0.2"]) == 0
    finally:
        emulator.config.update({"error_every": None, "error_methods": None, "retry_after": 0})
    assert "retrying 1/10: HTTP 503" in terminal.getvalue()
    assert capsys.readouterr().out.startswith("sample.jpg: image")
