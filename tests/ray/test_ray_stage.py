"""dragoneye.ray on a local Ray: read_binary_files -> map_batches -> write_parquet, against the emulator.

The parquet Ray writes must equal, row for row, what the local batch job
writes for the same media (task UUIDs aside: each run begins its own tasks),
and one corrupt (empty) media must give one error row while the rest succeed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dragoneye import Dragoneye
from dragoneye.batch import BlockingBatchJob
from dragoneye.emulator import Emulator, EmulatorConfig
from dragoneye.ray import DragoneyePredictor
from dragoneye.samples import SAMPLE_IMAGE

pytestmark = [pytest.mark.live, pytest.mark.ray]

MODEL = "recognize_anything/ray_stage"
IMAGES = 200
SORT = [("media_name", "ascending"), ("object_id", "ascending")]


@pytest.fixture(scope="module")
def ray_local() -> Iterator[object]:
    """A local Ray instance with 2 CPUs, started and shut down here; no usage reports, no dashboard."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        yield ray
    finally:
        ray.shutdown()


def comparable(table: pa.Table) -> pa.Table:
    """The rows sorted, without what differs between two runs (task UUIDs, error texts)."""
    return table.drop_columns(["prediction_task_uuid", "error"]).sort_by(SORT)


def test_a_ray_pipeline_writes_what_the_batch_job_writes(ray_local: object, tmp_path: Path) -> None:
    import ray

    folder = tmp_path / "media"
    folder.mkdir()
    data = Path(SAMPLE_IMAGE).read_bytes()
    for index in range(IMAGES):
        (folder / f"img{index:03d}.jpg").write_bytes(data + index.to_bytes(2, "big"))
    (folder / "corrupt.jpg").write_bytes(b"")  # a truncated download
    with Emulator(EmulatorConfig(processing_delay=0.0)) as emulator:
        stage = ray.data.read_binary_files(str(folder), include_paths=True).map_batches(
            DragoneyePredictor,
            fn_constructor_kwargs={
                "model_name": MODEL,
                "api_key": emulator.api_key,
                "base_api_url": emulator.base_url,
                "in_flight": 8,
            },
            concurrency=2,
            num_cpus=0.5,  # the actors wait on the network: let the reads have the other CPU
            batch_size=32,
            batch_format="pyarrow",
        )
        stage.write_parquet(str(tmp_path / "ray-out"))
        from_ray = pq.read_table(tmp_path / "ray-out")
        paths = sorted(set(from_ray["media_name"].to_pylist()))
        with Dragoneye(api_key=emulator.api_key, base_api_url=emulator.base_url) as client:
            job = BlockingBatchJob(
                client, MODEL, ledger=tmp_path / "job.ledger", output=tmp_path / "local.parquet", concurrency=16
            )
            with job:
                for _ in job.run(paths):
                    pass
    local = pq.read_table(tmp_path / "local.parquet")

    assert len(paths) == IMAGES + 1
    failed = from_ray.filter(pc.equal(from_ray["status"], "failed"))
    assert failed["media_name"].to_pylist() == [str(folder / "corrupt.jpg")]
    assert "empty" in failed["error"][0].as_py()
    assert from_ray.num_rows > IMAGES
    assert comparable(from_ray).equals(comparable(local.cast(from_ray.schema)))


def test_without_bytes_the_stage_opens_paths_and_uris(tmp_path: Path) -> None:
    image = tmp_path / "photo.jpg"
    image.write_bytes(Path(SAMPLE_IMAGE).read_bytes())
    (tmp_path / "notes.txt").write_text("not media")
    paths = [str(image), image.as_uri(), str(tmp_path / "notes.txt"), str(tmp_path / "missing.jpg")]
    with Emulator(EmulatorConfig(processing_delay=0.0)) as emulator:
        stage = DragoneyePredictor(MODEL, api_key=emulator.api_key, base_api_url=emulator.base_url, in_flight=2)
        try:
            rows = stage(pa.table({"path": paths}))
        finally:
            stage.close()
    assert emulator.api_key not in repr(stage)
    by_media: dict[str, set[str]] = {}
    for row in rows.to_pylist():
        by_media.setdefault(row["media_name"], set()).add(row["status"])
    assert by_media == {paths[0]: {"done"}, paths[1]: {"done"}, paths[2]: {"failed"}, paths[3]: {"failed"}}
    errors = {row["media_name"]: row["error"] for row in rows.to_pylist() if row["status"] == "failed"}
    assert "image or a video" in errors[paths[2]] and "missing.jpg" in errors[paths[3]]
    with pytest.raises(ValueError, match="no 'path' column"):
        DragoneyePredictor(MODEL, api_key="k")({"bytes": [b"x"]})
