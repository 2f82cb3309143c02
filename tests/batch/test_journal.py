"""The ledger's journal read at the end of a job, and the compact set of media written."""

from __future__ import annotations

import sqlite3
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from dragoneye.batch import _ledger
from dragoneye.batch._ledger import Ledger
from dragoneye.batch._output import MediaIds


def _journalled(path: Path, count: int) -> Ledger:
    ledger = Ledger(path, model_name="m", frames_per_second=1)
    for media_id in range(1, count + 1):
        ledger.finish(media_id, f"rows of {media_id}".encode(), None)
    return ledger


def test_the_journal_yields_every_media_but_those_skipped_and_never_reads_their_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_ledger, "_ID_PAGE", 4)  # several pages of ids, several chunks of rows per page
    ledger = _journalled(tmp_path / "job.ledger", 23)
    read: list[str] = []
    ledger._db.set_trace_callback(read.append)
    skip = {2, 3, 4, 5, 9, 17, 23}
    journal = list(ledger.journal(skip=skip, batch=2))
    assert journal == [(media_id, f"rows of {media_id}".encode()) for media_id in range(1, 24) if media_id not in skip]
    rows_read = {
        int(number)
        for statement in read
        if statement.startswith("SELECT media_id, rows")
        for number in statement.split("IN (")[1].split(")")[0].split(",")
    }
    assert rows_read == set(range(1, 24)) - skip
    assert list(ledger.journal()) == [(media_id, f"rows of {media_id}".encode()) for media_id in range(1, 24)]
    ledger.close()


def test_media_that_cannot_be_marked_finished_leave_no_rows_journalled(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "job.ledger", model_name="m", frames_per_second=1)
    unbindable: Any = object()  # the UPDATE that marks the media fails after the rows were inserted
    with pytest.raises(sqlite3.ProgrammingError):
        ledger.finish_many([(1, b"rows", None), (2, b"rows", unbindable)])
    assert list(ledger.journal()) == []
    ledger.finish_many([(1, b"rows", None)])  # the ledger is usable after the rollback
    assert list(ledger.journal()) == [(1, b"rows")]
    ledger.close()


def test_media_ids_hold_what_was_added() -> None:
    ids = MediaIds()
    for media_id in (1, 8, 9, 1000, 70_001):
        ids.add(media_id)
    assert [media_id for media_id in range(80_000) if media_id in ids] == [1, 8, 9, 1000, 70_001]
    assert "1" not in ids and -1 not in ids and 10**9 not in ids
    with pytest.raises(ValueError, match="never negative"):
        ids.add(-3)


def test_media_ids_take_a_bit_each() -> None:
    tracemalloc.start()
    try:
        ids = MediaIds()
        for media_id in range(1, 200_001):
            ids.add(media_id)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 199_999 in ids and 200_000 in ids and 200_001 not in ids
    assert peak < 100_000  # 25 kB of bits, at most doubled while growing; a set of these ints takes about 15 MB
