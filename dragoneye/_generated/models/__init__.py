"""Contains all the data models used in inputs/outputs; each loads on first use"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bbox_observation import BboxObservation
    from .begin_prediction_task_form import BeginPredictionTaskForm
    from .classification_predict_image_response import ClassificationPredictImageResponse
    from .classification_predict_video_response import ClassificationPredictVideoResponse
    from .error_detail import ErrorDetail
    from .image_attribute_prediction import ImageAttributePrediction
    from .image_category_prediction import ImageCategoryPrediction
    from .image_detected_object import ImageDetectedObject
    from .media_upload_url import MediaUploadUrl
    from .predict_form import PredictForm
    from .prediction_task_begin_response import PredictionTaskBeginResponse
    from .prediction_task_status_response import PredictionTaskStatusResponse
    from .presigned_post_request import PresignedPostRequest
    from .presigned_post_request_fields import PresignedPostRequestFields
    from .scored_timestamp_range import ScoredTimestampRange
    from .timestamp_range import TimestampRange
    from .upload_media_form import UploadMediaForm
    from .validation_error_detail import ValidationErrorDetail
    from .validation_error_item import ValidationErrorItem
    from .video_attribute_prediction import VideoAttributePrediction
    from .video_bbox_observation import VideoBboxObservation
    from .video_category_prediction import VideoCategoryPrediction
    from .video_detected_object import VideoDetectedObject

_MODULES = {
    "BboxObservation": ".bbox_observation",
    "BeginPredictionTaskForm": ".begin_prediction_task_form",
    "ClassificationPredictImageResponse": ".classification_predict_image_response",
    "ClassificationPredictVideoResponse": ".classification_predict_video_response",
    "ErrorDetail": ".error_detail",
    "ImageAttributePrediction": ".image_attribute_prediction",
    "ImageCategoryPrediction": ".image_category_prediction",
    "ImageDetectedObject": ".image_detected_object",
    "MediaUploadUrl": ".media_upload_url",
    "PredictForm": ".predict_form",
    "PredictionTaskBeginResponse": ".prediction_task_begin_response",
    "PredictionTaskStatusResponse": ".prediction_task_status_response",
    "PresignedPostRequest": ".presigned_post_request",
    "PresignedPostRequestFields": ".presigned_post_request_fields",
    "ScoredTimestampRange": ".scored_timestamp_range",
    "TimestampRange": ".timestamp_range",
    "UploadMediaForm": ".upload_media_form",
    "ValidationErrorDetail": ".validation_error_detail",
    "ValidationErrorItem": ".validation_error_item",
    "VideoAttributePrediction": ".video_attribute_prediction",
    "VideoBboxObservation": ".video_bbox_observation",
    "VideoCategoryPrediction": ".video_category_prediction",
    "VideoDetectedObject": ".video_detected_object",
}


def __getattr__(name: str) -> Any:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_MODULES[name], __name__), name)
    globals()[name] = value
    return value


__all__ = (
    "BboxObservation",
    "BeginPredictionTaskForm",
    "ClassificationPredictImageResponse",
    "ClassificationPredictVideoResponse",
    "ErrorDetail",
    "ImageAttributePrediction",
    "ImageCategoryPrediction",
    "ImageDetectedObject",
    "MediaUploadUrl",
    "PredictForm",
    "PredictionTaskBeginResponse",
    "PredictionTaskStatusResponse",
    "PresignedPostRequest",
    "PresignedPostRequestFields",
    "ScoredTimestampRange",
    "TimestampRange",
    "UploadMediaForm",
    "ValidationErrorDetail",
    "ValidationErrorItem",
    "VideoAttributePrediction",
    "VideoBboxObservation",
    "VideoCategoryPrediction",
    "VideoDetectedObject",
)
