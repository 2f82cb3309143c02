"""Contains all the data models used in inputs/outputs"""

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
