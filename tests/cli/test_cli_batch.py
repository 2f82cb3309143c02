"""`dragoneye batch`: inputs, manifests, exit statuses and the summary."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dragoneye.cli import main
from dragoneye.cli._batch import _Plain, collect_inputs
from dragoneye.emulator import Emulator
from dragoneye.samples import SAMPLE_IMAGE, SAMPLE_VIDEO

MODEL = "recognize_anything/cli_batch"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "media"
    (root / "sub").mkdir(parents=True)
    shutil.copyfile(SAMPLE_IMAGE, root / "a.jpg")
    shutil.copyfile(SAMPLE_VIDEO, root / "sub" / "b.mp4")
    (root / "notes.txt").write_text("not media")
    return root


def test_a_folder_is_recursed_and_the_summary_printed(
    emulator: Emulator, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.parquet"
    assert main(["batch", str(folder), "--model", MODEL, "--output", str(output), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["done"], summary["failed"], summary["total"]) == (2, 0, 2)
    assert (tmp_path / "out.parquet.ledger").exists()
    names = set(pq.read_table(output)["media_name"].to_pylist())
    assert names == {str(folder / "a.jpg"), str(folder / "sub" / "b.mp4")}
    # Run again: everything is skipped, nothing is begun.
    emulator.reset_stats()
    assert main(["batch", str(folder), "--model", MODEL, "--output", str(output), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["skipped"] == 2
    assert emulator.stats.tasks_begun == 0


def test_failures_exit_1_and_are_in_the_output(
    emulator: Emulator, folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.jsonl"
    ledger = tmp_path / "elsewhere.db"
    model = "recognize_anything/m?fail=1"
    assert (
        main(["batch", str(folder / "a.jpg"), "--model", model, "--output", str(output), "--ledger", str(ledger)]) == 1
    )
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    assert [row["status"] for row in rows] == ["failed"] and "failed" in rows[0]["error"]
    assert ledger.exists()
    assert "1 failed" in capsys.readouterr().err  # the plain progress line, stderr not being a terminal


@pytest.mark.parametrize(
    "argv",
    [
        ["batch", "missing.jpg", "--model", MODEL, "--output", "out.parquet"],
        ["batch", "MEDIA", "--model", MODEL, "--output", "out.csv"],
        ["batch", "MEDIA/notes.txt", "--model", MODEL, "--output", "out.parquet"],
        ["batch", "--model", MODEL, "--output", "out.parquet"],
        ["batch", "--manifest", "missing.csv", "--model", MODEL, "--output", "out.parquet"],
    ],
)
def test_bad_usage_exits_2_before_sending_anything(
    emulator: Emulator, folder: Path, argv: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = [arg.replace("MEDIA", str(folder)) for arg in argv]
    assert main(argv) == 2
    assert emulator.stats.requests_total == 0


def test_manifests_csv_jsonl_and_plain(folder: Path, tmp_path: Path) -> None:
    image, video = str(folder / "a.jpg"), str(folder / "sub" / "b.mp4")
    (tmp_path / "m.csv").write_text(f"id,path\n1,{image}\n2,{video}\n")
    (tmp_path / "m.jsonl").write_text(json.dumps({"path": image}) + "\n\n" + json.dumps({"path": video}) + "\n")
    (tmp_path / "m.txt").write_text(f"{image}\n{video}\n{image}\n")
    for name in ("m.csv", "m.jsonl", "m.txt"):
        assert collect_inputs([], str(tmp_path / name)) == [image, video]
    assert collect_inputs([str(folder / "*.jpg")], None) == [image]


def test_plain_progress_lines_are_periodic(capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from dragoneye.batch import BatchSummary

    plain = _Plain(10, sys.stderr, interval=3600)
    plain.update(None, BatchSummary(done=1))  # type: ignore[arg-type]
    assert capsys.readouterr().err == ""
    plain.close(BatchSummary(done=9, failed=1))
    assert "10/10 finished (9 done, 1 failed" in capsys.readouterr().err
