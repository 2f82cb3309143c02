"""encode_results -> decode_*_results gives back the same public objects, and the archive is as the wire says."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings

from dragoneye._results import decode_image_results, decode_video_results
from dragoneye._wire import FRAME_TIMESTAMPS_MEMBER, PREDICTIONS_MEMBER, frame_timestamps_schema, predictions_schema
from dragoneye.emulator.archive import encode_archive, encode_results
from dragoneye.models import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    ImageDetectedObject,
    VideoBboxObservation,
    VideoDetectedObject,
)

from .archive_edits import members_of, read_table, with_predictions, zip_with
from .samples import (
    image_archive,
    image_objects,
    sample_image_objects,
    sample_video_objects,
    video_archive,
    video_objects,
)


def decode_video(body: bytes, fps: str | int = "5", name: str | None = None) -> ClassificationPredictVideoResponse:
    return decode_video_results(body, prediction_task_uuid="task", original_file_name=name, frames_per_second=fps)


def decode_image(body: bytes, name: str | None = None) -> ClassificationPredictImageResponse:
    return decode_image_results(body, prediction_task_uuid="task", original_file_name=name)


# ---- round trips ----


def test_video_round_trip() -> None:
    result = decode_video(video_archive(), fps="12", name="street.mp4")
    assert result == ClassificationPredictVideoResponse(
        objects=sample_video_objects(),
        frames_per_second=12,
        frame_timestamps_microseconds=[0, 200_000, 400_000, 600_000, 1_000_000, 1_200_000],
        prediction_task_uuid="task",
        original_file_name="street.mp4",
    )


def test_video_gap_frames_have_no_observation() -> None:
    (car, _bare) = decode_video(video_archive()).objects
    assert car.bbox_observations[1] == VideoBboxObservation(timestamp_microseconds=200_000, observation=None)
    assert [o.observation is None for o in car.bbox_observations] == [False, True, False, True, False]


def test_video_values_have_python_types() -> None:
    (car, bare) = decode_video(video_archive()).objects
    observation = car.bbox_observations[0].observation
    assert observation is not None
    assert type(observation.normalized_bbox) is tuple
    assert [type(value) for value in observation.normalized_bbox] == [float] * 4
    assert type(observation.bbox_score) is float
    assert type(car.object_id) is int and type(bare.object_id) is int
    assert type(car.categories[0].attributes[0].timestamp_ranges[0].score) is float
    assert type(car.bbox_observations[0].timestamp_microseconds) is int


def test_image_round_trip() -> None:
    result = decode_image(image_archive(), name="house.jpg")
    assert result == ClassificationPredictImageResponse(
        objects=sample_image_objects(), prediction_task_uuid="task", original_file_name="house.jpg"
    )


@pytest.mark.parametrize("name", [None, "my-photo", ""])
def test_original_file_name_passes_through(name: str | None) -> None:
    assert decode_image(image_archive(), name=name).original_file_name == name
    assert decode_video(video_archive(), name=name).original_file_name == name


@pytest.mark.parametrize(("header", "fps"), [("5", 5), ("30", 30), (" 7 ", 7), (1, 1), (60, 60)])
def test_frames_per_second(header: str | int, fps: int) -> None:
    assert decode_video(video_archive(), fps=header).frames_per_second == fps


def test_frame_timestamps_come_back_sorted() -> None:
    body = encode_results(sample_video_objects(), [5, -3, 1_000_000, 0, 5])
    assert decode_video(body).frame_timestamps_microseconds == (-3, 0, 5, 5, 1_000_000)


def test_video_without_frame_timestamps_member_has_no_frames() -> None:
    body = encode_results(sample_video_objects())
    assert set(members_of(body)) == {PREDICTIONS_MEMBER}
    result = decode_video(body)
    assert result.frame_timestamps_microseconds == ()
    assert result.objects == tuple(sample_video_objects())


def test_empty_results() -> None:
    assert decode_video(encode_results([], [])).objects == ()
    assert decode_video(encode_results([], [])).frame_timestamps_microseconds == ()
    assert decode_video(encode_results([], [0, 1])).frame_timestamps_microseconds == (0, 1)
    assert decode_image(encode_results([])).objects == ()


def test_image_ignores_frame_timestamps() -> None:
    body = encode_results(sample_image_objects(), [3, 1])
    assert decode_image(body).objects == tuple(sample_image_objects())


@settings(max_examples=60, deadline=None)
@given(objects=video_objects)
def test_any_video_round_trips(objects: list[VideoDetectedObject]) -> None:
    assert decode_video(encode_results(objects, [])).objects == tuple(objects)


@settings(max_examples=60, deadline=None)
@given(objects=image_objects)
def test_any_image_round_trips(objects: list[ImageDetectedObject]) -> None:
    assert decode_image(encode_results(objects)).objects == tuple(objects)


def test_many_row_groups_and_chunks() -> None:
    objects = sample_video_objects() * 50
    table = read_table(members_of(encode_results(objects))[PREDICTIONS_MEMBER])
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, row_group_size=7)
    members = {PREDICTIONS_MEMBER: sink.getvalue().to_pybytes()}
    assert decode_video(encode_archive(members)).objects == tuple(objects)


# ---- what the encoder writes ----


def test_members_are_stored() -> None:
    for body in (video_archive(), image_archive()):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            infos = archive.infolist()
        assert infos
        assert all(info.compress_type == zipfile.ZIP_STORED for info in infos)
    with zipfile.ZipFile(io.BytesIO(video_archive())) as archive:
        assert archive.namelist() == [PREDICTIONS_MEMBER, FRAME_TIMESTAMPS_MEMBER]


def test_parquet_is_zstd_compressed() -> None:
    for data in members_of(video_archive()).values():
        metadata = pq.ParquetFile(pa.BufferReader(data)).metadata
        assert metadata.num_row_groups >= 1
        for group in range(metadata.num_row_groups):
            row_group = metadata.row_group(group)
            assert {row_group.column(i).compression for i in range(row_group.num_columns)} == {"ZSTD"}


def test_schemas_are_exactly_the_wire_schemas() -> None:
    members = members_of(video_archive())
    predictions = pq.read_schema(pa.BufferReader(members[PREDICTIONS_MEMBER]))
    assert predictions.remove_metadata().equals(predictions_schema())
    frames = pq.read_schema(pa.BufferReader(members[FRAME_TIMESTAMPS_MEMBER]))
    assert frames.remove_metadata().equals(frame_timestamps_schema())


def test_images_are_video_rows_at_timestamp_zero() -> None:
    (house, tree) = read_table(members_of(image_archive())[PREDICTIONS_MEMBER]).to_pylist()
    expected_house, _expected_tree = sample_image_objects()
    assert house["timestamp_ranges"] == [{"timestamp_start_us_inclusive": 0, "timestamp_end_us_inclusive": 0}]
    assert house["bbox_observations"] == [
        {
            "timestamp_microseconds": 0,
            "normalized_bbox": list(expected_house.bbox_observation.normalized_bbox),
            "bbox_score": expected_house.bbox_observation.bbox_score,
        }
    ]
    attributes = house["categories"][0]["attributes"]
    assert [a["timestamp_ranges"] for a in attributes] == [
        [{"timestamp_start_us_inclusive": 0, "timestamp_end_us_inclusive": 0, "score": a.score}]
        for a in expected_house.categories[0].attributes
    ]
    assert tree["categories"] == []


def test_gap_frames_are_null_box_and_null_score() -> None:
    table = read_table(members_of(video_archive())[PREDICTIONS_MEMBER])
    observations = table.column("bbox_observations").combine_chunks().flatten()
    gaps = observations.field("normalized_bbox").is_null()
    assert pc.sum(gaps).as_py() == 2
    assert gaps.equals(observations.field("bbox_score").is_null())


def test_frame_timestamps_keep_order_and_index_image_ids() -> None:
    table = read_table(members_of(encode_results([], [30, 10, 20]))[FRAME_TIMESTAMPS_MEMBER])
    assert table.to_pydict() == {"timestamp_microseconds": [30, 10, 20], "image_id": [0, 1, 2]}


def test_encoding_is_deterministic() -> None:
    assert video_archive() == video_archive()


def test_encoder_rejects_mixed_objects() -> None:
    with pytest.raises(TypeError, match="all ImageDetectedObject or all VideoDetectedObject"):
        encode_results([*sample_image_objects(), *sample_video_objects()])  # type: ignore[arg-type]


def test_encoder_rejects_a_box_of_three() -> None:
    bad = ImageDetectedObject(
        object_id=1,
        bbox_observation=BboxObservation(normalized_bbox=(0.0, 0.0, 1.0), bbox_score=0.5),  # type: ignore[arg-type]
        categories=[],
    )
    with pytest.raises(ValueError, match="normalized_bbox must have 4 numbers"):
        encode_results([bad])


# ---- what the decoder tolerates ----


def test_wider_types_are_accepted() -> None:
    """large_string, large_list, float64, int32 and a plain list for the box decode the same."""
    body = video_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    widened = pa.schema(
        [
            ("object_id", pa.int32()),
            (
                "timestamp_ranges",
                pa.large_list(
                    pa.struct(
                        [("timestamp_start_us_inclusive", pa.int64()), ("timestamp_end_us_inclusive", pa.uint64())]
                    )
                ),
            ),
            (
                "bbox_observations",
                pa.large_list(
                    pa.struct(
                        [
                            ("timestamp_microseconds", pa.int64()),
                            ("normalized_bbox", pa.list_(pa.float64())),
                            ("bbox_score", pa.float64()),
                        ]
                    )
                ),
            ),
            (
                "categories",
                pa.list_(
                    pa.struct(
                        [
                            ("category_id", pa.int64()),
                            ("name", pa.dictionary(pa.int8(), pa.string())),
                            ("score", pa.float64()),
                            (
                                "attributes",
                                pa.large_list(
                                    pa.struct(
                                        [
                                            ("attribute_id", pa.int64()),
                                            ("attribute_name", pa.large_string()),
                                            ("option_id", pa.int64()),
                                            ("option_name", pa.string()),
                                            (
                                                "timestamp_ranges",
                                                pa.list_(
                                                    pa.struct(
                                                        [
                                                            ("timestamp_start_us_inclusive", pa.int64()),
                                                            ("timestamp_end_us_inclusive", pa.int64()),
                                                            ("score", pa.float64()),
                                                        ]
                                                    )
                                                ),
                                            ),
                                        ]
                                    )
                                ),
                            ),
                        ]
                    )
                ),
            ),
        ]
    )
    rows = table.to_pylist()
    rows[1]["object_id"] = 123  # the bare object's id does not fit an int32
    expected = sample_video_objects()
    expected[1] = VideoDetectedObject(object_id=123, timestamp_ranges=[], bbox_observations=[], categories=[])
    assert decode_video(with_predictions(body, pa.Table.from_pylist(rows, schema=widened))).objects == tuple(expected)


def test_extra_columns_and_fields_are_ignored() -> None:
    body = image_archive()
    table = read_table(members_of(body)[PREDICTIONS_MEMBER])
    categories = table.column("categories").type
    category = categories.value_type
    extended = pa.list_(pa.struct([*category, pa.field("new_field", pa.string())]))
    table = table.set_column(3, "categories", table.column("categories").cast(extended))
    table = table.append_column("future", pa.array(["x", "y"]))
    assert decode_image(with_predictions(body, table)).objects == tuple(sample_image_objects())


def test_null_lists_read_as_empty() -> None:
    body = video_archive()
    rows = read_table(members_of(body)[PREDICTIONS_MEMBER]).to_pylist()
    rows[0]["categories"] = None
    rows[0]["timestamp_ranges"] = None
    rows[1]["bbox_observations"] = None
    objects = decode_video(with_predictions(body, pa.Table.from_pylist(rows, schema=predictions_schema()))).objects
    assert objects[0].categories == () and objects[0].timestamp_ranges == ()
    assert objects[0].bbox_observations == sample_video_objects()[0].bbox_observations
    assert objects[1].bbox_observations == ()


def test_deflated_archive_is_accepted() -> None:
    body = zip_with(members_of(video_archive()), compression=zipfile.ZIP_DEFLATED)
    assert decode_video(body).objects == tuple(sample_video_objects())


def test_other_parquet_compression_is_accepted() -> None:
    body = video_archive()
    sink = pa.BufferOutputStream()
    pq.write_table(read_table(members_of(body)[PREDICTIONS_MEMBER]), sink, compression="snappy")
    members = {**members_of(body), PREDICTIONS_MEMBER: sink.getvalue().to_pybytes()}
    assert decode_video(encode_archive(members)).objects == tuple(sample_video_objects())


def test_importing_the_decoder_does_not_import_pyarrow() -> None:
    code = "import sys, dragoneye._results, dragoneye; print('pyarrow' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"
