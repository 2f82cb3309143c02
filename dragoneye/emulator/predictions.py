"""Deterministic, realistic-looking predictions derived from the media's digest.

The same bytes (and the same knobs) always give the same results; different
bytes give different ones. Videos have what real tracks have: gap frames
(present but undetected), attribute answers that change over time, objects
that leave and come back, and frames where nothing is detected at all.

Every float is a multiple of a power of two small enough to be exact in
float32, so results read back from parquet equal the generated values.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

from .._results._assemble import Checkpoint, no_checkpoint
from .taxonomy import CATEGORIES, GENERIC_ATTRIBUTES, Attribute, Category, synthetic_attribute
from .tracks import AttributeRun, Box, CategoryResult, GeneratedResults, PredictionType, Track

if TYPE_CHECKING:
    from .config import EmulatorConfig
    from .model_name import ModelOptions

_GAP_RATE = 0.08
_SECOND_SEGMENT_RATE = 0.2
_MICROSECONDS = 1_000_000
# Bounds on one video's results, so that no request can make the emulator build
# for minutes or fill its memory: about 28 hours at 1 fps, and 2 million boxes.
MAX_FRAMES = 100_000
MAX_OBSERVATIONS = 2_000_000


@attrs.frozen
class GenerationParams:
    """Everything besides the media's digest that shapes a result."""

    prediction_type: PredictionType
    objects: int | None = None
    """None: a count chosen by the digest."""
    frame_count: int = 1
    frames_per_second: int = 1
    categories: int | None = None
    attributes: int | None = None

    @classmethod
    def resolve(
        cls,
        config: EmulatorConfig,
        options: ModelOptions,
        prediction_type: PredictionType,
        frames_per_second: int | None,
    ) -> GenerationParams:
        """Combine a task's model options with the emulator's defaults.

        ValueError (a 400's detail) if a video would pass MAX_FRAMES or MAX_OBSERVATIONS.
        """
        if prediction_type == "image":
            return cls(
                prediction_type="image",
                objects=options.objects if options.objects is not None else config.image_objects,
                categories=options.categories if options.categories is not None else config.categories_per_object,
                attributes=options.attributes if options.attributes is not None else config.attributes_per_category,
            )
        fps = frames_per_second or config.default_frames_per_second
        duration = options.duration if options.duration is not None else config.video_duration_seconds
        frames = options.frames if options.frames is not None else max(1, round(duration * fps))
        objects = options.objects if options.objects is not None else config.video_objects
        if frames > MAX_FRAMES:
            raise ValueError(
                f"{frames} frames ({fps} frames per second over {duration:g} s) is more than the {MAX_FRAMES} allowed"
            )
        if (objects or 0) * frames > MAX_OBSERVATIONS:
            raise ValueError(f"{objects} objects over {frames} frames is more than {MAX_OBSERVATIONS} boxes")
        return cls(
            prediction_type="video",
            objects=objects,
            frame_count=frames,
            frames_per_second=fps,
            categories=options.categories if options.categories is not None else config.categories_per_object,
            attributes=options.attributes if options.attributes is not None else config.attributes_per_category,
        )


def generate(digest: bytes, params: GenerationParams, checkpoint: Checkpoint = no_checkpoint) -> GeneratedResults:
    """The predictions for media whose sha256 is `digest`; `checkpoint` is called before each video object."""
    rng = random.Random(digest + params.prediction_type.encode("ascii"))
    if params.prediction_type == "image":
        count = params.objects if params.objects is not None else rng.randint(2, 5)
        tracks = [_image_track(rng, object_id, params) for object_id in range(1, count + 1)]
        return GeneratedResults("image", tracks, None, None)
    return _video(rng, params, checkpoint)


def frame_timestamps(frame_count: int, frames_per_second: int) -> list[int]:
    """The timestamps, in microseconds, of frames sampled at `frames_per_second`."""
    return [index * _MICROSECONDS // frames_per_second for index in range(frame_count)]


# ---- images ----


def _image_track(rng: random.Random, object_id: int, params: GenerationParams) -> Track:
    categories = _pick_categories(rng, params.categories)
    box = _initial_box(rng, categories[0])
    track = Track(object_id, [(0, 0)], [0], [box], [_score(rng, 0.5, 0.99)])
    for category, score in zip(categories, _category_scores(rng, len(categories)), strict=True):
        runs = [
            AttributeRun(attribute, *rng.choice(attribute.options), [(0, 0, _score(rng, 0.4, 0.99))])
            for attribute in _pick_attributes(rng, category, params.attributes)
        ]
        track.categories.append(CategoryResult(category, score, runs))
    return track


# ---- videos ----


def _video(rng: random.Random, params: GenerationParams, checkpoint: Checkpoint) -> GeneratedResults:
    count = params.objects if params.objects is not None else rng.randint(3, 8)
    timestamps = frame_timestamps(params.frame_count, params.frames_per_second)
    last = params.frame_count - 1
    # The first and last frames stay empty whenever the video is long enough,
    # so the frame list is always broader than any track.
    low, high = (1, last - 1) if params.frame_count >= 3 else (0, last)
    tracks: list[Track] = []
    need_gap = need_change = True
    for object_id in range(1, count + 1):
        checkpoint()
        categories = _pick_categories(rng, params.categories)
        segments = _segments(rng, low, high)
        frames = [frame for start, end in segments for frame in range(start, end + 1)]
        gaps = _gap_indexes(rng, segments, force=need_gap)
        need_gap = need_gap and not gaps
        track = Track(
            object_id=object_id,
            ranges=[(timestamps[start], timestamps[end]) for start, end in segments],
            timestamps=[timestamps[frame] for frame in frames],
            boxes=[],
            scores=[],
        )
        _fill_boxes(rng, track, categories[0], gaps)
        # Runs of an attribute never span a hole between two segments.
        breaks = {index for index in range(1, len(frames)) if frames[index] != frames[index - 1] + 1}
        for category, score in zip(categories, _category_scores(rng, len(categories)), strict=True):
            runs: list[AttributeRun] = []
            for attribute in _pick_attributes(rng, category, params.attributes):
                attribute_runs = _attribute_runs(rng, attribute, track.timestamps, breaks, force_change=need_change)
                need_change = need_change and len(attribute_runs) < 2
                runs.extend(attribute_runs)
            track.categories.append(CategoryResult(category, score, runs))
        tracks.append(track)
    return GeneratedResults("video", tracks, timestamps, params.frames_per_second)


def _segments(rng: random.Random, low: int, high: int) -> list[tuple[int, int]]:
    """One or two spans of frames (inclusive) within [low, high]."""
    width = high - low + 1
    length = max(1, min(width, round(width * rng.uniform(0.15, 0.9))))
    start = rng.randint(low, high - length + 1)
    end = start + length - 1
    if length >= 6 and rng.random() < _SECOND_SEGMENT_RATE:
        # The object leaves the frame for a while, then comes back.
        hole_start = rng.randint(start + 2, end - 3)
        hole_end = rng.randint(hole_start, end - 2)
        return [(start, hole_start - 1), (hole_end + 1, end)]
    return [(start, end)]


def _gap_indexes(rng: random.Random, segments: list[tuple[int, int]], *, force: bool) -> set[int]:
    """Indexes into the track's frames where it was present but not detected (never a segment's ends)."""
    gaps: set[int] = set()
    interior: list[int] = []
    offset = 0
    for start, end in segments:
        interior.extend(range(offset + 1, offset + end - start))
        offset += end - start + 1
    for index in interior:
        if rng.random() < _GAP_RATE:
            gaps.add(index)
    if force and not gaps and interior:
        gaps.add(interior[len(interior) // 2])
    return gaps


def _fill_boxes(rng: random.Random, track: Track, category: Category, gaps: set[int]) -> None:
    """A box drifting smoothly across the frame, with a detection score per frame."""
    x1, y1, x2, y2 = _initial_box(rng, category)
    width, height = x2 - x1, y2 - y1
    center_x, center_y = x1 + width / 2, y1 + height / 2
    velocity_x, velocity_y = rng.uniform(-0.01, 0.01), rng.uniform(-0.004, 0.004)
    for index in range(len(track.timestamps)):
        center_x = min(max(center_x + velocity_x + rng.uniform(-0.002, 0.002), width / 2), 1 - width / 2)
        center_y = min(max(center_y + velocity_y + rng.uniform(-0.002, 0.002), height / 2), 1 - height / 2)
        if index in gaps:
            track.boxes.append(None)
            track.scores.append(None)
            continue
        track.boxes.append(
            _box(center_x - width / 2, center_y - height / 2, center_x + width / 2, center_y + height / 2)
        )
        track.scores.append(_score(rng, 0.35, 0.99))


def _attribute_runs(
    rng: random.Random, attribute: Attribute, timestamps: list[int], breaks: set[int], *, force_change: bool
) -> list[AttributeRun]:
    """The options an attribute took over a track's frames, one AttributeRun per option."""
    count = len(timestamps)
    change_points: list[int] = []
    index = 0
    while True:
        index += _geometric(rng, attribute.change_rate)
        if index >= count:
            break
        change_points.append(index)
    if force_change and not change_points and count >= 2:
        change_points.append(count // 2)
    boundaries = sorted({0, *change_points, *breaks, count})
    changes = set(change_points)
    by_option: dict[int, AttributeRun] = {}
    option = rng.choice(attribute.options)
    for start, end in itertools.pairwise(boundaries):
        if start in changes:
            option = rng.choice([candidate for candidate in attribute.options if candidate != option])
        run = by_option.get(option[0])
        if run is None:
            run = by_option[option[0]] = AttributeRun(attribute, option[0], option[1], [])
        run.ranges.append((timestamps[start], timestamps[end - 1], _score(rng, 0.4, 0.99)))
    return list(by_option.values())


def _geometric(rng: random.Random, probability: float) -> int:
    """Frames until the next change, when each frame changes with `probability`."""
    return 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - probability))


# ---- shared ----


def _pick_categories(rng: random.Random, count: int | None) -> list[Category]:
    """A primary category, then related ones (same group first)."""
    wanted = count if count is not None else rng.choice((1, 1, 2, 2, 3))
    primary = rng.choice(CATEGORIES)
    related = [category for category in CATEGORIES if category.group == primary.group and category is not primary]
    others = [category for category in CATEGORIES if category.group != primary.group]
    rng.shuffle(related)
    rng.shuffle(others)
    return [primary, *related, *others][: min(wanted, len(CATEGORIES))]


def _category_scores(rng: random.Random, count: int) -> list[float]:
    scores = [_score(rng, 0.7, 0.99)]
    for _ in range(count - 1):
        scores.append(_quantize(scores[-1] * rng.uniform(0.3, 0.9), 1024))
    return scores


def _pick_attributes(rng: random.Random, category: Category, count: int | None) -> Sequence[Attribute]:
    wanted = count if count is not None else rng.randint(1, 3)
    own = list(category.attributes)
    rng.shuffle(own)
    extra = [attribute for attribute in GENERIC_ATTRIBUTES if attribute not in own]
    rng.shuffle(extra)
    pool = own + extra
    while len(pool) < wanted:
        pool.append(synthetic_attribute(len(pool)))
    return pool[:wanted]


def _initial_box(rng: random.Random, category: Category) -> Box:
    width = min(0.9, max(0.02, category.size * rng.uniform(0.6, 1.4)))
    height = min(0.9, max(0.02, width * category.aspect * rng.uniform(0.8, 1.25)))
    x1 = rng.uniform(0.0, 1.0 - width)
    y1 = rng.uniform(0.0, 1.0 - height)
    return _box(x1, y1, x1 + width, y1 + height)


def _box(x1: float, y1: float, x2: float, y2: float) -> Box:
    """A box on a 1/4096 grid (exact in float32) with x1 < x2 and y1 < y2 inside [0, 1]."""
    left, top = _quantize(max(0.0, x1), 4096), _quantize(max(0.0, y1), 4096)
    right, bottom = _quantize(min(1.0, x2), 4096), _quantize(min(1.0, y2), 4096)
    right = max(right, left + 1 / 4096)
    bottom = max(bottom, top + 1 / 4096)
    if right > 1.0:
        left, right = 1.0 - 1 / 4096, 1.0
    if bottom > 1.0:
        top, bottom = 1.0 - 1 / 4096, 1.0
    return (left, top, right, bottom)


def _score(rng: random.Random, low: float, high: float) -> float:
    return _quantize(rng.uniform(low, high), 1024)


def _quantize(value: float, steps: int) -> float:
    return round(value * steps) / steps
