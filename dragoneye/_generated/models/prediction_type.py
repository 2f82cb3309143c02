from typing import Literal

PredictionType = Literal["image", "video"]

PREDICTION_TYPE_VALUES: set[PredictionType] = {
    "image",
    "video",
}


def check_prediction_type(value: str) -> PredictionType:
    if value in PREDICTION_TYPE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {PREDICTION_TYPE_VALUES!r}")
