"""The real programs in subprocesses: the `dragoneye` console script, its
`emulator` subcommand, Ctrl-C, and `python -m dragoneye.demo`."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dragoneye.cli import main
from dragoneye.emulator import Emulator

MODEL = "recognize_anything/cli_test"
SCRIPT = Path(sys.executable).with_name("dragoneye")
LISTENING = re.compile(r"^Dragoneye emulator listening on (http://127\.0\.0\.1:\d+)$")

needs_script = pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed (pip install -e .)")


def environment(emulator: Emulator) -> dict[str, str]:
    return dict(os.environ, DRAGONEYE_BASE_URL=emulator.base_url, DRAGONEYE_API_KEY=emulator.api_key)


@needs_script
def test_console_script_predicts(emulator: Emulator, image: str, video: str) -> None:
    run = subprocess.run(
        [str(SCRIPT), "predict", image, video, "--model", MODEL, "--json"],
        env=environment(emulator),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    documents = [json.loads(line) for line in run.stdout.splitlines()]
    assert [doc["original_file_name"] for doc in documents] == ["sample.jpg", "sample.mp4"]
    assert run.stderr == ""


@needs_script
def test_console_script_error_is_one_line(emulator: Emulator, tmp_path: Path) -> None:
    run = subprocess.run(
        [str(SCRIPT), "predict", str(tmp_path / "missing.jpg"), "--model", MODEL],
        env=environment(emulator),
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("dragoneye: error: no such file") and run.stderr.count("\n") == 1


# A run started in the background inherits SIGINT ignored, and Python keeps it so:
# the child restores the handler a terminal would give it, then runs the CLI.
_WITH_CTRL_C = (
    "import runpy, signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "sys.argv[0] = 'dragoneye'; runpy.run_module('dragoneye.cli', run_name='__main__')"
)


def test_ctrl_c_while_waiting_exits_130(emulator: Emulator, image: str, video: str) -> None:
    for files in ([image], [image, video]):  # the blocking client, then the async batch
        emulator.reset_stats()
        process = subprocess.Popen(
            [sys.executable, "-c", _WITH_CTRL_C, "predict", *files, "--model", MODEL + "?delay=30"],
            env={**environment(emulator), "PYTHONFAULTHANDLER": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 20
        while emulator.stats.predictions_started < len(files) and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGINT)
        try:
            out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:  # show where it hangs (faulthandler dumps every thread on SIGABRT)
            process.send_signal(signal.SIGABRT)
            out, err = process.communicate()
            pytest.fail(f"no exit 20 s after Ctrl-C ({emulator.stats.predictions_started} started):\n{err}")
        assert process.returncode == 130, err
        assert "interrupted" in err and "Traceback" not in err
        assert out == ""


def test_emulator_subcommand_prints_its_url(image: str, capsys: pytest.CaptureFixture[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "dragoneye.cli", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        match = LISTENING.match(line)
        assert match, line
        argv = ["--base-url", match.group(1), "--api-key", "emulator-key", "predict", image, "--model", MODEL, "--json"]
        assert main(argv) == 0
        assert json.loads(capsys.readouterr().out)["original_file_name"] == "sample.jpg"
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def run_demo(cwd: Path, *python_args: str) -> subprocess.CompletedProcess[str]:
    """The demo in a fresh interpreter, in `cwd`, with no DRAGONEYE_ variable set."""
    return subprocess.run(
        [sys.executable, *(python_args or ("-m", "dragoneye.demo"))],
        cwd=cwd,
        env={key: value for key, value in os.environ.items() if not key.startswith("DRAGONEYE_")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_demo_runs_in_a_few_seconds(tmp_path: Path) -> None:
    started = time.monotonic()
    run = run_demo(tmp_path)
    elapsed = time.monotonic() - started
    assert run.returncode == 0, run.stderr
    assert "$ dragoneye predict" in run.stdout
    assert "sample.jpg: image, 4 objects" in run.stdout and "sample.mp4: video, 4 tracked objects" in run.stdout
    # The samples' fixtures: what is really in them, and a line saying where the predictions come from.
    assert "come from the emulator's fixtures" in run.stdout
    for name in ("House (detached)", "Garage (detached)", "Car", "Tree"):
        assert run.stdout.count(f". {name} 0.") == 2, name  # in the image and in the video
    assert f"annotated image: demo-output{os.sep}sample-annotated.jpg" in run.stdout
    assert (tmp_path / "demo-output" / "sample-annotated.jpg").stat().st_size > 0
    assert (tmp_path / "demo-output" / "sample-timeline.png").stat().st_size > 0
    assert "emulator-key" not in run.stdout + run.stderr
    assert elapsed < 15


DEV_ONLY = ["pytest", "mypy", "ruff", "hypothesis", "openapi_python_client", "unasync", "vcr", "trio", "mkdocs"]


def test_the_demo_needs_only_the_emulator_and_draw_extras(tmp_path: Path) -> None:
    """`make demo` installs `.[emulator,draw]` alone: the demo must not import a dev tool."""
    blocked = f"import sys; sys.modules.update(dict.fromkeys({DEV_ONLY!r}))"
    run = run_demo(tmp_path, "-c", f"{blocked}; import runpy; runpy.run_module('dragoneye.demo', run_name='__main__')")
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "demo-output" / "sample-timeline.png").stat().st_size > 0
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert 'uv pip install --quiet --python $(DEMO_VENV)/bin/python ".[emulator,draw]"' in makefile
