"""Errors of the generated operations."""


class UndocumentedStatus(Exception):
    """A 2xx response that the spec does not document for its operation."""

    def __init__(self, status_code: int) -> None:
        self.status_code = status_code
        super().__init__(f"HTTP {status_code} is not a documented response of this operation")


__all__ = ["UndocumentedStatus"]
