"""Contains all the data models used in inputs/outputs"""

from .begin_prediction_task_form import BeginPredictionTaskForm
from .media_upload_url import MediaUploadUrl
from .predict_form import PredictForm
from .prediction_task_begin_response import PredictionTaskBeginResponse
from .prediction_type import PredictionType
from .presigned_post_request import PresignedPostRequest
from .presigned_post_request_fields import PresignedPostRequestFields
from .upload_media_form import UploadMediaForm

__all__ = (
    "BeginPredictionTaskForm",
    "MediaUploadUrl",
    "PredictForm",
    "PredictionTaskBeginResponse",
    "PredictionType",
    "PresignedPostRequest",
    "PresignedPostRequestFields",
    "UploadMediaForm",
)
