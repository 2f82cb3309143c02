"""The Dragoneye computer-vision API for Python.

`Dragoneye` blocks (for scripts); `AsyncDragoneye` is the same surface with
`await` (for asyncio and trio services).
"""

from ._async import AsyncClassification, AsyncDragoneye
from ._sync import Classification, Dragoneye
from ._version import __version__
from .models import (
    BboxObservation,
    ClassificationPredictImageResponse,
    ClassificationPredictVideoResponse,
    ImageAttributePrediction,
    ImageCategoryPrediction,
    ImageDetectedObject,
    PredictionTaskStatusResponse,
    ScoredTimestampRange,
    TimestampRange,
    VideoAttributePrediction,
    VideoBboxObservation,
    VideoCategoryPrediction,
    VideoDetectedObject,
)
from .types.common import NormalizedBbox
from .types.exception import (
    DragoneyeError,
    MissingAPIKeyError,
    PredictionTaskBeginError,
    PredictionTaskError,
    PredictionTaskResultsUnavailableError,
    PredictionTimeoutException,
    PredictionUploadError,
)
from .types.media import Image, Media, Video

__all__ = [
    "AsyncClassification",
    "AsyncDragoneye",
    "BboxObservation",
    "Classification",
    "ClassificationPredictImageResponse",
    "ClassificationPredictVideoResponse",
    "Dragoneye",
    "DragoneyeError",
    "Image",
    "ImageAttributePrediction",
    "ImageCategoryPrediction",
    "ImageDetectedObject",
    "Media",
    "MissingAPIKeyError",
    "NormalizedBbox",
    "PredictionTaskBeginError",
    "PredictionTaskError",
    "PredictionTaskResultsUnavailableError",
    "PredictionTaskStatusResponse",
    "PredictionTimeoutException",
    "PredictionUploadError",
    "ScoredTimestampRange",
    "TimestampRange",
    "Video",
    "VideoAttributePrediction",
    "VideoBboxObservation",
    "VideoCategoryPrediction",
    "VideoDetectedObject",
    "__version__",
]
