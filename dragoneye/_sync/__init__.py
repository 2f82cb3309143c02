# Generated from dragoneye/_async/ by generator/generate.py (unasync). Do not edit.
"""The blocking facade, generated from dragoneye/_async/."""

from ._classification import Classification
from ._client import Dragoneye

__all__ = ["Classification", "Dragoneye"]
