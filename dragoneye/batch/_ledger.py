"""The ledger: one SQLite row per media, so a batch job survives a crash.

A row holds the media's key (its absolute path, or `name:` and its name), its
size, mtime and SHA-256, its state, the task it was begun as (and where to
upload it), its attempts and its error. A finished media's result rows (Arrow
IPC, the batch output's schema) are journalled in the same transaction that
marks it done or failed, so a result is never lost and never kept twice.

States: pending -> beginning -> begun -> uploaded -> predicting -> done | failed.
`beginning` is written before the begin call: a row still in it after a crash
had a begin in flight, and beginning it again is counted as a possible double
begin. A failed media retried keeps its task (`retrying`): if that task finished
after all, its results are fetched rather than a new task begun.
WAL with synchronous=NORMAL: each commit survives a killed process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Container, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..types.media import Image, Video

PENDING = "pending"
BEGINNING = "beginning"
BEGUN = "begun"
UPLOADED = "uploaded"
PREDICTING = "predicting"
DONE = "done"
FAILED = "failed"
RETRYING = "retrying"
STATES = (PENDING, BEGINNING, BEGUN, UPLOADED, PREDICTING, DONE, FAILED, RETRYING)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    size INTEGER,
    mtime_ns INTEGER,
    sha256 TEXT NOT NULL,
    state TEXT NOT NULL,
    task_uuid TEXT,
    upload TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    begins INTEGER NOT NULL DEFAULT 0,
    begun_again INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS results (media_id INTEGER PRIMARY KEY, rows BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS job (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_HASH_CHUNK = 1 << 20
_ID_PAGE = 8192


class LedgerError(ValueError):
    """The ledger cannot serve this job (another model, another fps, not a ledger)."""


@attrs.frozen
class Entry:
    """A media to work on, with what the ledger knows of it."""

    id: int
    media: Image | Video
    state: str
    task_uuid: str | None
    upload: dict[str, Any] | None


class Ledger:
    """The SQLite ledger of one batch job; safe to share between threads."""

    def __init__(self, path: str | os.PathLike[str], *, model_name: str, frames_per_second: int) -> None:
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise LedgerError(f"{self.path} is not a usable ledger: {exc}") from exc
        self._lock = threading.Lock()
        self._check_job({"model_name": model_name, "frames_per_second": str(frames_per_second)})

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    def _check_job(self, settings: dict[str, str]) -> None:
        with self._transaction():
            for key, value in settings.items():
                row = self._db.execute("SELECT value FROM job WHERE key = ?", (key,)).fetchone()
                if row is None:
                    self._db.execute("INSERT INTO job VALUES (?, ?)", (key, value))
                elif row[0] != value:
                    raise LedgerError(
                        f"the ledger {self.path} belongs to a job with {key}={row[0]!r}, not {value!r};"
                        " use another --ledger (or output) for a different job"
                    )

    # ---- planning ----

    def plan(self, media: Sequence[Image | Video], *, retry_failed: bool) -> tuple[list[Entry], int]:
        """Register `media`; return the entries still to work on, and how many were already finished.

        A media whose content changed since its row was written starts over.
        """
        keys = [_key(item) for item in media]
        known = self._known(keys)
        # Files are read (stat, hash) before the lock is taken, and the chunk is
        # written in one transaction: the event loop's own ledger writes wait on the lock.
        checked = [(item, key, self._checked(item, known.get(key))) for item, key in zip(media, keys, strict=True)]
        todo: list[Entry] = []
        finished = 0
        with self._transaction():
            for item, key, found in checked:
                row = self._register(item, key, known.get(key), found, retry_failed=retry_failed)
                if row["state"] in (DONE, FAILED):
                    finished += 1
                    continue
                upload = json.loads(row["upload"]) if row["upload"] else None
                todo.append(Entry(row["id"], item, row["state"], row["task_uuid"], upload))
        return todo, finished

    def _register(
        self,
        item: Image | Video,
        key: str,
        row: dict[str, Any] | None,
        found: tuple[int | None, int | None, str],
        *,
        retry_failed: bool,
    ) -> dict[str, Any]:
        """The media's row after planning: new, reset if its content changed, or as it was.

        `found` is what `_checked` found of the file: size, mtime and sha256.
        """
        size, mtime_ns, digest = found
        if row is None or row["sha256"] != digest:
            row = self._reset(key=key, item=item, size=size, mtime_ns=mtime_ns, digest=digest, row=row)
        elif row["size"] != size or row["mtime_ns"] != mtime_ns:
            self._db.execute("UPDATE media SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, row["id"]))
        if row["state"] == FAILED and retry_failed:
            state = RETRYING if row["task_uuid"] else PENDING
            self._db.execute("DELETE FROM results WHERE media_id = ?", (row["id"],))
            self._db.execute("UPDATE media SET state = ?, error = NULL WHERE id = ?", (state, row["id"]))
            row = {**row, "state": state}
        return row

    @staticmethod
    def _checked(item: Image | Video, row: dict[str, Any] | None) -> tuple[int | None, int | None, str]:
        """The media's size, mtime and sha256; an unchanged file's stored hash is trusted, not recomputed."""
        size, mtime_ns = _stat(item)
        if row is not None and row["size"] == size and row["mtime_ns"] == mtime_ns and mtime_ns is not None:
            return size, mtime_ns, str(row["sha256"])
        return size, mtime_ns, _sha256(item)

    def _known(self, keys: list[str]) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                cursor = self._db.execute(
                    f"SELECT id, key, size, mtime_ns, sha256, state, task_uuid, upload FROM media"
                    f" WHERE key IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                columns = [column[0] for column in cursor.description]
                for values in cursor:
                    row = dict(zip(columns, values, strict=True))
                    found[row["key"]] = row
        return found

    def _reset(
        self,
        *,
        key: str,
        item: Image | Video,
        size: int | None,
        mtime_ns: int | None,
        digest: str,
        row: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """A new row, or a changed media's row set back to pending (its old result dropped)."""
        kind = "video" if isinstance(item, Video) else "image"
        name = item.name or key
        if row is None:
            cursor = self._db.execute(
                "INSERT INTO media (key, name, kind, size, mtime_ns, sha256, state, updated)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, name, kind, size, mtime_ns, digest, PENDING, time.time()),
            )
            media_id = cursor.lastrowid
        else:
            media_id = row["id"]
            self._db.execute("DELETE FROM results WHERE media_id = ?", (media_id,))
            self._db.execute(
                "UPDATE media SET name = ?, kind = ?, size = ?, mtime_ns = ?, sha256 = ?, state = ?,"
                " task_uuid = NULL, upload = NULL, error = NULL, updated = ? WHERE id = ?",
                (name, kind, size, mtime_ns, digest, PENDING, time.time(), media_id),
            )
        return {"id": media_id, "state": PENDING, "task_uuid": None, "upload": None}

    # ---- progress of one media ----

    def beginning(self, media_id: int, state: str) -> bool:
        """Record that a begin is about to be sent; True if one was in flight at a crash."""
        again = state == BEGINNING
        self._write(
            "UPDATE media SET state = ?, attempts = attempts + 1, begins = begins + 1,"
            " begun_again = begun_again + ?, updated = ? WHERE id = ?",
            (BEGINNING, int(again), time.time(), media_id),
        )
        return again

    def begun(self, media_id: int, task_uuid: str, upload: dict[str, Any]) -> None:
        """Record the task a begin created, and where to upload its media."""
        self._write(
            "UPDATE media SET state = ?, task_uuid = ?, upload = ?, updated = ? WHERE id = ?",
            (BEGUN, task_uuid, json.dumps(upload), time.time(), media_id),
        )

    def advance(self, media_id: int, state: str) -> None:
        """Record that the media reached `state` (uploaded, predicting)."""
        self._write("UPDATE media SET state = ?, updated = ? WHERE id = ?", (state, time.time(), media_id))

    def resumed(self, media_id: int) -> None:
        """Count one more attempt at a media begun before."""
        self._write("UPDATE media SET attempts = attempts + 1 WHERE id = ?", (media_id,))

    def finish(self, media_id: int, rows: bytes, error: str | None) -> None:
        """Journal the media's result rows and mark it done (or failed), in one transaction."""
        self.finish_many([(media_id, rows, error)])

    def finish_many(self, finished: Sequence[tuple[int, bytes, str | None]]) -> None:
        """`finish` each (media id, result rows, error), all in one transaction."""
        now = time.time()
        with self._transaction():
            self._db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", [item[:2] for item in finished])
            self._db.executemany(
                "UPDATE media SET state = ?, error = ?, updated = ? WHERE id = ?",
                [(DONE if error is None else FAILED, error, now, media_id) for media_id, _, error in finished],
            )

    def _write(self, sql: str, parameters: tuple[Any, ...]) -> None:
        with self._lock:
            self._db.execute(sql, parameters)  # one statement: a transaction of its own

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        """Hold the lock and run the block as one transaction.

        The connection autocommits (isolation_level=None), and there `with
        connection:` begins nothing: each statement would commit on its own.
        """
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # ---- reading ----

    def counts(self) -> dict[str, int]:
        """Media per state, and `begun_again`: begins repeated after a crash."""
        with self._lock:
            counts = dict.fromkeys(STATES, 0)
            counts.update(self._db.execute("SELECT state, COUNT(*) FROM media GROUP BY state").fetchall())
            counts["begun_again"] = self._db.execute("SELECT COALESCE(SUM(begun_again), 0) FROM media").fetchone()[0]
        return counts

    def task_uuid(self, media_id: int) -> str | None:
        """The task the media was last begun as, if any."""
        with self._lock:
            row = self._db.execute("SELECT task_uuid FROM media WHERE id = ?", (media_id,)).fetchone()
        return None if row is None else row[0]

    def journal(self, skip: Container[int] = (), batch: int = 256) -> Iterator[tuple[int, bytes]]:
        """Every finished media's id and result rows, in the order the media were first
        seen, but those in `skip` (whose rows are never read)."""
        last = 0
        while True:
            with self._lock:
                ids = [
                    media_id
                    for (media_id,) in self._db.execute(
                        "SELECT media_id FROM results WHERE media_id > ? ORDER BY media_id LIMIT ?", (last, _ID_PAGE)
                    )
                ]
            if not ids:
                return
            last = ids[-1]
            wanted = [media_id for media_id in ids if media_id not in skip]
            for start in range(0, len(wanted), batch):
                chunk = wanted[start : start + batch]
                with self._lock:
                    rows = self._db.execute(
                        f"SELECT media_id, rows FROM results WHERE media_id IN ({', '.join('?' * len(chunk))})"
                        " ORDER BY media_id",
                        chunk,
                    ).fetchall()
                yield from rows


def _key(item: Image | Video) -> str:
    path = item.path
    return str(path.resolve()) if path is not None else f"name:{item.name}"


def _stat(item: Image | Video) -> tuple[int | None, int | None]:
    path = item.path
    if path is None:
        return item.size(), None
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _sha256(item: Image | Video) -> str:
    digest = hashlib.sha256()
    with item.open() as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
