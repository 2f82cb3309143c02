"""help() is a manual: the clients document `.classification`, each call what it raises, and
the blocking client's documentation never speaks of async code."""

from __future__ import annotations

import inspect
import pydoc
import re
from types import ModuleType

import pytest

import dragoneye._sync._classification
import dragoneye._sync._client
import dragoneye._sync._sender
import dragoneye._sync._state
from dragoneye import AsyncClassification, AsyncDragoneye, Classification, Dragoneye

CALLS = ("predict_image", "predict_video", "status", "get_image_results", "get_video_results")
PREDICTION_ERRORS = (
    "ValueError",
    "PredictionTaskBeginError",
    "PredictionUploadError",
    "PredictionTaskError",
    "PredictionTimeoutException",
    "PredictionTaskResultsUnavailableError",
    "DragoneyeError",
)
SYNC_MODULES = (
    dragoneye._sync._classification,
    dragoneye._sync._client,
    dragoneye._sync._sender,
    dragoneye._sync._state,
)


@pytest.mark.parametrize("client", [Dragoneye, AsyncDragoneye])
def test_the_client_documents_classification_and_its_calls(client: type) -> None:
    manual = pydoc.plain(pydoc.render_doc(client))
    assert "classification:" in manual
    for call in CALLS:
        assert f"`{call}(" in manual, call


@pytest.mark.parametrize("classification", [Classification, AsyncClassification])
@pytest.mark.parametrize("call", CALLS)
def test_every_call_lists_what_it_raises(classification: type, call: str) -> None:
    doc = inspect.getdoc(getattr(classification, call)) or ""
    raises = doc.partition("Raises:")[2]
    assert raises, f"{call} has no Raises section"
    named = set(re.findall(r"^\s{4}(\w+):", raises, flags=re.MULTILINE))
    expected = set(PREDICTION_ERRORS) if call.startswith("predict_") else {"DragoneyeError"}
    assert expected <= named, expected - named


@pytest.mark.parametrize("module", SYNC_MODULES, ids=lambda module: module.__name__)
def test_the_blocking_documentation_never_speaks_of_async(module: ModuleType) -> None:
    manual = pydoc.plain(pydoc.render_doc(module))
    for word in ("Async", "async", "await", "aclose", "asyncio", "trio", "event loop"):
        assert word not in manual, f"{module.__name__}'s help mentions {word!r}"
