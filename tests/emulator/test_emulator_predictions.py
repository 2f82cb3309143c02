"""Deterministic predictions: shapes of images and videos, knobs, and the archive round trip."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest

from dragoneye.emulator import EmulatorConfig
from dragoneye.emulator.model_name import ModelOptions, parse_model_name
from dragoneye.emulator.predictions import GenerationParams, generate
from dragoneye.emulator.results import build_archive
from dragoneye.emulator.taxonomy import CATEGORIES
from dragoneye.emulator.tracks import GeneratedResults
from dragoneye.models import VideoDetectedObject

from .helpers import SpecCheckedClient, read_archive, run_prediction

VIDEO = GenerationParams("video", frame_count=30, frames_per_second=1)


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _videos(seeds: range, params: GenerationParams = VIDEO) -> list[GeneratedResults]:
    return [generate(_digest(str(seed).encode()), params) for seed in seeds]


def test_same_media_same_results_over_the_wire(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    _, first = run_prediction(client, storage, b"media one", "video/mp4")
    _, again = run_prediction(client, storage, b"media one", "video/mp4")
    _, other = run_prediction(client, storage, b"media two", "video/mp4")
    assert first.content == again.content
    assert read_archive(first.content) != read_archive(other.content)


def test_same_digest_same_objects() -> None:
    params = GenerationParams("image")
    assert generate(_digest(b"a"), params).image_objects() == generate(_digest(b"a"), params).image_objects()
    assert generate(_digest(b"a"), params).image_objects() != generate(_digest(b"b"), params).image_objects()


@pytest.mark.parametrize("seed", range(20))
def test_image_shape(seed: int) -> None:
    objects = generate(_digest(str(seed).encode()), GenerationParams("image")).image_objects()
    assert 2 <= len(objects) <= 5
    assert len({obj.object_id for obj in objects}) == len(objects)
    names = {category.name for category in CATEGORIES}
    for obj in objects:
        x1, y1, x2, y2 = obj.bbox_observation.normalized_bbox
        assert 0 <= x1 < x2 <= 1
        assert 0 <= y1 < y2 <= 1
        assert 0 < obj.bbox_observation.bbox_score <= 1
        assert 1 <= len(obj.categories) <= 3
        scores = [category.score for category in obj.categories]
        assert scores == sorted(scores, reverse=True)
        for category in obj.categories:
            assert category.name in names
            assert 1 <= len(category.attributes) <= 3
            assert len({attribute.attribute_id for attribute in category.attributes}) == len(category.attributes)


def test_image_archive_rows_are_video_shaped_at_timestamp_zero() -> None:
    rows, frames = read_archive(build_archive(_digest(b"img"), GenerationParams("image")))
    assert frames is None
    for row in rows:
        assert row["timestamp_ranges"] == [{"timestamp_start_us_inclusive": 0, "timestamp_end_us_inclusive": 0}]
        assert len(row["bbox_observations"]) == 1
        assert row["bbox_observations"][0]["timestamp_microseconds"] == 0
        for category in row["categories"]:
            for attribute in category["attributes"]:
                (only,) = attribute["timestamp_ranges"]
                assert (only["timestamp_start_us_inclusive"], only["timestamp_end_us_inclusive"]) == (0, 0)


def test_video_archive_matches_the_objects_exactly() -> None:
    results = generate(_digest(b"video"), VIDEO)
    rows, frames = read_archive(build_archive(_digest(b"video"), VIDEO))
    assert frames == results.frame_timestamps
    expected = []
    for obj in results.video_objects():
        data = obj.to_dict()
        data["bbox_observations"] = [
            {
                "timestamp_microseconds": sighting["timestamp_microseconds"],
                "normalized_bbox": None
                if sighting["observation"] is None
                else sighting["observation"]["normalized_bbox"],
                "bbox_score": None if sighting["observation"] is None else sighting["observation"]["bbox_score"],
            }
            for sighting in data["bbox_observations"]
        ]
        expected.append(data)
    assert rows == expected  # every float is exact in float32


def _tracks(results: GeneratedResults) -> list[VideoDetectedObject]:
    return results.video_objects()


@pytest.mark.parametrize("results", _videos(range(12)), ids=lambda _: "video")
def test_video_shape(results: GeneratedResults) -> None:
    frames = results.frame_timestamps
    assert frames == [index * 1_000_000 for index in range(30)]
    frame_set = set(frames)
    objects = _tracks(results)
    assert 3 <= len(objects) <= 8
    covered: set[int] = set()
    gap_count = 0
    changing = 0
    for obj in objects:
        lifespan = {
            ts
            for span in obj.timestamp_ranges
            for ts in frames
            if span.timestamp_start_us_inclusive <= ts <= span.timestamp_end_us_inclusive
        }
        sightings = [sighting.timestamp_microseconds for sighting in obj.bbox_observations]
        assert sightings == sorted(lifespan), "one observation per frame of the lifespan"
        assert set(sightings) <= frame_set
        covered |= set(sightings)
        assert obj.bbox_observations[0].observation is not None
        assert obj.bbox_observations[-1].observation is not None
        for sighting in obj.bbox_observations:
            if sighting.observation is None:
                gap_count += 1
                continue
            x1, y1, x2, y2 = sighting.observation.normalized_bbox
            assert 0 <= x1 < x2 <= 1
            assert 0 <= y1 < y2 <= 1
        for category in obj.categories:
            options = Counter(attribute.attribute_id for attribute in category.attributes)
            changing += sum(1 for count in options.values() if count > 1)
            for attribute in category.attributes:
                for span in attribute.timestamp_ranges:
                    assert span.timestamp_start_us_inclusive <= span.timestamp_end_us_inclusive
                    assert span.timestamp_start_us_inclusive in lifespan
                    assert span.timestamp_end_us_inclusive in lifespan
            # At every frame of the lifespan, each attribute has exactly one option.
            for attribute_id in options:
                for ts in lifespan:
                    holding = [
                        attribute
                        for attribute in category.attributes
                        if attribute.attribute_id == attribute_id
                        and any(
                            span.timestamp_start_us_inclusive <= ts <= span.timestamp_end_us_inclusive
                            for span in attribute.timestamp_ranges
                        )
                    ]
                    assert len(holding) == 1
    assert gap_count >= 1, "gap frames (null box and score) are present"
    assert changing >= 1, "an attribute changes option over time"
    assert frame_set - covered, "some frames have no detection at all"
    assert frames[0] not in covered and frames[-1] not in covered


def test_gap_frames_are_null_on_the_wire() -> None:
    rows, _ = read_archive(build_archive(_digest(b"gaps"), VIDEO))
    gaps = [obs for row in rows for obs in row["bbox_observations"] if obs["normalized_bbox"] is None]
    assert gaps
    assert all(obs["bbox_score"] is None for obs in gaps)


def test_knobs_shape_the_result() -> None:
    params = GenerationParams("video", objects=7, frame_count=50, frames_per_second=5, categories=2, attributes=4)
    results = generate(_digest(b"knobs"), params)
    assert results.frame_timestamps == [index * 200_000 for index in range(50)]
    objects = results.video_objects()
    assert len(objects) == 7
    for obj in objects:
        assert len(obj.categories) == 2
        for category in obj.categories:
            assert len({attribute.attribute_id for attribute in category.attributes}) == 4


def test_many_attributes_and_categories_are_filled() -> None:
    params = GenerationParams("image", objects=1, categories=40, attributes=15)
    (obj,) = generate(_digest(b"many"), params).image_objects()
    assert len(obj.categories) == len(CATEGORIES)
    assert all(len(category.attributes) == 15 for category in obj.categories)


def test_zero_objects_is_a_valid_empty_result() -> None:
    rows, frames = read_archive(build_archive(_digest(b"none"), GenerationParams("video", objects=0, frame_count=3)))
    assert rows == []
    assert frames == [0, 1_000_000, 2_000_000]


def test_one_frame_video() -> None:
    results = generate(_digest(b"one"), GenerationParams("video", objects=2, frame_count=1))
    assert results.frame_timestamps == [0]
    assert all(len(obj.bbox_observations) == 1 for obj in results.video_objects())


def test_resolve_uses_config_then_model_options() -> None:
    config = EmulatorConfig(video_duration_seconds=4, default_frames_per_second=2, video_objects=3)
    defaults = GenerationParams.resolve(config, ModelOptions(), "video", None)
    assert (defaults.frame_count, defaults.frames_per_second, defaults.objects) == (8, 2, 3)
    _, options = parse_model_name("recognize_anything/m?objects=9&frames=12&categories=2&attributes=0")
    chosen = GenerationParams.resolve(config, options, "video", 3)
    assert (chosen.frame_count, chosen.frames_per_second, chosen.objects) == (12, 3, 9)
    assert (chosen.categories, chosen.attributes) == (2, 0)
    _, timed = parse_model_name("recognize_anything/m?duration=2.5")
    assert GenerationParams.resolve(config, timed, "video", 4).frame_count == 10
    image = GenerationParams.resolve(EmulatorConfig(image_objects=6), ModelOptions(), "image", 5)
    assert (image.objects, image.frame_count) == (6, 1)


def test_model_name_parsing() -> None:
    name, options = parse_model_name("recognize_anything/mymodel?objects=500&frames=600&delay=0.2&fail=1")
    assert name == "recognize_anything/mymodel"
    assert options == ModelOptions(objects=500, frames=600, delay=0.2, fail=True)
    assert parse_model_name("recognize_anything/plain") == ("recognize_anything/plain", ModelOptions())


@pytest.mark.no_cover  # tracing would double this heavy build, and it reaches no line the others miss
def test_large_video_result(client: SpecCheckedClient, storage: SpecCheckedClient) -> None:
    # How fast the emulator builds it is for `make bench`, not a timed unit test.
    _, response = run_prediction(
        client,
        storage,
        b"a long video",
        "video/mp4",
        "recognize_anything/m?objects=500&frames=600&categories=2&attributes=3&delay=0",
    )
    rows, frames = read_archive(response.content)
    assert len(rows) == 500
    assert frames is not None and len(frames) == 600
