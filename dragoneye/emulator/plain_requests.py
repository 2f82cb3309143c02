"""A plainly valid request accepted without openapi-core.

openapi-core takes 1.5-3.5 ms to check one request: without this shortcut,
that was over half the emulator's CPU per prediction, and the emulator shares
the machine with the clients it benchmarks. Nearly every request is plainly
valid: each field once, each declared, each a non-empty string where the spec
wants an unconstrained string, or digits within bounds where it wants an
integer. `PlainRequests`, compiled from openapi.yaml, recognises those and
gives the values openapi-core would give. Anything else (a field missing,
unknown or repeated, an empty value, another media type, a schema it does not
know) goes to openapi-core, whose verdict and messages stand.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

import attrs

FORM = "application/x-www-form-urlencoded"
# Schema keywords that do not constrain a value.
_ANNOTATIONS = frozenset({"type", "description", "examples", "title"})
_BOUNDS = frozenset({"minimum", "maximum"})
_PARAMETER_KEYS = frozenset({"name", "in", "required", "schema", "description"})
# Digits as an integer is written, no sign or leading zero; at most 18 of them (no bigints).
_INTEGER = re.compile(r"0|[1-9][0-9]{0,17}")

Cast = Callable[[str], object]
"""A field's value as the spec types it, or _NOT_PLAIN."""
_NOT_PLAIN = object()


@attrs.frozen
class Accepted:
    """A plainly valid request, and its body as openapi-core unmarshals it (None without a body)."""

    body: dict[str, object] | None


@attrs.frozen
class _Fields:
    """The plain fields of a query or a form: every one optional or required, with its cast."""

    casts: Mapping[str, Cast]
    required: frozenset[str]

    def values(self, items: Sequence[tuple[str, str]]) -> dict[str, object] | None:
        """The cast values of `items`, if each is a declared field, once, with a plain value."""
        values: dict[str, object] = {}
        for name, text in items:
            cast = self.casts.get(name)
            if cast is None or name in values or not text:
                return None
            value = cast(text)
            if value is _NOT_PLAIN:
                return None
            values[name] = value
        return values if self.required <= values.keys() else None


@attrs.frozen
class _Operation:
    query: _Fields
    form: _Fields | None
    """The urlencoded body's fields; None if the operation takes no body."""


class PlainRequests:
    """The operations of a spec whose plainly valid requests can be accepted without openapi-core."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self._operations: dict[str, _Operation] = {}
        for methods in spec.get("paths", {}).values():
            for operation in methods.values():
                if isinstance(operation, Mapping) and "operationId" in operation:
                    compiled = _compile(spec, operation)
                    if compiled is not None:
                        self._operations[operation["operationId"]] = compiled

    def __contains__(self, operation_id: str) -> bool:
        return operation_id in self._operations

    def accept(
        self, operation_id: str, query: Sequence[tuple[str, str]], content_type: str, body: bytes | None
    ) -> Accepted | None:
        """The request's values if it is plainly valid, else None (let openapi-core judge it)."""
        operation = self._operations.get(operation_id)
        if operation is None or operation.query.values(query) is None:
            return None
        if operation.form is None:
            return Accepted(None) if body is None else None
        if content_type != FORM or not body:
            return None
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        # As openapi-core reads a form, so the values are the same.
        values = operation.form.values(parse_qsl(text, keep_blank_values=True))
        return None if values is None else Accepted(values)


def _compile(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> _Operation | None:
    """The plain checks of an operation, or None if any of its inputs needs openapi-core."""
    casts: dict[str, Cast] = {}
    required: set[str] = set()
    for reference in operation.get("parameters", []):
        parameter = _resolve(spec, reference)
        cast = _cast(_resolve(spec, parameter.get("schema", {})))
        if parameter.get("in") != "query" or cast is None or set(parameter) - _PARAMETER_KEYS:
            return None
        casts[parameter["name"]] = cast
        if parameter.get("required"):
            required.add(parameter["name"])
    query = _Fields(casts, frozenset(required))
    if "requestBody" not in operation:
        return _Operation(query, None)
    content = _resolve(spec, operation["requestBody"]).get("content", {})
    if FORM not in content or "encoding" in content[FORM]:
        return None
    form = _form_fields(spec, _resolve(spec, content[FORM].get("schema", {})))
    return None if form is None else _Operation(query, form)


def _form_fields(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> _Fields | None:
    if schema.get("type") != "object" or set(schema) - {"type", "description", "required", "properties"}:
        return None
    casts: dict[str, Cast] = {}
    for name, property_schema in schema.get("properties", {}).items():
        cast = _cast(_resolve(spec, property_schema))
        if cast is None:
            return None
        casts[name] = cast
    required = frozenset(schema.get("required", ()))
    return _Fields(casts, required) if required <= casts.keys() else None


def _cast(schema: Mapping[str, Any]) -> Cast | None:
    """How to read a plain value of `schema`; None for a schema this module does not know."""
    if schema.get("type") == "string" and set(schema) <= _ANNOTATIONS:
        return str
    if schema.get("type") == "integer" and set(schema) <= _ANNOTATIONS | _BOUNDS:
        low, high = schema.get("minimum"), schema.get("maximum")

        def integer(text: str) -> object:
            if not _INTEGER.fullmatch(text):
                return _NOT_PLAIN
            value = int(text)
            if (low is not None and value < low) or (high is not None and value > high):
                return _NOT_PLAIN
            return value

        return integer
    return None


def _resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """`node`, or what its local `$ref` points at."""
    while "$ref" in node:
        reference = str(node["$ref"])
        if not reference.startswith("#/"):
            return {"$ref": reference, "unknown": True}  # never plain
        target: Any = spec
        for part in reference[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node
