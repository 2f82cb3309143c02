"""Result objects, archives and strategies shared by the tests of the results decoder."""

from __future__ import annotations

import random
import struct

from hypothesis import strategies as st

from dragoneye.emulator.archive import encode_results
from dragoneye.models import (
    BboxObservation,
    ImageAttributePrediction,
    ImageCategoryPrediction,
    ImageDetectedObject,
    ScoredTimestampRange,
    TimestampRange,
    VideoAttributePrediction,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)


def f32(value: float) -> float:
    """`value` rounded to float32, as the wire stores it."""
    return float(struct.unpack("<f", struct.pack("<f", value))[0])


def box(x1: float, y1: float, x2: float, y2: float, score: float) -> BboxObservation:
    return BboxObservation(normalized_bbox=(f32(x1), f32(y1), f32(x2), f32(y2)), bbox_score=f32(score))


def sample_video_objects() -> list[VideoDetectedObject]:
    """Two tracks: gap frames, an attribute that changes option, several categories; and a bare one."""
    car = VideoDetectedObject(
        object_id=7,
        timestamp_ranges=[
            TimestampRange(timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=400_000),
            TimestampRange(timestamp_start_us_inclusive=1_000_000, timestamp_end_us_inclusive=1_200_000),
        ],
        bbox_observations=[
            VideoBboxObservation(timestamp_microseconds=0, observation=box(0.1, 0.2, 0.3, 0.4, 0.9)),
            VideoBboxObservation(timestamp_microseconds=200_000, observation=None),
            VideoBboxObservation(timestamp_microseconds=400_000, observation=box(0.15, 0.2, 0.35, 0.4, 0.8)),
            VideoBboxObservation(timestamp_microseconds=1_000_000, observation=None),
            VideoBboxObservation(timestamp_microseconds=1_200_000, observation=box(0.5, 0.5, 0.9, 1.0, 0.7)),
        ],
        categories=[
            VideoCategoryPrediction(
                category_id=2084323334,
                name="Car",
                score=f32(0.92),
                attributes=[
                    VideoAttributePrediction(
                        attribute_id=1371766615,
                        attribute_name="Color",
                        option_id=1,
                        option_name="Red",
                        timestamp_ranges=[
                            ScoredTimestampRange(
                                timestamp_start_us_inclusive=0, timestamp_end_us_inclusive=400_000, score=f32(0.81)
                            ),
                            ScoredTimestampRange(
                                timestamp_start_us_inclusive=1_200_000,
                                timestamp_end_us_inclusive=1_200_000,
                                score=f32(0.6),
                            ),
                        ],
                    ),
                    VideoAttributePrediction(
                        attribute_id=1371766615,
                        attribute_name="Color",
                        option_id=2,
                        option_name="Dark red ✓ ünïcode",
                        timestamp_ranges=[
                            ScoredTimestampRange(
                                timestamp_start_us_inclusive=1_000_000,
                                timestamp_end_us_inclusive=1_000_000,
                                score=f32(0.55),
                            )
                        ],
                    ),
                ],
            ),
            VideoCategoryPrediction(category_id=3, name="Vehicle", score=f32(0.5), attributes=[]),
        ],
    )
    bare = VideoDetectedObject(object_id=2**40, timestamp_ranges=[], bbox_observations=[], categories=[])
    return [car, bare]


def sample_image_objects() -> list[ImageDetectedObject]:
    house = ImageDetectedObject(
        object_id=1,
        bbox_observation=box(0.12, 0.25, 0.55, 0.78, 0.97),
        categories=[
            ImageCategoryPrediction(
                category_id=2084323334,
                name="House (detached)",
                score=f32(0.92),
                attributes=[
                    ImageAttributePrediction(
                        attribute_id=1371766615,
                        attribute_name="Building Exterior Color",
                        option_id=3498033303,
                        option_name="White / Off-white",
                        score=f32(0.85),
                    ),
                    ImageAttributePrediction(
                        attribute_id=448392115,
                        attribute_name="Building Exterior Material",
                        option_id=3887467550,
                        option_name="Wood",
                        score=f32(0.78),
                    ),
                ],
            ),
            ImageCategoryPrediction(category_id=5, name="Building", score=f32(0.4), attributes=[]),
        ],
    )
    tree = ImageDetectedObject(object_id=0, bbox_observation=box(0.0, 0.0, 1.0, 1.0, 0.3), categories=[])
    return [house, tree]


def video_archive(frame_timestamps: list[int] | None = None) -> bytes:
    frames = [1_200_000, 0, 400_000, 200_000, 1_000_000, 600_000] if frame_timestamps is None else frame_timestamps
    return encode_results(sample_video_objects(), frames)


def image_archive() -> bytes:
    return encode_results(sample_image_objects())


# ---- random results, reproducible from a seed ----


def random_video_objects(rng: random.Random, objects: int, frames: int) -> tuple[list[VideoDetectedObject], list[int]]:
    timestamps = sorted(rng.sample(range(0, frames * 1_000_000, 1_000), frames))
    result = []
    for object_id in rng.sample(range(10**9), objects):
        first = rng.randrange(frames)
        last = rng.randrange(first, frames)
        sightings = [
            VideoBboxObservation(
                timestamp_microseconds=timestamps[index],
                observation=None if rng.random() < 0.2 else _random_box(rng),
            )
            for index in range(first, last + 1)
        ]
        result.append(
            VideoDetectedObject(
                object_id=object_id,
                timestamp_ranges=[
                    TimestampRange(
                        timestamp_start_us_inclusive=timestamps[first], timestamp_end_us_inclusive=timestamps[last]
                    )
                ],
                bbox_observations=sightings,
                categories=[
                    VideoCategoryPrediction(
                        category_id=rng.randrange(2**32),
                        name=f"category {rng.randrange(100)}",
                        score=f32(rng.random()),
                        attributes=[
                            VideoAttributePrediction(
                                attribute_id=rng.randrange(2**32),
                                attribute_name=f"attribute {rng.randrange(100)}",
                                option_id=rng.randrange(2**32),
                                option_name=f"option {rng.randrange(100)}",
                                timestamp_ranges=[
                                    ScoredTimestampRange(
                                        timestamp_start_us_inclusive=timestamps[first],
                                        timestamp_end_us_inclusive=timestamps[last],
                                        score=f32(rng.random()),
                                    )
                                    for _ in range(rng.randrange(4))
                                ],
                            )
                            for _ in range(rng.randrange(4))
                        ],
                    )
                    for _ in range(rng.randrange(3))
                ],
            )
        )
    rng.shuffle(timestamps)
    return result, timestamps


def random_image_objects(rng: random.Random, objects: int) -> list[ImageDetectedObject]:
    return [
        ImageDetectedObject(
            object_id=object_id,
            bbox_observation=_random_box(rng),
            categories=[
                ImageCategoryPrediction(
                    category_id=rng.randrange(2**32),
                    name=f"category {rng.randrange(100)}",
                    score=f32(rng.random()),
                    attributes=[
                        ImageAttributePrediction(
                            attribute_id=rng.randrange(2**32),
                            attribute_name=f"attribute {rng.randrange(100)}",
                            option_id=rng.randrange(2**32),
                            option_name=f"option {rng.randrange(100)}",
                            score=f32(rng.random()),
                        )
                        for _ in range(rng.randrange(4))
                    ],
                )
                for _ in range(rng.randrange(3))
            ],
        )
        for object_id in rng.sample(range(10**9), objects)
    ]


def _random_box(rng: random.Random) -> BboxObservation:
    x1, x2 = sorted((rng.random(), rng.random()))
    y1, y2 = sorted((rng.random(), rng.random()))
    return box(x1, y1, x2, y2, rng.random())


# ---- hypothesis strategies for result objects ----

float32s = st.floats(width=32, allow_nan=False)
int64s = st.integers(min_value=-(2**63), max_value=2**63 - 1)
names = st.text(max_size=12)
boxes = st.builds(
    BboxObservation, normalized_bbox=st.tuples(float32s, float32s, float32s, float32s), bbox_score=float32s
)

video_objects = st.lists(
    st.builds(
        VideoDetectedObject,
        object_id=int64s,
        timestamp_ranges=st.lists(
            st.builds(TimestampRange, timestamp_start_us_inclusive=int64s, timestamp_end_us_inclusive=int64s),
            max_size=3,
        ),
        bbox_observations=st.lists(
            st.builds(VideoBboxObservation, timestamp_microseconds=int64s, observation=st.none() | boxes), max_size=5
        ),
        categories=st.lists(
            st.builds(
                VideoCategoryPrediction,
                category_id=int64s,
                name=names,
                score=float32s,
                attributes=st.lists(
                    st.builds(
                        VideoAttributePrediction,
                        attribute_id=int64s,
                        attribute_name=names,
                        option_id=int64s,
                        option_name=names,
                        timestamp_ranges=st.lists(
                            st.builds(
                                ScoredTimestampRange,
                                timestamp_start_us_inclusive=int64s,
                                timestamp_end_us_inclusive=int64s,
                                score=float32s,
                            ),
                            max_size=3,
                        ),
                    ),
                    max_size=3,
                ),
            ),
            max_size=3,
        ),
    ),
    max_size=4,
)

image_objects = st.lists(
    st.builds(
        ImageDetectedObject,
        object_id=int64s,
        bbox_observation=boxes,
        categories=st.lists(
            st.builds(
                ImageCategoryPrediction,
                category_id=int64s,
                name=names,
                score=float32s,
                attributes=st.lists(
                    st.builds(
                        ImageAttributePrediction,
                        attribute_id=int64s,
                        attribute_name=names,
                        option_id=int64s,
                        option_name=names,
                        score=float32s,
                    ),
                    max_size=3,
                ),
            ),
            max_size=3,
        ),
    ),
    max_size=4,
)
