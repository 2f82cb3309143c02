"""`dragoneye predict` in-process against the emulator: output, --json, --draw, errors."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageChops

from dragoneye.cli import _predict, main
from dragoneye.emulator import Emulator
from dragoneye.samples import SAMPLE_IMAGE

MODEL = "recognize_anything/cli_test"
Capture = pytest.CaptureFixture[str]


def one_error_line(err: str) -> str:
    """The single `dragoneye: error: ...` line a failure must print (and no traceback)."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dragoneye: error: "), err
    assert "Traceback" not in err
    return lines[0]


def test_predict_image_prints_objects(emulator: Emulator, image: str, capsys: Capture) -> None:
    assert main(["predict", image, "--model", MODEL]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("sample.jpg: image, ")
    assert "  1. " in out and "box (" in out and "box score" in out
    assert err == ""  # stderr is not a terminal: no progress display


def test_predict_video_prints_track_summaries(emulator: Emulator, video: str, capsys: Capture) -> None:
    assert main(["predict", video, "--model", MODEL + "?objects=3&frames=6"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("sample.mp4: video, 3 tracked objects, 6 frames at 1 fps")
    assert out.count("on screen") == 3
    assert "seen," in out and "gap frame" in out


def test_json_lines_in_input_order(
    emulator: Emulator, copies: Callable[[list[str]], list[str]], capsys: Capture
) -> None:
    names = ["a.jpg", "b.mp4", "c.jpg", "d.mp4", "e.jpg"]
    assert main(["predict", *copies(names), "--model", MODEL, "--json", "--concurrency", "3", "--fps", "2"]) == 0
    out, err = capsys.readouterr()
    documents = [json.loads(line) for line in out.splitlines()]
    assert [doc["original_file_name"] for doc in documents] == names
    assert all("frames_per_second" not in doc for doc in documents[::2])
    assert all(doc["frames_per_second"] == 2 for doc in documents[1::2])
    assert all(isinstance(doc["objects"], list) for doc in documents)
    assert err == ""


def test_json_single_file_matches_to_dict_shape(emulator: Emulator, image: str, capsys: Capture) -> None:
    assert main(["predict", image, "--model", MODEL, "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    document = json.loads(line)
    assert set(document) == {"objects", "prediction_task_uuid", "original_file_name"}
    first = document["objects"][0]
    assert len(first["bbox_observation"]["normalized_bbox"]) == 4


def test_draw_image_writes_annotated_copy(emulator: Emulator, image: str, tmp_path: Path, capsys: Capture) -> None:
    out_path = tmp_path / "annotated.png"
    assert main(["predict", image, "--model", MODEL + "?objects=3", "--draw", str(out_path)]) == 0
    assert f"annotated image: {out_path}" in capsys.readouterr().out
    with PILImage.open(out_path) as drawn, PILImage.open(SAMPLE_IMAGE) as original:
        assert drawn.format == "PNG"
        assert drawn.size == original.size
        changed = ImageChops.difference(drawn.convert("RGB"), original.convert("RGB")).convert("L")
        drawn_pixels = sum(changed.histogram()[61:])
    assert drawn_pixels > 500  # three boxes and their labels


def test_draw_image_as_jpeg(emulator: Emulator, image: str, tmp_path: Path) -> None:
    out_path = tmp_path / "annotated.jpg"
    assert main(["predict", image, "--model", MODEL, "--draw", str(out_path)]) == 0
    with PILImage.open(out_path) as drawn:
        assert (drawn.format, drawn.size) == ("JPEG", (640, 400))


def test_draw_video_writes_timeline_chart(emulator: Emulator, video: str, tmp_path: Path) -> None:
    out_path = tmp_path / "timeline.png"
    assert main(["predict", video, "--model", MODEL + "?objects=4&frames=8", "--draw", str(out_path)]) == 0
    with PILImage.open(out_path) as chart:
        assert chart.format == "PNG"
        assert chart.width == 960
        colors = chart.convert("RGB").getcolors(maxcolors=100_000) or []
    bar_color = (230, 25, 75)  # the first track's bar
    assert any(color == bar_color and count > 100 for count, color in colors)


def test_draw_into_a_directory_for_many_files(
    emulator: Emulator, copies: Callable[[list[str]], list[str]], tmp_path: Path, capsys: Capture
) -> None:
    out_dir = tmp_path / "pictures"
    files = copies(["one.jpg", "two.mp4"])
    assert main(["predict", *files, "--model", MODEL, "--draw", str(out_dir), "--json"]) == 0
    assert sorted(path.name for path in out_dir.iterdir()) == ["one-annotated.jpg", "two-timeline.png"]
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2  # stdout stays pure JSON Lines
    assert "annotated image:" in err and "timeline chart:" in err


def test_draw_without_pillow_says_how_to_install(
    emulator: Emulator, image: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Capture
) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    assert main(["predict", image, "--model", MODEL, "--draw", str(tmp_path / "x.png")]) == 2
    assert 'pip install "dragoneye-python[draw]"' in one_error_line(capsys.readouterr().err)
    assert emulator.stats.begin_calls == 0


def test_missing_file(emulator: Emulator, tmp_path: Path, capsys: Capture) -> None:
    assert main(["predict", str(tmp_path / "nope.jpg"), "--model", MODEL]) == 2
    assert "no such file" in one_error_line(capsys.readouterr().err)


def test_unknown_media_type(emulator: Emulator, tmp_path: Path, capsys: Capture) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    assert main(["predict", str(notes), "--model", MODEL]) == 2
    assert "--mime-type" in one_error_line(capsys.readouterr().err)
    assert emulator.stats.begin_calls == 0


def test_mime_type_override(emulator: Emulator, tmp_path: Path, capsys: Capture) -> None:
    blob = tmp_path / "upload.bin"
    blob.write_bytes(SAMPLE_IMAGE.read_bytes())
    assert main(["predict", str(blob), "--model", MODEL, "--mime-type", "image/jpeg", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["original_file_name"] == "upload.bin"


def test_bad_model_is_a_failure(emulator: Emulator, image: str, capsys: Capture) -> None:
    assert main(["predict", image, "--model", "not-a-model"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "sample.jpg" in line and "400" in line and "recognize_anything/" in line


def test_missing_key(emulator: Emulator, image: str, monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    monkeypatch.delenv("DRAGONEYE_API_KEY")
    assert main(["predict", image, "--model", MODEL]) == 2
    assert "--api-key" in one_error_line(capsys.readouterr().err)


def test_bad_key_is_rejected_and_never_printed(emulator: Emulator, image: str, capsys: Capture) -> None:
    secret = "sk-not-the-right-key-1234"
    assert main(["--api-key", secret, "predict", image, "--model", MODEL]) == 1
    out, err = capsys.readouterr()
    assert "rejected" in one_error_line(err)
    assert secret not in out + err
    assert emulator.stats.unauthorized >= 1


def test_timeout_exceeded(emulator: Emulator, image: str, capsys: Capture) -> None:
    assert main(["predict", image, "--model", MODEL + "?delay=5", "--timeout", "0.3"]) == 1
    assert "did not complete within 0.3" in one_error_line(capsys.readouterr().err)


def test_failed_task_in_a_batch_reports_each_file(
    emulator: Emulator, copies: Callable[[list[str]], list[str]], capsys: Capture
) -> None:
    files = copies(["x.jpg", "y.jpg"])
    assert main(["predict", *files, "--model", MODEL + "?fail=1"]) == 1
    err_lines = capsys.readouterr().err.strip().splitlines()
    assert len(err_lines) == 2
    assert "x.jpg" in err_lines[0] and "y.jpg" in err_lines[1]
    assert all("failed" in line for line in err_lines)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["predict", "a.jpg"], "required: --model"),
        (["predict", "a.jpg", "--model", MODEL, "--fps", "0"], "--fps"),
        (["predict", "a.jpg", "--model", MODEL, "--timeout", "-1"], "--timeout"),
        (["predict", "a.jpg", "--model", MODEL, "--bogus"], "--bogus"),
        (["results", "u", "--type", "audio"], "--type"),
        ([], "COMMAND"),
    ],
)
def test_usage_errors_exit_2(argv: list[str], message: str, capsys: Capture) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_help_exits_0(capsys: Capture) -> None:
    assert main(["--help"]) == 0
    assert "predict" in capsys.readouterr().out


def test_ctrl_c_exits_130(emulator: Emulator, image: str, monkeypatch: pytest.MonkeyPatch, capsys: Capture) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(_predict, "_predict_blocking", interrupted)
    assert main(["predict", image, "--model", MODEL]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err


def test_progress_is_shown_on_a_terminal(
    emulator: Emulator, image: str, use_terminal: Callable[[], io.StringIO], capsys: Capture
) -> None:
    terminal = use_terminal()
    assert main(["predict", image, "--model", MODEL + "?delay=0.4"]) == 0
    shown = terminal.getvalue()
    assert "\rsample.jpg: waiting for the prediction" in shown.replace("| ", "").replace("/ ", "").replace(
        "- ", ""
    ).replace("\\ ", "")
    assert shown.endswith("\r")  # the line is cleared before the results
    assert capsys.readouterr().out.startswith("sample.jpg: image")


def test_progress_stays_quiet_with_json(
    emulator: Emulator, image: str, use_terminal: Callable[[], io.StringIO], capsys: Capture
) -> None:
    terminal = use_terminal()
    assert main(["predict", image, "--model", MODEL + "?delay=0.3", "--json"]) == 0
    assert terminal.getvalue() == ""
