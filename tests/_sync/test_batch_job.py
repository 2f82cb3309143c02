# Generated from tests/_async/ by generator/generate.py (unasync). Do not edit.
"""BlockingBatchJob against the emulator: resume, skip, re-predict changed media, failures, the output file.

tests/_sync/ is generated from this file: every test runs with BlockingBatchJob,
and async under asyncio and trio.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from dragoneye import Dragoneye, Image
from dragoneye.batch import BlockingBatchJob, LedgerError
from dragoneye.batch._ledger import BEGINNING, Ledger
from dragoneye.samples import SAMPLE_IMAGE

MODEL = "recognize_anything/batch_job"


def make_client(emulator: Any, **options: Any) -> Dragoneye:
    return Dragoneye(
        api_key=emulator.api_key, base_api_url=emulator.base_url, backoff_jitter=lambda bound: 0.0, **options
    )


def images(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    data = Path(SAMPLE_IMAGE).read_bytes()
    paths = []
    for index in range(count):
        path = folder / f"img{index}.jpg"
        path.write_bytes(data + bytes([index]))
        paths.append(path)
    return paths


def run_job(
    emulator: Any, paths: list[Any], tmp_path: Path, client_options: dict[str, Any] | None = None, **kwargs: Any
) -> tuple[list[Any], Any]:
    kwargs.setdefault("output", tmp_path / "out.parquet")
    with make_client(emulator, **(client_options or {})) as client:
        job = BlockingBatchJob(client, MODEL, ledger=tmp_path / "job.ledger", concurrency=4, **kwargs)
        with job:
            items = [item for item in job.run(paths)]
    return items, job.summary


def test_a_rerun_skips_finished_media_and_the_output_holds_each_once(dragoneye_emulator: Any, tmp_path: Path) -> None:
    paths = images(tmp_path / "media", 6)
    items, summary = run_job(dragoneye_emulator, paths, tmp_path)
    assert sorted(item.name for item in items) == sorted(str(path) for path in paths)
    assert all(item.ok and item.result is not None for item in items)
    assert (summary.done, summary.failed, summary.skipped) == (6, 0, 0)
    first = pq.read_table(tmp_path / "out.parquet")

    items, summary = run_job(dragoneye_emulator, paths, tmp_path)
    assert items == []
    assert (summary.done, summary.skipped) == (0, 6)
    assert dragoneye_emulator.stats.tasks_begun == 6
    again = pq.read_table(tmp_path / "out.parquet")
    assert again.sort_by("prediction_task_uuid").equals(first.sort_by("prediction_task_uuid"))
    assert len(set(again["media_name"].to_pylist())) == 6
    assert sum(item.result is not None for item in items) == 0


def test_a_task_begun_before_a_crash_is_followed_not_begun_again(dragoneye_emulator: Any, tmp_path: Path) -> None:
    paths = images(tmp_path / "media", 3)
    # A run that was killed right after its first begin, and one with a begin in flight.
    ledger = Ledger(tmp_path / "job.ledger", model_name=MODEL, frames_per_second=1)
    entries, _ = ledger.plan([Image.from_path(path, name=str(path)) for path in paths], retry_failed=False)
    with make_client(dragoneye_emulator) as client:
        begun = client.classification._begin(entries[0].media, None, None)
    ledger.beginning(entries[0].id, "pending")
    ledger.begun(entries[0].id, begun.prediction_task_uuid, begun.signed_urls[0].to_dict())
    ledger.beginning(entries[1].id, "pending")
    assert ledger.counts()[BEGINNING] == 1
    ledger.close()

    items, summary = run_job(dragoneye_emulator, paths, tmp_path)
    by_name = {item.name: item for item in items}
    assert by_name[str(paths[0])].result.prediction_task_uuid == begun.prediction_task_uuid
    assert dragoneye_emulator.stats.tasks_begun == 3
    assert summary.begun_again == 1  # the begin in flight at the "crash"
    assert summary.done == 3


def test_a_media_changed_since_its_row_is_predicted_again(dragoneye_emulator: Any, tmp_path: Path) -> None:
    paths = images(tmp_path / "media", 3)
    items, _ = run_job(dragoneye_emulator, paths, tmp_path)
    old_uuid = {item.name: item.result.prediction_task_uuid for item in items}
    paths[1].write_bytes(paths[1].read_bytes() + b"changed")

    items, summary = run_job(dragoneye_emulator, paths, tmp_path)
    assert [item.name for item in items] == [str(paths[1])]
    assert (summary.done, summary.skipped) == (1, 2)
    table = pq.read_table(tmp_path / "out.parquet")
    uuids = {
        name: uuid
        for name, uuid in zip(table["media_name"].to_pylist(), table["prediction_task_uuid"].to_pylist(), strict=True)
    }
    assert uuids[str(paths[1])] == items[0].result.prediction_task_uuid != old_uuid[str(paths[1])]
    assert uuids[str(paths[0])] == old_uuid[str(paths[0])]


def test_failed_media_are_listed_and_retried_only_when_asked(dragoneye_emulator: Any, tmp_path: Path) -> None:
    paths = images(tmp_path / "media", 3)
    dragoneye_emulator.config.fail_tasks = True
    items, summary = run_job(dragoneye_emulator, paths, tmp_path, output=tmp_path / "out.jsonl")
    assert summary.failed == 3 and not any(item.ok for item in items)
    assert all("failed_prediction" in (item.error or "") for item in items)
    lines = (tmp_path / "out.jsonl").read_text().splitlines()
    assert len(lines) == 3 and all('"status": "failed"' in line for line in lines)

    dragoneye_emulator.config.fail_tasks = False
    items, summary = run_job(dragoneye_emulator, paths, tmp_path, output=tmp_path / "out.jsonl")
    assert (len(items), summary.skipped) == (0, 3)
    items, summary = run_job(dragoneye_emulator, paths, tmp_path, output=tmp_path / "out.jsonl", retry_failed=True)
    assert summary.done == 3 and all(item.ok for item in items)
    assert '"status": "failed"' not in (tmp_path / "out.jsonl").read_text()
    # Their tasks had failed on the server: each was begun anew.
    assert (summary.recovered, dragoneye_emulator.stats.tasks_begun) == (0, 6)


def test_a_retried_media_whose_task_had_finished_gets_its_results_without_a_new_task(
    dragoneye_emulator: Any, tmp_path: Path
) -> None:
    paths = images(tmp_path / "media", 3)
    # The first run gives up on each media after its task finished: the results exceed its client's budget.
    items, summary = run_job(dragoneye_emulator, paths, tmp_path, client_options={"max_result_values": 1})
    assert summary.failed == 3 and all("max_result_values" in (item.error or "") for item in items)
    tasks = {item.name: item.rows["prediction_task_uuid"][0].as_py() for item in items}

    items, summary = run_job(dragoneye_emulator, paths, tmp_path, retry_failed=True)
    assert (summary.done, summary.recovered) == (3, 3)
    assert {item.name: item.result.prediction_task_uuid for item in items} == tasks
    assert dragoneye_emulator.stats.tasks_begun == 3
    assert pq.read_table(tmp_path / "out.parquet")["status"].to_pylist() == ["done"] * len(
        pq.read_table(tmp_path / "out.parquet")
    )


def test_a_retried_media_whose_task_the_api_does_not_know_is_begun_anew(
    dragoneye_emulator: Any, tmp_path: Path
) -> None:
    paths = images(tmp_path / "media", 2)
    run_job(dragoneye_emulator, paths, tmp_path, client_options={"max_result_values": 1})
    with contextlib.closing(sqlite3.connect(tmp_path / "job.ledger")) as db, db:
        db.execute("UPDATE media SET task_uuid = ?", (str(uuid.uuid4()),))

    _, summary = run_job(dragoneye_emulator, paths, tmp_path, retry_failed=True)
    assert (summary.done, summary.recovered) == (2, 0)
    assert dragoneye_emulator.stats.tasks_begun == 4


def test_bad_jobs_are_refused(dragoneye_emulator: Any, tmp_path: Path) -> None:
    paths = images(tmp_path / "media", 1)
    run_job(dragoneye_emulator, paths, tmp_path)
    with make_client(dragoneye_emulator) as client:
        with pytest.raises(LedgerError, match="model_name"):
            with BlockingBatchJob(client, "recognize_anything/another", ledger=tmp_path / "job.ledger"):
                pass
        with pytest.raises(ValueError, match="concurrency"):
            BlockingBatchJob(client, MODEL, ledger=tmp_path / "x.ledger", concurrency=0)
        with BlockingBatchJob(client, MODEL, ledger=tmp_path / "job.ledger") as job:
            stream = Image.from_stream(io.BytesIO(b"x"), mime_type="image/jpeg", name="s")
            with pytest.raises(ExceptionGroup) as raised:
                for _ in job.run([stream]):
                    pass
            assert raised.group_contains(ValueError, match="stream")


def test_closing_the_iterator_early_stops_the_job_and_a_rerun_finishes_it(
    dragoneye_emulator: Any, tmp_path: Path
) -> None:
    paths = images(tmp_path / "media", 6)
    with make_client(dragoneye_emulator) as client:
        job = BlockingBatchJob(
            client, MODEL, ledger=tmp_path / "job.ledger", output=tmp_path / "out.parquet", concurrency=2
        )
        with job, contextlib.closing(job.run(paths)) as items:
            for _ in items:
                break
    assert job.summary.done >= 1
    _, summary = run_job(dragoneye_emulator, paths, tmp_path)
    assert summary.skipped + summary.done == 6
    table = pq.read_table(tmp_path / "out.parquet")
    assert len(set(table["media_name"].to_pylist())) == 6
    assert dragoneye_emulator.stats.tasks_begun <= 6 + 2  # at most the begins in flight when it stopped
