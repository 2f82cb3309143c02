"""The SDK's version, written only here: pyproject.toml reads it when building."""

__version__ = "3.0.0"
